//! Forms posted without JavaScript. Each posts to the page it is on; the handler does what the
//! matching server function does, then either redirects (post/redirect/get) or renders the same
//! page again with what was typed and what needs fixing.

use crate::routes::page_context;
use app::components::registration_form::{FormNotice, RegistrationAttempt};
use app::domain::registration::RegistrationForm;
use app::error::AppError;
use app::i18n::Locale;
use app::model::RegistrationOutcome;
use app::server::registrations;
use app::server::state::AppState;
use axum::Form;
use axum::body::Body;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;

/// Renders the page at the request's address, with `attempt` for its registration form.
async fn render_with(
    state: &AppState,
    parts: http::request::Parts,
    attempt: RegistrationAttempt,
    status: StatusCode,
) -> Response {
    let context = page_context(state);
    let render = leptos_axum::render_app_async_with_context(
        move || {
            context();
            provide_context(attempt.clone());
        },
        {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        },
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Form(_) | AppError::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::RegistrationClosed => StatusCode::CONFLICT,
        AppError::InvalidLink => StatusCode::BAD_REQUEST,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
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
    let (parts, body) = request.into_parts();
    let form = match Form::<RegistrationForm>::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
    {
        Ok(Form(form)) => form,
        Err(_) => RegistrationForm::default(),
    };
    let outcome = registrations::register(&state, session_id, &form, locale, chrono::Utc::now()).await;
    let (attempt, status) = match outcome {
        Ok(RegistrationOutcome::Registered { manage_path, .. }) => {
            return Redirect::to(&format!("{manage_path}?new=1")).into_response();
        }
        Ok(RegistrationOutcome::AlreadyRegistered) => (
            RegistrationAttempt { form, errors: Vec::new(), notice: Some(FormNotice::AlreadyRegistered) },
            StatusCode::OK,
        ),
        Err(AppError::Form(errors)) => {
            (RegistrationAttempt { form, errors, notice: None }, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => {
            let status = status_of(&error);
            (
                RegistrationAttempt { form, errors: Vec::new(), notice: Some(FormNotice::Failed(error)) },
                status,
            )
        }
    };
    render_with(&state, parts, attempt, status).await
}

/// `POST /{lang}/registrations/{token}`: the cancel button. Back to the same page either way;
/// it shows the registration as it now stands.
pub async fn cancel(State(state): State<AppState>, Path((lang, token)): Path<(String, String)>) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let page = format!("/{locale}/registrations/{token}");
    match registrations::cancel(&state, &token, chrono::Utc::now()).await {
        Ok(_) => Redirect::to(&format!("{page}?cancelled=1")).into_response(),
        Err(error) => {
            tracing::info!(%error, "cancellation refused");
            Redirect::to(&page).into_response()
        }
    }
}
