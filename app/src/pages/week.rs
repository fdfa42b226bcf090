//! The week view: Monday to Sunday in Eastern Time, with links to the weeks around it.

use super::{ErrorNotice, filter_from, today, with_query};
use crate::api::formats::list_formats;
use crate::api::sessions::list_range;
use crate::components::filters::FilterForm;
use crate::components::layout::{href, use_locale};
use crate::components::session_card::SessionCard;
use crate::components::{PageHeading, SubscribeLink, TimesNotice};
use crate::domain::calendar::{week_days, week_start};
use crate::domain::zones::reference_time;
use crate::i18n::Tr;
use crate::timefmt;
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WeekPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let query = use_query_map();
    let filter = filter_from(&query.read_untracked());
    let subscribe = filter.clone();
    let shown_day = query
        .read_untracked()
        .get_str("date")
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(today);
    let monday = week_start(shown_day);
    let days = week_days(monday);
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
    let previous = link_to(monday - Days::new(7));
    let next = link_to(monday + Days::new(7));
    let title = t.week_title(timefmt::date(locale, monday));

    view! {
        <PageHeading locale title />
        <nav aria-label=t.week_navigation() class="mb-4 flex flex-wrap gap-4">
            <a class="min-h-11 inline-flex items-center underline" href=previous>{t.week_previous()}</a>
            <a class="min-h-11 inline-flex items-center underline" href=link_to(week_start(today()))>{t.week_this()}</a>
            <a class="min-h-11 inline-flex items-center underline" href=next>{t.week_next()}</a>
        </nav>
        <Suspense>
            {move || {
                let filter = filter.clone();
                let action = action.clone();
                data.get().map(move |(sessions, formats)| {
                    let keep = vec![("date", timefmt::iso_date(monday))];
                    view! {
                        <FilterForm locale filter formats=formats.unwrap_or_default() action keep />
                        <TimesNotice locale />
                        {match sessions {
                            Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                            Ok(sessions) => days
                                .into_iter()
                                .map(|day| {
                                    let on_day: Vec<_> = sessions
                                        .iter()
                                        .filter(|s| reference_time(s.starts_at).date() == day)
                                        .cloned()
                                        .collect();
                                    view! {
                                        <section class="mb-5" aria-labelledby=format!("day-{day}")>
                                            <h2 id=format!("day-{day}") class="mb-2 text-lg font-semibold">
                                                {timefmt::day_heading(locale, day)}
                                            </h2>
                                            {if on_day.is_empty() {
                                                view! { <p class="text-sm text-slate-600 dark:text-slate-400">{t.week_no_sessions()}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <div class="grid gap-3 md:grid-cols-2">
                                                        {on_day.into_iter().map(|session| view! { <SessionCard session locale /> }).collect_view()}
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
