//! A registration, opened through the private link in its emails: where it stands, and a
//! button to cancel it. The button posts a plain form to this same address.

use super::ErrorNotice;
use crate::api::registrations::get_registration;
use crate::components::PageHeading;
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
    let just_registered = query.get_str("new").is_some();
    let just_cancelled = query.get_str("cancelled").is_some();
    let registration = Resource::new(|| (), move |()| get_registration(token.clone()));
    view! {
        // A private page: keep it out of search engines and other sites' logs. Not "no-referrer":
        // that also blanks the Origin of this page's own form, which the forgery check refuses.
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <PageHeading locale title=t.manage_title() />
        <Suspense>
            {move || registration.get().map(|result| match result {
                Ok(view) => view! { <RegistrationDetails view just_registered just_cancelled /> }.into_any(),
                Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RegistrationDetails(view: RegistrationView, just_registered: bool, just_cancelled: bool) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
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
        {(just_registered && view.state != RegistrationState::Cancelled)
            .then(|| view! { <p class="mb-2 text-lg font-semibold">{t.manage_thanks()}</p> })}
        <p role="status" class="mb-4 max-w-prose rounded border border-teal-700 bg-teal-50 p-3 text-teal-950 dark:bg-teal-950 dark:text-teal-50">
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
