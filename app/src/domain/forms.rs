//! What can be wrong with a form, field by field, for every form of the product. Field and
//! problem are codes; the views turn each pair into a translated sentence.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How far ahead anything can be scheduled (a session, a cohort's meetings, a round's
/// deadline): two years. Nothing the program plans lies further, and every date computed from
/// a scheduled one (an end, a reminder, a calendar week) then stays far inside what the
/// date types can hold.
pub const SCHEDULE_HORIZON: TimeDelta = TimeDelta::days(2 * 366);

/// Whether `at` lies beyond the scheduling horizon seen from `now`.
pub fn beyond_horizon(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    // A horizon past the last representable instant has nothing beyond it.
    now.checked_add_signed(SCHEDULE_HORIZON).is_some_and(|limit| at > limit)
}

/// A date as forms and URLs give it: exactly `YYYY-MM-DD`, a four-digit year and no sign.
/// The one parser for dates people type or put in addresses, so no date from outside can
/// reach the far years the date types allow.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let (year, month, rest) = year_month(s)?;
    let day = rest.strip_prefix('-').filter(|d| d.len() == 2)?;
    NaiveDate::from_ymd_opt(year, month, digits(day)?)
}

/// A month as URLs give it: exactly `YYYY-MM`, as a year and a month from 1 to 12.
pub fn parse_month(s: &str) -> Option<(i32, u32)> {
    match year_month(s)? {
        (year, month, "") if (1..=12).contains(&month) => Some((year, month)),
        _ => None,
    }
}

/// `YYYY-MM` at the start of `s`, and what follows it.
fn year_month(s: &str) -> Option<(i32, u32, &str)> {
    let year = s.get(..4)?;
    let month = s.get(4..7)?.strip_prefix('-')?;
    Some((i32::try_from(digits(year)?).ok()?, digits(month)?, &s[7..]))
}

/// A run of ASCII digits as a number (`str::parse` alone would also take a sign).
fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Declares a code of a form's problems (`Field`, `Problem`) that crosses the wire as its
/// position in the list, a small number, rather than as its name: the browser bundle decodes it
/// by looking it up in `ALL` instead of carrying a match on every name, twice over (for the
/// islands' props and for server-function errors).
macro_rules! wire_code {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        // A byte, so the cast below loses nothing: a 257th code would not compile.
        #[repr(u8)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $name {
            /// Every code, in the order of their numbers on the wire.
            pub const ALL: &[$name] = &[$($name::$variant,)*];
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u8(*self as u8)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = u8::deserialize(deserializer)?;
                Self::ALL
                    .get(usize::from(code))
                    .copied()
                    .ok_or_else(|| serde::de::Error::custom(concat!("unknown ", stringify!($name))))
            }
        }
    };
}

wire_code! {
pub enum Field {
    // Registration
    Name,
    Email,
    CareerStage,
    Province,
    Language,
    Eligible,
    Rules,
    // Sessions
    Format,
    Title,
    Description,
    Date,
    Time,
    Zone,
    Duration,
    Capacity,
    Audience,
    /// The language a session is held in (not the registrant's email language).
    SpokenLanguage,
    MeetingLink,
    SeriesPart,
    Repeat,
    // Accounts
    Password,
    Credentials,
    // Messages to registrants
    Subject,
    Body,
    // Application rounds
    Specialty,
    City,
    District,
    Phone,
    Motivation,
    Preference,
    Benefit,
    /// In person or virtual, for a group.
    Setting,
    /// Members of a group besides its facilitator.
    Seats,
    /// Days applicants' details are kept after a round closes.
    Retention,
    // Cohort groups
    /// The short name shared by the intakes of one program.
    Track,
    /// The eligibility question a cohort asks.
    Question,
    /// The confidentiality agreement a cohort's participants accept.
    AgreementText,
    /// Accepting that agreement, when registering.
    Agreement,
    /// The dates of a cohort's meetings.
    Meetings,
    /// The day registration opens.
    Opens,
    /// Who leads a cohort.
    Facilitator,
    // Evaluations
    /// The evaluation as a whole: at least one question answered, each with a value it offers.
    Answers,
    /// The free-text answer of an evaluation.
    Comment,
    /// An evaluation's question set, as a coordinator writes it.
    Questions,
    /// The months after a round's start when its survey's follow-ups go out.
    FollowUps,
    // The support directory
    /// A support line's name.
    LineName,
    Website,
    /// When a support line answers.
    Hours,
    /// A gratitude story's text.
    Story,
    /// How a story's author is shown.
    ShownAs,
    /// That a story's author is a physician or a medical learner (the wall's own wording of
    /// [`Field::Eligible`], whose sentence speaks of a session).
    Colleague,
    // The resources library
    /// A resource's title, in either language.
    ResourceTitle,
    /// A resource's summary, in either language.
    Summary,
    /// Where a resource lives on the web (or the choice between a link and a PDF).
    ResourceLink,
    /// An uploaded PDF.
    Pdf,
    /// The topics a resource is filed under.
    Topics,
    /// Who a resource is written for.
    Readers,
    /// A topic's name, in the managed list.
    TopicName,
}
}

impl Field {
    /// The form control's `name`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::CareerStage => "career_stage",
            Field::Province => "province",
            Field::Language => "language",
            Field::Eligible => "eligible",
            Field::Rules => "rules",
            Field::Format => "format",
            Field::Title => "title_en",
            Field::Description => "description_en",
            Field::Date => "date",
            Field::Time => "time",
            Field::Zone => "zone",
            Field::Duration => "duration",
            Field::Capacity => "capacity",
            Field::Audience => "audience",
            Field::SpokenLanguage => "language",
            Field::MeetingLink => "meeting_link",
            Field::SeriesPart => "series_part",
            Field::Repeat => "repeat",
            Field::Password => "password",
            Field::Credentials => "credentials_en",
            Field::Subject => "subject",
            Field::Body => "body",
            Field::Specialty => "specialty",
            Field::City => "city",
            Field::District => "district",
            Field::Phone => "phone",
            Field::Motivation => "motivation",
            Field::Preference => "preference",
            Field::Benefit => "benefit",
            Field::Setting => "setting",
            Field::Seats => "seats",
            Field::Retention => "retention_days",
            Field::Track => "track",
            Field::Question => "eligibility_en",
            Field::AgreementText => "agreement_en",
            Field::Agreement => "agreement",
            Field::Meetings => "dates",
            Field::Opens => "opens_on",
            Field::Facilitator => "facilitator_id",
            Field::Answers => "supported",
            Field::Comment => "helped",
            Field::Questions => "questions_en",
            Field::FollowUps => "follow_ups",
            Field::LineName => "name_en",
            Field::Website => "website",
            Field::Hours => "hours_en",
            Field::Story => "story",
            Field::ShownAs => "shown_as",
            Field::Colleague => "eligible",
            Field::ResourceTitle => "title_en",
            Field::Summary => "summary_en",
            Field::ResourceLink => "link",
            Field::Pdf => "file",
            Field::Topics => "topics",
            Field::Readers => "audience",
            Field::TopicName => "topic_en",
        }
    }
}

wire_code! {
pub enum Problem {
    Required,
    TooLong,
    InvalidEmail,
    /// The career stage does not fit the session's audience.
    NotInAudience,
    /// Not a date, time, number or choice the form offers.
    Invalid,
    /// Outside the allowed range (capacity 1–30, duration 15–240 minutes, …).
    OutOfRange,
    /// A start time that has already passed.
    InPast,
    /// Further ahead than anything can be scheduled ([`SCHEDULE_HORIZON`]).
    TooFarAhead,
    /// A local time the clocks skip on the day daylight saving starts.
    SkippedTime,
    /// Lower than the number of people already registered.
    BelowRegistered,
    /// Shorter than the minimum length.
    TooShort,
    /// Two entries that must be the same differ (a password and its confirmation).
    Mismatch,
    /// A choice that leads to no group the round offers (in person where there is none).
    NoMatchingGroup,
}
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

/// Collects problems while checking a form.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }

    /// `value` trimmed, or a problem if it is empty, longer than `max` characters, or holds
    /// control characters ([`stray_control`]).
    pub fn required_text<'a>(&mut self, field: Field, value: &'a str, max: usize) -> &'a str {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, Problem::Required);
        } else if value.chars().count() > max {
            self.add(field, Problem::TooLong);
        } else if stray_control(value) {
            self.add(field, Problem::Invalid);
        }
        value
    }

    /// `value` trimmed, `None` when empty, or a problem when longer than `max` characters or
    /// holding control characters ([`stray_control`]).
    pub fn optional_text(&mut self, field: Field, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        if value.chars().count() > max {
            self.add(field, Problem::TooLong);
        } else if stray_control(value) {
            self.add(field, Problem::Invalid);
        }
        (!value.is_empty()).then(|| value.to_string())
    }

    /// An email address, trimmed, or a problem when it is missing, longer than SMTP allows, or
    /// not shaped like an address.
    pub fn email(&mut self, value: &str) -> String {
        const MAX_EMAIL: usize = 254;
        let email = self.required_text(Field::Email, value, MAX_EMAIL);
        if !email.is_empty() && email.chars().count() <= MAX_EMAIL && !looks_like_email(email) {
            self.add(Field::Email, Problem::InvalidEmail);
        }
        email.to_string()
    }

    /// A whole number in `range`; a problem (and the range's start, to carry on checking)
    /// when it is missing, not a number, or outside.
    pub fn number(&mut self, field: Field, value: &str, range: std::ops::RangeInclusive<u32>) -> u32 {
        match value.trim().parse::<u32>() {
            Ok(n) if range.contains(&n) => n,
            Ok(_) => {
                self.add(field, Problem::OutOfRange);
                *range.start()
            }
            Err(_) => {
                self.add(field, if value.trim().is_empty() { Problem::Required } else { Problem::Invalid });
                *range.start()
            }
        }
    }

    /// `value` read by `parse`, or a problem: `Required` when empty, `Invalid` otherwise.
    pub fn parsed<T>(
        &mut self,
        field: Field,
        value: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let value = value.trim();
        let parsed = parse(value);
        if parsed.is_none() {
            self.add(field, if value.is_empty() { Problem::Required } else { Problem::Invalid });
        }
        parsed
    }

    /// The checked value when nothing was wrong; `value` runs only then, so it may rely on
    /// every check having passed.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value()) } else { Err(self.0) }
    }
}

/// The problem with scheduling something at `at`, if any: passed, or beyond the horizon.
pub fn schedule_problem(at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Problem> {
    if at <= now {
        Some(Problem::InPast)
    } else if beyond_horizon(at, now) {
        Some(Problem::TooFarAhead)
    } else {
        None
    }
}

/// Whether `text` holds a control character other than a line break or a tab. No form field
/// means one: a NUL cannot be stored in PostgreSQL text, and the others hide or garble text
/// in pages, emails and rosters.
pub fn stray_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A pragmatic check: one `@`, something before it, a dotted domain after it, no spaces.
/// The confirmation email is the real test.
pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_cross_the_wire_as_numbers_and_come_back() {
        for (position, field) in Field::ALL.iter().enumerate() {
            assert_eq!(*field as usize, position);
        }
        for (position, problem) in Problem::ALL.iter().enumerate() {
            assert_eq!(*problem as usize, position);
        }
        let errors = vec![
            FieldError { field: Field::Email, problem: Problem::InvalidEmail },
            FieldError { field: Field::TopicName, problem: Problem::NoMatchingGroup },
        ];
        let text = serde_json::to_string(&errors).unwrap();
        assert_eq!(text, r#"[{"field":1,"problem":2},{"field":57,"problem":12}]"#);
        assert_eq!(serde_json::from_str::<Vec<FieldError>>(&text).unwrap(), errors);
        assert!(serde_json::from_str::<Field>("58").is_err());
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn texts_refuse_control_characters_but_keep_line_breaks_and_tabs() {
        let mut problems = Problems::default();
        assert_eq!(problems.required_text(Field::City, "Mont\0réal", 50), "Mont\0réal");
        assert_eq!(
            problems.optional_text(Field::Motivation, "a\u{1b}[2J", 50).as_deref(),
            Some("a\u{1b}[2J")
        );
        assert_eq!(
            problems.finish(|| ()).unwrap_err(),
            [
                FieldError { field: Field::City, problem: Problem::Invalid },
                FieldError { field: Field::Motivation, problem: Problem::Invalid },
            ]
        );
        let mut problems = Problems::default();
        problems.required_text(Field::Motivation, "First line\r\n\tthen more", 50);
        problems.optional_text(Field::Body, "a\nb", 50);
        assert!(problems.finish(|| ()).is_ok());
    }

    #[test]
    fn dates_are_exactly_four_digit_year_month_day() {
        assert_eq!(parse_date("2027-01-15"), Some(day(2027, 1, 15)));
        assert_eq!(parse_date("0001-01-01"), Some(day(1, 1, 1)));
        for bad in [
            "+262142-12-31",
            "262142-12-31",
            "-2027-01-15",
            "+027-01-15",
            "2027-1-15",
            "2027-01-5",
            "2027-13-45",
            "2027-02-30",
            "2027-01-15x",
            " 2027-01-15",
            "2027/01/15",
            "２０２７-01-15",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_are_exactly_four_digit_year_and_month() {
        assert_eq!(parse_month("2026-12"), Some((2026, 12)));
        for bad in ["262142-12", "+2026-12", "2026-13", "2026-00", "2026-1", "2026-12-01", "soon", "é026-12"]
        {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn schedules_lie_between_now_and_the_horizon() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").unwrap().to_utc();
        assert_eq!(schedule_problem(now, now), Some(Problem::InPast));
        assert_eq!(schedule_problem(now + TimeDelta::days(700), now), None);
        assert_eq!(schedule_problem(now + TimeDelta::days(800), now), Some(Problem::TooFarAhead));
        assert_eq!(schedule_problem(DateTime::<Utc>::MAX_UTC, now), Some(Problem::TooFarAhead));
        // Near the last representable instant the horizon cannot be computed; nothing is beyond.
        assert!(!beyond_horizon(DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MAX_UTC - TimeDelta::days(1)));
        assert!(!beyond_horizon(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC));
    }
}
