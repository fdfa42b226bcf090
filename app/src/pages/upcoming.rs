//! The home page: upcoming sessions, soonest first, grouped by day, with the filters.

use super::{ErrorNotice, filter_from, with_query};
use crate::api::cohorts::list_cohorts;
use crate::api::formats::list_formats;
use crate::api::sessions::list_upcoming;
use crate::components::filters::FilterForm;
use crate::components::layout::{href, use_locale};
use crate::components::session_card::SessionCard;
use crate::components::{PageHeading, SubscribeLink, TimesNotice};
use crate::domain::calendar::CalendarFilter;
use crate::domain::cohort::CohortPhase;
use crate::domain::zones::reference_time;
use crate::i18n::Tr;
use crate::model::{CohortSummary, SessionSummary};
use crate::pages::cohorts::CohortCard;
use crate::timefmt;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UpcomingPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let query = use_query_map();
    let filter = filter_from(&query.read_untracked());
    let subscribe = filter.clone();
    let page: u32 = query.read_untracked().get_str("page").and_then(|p| p.parse().ok()).unwrap_or(0);
    let data = Resource::new(|| (), {
        let filter = filter.clone();
        move |()| {
            let filter = filter.clone();
            async move { (list_upcoming(filter, page).await, list_formats().await, list_cohorts().await) }
        }
    });
    let action = href(locale, "");

    view! {
        <PageHeading locale title=t.upcoming_title() />
        <p class="mb-4 max-w-prose text-slate-700 dark:text-slate-300">{t.upcoming_intro()}</p>
        <Suspense>
            {move || {
                let filter = filter.clone();
                let action = action.clone();
                data.get().map(move |(sessions, formats, cohorts)| {
                    let formats = formats.unwrap_or_default();
                    // Cohorts are listed once, above the first page of sessions.
                    let cohorts = if page == 0 { cohorts.unwrap_or_default() } else { Vec::new() };
                    let page_link = {
                        let filter_query = filter.to_query();
                        let action = action.clone();
                        move |page: u32| {
                            let page_param = (page > 0).then(|| format!("page={page}"));
                            let query: Vec<&str> =
                                [Some(filter_query.as_str()), page_param.as_deref()]
                                    .into_iter()
                                    .flatten()
                                    .filter(|part| !part.is_empty())
                                    .collect();
                            with_query(&action, &query.join("&"))
                        }
                    };
                    view! {
                        <FilterForm locale filter=filter.clone() formats action=action.clone() />
                        <TimesNotice locale />
                        {match sessions {
                            Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                            Ok(found) if found.sessions.is_empty() => {
                                view! { <p class="rounded bg-slate-50 p-4 dark:bg-slate-900">{t.upcoming_empty()}</p> }.into_any()
                            }
                            Ok(found) => view! {
                                <DayGroups sessions=found.sessions locale />
                                <nav aria-label=t.pagination_label() class="mt-6 flex justify-between">
                                    {(page > 0).then(|| view! {
                                        <a class="min-h-11 inline-flex items-center underline" href=page_link(page - 1)>{t.pagination_earlier()}</a>
                                    })}
                                    <span></span>
                                    {found.has_more.then(|| view! {
                                        <a class="min-h-11 inline-flex items-center underline" href=page_link(page + 1)>{t.pagination_later()}</a>
                                    })}
                                </nav>
                            }
                            .into_any(),
                        }}
                        <Cohorts cohorts filter=filter.clone() locale />
                    }
                })
            }}
        </Suspense>
        <SubscribeLink locale filter=subscribe />
    }
}

/// Sessions under a heading for each day (Eastern Time) they fall on.
#[component]
fn DayGroups(sessions: Vec<SessionSummary>, locale: crate::i18n::Locale) -> impl IntoView {
    let mut days: Vec<(NaiveDate, Vec<SessionSummary>)> = Vec::new();
    for session in sessions {
        let day = reference_time(session.starts_at).date();
        match days.last_mut() {
            Some((last, group)) if *last == day => group.push(session),
            _ => days.push((day, vec![session])),
        }
    }
    days.into_iter()
        .map(|(day, group)| {
            view! {
                <section class="mb-6" aria-labelledby=format!("day-{day}")>
                    <h2 id=format!("day-{day}") class="mb-2 text-lg font-semibold">
                        {timefmt::day_heading(locale, day)}
                    </h2>
                    <div class="grid gap-3 md:grid-cols-2">
                        {group.into_iter().map(|session| view! { <SessionCard session locale /> }).collect_view()}
                    </div>
                </section>
            }
        })
        .collect_view()
}

/// Cohort groups still taking registrations (or about to): one registration, several meetings.
#[component]
fn Cohorts(
    cohorts: Vec<CohortSummary>,
    filter: CalendarFilter,
    locale: crate::i18n::Locale,
) -> impl IntoView {
    let t = Tr(locale);
    // Cohorts have no format; narrowing to a format leaves them out.
    let joinable: Vec<CohortSummary> = cohorts
        .into_iter()
        .filter(|cohort| matches!(cohort.phase, CohortPhase::Open | CohortPhase::NotYetOpen(_)))
        .filter(|_| filter.format.is_none())
        .filter(|cohort| filter.language.is_none_or(|language| cohort.language.welcomes(language)))
        .filter(|cohort| filter.audience.is_none_or(|audience| audience == cohort.audience))
        .collect();
    (!joinable.is_empty()).then(|| {
        view! {
            <section class="mb-6" aria-labelledby="cohorts">
                <h2 id="cohorts" class="mb-2 text-lg font-semibold">{t.upcoming_cohorts()}</h2>
                <div class="grid gap-3 md:grid-cols-2">
                    {joinable.into_iter().map(|cohort| view! { <CohortCard cohort locale /> }).collect_view()}
                </div>
            </section>
        }
    })
}
