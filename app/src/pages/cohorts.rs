//! Cohort groups in public: an intake with its meetings, its agreement and its registration
//! form (a plain form posted to the same address, so it works without JavaScript), the next
//! intake and a way to hear when it opens, and a registration opened through its private link.

use super::ErrorNotice;
use crate::api::cohorts::{get_cohort, get_cohort_registration};
use crate::components::PageHeading;
use crate::components::fields::{CheckboxField, ErrorSummary, SelectField, Submitted, TextField};
use crate::components::layout::{href, use_locale};
use crate::components::registration_form::{career_label, province_label};
use crate::components::seats::SeatCount;
use crate::components::session_card::{SessionTime, audience_label, language_label};
use crate::domain::cohort::{CohortPhase, CohortRegistrationForm, InterestForm};
use crate::domain::forms::Field;
use crate::domain::registration::{CareerStage, Province};
use crate::domain::session::{SessionStatus, shown_end};
use crate::domain::zones::reference_time;
use crate::i18n::{Locale, Tr};
use crate::model::{
    CohortDetail, CohortRegistrationView, CohortSummary, GroupMeeting, Offering, RegistrationState,
};
use crate::pages::account::DoneNotice;
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

const NOTICE: &str = "mb-4 max-w-prose rounded border border-teal-700 bg-teal-50 p-3 text-teal-950 dark:bg-teal-950 dark:text-teal-50";

/// Where an intake stands, in a sentence: seats, waitlist, or why it cannot be joined.
pub fn phase_text(t: Tr, locale: Locale, cohort: &CohortSummary) -> String {
    match cohort.phase {
        CohortPhase::NotYetOpen(at) => t.cohort_opens(timefmt::date_time(
            locale,
            reference_time(at),
            timefmt::reference_zone_label(locale),
        )),
        CohortPhase::Open if cohort.seats_taken >= cohort.capacity => t.seats_full().to_string(),
        CohortPhase::Open => t.seats_left(i64::from(cohort.capacity - cohort.seats_taken)),
        CohortPhase::Closed => t.cohort_closed().to_string(),
        CohortPhase::Started => t.cohort_started().to_string(),
        CohortPhase::Finished => t.cohort_finished().to_string(),
    }
}

/// Where an intake stands: while it takes registrations, its seat count, kept live once the
/// page has loaded; otherwise why it cannot be joined.
#[component]
pub fn CohortStanding(cohort: CohortSummary, locale: Locale) -> impl IntoView {
    if cohort.phase == CohortPhase::Open {
        view! {
            <SeatCount
                offering=Offering::Intake(cohort.id)
                capacity=cohort.capacity
                seats_taken=cohort.seats_taken
                status=SessionStatus::Scheduled
                locale
            />
        }
        .into_any()
    } else {
        phase_text(Tr(locale), locale, &cohort).into_any()
    }
}

/// "Jan. 12, 19, 26 and Feb. 2 · 9:30–11:30 AM ET": every meeting is at the same time of day.
pub fn schedule_text(locale: Locale, cohort: &CohortSummary) -> String {
    let t = Tr(locale);
    let dates: Vec<String> = cohort
        .meetings
        .iter()
        .map(|start| timefmt::date_without_year(locale, reference_time(*start).date()))
        .collect();
    let time = cohort.meetings.first().map(|start| {
        let end = shown_end(*start, cohort.duration_minutes);
        timefmt::time_range(locale, reference_time(*start).time(), reference_time(end).time())
    });
    t.cohort_schedule(dates.join(", "), time.unwrap_or_default(), timefmt::reference_zone_label(locale))
}

/// An intake as the calendar and the programs page list it.
#[component]
pub fn CohortCard(cohort: CohortSummary, locale: Locale) -> impl IntoView {
    let t = Tr(locale);
    view! {
        <article class="rounded-lg border border-teal-700 p-4 shadow-sm dark:border-teal-600">
            <p class="text-xs font-semibold uppercase tracking-wide text-teal-800 dark:text-teal-300">
                {t.cohort_kind(cohort.meetings.len() as i64)}
            </p>
            <h3 class="mt-1 text-lg font-semibold">
                <a href=href(locale, &format!("/cohorts/{}", cohort.id)) class="inline-flex min-h-11 items-center underline-offset-4 hover:underline">
                    {cohort.title.pick(locale).0.to_string()}
                </a>
            </h3>
            <p>{schedule_text(locale, &cohort)}</p>
            <p class="mt-2 text-sm text-slate-700 dark:text-slate-300">
                {t.session_led_by(&cohort.facilitator_name)} " · "
                {language_label(t, cohort.language)} " · "
                {audience_label(t, cohort.audience)}
            </p>
            <p class="mt-2 text-sm font-semibold"><CohortStanding cohort=cohort.clone() locale /></p>
        </article>
    }
}

/// One meeting of a group in the week view: which meeting of which group, when, and that one
/// registration covers them all (the link leads to it).
#[component]
pub fn GroupMeetingCard(meeting: GroupMeeting, locale: Locale) -> impl IntoView {
    let t = Tr(locale);
    let (title, title_lang) = meeting.title.pick(locale);
    view! {
        <article class="rounded-lg border border-teal-700 p-4 shadow-sm dark:border-teal-600">
            <p class="text-xs font-semibold uppercase tracking-wide text-teal-800 dark:text-teal-300">
                {t.cohort_meeting_note()}
            </p>
            <h3 class="mt-1 text-lg font-semibold" lang=title_lang.as_str()>
                <a href=href(locale, &format!("/cohorts/{}", meeting.cohort_id)) class="inline-flex min-h-11 items-center underline-offset-4 hover:underline">
                    {t.cohort_meeting_title(meeting.part, title, meeting.total)}
                </a>
            </h3>
            <SessionTime starts_at=meeting.starts_at duration_minutes=meeting.duration_minutes locale />
        </article>
    }
}

fn id_param() -> i32 {
    use_params_map().read_untracked().get("id").and_then(|id| id.parse().ok()).unwrap_or(0)
}

#[component]
pub fn CohortPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id = id_param();
    let query = use_query_map().read_untracked();
    // After a registration (new or not: the page cannot tell, and says the same).
    let done = if query.get_str("registered").is_some() {
        Some(t.cohort_email_sent())
    } else if query.get_str("withdrawn").is_some() {
        Some(t.cohort_withdrawn())
    } else if query.get_str("told").is_some() {
        Some(t.cohort_interest_saved())
    } else {
        None
    };
    let cohort = Resource::new(|| (), move |()| get_cohort(id));
    view! {
        <Suspense>
            {move || cohort.get().map(|result| match result {
                Ok(detail) => view! { <CohortDetails detail done /> }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CohortDetails(detail: CohortDetail, done: Option<&'static str>) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let summary = detail.summary.clone();
    let (title, _) = summary.title.pick(locale);
    let (description, description_lang) = detail.description.pick(locale);
    // A waitlist that is full too leaves nothing to join here.
    let open = summary.phase == CohortPhase::Open && !detail.waitlist_full;
    let full = summary.seats_taken >= summary.capacity;
    let standing = if detail.waitlist_full {
        t.error_waitlist_full().into_any()
    } else {
        view! { <CohortStanding cohort=summary.clone() locale /> }.into_any()
    };
    view! {
        <Meta name="description" content=description.to_string() />
        <PageHeading locale title=title.to_string() />
        <DoneNotice text=done />
        <div class="max-w-prose space-y-4">
            <p class="whitespace-pre-line" lang=description_lang.as_str()>{description.to_string()}</p>
            <p class="text-sm text-slate-700 dark:text-slate-300">
                {t.session_led_by(&summary.facilitator_name)} " · "
                {language_label(t, summary.language)} " · "
                {audience_label(t, summary.audience)}
            </p>
            <section aria-labelledby="meetings">
                <h2 id="meetings" class="mb-2 text-xl font-semibold">{t.cohort_meetings(summary.meetings.len() as i64)}</h2>
                <ol class="list-decimal space-y-2 pl-6">
                    {summary.meetings.iter().map(|start| view! {
                        <li><SessionTime starts_at=*start duration_minutes=summary.duration_minutes locale /></li>
                    }).collect_view()}
                </ol>
                <p class="mt-2">{t.cohort_attend_all()}</p>
            </section>
            <p class="font-semibold" id="cohort-seats">{standing}</p>
        </div>
        {open.then(|| view! { <RegistrationFields locale detail=detail.clone() full /> })}
        // A full intake still takes the waitlist; asking to hear about the next one is for
        // people who cannot register here at all.
        {(!open || full).then(|| view! { <NextIntake locale detail=detail.clone() ask=!open /> })}
    }
}

#[component]
fn RegistrationFields(locale: Locale, detail: CohortDetail, full: bool) -> impl IntoView {
    let t = Tr(locale);
    let submitted = Submitted::<CohortRegistrationForm>::from_context();
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let stages =
        CareerStage::ALL.iter().map(|s| (s.as_str().to_string(), career_label(t, *s).to_string())).collect();
    let provinces =
        Province::ALL.iter().map(|p| (p.as_str().to_string(), province_label(t, *p).to_string())).collect();
    let languages = vec![
        ("en".to_string(), t.language_english().to_string()),
        ("fr".to_string(), t.language_french().to_string()),
    ];
    let language =
        if values.language.is_empty() { locale.as_str().to_string() } else { values.language.clone() };
    let (question, _) = detail.eligibility.pick(locale);
    let (agreement, agreement_lang) = detail.agreement.pick(locale);
    view! {
        <section class="mt-8 max-w-2xl" aria-labelledby="register">
            <h2 id="register" class="mb-2 text-2xl font-semibold">{if full { t.cohort_join_waitlist() } else { t.cohort_register() }}</h2>
            <p class="mb-4 text-sm text-slate-700 dark:text-slate-300">{t.cohort_register_hint()}</p>
            <ErrorSummary t errors=e() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <TextField t label=t.register_name() name="name" field=Field::Name value=values.name errors=e() autocomplete="name" />
                <TextField t label=t.register_email() name="email" field=Field::Email kind="email" value=values.email errors=e() autocomplete="email" />
                <div class="grid gap-4 sm:grid-cols-2">
                    <SelectField t label=t.register_career_stage() name="career_stage" field=Field::CareerStage options=stages selected=values.career_stage errors=e() placeholder=t.register_choose() />
                    <SelectField t label=t.register_province() name="province" field=Field::Province options=provinces selected=values.province errors=e() placeholder=t.register_choose() />
                </div>
                <SelectField t label=t.register_language() name="language" field=Field::Language options=languages selected=language errors=e() />
                <CheckboxField t label=question.to_string() name="eligible" field=Field::Eligible checked=values.eligible.is_some() errors=e() />
                <div class="rounded border border-slate-300 p-3 dark:border-slate-600">
                    <h3 class="font-semibold">{t.cohort_agreement_title()}</h3>
                    <p class="mb-2 whitespace-pre-line" lang=agreement_lang.as_str()>{agreement.to_string()}</p>
                    <CheckboxField t label=t.cohort_agreement_accept() name="agreement" field=Field::Agreement checked=values.agreement.is_some() errors=e() />
                </div>
                <CheckboxField t label=t.register_rules() name="rules" field=Field::Rules checked=values.rules.is_some() errors=e() />
                <a class="inline-flex min-h-11 items-center text-sm underline" href=href(locale, "/rules")>{t.register_rules_link()}</a>
                <div>
                    <button type="submit" class="min-h-11 rounded bg-teal-800 px-5 font-semibold text-white hover:bg-teal-900">
                        {if full { t.register_submit_waitlist() } else { t.cohort_register_submit() }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The next intake of the same program, if one is planned, and (when `ask`) a form to hear
/// when it opens.
#[component]
fn NextIntake(locale: Locale, detail: CohortDetail, ask: bool) -> impl IntoView {
    let t = Tr(locale);
    let submitted = Submitted::<InterestForm>::from_context();
    let values = submitted.values;
    let e = || submitted.errors.clone();
    let languages = vec![
        ("en".to_string(), t.language_english().to_string()),
        ("fr".to_string(), t.language_french().to_string()),
    ];
    let language =
        if values.language.is_empty() { locale.as_str().to_string() } else { values.language.clone() };
    let action = href(locale, &format!("/cohorts/{}/interest", detail.summary.id));
    view! {
        <section class="mt-8 max-w-2xl space-y-4" aria-labelledby="next-intake">
            <h2 id="next-intake" class="text-2xl font-semibold">{t.cohort_next_intake()}</h2>
            {match detail.next_intake {
                Some(next) => view! { <CohortCard cohort=next locale /> }.into_any(),
                None => view! { <p>{t.cohort_no_next_intake()}</p> }.into_any(),
            }}
            {ask.then(|| view! {
                <h3 class="text-xl font-semibold">{t.cohort_interest_title()}</h3>
                <p class="text-sm text-slate-700 dark:text-slate-300">{t.cohort_interest_hint()}</p>
                <ErrorSummary t errors=e() failure=submitted.failure.clone() />
                <form method="post" action=action.clone() class="space-y-4" novalidate>
                    <TextField t label=t.register_email() name="email" field=Field::Email kind="email" value=values.email.clone() errors=e() autocomplete="email" />
                    <SelectField t label=t.register_language() name="language" field=Field::Language options=languages.clone() selected=language.clone() errors=e() />
                    <button type="submit" class="min-h-11 rounded border-2 border-teal-800 px-4 font-semibold text-teal-900 hover:bg-teal-50 dark:text-teal-100 dark:hover:bg-teal-950">
                        {t.cohort_interest_submit()}
                    </button>
                </form>
            })}
        </section>
    }
}

/// A registration for a cohort, opened through the private link in its emails.
#[component]
pub fn CohortRegistrationPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let registration = Resource::new(|| (), move |()| get_cohort_registration(token.clone()));
    view! {
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <PageHeading locale title=t.cohort_registration_title() />
        <Suspense>
            {move || registration.get().map(|result| match result {
                Ok(view) => view! { <CohortRegistrationDetails locale view /> }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CohortRegistrationDetails(locale: Locale, view: CohortRegistrationView) -> impl IntoView {
    let t = Tr(locale);
    let title = view.cohort.title.pick(locale).0.to_string();
    let status = match view.state {
        RegistrationState::Confirmed => t.cohort_state_confirmed(&title),
        RegistrationState::Waitlisted(position) => t.cohort_state_waitlisted(position, &title),
        RegistrationState::Cancelled => t.cohort_state_withdrawn(&title),
    };
    view! {
        <p role="status" tabindex="-1" class=NOTICE id="cohort-state">{status}</p>
        <p class="mb-4 max-w-prose">{t.cohort_emails_to(&view.email_hint)}</p>
        <ol class="mb-4 list-decimal space-y-2 pl-6">
            {view.cohort.meetings.iter().map(|start| view! {
                <li><SessionTime starts_at=*start duration_minutes=view.cohort.duration_minutes locale /></li>
            }).collect_view()}
        </ol>
        {view.can_withdraw.then(|| view! {
            <form method="post" class="mt-6 max-w-prose">
                <p class="mb-2 text-sm text-slate-700 dark:text-slate-300">{t.cohort_withdraw_hint()}</p>
                <button type="submit" name="intent" value="withdraw" class="min-h-11 rounded border-2 border-rose-800 px-4 font-semibold text-rose-800 hover:bg-rose-50 dark:text-rose-200 dark:hover:bg-rose-950">
                    {t.cohort_withdraw()}
                </button>
            </form>
        })}
        <p class="mt-6"><a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/cohorts/{}", view.cohort.id))>{title}</a></p>
    }
}
