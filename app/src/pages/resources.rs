//! The resources library: readings and tools the coordinators chose, filtered by topic and
//! audience and searched in the page's language. The filters are a plain GET form, so a choice
//! lives in the address, can be shared, and works without JavaScript. A resource written in
//! one language only is shown in it, marked, to readers of the other.

use super::ErrorNotice;
use crate::api::resources::get_library;
use crate::components::PageHeading;
use crate::components::layout::{href, use_locale};
use crate::components::session_card::LocalizedText;
use crate::domain::resources::{LibraryFilter, LibraryResource, ResourceAudience, Topic};
use crate::i18n::{Locale, Tr};
use crate::model::Library;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const FIELD: &str = "mt-1 min-h-11 w-full rounded border border-slate-500 bg-white px-3 dark:bg-slate-900";
const CARD: &str = "rounded-lg border border-slate-200 p-4 dark:border-slate-700";

pub fn audience_label(t: Tr, audience: ResourceAudience) -> &'static str {
    match audience {
        ResourceAudience::Everyone => t.resources_audience_everyone(),
        ResourceAudience::Physicians => t.resources_audience_physicians(),
        ResourceAudience::Residents => t.resources_audience_residents(),
        ResourceAudience::MedicalStudents => t.resources_audience_medical_students(),
    }
}

/// Where a resource is read: its link, or its PDF as this site serves it.
pub fn resource_href(locale: Locale, resource: &LibraryResource) -> String {
    match &resource.link {
        Some(link) => link.clone(),
        None => href(locale, &format!("/resources/{}/pdf", resource.id)),
    }
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let query = use_query_map().read_untracked();
    let filter =
        LibraryFilter::from_query(query.get_str("topic"), query.get_str("audience"), query.get_str("q"));
    let library = {
        let filter = filter.clone();
        Resource::new(|| (), move |()| get_library(filter.clone(), locale))
    };
    view! {
        <PageHeading locale title=t.resources_title() />
        <p class="mb-4 max-w-prose">{t.resources_intro()}</p>
        <Suspense>
            {move || {
                let filter = filter.clone();
                library.get().map(move |library| match library {
                    Ok(library) => view! { <Shelf locale library filter /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn Shelf(locale: Locale, library: Library, filter: LibraryFilter) -> impl IntoView {
    let t = Tr(locale);
    let action = href(locale, "/resources");
    let count = library.resources.len();
    let topics = library.topics.clone();
    view! {
        <form method="get" action=action.clone() role="search" aria-label=t.resources_filter_label() class="mb-6 max-w-3xl rounded-lg bg-slate-50 p-4 dark:bg-slate-900">
            <div class="grid gap-3 sm:grid-cols-2">
                <div class="sm:col-span-2">
                    <label for="resources-q" class="block font-medium">{t.resources_search()}</label>
                    <p id="resources-q-hint" class="text-sm text-slate-700 dark:text-slate-300">{t.resources_search_hint()}</p>
                    <input id="resources-q" type="search" name="q" value=filter.query.clone() aria-describedby="resources-q-hint" class=FIELD />
                </div>
                <div>
                    <label for="resources-topic" class="block font-medium">{t.resources_topic()}</label>
                    <select id="resources-topic" name="topic" class=FIELD>
                        <option value="">{t.resources_any_topic()}</option>
                        {library.topics.iter().map(|topic| view! {
                            <option value=topic.id.to_string() selected=filter.topic == Some(topic.id)>{topic.name_in(locale).to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="resources-audience" class="block font-medium">{t.resources_audience()}</label>
                    <select id="resources-audience" name="audience" class=FIELD>
                        <option value="">{t.resources_any_audience()}</option>
                        {ResourceAudience::ALL.into_iter().map(|audience| view! {
                            <option value=audience.as_str() selected=filter.audience == Some(audience)>{audience_label(t, audience)}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="mt-3 flex flex-wrap items-center gap-4">
                <button type="submit" class="min-h-11 rounded bg-teal-800 px-4 font-semibold text-white hover:bg-teal-900">{t.resources_apply()}</button>
                {(!filter.is_empty()).then(|| view! {
                    <a class="inline-flex min-h-11 items-center underline" href=action.clone()>{t.resources_clear()}</a>
                })}
            </div>
        </form>
        <p class="mb-3 font-medium">{t.resources_count(i64::try_from(count).unwrap_or(i64::MAX))}</p>
        {if library.resources.is_empty() {
            view! { <p class="max-w-prose">{t.resources_none()}</p> }.into_any()
        } else {
            view! {
                <ul class="max-w-3xl space-y-4">
                    {library.resources.into_iter().map(|resource| view! { <Entry locale resource topics=topics.clone() /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn Entry(locale: Locale, resource: LibraryResource, topics: Vec<Topic>) -> impl IntoView {
    let t = Tr(locale);
    let target = resource_href(locale, &resource);
    let pdf = resource.link.is_none();
    let (_, written_in) = resource.title.pick(locale);
    let names: Vec<String> = resource
        .topics
        .iter()
        .filter_map(|id| topics.iter().find(|topic| topic.id == *id))
        .map(|topic| topic.name_in(locale).to_string())
        .collect();
    view! {
        <li class=CARD>
            <h2 class="text-lg font-semibold">
                {if pdf {
                    view! { <a class="underline" href=target><LocalizedText text=resource.title.clone() locale /></a> }.into_any()
                } else {
                    view! { <a class="underline" href=target rel="noopener noreferrer" hreflang=written_in.as_str()><LocalizedText text=resource.title.clone() locale /></a> }.into_any()
                }}
            </h2>
            <p class="text-sm text-slate-700 dark:text-slate-300">{if pdf { t.resources_pdf() } else { t.resources_external() }}</p>
            <p class="mt-2"><LocalizedText text=resource.summary.clone() locale /></p>
            <p class="mt-2 text-sm text-slate-700 dark:text-slate-300">
                {(!names.is_empty()).then(|| view! { {t.resources_topics_of(names.join(", "))} " · " })}
                {t.resources_written_for(audience_label(t, resource.audience))}
            </p>
        </li>
    }
}
