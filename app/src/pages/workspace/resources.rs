//! The coordinator's page of the resources library: every resource, each with a button to
//! remove it; a form to add one (a link, or a PDF uploaded with the form, which is why it is
//! sent as `multipart/form-data`); and the managed list of topics readers filter by.

use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav};
use crate::api::resources::resources_admin;
use crate::components::PageHeading;
use crate::components::fields::{
    CheckboxGroup, ErrorSummary, FileField, SelectField, Submitted, TextArea, TextField,
};
use crate::components::layout::{href, use_locale};
use crate::components::session_card::LocalizedText;
use crate::domain::forms::Field;
use crate::domain::resources::{LibraryResource, ResourceAudience, ResourceForm, Topic, TopicForm};
use crate::i18n::{Locale, Tr};
use crate::pages::account::DoneNotice;
use crate::pages::resources::{audience_label, resource_href};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

const PANEL: &str = "mt-6 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700";
const ROW: &str = "flex flex-wrap items-center justify-between gap-3 rounded border border-slate-200 p-3 dark:border-slate-700";

#[component]
pub fn ResourcesAdminPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done = match use_query_map().read_untracked().get_str("done") {
        Some("added") => Some(t.resources_done_added()),
        Some("removed") => Some(t.resources_done_removed()),
        Some("topic_added") => Some(t.resources_done_topic_added()),
        Some("topic_removed") => Some(t.resources_done_topic_removed()),
        _ => None,
    };
    let library = Resource::new(|| (), |()| resources_admin());
    let resource = Submitted::<ResourceForm>::from_context();
    let topic = Submitted::<TopicForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.resources_manage_title() />
        <Suspense>
            {move || {
                let (resource, topic) = (resource.clone(), topic.clone());
                library.get().map(move |library| match library {
                    Ok(library) => view! {
                        <WorkspaceNav locale coordinator=true />
                        <DoneNotice text=done />
                        <p class="max-w-prose">{t.resources_manage_intro()} " "
                            <a class="inline-flex min-h-11 items-center underline" href=href(locale, "/resources")>{t.resources_title()}</a>
                        </p>
                        {if library.resources.is_empty() {
                            view! { <p class="mt-4">{t.resources_empty()}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="mt-4 max-w-3xl space-y-2">
                                    {library.resources.into_iter().map(|resource| view! { <ResourceEntry locale resource /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <NewResource locale topics=library.topics.clone() submitted=resource />
                        <Topics locale topics=library.topics submitted=topic />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn ResourceEntry(locale: Locale, resource: LibraryResource) -> impl IntoView {
    let t = Tr(locale);
    let target = resource_href(locale, &resource);
    let kind = if resource.link.is_some() { t.resources_external() } else { t.resources_pdf() };
    view! {
        <li class=ROW>
            <span>
                <a class="font-semibold underline" href=target><LocalizedText text=resource.title.clone() locale /></a>
                " · " {kind} " · " {audience_label(t, resource.audience)}
            </span>
            <form method="post">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="id" value=resource.id />
                <button type="submit" class=SECONDARY>{t.resources_remove()}</button>
            </form>
        </li>
    }
}

#[component]
fn NewResource(locale: Locale, topics: Vec<Topic>, submitted: Submitted<ResourceForm>) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let topics: Vec<(String, String)> =
        topics.iter().map(|topic| (topic.id.to_string(), topic.name_in(locale).to_string())).collect();
    let audiences: Vec<(String, String)> = ResourceAudience::ALL
        .into_iter()
        .map(|audience| (audience.as_str().to_string(), audience_label(t, audience).to_string()))
        .collect();
    let audience = if values.audience.is_empty() {
        ResourceAudience::Everyone.as_str().to_string()
    } else {
        values.audience.clone()
    };
    view! {
        <section aria-labelledby="add-resource" class=PANEL>
            <h2 id="add-resource" class="mb-2 text-xl font-semibold">{t.resources_add()}</h2>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" enctype="multipart/form-data" class="space-y-4" novalidate>
                <input type="hidden" name="intent" value="add" />
                <p class="text-sm text-slate-700 dark:text-slate-300">{t.resources_languages_hint()}</p>
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.resources_title_en() name="title_en" field=Field::ResourceTitle value=values.title_en errors=e() lang="en" />
                    <TextField t label=t.resources_title_fr() name="title_fr" field=Field::ResourceTitle value=values.title_fr lang="fr" />
                    <TextArea t label=t.resources_summary_en() name="summary_en" field=Field::Summary value=values.summary_en errors=e() lang="en" />
                    <TextArea t label=t.resources_summary_fr() name="summary_fr" field=Field::Summary value=values.summary_fr lang="fr" />
                </div>
                <TextField t label=t.resources_link() name="link" field=Field::ResourceLink kind="url" value=values.link errors=e() hint=t.resources_link_hint() />
                <CheckboxGroup t legend=t.resources_topics_legend() name="topics" field=Field::Topics options=topics selected=values.topics errors=e() />
                <SelectField t label=t.resources_audience() name="audience" field=Field::Readers options=audiences selected=audience errors=e() />
                // Last, so the fields before it are read even when a file too large cuts the body.
                <FileField t label=t.resources_file() name="file" field=Field::Pdf accept="application/pdf,.pdf" errors=e() hint=t.resources_file_hint() />
                <button type="submit" class=BUTTON>{t.resources_add()}</button>
            </form>
        </section>
    }
}

#[component]
fn Topics(locale: Locale, topics: Vec<Topic>, submitted: Submitted<TopicForm>) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    view! {
        <section aria-labelledby="topics" class=PANEL>
            <h2 id="topics" class="mb-2 text-xl font-semibold">{t.resources_topics_title()}</h2>
            <p class="mb-3 max-w-prose">{t.resources_topics_intro()}</p>
            <ul class="space-y-2">
                {topics.into_iter().map(|topic| view! {
                    <li class=ROW>
                        <span><span lang="en">{topic.name.0.clone()}</span> " · " <span lang="fr">{topic.name.1.clone()}</span></span>
                        <form method="post">
                            <input type="hidden" name="intent" value="remove_topic" />
                            <input type="hidden" name="id" value=topic.id />
                            <button type="submit" class=SECONDARY>{t.resources_remove()}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <h3 class="mt-4 mb-2 text-lg font-semibold">{t.resources_add_topic()}</h3>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <input type="hidden" name="intent" value="add_topic" />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.resources_topic_en() name="topic_en" field=Field::TopicName value=values.topic_en errors=e() lang="en" />
                    <TextField t label=t.resources_topic_fr() name="topic_fr" field=Field::TopicName value=values.topic_fr lang="fr" />
                </div>
                <button type="submit" class=SECONDARY>{t.resources_add_topic()}</button>
            </form>
        </section>
    }
}
