//! The coordinator's editor of a format's evaluation questions: one question a line, in both
//! languages side by side. Saving makes a new revision; earlier answers keep their questions.

use super::{BUTTON, WorkspaceError, WorkspaceNav};
use crate::api::admin::question_set;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, Submitted, TextArea};
use crate::components::layout::{href, use_locale};
use crate::domain::evaluation::QuestionSetForm;
use crate::domain::forms::Field;
use crate::i18n::Tr;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

#[component]
pub fn QuestionsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id: i32 = use_params_map().read_untracked().get("id").and_then(|id| id.parse().ok()).unwrap_or(0);
    let set = Resource::new(|| (), move |()| question_set(id));
    let submitted = Submitted::<QuestionSetForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.questions_title() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                set.get().map(move |set| match set {
                    Ok(set) => {
                        let sent = submitted.values != QuestionSetForm::default();
                        let values = if sent { submitted.values.clone() } else { set.form.clone() };
                        let e = move || submitted.errors.clone();
                        view! {
                            <WorkspaceNav locale coordinator=true />
                            <p class="font-medium">{set.format.pick(locale).0.to_string()}</p>
                            <p class="max-w-prose text-sm text-slate-700 dark:text-slate-300">{t.questions_hint()}</p>
                            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
                            <form method="post" class="mt-3 max-w-5xl space-y-4" novalidate>
                                <div class="grid gap-4 md:grid-cols-2">
                                    <TextArea t label=t.questions_en() name="questions_en" field=Field::Questions value=values.questions_en errors=e() lang="en" />
                                    <TextArea t label=t.questions_fr() name="questions_fr" field=Field::Questions value=values.questions_fr lang="fr" />
                                </div>
                                <button type="submit" class=BUTTON>{t.workspace_save()}</button>
                            </form>
                            <p class="mt-4"><a class="inline-flex min-h-11 items-center underline" href=href(locale, "/workspace/formats")>{t.workspace_formats()}</a></p>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}
