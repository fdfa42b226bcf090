use crate::domain::session_form::SessionForm;
use crate::error::AppError;
use leptos::prelude::*;

/// Schedules a session (repeated weekly when asked). Facilitators schedule for themselves;
/// coordinators for the facilitator they name.
#[server(prefix = "/api", endpoint = "workspace/create")]
pub async fn create_sessions(form: SessionForm, facilitator_id: Option<i32>) -> Result<Vec<i32>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::create(&state, &caller, &form, facilitator_id, chrono::Utc::now()).await
}

/// Changes a session's details and tells everyone registered.
#[server(prefix = "/api", endpoint = "workspace/update")]
pub async fn update_session(id: i32, form: SessionForm) -> Result<(), AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::update(&state, &caller, id, &form, chrono::Utc::now()).await
}

/// Cancels a session and tells everyone registered.
#[server(prefix = "/api", endpoint = "workspace/cancel")]
pub async fn cancel_session(id: i32) -> Result<(), AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::cancel(&state, &caller, id, chrono::Utc::now()).await
}

/// Closes registration, or opens it again.
#[server(prefix = "/api", endpoint = "workspace/registration")]
pub async fn set_registration_closed(id: i32, closed: bool) -> Result<(), AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    let session = crate::model::Offering::Session(id);
    crate::server::registrations::set_registration_closed(
        &state,
        &caller,
        session,
        closed,
        chrono::Utc::now(),
    )
    .await
}

/// Gives a session to another facilitator. Coordinators only.
#[server(prefix = "/api", endpoint = "workspace/reassign")]
pub async fn reassign_session(id: i32, facilitator_id: i32) -> Result<(), AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::reassign(&state, &caller, id, facilitator_id, chrono::Utc::now()).await
}
