//! Server-only code: the state shared by every request and the persistence layer.

pub mod db;
pub mod state;

pub use state::AppState;
