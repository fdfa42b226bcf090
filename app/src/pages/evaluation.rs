//! An anonymous evaluation, opened through the single-use link emailed once a session or a
//! group ended. The form posts to this same address and works without JavaScript; answered,
//! the page thanks the person and the link stops working.

use super::ErrorNotice;
use super::account::DoneNotice;
use crate::api::evaluations::get_evaluation;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, RadioGroup, Submitted, TextArea};
use crate::components::layout::use_locale;
use crate::domain::evaluation::{EvaluationForm, QuestionKind};
use crate::domain::forms::Field;
use crate::domain::zones::reference_time;
use crate::i18n::{Locale, Tr};
use crate::model::{EvaluationView, Occasion};
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let answered = use_query_map().read_untracked().get_str("answered").is_some();
    let submitted = Submitted::<EvaluationForm>::from_context();
    let evaluation = Resource::new(|| (), move |()| get_evaluation(token.clone()));
    view! {
        // Private: out of search engines and other sites' logs (see the registration page).
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <PageHeading locale title=t.evaluation_title() />
        {if answered {
            view! { <DoneNotice text=Some(t.evaluation_thanks()) /> }.into_any()
        } else {
            view! {
                <Suspense>
                    {move || evaluation.get().map(|result| match result {
                        Ok(view) => view! { <EvaluationFields locale view submitted=submitted.clone() /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                    })}
                </Suspense>
            }.into_any()
        }}
    }
}

#[component]
fn EvaluationFields(
    locale: Locale,
    view: EvaluationView,
    submitted: Submitted<EvaluationForm>,
) -> impl IntoView {
    let t = Tr(locale);
    let (title, title_lang) = view.title.pick(locale);
    let (about, privacy) = match view.occasion {
        Occasion::Held(at) => (
            t.evaluation_about(title, timefmt::date(locale, reference_time(at).date())),
            t.evaluation_anonymous(),
        ),
        Occasion::SurveyWave(wave) => (t.survey_about(title, wave_label(t, wave)), t.survey_private()),
    };
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let questions = view.questions.iter().map(|question| {
        let value = values.value(&question.key).to_string();
        let offered: Vec<String> = question.values();
        // A group shows an error only when its own value is not one it offers; "answer at
        // least one" belongs to the whole form and shows in the summary.
        let errors = if value.is_empty() || offered.contains(&value) { Vec::new() } else { e() };
        let prompt = question.prompt(locale).to_string();
        let options: Vec<(String, String)> =
            offered.iter().map(|v| (v.clone(), question.value_label(locale, v))).collect();
        match question.kind {
            QuestionKind::Text => view! {
                <div>
                    <TextArea t label=prompt name=question.key.clone() field=Field::Comment value errors=e() />
                    <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">{t.evaluation_helped_hint()}</p>
                </div>
            }.into_any(),
            QuestionKind::Rating => view! {
                <RadioGroup t legend=prompt name=question.key.clone() field=Field::Answers errors selected=value
                    hint=t.evaluation_rating_hint() options />
            }.into_any(),
            _ => view! {
                <RadioGroup t legend=prompt name=question.key.clone() field=Field::Answers errors selected=value options />
            }.into_any(),
        }
    }).collect_view();
    view! {
        <div class="max-w-prose space-y-4">
            <p><span lang=title_lang.as_str()>{about}</span></p>
            <p class="text-sm text-slate-700 dark:text-slate-300">{privacy}</p>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-6" novalidate>
                {questions}
                <button type="submit" class="min-h-11 rounded bg-teal-800 px-5 font-semibold text-white hover:bg-teal-900">{t.evaluation_submit()}</button>
            </form>
        </div>
    }
}

/// A survey wave as a sentence names it: "the follow-up 6 months after the start".
pub fn wave_label(t: Tr, wave: u32) -> String {
    match wave {
        0 => t.survey_wave_baseline().to_string(),
        months => t.survey_wave_follow_up(i64::from(months)),
    }
}
