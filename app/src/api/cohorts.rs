//! Cohort groups in public: the intakes still to come, one intake with its next one, and a
//! registration opened through its private link.

use crate::error::AppError;
use crate::model::{CohortDetail, CohortRegistrationView, CohortSummary};
use leptos::prelude::*;

/// Intakes not yet over, soonest first.
#[server(prefix = "/api", endpoint = "cohorts/list")]
pub async fn list_cohorts() -> Result<Vec<CohortSummary>, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::cohorts::list(&state, chrono::Utc::now()).await
}

#[server(prefix = "/api", endpoint = "cohorts/get")]
pub async fn get_cohort(id: i32) -> Result<CohortDetail, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::cohorts::public(&state, id, chrono::Utc::now()).await
}

#[server(prefix = "/api", endpoint = "cohort-registrations/get")]
pub async fn get_cohort_registration(token: String) -> Result<CohortRegistrationView, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::cohorts::view(&state, &token, chrono::Utc::now()).await
}
