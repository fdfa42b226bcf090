use crate::error::AppError;
use crate::model::RegistrationView;
use leptos::prelude::*;

/// The registration a private link opens.
#[server(prefix = "/api", endpoint = "registrations/get")]
pub async fn get_registration(token: String) -> Result<RegistrationView, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::registrations::view(&state, &token, chrono::Utc::now()).await
}
