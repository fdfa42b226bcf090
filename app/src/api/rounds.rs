//! Application rounds in public: a round, its published draw and a re-run of it, and an
//! application opened through its private link. Open to anyone; an application is reached
//! only through the signed link its applicant received.

use crate::domain::draw::PublishedDraw;
use crate::error::AppError;
use crate::model::{ApplicationView, RoundSummary};
use leptos::prelude::*;

/// Rounds, newest deadline first.
#[server(prefix = "/api", endpoint = "rounds/list")]
pub async fn list_rounds() -> Result<Vec<RoundSummary>, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::rounds::list(&state, chrono::Utc::now()).await
}

#[server(prefix = "/api", endpoint = "rounds/get")]
pub async fn get_round(id: i32) -> Result<RoundSummary, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::rounds::public(&state, id, chrono::Utc::now()).await
}

/// The seed, inputs and result of a round's draw, once it has run.
#[server(prefix = "/api", endpoint = "rounds/draw")]
pub async fn get_draw(id: i32) -> Result<PublishedDraw, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::rounds::published_draw(&state, id).await
}

/// Runs a round's draw again with `seed` on the published inputs: whether it gives the
/// published result, or `None` for a seed that is not 16 hexadecimal digits.
#[server(prefix = "/api", endpoint = "rounds/check")]
pub async fn check_draw(id: i32, seed: String) -> Result<Option<bool>, AppError> {
    let state = crate::server::state::app_state()?;
    let published = crate::server::rounds::published_draw(&state, id).await?;
    Ok(published.rerun(&seed).map(|rerun| rerun.as_ref() == Ok(&published.result)))
}

#[server(prefix = "/api", endpoint = "applications/get")]
pub async fn get_application(token: String) -> Result<ApplicationView, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::rounds::view(&state, &token, chrono::Utc::now()).await
}
