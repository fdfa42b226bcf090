use crate::error::AppError;
use crate::model::{FacilitatedGroup, RoundAdmin, RoundSummary, SurveyAdmin};
use leptos::prelude::*;

/// Every round, for the coordinator.
#[server(prefix = "/api", endpoint = "workspace/rounds")]
pub async fn rounds_admin() -> Result<Vec<RoundSummary>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::rounds::list_for_coordinator(&state, &caller, chrono::Utc::now()).await
}

/// A round with its applications, for the coordinator.
#[server(prefix = "/api", endpoint = "workspace/round")]
pub async fn round_for_coordinator(id: i32) -> Result<RoundAdmin, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::rounds::admin(&state, &caller, id, chrono::Utc::now()).await
}

/// The groups the caller facilitates, with their members.
#[server(prefix = "/api", endpoint = "workspace/groups")]
pub async fn my_groups() -> Result<Vec<FacilitatedGroup>, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::rounds::my_groups(&state, &caller, chrono::Utc::now()).await
}

/// A round's members' survey: settings, who completed it, answers in aggregate (coordinators).
#[server(prefix = "/api", endpoint = "workspace/round_survey")]
pub async fn round_survey(id: i32) -> Result<SurveyAdmin, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::surveys::admin(&state, &caller, id, chrono::Utc::now()).await
}
