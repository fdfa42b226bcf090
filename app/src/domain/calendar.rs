//! Calendar arithmetic in the reference zone: which days a week or month view covers, the
//! instants that bound them, and the filters a visitor can apply, as they appear in the URL.

use super::forms::{parse_date, parse_month};
use super::session::{Audience, SessionLanguage};
use super::zones::{eastern, instant_at};
use crate::i18n::Locale;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// How many years either side of today the week and month views reach. Further out there is
/// nothing to show (scheduling stops two years ahead), and an address that asks for it gets
/// "not found" instead of a page computed at the edge of the date types.
pub const CALENDAR_REACH_YEARS: u32 = 3;

/// Whether the calendar views show `day`, seen from `today`.
pub fn within_reach(day: NaiveDate, today: NaiveDate) -> bool {
    day.year().abs_diff(today.year()) <= CALENDAR_REACH_YEARS
}

/// The Monday that starts the week holding `day` (weeks run Monday to Sunday); `None` when
/// that Monday comes before the first representable date.
pub fn week_start(day: NaiveDate) -> Option<NaiveDate> {
    day.week(Weekday::Mon).checked_first_day()
}

/// The seven days of the week that starts on `monday`; `None` past the last representable date.
pub fn week_days(monday: NaiveDate) -> Option<[NaiveDate; 7]> {
    let mut days = [monday; 7];
    for (offset, day) in (0..).zip(days.iter_mut()) {
        *day = monday.checked_add_days(Days::new(offset))?;
    }
    Some(days)
}

/// The Monday of the week a week view's `?date=` asks for: today's week without one (or with
/// an empty one). `None`, for "not found", when the date is not `YYYY-MM-DD` or lies beyond
/// the calendar's reach.
pub fn requested_week(date: Option<&str>, today: NaiveDate) -> Option<NaiveDate> {
    let day = match date.filter(|date| !date.is_empty()) {
        None => today,
        Some(date) => parse_date(date).filter(|day| within_reach(*day, today))?,
    };
    week_start(day)
}

/// A calendar month, as in `?month=2026-12`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn of(day: NaiveDate) -> YearMonth {
        YearMonth { year: day.year(), month: day.month() }
    }

    /// Exactly `YYYY-MM`.
    pub fn parse(s: &str) -> Option<YearMonth> {
        parse_month(s).map(|(year, month)| YearMonth { year, month })
    }

    /// The month a month view's `?month=` asks for: today's without one (or with an empty
    /// one). `None`, for "not found", when it is not `YYYY-MM` or lies beyond the calendar's
    /// reach.
    pub fn requested(month: Option<&str>, today: NaiveDate) -> Option<YearMonth> {
        match month.filter(|month| !month.is_empty()) {
            None => Some(YearMonth::of(today)),
            Some(month) => YearMonth::parse(month).filter(|month| month.within_reach(today)),
        }
    }

    pub fn within_reach(self, today: NaiveDate) -> bool {
        self.first_day().is_some_and(|first| within_reach(first, today))
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// The month after; `None` past the last representable date.
    pub fn next(self) -> Option<YearMonth> {
        self.first_day()?.checked_add_months(Months::new(1)).map(YearMonth::of)
    }

    /// The month before; `None` before the first representable date.
    pub fn previous(self) -> Option<YearMonth> {
        self.first_day()?.checked_sub_months(Months::new(1)).map(YearMonth::of)
    }

    /// The weeks (Monday to Sunday) a month grid shows: every week touching the month; `None`
    /// when they reach past the representable dates.
    pub fn grid(self) -> Option<Vec<[NaiveDate; 7]>> {
        let first = self.first_day()?;
        let last = self.next()?.first_day()?.pred_opt()?;
        let mut weeks = Vec::with_capacity(6);
        let mut monday = week_start(first)?;
        while monday <= last {
            let week = week_days(monday)?;
            monday = week[6].succ_opt()?;
            weeks.push(week);
        }
        Some(weeks)
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The instants between midnight ET on `first` and midnight ET after `last`; `None` when
/// either lies outside what the zone conversion can place.
pub fn day_span(first: NaiveDate, last: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    // Midnight exists on every day in Toronto (the switches happen at 2 AM).
    let midnight = |day: NaiveDate| instant_at(day.and_time(NaiveTime::MIN), eastern()).ok();
    Some((midnight(first)?, midnight(last.succ_opt()?)?))
}

/// What a visitor narrowed the calendar to. Every field is optional; unknown values in a
/// URL are ignored rather than refused, so an old shared link still opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFilter {
    /// A format's slug, such as `compassion-rounds`.
    pub format: Option<String>,
    /// Sessions someone speaking this language can join (bilingual ones included).
    pub language: Option<Locale>,
    pub audience: Option<Audience>,
}

impl CalendarFilter {
    /// Reads the filter from query parameters, ignoring what it does not understand.
    pub fn from_query<'a>(mut get: impl FnMut(&str) -> Option<&'a str>) -> CalendarFilter {
        let format = get("format").filter(|s| is_slug(s)).map(str::to_string);
        CalendarFilter {
            format,
            language: get("language").and_then(|s| s.parse().ok()),
            audience: get("audience").and_then(|s| s.parse().ok()),
        }
    }

    /// The query string (without `?`) that reproduces this filter; empty when unfiltered.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(format) = &self.format {
            parts.push(format!("format={format}"));
        }
        if let Some(language) = self.language {
            parts.push(format!("language={language}"));
        }
        if let Some(audience) = self.audience {
            parts.push(format!("audience={}", audience.as_str()));
        }
        parts.join("&")
    }

    pub fn is_empty(&self) -> bool {
        self.format.is_none() && self.language.is_none() && self.audience.is_none()
    }

    /// Whether the filter keeps an offering of this format (`None`: a cohort group, of no
    /// format, which a format filter leaves out), language and audience.
    pub fn matches(&self, format_slug: Option<&str>, language: SessionLanguage, audience: Audience) -> bool {
        self.format.as_deref().is_none_or(|f| Some(f) == format_slug)
            && self.language.is_none_or(|l| language.welcomes(l))
            && self.audience.is_none_or(|a| a == audience)
    }
}

/// Slugs are short, lowercase, ASCII words joined by hyphens; anything else is not a slug.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(day(2026, 11, 22)), Some(day(2026, 11, 16))); // a Sunday
        assert_eq!(week_start(day(2026, 11, 23)), Some(day(2026, 11, 23))); // a Monday
        assert_eq!(week_days(day(2026, 11, 23)).unwrap()[6], day(2026, 11, 29));
    }

    #[test]
    fn month_grid_covers_every_day_of_the_month() {
        let february = YearMonth::parse("2027-02").unwrap();
        let grid = february.grid().unwrap();
        assert_eq!(grid.len(), 4); // Feb 2027 starts on a Monday and has 28 days.
        assert_eq!(grid[0][0], day(2027, 2, 1));
        let march = february.next().unwrap();
        assert_eq!(march.to_string(), "2027-03");
        assert_eq!(march.grid().unwrap().len(), 5);
        assert_eq!(march.grid().unwrap()[0][0], day(2027, 3, 1));
        assert_eq!(YearMonth::parse("2027-01").unwrap().previous().unwrap().to_string(), "2026-12");
        assert_eq!(YearMonth::parse("2027-13"), None);
        assert_eq!(YearMonth::parse("soon"), None);
        assert_eq!(YearMonth::parse("262142-12"), None);
        assert_eq!(YearMonth::parse("+2027-01"), None);
    }

    #[test]
    fn arithmetic_at_the_edges_of_the_date_types_gives_none() {
        assert_eq!(week_start(NaiveDate::MIN), None); // MIN is not a Monday
        assert_eq!(week_days(week_start(NaiveDate::MAX).unwrap()), None);
        let last = YearMonth::of(NaiveDate::MAX);
        assert_eq!(last.next(), None);
        assert_eq!(last.grid(), None);
        assert_eq!(YearMonth::of(NaiveDate::MIN).previous(), None);
        assert_eq!(YearMonth { year: 262142, month: 13 }.grid(), None);
        assert_eq!(day_span(day(2026, 11, 1), NaiveDate::MAX), None);
    }

    #[test]
    fn addresses_reach_three_years_either_side_of_today() {
        let today = day(2026, 11, 22);
        assert_eq!(requested_week(None, today), Some(day(2026, 11, 16)));
        assert_eq!(requested_week(Some(""), today), Some(day(2026, 11, 16)));
        assert_eq!(requested_week(Some("2029-12-31"), today), Some(day(2029, 12, 31)));
        assert_eq!(requested_week(Some("2030-01-01"), today), None);
        assert_eq!(requested_week(Some("2023-01-01"), today), Some(day(2022, 12, 26)));
        assert_eq!(requested_week(Some("2022-12-31"), today), None);
        assert_eq!(requested_week(Some("+262142-12-31"), today), None);
        assert_eq!(requested_week(Some("2026-13-45"), today), None);
        assert_eq!(YearMonth::requested(None, today), Some(YearMonth { year: 2026, month: 11 }));
        assert_eq!(YearMonth::requested(Some("2023-01"), today), Some(YearMonth { year: 2023, month: 1 }));
        assert_eq!(YearMonth::requested(Some("2022-12"), today), None);
        assert_eq!(YearMonth::requested(Some("262142-12"), today), None);
        assert_eq!(YearMonth::requested(Some("2026-13"), today), None);
    }

    #[test]
    fn day_spans_are_bounded_by_eastern_midnights_even_on_switch_days() {
        let (start, end) = day_span(day(2026, 11, 1), day(2026, 11, 1)).unwrap();
        // That Sunday lasts 25 hours in Toronto.
        assert_eq!((end - start).num_hours(), 25);
        assert_eq!(start.to_rfc3339(), "2026-11-01T04:00:00+00:00");
    }

    #[test]
    fn filters_round_trip_through_the_url_and_ignore_nonsense() {
        let query = [("format", "compassion-rounds"), ("language", "fr"), ("audience", "learners")];
        let filter = CalendarFilter::from_query(|k| query.iter().find(|(q, _)| *q == k).map(|(_, v)| *v));
        assert_eq!(filter.to_query(), "format=compassion-rounds&language=fr&audience=learners");
        let junk = [("format", "<script>"), ("language", "de"), ("audience", "everyone")];
        let ignored = CalendarFilter::from_query(|k| junk.iter().find(|(q, _)| *q == k).map(|(_, v)| *v));
        assert!(ignored.is_empty());
        assert_eq!(ignored.to_query(), "");
    }

    #[test]
    fn language_filter_includes_bilingual_sessions() {
        let french = CalendarFilter { language: Some(Locale::Fr), ..Default::default() };
        assert!(french.matches(Some("peer-support"), SessionLanguage::Fr, Audience::All));
        assert!(french.matches(Some("peer-support"), SessionLanguage::Bilingual, Audience::All));
        assert!(!french.matches(Some("peer-support"), SessionLanguage::En, Audience::All));
        let learners = CalendarFilter { audience: Some(Audience::Learners), ..Default::default() };
        assert!(!learners.matches(Some("peer-support"), SessionLanguage::En, Audience::All));
        let format = CalendarFilter { format: Some("mindful-parenting".into()), ..Default::default() };
        assert!(!format.matches(Some("peer-support"), SessionLanguage::En, Audience::All));
        assert!(format.matches(Some("mindful-parenting"), SessionLanguage::En, Audience::All));
    }

    #[test]
    fn groups_are_kept_unless_a_format_is_asked_for() {
        let unfiltered = CalendarFilter::default();
        assert!(unfiltered.matches(None, SessionLanguage::En, Audience::ResidentsOnLeave));
        let format = CalendarFilter { format: Some("mindful-parenting".into()), ..Default::default() };
        assert!(!format.matches(None, SessionLanguage::En, Audience::ResidentsOnLeave));
        let french = CalendarFilter { language: Some(Locale::Fr), ..Default::default() };
        assert!(!french.matches(None, SessionLanguage::En, Audience::ResidentsOnLeave));
    }
}
