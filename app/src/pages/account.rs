//! Signing in, asking for a password reset, and choosing a password from an emailed link
//! (a reset, or an invitation to facilitate). Plain forms that post to their own page.

use super::ErrorNotice;
use crate::api::account::{invitation_address, reset_address};
use crate::components::PageHeading;
use crate::components::fields::{ErrorSummary, Submitted, TextField};
use crate::components::layout::{href, use_locale};
use crate::domain::accounts::{PasswordForm, SignInForm};
use crate::domain::forms::Field;
use crate::i18n::Tr;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

const BUTTON: &str = "min-h-11 rounded bg-teal-800 px-5 font-semibold text-white hover:bg-teal-900";

/// A confirmation shown after a redirect (`?done=…`), announced to screen readers and focused,
/// so the next Tab continues from the message rather than from the top of the page.
#[component]
pub fn DoneNotice<T: IntoView + 'static>(text: Option<T>) -> impl IntoView {
    text.map(|text| {
        view! {
            <p role="status" tabindex="-1" autofocus class="mb-4 rounded border border-teal-700 bg-teal-50 p-3 text-teal-950 dark:bg-teal-950 dark:text-teal-50">
                {text}
            </p>
        }
    })
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let query = use_query_map().read_untracked();
    let done = match query.get_str("done") {
        Some("password") => Some(t.account_password_saved()),
        Some("signed_out") => Some(t.account_signed_out()),
        _ => None,
    };
    let submitted = Submitted::<SignInForm>::from_context();
    let next = if submitted.values.next.is_empty() {
        query.get("next").unwrap_or_default()
    } else {
        submitted.values.next.clone()
    };
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.account_sign_in_title() />
        <div class="max-w-md">
            <DoneNotice text=done />
            <p class="mb-4">{t.account_sign_in_intro()}</p>
            <ErrorSummary t errors=submitted.errors.clone() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <input type="hidden" name="next" value=next />
                <TextField t label=t.account_email() name="email" field=Field::Email kind="email" autocomplete="username"
                    value=submitted.values.email.clone() errors=submitted.errors.clone() />
                <TextField t label=t.account_password() name="password" field=Field::Password kind="password"
                    autocomplete="current-password" value="" errors=submitted.errors.clone() />
                <button type="submit" class=BUTTON>{t.account_sign_in_button()}</button>
            </form>
            <p class="mt-4"><a class="underline" href=href(locale, "/forgot-password")>{t.account_forgot_link()}</a></p>
        </div>
    }
}

/// What the forgot-password form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let sent = use_query_map().read_untracked().get_str("done") == Some("sent");
    let submitted = Submitted::<ForgotForm>::from_context();
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.account_forgot_title() />
        <div class="max-w-md">
            <DoneNotice text=sent.then(|| t.account_forgot_sent()) />
            <p class="mb-4">{t.account_forgot_intro()}</p>
            <ErrorSummary t errors=submitted.errors.clone() failure=submitted.failure.clone() />
            <form method="post" class="space-y-4" novalidate>
                <TextField t label=t.account_email() name="email" field=Field::Email kind="email" autocomplete="username"
                    value=submitted.values.email.clone() errors=submitted.errors.clone() />
                <button type="submit" class=BUTTON>{t.account_forgot_button()}</button>
            </form>
        </div>
    }
}

/// Choosing a password from an emailed link: `invitation` or a reset.
#[component]
fn SetPassword(invitation: bool) -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let address = Resource::new(
        || (),
        move |()| {
            let token = token.clone();
            async move { if invitation { invitation_address(token).await } else { reset_address(token).await } }
        },
    );
    let submitted = Submitted::<PasswordForm>::from_context();
    let title = if invitation { t.account_invitation_title() } else { t.account_reset_title() };
    view! {
        // The token in the address stays out of other sites' logs (see the registration page).
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <PageHeading locale title />
        <div class="max-w-md">
            <Suspense>
                {move || {
                    let submitted = submitted.clone();
                    address.get().map(move |address| match address {
                        Err(error) => view! { <ErrorNotice error locale /> }.into_any(),
                        Ok(email) => view! {
                            <p class="mb-4">
                                {if invitation { t.account_invitation_intro(&email) } else { t.account_reset_intro(&email) }}
                            </p>
                            <ErrorSummary t errors=submitted.errors.clone() failure=submitted.failure.clone() />
                            <form method="post" class="space-y-4" novalidate>
                                <input type="hidden" name="username" value=email autocomplete="username" />
                                <TextField t label=t.account_new_password() name="password" field=Field::Password
                                    kind="password" autocomplete="new-password" value="" hint=t.account_password_hint()
                                    errors=submitted.errors.clone() />
                                <TextField t label=t.account_confirm_password() name="confirm" field=Field::Password
                                    kind="password" autocomplete="new-password" value="" />
                                <button type="submit" class=BUTTON>{t.account_save_password()}</button>
                            </form>
                        }
                        .into_any(),
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    view! { <SetPassword invitation=false /> }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    view! { <SetPassword invitation=true /> }
}
