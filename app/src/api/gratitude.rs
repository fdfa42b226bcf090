//! The gratitude wall: its pages are public, an author's story opens with their private link,
//! and moderation needs a moderator.

use crate::domain::gratitude::{Moderation, Story, WallPage};
use crate::error::AppError;
use leptos::prelude::*;

/// A page of the wall; `language` "en" or "fr" keeps that language's stories, anything else
/// shows both.
#[server(prefix = "/api", endpoint = "gratitude/wall")]
pub async fn get_wall(language: Option<String>, page: Option<String>) -> Result<WallPage, AppError> {
    let state = crate::server::state::app_state()?;
    let language = language.and_then(|l| l.parse().ok());
    crate::server::gratitude::wall(&state, language, page.as_deref()).await
}

/// The story behind an author's private link.
#[server(prefix = "/api", endpoint = "gratitude/own")]
pub async fn get_own_story(token: String) -> Result<Story, AppError> {
    let state = crate::server::state::app_state()?;
    crate::server::gratitude::own_story(&state, &token).await
}

#[server(prefix = "/api", endpoint = "gratitude/moderation")]
pub async fn get_moderation() -> Result<Moderation, AppError> {
    let (state, caller) = crate::server::auth::signed_in().await?;
    crate::server::gratitude::moderation(&state, &caller).await
}
