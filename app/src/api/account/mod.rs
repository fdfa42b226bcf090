//! Signing in and out, and the account links sent by email.

mod links;
mod sign_in;

pub use links::{
    accept_invitation, invitation_address, request_password_reset, reset_address, reset_password,
};
pub use sign_in::{sign_in, sign_out, sign_out_everywhere, who_am_i};
