//! Application rounds in the workspace: the coordinator's list of rounds and form to open one,
//! a round's page (groups, applications, the draw, closing), and the groups a facilitator
//! leads with their members.

use super::{BUTTON, SECONDARY, WorkspaceError, WorkspaceNav};
use crate::api::admin::facilitators;
use crate::api::workspace::{my_groups, round_for_coordinator, rounds_admin};
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, INPUT, SelectField, Submitted, TextArea, TextField};
use crate::components::layout::{href, use_locale};
use crate::domain::application_round::{GroupForm, RoundForm, RoundStatus};
use crate::domain::forms::Field;
use crate::i18n::{Locale, Tr};
use crate::model::{ApplicantEntry, FacilitatorAccount, RoundAdmin, RoundSummary};
use crate::pages::account::DoneNotice;
use crate::pages::rounds::preference_label;
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_label(t: Tr, status: RoundStatus) -> &'static str {
    match status {
        RoundStatus::Open => t.round_status_open(),
        RoundStatus::Drawn => t.round_status_drawn(),
        RoundStatus::Closed => t.round_status_closed(),
    }
}

fn done_text(t: Tr) -> Option<&'static str> {
    match use_query_map().read_untracked().get_str("done") {
        Some("opened") => Some(t.rounds_done_opened()),
        Some("saved") => Some(t.workspace_done_saved()),
        Some("drawn") => Some(t.rounds_done_drawn()),
        Some("ended") => Some(t.rounds_done_ended()),
        Some("closed") => Some(t.rounds_done_closed()),
        _ => None,
    }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let done = done_text(t);
    let list = Resource::new(|| (), |()| rounds_admin());
    let submitted = Submitted::<RoundForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.rounds_title() />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                list.get().map(move |list| match list {
                    Ok(list) => view! {
                        <WorkspaceNav locale coordinator=true />
                        <DoneNotice text=done />
                        <RoundList locale rounds=list />
                        <NewRound locale submitted />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn RoundList(locale: Locale, rounds: Vec<RoundSummary>) -> impl IntoView {
    let t = Tr(locale);
    if rounds.is_empty() {
        return view! { <p class="mb-6">{t.rounds_none()}</p> }.into_any();
    }
    view! {
        <ul class="mb-8 max-w-3xl space-y-3">
            {rounds.into_iter().map(|round| view! {
                <li class="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
                    <a class="inline-flex min-h-11 items-center text-lg font-semibold underline" href=href(locale, &format!("/workspace/rounds/{}", round.id))>
                        {round.title.pick(locale).0.to_string()}
                    </a>
                    <p>{status_label(t, round.status)} " · " {t.rounds_deadline(timefmt::in_eastern(locale, round.deadline))}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn NewRound(locale: Locale, submitted: Submitted<RoundForm>) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let retention =
        if values.retention_days.is_empty() { "90".to_string() } else { values.retention_days.clone() };
    view! {
        <section class="max-w-3xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" aria-labelledby="new-round">
            <h2 id="new-round" class="mb-2 text-xl font-semibold">{t.rounds_new()}</h2>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.schedule_title_en() name="title_en" field=Field::Title value=values.title_en errors=e() lang="en" />
                    <TextField t label=t.schedule_title_fr() name="title_fr" field=Field::Title value=values.title_fr lang="fr" />
                    <TextArea t label=t.schedule_description_en() name="description_en" field=Field::Description value=values.description_en errors=e() lang="en" />
                    <TextArea t label=t.schedule_description_fr() name="description_fr" field=Field::Description value=values.description_fr lang="fr" />
                    <TextField t label=t.rounds_deadline_date() name="date" field=Field::Date kind="date" value=values.date errors=e() />
                    <TextField t label=t.rounds_deadline_time() name="time" field=Field::Time kind="time" value=values.time errors=e() hint=t.rounds_deadline_hint() />
                    <TextField t label=t.rounds_retention() name="retention_days" field=Field::Retention kind="number" value=retention errors=e() hint=t.rounds_retention_hint() />
                </div>
                <label class="flex min-h-11 items-center gap-3">
                    <input type="checkbox" name="allow_either" value="yes" checked=values.allow_either.is_some() || submitted.errors.is_empty() class="h-5 w-5" />
                    {t.rounds_allow_either()}
                </label>
                <button type="submit" class=BUTTON>{t.rounds_open()}</button>
            </form>
        </section>
    }
}

#[component]
pub fn RoundAdminPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id = use_params_map().read_untracked().get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
    let done = done_text(t);
    let round = Resource::new(|| (), move |()| round_for_coordinator(id));
    let people = Resource::new(|| (), |()| facilitators());
    let submitted = Submitted::<GroupForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                let (round, people) = (round.get()?, people.get()?);
                Some(match round {
                    Ok(round) => view! {
                        <PageHeading locale title=round.summary.title.pick(locale).0.to_string() />
                        <WorkspaceNav locale coordinator=true />
                        <DoneNotice text=done />
                        <RoundAdminDetails locale round people=people.unwrap_or_default() submitted />
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn RoundAdminDetails(
    locale: Locale,
    round: RoundAdmin,
    people: Vec<FacilitatorAccount>,
    submitted: Submitted<GroupForm>,
) -> impl IntoView {
    let t = Tr(locale);
    let summary = round.summary.clone();
    let open = summary.status == RoundStatus::Open;
    let choices: Vec<(String, String)> = people
        .iter()
        .filter(|person| person.active)
        .filter_map(|person| Some((person.account_id?.to_string(), person.display_name.clone())))
        .collect();
    let members_of = |group_id: i32| -> Vec<ApplicantEntry> {
        round.applicants.iter().filter(|entry| entry.group_id == Some(group_id)).cloned().collect()
    };
    let mut waitlist: Vec<ApplicantEntry> =
        round.applicants.iter().filter(|entry| entry.waitlist_position.is_some()).cloned().collect();
    waitlist.sort_by_key(|entry| entry.waitlist_position);
    let stage = match summary.status {
        RoundStatus::Open if round.may_draw => t.rounds_stage_ready(),
        RoundStatus::Open => t.rounds_stage_open(),
        RoundStatus::Drawn => t.rounds_stage_drawn(),
        RoundStatus::Closed if round.purged => t.rounds_stage_purged(),
        RoundStatus::Closed => t.rounds_stage_closed(),
    };
    view! {
        <div class="max-w-4xl space-y-8">
            <section>
                <p class="font-semibold">{status_label(t, summary.status)} " · " {t.rounds_deadline(timefmt::in_eastern(locale, summary.deadline))}</p>
                <p class="mt-1">{stage}</p>
                {round.purge_at.map(|at| view! { <p class="mt-1">{t.rounds_purge_at(timefmt::in_eastern(locale, at))}</p> })}
                <p class="mt-1">{t.rounds_applications(i64::from(if summary.published { summary.applicant_count } else { round.pending_count }))}</p>
                <p class="mt-2 flex flex-wrap gap-4">
                    <a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/rounds/{}", summary.id))>{t.rounds_public_page()}</a>
                    {summary.published.then(|| view! {
                        <a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/rounds/{}/draw", summary.id))>{t.round_see_draw()}</a>
                    })}
                    <a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/workspace/rounds/{}/survey", summary.id))>{t.survey_link()}</a>
                </p>
                {(open && !round.may_draw).then(|| view! {
                    <form method="post" class="mt-4">
                        <p class="mb-2 text-sm">{t.rounds_end_now_hint()}</p>
                        <button type="submit" name="intent" value="end_now" class=SECONDARY>{t.rounds_end_now()}</button>
                    </form>
                })}
                {round.may_draw.then(|| view! {
                    <form method="post" class="mt-4">
                        <p class="mb-2 text-sm">{t.rounds_draw_hint()}</p>
                        <button type="submit" name="intent" value="draw" class=BUTTON>{t.rounds_draw()}</button>
                    </form>
                })}
                {(summary.status == RoundStatus::Drawn).then(|| view! {
                    <form method="post" class="mt-4">
                        <p class="mb-2 text-sm">{t.rounds_close_hint(i64::from(round.retention_days))}</p>
                        <button type="submit" name="intent" value="close" class=SECONDARY>{t.rounds_close()}</button>
                    </form>
                })}
            </section>
            <section aria-labelledby="groups">
                <h2 id="groups" class="mb-2 text-xl font-semibold">{t.round_groups()}</h2>
                {summary.groups.iter().map(|group| {
                    let facilitator = round.facilitators.iter().find(|(id, _)| *id == group.id).and_then(|(_, account)| *account);
                    let members = members_of(group.id);
                    let setting = match &group.district {
                        Some(district) => t.round_group_in_person(district),
                        None => t.round_group_virtual().to_string(),
                    };
                    view! {
                        <article class="mb-4 rounded-lg border border-slate-300 p-4 dark:border-slate-700">
                            <h3 class="text-lg font-semibold">{group.name.pick(locale).0.to_string()}</h3>
                            <p>{setting} " · " {t.round_places(i64::from(group.seats))}</p>
                            <form method="post" class="mt-2 flex flex-wrap items-end gap-3">
                                <input type="hidden" name="group_id" value=group.id />
                                <div>
                                    <label class="block font-medium" for=format!("facilitator-{}", group.id)>{t.rounds_group_facilitator()}</label>
                                    <select id=format!("facilitator-{}", group.id) name="account_id" class=INPUT>
                                        <option value="">{t.rounds_no_facilitator()}</option>
                                        {choices.iter().map(|(value, name)| {
                                            let chosen = facilitator.map(|id| id.to_string()).as_ref() == Some(value);
                                            view! { <option value=value.clone() selected=chosen>{name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" name="intent" value="facilitator" class=SECONDARY>{t.workspace_save()}</button>
                                {open.then(|| view! {
                                    <button type="submit" name="intent" value="remove_group" class="min-h-11 underline">{t.rounds_remove_group()}</button>
                                })}
                            </form>
                            {(!members.is_empty()).then(|| view! { <Members locale members /> })}
                        </article>
                    }
                }).collect_view()}
                {open.then(|| view! { <NewGroup locale submitted choices=choices.clone() /> })}
            </section>
            {(!waitlist.is_empty()).then(|| view! {
                <section aria-labelledby="waitlist">
                    <h2 id="waitlist" class="mb-2 text-xl font-semibold">{t.draw_waitlist()}</h2>
                    <Members locale members=waitlist />
                </section>
            })}
            {(!summary.published && !round.applicants.is_empty()).then(|| view! {
                <section aria-labelledby="applications">
                    <h2 id="applications" class="mb-2 text-xl font-semibold">{t.rounds_applications_title()}</h2>
                    <Members locale members=round.applicants.clone() />
                </section>
            })}
        </div>
    }
}

#[component]
fn NewGroup(
    locale: Locale,
    submitted: Submitted<GroupForm>,
    choices: Vec<(String, String)>,
) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let settings = vec![
        ("in_person".to_string(), t.rounds_setting_in_person().to_string()),
        ("virtual".to_string(), t.rounds_setting_virtual().to_string()),
    ];
    let seats = if values.seats.is_empty() { "11".to_string() } else { values.seats.clone() };
    view! {
        <div class="rounded-lg border border-slate-300 p-4 dark:border-slate-700">
            <h3 class="mb-2 text-lg font-semibold">{t.rounds_add_group()}</h3>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <input type="hidden" name="intent" value="add_group" />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField t label=t.rounds_group_name_en() name="name_en" field=Field::Name value=values.name_en errors=e() lang="en" />
                    <TextField t label=t.rounds_group_name_fr() name="name_fr" field=Field::Name value=values.name_fr lang="fr" />
                    <SelectField t label=t.rounds_setting() name="setting" field=Field::Setting options=settings selected=values.setting errors=e() placeholder=t.round_choose() />
                    <TextField t label=t.round_field_district() name="district" field=Field::District value=values.district errors=e() hint=t.rounds_district_hint() />
                    <TextField t label=t.rounds_seats() name="seats" field=Field::Seats kind="number" value=seats errors=e() hint=t.rounds_seats_hint() />
                    <SelectField t label=t.rounds_group_facilitator() name="facilitator_account" field=Field::Format options=choices selected=values.facilitator_account placeholder=t.rounds_no_facilitator() />
                </div>
                <button type="submit" class=BUTTON>{t.rounds_add_group()}</button>
            </form>
        </div>
    }
}

/// Applicants with their contact details and answers.
#[component]
fn Members(locale: Locale, members: Vec<ApplicantEntry>) -> impl IntoView {
    let t = Tr(locale);
    view! {
        <ul class="mt-3 space-y-2">
            {members.into_iter().map(|entry| view! {
                <li class="rounded border border-slate-200 p-3 dark:border-slate-700">
                    <details>
                        <summary class="min-h-11 cursor-pointer">
                            {entry.waitlist_position.map(|position| format!("{position}. "))}
                            <span class="font-semibold">{entry.name.clone()}</span>
                            " — " {entry.specialty.clone()} ", " {entry.city.clone()}
                            " (" {t.draw_number()} " " {entry.number} ")"
                        </summary>
                        <dl class="mt-2 space-y-1">
                            <div><dt class="inline font-semibold">{t.round_field_email()} ": "</dt><dd class="inline"><a class="underline" href=format!("mailto:{}", entry.email)>{entry.email.clone()}</a></dd></div>
                            <div><dt class="inline font-semibold">{t.round_field_phone()} ": "</dt><dd class="inline">{entry.phone.clone()}</dd></div>
                            <div><dt class="inline font-semibold">{t.round_field_district()} ": "</dt><dd class="inline">{entry.district.clone()}</dd></div>
                            <div><dt class="inline font-semibold">{t.round_field_preference()} ": "</dt><dd class="inline">{preference_label(t, &entry.preference)}</dd></div>
                            <div><dt class="font-semibold">{t.round_field_motivation()}</dt><dd class="whitespace-pre-line">{entry.motivation.clone()}</dd></div>
                            <div><dt class="font-semibold">{t.round_field_benefit()}</dt><dd class="whitespace-pre-line">{entry.benefit.clone()}</dd></div>
                        </dl>
                    </details>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The groups the signed-in facilitator leads, with their members' details.
#[component]
pub fn MyGroupsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let groups = Resource::new(|| (), |()| my_groups());
    let role = super::role_resource();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.groups_title() />
        <Suspense>
            {move || {
                let (groups, role) = (groups.get()?, role.get()?);
                let coordinator = matches!(role, Ok(Some(ref user)) if user.role == crate::domain::access::Role::Coordinator);
                Some(match groups {
                    Ok(groups) => view! {
                        <WorkspaceNav locale coordinator />
                        {groups.is_empty().then(|| view! { <p>{t.groups_none()}</p> })}
                        {groups.into_iter().map(|mine| view! {
                            <section class="mb-6 max-w-4xl rounded-lg border border-slate-300 p-4 dark:border-slate-700">
                                <h2 class="text-xl font-semibold">{mine.group.name.pick(locale).0.to_string()}</h2>
                                <p>{mine.round.title.pick(locale).0.to_string()}</p>
                                <p class="mt-1 text-sm">{t.groups_frequency()}</p>
                                <Members locale members=mine.members />
                            </section>
                        }).collect_view()}
                    }
                    .into_any(),
                    Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}
