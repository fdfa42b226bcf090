use crate::domain::accounts::InvitationForm;
use crate::error::AppError;
use crate::model::FacilitatorAccount;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "admin/facilitators")]
pub async fn facilitators() -> Result<Vec<FacilitatorAccount>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::facilitators(&state, &caller).await
}

/// Invites a facilitator by email.
#[server(prefix = "/api", endpoint = "admin/invite")]
pub async fn invite_facilitator(invitation: InvitationForm) -> Result<(), AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::auth::invite_facilitator(&state, &caller, &invitation, chrono::Utc::now()).await
}

/// Sends a new invitation link to someone who has not accepted yet.
#[server(prefix = "/api", endpoint = "admin/reinvite")]
pub async fn reinvite_facilitator(account_id: i32) -> Result<(), AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::auth::reinvite(&state, &caller, account_id, chrono::Utc::now()).await
}

/// Deactivates (signing out everywhere) or reactivates an account.
#[server(prefix = "/api", endpoint = "admin/account_active")]
pub async fn set_account_active(account_id: i32, active: bool) -> Result<(), AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::auth::set_account_active(&state, &caller, account_id, active, chrono::Utc::now()).await
}
