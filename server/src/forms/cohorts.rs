//! Cohort-group forms posted without JavaScript: registering, asking to hear when the next
//! intake opens, withdrawing (public), and creating or closing an intake (workspace).

use super::workspace::{again, caller_for, signed_in_form};
use super::{parse, read_body, read_form, see_other};
use app::domain::cohort::{CohortForm, CohortRegistrationForm, InterestForm};
use app::i18n::Locale;
use app::model::{Acknowledged, Offering};
use app::server::rate_limit::admit_write;
use app::server::state::AppState;
use app::server::{cohorts, registrations};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::collections::HashMap;
use tower_sessions::Session;

/// `POST /{lang}/cohorts/{id}`: the registration form.
pub async fn register(
    State(state): State<AppState>,
    Path((lang, cohort_id)): Path<(String, i32)>,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<CohortRegistrationForm>(request).await;
    if let Err(refused) = admit_write(&state, &parts, &form.email).await {
        return again(&state, parts, form, refused).await;
    }
    let check = {
        let form = form.clone();
        move |audience| form.check(audience)
    };
    match registrations::register(&state, Offering::Intake(cohort_id), check, locale, Utc::now()).await {
        Ok(Acknowledged { next_path }) => see_other(&next_path),
        Err(error) => again(&state, parts, form, error).await,
    }
}

/// `POST /{lang}/cohorts/{id}/interest`: tell me when the next intake opens. The page it
/// answers is the cohort's, so the form comes back there.
pub async fn ask_to_be_told(
    State(state): State<AppState>,
    Path((lang, cohort_id)): Path<(String, i32)>,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (mut parts, form) = read_form::<InterestForm>(request).await;
    let outcome = match admit_write(&state, &parts, &form.email).await {
        Ok(()) => cohorts::ask_to_be_told(&state, cohort_id, &form, Utc::now()).await,
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(()) => see_other(&format!("/{locale}/cohorts/{cohort_id}?told=1")),
        Err(error) => {
            parts.uri = format!("/{locale}/cohorts/{cohort_id}").parse().unwrap_or(parts.uri);
            again(&state, parts, form, error).await
        }
    }
}

/// `POST /{lang}/cohort-registrations/{token}`: withdraw from every meeting.
pub async fn withdraw(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let page = format!("/{locale}/cohort-registrations/{token}");
    match cohorts::withdraw(&state, &token, Utc::now()).await {
        Ok(view) => see_other(&format!("/{locale}/cohorts/{}?withdrawn=1", view.cohort.id)),
        Err(error) => {
            tracing::info!(%error, "withdrawal refused");
            see_other(&page)
        }
    }
}

/// `POST /{lang}/workspace/cohorts`: create an intake.
pub async fn create(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let (locale, caller, parts, form) =
        match signed_in_form::<CohortForm>(&state, &session, &lang, request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    match cohorts::create(&state, &caller, &form, Utc::now()).await {
        Ok(id) => see_other(&format!("/{locale}/workspace/cohorts/{id}?done=created")),
        Err(error) => again(&state, parts, form, error).await,
    }
}

/// `POST /{lang}/workspace/cohorts/{id}`: change the intake, or close or reopen registration
/// (`intent` says which of the page's forms it is).
pub async fn cohort(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, i32)>,
    session: Session,
    request: Request,
) -> Response {
    let path = request.uri().path().to_string();
    let (locale, caller) = match caller_for(&state, &session, &lang, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = read_body(request).await;
    let fields: HashMap<String, String> = parse(&body);
    let page = format!("/{locale}/workspace/cohorts/{id}");
    let closed = match fields.get("intent").map(String::as_str) {
        Some("update") => {
            let form: CohortForm = parse(&body);
            return match cohorts::update(&state, &caller, id, &form, Utc::now()).await {
                Ok(()) => see_other(&format!("{page}?done=saved")),
                Err(error) => again(&state, parts, form, error).await,
            };
        }
        Some("close") => true,
        Some("reopen") => false,
        _ => return see_other(&page),
    };
    let intake = app::model::Offering::Intake(id);
    match app::server::registrations::set_registration_closed(&state, &caller, intake, closed, Utc::now())
        .await
    {
        Ok(()) => see_other(&format!("{page}?done=saved")),
        Err(error) => again(&state, parts, CohortForm::default(), error).await,
    }
}
