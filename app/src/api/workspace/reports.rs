use crate::error::AppError;
use crate::model::ProgramReport;
use leptos::prelude::*;

/// The program report: every facilitator's offerings for a coordinator, their own for a
/// facilitator.
#[server(prefix = "/api", endpoint = "workspace/report")]
pub async fn get_program_report() -> Result<ProgramReport, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::reports::report(&state, &caller).await
}
