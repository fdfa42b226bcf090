use crate::error::AppError;
use leptos::prelude::*;

/// Emails a password-reset link if the address has an account. Public; always answers the
/// same, so it reveals nothing about who has an account.
#[server(prefix = "/api", endpoint = "account/request_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::rate_limit::admit_server_fn_write(&state, &email).await?;
    crate::server::auth::request_password_reset(&state, &email, chrono::Utc::now()).await
}

/// The address a reset link was sent to, while the link is usable. Public (the link is the key).
#[server(prefix = "/api", endpoint = "account/reset_address")]
pub async fn reset_address(token: String) -> Result<String, AppError> {
    use crate::server::db::accounts::TokenPurpose;
    let state = crate::server::state::app_state()?;
    crate::server::auth::link_address(&state, TokenPurpose::PasswordReset, &token, chrono::Utc::now()).await
}

/// Sets a new password with a reset link, and signs the account out everywhere.
#[server(prefix = "/api", endpoint = "account/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::server::db::accounts::TokenPurpose;
    let state = crate::server::state::app_state()?;
    crate::server::auth::set_password_with_link(
        &state,
        TokenPurpose::PasswordReset,
        &token,
        &password,
        chrono::Utc::now(),
    )
    .await
}

/// The address an invitation was sent to, while the link is usable. Public (the link is the key).
#[server(prefix = "/api", endpoint = "account/invitation_address")]
pub async fn invitation_address(token: String) -> Result<String, AppError> {
    use crate::server::db::accounts::TokenPurpose;
    let state = crate::server::state::app_state()?;
    crate::server::auth::link_address(&state, TokenPurpose::Invitation, &token, chrono::Utc::now()).await
}

/// Accepts an invitation by choosing a password.
#[server(prefix = "/api", endpoint = "account/accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<(), AppError> {
    use crate::server::db::accounts::TokenPurpose;
    let state = crate::server::state::app_state()?;
    crate::server::auth::set_password_with_link(
        &state,
        TokenPurpose::Invitation,
        &token,
        &password,
        chrono::Utc::now(),
    )
    .await
}
