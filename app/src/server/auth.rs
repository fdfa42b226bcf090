//! Signing in and out, and the account links sent by email (invitations, password resets).
//!
//! A browser session (tower-sessions, stored in the database) holds the account id and the
//! account's session epoch at sign-in; raising the epoch (sign out everywhere, a new password,
//! deactivation) ends every session at once. Passwords are Argon2id hashes, computed off the
//! async threads. Failed sign-ins are counted per account and per network address.

use super::db::accounts::{self, Account, NewAccount, TokenPurpose};
use super::db::{DbError, outbox};
use super::links::{digest, random_token};
use super::notices;
use super::state::AppState;
use crate::domain::access::{Caller, Role};
use crate::domain::accounts::{check_password, email_key, failure_window, sign_in_allowed};
use crate::domain::forms::{Field, FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::sync::OnceLock;
use tokio::sync::Semaphore;
use tower_sessions::Session;

const SESSION_KEY: &str = "account";

pub fn invitation_lifetime() -> Duration {
    Duration::days(7)
}

pub fn reset_lifetime() -> Duration {
    Duration::hours(1)
}

/// What a browser session remembers about who signed in.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct SignedIn {
    account_id: i32,
    epoch: i32,
}

/// Runs an Argon2 computation off the async threads. Each takes about 19 MiB and a core for
/// its duration, so at most one per core runs at a time: a burst of sign-ins waits its turn
/// instead of exhausting memory.
async fn argon2<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    let permits =
        PERMITS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(1, usize::from)));
    let _permit = permits.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(work).await.map_err(|_| AppError::Internal)
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    argon2(move || Argon2::default().hash_password(password.as_bytes()).map(|hash| hash.to_string()))
        .await?
        .map_err(|err| {
            tracing::error!(%err, "password hashing failed");
            AppError::Internal
        })
}

async fn password_matches(password: String, hash: String) -> bool {
    argon2(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A hash to check against when the address has no account, so a wrong address takes as
/// long to refuse as a wrong password.
async fn stand_in_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return hash.clone();
    }
    let hash = hash_password(random_token()).await.unwrap_or_default();
    HASH.get_or_init(|| hash).clone()
}

fn account_key(email: &str) -> String {
    format!("account:{}", email_key(email))
}

fn address_key(address: Option<IpAddr>) -> Option<String> {
    address.map(|ip| format!("address:{ip}"))
}

/// Counts a sign-in attempt against the account and the network address before its password
/// is checked, if the attempts already counted in the window allow one more: the ids of the
/// rows written, or `None` when the limit is reached. The keys are locked before they are
/// counted, so parallel attempts cannot all read the same count; an attempt that succeeds is
/// taken back.
async fn count_attempt(
    state: &AppState,
    account_key: String,
    address_key: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<Vec<i32>>, AppError> {
    let since = now - failure_window();
    let claimed = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let keys: Vec<String> =
                    [Some(account_key.clone()), address_key.clone()].into_iter().flatten().collect();
                accounts::lock_attempt_keys(txn, &keys).await?;
                let account_failures = accounts::count_failures(txn, &account_key, since).await?;
                let address_failures = match &address_key {
                    Some(key) => accounts::count_failures(txn, key, since).await?,
                    None => 0,
                };
                if !sign_in_allowed(account_failures, address_failures) {
                    return Ok::<_, DbError>(None);
                }
                let mut ids = Vec::with_capacity(keys.len());
                for key in keys {
                    ids.push(accounts::record_failure(txn, key, now).await?);
                }
                Ok(Some(ids))
            })
        })
        .await?;
    Ok(claimed)
}

/// Checks the address and password, and signs the browser session in. The session gets a new
/// id (no fixation) and remembers the account's epoch. The attempt counts towards the limits
/// before the password is hashed, so a burst of guesses gets no more hashes than the limit.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    email: &str,
    password: &str,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<Caller, AppError> {
    let Some(attempts) = count_attempt(state, account_key(email), address_key(address), now).await? else {
        return Err(AppError::TooManyAttempts);
    };

    let account = accounts::by_email(&state.db, &email_key(email)).await?;
    let hash = match account.as_ref().and_then(|a| a.password_hash.clone()) {
        Some(hash) => hash,
        None => stand_in_hash().await,
    };
    let matches = password_matches(password.to_string(), hash).await;
    let signed_in = account
        .as_ref()
        .filter(|a| matches && a.active)
        .and_then(|a| Some((a.caller()?, SignedIn { account_id: a.id, epoch: a.session_epoch })));
    let Some((caller, signed_in)) = signed_in else {
        return Err(AppError::SignInFailed);
    };
    let key = account_key(email);
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                accounts::clear_failures(txn, &key).await?;
                accounts::forget_attempts(txn, &attempts).await
            })
        })
        .await?;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(SESSION_KEY, signed_in).await.map_err(session_error)?;
    Ok(caller)
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::warn!(%err, "session store");
    AppError::Unavailable
}

/// The signed-in account behind a browser session, if it is still active and not signed out
/// everywhere since.
pub async fn current_account(state: &AppState, session: &Session) -> Result<Option<Account>, AppError> {
    let Some(signed_in) = session.get::<SignedIn>(SESSION_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let account = accounts::by_id(&state.db, signed_in.account_id).await?;
    Ok(account.filter(|a| a.active && a.session_epoch == signed_in.epoch))
}

/// The browser session of the current request (server functions and pages).
pub async fn browser_session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(%err, "no browser session layer");
        AppError::Internal
    })
}

/// The network address of the current request, for rate limiting (behind a trusted proxy,
/// the one it names: `rate_limit::client_address`); `None` when unknown.
pub fn client_address(state: &AppState) -> Option<IpAddr> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    super::rate_limit::client_address(&parts, &state.settings.trusted_proxies)
}

/// The shared state and the signed-in caller of the current server function or page.
pub async fn signed_in() -> Result<(AppState, Caller), AppError> {
    let state = super::state::app_state()?;
    let session = browser_session().await?;
    let caller = caller(&state, &session).await?;
    Ok((state, caller))
}

/// Who is calling, or `SignInRequired`.
pub async fn caller(state: &AppState, session: &Session) -> Result<Caller, AppError> {
    current_account(state, session).await?.and_then(|a| a.caller()).ok_or(AppError::SignInRequired)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// Ends every session of the caller's account, this one included.
pub async fn sign_out_everywhere(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let caller = caller(state, session).await?;
    let id = caller.account_id;
    state
        .db
        .write(move |txn| Box::pin(async move { accounts::sign_out_everywhere(txn, id, now).await }))
        .await?;
    sign_out(session).await
}

/// Emails a new single-use link; the account's earlier links stop working.
async fn send_account_link(
    state: &AppState,
    account: &Account,
    purpose: TokenPurpose,
    lifetime: Duration,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let token = random_token();
    let locale: Locale = account.language;
    let path = match purpose {
        TokenPurpose::Invitation => "invitation",
        TokenPurpose::PasswordReset => "reset-password",
    };
    let link = format!("{}/{locale}/{path}/{token}", state.settings.public_url);
    let email = notices::account_email(purpose, &account.email, locale, &link, &state.settings);
    let (account_id, token_digest) = (account.id, digest(&token));
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                accounts::revoke_tokens(txn, account_id).await?;
                accounts::create_token(txn, account_id, purpose, token_digest, now + lifetime, now).await?;
                outbox::enqueue(txn, email, now).await
            })
        })
        .await?;
    Ok(())
}

/// Emails a reset link when the address belongs to an active account with a password. The
/// answer is the same either way, so the form reveals nothing about who has an account.
pub async fn request_password_reset(
    state: &AppState,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let account = accounts::by_email(&state.db, &email_key(email)).await?;
    if let Some(account) = account.filter(|a| a.active && a.password_hash.is_some()) {
        send_account_link(state, &account, TokenPurpose::PasswordReset, reset_lifetime(), now).await?;
    }
    Ok(())
}

/// The address a still-usable link was sent to, for its page.
pub async fn link_address(
    state: &AppState,
    purpose: TokenPurpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let account = accounts::peek_token(&state.db, purpose, &digest(token), now).await?;
    account.filter(|a| a.active).map(|a| a.email).ok_or(AppError::InvalidLink)
}

/// Sets the password of the account a link belongs to (accepting an invitation, or a reset),
/// using the link up and signing the account out everywhere.
pub async fn set_password_with_link(
    state: &AppState,
    purpose: TokenPurpose,
    token: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let account =
        accounts::peek_token(&state.db, purpose, &digest(token), now).await?.ok_or(AppError::InvalidLink)?;
    check_password(password, &account.email).map_err(|e| AppError::Form(vec![e]))?;
    let hash = hash_password(password.to_string()).await?;
    let token_digest = digest(token);
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let account = accounts::take_token(txn, purpose, &token_digest, now)
                    .await?
                    .filter(|a| a.active)
                    .ok_or(AppError::InvalidLink)?;
                accounts::set_password(txn, account.id, hash, now).await?;
                Ok::<_, AppError>(())
            })
        })
        .await
}

/// Invites a new facilitator: a profile, an account without a password, and an emailed link
/// to choose one.
pub async fn invite_facilitator(
    state: &AppState,
    caller: &Caller,
    invitation: &crate::domain::accounts::InvitationForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    let checked = invitation.check().map_err(AppError::Form)?;
    if accounts::by_email(&state.db, &checked.email_key).await?.is_some() {
        return Err(AppError::Form(vec![FieldError { field: Field::Email, problem: Problem::Invalid }]));
    }
    let account = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let facilitator_id = super::db::sessions::insert_facilitator(
                    txn,
                    super::db::sessions::NewFacilitator {
                        display_name: checked.display_name,
                        credentials: (checked.credentials.0, checked.credentials.1),
                    },
                )
                .await?;
                let new = NewAccount {
                    email_key: checked.email_key,
                    role: Role::Facilitator,
                    facilitator_id: Some(facilitator_id),
                    password_hash: None,
                    language: checked.language,
                };
                accounts::create(txn, new, now).await
            })
        })
        .await?;
    send_account_link(state, &account, TokenPurpose::Invitation, invitation_lifetime(), now).await
}

/// Sends a new invitation link to a facilitator who has not chosen a password yet.
pub async fn reinvite(
    state: &AppState,
    caller: &Caller,
    account_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    let account = accounts::by_id(&state.db, account_id).await?.ok_or(AppError::NotFound)?;
    if account.password_hash.is_some() {
        return Err(AppError::Invalid);
    }
    send_account_link(state, &account, TokenPurpose::Invitation, invitation_lifetime(), now).await
}

/// Activates or deactivates a facilitator's account (deactivating signs it out everywhere).
pub async fn set_account_active(
    state: &AppState,
    caller: &Caller,
    account_id: i32,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    if account_id == caller.account_id {
        return Err(AppError::Invalid);
    }
    state
        .db
        .write(move |txn| Box::pin(async move { accounts::set_active(txn, account_id, active, now).await }))
        .await?;
    Ok(())
}

/// Creates a coordinator account (the first one comes from the command line).
pub async fn create_coordinator(
    state: &AppState,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = email_key(email);
    if !key.contains('@') {
        return Err(AppError::Form(vec![FieldError { field: Field::Email, problem: Problem::InvalidEmail }]));
    }
    check_password(password, &key).map_err(|e| AppError::Form(vec![e]))?;
    if accounts::by_email(&state.db, &key).await?.is_some() {
        return Err(AppError::Form(vec![FieldError { field: Field::Email, problem: Problem::Invalid }]));
    }
    let hash = hash_password(password.to_string()).await?;
    let new = NewAccount {
        email_key: key,
        role: Role::Coordinator,
        facilitator_id: None,
        password_hash: Some(hash),
        language: Locale::En,
    };
    state.db.write(move |txn| Box::pin(async move { accounts::create(txn, new, now).await })).await?;
    Ok(())
}
