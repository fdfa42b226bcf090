//! Server-only code: shared state, persistence, and the services that combine domain rules,
//! persistence, email and live updates for the server functions.

pub mod auth;
pub mod bundle;
pub mod calendar_file;
pub mod cohorts;
pub mod db;
pub mod evaluations;
pub mod gratitude;
pub mod links;
pub mod live;
pub mod notices;
pub mod rate_limit;
pub mod registrations;
pub mod reports;
pub mod resources;
pub mod rounds;
pub mod security;
pub mod state;
pub mod support;
pub mod surveys;
pub mod workspace;

pub use state::AppState;
