//! The "Get support now" directory and the site's contact addresses. Public.

use crate::error::AppError;
use crate::model::{Contacts, SupportDirectory};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "support/directory")]
pub async fn get_support_directory() -> Result<SupportDirectory, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::support::directory(&state).await
}

#[server(prefix = "/api", endpoint = "support/contacts")]
pub async fn get_contacts() -> Result<Contacts, AppError> {
    let state = crate::server::state::app_state()?;
    Ok(crate::server::support::contacts(&state))
}
