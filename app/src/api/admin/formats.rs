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

/// A format's evaluation questions, for the coordinator's editor.
#[server(prefix = "/api", endpoint = "admin/question_set")]
pub async fn question_set(format_id: i32) -> Result<crate::model::QuestionSetView, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::evaluations::question_set(&state, &caller, format_id).await
}
