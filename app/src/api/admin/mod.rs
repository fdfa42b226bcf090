//! The coordinator's administration: facilitators and their accounts, and formats. Every
//! function here refuses anyone but a signed-in coordinator.

mod facilitators;
mod formats;

pub use facilitators::{facilitators, invite_facilitator, reinvite_facilitator, set_account_active};
pub use formats::{formats_admin, question_set, save_format};
