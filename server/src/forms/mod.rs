//! Forms posted without JavaScript. Each posts to the page it is on; the handler calls the
//! same service as the matching server function, then either redirects (post/redirect/get) or
//! renders the same page again with what was typed and what needs fixing.

pub mod account;
pub mod cohorts;
pub mod evaluations;
pub mod gratitude;
pub mod resources;
pub mod rounds;
pub mod workspace;

use crate::routes::render_document;
use app::components::registration_form::{FormNotice, RegistrationAttempt};
use app::domain::registration::{RegistrationForm, validate};
use app::error::AppError;
use app::i18n::Locale;
use app::model::{Acknowledged, Offering};
use app::server::rate_limit::admit_write;
use app::server::registrations;
use app::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;

/// Renders the page at the request's address with `extra` in its context (the submitted
/// form, typically), answering `status`.
pub(crate) async fn render_page(
    state: &AppState,
    parts: http::request::Parts,
    extra: impl Fn() + Clone + Send + Sync + 'static,
    status: StatusCode,
) -> Response {
    render_document(state, parts, extra, status, app::shell).await
}

/// Post/redirect/get: back to a page with a GET. The path may carry a token as the visitor
/// sent it (decoded from the address): anything a header cannot hold is percent-encoded again,
/// so a NUL or a line break in a link answers with that page, not a failed response.
pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(&header_safe(path)).into_response()
}

/// `path` with every byte outside visible ASCII percent-encoded; visible ASCII is unchanged.
fn header_safe(path: &str) -> String {
    let mut safe = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            safe.push(char::from(byte));
        } else {
            safe.push_str(&format!("%{byte:02X}"));
        }
    }
    safe
}

/// The most a form may send; more is treated as an empty form.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A posted form's body, to read as one or more shapes (see [`parse`]).
pub(crate) async fn read_body(request: Request) -> (http::request::Parts, axum::body::Bytes) {
    let (parts, body) = request.into_parts();
    (parts, axum::body::to_bytes(body, MAX_FORM_BYTES).await.unwrap_or_default())
}

/// A form body as `T`; one that does not parse yields `T::default()`, which the service then
/// reports field by field.
pub(crate) fn parse<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> T {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

pub(crate) async fn read_form<T: serde::de::DeserializeOwned + Default>(
    request: Request,
) -> (http::request::Parts, T) {
    let (parts, body) = read_body(request).await;
    (parts, parse(&body))
}

/// `POST /{lang}/sessions/{id}`: the registration form.
pub async fn register(
    State(state): State<AppState>,
    Path((lang, session_id)): Path<(String, i32)>,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<RegistrationForm>(request).await;
    let outcome = match admit_write(&state, &parts, &form.email).await {
        Ok(()) => {
            let check = {
                let form = form.clone();
                move |audience| validate(&form, audience)
            };
            let now = chrono::Utc::now();
            registrations::register(&state, Offering::Session(session_id), check, locale, now).await
        }
        Err(refused) => Err(refused),
    };
    let (attempt, status) = match outcome {
        Ok(Acknowledged { next_path }) => return see_other(&next_path),
        Err(AppError::Form(errors)) => {
            (RegistrationAttempt { form, errors, notice: None }, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => {
            let status = error.status();
            (
                RegistrationAttempt { form, errors: Vec::new(), notice: Some(FormNotice::Failed(error)) },
                status,
            )
        }
    };
    render_page(&state, parts, move || provide_context(attempt.clone()), status).await
}

/// `POST /{lang}/registrations/{token}`: the cancel button. Back to the same page either way;
/// it shows the registration as it now stands.
pub async fn cancel(State(state): State<AppState>, Path((lang, token)): Path<(String, String)>) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let page = format!("/{locale}/registrations/{token}");
    match registrations::cancel(&state, &token, chrono::Utc::now()).await {
        Ok(_) => see_other(&format!("{page}?cancelled=1")),
        Err(error) => {
            tracing::info!(%error, "cancellation refused");
            see_other(&page)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_to_a_token_a_header_cannot_hold_is_percent_encoded() {
        let response = see_other("/en/cohort-registrations/a\0b\r\né?x=1");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[http::header::LOCATION],
            "/en/cohort-registrations/a%00b%0D%0A%C3%A9?x=1"
        );
    }
}
