//! The Rounds server as a library: start-up (database, migrations, demo data, secrets), the
//! HTTP router and the background jobs. `main.rs` only parses the command line; integration
//! tests build the same pieces and call them without a socket.

// Leptos views are deeply nested types; rendering them here (release builds erase nothing).
#![recursion_limit = "512"]

mod calendar_routes;
pub mod config;
pub mod connections;
pub mod demo;
mod failures;
mod forms;
pub mod jobs;
mod live_direct;
mod live_route;
pub mod mailer;
mod page_cache;
mod resource_files;
mod routes;
mod security;
mod site;
pub mod zone_rules;

pub use routes::router;

use app::server::db::{Db, DbError, secrets};
use app::server::links::{LinkSigner, random_token};
use app::server::rate_limit::{StreamSlots, WriteLimiter};
use app::server::state::{AppState, Settings};
use config::Config;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create a data folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] DbError),
    #[error("mail: {0}")]
    Mail(String),
}

/// Connects to the database, brings its schema up to date, loads the demo data set when asked
/// and the database is empty, and returns the state every request shares.
pub async fn start(config: &Config) -> Result<AppState, StartError> {
    let (zone_version, zone_source) = zone_rules::install();
    tracing::info!(version = %zone_version, source = %zone_source, "time-zone database");
    config.prepare_database_folder()?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    if config.demo {
        demo::load_if_empty(&db, chrono::Utc::now()).await?;
    }
    let signing_key = secrets::get_or_create(&db, "link_signing_key", random_token).await?;
    Ok(AppState {
        db,
        leptos_options: config.leptos.clone(),
        settings: Arc::new(Settings {
            public_url: config.public_url.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            waitlist_factor: config.waitlist_factor,
            evaluation_days: config.evaluation_days,
            story_report_threshold: config.story_report_threshold,
            contacts: config.contacts.clone(),
        }),
        links: LinkSigner::new(&signing_key),
        writes: Arc::new(WriteLimiter::new(config.write_limits)),
        streams: Arc::new(StreamSlots::new(config.stream_limits)),
    })
}
