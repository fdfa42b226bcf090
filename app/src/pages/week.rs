//! The week view: Monday to Sunday in Eastern Time, sessions and the meetings of cohort groups,
//! with links to the weeks around it.

use super::not_found::NotFound;
use super::{DayItem, ErrorNotice, filter_from, items_on, today, with_query};
use crate::api::formats::list_formats;
use crate::api::sessions::list_range;
use crate::components::filters::FilterForm;
use crate::components::layout::{href, use_locale};
use crate::components::session_card::SessionCard;
use crate::components::{PageHeading, SubscribeLink, TimesNotice};
use crate::domain::calendar::{requested_week, week_days, week_start, within_reach};
use crate::i18n::Tr;
use crate::pages::cohorts::GroupMeetingCard;
use crate::timefmt;
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A `?date=` that is not a date, or lies beyond the calendar's reach, is not found.
#[component]
pub fn WeekPage() -> impl IntoView {
    let today = today();
    let days = requested_week(use_query_map().read_untracked().get_str("date"), today).and_then(week_days);
    match days {
        Some(days) => view! { <Week days today /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn Week(days: [NaiveDate; 7], today: NaiveDate) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let query = use_query_map();
    let filter = filter_from(&query.read_untracked());
    let subscribe = filter.clone();
    let monday = days[0];
    let data = Resource::new(|| (), {
        let filter = filter.clone();
        move |()| {
            let filter = filter.clone();
            async move { (list_range(days[0], days[6], filter).await, list_formats().await) }
        }
    });

    let action = href(locale, "/week");
    let link_to = {
        let action = action.clone();
        let filter_query = filter.to_query();
        move |monday: NaiveDate| {
            let date = format!("date={}", timefmt::iso_date(monday));
            let query = if filter_query.is_empty() { date } else { format!("{date}&{filter_query}") };
            with_query(&action, &query)
        }
    };
    // Links only to weeks within reach: the others are not found.
    let beside = |week: Option<NaiveDate>| week.filter(|monday| within_reach(*monday, today)).map(&link_to);
    let previous = beside(monday.checked_sub_days(Days::new(7)));
    let next = beside(monday.checked_add_days(Days::new(7)));
    let this_week = beside(week_start(today));
    let title = t.week_title(timefmt::date(locale, monday));

    view! {
        <PageHeading locale title />
        <nav aria-label=t.week_navigation() class="mb-4 flex flex-wrap gap-4">
            {previous.map(|href| view! { <a class="min-h-11 inline-flex items-center underline" href=href>{t.week_previous()}</a> })}
            {this_week.map(|href| view! { <a class="min-h-11 inline-flex items-center underline" href=href>{t.week_this()}</a> })}
            {next.map(|href| view! { <a class="min-h-11 inline-flex items-center underline" href=href>{t.week_next()}</a> })}
        </nav>
        <Suspense>
            {move || {
                let filter = filter.clone();
                let action = action.clone();
                data.get().map(move |(range, formats)| {
                    let keep = vec![("date", timefmt::iso_date(monday))];
                    view! {
                        <FilterForm locale filter formats=formats.unwrap_or_default() action keep />
                        <TimesNotice locale />
                        {match range {
                            Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                            Ok(range) => days
                                .into_iter()
                                .map(|day| {
                                    let items = items_on(&range, day);
                                    view! {
                                        <section class="mb-5" aria-labelledby=format!("day-{day}")>
                                            <h2 id=format!("day-{day}") class="mb-2 text-lg font-semibold">
                                                {timefmt::day_heading(locale, day)}
                                            </h2>
                                            {if items.is_empty() {
                                                view! { <p class="text-sm text-slate-600 dark:text-slate-400">{t.week_no_sessions()}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <div class="grid gap-3 md:grid-cols-2">
                                                        {items.into_iter().map(|item| match item {
                                                            DayItem::Session(session) => view! { <SessionCard session locale /> }.into_any(),
                                                            DayItem::GroupMeeting(meeting) => view! { <GroupMeetingCard meeting locale /> }.into_any(),
                                                        }).collect_view()}
                                                    </div>
                                                }
                                                .into_any()
                                            }}
                                        </section>
                                    }
                                })
                                .collect_view()
                                .into_any(),
                        }}
                    }
                })
            }}
        </Suspense>
        <SubscribeLink locale filter=subscribe />
    }
}
