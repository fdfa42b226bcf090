//! The Rounds server as a library: start-up (database, migrations, demo data) and the HTTP
//! router. `main.rs` only parses the command line; integration tests build the same router
//! and call it without a socket.

pub mod config;
pub mod demo;
mod routes;

pub use routes::router;

use app::server::db::{Db, DbError};
use app::server::state::{AppState, Settings};
use config::Config;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the database folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] DbError),
}

/// Connects to the database, brings its schema up to date, loads the demo data set when asked
/// and the database is empty, and returns the state every request shares.
pub async fn start(config: &Config) -> Result<AppState, StartError> {
    config.prepare_database_folder()?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    if config.demo {
        demo::load_if_empty(&db, chrono::Utc::now()).await?;
    }
    Ok(AppState {
        db,
        leptos_options: config.leptos.clone(),
        settings: Arc::new(Settings { public_url: config.public_url.clone() }),
    })
}
