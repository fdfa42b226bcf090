use crate::error::AppError;
use crate::model::FormatRecord;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "admin/formats")]
pub async fn formats_admin() -> Result<Vec<FormatRecord>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::formats(&state, &caller).await
}

/// Creates a format (no `id`) or changes one.
#[server(prefix = "/api", endpoint = "admin/save_format")]
pub async fn save_format(
    id: Option<i32>,
    form: crate::domain::format_form::FormatForm,
) -> Result<i32, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::workspace::save_format(&state, &caller, id, &form).await
}
