//! One module per page. Pages run on the server only: they load data through the server
//! functions and render HTML; the interactive parts are islands from `components`.

pub mod about;
pub mod account;
pub mod cohorts;
pub mod faq;
pub mod month;
pub mod my_sessions;
pub mod not_found;
pub mod programs;
pub mod registration;
pub mod rounds;
pub mod rules;
pub mod server_error;
pub mod session;
pub mod support;
pub mod upcoming;
pub mod week;
pub mod workspace;

use crate::domain::calendar::CalendarFilter;
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use chrono::NaiveDate;
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
