use crate::error::AppError;
use crate::model::EvaluationView;
use leptos::prelude::*;

/// What an evaluation link opens, while it works. Public: the link is the only key.
#[server(prefix = "/api", endpoint = "evaluations/get")]
pub async fn get_evaluation(token: String) -> Result<EvaluationView, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::evaluations::open(&state, &token, chrono::Utc::now()).await
}
