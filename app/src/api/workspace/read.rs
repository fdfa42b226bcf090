use crate::error::AppError;
use crate::model::{SessionEditor, WorkspaceSession};
use leptos::prelude::*;

/// The caller's sessions; every session for a coordinator.
#[server(prefix = "/api", endpoint = "workspace/sessions")]
pub async fn my_sessions() -> Result<Vec<WorkspaceSession>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::sessions(&state, &caller, chrono::Utc::now()).await
}

/// A session the caller manages, with its form filled in.
#[server(prefix = "/api", endpoint = "workspace/session")]
pub async fn open_session(id: i32) -> Result<SessionEditor, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::editor(&state, &caller, id, chrono::Utc::now()).await
}
