//! The error of the server-function boundary. It crosses the wire as a code, never as an
//! internal message, and each code has a translated sentence for the person reading it.
//!
//! Policy: server functions map domain and persistence errors into this type; persistence
//! details (SQL, driver messages) are logged on the server and reach the client only as
//! `Unavailable` or `Internal`.

use crate::domain::forms::FieldError;
use crate::i18n::Tr;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid,
    /// The call itself could not be read: a missing or garbled argument, a body that is not
    /// what the function takes. Only a hand-made request gets this; the bundle never sends one.
    #[error("malformed request")]
    Malformed,
    /// A form with these problems; nothing was saved.
    #[error("the form has errors")]
    Form(Vec<FieldError>),
    /// The session has started, was cancelled, or its facilitator closed registration.
    #[error("registration is closed")]
    RegistrationClosed,
    /// Every seat and every place on the waitlist is taken (`domain::registration::waitlist_limit`).
    #[error("the waitlist is full")]
    WaitlistFull,
    /// The round's deadline has passed (or its draw ran): no application, and no withdrawal.
    #[error("applications are closed")]
    ApplicationsClosed,
    /// Not at this stage of an application round (the draw before the deadline, or twice).
    #[error("not at this stage of the round")]
    WrongStage,
    /// A private link that is malformed, forged, or replaced by a newer one.
    #[error("invalid or expired link")]
    InvalidLink,
    /// Only for signed-in facilitators and coordinators; the caller is not signed in (or the
    /// session ended).
    #[error("sign-in required")]
    SignInRequired,
    /// Signed in, but this is not theirs to see or change.
    #[error("forbidden")]
    Forbidden,
    /// The address and password do not match an active account (which one is not said).
    #[error("sign-in failed")]
    SignInFailed,
    /// Too many failed sign-ins for this account or from this address; wait and retry.
    #[error("too many attempts")]
    TooManyAttempts,
    /// Too many public forms (registrations, applications, …) from this network address or
    /// for this email address lately; nothing was saved.
    #[error("too many requests")]
    TooManyRequests,
    /// The database is busy or unreachable; the request may be retried.
    #[error("temporarily unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
    /// The request never reached the function (network, encoding).
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The sentence shown to the person, in their language.
    pub fn message(&self, t: Tr) -> &'static str {
        match self {
            AppError::NotFound => t.error_not_found(),
            AppError::Invalid | AppError::Malformed => t.error_invalid(),
            AppError::Form(_) => t.error_form(),
            AppError::RegistrationClosed => t.error_registration_closed(),
            AppError::WaitlistFull => t.error_waitlist_full(),
            AppError::ApplicationsClosed => t.error_applications_closed(),
            AppError::WrongStage => t.error_wrong_stage(),
            AppError::InvalidLink => t.error_invalid_link(),
            AppError::SignInRequired => t.error_sign_in_required(),
            AppError::Forbidden => t.error_forbidden(),
            AppError::SignInFailed => t.error_sign_in_failed(),
            AppError::TooManyAttempts => t.error_too_many_attempts(),
            AppError::TooManyRequests => t.error_too_many_requests(),
            AppError::Unavailable => t.error_unavailable(),
            AppError::Internal => t.error_internal(),
            AppError::Transport(_) => t.error_network(),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status a page or form answer carries for this error.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid | AppError::Form(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RegistrationClosed
            | AppError::WaitlistFull
            | AppError::ApplicationsClosed
            | AppError::WrongStage => StatusCode::CONFLICT,
            AppError::Malformed | AppError::InvalidLink => StatusCode::BAD_REQUEST,
            AppError::SignInRequired | AppError::SignInFailed => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooManyAttempts | AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::Malformed,
            // On the server this only comes from reading the request's body (too large, not
            // UTF-8); in the browser it means the answer was unreadable, a transport failure.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::Malformed,
            other => AppError::Transport(other.to_string()),
        }
    }
}
