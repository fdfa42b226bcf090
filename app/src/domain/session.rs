//! What a session is, independent of storage: who it is for, the language it is held in,
//! its capacity, and what a participant can still do with it.

use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Groups hold at most thirty people, as in the program the product serves.
pub const MAX_CAPACITY: u32 = 30;
pub const DEFAULT_CAPACITY: u32 = MAX_CAPACITY;

/// Who a session is open to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every physician and medical learner in Canada.
    #[default]
    All,
    /// Medical students, residents and fellows.
    Learners,
    /// Residents currently on medical or parental leave.
    ResidentsOnLeave,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::All, Audience::Learners, Audience::ResidentsOnLeave];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Learners => "learners",
            Audience::ResidentsOnLeave => "residents_on_leave",
        }
    }

    /// Whether registering asks the person to confirm they belong to the audience.
    pub fn asks_eligibility(self) -> bool {
        self != Audience::All
    }
}

impl FromStr for Audience {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Audience::ALL.into_iter().find(|a| a.as_str() == s).ok_or(())
    }
}

/// The language a session is held in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionLanguage {
    #[default]
    En,
    Fr,
    Bilingual,
}

impl SessionLanguage {
    pub const ALL: [SessionLanguage; 3] =
        [SessionLanguage::En, SessionLanguage::Fr, SessionLanguage::Bilingual];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionLanguage::En => "en",
            SessionLanguage::Fr => "fr",
            SessionLanguage::Bilingual => "bilingual",
        }
    }

    /// Whether someone who wants to speak `language` can take part.
    pub fn welcomes(self, language: Locale) -> bool {
        matches!(
            (self, language),
            (SessionLanguage::Bilingual, _)
                | (SessionLanguage::En, Locale::En)
                | (SessionLanguage::Fr, Locale::Fr)
        )
    }
}

impl FromStr for SessionLanguage {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        SessionLanguage::ALL.into_iter().find(|l| l.as_str() == s).ok_or(())
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    #[default]
    Scheduled,
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Cancelled => "cancelled",
        }
    }
}

impl FromStr for SessionStatus {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "scheduled" => Ok(SessionStatus::Scheduled),
            "cancelled" => Ok(SessionStatus::Cancelled),
            _ => Err(()),
        }
    }
}

/// How full a session is, as the seat counter shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    SeatsLeft(u32),
    /// Every seat is taken; new registrations join the waitlist.
    Full,
}

pub fn availability(capacity: u32, seats_taken: u32) -> Availability {
    match capacity.saturating_sub(seats_taken) {
        0 => Availability::Full,
        left => Availability::SeatsLeft(left),
    }
}

/// Whether a session still takes registrations at `now`: it must be scheduled, not closed by
/// its facilitator, and not started.
pub fn is_open_for_registration(
    status: SessionStatus,
    closed_by_facilitator: bool,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    status == SessionStatus::Scheduled && !closed_by_facilitator && now < starts_at
}

/// When a session starting at `starts_at` ends; `None` past the last representable instant
/// (only a row older than the scheduling horizon could start that late).
pub fn ends_at(starts_at: DateTime<Utc>, duration_minutes: u32) -> Option<DateTime<Utc>> {
    starts_at.checked_add_signed(Duration::minutes(i64::from(duration_minutes)))
}

/// The end a page, an email or a calendar file shows: [`ends_at`], or the start itself when
/// the end cannot be computed, so such a row never keeps a page or a notice from being made.
pub fn shown_end(starts_at: DateTime<Utc>, duration_minutes: u32) -> DateTime<Utc> {
    ends_at(starts_at, duration_minutes).unwrap_or(starts_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_counts_down_to_full() {
        assert_eq!(availability(30, 0), Availability::SeatsLeft(30));
        assert_eq!(availability(30, 29), Availability::SeatsLeft(1));
        assert_eq!(availability(30, 30), Availability::Full);
        // A capacity lowered below the seats already taken still reads as full.
        assert_eq!(availability(10, 12), Availability::Full);
    }

    #[test]
    fn bilingual_sessions_welcome_both_languages() {
        assert!(SessionLanguage::Bilingual.welcomes(Locale::Fr));
        assert!(SessionLanguage::Fr.welcomes(Locale::Fr));
        assert!(!SessionLanguage::Fr.welcomes(Locale::En));
    }

    #[test]
    fn registration_closes_at_the_start_or_when_closed() {
        let start = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().to_utc();
        let before = start - Duration::minutes(1);
        assert!(is_open_for_registration(SessionStatus::Scheduled, false, start, before));
        assert!(!is_open_for_registration(SessionStatus::Scheduled, false, start, start));
        assert!(!is_open_for_registration(SessionStatus::Scheduled, true, start, before));
        assert!(!is_open_for_registration(SessionStatus::Cancelled, false, start, before));
    }

    #[test]
    fn an_end_past_the_last_instant_is_none_rather_than_a_panic() {
        let start = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().to_utc();
        assert_eq!(ends_at(start, 90), Some(start + Duration::minutes(90)));
        let last_day = chrono::NaiveDate::MAX.and_hms_opt(23, 59, 0).unwrap().and_utc();
        assert_eq!(ends_at(last_day, 240), None);
        assert_eq!(ends_at(DateTime::<Utc>::MAX_UTC, u32::MAX), None);
        assert_eq!(shown_end(last_day, 240), last_day);
    }

    #[test]
    fn audience_and_language_round_trip_through_their_url_names() {
        for audience in Audience::ALL {
            assert_eq!(audience.as_str().parse(), Ok(audience));
        }
        for language in SessionLanguage::ALL {
            assert_eq!(language.as_str().parse(), Ok(language));
        }
        assert!(Audience::Learners.asks_eligibility());
        assert!(!Audience::All.asks_eligibility());
    }
}
