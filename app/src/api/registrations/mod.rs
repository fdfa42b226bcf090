//! Registering for a session and managing a registration through its private link. Open to
//! anyone: a registration is reached only through the signed link its owner received.

mod cancel;
mod get;
mod register;

pub use cancel::cancel_registration;
pub use get::get_registration;
pub use register::register;
