//! A session's page: everything a participant needs before registering.

use super::ErrorNotice;
use crate::api::sessions::get_session;
use crate::calendar_links::{EventLink, google, outlook};
use crate::components::layout::{SiteUrl, href, use_locale};
use crate::components::registration_form::{FormNotice, RegistrationAttempt, RegistrationFormIsland};
use crate::components::seats::SeatCount;
use crate::components::session_card::{LocalizedText, SessionTime, audience_label, language_label};
use crate::components::{PageHeading, TimesNotice};
use crate::domain::session::{Availability, SessionStatus, availability, shown_end};
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::model::{Offering, SessionDetail, SessionSummary};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SessionPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let id = use_params_map().read_untracked().get_str("id").and_then(|id| id.parse::<i32>().ok());
    let detail = Resource::new(
        || (),
        move |()| async move {
            match id {
                Some(id) => get_session(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense>
            {move || {
                detail.get().map(|detail| match detail {
                    Ok(detail) => view! { <SessionDetailView detail /> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                    Err(error) => view! {
                        <PageHeading locale title=t.session_unavailable() />
                        <ErrorNotice error locale />
                    }
                    .into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn SessionDetailView(detail: SessionDetail) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let session = detail.summary;
    let (title, _) = session.title.pick(locale);
    let (format_name, _) = session.format_name.pick(locale);
    let (format_description, _) = detail.format.description.pick(locale);
    let (led_by, _) = detail.format.led_by.pick(locale);
    let (credentials, _) = detail.facilitator.credentials.pick(locale);
    let series =
        session.series.as_ref().map(|series| t.session_series_part(series.name.pick(locale).0, series.part));
    let calendar_link = href(
        locale,
        &format!(
            "/week?date={}",
            crate::timefmt::iso_date(crate::domain::zones::reference_time(session.starts_at).date())
        ),
    );
    let facts = "grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]";

    view! {
        <p class="mb-1 text-sm font-semibold uppercase tracking-wide text-teal-800 dark:text-teal-300">
            {format_name.to_string()}
            {series.map(|s| view! { " · " <span class="normal-case">{s}</span> })}
        </p>
        <PageHeading locale title=title.to_string() />
        <TimesNotice locale />
        <dl class=facts>
            <dt class="font-semibold">{t.session_when()}</dt>
            <dd>
                <SessionTime starts_at=session.starts_at duration_minutes=session.duration_minutes locale />
                <span class="text-sm text-slate-700 dark:text-slate-300">{t.session_duration(session.duration_minutes)}</span>
            </dd>
            <dt class="font-semibold">{t.session_facilitator()}</dt>
            <dd>{detail.facilitator.display_name} ", " {credentials.to_string()}</dd>
            <dt class="font-semibold">{t.session_language()}</dt>
            <dd>{language_label(t, session.language)}</dd>
            <dt class="font-semibold">{t.session_audience()}</dt>
            <dd>{audience_label(t, session.audience)}</dd>
            <dt class="font-semibold">{t.session_seats()}</dt>
            <dd>
                <SeatCount
                    offering=Offering::Session(session.id)
                    capacity=session.capacity
                    seats_taken=session.seats_taken
                    status=session.status
                    locale
                />
            </dd>
        </dl>
        <AddToCalendar session=session.clone() locale />
        <section class="mt-6 max-w-prose" aria-labelledby="about-session">
            <h2 id="about-session" class="mb-2 text-xl font-semibold">{t.session_about()}</h2>
            <p class="whitespace-pre-line"><LocalizedText text=detail.description locale /></p>
        </section>
        <section class="mt-6 max-w-prose" aria-labelledby="about-format">
            <h2 id="about-format" class="mb-2 text-xl font-semibold">{t.session_about_format(format_name)}</h2>
            <p>{format_description.to_string()}</p>
            <p class="mt-2 text-sm text-slate-700 dark:text-slate-300">{t.session_format_led_by(led_by)}</p>
            <p class="mt-2 text-sm font-semibold">{t.session_not_therapy()}</p>
        </section>
        <Registration session=session.clone() open=detail.registration_open waitlist_full=detail.waitlist_full />
        <p class="mt-6">
            <a class="underline" href=calendar_link>{t.session_back_to_week()}</a>
        </p>
    }
}

/// The session's public calendar entry: a file to download, or a new event in Google or
/// Outlook. (Registrants get the private join link by email, never here.)
#[component]
fn AddToCalendar(session: SessionSummary, locale: Locale) -> impl IntoView {
    let t = Tr(locale);
    let site = use_context::<SiteUrl>().unwrap_or_default().0;
    let page = format!("{site}{}", href(locale, &format!("/sessions/{}", session.id)));
    let details = t.ics_details(&page);
    let title = session.title.pick(locale).0.to_string();
    let event = EventLink {
        title: &title,
        details: &details,
        starts_at: session.starts_at,
        ends_at: shown_end(session.starts_at, session.duration_minutes),
    };
    let link = "min-h-11 inline-flex items-center underline";
    view! {
        <section class="mt-6" aria-labelledby="add-to-calendar">
            <h2 id="add-to-calendar" class="mb-1 text-lg font-semibold">{t.calendar_add()}</h2>
            <ul class="flex flex-wrap gap-x-5">
                <li><a class=link href=href(locale, &format!("/sessions/{}/calendar.ics", session.id)) download>{t.calendar_download()}</a></li>
                <li><a class=link href=google(&event) rel="noopener">{t.calendar_google()}</a></li>
                <li><a class=link href=outlook(&event) rel="noopener">{t.calendar_outlook()}</a></li>
            </ul>
        </section>
    }
}

/// The registration form while registration is open and there is room; otherwise why not.
#[component]
fn Registration(session: SessionSummary, open: bool, waitlist_full: bool) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let full = availability(session.capacity, session.seats_taken) == Availability::Full;
    // After a registration (new or not: the page cannot tell, and says the same).
    let sent = use_query_map().read_untracked().get_str("registered").is_some();
    let body = if open && waitlist_full {
        view! { <p role="status">{t.error_waitlist_full()}</p> }.into_any()
    } else if open {
        let attempt = use_context::<RegistrationAttempt>().unwrap_or_default();
        view! {
            <p class="mb-4 max-w-prose">{if full { t.register_full_intro() } else { t.register_intro() }}</p>
            <RegistrationFormIsland
                session_id=session.id
                locale
                audience=session.audience
                full
                action=href(locale, &format!("/sessions/{}", session.id))
                values=attempt.form
                errors=attempt.errors
                notice=attempt.notice.or(sent.then_some(FormNotice::EmailSent))
            />
        }
        .into_any()
    } else if session.status == SessionStatus::Cancelled {
        view! { <p>{t.register_cancelled_session()}</p> }.into_any()
    } else {
        view! { <p>{t.register_closed()}</p> }.into_any()
    };
    view! {
        <section id="register" class="mt-8 max-w-2xl rounded-lg border border-slate-300 p-4 dark:border-slate-700" aria-labelledby="register-heading">
            <h2 id="register-heading" class="mb-2 text-xl font-semibold">{t.register_title()}</h2>
            {body}
        </section>
    }
}
