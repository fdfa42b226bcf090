//! The anonymous evaluation form, posted without JavaScript.

use super::workspace::again;
use super::{read_form, see_other};
use app::domain::evaluation::EvaluationForm;
use app::i18n::Locale;
use app::server::evaluations;
use app::server::rate_limit::admit_write;
use app::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

/// `POST /{lang}/evaluations/{token}`: the answers. Stored, the link is used up and the page
/// thanks the person; refused, the form comes back with what was chosen and typed.
pub async fn answer(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<EvaluationForm>(request).await;
    // Counted per address, and per link (in place of an email address, which it never has).
    if let Err(refused) = admit_write(&state, &parts, &token).await {
        return again(&state, parts, form, refused).await;
    }
    match evaluations::answer(&state, &token, &form, Utc::now()).await {
        Ok(()) => see_other(&format!("/{locale}/evaluations/{token}?answered=1")),
        Err(error) => again(&state, parts, form, error).await,
    }
}
