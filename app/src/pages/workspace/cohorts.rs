//! Cohort groups in the workspace: the intakes a facilitator leads (every intake, for the
//! coordinator) with a form to create one, and an intake's page: counts, closing or
//! reopening registration, and its roster for its own facilitator.

use super::session_edit::RosterTable;
use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav, role_resource};
use crate::api::admin::facilitators;
use crate::api::workspace::{cohort_for_workspace, cohorts_admin};
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, SelectField, Submitted, TextArea, TextField};
use crate::components::layout::{href, use_locale};
use crate::components::seats::SeatCount;
use crate::components::session_card::{audience_label, language_label};
use crate::domain::access::Role;
use crate::domain::cohort::{CohortForm, CohortPhase};
use crate::domain::forms::Field;
use crate::domain::session::{Audience, SessionLanguage, SessionStatus};
use crate::i18n::{Locale, Tr};
use crate::model::{CohortAdmin, CohortSummary, FacilitatorAccount, Offering};
use crate::pages::account::DoneNotice;
use crate::pages::cohorts::{phase_text, schedule_text};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

fn done_text(t: Tr) -> Option<&'static str> {
    match use_query_map().read_untracked().get_str("done") {
        Some("created") => Some(t.cohorts_done_created()),
        Some("saved") => Some(t.workspace_done_saved()),
        _ => None,
    }
}

#[component]
pub fn CohortsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done = done_text(t);
    let list = Resource::new(|| (), |()| cohorts_admin());
    let role = role_resource();
    let people = Resource::new(|| (), |()| facilitators());
    let submitted = Submitted::<CohortForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.cohorts_title() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                let (list, role) = (list.get()?, role.get()?);
                let coordinator = matches!(role, Ok(Some(ref user)) if user.role == Role::Coordinator);
                // Only a coordinator may list facilitators; for anyone else the list is empty.
                let people = if coordinator { people.get()?.unwrap_or_default() } else { Vec::new() };
                Some(match list {
                    Ok(list) => view! {
                        <WorkspaceNav locale coordinator />
                        <DoneNotice text=done />
                        <CohortList locale cohorts=list />
                        <NewCohort locale submitted people coordinator />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn CohortList(locale: Locale, cohorts: Vec<CohortSummary>) -> impl IntoView {
    let t = Tr(locale);
    if cohorts.is_empty() {
        return view! { <p class="mb-6">{t.cohorts_none()}</p> }.into_any();
    }
    view! {
        <ul class="mb-8 max-w-3xl space-y-3">
            {cohorts.into_iter().map(|cohort| view! {
                <li class="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
                    <a class="inline-flex min-h-11 items-center text-lg font-semibold underline" href=href(locale, &format!("/workspace/cohorts/{}", cohort.id))>
                        {cohort.title.pick(locale).0.to_string()}
                    </a>
                    <p>{schedule_text(locale, &cohort)}</p>
                    <p class="text-sm">{t.session_led_by(&cohort.facilitator_name)} " · " {phase_text(t, locale, &cohort)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn NewCohort(
    locale: Locale,
    submitted: Submitted<CohortForm>,
    people: Vec<FacilitatorAccount>,
    coordinator: bool,
) -> impl IntoView {
    let t = Tr(locale);
    // A coordinator chooses who leads it; a facilitator leads their own.
    let leaders = coordinator.then(|| {
        people
            .iter()
            .filter(|person| person.active)
            .map(|person| (person.facilitator_id.to_string(), person.display_name.clone()))
            .collect()
    });
    view! {
        <IntakeForm
            locale
            heading=t.cohorts_new()
            hint=t.cohorts_new_hint()
            submitted
            leaders
            intent=None
            submit=t.cohorts_create()
        />
    }
}

/// The fields of an intake, to create one or (with `intent` `update`) to change it.
#[component]
fn IntakeForm(
    locale: Locale,
    heading: &'static str,
    hint: &'static str,
    submitted: Submitted<CohortForm>,
    leaders: Option<Vec<(String, String)>>,
    intent: Option<&'static str>,
    submit: &'static str,
) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let or =
        |value: &str, default: &str| if value.is_empty() { default.to_string() } else { value.to_string() };
    let audiences =
        Audience::ALL.iter().map(|a| (a.as_str().to_string(), audience_label(t, *a).to_string())).collect();
    let languages = SessionLanguage::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), language_label(t, *l).to_string()))
        .collect();
    let heading_id = if intent.is_some() { "edit-cohort" } else { "new-cohort" };
    view! {
        <section class="max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" aria-labelledby=heading_id>
            <h2 id=heading_id class="mb-2 text-xl font-semibold">{heading}</h2>
            <p class="mb-4 text-sm text-slate-700 dark:text-slate-300">{hint}</p>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                {intent.map(|intent| view! { <input type="hidden" name="intent" value=intent /> })}
                <TextField t label=t.cohorts_track() name="track" field=Field::Track value=values.track.clone() errors=e() hint=t.cohorts_track_hint() />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.schedule_title_en() name="title_en" field=Field::Title value=values.title_en.clone() errors=e() lang="en" />
                    <TextField t label=t.schedule_title_fr() name="title_fr" field=Field::Title value=values.title_fr.clone() lang="fr" />
                    <TextArea t label=t.schedule_description_en() name="description_en" field=Field::Description value=values.description_en.clone() errors=e() lang="en" />
                    <TextArea t label=t.schedule_description_fr() name="description_fr" field=Field::Description value=values.description_fr.clone() lang="fr" />
                    <SelectField t label=t.session_audience() name="audience" field=Field::Audience options=audiences selected=or(&values.audience, "all") errors=e() />
                    <SelectField t label=t.session_language() name="language" field=Field::SpokenLanguage options=languages selected=or(&values.language, "en") errors=e() />
                    <TextField t label=t.cohorts_eligibility_en() name="eligibility_en" field=Field::Question value=values.eligibility_en.clone() errors=e() lang="en" />
                    <TextField t label=t.cohorts_eligibility_fr() name="eligibility_fr" field=Field::Question value=values.eligibility_fr.clone() lang="fr" />
                    <TextArea t label=t.cohorts_agreement_en() name="agreement_en" field=Field::AgreementText value=values.agreement_en.clone() errors=e() lang="en" />
                    <TextArea t label=t.cohorts_agreement_fr() name="agreement_fr" field=Field::AgreementText value=values.agreement_fr.clone() lang="fr" />
                </div>
                <TextArea t label=t.cohorts_dates() name="dates" field=Field::Meetings value=values.dates.clone() errors=e() />
                <p class="-mt-3 text-sm text-slate-700 dark:text-slate-300">{t.cohorts_dates_hint()}</p>
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.cohorts_time() name="time" field=Field::Time kind="time" value=values.time.clone() errors=e() />
                    <TextField t label=t.schedule_duration() name="duration" field=Field::Duration kind="number" value=or(&values.duration, "120") errors=e() />
                    <TextField t label=t.schedule_capacity() name="capacity" field=Field::Capacity kind="number" value=or(&values.capacity, "10") errors=e() />
                    <TextField t label=t.cohorts_opens_on() name="opens_on" field=Field::Opens kind="date" value=values.opens_on.clone() errors=e() hint=t.cohorts_opens_on_hint() />
                </div>
                {if intent.is_some() {
                    // The stored link is never shown; left empty, it stays.
                    view! { <TextField t label=t.schedule_meeting_link() name="meeting_link" field=Field::MeetingLink kind="url" value=values.meeting_link.clone() errors=e() hint=t.cohorts_link_kept() /> }.into_any()
                } else {
                    view! { <TextField t label=t.schedule_meeting_link() name="meeting_link" field=Field::MeetingLink kind="url" value=values.meeting_link.clone() errors=e() /> }.into_any()
                }}
                {leaders.map(|choices| view! {
                    <SelectField t label=t.cohorts_facilitator() name="facilitator_id" field=Field::Facilitator options=choices selected=values.facilitator_id.clone() errors=e() placeholder=t.register_choose() />
                })}
                <button type="submit" class=BUTTON>{submit}</button>
            </form>
        </section>
    }
}

#[component]
pub fn CohortAdminPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id = use_params_map().read_untracked().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
    let done = done_text(t);
    let cohort = Resource::new(|| (), move |()| cohort_for_workspace(id));
    let role = role_resource();
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || {
                let (cohort, role) = (cohort.get()?, role.get()?);
                let coordinator = matches!(role, Ok(Some(ref user)) if user.role == Role::Coordinator);
                Some(match cohort {
                    Ok(cohort) => view! {
                        <PageHeading locale title=cohort.summary.title.pick(locale).0.to_string() />
                        <WorkspaceNav locale coordinator />
                        <DoneNotice text=done />
                        <CohortAdminDetails locale cohort />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn CohortAdminDetails(locale: Locale, cohort: CohortAdmin) -> impl IntoView {
    let t = Tr(locale);
    let summary = cohort.summary.clone();
    let before_start =
        matches!(summary.phase, CohortPhase::NotYetOpen(_) | CohortPhase::Open | CohortPhase::Closed);
    view! {
        <div class="max-w-4xl space-y-6">
            <section>
                <p>{schedule_text(locale, &summary)}</p>
                <p class="font-semibold">{phase_text(t, locale, &summary)}</p>
                <p>
                    <SeatCount
                        offering=Offering::Intake(summary.id)
                        capacity=summary.capacity
                        seats_taken=summary.seats_taken
                        status=SessionStatus::Scheduled
                        locale
                        waitlist_length=summary.waitlist_length
                    />
                </p>
                <p><a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/cohorts/{}", summary.id))>{t.rounds_public_page()}</a></p>
                {before_start.then(|| view! {
                    <form method="post" class="mt-2">
                        {if cohort.registration_closed {
                            view! { <button type="submit" name="intent" value="reopen" class=SECONDARY>{t.workspace_reopen()}</button> }.into_any()
                        } else {
                            view! { <button type="submit" name="intent" value="close" class=SECONDARY>{t.workspace_close()}</button> }.into_any()
                        }}
                    </form>
                })}
            </section>
            {before_start.then(|| {
                // The intake as stored, unless this page comes back with the edit typed.
                let posted = Submitted::<CohortForm>::from_context();
                let submitted = if posted.values == CohortForm::default() {
                    Submitted { values: cohort.form.clone(), ..posted }
                } else {
                    posted
                };
                view! {
                    <IntakeForm
                        locale
                        heading=t.cohorts_edit()
                        hint=t.cohorts_edit_hint()
                        submitted
                        leaders=None
                        intent=Some("update")
                        submit=t.cohorts_save()
                    />
                }
            })}
            {match cohort.roster {
                Some(people) if people.is_empty() => view! { <p>{t.workspace_roster_empty()}</p> }.into_any(),
                Some(people) => view! {
                    <section aria-labelledby="roster-heading">
                        <h2 id="roster-heading" class="mb-2 text-xl font-semibold">{t.workspace_roster()}</h2>
                        <RosterTable locale people />
                    </section>
                }.into_any(),
                None => view! { <p class="text-sm">{t.cohorts_roster_private()}</p> }.into_any(),
            }}
        </div>
    }
}
