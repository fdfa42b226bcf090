//! One module per page. Pages run on the server only: they load data through the server
//! functions and render HTML; the interactive parts are islands from `components`.

pub mod about;
pub mod account;
pub mod cohorts;
pub mod evaluation;
pub mod faq;
pub mod gratitude;
pub mod month;
pub mod my_sessions;
pub mod not_found;
pub mod programs;
pub mod registration;
pub mod resources;
pub mod rounds;
pub mod rules;
pub mod server_error;
pub mod session;
pub mod support;
pub mod upcoming;
pub mod week;
pub mod workspace;

use crate::domain::calendar::CalendarFilter;
use crate::domain::zones::reference_time;
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::model::{CalendarRange, GroupMeeting, SessionSummary};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// The visitor's filter, read from the page's query string.
fn filter_from(query: &ParamsMap) -> CalendarFilter {
    CalendarFilter::from_query(|key| query.get_str(key))
}

/// Today's date in Eastern Time, the day the calendar views open on.
fn today() -> NaiveDate {
    crate::domain::zones::reference_time(chrono::Utc::now()).date()
}

/// A page-level error, announced to screen readers.
#[component]
fn ErrorNotice(error: AppError, locale: Locale) -> impl IntoView {
    view! {
        <p role="alert" class="rounded border border-rose-300 bg-rose-50 p-3 text-rose-900 dark:bg-rose-950 dark:text-rose-100">
            {error.message(Tr(locale))}
        </p>
    }
}

/// Joins a path and a query string that may be empty.
fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() { path.to_string() } else { format!("{path}?{query}") }
}

/// One entry of a day in the week and month views: a session, or a meeting of a group.
pub enum DayItem {
    Session(SessionSummary),
    GroupMeeting(GroupMeeting),
}

impl DayItem {
    fn starts_at(&self) -> DateTime<Utc> {
        match self {
            DayItem::Session(session) => session.starts_at,
            DayItem::GroupMeeting(meeting) => meeting.starts_at,
        }
    }
}

/// What `range` holds on `day` (in Eastern Time), sessions and group meetings together,
/// soonest first.
pub fn items_on(range: &CalendarRange, day: NaiveDate) -> Vec<DayItem> {
    let on_day = |start: DateTime<Utc>| reference_time(start).date() == day;
    let sessions = range.sessions.iter().filter(|s| on_day(s.starts_at)).cloned().map(DayItem::Session);
    let meetings =
        range.group_meetings.iter().filter(|m| on_day(m.starts_at)).cloned().map(DayItem::GroupMeeting);
    let mut items: Vec<DayItem> = sessions.chain(meetings).collect();
    items.sort_by_key(DayItem::starts_at);
    items
}
