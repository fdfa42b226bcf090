use crate::error::AppError;
use crate::model::SessionDetail;
use leptos::prelude::*;

/// One session with everything a participant reads before registering. Public; the
/// meeting link is not part of it.
#[server(prefix = "/api", endpoint = "sessions/get")]
pub async fn get_session(id: i32) -> Result<SessionDetail, AppError> {
    let state = crate::server::state::app_state()?;
    let factor = state.settings.waitlist_factor;
    Ok(crate::server::db::sessions::detail(&state.db, id, chrono::Utc::now(), factor).await?)
}
