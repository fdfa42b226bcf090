//! What can be wrong with a form, field by field, for every form of the product. Field and
//! problem are codes; the views turn each pair into a translated sentence.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// A local time the clocks skip on the day daylight saving starts.
    SkippedTime,
    /// Lower than the number of people already registered.
    BelowRegistered,
    /// Shorter than the minimum length.
    TooShort,
    /// Two entries that must be the same differ (a password and its confirmation).
    Mismatch,
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

    /// `value` trimmed, or a problem if it is empty or longer than `max` characters.
    pub fn required_text<'a>(&mut self, field: Field, value: &'a str, max: usize) -> &'a str {
        let value = value.trim();
        if value.is_empty() {
            self.add(field, Problem::Required);
        } else if value.chars().count() > max {
            self.add(field, Problem::TooLong);
        }
        value
    }

    /// `value` trimmed, `None` when empty, or a problem when longer than `max` characters.
    pub fn optional_text(&mut self, field: Field, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        if value.chars().count() > max {
            self.add(field, Problem::TooLong);
        }
        (!value.is_empty()).then(|| value.to_string())
    }

    /// The checked value when nothing was wrong; `value` runs only then, so it may rely on
    /// every check having passed.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value()) } else { Err(self.0) }
    }
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
