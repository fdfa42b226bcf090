//! Weekly repetition of a session that keeps its wall-clock time in the reference zone,
//! so a 7 PM ET group stays at 7 PM ET when the clocks change.

use super::zones::{LocalTimeError, instant_at};
use chrono::{DateTime, Days, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// The most occurrences one request may create: a year of weekly sessions.
pub const MAX_WEEKLY_OCCURRENCES: u32 = 52;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("a series needs between 1 and {MAX_WEEKLY_OCCURRENCES} occurrences")]
    Count,
    #[error("occurrence {index} falls in a daylight-saving gap")]
    Skipped { index: u32 },
}

/// The instants of `count` weekly occurrences starting at `first` (a wall-clock time in `zone`).
pub fn weekly(first: NaiveDateTime, zone: Tz, count: u32) -> Result<Vec<DateTime<Utc>>, RecurrenceError> {
    if count == 0 || count > MAX_WEEKLY_OCCURRENCES {
        return Err(RecurrenceError::Count);
    }
    (0..count)
        .map(|index| {
            let local = first + Days::new(7 * u64::from(index));
            instant_at(local, zone).map_err(|LocalTimeError::Skipped| RecurrenceError::Skipped { index })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::zones::{REFERENCE_ZONE, reference_time};
    use chrono::{NaiveDate, Timelike};

    fn seven_pm(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(19, 0, 0).unwrap()
    }

    #[test]
    fn stays_at_seven_pm_eastern_across_the_november_switch() {
        // Clocks fall back on Sunday 2026-11-01.
        let instants = weekly(seven_pm(2026, 10, 20), REFERENCE_ZONE, 4).unwrap();
        let utc_hours: Vec<u32> = instants.iter().map(|t| t.hour()).collect();
        assert_eq!(utc_hours, [23, 23, 0, 0]);
        assert!(instants.iter().all(|t| reference_time(*t).hour() == 19));
        assert_eq!(reference_time(instants[3]).date(), NaiveDate::from_ymd_opt(2026, 11, 10).unwrap());
    }

    #[test]
    fn stays_at_seven_pm_eastern_across_the_march_switch() {
        // Clocks spring forward on Sunday 2027-03-14.
        let instants = weekly(seven_pm(2027, 3, 2), REFERENCE_ZONE, 3).unwrap();
        let utc_hours: Vec<u32> = instants.iter().map(|t| t.hour()).collect();
        assert_eq!(utc_hours, [0, 0, 23]);
        assert!(instants.iter().all(|t| reference_time(*t).hour() == 19));
    }

    #[test]
    fn rejects_empty_or_oversized_series_and_skipped_times() {
        assert_eq!(weekly(seven_pm(2027, 1, 5), REFERENCE_ZONE, 0), Err(RecurrenceError::Count));
        assert_eq!(weekly(seven_pm(2027, 1, 5), REFERENCE_ZONE, 53), Err(RecurrenceError::Count));
        let half_past_two = NaiveDate::from_ymd_opt(2027, 3, 7).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(weekly(half_past_two, REFERENCE_ZONE, 2), Err(RecurrenceError::Skipped { index: 1 }));
    }
}
