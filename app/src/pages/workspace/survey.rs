//! The coordinator's page of a round's members' survey: when the follow-ups go out and what
//! they ask, who completed each wave (never what they answered), and the answers combined.

use super::reports::EvaluationResults;
use super::{BUTTON, WorkspaceError, WorkspaceNav};
use crate::api::workspace::round_survey;
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, Submitted, TextArea, TextField};
use crate::components::layout::{href, use_locale};
use crate::domain::forms::Field;
use crate::domain::survey::SurveyForm;
use crate::i18n::{Locale, Tr};
use crate::model::{SurveyAdmin, WaveStatus};
use crate::pages::account::DoneNotice;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A wave as a heading names it: "As they started", "6 months after the start".
fn wave_heading(t: Tr, wave: u32) -> String {
    match wave {
        0 => t.survey_wave_heading_baseline().to_string(),
        months => t.survey_wave_heading_follow_up(i64::from(months)),
    }
}

fn status_text(t: Tr, status: WaveStatus) -> &'static str {
    match status {
        WaveStatus::NotYet => t.survey_status_not_yet(),
        WaveStatus::Asked => t.survey_status_asked(),
        WaveStatus::Completed => t.survey_status_completed(),
        WaveStatus::Missed => t.survey_status_missed(),
    }
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id = use_params_map().read_untracked().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
    let saved = use_query_map().read_untracked().get_str("done") == Some("saved");
    let survey = Resource::new(|| (), move |()| round_survey(id));
    let submitted = Submitted::<SurveyForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.survey_title() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                survey.get().map(move |survey| match survey {
                    Ok(survey) => view! {
                        <WorkspaceNav locale coordinator=true />
                        <DoneNotice text=saved.then(|| t.workspace_done_saved()) />
                        <SurveyDetails locale survey submitted />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn SurveyDetails(locale: Locale, survey: SurveyAdmin, submitted: Submitted<SurveyForm>) -> impl IntoView {
    let t = Tr(locale);
    let sent = submitted.values != SurveyForm::default();
    let values = if sent { submitted.values.clone() } else { survey.form.clone() };
    let e = move || submitted.errors.clone();
    let round_page = format!("/workspace/rounds/{}", survey.round_id);
    let headings: Vec<String> = survey.waves.iter().map(|&wave| wave_heading(t, wave)).collect();
    view! {
        <div class="max-w-5xl space-y-8">
            <section>
                <p class="font-medium">{survey.title.pick(locale).0.to_string()}</p>
                <p class="mt-1 max-w-prose text-sm text-slate-700 dark:text-slate-300">{t.survey_hint()}</p>
                {(!survey.configured).then(|| view! { <p class="mt-2 font-medium">{t.survey_not_set()}</p> })}
                <ErrorSummary t errors=e() failure=submitted.failure.clone() />
                <form method="post" class="mt-3 space-y-4" novalidate>
                    <TextField t label=t.survey_follow_ups() name="follow_ups" field=Field::FollowUps value=values.follow_ups errors=e() hint=t.survey_follow_ups_hint() />
                    <p class="max-w-prose text-sm text-slate-700 dark:text-slate-300">{t.questions_hint()}</p>
                    <div class="grid gap-4 md:grid-cols-2">
                        <TextArea t label=t.questions_en() name="questions_en" field=Field::Questions value=values.questions_en errors=e() lang="en" />
                        <TextArea t label=t.questions_fr() name="questions_fr" field=Field::Questions value=values.questions_fr lang="fr" />
                    </div>
                    <button type="submit" class=BUTTON>{t.workspace_save()}</button>
                </form>
            </section>
            <section aria-labelledby="completion">
                <h2 id="completion" class="mb-2 text-xl font-semibold">{t.survey_completion()}</h2>
                {if survey.members.is_empty() {
                    view! { <p>{t.survey_no_members()}</p> }.into_any()
                } else {
                    view! {
                        <div class="overflow-x-auto" tabindex="0" role="region" aria-label=t.survey_completion()>
                            <table class="min-w-full text-left text-sm">
                                <thead>
                                    <tr>
                                        <th scope="col" class="p-2">{t.draw_number()}</th>
                                        <th scope="col" class="p-2">{t.round_field_name()}</th>
                                        <th scope="col" class="p-2">{t.survey_group()}</th>
                                        {headings.iter().map(|heading| view! { <th scope="col" class="p-2">{heading.clone()}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {survey.members.iter().map(|member| view! {
                                        <tr class="border-t border-slate-200 dark:border-slate-700">
                                            <td class="p-2">{member.number}</td>
                                            <th scope="row" class="p-2 font-medium">{member.name.clone()}</th>
                                            <td class="p-2">{member.group.pick(locale).0.to_string()}</td>
                                            {member.waves.iter().map(|status| view! { <td class="p-2">{status_text(t, *status)}</td> }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
            {survey.configured.then(|| view! {
                <section aria-labelledby="results">
                    <h2 id="results" class="text-xl font-semibold">{t.survey_results()}</h2>
                    {survey.results.iter().map(|(wave, row)| view! {
                        <EvaluationResults t row=row.clone() heading=wave_heading(t, *wave) />
                    }).collect_view()}
                </section>
            })}
            <p><a class="inline-flex min-h-11 items-center underline" href=href(locale, &round_page)>{survey.title.pick(locale).0.to_string()}</a></p>
        </div>
    }
}
