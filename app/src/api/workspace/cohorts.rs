use crate::error::AppError;
use crate::model::{CohortAdmin, CohortSummary};
use leptos::prelude::*;

/// The cohorts the caller manages: all for a coordinator, their own for a facilitator.
#[server(prefix = "/api", endpoint = "workspace/cohorts")]
pub async fn cohorts_admin() -> Result<Vec<CohortSummary>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::cohorts::for_workspace(&state, &caller, chrono::Utc::now()).await
}

/// One cohort with its counts, and its roster for its own facilitator.
#[server(prefix = "/api", endpoint = "workspace/cohort")]
pub async fn cohort_for_workspace(id: i32) -> Result<CohortAdmin, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::cohorts::admin(&state, &caller, id, chrono::Utc::now()).await
}
