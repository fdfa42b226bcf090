//! Application rounds: a coordinator opens a round and its groups, physicians apply until the
//! deadline (Eastern Time), and after it the draw ([`super::draw`]) places them. These are the
//! rules of the round and of its three forms; none of them touches storage or the clock.

use super::draw::{Preference, Setting};
use super::forms::{Field, FieldError, Problem, Problems, parse_date, schedule_problem};
use super::zones::{LocalTimeError, eastern, instant_at};
use crate::i18n::Locale;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A group has four to twelve people, one of them its facilitator, who is not drawn.
pub const MIN_GROUP_SEATS: u32 = 3;
pub const MAX_GROUP_SEATS: u32 = 11;
/// How long applicants' details may be kept after a round closes, at most.
pub const MAX_RETENTION_DAYS: u32 = 365;
/// The district value of an applicant whose district has no in-person group.
pub const OTHER_DISTRICT: &str = "other";

const MAX_SHORT: usize = 200;
const MAX_ANSWER: usize = 3_000;
const MAX_PHONE: usize = 30;

/// Where a round stands: taking applications (until its deadline), drawn (groups published),
/// closed (the program is under way; applicants' details are deleted after the retention time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundStatus {
    Open,
    Drawn,
    Closed,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Open => "open",
            RoundStatus::Drawn => "drawn",
            RoundStatus::Closed => "closed",
        }
    }
}

impl std::str::FromStr for RoundStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "open" => Ok(RoundStatus::Open),
            "drawn" => Ok(RoundStatus::Drawn),
            "closed" => Ok(RoundStatus::Closed),
            _ => Err(()),
        }
    }
}

/// Applications, and withdrawals, are taken strictly before the deadline.
pub fn accepts_applications(status: RoundStatus, deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == RoundStatus::Open && now < deadline
}

/// The draw runs once, after the deadline, so that every application counts.
pub fn may_draw(status: RoundStatus, deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == RoundStatus::Open && now >= deadline
}

/// When applicants' details must be gone: the retention the coordinator set, counted from the
/// draw, or from the deadline when no draw ran, so a round never closed keeps nothing for
/// ever; or later, when the round's survey still needs the members' addresses until
/// `needed_until` (its last links expire then). `None` only past the end of time.
pub fn purge_at(
    deadline: DateTime<Utc>,
    drawn_at: Option<DateTime<Utc>>,
    retention_days: u32,
    needed_until: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let retained =
        drawn_at.unwrap_or(deadline).checked_add_signed(Duration::days(i64::from(retention_days)))?;
    Some(needed_until.map_or(retained, |needed| needed.max(retained)))
}

pub fn purge_due(
    deadline: DateTime<Utc>,
    drawn_at: Option<DateTime<Utc>>,
    retention_days: u32,
    needed_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    purge_at(deadline, drawn_at, retention_days, needed_until).is_some_and(|at| now >= at)
}

pub fn preference_str(preference: Preference) -> &'static str {
    match preference {
        Preference::InPerson => "in_person",
        Preference::Virtual => "virtual",
        Preference::Either => "either",
    }
}

pub fn parse_preference(s: &str) -> Option<Preference> {
    match s {
        "in_person" => Some(Preference::InPerson),
        "virtual" => Some(Preference::Virtual),
        "either" => Some(Preference::Either),
        _ => None,
    }
}

/// A round as a coordinator types it. The deadline is a date and time in Eastern Time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub title_en: String,
    pub title_fr: String,
    pub description_en: String,
    pub description_fr: String,
    pub date: String,
    pub time: String,
    /// A checkbox: present when applicants may answer "either".
    pub allow_either: Option<String>,
    pub retention_days: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRound {
    pub title: (String, String),
    pub description: (String, String),
    pub deadline: DateTime<Utc>,
    pub allow_either: bool,
    pub retention_days: u32,
}

impl RoundForm {
    pub fn check(&self, now: DateTime<Utc>) -> Result<ValidRound, Vec<FieldError>> {
        let mut problems = Problems::default();
        let title = (
            problems.required_text(Field::Title, &self.title_en, MAX_SHORT).to_string(),
            problems.required_text(Field::Title, &self.title_fr, MAX_SHORT).to_string(),
        );
        let description = (
            problems.required_text(Field::Description, &self.description_en, MAX_ANSWER).to_string(),
            problems.required_text(Field::Description, &self.description_fr, MAX_ANSWER).to_string(),
        );
        let date = problems.parsed(Field::Date, &self.date, parse_date);
        let time = problems.parsed(Field::Time, &self.time, |s| NaiveTime::parse_from_str(s, "%H:%M").ok());
        let deadline = match (date, time) {
            (Some(date), Some(time)) => match instant_at(date.and_time(time), eastern()) {
                Ok(deadline) => match schedule_problem(deadline, now) {
                    Some(problem) => {
                        problems.add(Field::Date, problem);
                        None
                    }
                    None => Some(deadline),
                },
                Err(LocalTimeError::Skipped) => {
                    problems.add(Field::Time, Problem::SkippedTime);
                    None
                }
                Err(LocalTimeError::OutOfRange) => {
                    problems.add(Field::Date, Problem::Invalid);
                    None
                }
            },
            _ => None,
        };
        let retention_days = problems.number(Field::Retention, &self.retention_days, 0..=MAX_RETENTION_DAYS);
        problems.finish(|| ValidRound {
            title,
            description,
            deadline: deadline.expect("checked"),
            allow_either: self.allow_either.is_some(),
            retention_days,
        })
    }
}

/// A group as a coordinator adds it to a round.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    pub name_en: String,
    pub name_fr: String,
    /// `in_person` or `virtual`: a group is never both.
    pub setting: String,
    /// For an in-person group: the district its members come from.
    pub district: String,
    pub seats: String,
    /// The facilitator's account, if one is assigned already.
    pub facilitator_account: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidGroup {
    pub name: (String, String),
    pub setting: Setting,
    pub seats: u32,
    pub facilitator_account: Option<i32>,
}

impl GroupForm {
    pub fn check(&self) -> Result<ValidGroup, Vec<FieldError>> {
        let mut problems = Problems::default();
        let name = (
            problems.required_text(Field::Name, &self.name_en, MAX_SHORT).to_string(),
            problems.required_text(Field::Name, &self.name_fr, MAX_SHORT).to_string(),
        );
        let setting = match self.setting.as_str() {
            "virtual" => Some(Setting::Virtual),
            "in_person" => {
                let district = problems.required_text(Field::District, &self.district, MAX_SHORT);
                if district == OTHER_DISTRICT {
                    problems.add(Field::District, Problem::Invalid);
                }
                Some(Setting::InPerson { district: district.to_string() })
            }
            _ => {
                problems.add(Field::Setting, Problem::Required);
                None
            }
        };
        let seats = problems.number(Field::Seats, &self.seats, MIN_GROUP_SEATS..=MAX_GROUP_SEATS);
        let facilitator_account = self.facilitator_account.trim().parse::<i32>().ok();
        problems.finish(|| ValidGroup {
            name,
            setting: setting.expect("checked"),
            seats,
            facilitator_account,
        })
    }
}

/// What a round offers, which decides the choices an application may make.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Districts with an in-person group, in the order the form lists them.
    pub districts: Vec<String>,
    pub has_virtual: bool,
    pub allow_either: bool,
}

impl Offer {
    /// Whether someone from `district` answering `preference` could be placed at all.
    pub fn can_place(&self, district: &str, preference: Preference) -> bool {
        let in_person = self.districts.iter().any(|offered| offered == district);
        match preference {
            Preference::InPerson => in_person,
            Preference::Virtual => self.has_virtual,
            Preference::Either => self.allow_either && (in_person || self.has_virtual),
        }
    }
}

/// An application as typed: strings throughout, so nothing is lost when it comes back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub name: String,
    pub specialty: String,
    pub city: String,
    pub district: String,
    pub email: String,
    pub phone: String,
    pub motivation: String,
    pub preference: String,
    pub benefit: String,
    /// The language of the emails about this application.
    pub language: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidApplication {
    pub name: String,
    pub specialty: String,
    pub city: String,
    pub district: String,
    pub email: String,
    /// Trimmed and lowercased: one application per address and round.
    pub email_key: String,
    pub phone: String,
    pub motivation: String,
    pub preference: Preference,
    pub benefit: String,
    pub language: Locale,
}

impl ApplicationForm {
    pub fn check(&self, offer: &Offer) -> Result<ValidApplication, Vec<FieldError>> {
        let mut problems = Problems::default();
        let name = problems.required_text(Field::Name, &self.name, MAX_SHORT).to_string();
        let specialty = problems.required_text(Field::Specialty, &self.specialty, MAX_SHORT).to_string();
        let city = problems.required_text(Field::City, &self.city, MAX_SHORT).to_string();
        let district = self.district.trim().to_string();
        let district_known = district == OTHER_DISTRICT || offer.districts.contains(&district);
        if !district_known {
            problems.add(Field::District, Problem::Required);
        }
        let email = problems.email(&self.email);
        let phone = problems.required_text(Field::Phone, &self.phone, MAX_PHONE).to_string();
        if !phone.is_empty() && phone.chars().count() <= MAX_PHONE && !looks_like_phone(&phone) {
            problems.add(Field::Phone, Problem::Invalid);
        }
        let motivation = problems.required_text(Field::Motivation, &self.motivation, MAX_ANSWER).to_string();
        let preference = parse_preference(&self.preference)
            .filter(|preference| *preference != Preference::Either || offer.allow_either);
        match preference {
            None => problems.add(Field::Preference, Problem::Required),
            Some(preference) if district_known && !offer.can_place(&district, preference) => {
                problems.add(Field::Preference, Problem::NoMatchingGroup);
            }
            Some(_) => {}
        }
        let benefit = problems.required_text(Field::Benefit, &self.benefit, MAX_ANSWER).to_string();
        let language = self.language.parse::<Locale>().ok();
        if language.is_none() {
            problems.add(Field::Language, Problem::Required);
        }
        problems.finish(|| ValidApplication {
            name,
            specialty,
            city,
            district,
            email_key: email.to_lowercase(),
            email,
            phone,
            motivation,
            preference: preference.expect("checked"),
            benefit,
            language: language.expect("checked"),
        })
    }
}

/// Digits with the usual separators, seven to fifteen digits (E.164 allows at most fifteen).
pub fn looks_like_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits) && phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
    }

    fn offer() -> Offer {
        Offer { districts: vec!["7".into(), "11".into()], has_virtual: true, allow_either: true }
    }

    fn application() -> ApplicationForm {
        ApplicationForm {
            name: "Dre Anne Tremblay".into(),
            specialty: "Médecine familiale".into(),
            city: "Ottawa".into(),
            district: "11".into(),
            email: " Anne@Example.ca ".into(),
            phone: "+1 (613) 555-0100".into(),
            motivation: "Parler avec des pairs.".into(),
            preference: "either".into(),
            benefit: "Moins d'isolement.".into(),
            language: "fr".into(),
        }
    }

    fn problems(result: Result<ValidApplication, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.unwrap_err().into_iter().map(|error| (error.field, error.problem)).collect()
    }

    #[test]
    fn a_complete_application_is_accepted_with_its_address_normalised() {
        let valid = application().check(&offer()).unwrap();
        assert_eq!(valid.email, "Anne@Example.ca");
        assert_eq!(valid.email_key, "anne@example.ca");
        assert_eq!(valid.preference, Preference::Either);
        assert_eq!(valid.language, Locale::Fr);
    }

    #[test]
    fn every_empty_field_is_reported_at_once() {
        let reported = problems(ApplicationForm::default().check(&offer()));
        for field in [
            Field::Name,
            Field::Specialty,
            Field::City,
            Field::District,
            Field::Email,
            Field::Phone,
            Field::Motivation,
            Field::Preference,
            Field::Benefit,
            Field::Language,
        ] {
            assert!(reported.contains(&(field, Problem::Required)), "{field:?} in {reported:?}");
        }
    }

    #[test]
    fn the_preference_must_lead_to_a_group_the_round_offers() {
        let mut in_person_elsewhere = application();
        in_person_elsewhere.district = OTHER_DISTRICT.into();
        in_person_elsewhere.preference = "in_person".into();
        assert_eq!(
            problems(in_person_elsewhere.check(&offer())),
            [(Field::Preference, Problem::NoMatchingGroup)]
        );
        in_person_elsewhere.preference = "virtual".into();
        assert!(in_person_elsewhere.check(&offer()).is_ok());

        let no_either = Offer { allow_either: false, ..offer() };
        assert_eq!(problems(application().check(&no_either)), [(Field::Preference, Problem::Required)]);
        let mut unknown_district = application();
        unknown_district.district = "42".into();
        assert_eq!(problems(unknown_district.check(&offer())), [(Field::District, Problem::Required)]);
    }

    #[test]
    fn bad_addresses_phones_and_overlong_answers_are_refused() {
        let mut form = application();
        form.email = "anne@".into();
        form.phone = "call me".into();
        form.motivation = "x".repeat(MAX_ANSWER + 1);
        assert_eq!(
            problems(form.check(&offer())),
            [
                (Field::Email, Problem::InvalidEmail),
                (Field::Phone, Problem::Invalid),
                (Field::Motivation, Problem::TooLong)
            ]
        );
        assert!(looks_like_phone("613.555.0100"));
        assert!(!looks_like_phone("555-01"));
    }

    fn round_form() -> RoundForm {
        RoundForm {
            title_en: "Mutual support groups 2027".into(),
            title_fr: "Groupes d'entraide 2027".into(),
            description_en: "Peer groups for a year.".into(),
            description_fr: "Des groupes de pairs pendant un an.".into(),
            date: "2026-04-29".into(),
            time: "23:59".into(),
            allow_either: Some("on".into()),
            retention_days: "90".into(),
        }
    }

    #[test]
    fn a_round_deadline_is_read_in_eastern_time_and_must_be_ahead() {
        let round = round_form().check(now()).unwrap();
        // 23:59 EDT on April 29 is 03:59 UTC on April 30.
        assert_eq!(round.deadline, Utc.with_ymd_and_hms(2026, 4, 30, 3, 59, 0).unwrap());
        assert!(round.allow_either);
        assert_eq!(round.retention_days, 90);

        let mut past = round_form();
        past.date = "2026-02-01".into();
        assert_eq!(
            past.check(now()).unwrap_err()[0],
            FieldError { field: Field::Date, problem: Problem::InPast }
        );
        let mut far = round_form();
        far.date = "2028-04-29".into();
        assert_eq!(
            far.check(now()).unwrap_err()[0],
            FieldError { field: Field::Date, problem: Problem::TooFarAhead }
        );
        far.date = "+262142-12-31".into();
        assert_eq!(
            far.check(now()).unwrap_err()[0],
            FieldError { field: Field::Date, problem: Problem::Invalid }
        );
        let mut skipped = round_form();
        skipped.date = "2026-03-08".into();
        skipped.time = "02:30".into();
        assert_eq!(
            skipped.check(now()).unwrap_err()[0],
            FieldError { field: Field::Time, problem: Problem::SkippedTime }
        );
        let mut too_long = round_form();
        too_long.retention_days = "400".into();
        assert_eq!(
            too_long.check(now()).unwrap_err()[0],
            FieldError { field: Field::Retention, problem: Problem::OutOfRange }
        );
    }

    #[test]
    fn groups_hold_three_to_eleven_members_and_in_person_ones_name_a_district() {
        let group = GroupForm {
            name_en: "District 11".into(),
            name_fr: "District 11".into(),
            setting: "in_person".into(),
            district: "11".into(),
            seats: "11".into(),
            facilitator_account: String::new(),
        };
        assert_eq!(group.check().unwrap().setting, Setting::InPerson { district: "11".into() });
        for (seats, ok) in [("2", false), ("3", true), ("11", true), ("12", false)] {
            assert_eq!(GroupForm { seats: seats.into(), ..group.clone() }.check().is_ok(), ok, "{seats}");
        }
        let no_district = GroupForm { district: " ".into(), ..group.clone() };
        assert_eq!(no_district.check().unwrap_err()[0].field, Field::District);
        let hybrid = GroupForm { setting: "hybrid".into(), ..group };
        assert_eq!(
            hybrid.check().unwrap_err()[0],
            FieldError { field: Field::Setting, problem: Problem::Required }
        );
    }

    #[test]
    fn applications_and_the_draw_are_on_either_side_of_the_deadline() {
        let deadline = now();
        let before = deadline - Duration::seconds(1);
        assert!(accepts_applications(RoundStatus::Open, deadline, before));
        assert!(!accepts_applications(RoundStatus::Open, deadline, deadline));
        assert!(!may_draw(RoundStatus::Open, deadline, before));
        assert!(may_draw(RoundStatus::Open, deadline, deadline));
        assert!(!may_draw(RoundStatus::Drawn, deadline, deadline));
        assert!(!purge_due(deadline, None, 30, None, deadline + Duration::days(29)));
        assert!(
            purge_due(deadline, None, 30, None, deadline + Duration::days(30)),
            "never drawn: from the deadline"
        );
        let drawn = deadline + Duration::days(10);
        assert!(!purge_due(deadline, Some(drawn), 30, None, deadline + Duration::days(30)));
        assert!(purge_due(deadline, Some(drawn), 30, None, drawn + Duration::days(30)), "from the draw");
        assert!(!purge_due(deadline, None, 30, None, DateTime::<Utc>::MIN_UTC));
        assert_eq!(purge_at(DateTime::<Utc>::MAX_UTC, None, 1, None), None);
        // A survey that still needs the addresses holds the purge back, never brings it forward.
        let survey_ends = drawn + Duration::days(400);
        assert!(!purge_due(deadline, Some(drawn), 30, Some(survey_ends), drawn + Duration::days(30)));
        assert!(purge_due(deadline, Some(drawn), 30, Some(survey_ends), survey_ends));
        assert_eq!(purge_at(deadline, Some(drawn), 30, Some(drawn)), Some(drawn + Duration::days(30)));
    }
}
