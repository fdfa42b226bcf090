use crate::error::AppError;
use crate::model::RosterEntry;
use leptos::prelude::*;

/// Who registered for a session. The session's own facilitator only.
#[server(prefix = "/api", endpoint = "workspace/roster")]
pub async fn roster(id: i32) -> Result<Vec<RosterEntry>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::roster(&state, &caller, id).await
}

/// Writes to everyone registered for a session. The session's own facilitator only.
#[server(prefix = "/api", endpoint = "workspace/message")]
pub async fn message_registrants(id: i32, subject: String, body: String) -> Result<u32, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    let form = crate::server::workspace::MessageForm { subject, body };
    crate::server::workspace::message(&state, &caller, id, &form, chrono::Utc::now()).await
}
