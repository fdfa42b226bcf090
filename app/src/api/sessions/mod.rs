//! Reading the public calendar.

mod get;
mod list_range;
mod list_upcoming;

pub use get::get_session;
pub use list_range::list_range;
pub use list_upcoming::list_upcoming;
