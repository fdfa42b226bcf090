//! An anonymous evaluation, opened through the single-use link emailed once a session or a
//! group ended. The form posts to this same address and works without JavaScript; answered,
//! the page thanks the person and the link stops working.

use super::ErrorNotice;
use super::account::DoneNotice;
use crate::api::evaluations::get_evaluation;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, RadioGroup, Submitted, TextArea};
use crate::components::layout::use_locale;
use crate::domain::evaluation::{EvaluationForm, QUESTIONS, QuestionKind};
use crate::domain::forms::Field;
use crate::domain::zones::reference_time;
use crate::i18n::{Locale, Tr};
use crate::model::EvaluationView;
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

const RATINGS: [&str; 5] = ["1", "2", "3", "4", "5"];

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
    let held = timefmt::date(locale, reference_time(view.held_at).date());
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let questions = QUESTIONS.iter().map(|question| {
        let value = values.value(question.key).to_string();
        // A group shows an error only when its own value is not one it offers; "answer at
        // least one" belongs to the whole form and shows in the summary.
        let group_errors = |options: &[&str]| {
            if value.is_empty() || options.contains(&value.as_str()) { Vec::new() } else { e() }
        };
        match question.kind {
            QuestionKind::Rating => view! {
                <RadioGroup t legend=prompt(t, question.key) name=question.key field=Field::Answers errors=group_errors(&RATINGS) selected=value
                    hint=t.evaluation_rating_hint() options=RATINGS.iter().map(|n| (*n, *n)).collect() />
            }.into_any(),
            QuestionKind::Choice(options) => view! {
                <RadioGroup t legend=prompt(t, question.key) name=question.key field=Field::Answers errors=group_errors(options) selected=value
                    options=options.iter().map(|option| (*option, option_label(t, option))).collect() />
            }.into_any(),
            QuestionKind::YesNo => view! {
                <RadioGroup t legend=prompt(t, question.key) name=question.key field=Field::Answers errors=group_errors(&["yes", "no"]) selected=value
                    options=vec![("yes", t.evaluation_yes()), ("no", t.evaluation_no())] />
            }.into_any(),
            QuestionKind::Text => view! {
                <div>
                    <TextArea t label=prompt(t, question.key) name=question.key field=Field::Comment value errors=e() />
                    <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">{t.evaluation_helped_hint()}</p>
                </div>
            }.into_any(),
        }
    }).collect_view();
    view! {
        <div class="max-w-prose space-y-4">
            <p><span lang=title_lang.as_str()>{t.evaluation_about(&held, title)}</span></p>
            <p class="text-sm text-slate-700 dark:text-slate-300">{t.evaluation_anonymous()}</p>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-6" novalidate>
                {questions}
                <button type="submit" class="min-h-11 rounded bg-teal-800 px-5 font-semibold text-white hover:bg-teal-900">{t.evaluation_submit()}</button>
            </form>
        </div>
    }
}

/// A question as the form and the reports word it.
pub fn prompt(t: Tr, key: &str) -> &'static str {
    match key {
        "supported" => t.evaluation_supported(),
        "feeling" => t.evaluation_feeling(),
        "recommend" => t.evaluation_recommend(),
        _ => t.evaluation_helped(),
    }
}

/// An option of the choice question, worded.
pub fn option_label(t: Tr, option: &str) -> &'static str {
    match option {
        "better" => t.evaluation_feeling_better(),
        "worse" => t.evaluation_feeling_worse(),
        _ => t.evaluation_feeling_same(),
    }
}
