//! The session a facilitator schedules: what the form must contain, and the instants its
//! weekly occurrences fall on. Times are typed in a chosen zone (Eastern by default) and stored
//! as instants; a weekly series keeps the typed wall-clock time across daylight-saving changes.

use super::forms::{Field, FieldError, Problem, Problems, parse_date, schedule_problem};
use super::recurrence::{RecurrenceError, weekly};
use super::session::{Audience, MAX_CAPACITY, SessionLanguage};
use super::zones::{Zone, parse_zone};
use crate::model::{Bilingual, SeriesInfo};
use chrono::{DateTime, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

pub const MIN_DURATION: u32 = 15;
pub const MAX_DURATION: u32 = 240;
/// A half-year of weekly sessions in one go.
pub const MAX_REPEAT: u32 = 26;
const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 5_000;
pub(crate) const MAX_LINK: usize = 500;

/// The form as typed, every field a string so nothing is lost when it comes back with errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub format: String,
    pub title_en: String,
    pub title_fr: String,
    pub description_en: String,
    pub description_fr: String,
    pub date: String,
    pub time: String,
    pub zone: String,
    pub duration: String,
    pub capacity: String,
    pub audience: String,
    pub language: String,
    pub meeting_link: String,
    pub series_name_en: String,
    pub series_name_fr: String,
    pub series_part: String,
    /// How many weekly occurrences to create (new sessions only).
    pub repeat: String,
}

/// A checked form, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSession {
    pub format_slug: String,
    pub title: Bilingual,
    pub description: Bilingual,
    /// When each occurrence starts: one for an edit, `repeat` for a new weekly series.
    pub starts: Vec<DateTime<Utc>>,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub audience: Audience,
    pub language: SessionLanguage,
    pub meeting_link: Option<String>,
    pub series: Option<SeriesInfo>,
}

fn bilingual(problems: &mut Problems, field: Field, en: &str, fr: &str, max: usize) -> Bilingual {
    let text =
        Bilingual { en: problems.optional_text(field, en, max), fr: problems.optional_text(field, fr, max) };
    if text.en.is_none() && text.fr.is_none() {
        problems.add(field, Problem::Required);
    }
    text
}

/// Checks a session form. `repeats` is false when editing one existing session.
pub fn validate(
    form: &SessionForm,
    repeats: bool,
    now: DateTime<Utc>,
) -> Result<ValidSession, Vec<FieldError>> {
    let mut problems = Problems::default();
    let format_slug = problems.required_text(Field::Format, &form.format, 64).to_string();
    let title = bilingual(&mut problems, Field::Title, &form.title_en, &form.title_fr, MAX_TITLE);
    let description = bilingual(
        &mut problems,
        Field::Description,
        &form.description_en,
        &form.description_fr,
        MAX_DESCRIPTION,
    );

    let first = first_start(&mut problems, form);
    let duration_minutes = problems.number(Field::Duration, &form.duration, MIN_DURATION..=MAX_DURATION);
    let capacity = problems.number(Field::Capacity, &form.capacity, 1..=MAX_CAPACITY);
    let repeat = if repeats { problems.number(Field::Repeat, &form.repeat, 1..=MAX_REPEAT) } else { 1 };
    let audience = form.audience.parse::<Audience>().ok();
    if audience.is_none() {
        problems.add(Field::Audience, Problem::Required);
    }
    let language = form.language.parse::<SessionLanguage>().ok();
    if language.is_none() {
        problems.add(Field::SpokenLanguage, Problem::Required);
    }
    let meeting_link = problems.optional_text(Field::MeetingLink, &form.meeting_link, MAX_LINK);
    if meeting_link.as_deref().is_some_and(|link| !is_meeting_link(link)) {
        problems.add(Field::MeetingLink, Problem::Invalid);
    }
    let series_name = Bilingual {
        en: problems.optional_text(Field::SeriesPart, &form.series_name_en, MAX_TITLE),
        fr: problems.optional_text(Field::SeriesPart, &form.series_name_fr, MAX_TITLE),
    };
    let series = if series_name.en.is_some() || series_name.fr.is_some() {
        let part = problems.number(Field::SeriesPart, &form.series_part, 1..=99);
        Some(SeriesInfo { name: series_name, part })
    } else {
        None
    };

    let starts = match first {
        Some((first, zone)) => occurrences(&mut problems, first, zone, repeat, now),
        None => Vec::new(),
    };
    problems.finish(|| ValidSession {
        format_slug,
        title,
        description,
        starts,
        duration_minutes,
        capacity,
        audience: audience.expect("checked"),
        language: language.expect("checked"),
        meeting_link,
        series,
    })
}

/// The date and time typed, and the zone they are in.
fn first_start(problems: &mut Problems, form: &SessionForm) -> Option<(NaiveDateTime, &'static Zone)> {
    let date = problems.parsed(Field::Date, &form.date, parse_date);
    let time = problems.parsed(Field::Time, &form.time, |s| NaiveTime::parse_from_str(s, "%H:%M").ok());
    let zone = parse_zone(&form.zone);
    if zone.is_none() {
        problems.add(Field::Zone, Problem::Invalid);
    }
    Some((date?.and_time(time?), zone?))
}

/// The instant the form's date, time and zone name, read exactly as [`validate`] reads them,
/// so what the form previews is what is stored. `None` while they do not name one.
pub fn typed_start(form: &SessionForm) -> Option<DateTime<Utc>> {
    let (first, zone) = first_start(&mut Problems::default(), form)?;
    weekly(first, zone, 1).ok()?.first().copied()
}

fn occurrences(
    problems: &mut Problems,
    first: NaiveDateTime,
    zone: &Zone,
    repeat: u32,
    now: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    match weekly(first, zone, repeat) {
        Ok(starts) => {
            if let Some(problem) = starts.first().and_then(|start| schedule_problem(*start, now)) {
                problems.add(Field::Date, problem);
            }
            starts
        }
        Err(RecurrenceError::Skipped { .. }) => {
            problems.add(Field::Time, Problem::SkippedTime);
            Vec::new()
        }
        Err(RecurrenceError::Count) => {
            problems.add(Field::Repeat, Problem::OutOfRange);
            Vec::new()
        }
        Err(RecurrenceError::OutOfRange { .. }) => {
            problems.add(Field::Date, Problem::Invalid);
            Vec::new()
        }
    }
}

/// A video-meeting address: https, a host, no spaces.
pub(crate) fn is_meeting_link(link: &str) -> bool {
    link.strip_prefix("https://").is_some_and(|rest| {
        !rest.is_empty() && !rest.starts_with('/') && !link.chars().any(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::zones::reference_time;
    use chrono::Timelike;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").unwrap().to_utc()
    }

    fn form() -> SessionForm {
        SessionForm {
            format: "peer-support".into(),
            title_en: "Evening circle".into(),
            description_en: "Bring what is on your mind.".into(),
            date: "2027-03-02".into(),
            time: "19:00".into(),
            zone: "America/Toronto".into(),
            duration: "90".into(),
            capacity: "30".into(),
            audience: "all".into(),
            language: "en".into(),
            meeting_link: "https://meet.example.ca/abc".into(),
            repeat: "3".into(),
            ..Default::default()
        }
    }

    fn problems(result: Result<ValidSession, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.err().unwrap_or_default().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_weekly_series_keeps_seven_pm_eastern_across_the_march_switch() {
        let valid = validate(&form(), true, now()).unwrap();
        assert_eq!(valid.starts.len(), 3);
        assert!(valid.starts.iter().all(|t| reference_time(*t).hour() == 19));
        assert_eq!(valid.title.fr, None, "one language is allowed");
        assert_eq!(valid.series, None);
    }

    #[test]
    fn a_time_typed_in_vancouver_is_stored_as_the_same_instant() {
        let mut pacific = form();
        pacific.zone = "America/Vancouver".into();
        pacific.time = "17:00".into();
        pacific.repeat = "1".into();
        let valid = validate(&pacific, true, now()).unwrap();
        // British Columbia keeps UTC−7 all year since 2026-11-01: two hours behind Toronto
        // in winter.
        assert_eq!(reference_time(valid.starts[0]).hour(), 19);
    }

    #[test]
    fn the_preview_names_the_instant_that_is_stored() {
        let mut pacific = form();
        pacific.zone = "America/Vancouver".into();
        pacific.date = "2026-12-09".into();
        pacific.time = "17:00".into();
        let stored = validate(&pacific, true, now()).unwrap().starts[0];
        assert_eq!(typed_start(&pacific), Some(stored));
        assert_eq!(stored.to_rfc3339(), "2026-12-10T00:00:00+00:00");
        pacific.zone = "Europe/Paris".into();
        assert_eq!(typed_start(&pacific), None);
        let half_typed = SessionForm { date: "2026-12-09".into(), zone: "UTC".into(), ..Default::default() };
        assert_eq!(typed_start(&half_typed), None);
    }

    #[test]
    fn edits_create_one_occurrence_whatever_the_repeat_field_says() {
        let mut edit = form();
        edit.repeat = "nonsense".into();
        assert_eq!(validate(&edit, false, now()).unwrap().starts.len(), 1);
    }

    #[test]
    fn every_problem_is_reported() {
        let empty = SessionForm { zone: "Mars/Olympus".into(), ..Default::default() };
        assert_eq!(
            problems(validate(&empty, true, now())),
            [
                (Field::Format, Problem::Required),
                (Field::Title, Problem::Required),
                (Field::Description, Problem::Required),
                (Field::Date, Problem::Required),
                (Field::Time, Problem::Required),
                (Field::Zone, Problem::Invalid),
                (Field::Duration, Problem::Required),
                (Field::Capacity, Problem::Required),
                (Field::Repeat, Problem::Required),
                (Field::Audience, Problem::Required),
                (Field::SpokenLanguage, Problem::Required),
            ]
        );
    }

    #[test]
    fn ranges_links_past_dates_and_skipped_times() {
        let mut f = form();
        f.capacity = "31".into();
        f.duration = "5".into();
        f.repeat = "27".into();
        f.meeting_link = "http://insecure.example".into();
        assert_eq!(
            problems(validate(&f, true, now())),
            [
                (Field::Duration, Problem::OutOfRange),
                (Field::Capacity, Problem::OutOfRange),
                (Field::Repeat, Problem::OutOfRange),
                (Field::MeetingLink, Problem::Invalid),
            ]
        );
        let mut past = form();
        past.date = "2026-11-01".into();
        assert_eq!(problems(validate(&past, true, now())), [(Field::Date, Problem::InPast)]);
        let mut skipped = form();
        skipped.date = "2027-03-14".into();
        skipped.time = "02:30".into();
        assert_eq!(problems(validate(&skipped, true, now())), [(Field::Time, Problem::SkippedTime)]);
        let mut far = form();
        far.date = "2029-03-02".into();
        assert_eq!(problems(validate(&far, true, now())), [(Field::Date, Problem::TooFarAhead)]);
        far.date = "+262142-12-31".into();
        assert_eq!(problems(validate(&far, true, now())), [(Field::Date, Problem::Invalid)]);
        let mut series = form();
        series.series_name_en = "Sleep".into();
        assert_eq!(problems(validate(&series, true, now())), [(Field::SeriesPart, Problem::Required)]);
        series.series_part = "2".into();
        assert_eq!(validate(&series, true, now()).unwrap().series.map(|s| s.part), Some(2));
    }
}
