//! Time zones: the program's reference zone and the conversions between instants and the
//! wall-clock times people read and type.
//!
//! Sessions are stored as instants (UTC). A person schedules and reads them as local times,
//! and a local time can fall in a daylight-saving gap (it never happens) or overlap (it happens
//! twice); those cases are decided here, once.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The program runs on Eastern Time: every time is shown in it, and recurrences keep its
/// wall-clock time.
pub const REFERENCE_ZONE: Tz = chrono_tz::America::Toronto;

/// The wall-clock time of `instant` in `zone`.
pub fn local_time(instant: DateTime<Utc>, zone: Tz) -> NaiveDateTime {
    instant.with_timezone(&zone).naive_local()
}

/// The wall-clock time of `instant` in Eastern Time.
pub fn reference_time(instant: DateTime<Utc>) -> NaiveDateTime {
    local_time(instant, REFERENCE_ZONE)
}

/// How far Eastern Time is from UTC at `instant`, in minutes: -300 in winter, -240 in summer.
/// The browser compares it with its own clock's offset, which needs no time-zone data there.
pub fn reference_offset_minutes(instant: DateTime<Utc>) -> i32 {
    (reference_time(instant) - instant.naive_utc()).num_minutes() as i32
}

/// The abbreviation the zone uses at that instant ("PST", "AEDT"), for a zone other than the
/// reference zone, which has its own translated label.
pub fn abbreviation(instant: DateTime<Utc>, zone: Tz) -> String {
    instant.with_timezone(&zone).format("%Z").to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    /// The clocks jump over this time on the day daylight saving starts.
    #[error("this local time does not exist in the zone (daylight-saving gap)")]
    Skipped,
}

/// The instant at which the clocks in `zone` show `local`.
///
/// An ambiguous time (the repeated hour in November) resolves to its first occurrence, which
/// is what someone typing "1:30 AM" on that night means in practice. A skipped time is an error
/// so the person can choose another.
pub fn instant_at(local: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>, LocalTimeError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(LocalTimeError::Skipped),
    }
}

/// Parses an IANA zone name such as `America/Vancouver`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn eastern_time_follows_daylight_saving() {
        // 7 PM ET is 23:00 UTC in summer (EDT) and 00:00 UTC the next day in winter (EST).
        let summer = instant_at(at(2026, 10, 27, 19, 0), REFERENCE_ZONE).unwrap();
        let winter = instant_at(at(2026, 11, 3, 19, 0), REFERENCE_ZONE).unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-10-27T23:00:00+00:00");
        assert_eq!(winter.to_rfc3339(), "2026-11-04T00:00:00+00:00");
        assert_eq!(reference_time(winter), at(2026, 11, 3, 19, 0));
        assert_eq!(reference_offset_minutes(summer), -240);
        assert_eq!(reference_offset_minutes(winter), -300);
    }

    #[test]
    fn skipped_and_repeated_hours() {
        // 2027-03-14: clocks in Toronto jump from 2:00 to 3:00.
        assert_eq!(instant_at(at(2027, 3, 14, 2, 30), REFERENCE_ZONE), Err(LocalTimeError::Skipped));
        // 2026-11-01: 1:30 happens twice; the first (EDT) is taken.
        let repeated = instant_at(at(2026, 11, 1, 1, 30), REFERENCE_ZONE).unwrap();
        assert_eq!(repeated.to_rfc3339(), "2026-11-01T05:30:00+00:00");
    }

    #[test]
    fn viewer_zones_without_daylight_saving_and_across_the_world() {
        let regina = parse_zone("America/Regina").unwrap();
        let sydney = parse_zone("Australia/Sydney").unwrap();
        let winter = instant_at(at(2026, 12, 1, 19, 0), REFERENCE_ZONE).unwrap();
        let summer = instant_at(at(2027, 6, 1, 19, 0), REFERENCE_ZONE).unwrap();
        // Regina stays on UTC-6 all year, so the same 7 PM ET reads 6 PM in winter, 5 PM in summer.
        assert_eq!(local_time(winter, regina), at(2026, 12, 1, 18, 0));
        assert_eq!(local_time(summer, regina), at(2027, 6, 1, 17, 0));
        // Sydney is a day ahead and on its own summer time in December.
        assert_eq!(local_time(winter, sydney), at(2026, 12, 2, 11, 0));
        assert_eq!(abbreviation(winter, sydney), "AEDT");
        assert_eq!(local_time(summer, sydney), at(2027, 6, 2, 9, 0));
        assert!(parse_zone("Mars/Olympus_Mons").is_none());
    }
}
