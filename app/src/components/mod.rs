//! Building blocks shared by the pages. Components render and dispatch; they hold no rules.

pub mod device_sessions;
pub mod fields;
pub mod filters;
pub mod form_errors;
pub mod layout;
pub mod registration_form;
pub mod seats;
pub mod session_card;
pub mod session_form;
pub mod viewer_time;

use crate::i18n::{Locale, Tr};
use leptos::prelude::*;
use leptos_meta::Title;

/// The islands repeated on every calendar card. They wake only as they come near the screen
/// (`island_start.js`), so a long calendar costs a phone no more than the cards it shows.
pub const WAKE_WHEN_SEEN: &[&str] = &["SeatCount", "ViewerTime"];

/// The islands of the light browser bundle: a page that holds no other island (the calendar,
/// a cohort or round page, "My sessions") loads it instead of the full bundle, which also
/// carries the forms that check as you type. A build without the `form-islands` feature
/// leaves those out; this list is what the page's start script checks (`island_start.js`).
pub const LIGHT_ISLANDS: &[&str] =
    &["SeatCount", "ViewerTime", "ZonePicker", "DeviceSessions", "RememberRegistration"];

/// The page's `<title>` and visible heading.
#[component]
pub fn PageHeading(locale: Locale, #[prop(into)] title: String) -> impl IntoView {
    let full = format!("{title} · {}", Tr(locale).app_name());
    view! {
        <Title text=full />
        <h1 class="mb-4 text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
    }
}

/// A link that subscribes a calendar app to the sessions shown, filters included (`webcal:`
/// so phones and desktop apps offer to subscribe rather than download once).
#[component]
pub fn SubscribeLink(locale: Locale, filter: crate::domain::calendar::CalendarFilter) -> impl IntoView {
    let t = Tr(locale);
    let site = use_context::<layout::SiteUrl>().unwrap_or_default().0;
    let host = site.split_once("://").map_or(site.as_str(), |(_, rest)| rest).to_string();
    let query = filter.to_query();
    let feed = format!(
        "webcal://{host}/{locale}/calendar.ics{}",
        if query.is_empty() { String::new() } else { format!("?{query}") }
    );
    view! {
        <p class="mt-8 text-sm">
            <a class="min-h-11 inline-flex items-center font-semibold underline" href=feed>{t.calendar_subscribe()}</a>
            <span class="block text-slate-700 dark:text-slate-300">{t.calendar_subscribe_hint()}</span>
        </p>
    }
}

/// "Times are in Eastern Time", and the picker for a second zone once the page has hydrated.
#[component]
pub fn TimesNotice(locale: Locale) -> impl IntoView {
    view! {
        <div class="mb-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700 dark:text-slate-300">
            <p>{Tr(locale).time_reference_notice()}</p>
            <viewer_time::ZonePicker locale />
        </div>
    }
}
