//! The one place where dates and times become text, in Canadian English and French style:
//! "Tue., Dec. 5, 2023, 7 PM ET" and "mar. 5 déc. 2023, 19 h HE".
//!
//! Everything here works on wall-clock times that the caller has already placed in a zone
//! (see `domain::zones` on the server, `components::viewer_zone` in the browser), so the
//! same code formats Eastern Time on the server and the viewer's own zone in the browser.

use crate::i18n::Locale;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

const EN_WEEKDAYS_SHORT: [&str; 7] = ["Mon.", "Tue.", "Wed.", "Thu.", "Fri.", "Sat.", "Sun."];
const FR_WEEKDAYS_SHORT: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
const EN_WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const FR_WEEKDAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
// Canadian Press style abbreviates only the longer month names.
const EN_MONTHS_SHORT: [&str; 12] =
    ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];
const FR_MONTHS_SHORT: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juill.", "août", "sept.", "oct.", "nov.", "déc."];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The label of the program's reference zone, Eastern Time.
pub fn reference_zone_label(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "ET",
        Locale::Fr => "HE",
    }
}

pub fn weekday_short(locale: Locale, day: Weekday) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match locale {
        Locale::En => EN_WEEKDAYS_SHORT[i],
        Locale::Fr => FR_WEEKDAYS_SHORT[i],
    }
}

pub fn weekday_long(locale: Locale, day: Weekday) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match locale {
        Locale::En => EN_WEEKDAYS[i],
        Locale::Fr => FR_WEEKDAYS[i],
    }
}

fn month_short(locale: Locale, month: u32) -> &'static str {
    let i = month as usize - 1;
    match locale {
        Locale::En => EN_MONTHS_SHORT[i],
        Locale::Fr => FR_MONTHS_SHORT[i],
    }
}

fn month_long(locale: Locale, month: u32) -> &'static str {
    let i = month as usize - 1;
    match locale {
        Locale::En => EN_MONTHS[i],
        Locale::Fr => FR_MONTHS[i],
    }
}

/// French writes the first of the month as an ordinal: "1er décembre".
fn day_of_month(locale: Locale, day: u32) -> String {
    match (locale, day) {
        (Locale::Fr, 1) => "1er".to_string(),
        _ => day.to_string(),
    }
}

/// "7 PM", "7:30 AM", "12 PM" / "19 h", "7 h 30", "0 h".
pub fn time(locale: Locale, t: NaiveTime) -> String {
    match locale {
        Locale::En => {
            let (pm, hour) = t.hour12();
            let meridiem = if pm { "PM" } else { "AM" };
            match t.minute() {
                0 => format!("{hour} {meridiem}"),
                m => format!("{hour}:{m:02} {meridiem}"),
            }
        }
        Locale::Fr => match t.minute() {
            0 => format!("{} h", t.hour()),
            m => format!("{} h {m:02}", t.hour()),
        },
    }
}

/// "7–8:30 PM" / "19 h – 20 h 30"; a moment (a deadline) is one time.
pub fn time_range(locale: Locale, start: NaiveTime, end: NaiveTime) -> String {
    if start == end {
        return time(locale, start);
    }
    match locale {
        Locale::En => {
            let same_half = start.hour12().0 == end.hour12().0;
            let start_text = if same_half {
                // Drop the repeated meridiem: "7–8:30 PM".
                let text = time(locale, start);
                text.trim_end_matches(" AM").trim_end_matches(" PM").to_string()
            } else {
                time(locale, start)
            };
            format!("{start_text}–{}", time(locale, end))
        }
        Locale::Fr => format!("{} – {}", time(locale, start), time(locale, end)),
    }
}

/// "Tue., Dec. 5, 2023" / "mar. 5 déc. 2023".
pub fn date(locale: Locale, d: NaiveDate) -> String {
    let weekday = weekday_short(locale, d.weekday());
    let month = month_short(locale, d.month());
    match locale {
        Locale::En => format!("{weekday}, {month} {}, {}", d.day(), d.year()),
        Locale::Fr => format!("{weekday} {} {month} {}", day_of_month(locale, d.day()), d.year()),
    }
}

/// "Tue., Dec. 5" / "mar. 5 déc.": for a line that already shows the year nearby.
pub fn date_without_year(locale: Locale, d: NaiveDate) -> String {
    let weekday = weekday_short(locale, d.weekday());
    let month = month_short(locale, d.month());
    match locale {
        Locale::En => format!("{weekday}, {month} {}", d.day()),
        Locale::Fr => format!("{weekday} {} {month}", day_of_month(locale, d.day())),
    }
}

/// "Tuesday, December 5" / "mardi 5 décembre": a day heading in the list and week views.
pub fn day_heading(locale: Locale, d: NaiveDate) -> String {
    let weekday = weekday_long(locale, d.weekday());
    let month = month_long(locale, d.month());
    match locale {
        Locale::En => format!("{weekday}, {month} {}", d.day()),
        Locale::Fr => format!("{weekday} {} {month}", day_of_month(locale, d.day())),
    }
}

/// "December 2026" / "décembre 2026".
pub fn month_title(locale: Locale, year: i32, month: u32) -> String {
    format!("{} {year}", month_long(locale, month))
}

/// "Tue., Dec. 5, 2023, 7 PM ET" / "mar. 5 déc. 2023, 19 h HE".
pub fn date_time(locale: Locale, at: NaiveDateTime, zone_label: &str) -> String {
    format!("{}, {} {zone_label}", date(locale, at.date()), time(locale, at.time()))
}

/// An instant as Eastern Time reads it: "Tue., Dec. 5, 2023, 7 PM ET".
pub fn in_eastern(locale: Locale, at: chrono::DateTime<chrono::Utc>) -> String {
    date_time(locale, crate::domain::zones::reference_time(at), reference_zone_label(locale))
}

/// An instant as UTC reads it: "Wed., Dec. 6, 2023, 0 h UTC".
pub fn in_utc(locale: Locale, at: chrono::DateTime<chrono::Utc>) -> String {
    date_time(locale, at.naive_utc(), "UTC")
}

/// "Tue., Dec. 5, 2023, 7–8:30 PM ET" / "mar. 5 déc. 2023, 19 h – 20 h 30 HE".
pub fn date_time_range(locale: Locale, start: NaiveDateTime, end: NaiveDateTime, zone_label: &str) -> String {
    format!("{}, {} {zone_label}", date(locale, start.date()), time_range(locale, start.time(), end.time()))
}

/// The same without the year, for the viewer's zone under a line that has it:
/// "Tue., Dec. 5, 4–5:30 PM PST".
pub fn date_time_range_short(
    locale: Locale,
    start: NaiveDateTime,
    end: NaiveDateTime,
    zone_label: &str,
) -> String {
    format!(
        "{}, {} {zone_label}",
        date_without_year(locale, start.date()),
        time_range(locale, start.time(), end.time())
    )
}

/// A zone named by its distance from UTC, for the device's own clock: "UTC−8", "UTC+5:30",
/// "UTC". The browser knows this offset without loading its time-zone names, which would
/// hold up a phone for a moment on every page.
pub fn utc_offset_label(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '\u{2212}' } else { '+' };
    let (hours, minutes) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
    match (hours, minutes) {
        (0, 0) => "UTC".to_string(),
        (hours, 0) => format!("UTC{sign}{hours}"),
        (hours, minutes) => format!("UTC{sign}{hours}:{minutes:02}"),
    }
}

/// An ISO 8601 date for `datetime` attributes and URLs.
pub fn iso_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_from_utc_read_as_zone_labels() {
        assert_eq!(utc_offset_label(-480), "UTC\u{2212}8");
        assert_eq!(utc_offset_label(-210), "UTC\u{2212}3:30");
        assert_eq!(utc_offset_label(330), "UTC+5:30");
        assert_eq!(utc_offset_label(60), "UTC+1");
        assert_eq!(utc_offset_label(0), "UTC");
    }
    use crate::domain::zones::{eastern, instant_at, local_time, parse_zone, reference_time};

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn the_reference_examples_in_both_languages() {
        let start = at(2023, 12, 5, 19, 0);
        assert_eq!(
            date_time(Locale::En, start, reference_zone_label(Locale::En)),
            "Tue., Dec. 5, 2023, 7 PM ET"
        );
        assert_eq!(
            date_time(Locale::Fr, start, reference_zone_label(Locale::Fr)),
            "mar. 5 déc. 2023, 19 h HE"
        );
    }

    #[test]
    fn minutes_noon_midnight_and_the_first_of_the_month() {
        assert_eq!(time(Locale::En, NaiveTime::from_hms_opt(12, 0, 0).unwrap()), "12 PM");
        assert_eq!(time(Locale::En, NaiveTime::from_hms_opt(0, 15, 0).unwrap()), "12:15 AM");
        assert_eq!(time(Locale::Fr, NaiveTime::from_hms_opt(0, 0, 0).unwrap()), "0 h");
        assert_eq!(time(Locale::Fr, NaiveTime::from_hms_opt(9, 30, 0).unwrap()), "9 h 30");
        assert_eq!(date(Locale::Fr, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), "mar. 1er déc. 2026");
        assert_eq!(date(Locale::En, NaiveDate::from_ymd_opt(2027, 9, 1).unwrap()), "Wed., Sept. 1, 2027");
        assert_eq!(month_title(Locale::Fr, 2027, 2), "février 2027");
        assert_eq!(
            day_heading(Locale::En, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            "Tuesday, November 24"
        );
    }

    #[test]
    fn ranges_drop_the_repeated_meridiem() {
        let (start, end) = (at(2026, 12, 1, 19, 0), at(2026, 12, 1, 20, 30));
        assert_eq!(date_time_range(Locale::En, start, end, "ET"), "Tue., Dec. 1, 2026, 7–8:30 PM ET");
        assert_eq!(date_time_range(Locale::Fr, start, end, "HE"), "mar. 1er déc. 2026, 19 h – 20 h 30 HE");
        let (morning, noon) =
            (NaiveTime::from_hms_opt(11, 0, 0).unwrap(), NaiveTime::from_hms_opt(12, 30, 0).unwrap());
        assert_eq!(time_range(Locale::En, morning, noon), "11 AM–12:30 PM");
    }

    #[test]
    fn a_weekly_evening_session_reads_seven_pm_et_on_both_sides_of_each_switch() {
        for (before, after) in [((2026, 10, 27), (2026, 11, 3)), ((2027, 3, 9), (2027, 3, 16))] {
            for (y, m, d) in [before, after] {
                let instant = instant_at(at(y, m, d, 19, 0), eastern()).unwrap();
                let text = date_time(Locale::En, reference_time(instant), reference_zone_label(Locale::En));
                assert!(text.ends_with(", 7 PM ET"), "{text}");
                let texte = date_time(Locale::Fr, reference_time(instant), reference_zone_label(Locale::Fr));
                assert!(texte.ends_with(", 19 h HE"), "{texte}");
            }
        }
    }

    #[test]
    fn viewers_in_regina_and_st_johns_see_their_own_clock() {
        let instant = instant_at(at(2026, 12, 1, 19, 0), eastern()).unwrap();
        let end = instant + chrono::Duration::minutes(90);
        let regina = parse_zone("America/Regina").unwrap();
        let st_johns = parse_zone("America/St_Johns").unwrap();
        let show = |zone, label| {
            date_time_range_short(Locale::En, local_time(instant, zone), local_time(end, zone), label)
        };
        assert_eq!(show(regina, "CST"), "Tue., Dec. 1, 6–7:30 PM CST");
        assert_eq!(show(st_johns, "NST"), "Tue., Dec. 1, 8:30–10 PM NST");
        // In June, Regina (no daylight saving) is two hours behind Toronto instead of one.
        let june = instant_at(at(2027, 6, 1, 19, 0), eastern()).unwrap();
        assert_eq!(time(Locale::Fr, local_time(june, regina).time()), "17 h");
    }
}
