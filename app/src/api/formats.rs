//! The session formats, for the filters and session pages.

use crate::error::AppError;
use crate::model::FormatInfo;
use leptos::prelude::*;

/// Every format, in the program's order. Public.
#[server(prefix = "/api", endpoint = "formats/list")]
pub async fn list_formats() -> Result<Vec<FormatInfo>, AppError> {
    let state = crate::server::state::app_state()?;
    Ok(crate::server::db::sessions::formats(&state.db).await?)
}
