use crate::error::AppError;
use crate::model::RegistrationView;
use leptos::prelude::*;

/// Cancels the registration a private link opens; its seat goes to the next person waiting.
#[server(prefix = "/api", endpoint = "registrations/cancel")]
pub async fn cancel_registration(token: String) -> Result<RegistrationView, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::registrations::cancel(&state, &token, chrono::Utc::now()).await
}
