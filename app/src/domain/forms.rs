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
    /// A choice that leads to no group the round offers (in person where there is none).
    NoMatchingGroup,
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
