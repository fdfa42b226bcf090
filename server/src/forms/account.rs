//! Account forms: signing in and out, asking for a reset, choosing a password from a link.

use super::{read_form, render_page, see_other};
use app::components::fields::Submitted;
use app::domain::accounts::{PasswordForm, SignInForm, after_sign_in};
use app::error::AppError;
use app::i18n::Locale;
use app::pages::account::ForgotForm;
use app::server::auth;
use app::server::db::accounts::TokenPurpose;
use app::server::rate_limit::{admit_write, client_address};
use app::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use leptos::prelude::provide_context;
use tower_sessions::Session;

/// `POST /{lang}/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<SignInForm>(request).await;
    let ip = client_address(&parts, &state.settings.trusted_proxies);
    match auth::sign_in(&state, &session, &form.email, &form.password, ip, Utc::now()).await {
        Ok(_) => see_other(&after_sign_in(&form.next, locale)),
        Err(error) => {
            let status = error.status();
            // The password never goes back to the page.
            let values = SignInForm { password: String::new(), ..form };
            let submitted = Submitted { values, errors: Vec::new(), failure: Some(error) };
            render_page(&state, parts, move || provide_context(submitted.clone()), status).await
        }
    }
}

/// `POST /{lang}/sign-out`, with `everywhere=yes` to end every session of the account.
pub async fn sign_out(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    #[derive(serde::Deserialize, Default)]
    struct SignOut {
        #[serde(default)]
        everywhere: String,
    }
    let (_, form) = read_form::<SignOut>(request).await;
    let outcome = if form.everywhere == "yes" {
        auth::sign_out_everywhere(&state, &session, Utc::now()).await
    } else {
        auth::sign_out(&session).await
    };
    if let Err(error) = outcome {
        tracing::warn!(%error, "sign out");
    }
    see_other(&format!("/{locale}/sign-in?done=signed_out"))
}

/// `POST /{lang}/forgot-password`: the same answer whoever asks.
pub async fn forgot_password(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<ForgotForm>(request).await;
    let outcome = match admit_write(&state, &parts, &form.email).await {
        Ok(()) => auth::request_password_reset(&state, &form.email, Utc::now()).await,
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(()) => see_other(&format!("/{locale}/forgot-password?done=sent")),
        Err(error) => {
            let status = error.status();
            let submitted = Submitted { values: form, errors: Vec::new(), failure: Some(error) };
            render_page(&state, parts, move || provide_context(submitted.clone()), status).await
        }
    }
}

async fn choose_password(
    state: AppState,
    lang: String,
    token: String,
    purpose: TokenPurpose,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<PasswordForm>(request).await;
    let now = Utc::now();
    let outcome = match auth::link_address(&state, purpose, &token, now).await {
        Ok(email) => match form.check(&email) {
            Ok(password) => auth::set_password_with_link(&state, purpose, &token, password, now).await,
            Err(problem) => Err(AppError::Form(vec![problem])),
        },
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => see_other(&format!("/{locale}/sign-in?done=password")),
        Err(error) => {
            let status = error.status();
            let errors = match &error {
                AppError::Form(errors) => errors.clone(),
                _ => Vec::new(),
            };
            let failure = (!matches!(error, AppError::Form(_))).then_some(error);
            let submitted = Submitted { values: PasswordForm::default(), errors, failure };
            render_page(&state, parts, move || provide_context(submitted.clone()), status).await
        }
    }
}

/// `POST /{lang}/reset-password/{token}`.
pub async fn reset_password(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    request: Request,
) -> Response {
    choose_password(state, lang, token, TokenPurpose::PasswordReset, request).await
}

/// `POST /{lang}/invitation/{token}`.
pub async fn accept_invitation(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    request: Request,
) -> Response {
    choose_password(state, lang, token, TokenPurpose::Invitation, request).await
}
