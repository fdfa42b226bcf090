//! Server functions, one per file, by area. Each one reads the shared state, checks who is
//! calling where that matters, calls the domain and persistence, and maps errors to
//! [`AppError`](crate::error::AppError).

pub mod formats;
pub mod registrations;
pub mod sessions;

/// The upcoming list shows this many sessions a page.
pub const UPCOMING_PAGE_SIZE: u64 = 20;
/// The widest window one calendar request may ask for: six weeks, a month grid.
pub const MAX_RANGE_DAYS: i64 = 42;
