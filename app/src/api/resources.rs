//! The resources library: the public page's list, and the coordinator's.

use crate::domain::resources::LibraryFilter;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::Library;
use leptos::prelude::*;

/// The resources `filter` asks for, searched in the `locale` page's text. Public.
#[server(prefix = "/api", endpoint = "resources/library")]
pub async fn get_library(filter: LibraryFilter, locale: Locale) -> Result<Library, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::resources::library(&state, &filter, locale).await
}

/// Every resource and topic, for the coordinator who manages them.
#[server(prefix = "/api", endpoint = "admin/resources")]
pub async fn resources_admin() -> Result<Library, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::resources::manage(&state, &caller).await
}
