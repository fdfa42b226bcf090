//! Calendar arithmetic in the reference zone: which days a week or month view covers, the
//! instants that bound them, and the filters a visitor can apply, as they appear in the URL.

use super::session::{Audience, SessionLanguage};
use super::zones::{eastern, instant_at};
use crate::i18n::Locale;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// The Monday that starts the week holding `day` (weeks run Monday to Sunday).
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day.week(Weekday::Mon).first_day()
}

/// The seven days of the week that starts on `monday`.
pub fn week_days(monday: NaiveDate) -> [NaiveDate; 7] {
    std::array::from_fn(|i| monday + Days::new(i as u64))
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

    pub fn parse(s: &str) -> Option<YearMonth> {
        let (year, month) = s.split_once('-')?;
        let month = YearMonth { year: year.parse().ok()?, month: month.parse().ok()? };
        month.first_day().map(|_| month)
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    pub fn next(self) -> YearMonth {
        YearMonth::of(self.first_day().expect("valid month") + Months::new(1))
    }

    pub fn previous(self) -> YearMonth {
        YearMonth::of(self.first_day().expect("valid month") - Months::new(1))
    }

    /// The weeks (Monday to Sunday) a month grid shows: every week touching the month.
    pub fn grid(self) -> Vec<[NaiveDate; 7]> {
        let first = self.first_day().expect("valid month");
        let last = first + Months::new(1) - Days::new(1);
        let mut weeks = Vec::with_capacity(6);
        let mut monday = week_start(first);
        while monday <= last {
            weeks.push(week_days(monday));
            monday = monday + Days::new(7);
        }
        weeks
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The instants between midnight ET on `first` and midnight ET after `last`.
pub fn day_span(first: NaiveDate, last: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |day: NaiveDate| {
        // Midnight exists on every day in Toronto (the switches happen at 2 AM).
        instant_at(day.and_time(NaiveTime::MIN), eastern()).expect("midnight exists in ET")
    };
    (midnight(first), midnight(last + Days::new(1)))
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

    pub fn matches(&self, format_slug: &str, language: SessionLanguage, audience: Audience) -> bool {
        self.format.as_deref().is_none_or(|f| f == format_slug)
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
        assert_eq!(week_start(day(2026, 11, 22)), day(2026, 11, 16)); // a Sunday
        assert_eq!(week_start(day(2026, 11, 23)), day(2026, 11, 23)); // a Monday
        assert_eq!(week_days(day(2026, 11, 23))[6], day(2026, 11, 29));
    }

    #[test]
    fn month_grid_covers_every_day_of_the_month() {
        let february = YearMonth::parse("2027-02").unwrap();
        let grid = february.grid();
        assert_eq!(grid.len(), 4); // Feb 2027 starts on a Monday and has 28 days.
        assert_eq!(grid[0][0], day(2027, 2, 1));
        let march = february.next();
        assert_eq!(march.to_string(), "2027-03");
        assert_eq!(march.grid().len(), 5);
        assert_eq!(march.grid()[0][0], day(2027, 3, 1));
        assert_eq!(YearMonth::parse("2027-01").unwrap().previous().to_string(), "2026-12");
        assert_eq!(YearMonth::parse("2027-13"), None);
        assert_eq!(YearMonth::parse("soon"), None);
    }

    #[test]
    fn day_spans_are_bounded_by_eastern_midnights_even_on_switch_days() {
        let (start, end) = day_span(day(2026, 11, 1), day(2026, 11, 1));
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
        assert!(french.matches("peer-support", SessionLanguage::Fr, Audience::All));
        assert!(french.matches("peer-support", SessionLanguage::Bilingual, Audience::All));
        assert!(!french.matches("peer-support", SessionLanguage::En, Audience::All));
        let learners = CalendarFilter { audience: Some(Audience::Learners), ..Default::default() };
        assert!(!learners.matches("peer-support", SessionLanguage::En, Audience::All));
        let format = CalendarFilter { format: Some("mindful-parenting".into()), ..Default::default() };
        assert!(!format.matches("peer-support", SessionLanguage::En, Audience::All));
    }
}
