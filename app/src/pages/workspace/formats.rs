//! The coordinator's list of session formats, each editable in both languages, and a form to
//! add one.

use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav};
use crate::api::admin::formats_admin;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, Submitted, TextArea, TextField};
use crate::components::layout::{href, use_locale};
use crate::domain::format_form::FormatForm;
use crate::domain::forms::{Field, FieldError};
use crate::i18n::{Locale, Tr};
use crate::pages::account::DoneNotice;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

/// Which format a failed save was for (`None` for a new one).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FormatPost {
    pub id: Option<i32>,
    #[serde(flatten)]
    pub format: FormatForm,
}

#[component]
pub fn FormatsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done =
        (use_query_map().read_untracked().get_str("done") == Some("saved")).then(|| t.workspace_done_saved());
    let list = Resource::new(|| (), |()| formats_admin());
    let submitted = Submitted::<FormatPost>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.workspace_formats() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                list.get().map(move |list| match list {
                    Ok(list) => view! {
                        <WorkspaceNav locale coordinator=true />
                        <DoneNotice text=done />
                        {list.into_iter().map(|record| {
                            let mine = submitted.values.id == Some(record.id);
                            let values = if mine { submitted.values.format.clone() } else {
                                FormatForm {
                                    slug: record.slug.clone(),
                                    name_en: record.info.name.en.clone().unwrap_or_default(),
                                    name_fr: record.info.name.fr.clone().unwrap_or_default(),
                                    description_en: record.info.description.en.clone().unwrap_or_default(),
                                    description_fr: record.info.description.fr.clone().unwrap_or_default(),
                                    led_by_en: record.info.led_by.en.clone().unwrap_or_default(),
                                    led_by_fr: record.info.led_by.fr.clone().unwrap_or_default(),
                                    position: record.position.to_string(),
                                }
                            };
                            let errors = if mine { submitted.errors.clone() } else { Vec::new() };
                            let title = record.info.name.pick(locale).0.to_string();
                            view! {
                                <details class="mb-3 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" open=mine>
                                    <summary class="min-h-11 cursor-pointer font-semibold">{title} " (" {record.slug.clone()} ")"</summary>
                                    <FormatFields locale id=Some(record.id) values errors />
                                    <p class="mt-3"><a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/workspace/formats/{}/questions", record.id))>{t.questions_edit()}</a></p>
                                </details>
                            }
                        }).collect_view()}
                        <section class="mt-8 max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" aria-labelledby="new-format">
                            <h2 id="new-format" class="mb-2 text-xl font-semibold">{t.workspace_new_format()}</h2>
                            <FormatFields
                                locale
                                id=None
                                values=if submitted.values.id.is_none() { submitted.values.format.clone() } else { FormatForm::default() }
                                errors=if submitted.values.id.is_none() { submitted.errors.clone() } else { Vec::new() }
                            />
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn FormatFields(
    locale: Locale,
    id: Option<i32>,
    values: FormatForm,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let t = Tr(locale);
    let e = || errors.clone();
    view! {
        <ErrorSummary t errors=e() failure=None />
        <form method="post" class="mt-3 space-y-4" novalidate>
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            {if id.is_none() {
                view! { <TextField t label=t.workspace_format_slug() name="slug" field=Field::Format value=values.slug errors=e()
                    hint=t.workspace_format_slug_hint() /> }.into_any()
            } else {
                view! { <input type="hidden" name="slug" value=values.slug /> }.into_any()
            }}
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField t label=t.workspace_format_name_en() name="name_en" field=Field::Name value=values.name_en errors=e() lang="en" />
                <TextField t label=t.workspace_format_name_fr() name="name_fr" field=Field::Name value=values.name_fr lang="fr" />
                <TextArea t label=t.schedule_description_en() name="description_en" field=Field::Description value=values.description_en errors=e() lang="en" />
                <TextArea t label=t.schedule_description_fr() name="description_fr" field=Field::Description value=values.description_fr lang="fr" />
                <TextField t label=t.workspace_format_led_by_en() name="led_by_en" field=Field::Credentials value=values.led_by_en errors=e() lang="en" />
                <TextField t label=t.workspace_format_led_by_fr() name="led_by_fr" field=Field::Credentials value=values.led_by_fr lang="fr" />
                <TextField t label=t.workspace_format_position() name="position" field=Field::Repeat kind="number" value=values.position />
            </div>
            <button type="submit" class=if id.is_some() { SECONDARY } else { BUTTON }>{t.workspace_save()}</button>
        </form>
    }
}
