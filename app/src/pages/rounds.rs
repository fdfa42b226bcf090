//! Application rounds in public: a round with its groups and its application form (a plain
//! form posted to the same address, so it works without JavaScript), the published draw with
//! a way to re-run it, and an applicant's private page.

use super::ErrorNotice;
use crate::api::rounds::{check_draw, get_application, get_draw, get_round};
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, SelectField, Submitted, TextArea, TextField};
use crate::components::layout::{href, use_locale};
use crate::components::viewer_time::ViewerTime;
use crate::domain::application_round::{ApplicationForm, OTHER_DISTRICT, preference_str};
use crate::domain::draw::{PublishedDraw, Setting};
use crate::domain::forms::Field;
use crate::domain::zones::reference_offset_minutes;
use crate::i18n::{Locale, Tr};
use crate::model::{ApplicationStage, ApplicationView, GroupInfo, RoundSummary};
use crate::pages::account::DoneNotice;
use crate::timefmt;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

fn id_param() -> i32 {
    use_params_map().read_untracked().get("id").and_then(|id| id.parse().ok()).unwrap_or(0)
}

/// "In person, district 7" or "Virtual", and the number of places.
fn group_line(t: Tr, locale: Locale, group: &GroupInfo) -> String {
    let setting = match &group.district {
        Some(district) => t.round_group_in_person(district),
        None => t.round_group_virtual().to_string(),
    };
    t.round_group_line(group.name.pick(locale).0, t.round_places(i64::from(group.seats)), setting)
}

pub fn preference_label(t: Tr, preference: &str) -> &'static str {
    match preference {
        "in_person" => t.round_preference_in_person(),
        "virtual" => t.round_preference_virtual(),
        _ => t.round_preference_either(),
    }
}

/// A round's deadline in Eastern Time, and (after hydration) in the viewer's zone.
#[component]
pub fn Deadline(locale: Locale, deadline: DateTime<Utc>, open: bool) -> impl IntoView {
    let t = Tr(locale);
    let text = timefmt::in_eastern(locale, deadline);
    let ms = deadline.timestamp_millis();
    view! {
        <p class="font-semibold">
            {if open { t.round_deadline_open(text) } else { t.round_deadline_passed(text) }}
            <ViewerTime start_ms=ms end_ms=ms reference_offset_minutes=reference_offset_minutes(deadline) locale />
        </p>
    }
}

#[component]
pub fn RoundPage() -> impl IntoView {
    let locale = use_locale();
    let id = id_param();
    let query = use_query_map().read_untracked();
    // After an application (new or not: the page cannot tell, and says the same).
    let done = if query.get_str("applied").is_some() {
        Some(Tr(locale).round_email_sent())
    } else if query.get_str("withdrawn").is_some() {
        Some(Tr(locale).round_withdrawn())
    } else {
        None
    };
    let round = Resource::new(|| (), move |()| get_round(id));
    let submitted = Submitted::<ApplicationForm>::from_context();
    view! {
        <Suspense>
            {move || {
                let submitted = submitted.clone();
                round.get().map(move |result| match result {
                    Ok(round) => view! { <RoundDetails round submitted done /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn RoundDetails(
    round: RoundSummary,
    submitted: Submitted<ApplicationForm>,
    done: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let (title, _) = round.title.pick(locale);
    let (description, description_lang) = round.description.pick(locale);
    let groups = round.groups.clone();
    view! {
        <Meta name="description" content=description.to_string() />
        <PageHeading locale title=title.to_string() />
        <DoneNotice text=done />
        <div class="max-w-prose space-y-4">
            <p class="whitespace-pre-line" lang=description_lang.as_str()>{description.to_string()}</p>
            <Deadline locale deadline=round.deadline open=round.accepting />
            <section aria-labelledby="groups">
                <h2 id="groups" class="mb-2 text-xl font-semibold">{t.round_groups()}</h2>
                <ul class="list-disc space-y-1 pl-6">
                    {groups.iter().map(|group| view! { <li>{group_line(t, locale, group)}</li> }).collect_view()}
                </ul>
                <p class="mt-2 text-sm text-slate-700 dark:text-slate-300">{t.round_selection_rule()}</p>
            </section>
            {round.published.then(|| view! {
                <p><a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/rounds/{}/draw", round.id))>{t.round_see_draw()}</a></p>
            })}
        </div>
        {round.accepting.then(|| view! { <ApplicationFields locale round=round.clone() submitted /> })}
    }
}

#[component]
fn ApplicationFields(
    locale: Locale,
    round: RoundSummary,
    submitted: Submitted<ApplicationForm>,
) -> impl IntoView {
    let t = Tr(locale);
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let mut districts: Vec<(String, String)> =
        round.offer.districts.iter().map(|district| (district.clone(), district.clone())).collect();
    districts.push((OTHER_DISTRICT.to_string(), t.round_district_other().to_string()));
    let mut preferences = Vec::new();
    if !round.offer.districts.is_empty() {
        preferences.push(("in_person".to_string(), t.round_preference_in_person().to_string()));
    }
    if round.offer.has_virtual {
        preferences.push(("virtual".to_string(), t.round_preference_virtual().to_string()));
    }
    if round.offer.allow_either {
        preferences.push(("either".to_string(), t.round_preference_either().to_string()));
    }
    let languages = vec![
        ("en".to_string(), t.language_en().to_string()),
        ("fr".to_string(), t.language_fr().to_string()),
    ];
    let language =
        if values.language.is_empty() { locale.as_str().to_string() } else { values.language.clone() };
    view! {
        <section class="mt-8 max-w-2xl" aria-labelledby="apply">
            <h2 id="apply" class="mb-2 text-2xl font-semibold">{t.round_apply()}</h2>
            <p class="mb-4 text-sm text-slate-700 dark:text-slate-300">{t.round_apply_hint()}</p>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <TextField t label=t.round_field_name() name="name" field=Field::Name value=values.name errors=e() autocomplete="name" />
                <TextField t label=t.round_field_specialty() name="specialty" field=Field::Specialty value=values.specialty errors=e() />
                <TextField t label=t.round_field_city() name="city" field=Field::City value=values.city errors=e() autocomplete="address-level2" />
                <SelectField t label=t.round_field_district() name="district" field=Field::District options=districts selected=values.district errors=e() placeholder=t.round_choose() />
                <TextField t label=t.round_field_email() name="email" field=Field::Email kind="email" value=values.email errors=e() autocomplete="email" />
                <TextField t label=t.round_field_phone() name="phone" field=Field::Phone kind="tel" value=values.phone errors=e() autocomplete="tel" />
                <TextArea t label=t.round_field_motivation() name="motivation" field=Field::Motivation value=values.motivation errors=e() />
                <SelectField t label=t.round_field_preference() name="preference" field=Field::Preference options=preferences selected=values.preference errors=e() placeholder=t.round_choose() />
                <TextArea t label=t.round_field_benefit() name="benefit" field=Field::Benefit value=values.benefit errors=e() />
                <SelectField t label=t.round_field_language() name="language" field=Field::Language options=languages selected=language errors=e() />
                <button type="submit" class="min-h-11 rounded bg-teal-800 px-5 font-semibold text-white hover:bg-teal-900">{t.round_send()}</button>
            </form>
        </section>
    }
}

/// The published draw: its seed, the groups and waitlist by applicant number, the inputs, and
/// a form that runs the draw again with any seed and says whether the result is the same.
#[component]
pub fn DrawPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id = id_param();
    let seed = use_query_map().read_untracked().get("seed");
    let round = Resource::new(|| (), move |()| get_round(id));
    let draw = Resource::new(|| (), move |()| get_draw(id));
    let check = Resource::new(
        || (),
        move |()| {
            let seed = seed.clone();
            async move {
                match seed {
                    Some(seed) => Some(check_draw(id, seed.clone()).await.map(|matches| (seed, matches))),
                    None => None,
                }
            }
        },
    );
    view! {
        <Suspense>
            {move || {
                let (round, draw, check) = (round.get()?, draw.get()?, check.get()?);
                Some(match (round, draw) {
                    (Ok(round), Ok(draw)) => view! {
                        <PageHeading locale title=t.draw_title(round.title.pick(locale).0) />
                        <DrawCheck locale check />
                        <DrawDetails locale round draw />
                    }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorNotice error locale /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn DrawCheck(
    locale: Locale,
    check: Option<Result<(String, Option<bool>), crate::error::AppError>>,
) -> impl IntoView {
    let t = Tr(locale);
    check.map(|check| {
        let (text, good) = match check {
            Ok((seed, Some(true))) => (t.draw_check_same(seed), true),
            Ok((seed, Some(false))) => (t.draw_check_different(seed), false),
            Ok((_, None)) => (t.draw_check_bad_seed().to_string(), false),
            Err(error) => (error.message(t).to_string(), false),
        };
        let class = if good {
            "mb-4 max-w-prose rounded border border-teal-700 bg-teal-50 p-3 font-semibold text-teal-950 dark:bg-teal-950 dark:text-teal-50"
        } else {
            "mb-4 max-w-prose rounded border border-rose-700 bg-rose-50 p-3 font-semibold text-rose-950 dark:bg-rose-950 dark:text-rose-50"
        };
        view! { <p role="status" tabindex="-1" autofocus class=class data-check=if good { "same" } else { "different" }>{text}</p> }
    })
}

#[component]
fn DrawDetails(locale: Locale, round: RoundSummary, draw: PublishedDraw) -> impl IntoView {
    let t = Tr(locale);
    let numbers = |ids: &[u64]| {
        if ids.is_empty() {
            t.draw_nobody().to_string()
        } else {
            ids.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
        }
    };
    let group_name = |id: u64| {
        round
            .groups
            .iter()
            .find(|group| group.id as u64 == id)
            .map(|group| group.name.pick(locale).0.to_string())
            .unwrap_or_default()
    };
    view! {
        <div class="max-w-3xl space-y-6">
            <p>{t.draw_explained()}</p>
            <p>{t.draw_seed_label()} " " <code id="published-seed" class="rounded bg-slate-100 px-2 py-1 font-mono dark:bg-slate-800">{draw.seed.clone()}</code></p>
            <form method="get" class="flex flex-wrap items-end gap-3">
                <div>
                    <label for="seed" class="block font-medium">{t.draw_rerun_label()}</label>
                    <input id="seed" name="seed" value=draw.seed.clone() spellcheck="false" autocomplete="off" maxlength="16" class="mt-1 min-h-11 rounded border border-slate-500 bg-white px-3 font-mono dark:bg-slate-900" />
                </div>
                <button type="submit" class="min-h-11 rounded bg-teal-800 px-4 font-semibold text-white hover:bg-teal-900">{t.draw_rerun()}</button>
            </form>
            <section aria-labelledby="result">
                <h2 id="result" class="mb-2 text-xl font-semibold">{t.draw_result()}</h2>
                <dl class="space-y-2">
                    {draw.result.groups.iter().map(|(id, members)| view! {
                        <div><dt class="font-semibold">{group_name(*id)}</dt><dd>{numbers(members)}</dd></div>
                    }).collect_view()}
                    <div><dt class="font-semibold">{t.draw_waitlist()}</dt><dd>{numbers(&draw.result.waitlist)}</dd></div>
                </dl>
            </section>
            {(!draw.replacements.is_empty()).then(|| view! {
                <section aria-labelledby="replacements">
                    <h2 id="replacements" class="mb-2 text-xl font-semibold">{t.draw_replacements()}</h2>
                    <ol class="list-decimal space-y-1 pl-6">
                        {draw.replacements.iter().map(|change| {
                            let group = group_name(change.group);
                            let text = match change.promoted {
                                Some(promoted) => t.draw_replacement_taken(&group, change.left, promoted),
                                None => t.draw_replacement_open(&group, change.left),
                            };
                            view! { <li>{text}</li> }
                        }).collect_view()}
                    </ol>
                </section>
            })}
            <details>
                <summary class="min-h-11 cursor-pointer font-semibold">{t.draw_inputs(draw.applicants.len() as i64)}</summary>
                <table class="mt-2 text-left">
                    <thead><tr><th class="pr-6">{t.draw_number()}</th><th class="pr-6">{t.round_field_district()}</th><th>{t.round_field_preference()}</th></tr></thead>
                    <tbody>
                        {draw.applicants.iter().map(|applicant| {
                            let preference = preference_str(applicant.preference);
                            view! { <tr><td class="pr-6">{applicant.id}</td><td class="pr-6">{applicant.district.clone()}</td><td>{preference_label(t, preference)}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
                <ul class="mt-4 list-disc pl-6">
                    {draw.groups.iter().map(|group| {
                        let setting = match &group.setting {
                            Setting::InPerson { district } => t.round_group_in_person(district),
                            Setting::Virtual => t.round_group_virtual().to_string(),
                        };
                        view! { <li>{format!("{} — {setting} — {}", group_name(group.id), t.round_places(group.seats as i64))}</li> }
                    }).collect_view()}
                </ul>
            </details>
            <p><a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/rounds/{}", round.id))>{t.draw_back()}</a></p>
        </div>
    }
}

/// An application, opened through the private link in its emails.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let application = Resource::new(|| (), move |()| get_application(token.clone()));
    view! {
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <PageHeading locale title=t.application_title() />
        <Suspense>
            {move || application.get().map(|result| match result {
                Ok(view) => view! { <ApplicationDetails locale view /> }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ApplicationDetails(locale: Locale, view: ApplicationView) -> impl IntoView {
    let t = Tr(locale);
    let title = view.round.title.pick(locale).0.to_string();
    let status = match &view.stage {
        ApplicationStage::Received => t.application_received(view.number, &title),
        ApplicationStage::Selected { group } => t.application_selected(group.pick(locale).0, view.number),
        ApplicationStage::Waitlisted { position } => t.application_waitlisted(view.number, *position),
    };
    view! {
        <p role="status" class="mb-4 max-w-prose rounded border border-teal-700 bg-teal-50 p-3 text-teal-950 dark:bg-teal-950 dark:text-teal-50">
            {status}
        </p>
        <dl class="mb-4 max-w-prose space-y-1">
            <div><dt class="inline font-semibold">{t.round_field_name()} ": "</dt><dd class="inline">{view.name.clone()}</dd></div>
            <div><dt class="inline font-semibold">{t.round_field_preference()} ": "</dt><dd class="inline">{preference_label(t, &view.preference)}</dd></div>
        </dl>
        <Deadline locale deadline=view.round.deadline open=view.round.accepting />
        {view.may_withdraw.then(|| view! {
            <form method="post" class="mt-6 max-w-prose">
                <p class="mb-2 text-sm text-slate-700 dark:text-slate-300">
                    {if view.round.accepting { t.application_withdraw_hint() } else { t.application_withdraw_hint_drawn() }}
                </p>
                <button type="submit" name="intent" value="withdraw" class="min-h-11 rounded border-2 border-rose-800 px-4 font-semibold text-rose-800 hover:bg-rose-50 dark:text-rose-200 dark:hover:bg-rose-950">
                    {t.application_withdraw()}
                </button>
            </form>
        })}
        <p class="mt-6"><a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/rounds/{}", view.round.id))>{title}</a></p>
    }
}
