//! A registration, opened through the private link in its emails: where it stands, and a
//! button to cancel it. The button posts a plain form to this same address.

use super::ErrorNotice;
use crate::api::registrations::get_registration;
use crate::components::PageHeading;
use crate::components::device_sessions::{DeviceEntry, RememberRegistration, Standing};
use crate::components::layout::{href, use_locale};
use crate::components::session_card::SessionCard;
use crate::i18n::Tr;
use crate::model::{RegistrationState, RegistrationView};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RegistrationPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let query = use_query_map().read_untracked();
    let just_cancelled = query.get_str("cancelled").is_some();
    let fetch_token = token.clone();
    let registration = Resource::new(|| (), move |()| get_registration(fetch_token.clone()));
    view! {
        // A private page: keep it out of search engines and other sites' logs. Not "no-referrer":
        // that also blanks the Origin of this page's own form, which the forgery check refuses.
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <PageHeading locale title=t.manage_title() />
        <Suspense>
            {move || registration.get().map(|result| match result {
                Ok(view) => view! { <RegistrationDetails view token=token.clone() just_cancelled /> }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RegistrationDetails(view: RegistrationView, token: String, just_cancelled: bool) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let start = view.session.starts_at;
    let entry = DeviceEntry {
        token,
        session_id: view.session.id,
        title: view.session.title.clone(),
        start_ms: start.timestamp_millis(),
        end_ms: (start + chrono::Duration::minutes(i64::from(view.session.duration_minutes)))
            .timestamp_millis(),
        standing: match view.state {
            RegistrationState::Confirmed => Standing::Confirmed,
            RegistrationState::Waitlisted(_) => Standing::Waitlisted,
            RegistrationState::Cancelled => Standing::Cancelled,
        },
    };
    let status = match view.state {
        RegistrationState::Confirmed => t.manage_confirmed(&view.email_hint),
        RegistrationState::Waitlisted(position) => t.manage_waitlisted(&view.email_hint, position),
        RegistrationState::Cancelled if just_cancelled => t.manage_cancel_done().to_string(),
        RegistrationState::Cancelled => t.manage_cancelled().to_string(),
    };
    let button = match view.state {
        RegistrationState::Waitlisted(_) => t.manage_leave_waitlist(),
        _ => t.manage_cancel(),
    };
    view! {
        <RememberRegistration entry />
        // Focused when the page answers an action, so keyboard and screen-reader users land on the outcome.
        <p role="status" tabindex="-1" autofocus=just_cancelled class="mb-4 max-w-prose rounded border border-teal-700 bg-teal-50 p-3 text-teal-950 dark:bg-teal-950 dark:text-teal-50">
            {status}
        </p>
        <SessionCard session=view.session.clone() locale />
        {view.can_cancel.then(|| view! {
            <form method="post" class="mt-6 max-w-prose">
                <input type="hidden" name="intent" value="cancel" />
                <p class="mb-2 text-sm text-slate-700 dark:text-slate-300">{t.manage_cancel_hint()}</p>
                <button type="submit" class="min-h-11 rounded border-2 border-rose-800 px-4 font-semibold text-rose-800 hover:bg-rose-50 dark:text-rose-200 dark:hover:bg-rose-950">
                    {button}
                </button>
            </form>
        })}
        <p class="mt-6"><a class="underline" href=href(locale, "")>{t.nav_upcoming()}</a></p>
    }
}
