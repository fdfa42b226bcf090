//! Cohort groups: a program of dated meetings (four Tuesday mornings, say) that people join
//! as a whole. One registration holds a seat in every meeting; the seats and the waitlist
//! follow the session rules ([`super::registration::Seats`]). Before registering, a person
//! answers the program's eligibility question and accepts its confidentiality agreement.
//! Intakes of the same program share a track, so a full or closed intake can point to the
//! next one. No storage, no clock: callers pass `now`.

use super::forms::{Field, FieldError, Problem, Problems, parse_date, schedule_problem};
use super::registration::{RegistrationForm, ValidRegistration, validate as validate_person};
use super::session::{Audience, MAX_CAPACITY, SessionLanguage, ends_at};
use super::session_form::{MAX_DURATION, MAX_LINK, MIN_DURATION, is_meeting_link};
use super::zones::{LocalTimeError, eastern, instant_at};
use crate::i18n::Locale;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A cohort meets at least twice (else it is a session) and at most weekly for a season.
pub const MIN_MEETINGS: usize = 2;
pub const MAX_MEETINGS: usize = 16;
/// A "tell me when it opens" address is forgotten once told, and after this many days when
/// no intake of its track opens meanwhile.
pub const INTEREST_KEPT_DAYS: i64 = 365;
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 5_000;
const MAX_QUESTION: usize = 500;
const MAX_TRACK: usize = 64;

/// Where an intake stands for someone who wants to join it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CohortPhase {
    /// Registration opens at this instant.
    NotYetOpen(DateTime<Utc>),
    /// Taking registrations (onto the waitlist once the seats are gone).
    Open,
    /// Its facilitator stopped registration before the start.
    Closed,
    /// The first meeting has begun: the group is formed.
    Started,
    /// The last meeting is over.
    Finished,
}

/// The phase of an intake whose meetings run from `first_start` to `last_end`.
pub fn phase(
    opens_at: DateTime<Utc>,
    registration_closed: bool,
    first_start: DateTime<Utc>,
    last_end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> CohortPhase {
    if now >= last_end {
        CohortPhase::Finished
    } else if now >= first_start {
        CohortPhase::Started
    } else if registration_closed {
        CohortPhase::Closed
    } else if now < opens_at {
        CohortPhase::NotYetOpen(opens_at)
    } else {
        CohortPhase::Open
    }
}

/// How an edit turns an intake's meetings into the dates asked for. A meeting keeps its row,
/// and so the UID its registrants' calendars know it by, whenever it can: those whose start
/// is unchanged stay as they are, the others are moved to the new starts in order, and
/// meetings or starts left over are removed or added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeetingPlan {
    /// (meeting id, its new start).
    pub moved: Vec<(i32, DateTime<Utc>)>,
    pub added: Vec<DateTime<Utc>>,
    /// Meetings to delete; their registrants' calendars are told they are cancelled.
    pub removed: Vec<i32>,
}

/// The [`MeetingPlan`] from the `current` meetings (id, start) to the `wanted` starts.
pub fn plan_meetings(current: &[(i32, DateTime<Utc>)], wanted: &[DateTime<Utc>]) -> MeetingPlan {
    let unchanged = |start: &DateTime<Utc>| current.iter().any(|(_, kept)| kept == start);
    let mut free_starts = wanted.iter().copied().filter(|start| !unchanged(start));
    let mut plan = MeetingPlan::default();
    for &(id, start) in current {
        if wanted.contains(&start) {
            continue;
        }
        match free_starts.next() {
            Some(new_start) => plan.moved.push((id, new_start)),
            None => plan.removed.push(id),
        }
    }
    plan.added.extend(free_starts);
    plan
}

/// Someone may leave until the last meeting starts; their seat goes to the waitlist only
/// while the intake is still open (a group that has begun takes nobody new).
pub fn may_withdraw(last_start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < last_start
}

/// An intake as [`next_intake`] compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Intake<'a> {
    pub id: i32,
    pub track: &'a str,
    pub first_start: DateTime<Utc>,
}

/// The intake of the same track that starts soonest after `current`, if one is planned.
pub fn next_intake(current: Intake<'_>, intakes: &[Intake<'_>]) -> Option<i32> {
    intakes
        .iter()
        .filter(|other| other.track == current.track && other.first_start > current.first_start)
        .min_by_key(|other| (other.first_start, other.id))
        .map(|other| other.id)
}

/// A cohort as its facilitator or the coordinator types it. Meetings are dates, one per line,
/// all at the same time of day in Eastern Time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CohortForm {
    pub track: String,
    pub title_en: String,
    pub title_fr: String,
    pub description_en: String,
    pub description_fr: String,
    pub audience: String,
    pub language: String,
    pub eligibility_en: String,
    pub eligibility_fr: String,
    pub agreement_en: String,
    pub agreement_fr: String,
    pub dates: String,
    pub time: String,
    pub duration: String,
    pub capacity: String,
    pub meeting_link: String,
    /// The day registration opens (midnight ET); empty to open at once.
    pub opens_on: String,
    /// The facilitator leading it (a coordinator chooses; a facilitator leads their own).
    pub facilitator_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCohort {
    pub track: String,
    pub title: (String, String),
    pub description: (String, String),
    pub audience: Audience,
    pub language: SessionLanguage,
    pub eligibility: (String, String),
    pub agreement: (String, String),
    /// Sorted, each in the future.
    pub meetings: Vec<DateTime<Utc>>,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub meeting_link: Option<String>,
    pub opens_at: DateTime<Utc>,
    pub facilitator_id: Option<i32>,
}

/// A track is a short lowercase name shared by the intakes of one program.
fn is_track(track: &str) -> bool {
    !track.is_empty()
        && track.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !track.starts_with('-')
}

impl CohortForm {
    pub fn check(&self, now: DateTime<Utc>) -> Result<ValidCohort, Vec<FieldError>> {
        let mut problems = Problems::default();
        let track = problems.required_text(Field::Track, &self.track, MAX_TRACK).to_lowercase();
        if !track.is_empty() && !is_track(&track) {
            problems.add(Field::Track, Problem::Invalid);
        }
        let mut both = |field, en: &str, fr: &str, max| {
            (
                problems.required_text(field, en, max).to_string(),
                problems.required_text(field, fr, max).to_string(),
            )
        };
        let title = both(Field::Title, &self.title_en, &self.title_fr, MAX_TITLE);
        let description = both(Field::Description, &self.description_en, &self.description_fr, MAX_TEXT);
        let eligibility = both(Field::Question, &self.eligibility_en, &self.eligibility_fr, MAX_QUESTION);
        let agreement = both(Field::AgreementText, &self.agreement_en, &self.agreement_fr, MAX_TEXT);
        let audience = problems.parsed(Field::Audience, &self.audience, |s| s.parse::<Audience>().ok());
        let language =
            problems.parsed(Field::SpokenLanguage, &self.language, |s| s.parse::<SessionLanguage>().ok());
        let duration_minutes = problems.number(Field::Duration, &self.duration, MIN_DURATION..=MAX_DURATION);
        let capacity = problems.number(Field::Capacity, &self.capacity, 1..=MAX_CAPACITY);
        let meeting_link = problems.optional_text(Field::MeetingLink, &self.meeting_link, MAX_LINK);
        if meeting_link.as_deref().is_some_and(|link| !is_meeting_link(link)) {
            problems.add(Field::MeetingLink, Problem::Invalid);
        }
        let time = problems.parsed(Field::Time, &self.time, |s| NaiveTime::parse_from_str(s, "%H:%M").ok());
        let meetings =
            time.map(|time| meeting_starts(&mut problems, &self.dates, time, now)).unwrap_or_default();
        let opens_at = match self.opens_on.trim() {
            "" => Some(now),
            day => match parse_date(day).map(|day| instant_at(day.and_time(NaiveTime::MIN), eastern())) {
                Some(Ok(opens_at)) => {
                    if meetings.first().is_some_and(|first| opens_at >= *first) {
                        problems.add(Field::Opens, Problem::OutOfRange);
                    }
                    Some(opens_at)
                }
                _ => {
                    problems.add(Field::Opens, Problem::Invalid);
                    None
                }
            },
        };
        let facilitator_id = self.facilitator_id.trim().parse::<i32>().ok();
        problems.finish(|| ValidCohort {
            track,
            title,
            description,
            audience: audience.expect("checked"),
            language: language.expect("checked"),
            eligibility,
            agreement,
            meetings,
            duration_minutes,
            capacity,
            meeting_link,
            opens_at: opens_at.expect("checked"),
            facilitator_id,
        })
    }
}

/// The instants of the meetings listed in `dates` (one `YYYY-MM-DD` per line, in any order),
/// each at `time` Eastern Time.
fn meeting_starts(
    problems: &mut Problems,
    dates: &str,
    time: NaiveTime,
    now: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let lines: Vec<&str> = dates.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    if lines.is_empty() {
        problems.add(Field::Meetings, Problem::Required);
        return Vec::new();
    }
    let Some(mut days) = lines.iter().map(|line| parse_date(line)).collect::<Option<Vec<NaiveDate>>>() else {
        problems.add(Field::Meetings, Problem::Invalid);
        return Vec::new();
    };
    days.sort_unstable();
    days.dedup();
    if !(MIN_MEETINGS..=MAX_MEETINGS).contains(&days.len()) {
        problems.add(Field::Meetings, Problem::OutOfRange);
        return Vec::new();
    }
    let mut starts = Vec::with_capacity(days.len());
    for day in days {
        match instant_at(day.and_time(time), eastern()) {
            Ok(start) => starts.push(start),
            Err(LocalTimeError::Skipped) => {
                problems.add(Field::Time, Problem::SkippedTime);
                return Vec::new();
            }
            Err(LocalTimeError::OutOfRange) => {
                problems.add(Field::Meetings, Problem::Invalid);
                return Vec::new();
            }
        }
    }
    // Sorted: the first may have passed, the last may lie beyond the horizon.
    if let Some(problem) =
        schedule_problem(starts[0], now).or_else(|| schedule_problem(starts[starts.len() - 1], now))
    {
        problems.add(Field::Meetings, problem);
    }
    starts
}

/// The end of the last of `meetings` (sorted), each lasting `duration_minutes`.
pub fn last_end(meetings: &[DateTime<Utc>], duration_minutes: u32) -> Option<DateTime<Utc>> {
    meetings.last().and_then(|start| ends_at(*start, duration_minutes))
}

/// Registering for a cohort: the person, as for a session, plus the answer to the
/// eligibility question and the agreement. Every field a string, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CohortRegistrationForm {
    pub name: String,
    pub email: String,
    pub career_stage: String,
    pub province: String,
    pub language: String,
    pub eligible: Option<String>,
    pub agreement: Option<String>,
    pub rules: Option<String>,
}

impl CohortRegistrationForm {
    fn person(&self) -> RegistrationForm {
        RegistrationForm {
            name: self.name.clone(),
            email: self.email.clone(),
            career_stage: self.career_stage.clone(),
            province: self.province.clone(),
            language: self.language.clone(),
            eligible: self.eligible.clone(),
            rules: self.rules.clone(),
        }
    }

    /// Checks the form for a cohort open to `audience`. Every cohort asks its eligibility
    /// question and its agreement, whatever the audience.
    pub fn check(&self, audience: Audience) -> Result<ValidRegistration, Vec<FieldError>> {
        let mut errors = match validate_person(&self.person(), audience) {
            Ok(person) if self.eligible.is_some() && self.agreement.is_some() => return Ok(person),
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        };
        let eligible_missing = FieldError { field: Field::Eligible, problem: Problem::Required };
        if self.eligible.is_none() && !errors.contains(&eligible_missing) {
            errors.push(eligible_missing);
        }
        if self.agreement.is_none() {
            errors.push(FieldError { field: Field::Agreement, problem: Problem::Required });
        }
        Err(errors)
    }
}

/// Asking to be told when the next intake of a track opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterestForm {
    pub email: String,
    pub language: String,
}

impl InterestForm {
    /// The address and the language of the one email it will get.
    pub fn check(&self) -> Result<(String, Locale), Vec<FieldError>> {
        let mut problems = Problems::default();
        let email = problems.email(&self.email);
        let language = problems.parsed(Field::Language, &self.language, |s| s.parse::<Locale>().ok());
        problems.finish(|| (email, language.expect("checked")))
    }
}

/// The phase of an intake from its sorted meeting starts; `None` for one without meetings.
pub fn phase_of(
    opens_at: DateTime<Utc>,
    registration_closed: bool,
    meetings: &[DateTime<Utc>],
    duration_minutes: u32,
    now: DateTime<Utc>,
) -> Option<CohortPhase> {
    let first = *meetings.first()?;
    Some(phase(opens_at, registration_closed, first, last_end(meetings, duration_minutes)?, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::zones::reference_time;
    use chrono::{Duration, Timelike};

    #[test]
    fn an_edit_keeps_each_meeting_it_can() {
        let day = |n: i64| at("2027-01-05T14:30:00Z") + Duration::days(7 * n);
        let current = [(1, day(0)), (2, day(1)), (3, day(2))];
        // Nothing asked differs: nothing moves.
        assert_eq!(plan_meetings(&current, &[day(0), day(1), day(2)]), MeetingPlan::default());
        // The middle week dropped and a later one added: the middle meeting moves there.
        assert_eq!(
            plan_meetings(&current, &[day(0), day(2), day(3)]),
            MeetingPlan { moved: vec![(2, day(3))], added: vec![], removed: vec![] }
        );
        // Fewer meetings: the ones no start is left for are removed.
        assert_eq!(
            plan_meetings(&current, &[day(2)]),
            MeetingPlan { moved: vec![], added: vec![], removed: vec![1, 2] }
        );
        // More meetings, every time moved by an hour: each keeps its row, one is added.
        let later: Vec<_> = (0..4).map(|n| day(n) + Duration::hours(1)).collect();
        assert_eq!(
            plan_meetings(&current, &later),
            MeetingPlan {
                moved: vec![(1, later[0]), (2, later[1]), (3, later[2])],
                added: vec![later[3]],
                removed: vec![]
            }
        );
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn form() -> CohortForm {
        CohortForm {
            track: "residents-on-leave".into(),
            title_en: "Residents on leave".into(),
            title_fr: "Résidents en congé".into(),
            description_en: "Four weeks.".into(),
            description_fr: "Quatre semaines.".into(),
            audience: "residents_on_leave".into(),
            language: "en".into(),
            eligibility_en: "I am on leave.".into(),
            eligibility_fr: "Je suis en congé.".into(),
            agreement_en: "I keep what is said here confidential.".into(),
            agreement_fr: "Je garde confidentiel ce qui se dit ici.".into(),
            dates: "2027-03-16\n2027-03-02\n\n2027-03-09 \n2027-03-23".into(),
            time: "09:30".into(),
            duration: "120".into(),
            capacity: "8".into(),
            meeting_link: String::new(),
            opens_on: String::new(),
            facilitator_id: "3".into(),
        }
    }

    fn problems(result: Result<ValidCohort, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn meetings_are_sorted_and_keep_nine_thirty_eastern_across_the_march_switch() {
        let now = at("2027-01-10T12:00:00Z");
        let cohort = form().check(now).unwrap();
        assert_eq!(cohort.meetings.len(), 4);
        assert!(cohort.meetings.windows(2).all(|w| w[0] < w[1]));
        for start in &cohort.meetings {
            let local = reference_time(*start);
            assert_eq!((local.hour(), local.minute()), (9, 30));
        }
        // 2 March is EST (UTC−5), 16 March EDT (UTC−4): the same wall-clock time, an hour apart in UTC.
        assert_eq!(cohort.meetings[0], at("2027-03-02T14:30:00Z"));
        assert_eq!(cohort.meetings[2], at("2027-03-16T13:30:00Z"));
        assert_eq!(cohort.opens_at, now, "an empty opening day opens at once");
        assert_eq!(cohort.facilitator_id, Some(3));
    }

    #[test]
    fn every_problem_is_reported() {
        let now = at("2027-01-10T12:00:00Z");
        let mut f = form();
        f.track = "Residents on leave!".into();
        f.title_fr = String::new();
        f.agreement_en = " ".into();
        f.eligibility_fr = String::new();
        f.capacity = "31".into();
        f.duration = "5".into();
        f.meeting_link = "http://insecure.example".into();
        f.opens_on = "2027-04-01".into();
        let found = problems(f.check(now));
        for expected in [
            (Field::Track, Problem::Invalid),
            (Field::Title, Problem::Required),
            (Field::AgreementText, Problem::Required),
            (Field::Question, Problem::Required),
            (Field::Capacity, Problem::OutOfRange),
            (Field::Duration, Problem::OutOfRange),
            (Field::MeetingLink, Problem::Invalid),
            (Field::Opens, Problem::OutOfRange),
        ] {
            assert!(found.contains(&expected), "{expected:?} missing from {found:?}");
        }
    }

    #[test]
    fn meeting_lists_must_be_dates_in_the_future_and_between_two_and_sixteen() {
        let now = at("2027-03-05T12:00:00Z");
        let with_dates = |dates: &str| {
            let mut f = form();
            f.dates = dates.into();
            problems(f.check(now))
        };
        assert_eq!(with_dates(""), vec![(Field::Meetings, Problem::Required)]);
        assert_eq!(with_dates("2027-03-09\nnext tuesday"), vec![(Field::Meetings, Problem::Invalid)]);
        assert_eq!(with_dates("2027-03-09\n2027-03-09"), vec![(Field::Meetings, Problem::OutOfRange)]);
        assert_eq!(with_dates("2027-03-02\n2027-03-09"), vec![(Field::Meetings, Problem::InPast)]);
        assert_eq!(with_dates("2027-03-09\n2029-03-20"), vec![(Field::Meetings, Problem::TooFarAhead)]);
        assert_eq!(with_dates("2027-03-09\n+262142-12-31"), vec![(Field::Meetings, Problem::Invalid)]);
        let mut opens = form();
        opens.opens_on = "+2027-02-01".into();
        assert_eq!(problems(opens.check(at("2027-01-10T12:00:00Z"))), vec![(Field::Opens, Problem::Invalid)]);
        let mut f = form();
        f.dates = "2027-03-14\n2027-03-21".into();
        f.time = "02:30".into();
        assert_eq!(problems(f.check(now)), vec![(Field::Time, Problem::SkippedTime)]);
    }

    #[test]
    fn an_intake_opens_then_closes_at_its_first_meeting_and_ends_after_its_last() {
        let opens = at("2027-02-01T05:00:00Z");
        let first = at("2027-03-02T14:30:00Z");
        let last = at("2027-03-23T15:30:00Z");
        let phase_at = |now: &str, closed| phase(opens, closed, first, last, at(now));
        assert_eq!(phase_at("2027-01-20T00:00:00Z", false), CohortPhase::NotYetOpen(opens));
        assert_eq!(phase_at("2027-02-01T05:00:00Z", false), CohortPhase::Open);
        assert_eq!(phase_at("2027-02-10T00:00:00Z", true), CohortPhase::Closed);
        assert_eq!(phase_at("2027-03-02T14:30:00Z", false), CohortPhase::Started);
        assert_eq!(phase_at("2027-03-23T15:30:00Z", false), CohortPhase::Finished);
        assert!(may_withdraw(at("2027-03-23T13:30:00Z"), at("2027-03-16T16:00:00Z")));
        // A last meeting whose end cannot be computed gives no phase rather than a panic.
        let max = DateTime::<Utc>::MAX_UTC;
        assert_eq!(last_end(&[first, max], 60), None);
        assert_eq!(phase_of(opens, false, &[first, max], 60, at("2027-02-10T00:00:00Z")), None);
        assert!(!may_withdraw(at("2027-03-23T13:30:00Z"), at("2027-03-23T13:30:00Z")));
    }

    #[test]
    fn the_next_intake_is_the_soonest_later_one_of_the_same_track() {
        let day = |d: i64| at("2027-01-01T14:30:00Z") + Duration::days(d);
        let current = Intake { id: 1, track: "leave", first_start: day(10) };
        let intakes = [
            current,
            Intake { id: 2, track: "leave", first_start: day(100) },
            Intake { id: 3, track: "leave", first_start: day(50) },
            Intake { id: 4, track: "other", first_start: day(20) },
            Intake { id: 5, track: "leave", first_start: day(5) },
        ];
        assert_eq!(next_intake(current, &intakes), Some(3));
        assert_eq!(next_intake(intakes[1], &intakes), None);
    }

    #[test]
    fn asking_to_hear_about_the_next_intake_needs_an_address_and_a_language() {
        let ask = |email: &str, language: &str| {
            InterestForm { email: email.into(), language: language.into() }.check()
        };
        assert_eq!(ask(" dee@example.ca ", "fr"), Ok(("dee@example.ca".into(), Locale::Fr)));
        let fields = |result: Result<(String, Locale), Vec<FieldError>>| {
            result.unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect::<Vec<_>>()
        };
        assert_eq!(fields(ask("not-an-address", "en")), vec![(Field::Email, Problem::InvalidEmail)]);
        assert_eq!(
            fields(ask("", "de")),
            vec![(Field::Email, Problem::Required), (Field::Language, Problem::Invalid)]
        );
    }

    #[test]
    fn registering_needs_the_eligibility_answer_and_the_agreement_even_for_everyone() {
        let mut f = CohortRegistrationForm {
            name: "Ada Lovelace".into(),
            email: "ada@example.ca".into(),
            career_stage: "resident".into(),
            province: "ON".into(),
            language: "en".into(),
            eligible: None,
            agreement: None,
            rules: Some("on".into()),
        };
        let missing = |result: Result<ValidRegistration, Vec<FieldError>>| {
            result.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>()
        };
        assert_eq!(missing(f.check(Audience::All)), vec![Field::Eligible, Field::Agreement]);
        assert_eq!(missing(f.check(Audience::ResidentsOnLeave)), vec![Field::Eligible, Field::Agreement]);
        f.eligible = Some("on".into());
        f.agreement = Some("on".into());
        assert_eq!(f.check(Audience::ResidentsOnLeave).unwrap().email_key, "ada@example.ca");
        f.career_stage = "fellow".into();
        assert_eq!(missing(f.check(Audience::ResidentsOnLeave)), vec![Field::CareerStage]);
    }
}
