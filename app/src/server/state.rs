//! The state every request and background job shares, passed to server functions as context.

use super::db::Db;
use super::links::LinkSigner;
use super::rate_limit::{StreamSlots, WriteLimiter};
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
    pub links: LinkSigner,
    /// Public writes counted per network address and per email address.
    pub writes: Arc<WriteLimiter>,
    /// The `/live/seats` streams open now.
    pub streams: Arc<StreamSlots>,
}

/// What the server was configured with that pages and server functions need to know.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The absolute address people reach the site at, for links in emails and calendar files.
    pub public_url: String,
    /// Proxies whose `X-Forwarded-For` says who the client is (`rate_limit::client_address`).
    pub trusted_proxies: Vec<IpAddr>,
    /// A waitlist holds this many times a session's or intake's seats
    /// (`domain::registration::waitlist_limit`).
    pub waitlist_factor: u32,
    /// How many days an evaluation link works.
    pub evaluation_days: u32,
    /// Distinct reports that send a story on the gratitude wall back to moderation.
    pub story_report_threshold: u32,
    pub contacts: crate::model::Contacts,
}

impl AppState {
    /// Ends every open `/live/seats` stream and refuses new ones: the server is stopping.
    pub fn stop_streams(&self) {
        // Refused first, then ended: a stream admitted before the refusal either hears the
        // end or, subscribing after it, sees the refusal (`StreamSlots::closing`).
        self.streams.close_all();
        self.db.signals().live.end_all();
    }
}

impl Settings {
    /// The host part of the public address, for calendar UIDs and message ids.
    pub fn host(&self) -> String {
        let without_scheme =
            self.public_url.split_once("://").map_or(self.public_url.as_str(), |(_, rest)| rest);
        let authority = without_scheme.split('/').next().unwrap_or(without_scheme);
        authority.rsplit_once(':').map_or(authority, |(host, _)| host).to_string()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state of the running server, from inside a server function.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("server function called without AppState in context");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_comes_from_the_public_url() {
        let host = |url: &str| {
            Settings {
                public_url: url.into(),
                trusted_proxies: Vec::new(),
                waitlist_factor: 3,
                evaluation_days: 14,
                story_report_threshold: 3,
                contacts: Default::default(),
            }
            .host()
        };
        assert_eq!(host("https://rounds.example.ca"), "rounds.example.ca");
        assert_eq!(host("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(host("https://rounds.example.ca/base"), "rounds.example.ca");
    }
}
