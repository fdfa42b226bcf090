//! The coordinator's page of the "Get support now" directory: every line, each with a button to
//! remove it, and a form to add one. Demo entries say they are examples to replace.

use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav};
use crate::api::support::get_support_directory;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, SelectField, Submitted, TextField};
use crate::components::layout::{href, use_locale};
use crate::components::registration_form::province_label;
use crate::domain::forms::Field;
use crate::domain::registration::Province;
use crate::domain::support::{SupportLine, SupportLineForm};
use crate::i18n::{Locale, Tr};
use crate::pages::account::DoneNotice;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SupportLinesPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done = match use_query_map().read_untracked().get_str("done") {
        Some("added") => Some(t.support_done_added()),
        Some("removed") => Some(t.support_done_removed()),
        _ => None,
    };
    let directory = Resource::new(|| (), |()| get_support_directory());
    let submitted = Submitted::<SupportLineForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.support_lines_title() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                directory.get().map(move |directory| match directory {
                    Ok(directory) => view! {
                        <WorkspaceNav locale coordinator=true />
                        <DoneNotice text=done />
                        <p class="max-w-prose">{t.support_lines_intro()} " "
                            <a class="inline-flex min-h-11 items-center underline" href=href(locale, "/support")>{t.support_title()}</a>
                        </p>
                        <ul class="mt-4 max-w-3xl space-y-2">
                            {directory.lines.into_iter().map(|line| view! { <LineEntry locale line /> }).collect_view()}
                        </ul>
                        <NewLine locale submitted />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn LineEntry(locale: Locale, line: SupportLine) -> impl IntoView {
    let t = Tr(locale);
    let area = line
        .province
        .map_or_else(|| t.support_national_lines().to_string(), |p| province_label(t, p).to_string());
    let name = if locale == Locale::En { line.name.0 } else { line.name.1 };
    view! {
        <li class="flex flex-wrap items-center justify-between gap-3 rounded border border-slate-200 p-3 dark:border-slate-700">
            <span>
                <span class="font-semibold">{name}</span> " · " {line.phone} " · " {area}
                {line.example.then(|| view! { <span class="block text-sm">{t.support_example_entry()}</span> })}
            </span>
            <form method="post">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="id" value=line.id />
                <button type="submit" class=SECONDARY>{t.support_remove()}</button>
            </form>
        </li>
    }
}

#[component]
fn NewLine(locale: Locale, submitted: Submitted<SupportLineForm>) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let provinces: Vec<(String, String)> = Province::ALL
        .into_iter()
        .map(|p| (p.as_str().to_string(), province_label(t, p).to_string()))
        .collect();
    let languages = vec![
        ("bilingual".to_string(), t.support_in_both().to_string()),
        ("en".to_string(), t.support_in_english().to_string()),
        ("fr".to_string(), t.support_in_french().to_string()),
    ];
    let language = if values.language.is_empty() { "bilingual".to_string() } else { values.language.clone() };
    view! {
        <section aria-labelledby="add-line" class="mt-6 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700">
            <h2 id="add-line" class="mb-2 text-xl font-semibold">{t.support_add()}</h2>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <input type="hidden" name="intent" value="add" />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.support_name_en() name="name_en" field=Field::LineName value=values.name_en errors=e() lang="en" />
                    <TextField t label=t.support_name_fr() name="name_fr" field=Field::LineName value=values.name_fr lang="fr" />
                    <TextField t label=t.support_phone() name="phone" field=Field::Phone kind="tel" value=values.phone errors=e() />
                    <TextField t label=t.support_website_field() name="website" field=Field::Website kind="url" value=values.website errors=e() hint=t.support_website_hint() />
                    <TextField t label=t.support_hours_en() name="hours_en" field=Field::Hours value=values.hours_en errors=e() lang="en" />
                    <TextField t label=t.support_hours_fr() name="hours_fr" field=Field::Hours value=values.hours_fr lang="fr" />
                    <SelectField t label=t.support_area() name="province" field=Field::Province options=provinces selected=values.province errors=e() placeholder=t.support_national_lines() />
                    <SelectField t label=t.support_languages() name="language" field=Field::SpokenLanguage options=languages selected=language errors=e() />
                </div>
                <button type="submit" class=BUTTON>{t.support_add()}</button>
            </form>
        </section>
    }
}
