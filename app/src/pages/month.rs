//! The month view: a grid of weeks on wide screens, a list of the days with sessions or group
//! meetings on phones (empty days are hidden there).

use super::not_found::NotFound;
use super::{DayItem, ErrorNotice, filter_from, items_on, today, with_query};
use crate::api::formats::list_formats;
use crate::api::sessions::list_range;
use crate::components::filters::FilterForm;
use crate::components::layout::{href, use_locale};
use crate::components::viewer_time::ViewerTime;
use crate::components::{PageHeading, SubscribeLink, TimesNotice};
use crate::domain::calendar::YearMonth;
use crate::domain::session::{SessionStatus, shown_end};
use crate::domain::zones::{reference_offset_minutes, reference_time};
use crate::i18n::{Locale, Tr};
use crate::timefmt;
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// One line of a day: the time in Eastern Time (and, once loaded, the viewer's), and the title
/// linking to the session or the group.
#[component]
fn DayEntry(
    starts_at: DateTime<Utc>,
    duration_minutes: u32,
    title: String,
    link: String,
    cancelled: bool,
    locale: Locale,
) -> impl IntoView {
    let t = Tr(locale);
    let start = reference_time(starts_at).time();
    let end = shown_end(starts_at, duration_minutes);
    view! {
        <li class="text-sm leading-snug">
            <a class="underline-offset-2 hover:underline" class:line-through=cancelled href=link>
                <span class="font-semibold">
                    {timefmt::time(locale, start)} " " {timefmt::reference_zone_label(locale)}
                </span>
                " " {title}
            </a>
            {cancelled.then(|| view! { " (" {t.session_cancelled()} ")" })}
            <ViewerTime
                start_ms=starts_at.timestamp_millis()
                end_ms=end.timestamp_millis()
                reference_offset_minutes=reference_offset_minutes(starts_at)
                locale
            />
        </li>
    }
}

fn day_class(hidden_on_phones: bool, in_month: bool) -> String {
    let mut class = String::from("min-h-24 bg-white p-2 dark:bg-slate-950");
    if hidden_on_phones {
        class.push_str(" hidden md:block");
    }
    if !in_month {
        class.push_str(" text-slate-600 dark:text-slate-400");
    }
    class
}

/// A `?month=` that is not a month, or lies beyond the calendar's reach, is not found.
#[component]
pub fn MonthPage() -> impl IntoView {
    let today = today();
    let month = YearMonth::requested(use_query_map().read_untracked().get_str("month"), today);
    match month.and_then(|month| Some((month, month.grid()?))) {
        Some((month, weeks)) => view! { <Month month weeks today /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn Month(month: YearMonth, weeks: Vec<[NaiveDate; 7]>, today: NaiveDate) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let query = use_query_map();
    let filter = filter_from(&query.read_untracked());
    let subscribe = filter.clone();
    let (first, last) = (weeks[0][0], weeks[weeks.len() - 1][6]);
    let data = Resource::new(|| (), {
        let filter = filter.clone();
        move |()| {
            let filter = filter.clone();
            async move { (list_range(first, last, filter).await, list_formats().await) }
        }
    });

    let action = href(locale, "/month");
    let link_to = {
        let action = action.clone();
        let filter_query = filter.to_query();
        move |month: YearMonth| {
            let param = format!("month={month}");
            let query = if filter_query.is_empty() { param } else { format!("{param}&{filter_query}") };
            with_query(&action, &query)
        }
    };
    // Links only to months within reach: the others are not found.
    let beside = |month: Option<YearMonth>| month.filter(|month| month.within_reach(today)).map(&link_to);
    let previous = beside(month.previous());
    let next = beside(month.next());
    let this_month = beside(Some(YearMonth::of(today)));
    let title = timefmt::month_title(locale, month.year, month.month);
    let weekday_names: Vec<&str> =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
            .into_iter()
            .map(|d| timefmt::weekday_long(locale, d))
            .collect();

    view! {
        <PageHeading locale title />
        <nav aria-label=t.month_navigation() class="mb-4 flex flex-wrap gap-4">
            {previous.map(|href| view! { <a class="min-h-11 inline-flex items-center underline" href=href>{t.month_previous()}</a> })}
            {this_month.map(|href| view! { <a class="min-h-11 inline-flex items-center underline" href=href>{t.month_this()}</a> })}
            {next.map(|href| view! { <a class="min-h-11 inline-flex items-center underline" href=href>{t.month_next()}</a> })}
        </nav>
        <Suspense>
            {move || {
                let filter = filter.clone();
                let action = action.clone();
                let weeks = weeks.clone();
                let weekday_names = weekday_names.clone();
                data.get().map(move |(range, formats)| {
                    let keep = vec![("month", month.to_string())];
                    view! {
                        <FilterForm locale filter formats=formats.unwrap_or_default() action keep />
                        <TimesNotice locale />
                        {match range {
                            Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                            Ok(range) => view! {
                                <div aria-hidden="true" class="hidden grid-cols-7 gap-px text-center text-xs font-semibold uppercase text-slate-600 md:grid dark:text-slate-400">
                                    {weekday_names.into_iter().map(|name| view! { <div class="py-1">{name}</div> }).collect_view()}
                                </div>
                                <ol class="grid grid-cols-1 gap-2 md:grid-cols-7 md:gap-px md:bg-slate-200 md:dark:bg-slate-700">
                                    {weeks
                                        .into_iter()
                                        .flatten()
                                        .map(|day| {
                                            let items = items_on(&range, day);
                                            let in_month = day.month() == month.month;
                                            let hidden_on_phones = items.is_empty();
                                            view! {
                                                <li class=day_class(hidden_on_phones, in_month)>
                                                    <h2 class="text-sm font-semibold">
                                                        <time datetime=timefmt::iso_date(day)>
                                                            <span class="md:hidden">{timefmt::day_heading(locale, day)}</span>
                                                            <span class="hidden md:inline">{day.day()}</span>
                                                        </time>
                                                    </h2>
                                                    <ul class="mt-1 space-y-2">
                                                        {items
                                                            .into_iter()
                                                            .map(|item| {
                                                                let (starts_at, duration_minutes, title, link, cancelled) = match item {
                                                                    DayItem::Session(session) => (
                                                                        session.starts_at,
                                                                        session.duration_minutes,
                                                                        session.title.pick(locale).0.to_string(),
                                                                        href(locale, &format!("/sessions/{}", session.id)),
                                                                        session.status == SessionStatus::Cancelled,
                                                                    ),
                                                                    DayItem::GroupMeeting(meeting) => (
                                                                        meeting.starts_at,
                                                                        meeting.duration_minutes,
                                                                        t.cohort_meeting_title(meeting.part, meeting.title.pick(locale).0, meeting.total),
                                                                        href(locale, &format!("/cohorts/{}", meeting.cohort_id)),
                                                                        false,
                                                                    ),
                                                                };
                                                                view! { <DayEntry starts_at duration_minutes title link cancelled locale /> }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                            .into_any(),
                        }}
                    }
                })
            }}
        </Suspense>
        <SubscribeLink locale filter=subscribe />
    }
}
