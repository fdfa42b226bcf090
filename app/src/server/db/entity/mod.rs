//! sea-orm entities: one per table, mirroring the migrations column for column. They stay
//! inside the persistence module; the rest of the app sees `model` wire types instead.

pub mod facilitator;
pub mod format;
pub mod outbox;
pub mod registration;
pub mod server_secret;
pub mod session;
