//! Server functions by area and verb. Each one reads the shared state and who is calling,
//! hands both to a service in `crate::server` (which applies the access rules of
//! `domain::access` before touching anything), and returns [`AppError`](crate::error::AppError).
//! Public ones (the calendar, registering) need no account; the others need a signed-in
//! facilitator or coordinator.

pub mod account;
pub mod admin;
pub mod cohorts;
pub mod evaluations;
pub mod formats;
pub mod gratitude;
pub mod registrations;
pub mod resources;
pub mod rounds;
pub mod sessions;
pub mod support;
pub mod workspace;

/// The upcoming list shows this many sessions a page.
pub const UPCOMING_PAGE_SIZE: u64 = 20;
/// The widest window one calendar request may ask for: six weeks, a month grid.
pub const MAX_RANGE_DAYS: i64 = 42;
