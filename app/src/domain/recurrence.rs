//! Weekly repetition of a session that keeps its wall-clock time in the reference zone,
//! so a 7 PM ET group stays at 7 PM ET when the clocks change.

use super::zones::{LocalTimeError, Zone, instant_at};
use chrono::{DateTime, Days, NaiveDateTime, Utc};

/// The most occurrences one request may create: a year of weekly sessions.
pub const MAX_WEEKLY_OCCURRENCES: u32 = 52;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("a series needs between 1 and {MAX_WEEKLY_OCCURRENCES} occurrences")]
    Count,
    #[error("occurrence {index} falls in a daylight-saving gap")]
    Skipped { index: u32 },
    #[error("occurrence {index} is beyond the years the time-zone rules cover")]
    OutOfRange { index: u32 },
}

/// The instants of `count` weekly occurrences starting at `first` (a wall-clock time in `zone`).
pub fn weekly(first: NaiveDateTime, zone: &Zone, count: u32) -> Result<Vec<DateTime<Utc>>, RecurrenceError> {
    if count == 0 || count > MAX_WEEKLY_OCCURRENCES {
        return Err(RecurrenceError::Count);
    }
    (0..count)
        .map(|index| {
            let local = first
                .checked_add_days(Days::new(7 * u64::from(index)))
                .ok_or(RecurrenceError::OutOfRange { index })?;
            instant_at(local, zone).map_err(|error| match error {
                LocalTimeError::Skipped => RecurrenceError::Skipped { index },
                LocalTimeError::OutOfRange => RecurrenceError::OutOfRange { index },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::zones::{eastern, local_time, parse_zone, reference_time};
    use chrono::{NaiveDate, Timelike};

    fn seven_pm(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(19, 0, 0).unwrap()
    }

    #[test]
    fn stays_at_seven_pm_eastern_across_the_november_switch() {
        // Clocks fall back on Sunday 2026-11-01.
        let instants = weekly(seven_pm(2026, 10, 20), eastern(), 4).unwrap();
        let utc_hours: Vec<u32> = instants.iter().map(|t| t.hour()).collect();
        assert_eq!(utc_hours, [23, 23, 0, 0]);
        assert!(instants.iter().all(|t| reference_time(*t).hour() == 19));
        assert_eq!(reference_time(instants[3]).date(), NaiveDate::from_ymd_opt(2026, 11, 10).unwrap());
    }

    #[test]
    fn stays_at_seven_pm_eastern_across_the_march_switch() {
        // Clocks spring forward on Sunday 2027-03-14.
        let instants = weekly(seven_pm(2027, 3, 2), eastern(), 3).unwrap();
        let utc_hours: Vec<u32> = instants.iter().map(|t| t.hour()).collect();
        assert_eq!(utc_hours, [0, 0, 23]);
        assert!(instants.iter().all(|t| reference_time(*t).hour() == 19));
    }

    #[test]
    fn rejects_empty_or_oversized_series_and_skipped_times() {
        assert_eq!(weekly(seven_pm(2027, 1, 5), eastern(), 0), Err(RecurrenceError::Count));
        assert_eq!(weekly(seven_pm(2027, 1, 5), eastern(), 53), Err(RecurrenceError::Count));
        let half_past_two = NaiveDate::from_ymd_opt(2027, 3, 7).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(weekly(half_past_two, eastern(), 2), Err(RecurrenceError::Skipped { index: 1 }));
        let near_the_end = NaiveDate::MAX.and_hms_opt(19, 0, 0).unwrap();
        assert_eq!(weekly(near_the_end, eastern(), 2), Err(RecurrenceError::OutOfRange { index: 0 }));
    }

    #[test]
    fn a_vancouver_series_across_the_march_2027_switch_keeps_five_pm_vancouver_and_moves_in_et() {
        // Since 2026-11-01 British Columbia stays on UTC−7; Toronto springs forward on 2027-03-14.
        let vancouver = parse_zone("America/Vancouver").unwrap();
        let five_pm = NaiveDate::from_ymd_opt(2027, 3, 3).unwrap().and_hms_opt(17, 0, 0).unwrap();
        let instants = weekly(five_pm, vancouver, 3).unwrap();
        let in_vancouver: Vec<u32> = instants.iter().map(|t| local_time(*t, vancouver).hour()).collect();
        assert_eq!(in_vancouver, [17, 17, 17]);
        let in_eastern: Vec<u32> = instants.iter().map(|t| reference_time(*t).hour()).collect();
        assert_eq!(in_eastern, [19, 19, 20]);
        let utc_hours: Vec<u32> = instants.iter().map(|t| t.hour()).collect();
        assert_eq!(utc_hours, [0, 0, 0]);
    }
}
