use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{SessionEditor, WorkspaceSession};
use leptos::prelude::*;

/// The caller's sessions; every session for a coordinator.
#[server(prefix = "/api", endpoint = "workspace/sessions")]
pub async fn my_sessions() -> Result<Vec<WorkspaceSession>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::sessions(&state, &caller, chrono::Utc::now()).await
}

/// The schedule form's date, time and zone, read as "Schedule" will store them, in Eastern
/// Time and UTC; `None` while they name no moment. The server converts, so the preview comes
/// from the same zone rules as the stored time.
#[server(prefix = "/api", endpoint = "workspace/schedule-preview")]
pub async fn schedule_preview(
    locale: Locale,
    date: String,
    time: String,
    zone: String,
) -> Result<Option<String>, AppError> {
    crate::server::auth::signed_in().await?;
    Ok(crate::server::workspace::schedule_preview(locale, &date, &time, &zone))
}

/// A session the caller manages, with its form filled in.
#[server(prefix = "/api", endpoint = "workspace/session")]
pub async fn open_session(id: i32) -> Result<SessionEditor, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::editor(&state, &caller, id, chrono::Utc::now()).await
}
