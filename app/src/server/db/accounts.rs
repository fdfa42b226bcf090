//! Accounts, their single-use links, and failed sign-ins.

use super::entity::{account, account_token, facilitator, sign_in_failure};
use super::{Db, DbError, WriteTxn};
use crate::domain::access::{Caller, Role};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

record! {
    /// A workspace account (a facilitator's or a coordinator's).
    pub struct Account from account::Model {
        pub id: i32,
        pub email: String,
        pub role: Role,
        pub facilitator_id: Option<i32>,
        /// An Argon2id PHC string; `None` until an invitation is accepted.
        pub password_hash: Option<String>,
        pub active: bool,
        pub language: Locale,
        pub session_epoch: i32,
    }
}

record! {
    /// A facilitator's public profile.
    pub struct Facilitator from facilitator::Model {
        pub id: i32,
        pub display_name: String,
        pub credentials_en: String,
        pub credentials_fr: String,
    }
}

impl Account {
    /// The account as the access rules see it; `None` for a row the code cannot read.
    pub fn caller(&self) -> Option<Caller> {
        Some(Caller { account_id: self.id, role: self.role, facilitator_id: self.facilitator_id })
    }
}

/// What a single-use link does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    Invitation,
    PasswordReset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "reset",
        }
    }
}

pub async fn by_email(db: &Db, email_key: &str) -> Result<Option<Account>, DbError> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email_key))
        .one(db.conn())
        .await?
        .map(Into::into))
}

pub async fn by_id(db: &Db, id: i32) -> Result<Option<Account>, DbError> {
    Ok(account::Entity::find_by_id(id).one(db.conn()).await?.map(Into::into))
}

pub struct NewAccount {
    pub email_key: String,
    pub role: Role,
    pub facilitator_id: Option<i32>,
    pub password_hash: Option<String>,
    pub language: Locale,
}

pub async fn create(txn: &WriteTxn<'_>, new: NewAccount, now: DateTime<Utc>) -> Result<Account, DbError> {
    Ok(account::ActiveModel {
        email: Set(new.email_key),
        role: Set(new.role),
        facilitator_id: Set(new.facilitator_id),
        password_hash: Set(new.password_hash),
        active: Set(true),
        language: Set(new.language),
        session_epoch: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?
    .into())
}

/// Sets a new password and signs the account out everywhere.
pub async fn set_password(
    txn: &WriteTxn<'_>,
    id: i32,
    hash: String,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hash))
        .col_expr(account::Column::SessionEpoch, Expr::col(account::Column::SessionEpoch).add(1))
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Ends every browser session of the account.
pub async fn sign_out_everywhere(txn: &WriteTxn<'_>, id: i32, now: DateTime<Utc>) -> Result<(), DbError> {
    account::Entity::update_many()
        .col_expr(account::Column::SessionEpoch, Expr::col(account::Column::SessionEpoch).add(1))
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Activates or deactivates an account; deactivating also signs it out everywhere.
pub async fn set_active(
    txn: &WriteTxn<'_>,
    id: i32,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let row = account::Entity::find_by_id(id).one(txn.conn()).await?.ok_or(DbError::NotFound)?;
    let epoch = row.session_epoch + i32::from(!active);
    let mut row = row.into_active_model();
    row.active = Set(active);
    row.session_epoch = Set(epoch);
    row.updated_at = Set(now);
    row.update(txn.conn()).await?;
    Ok(())
}

/// The account that leads sessions as `facilitator_id`.
pub async fn of_facilitator(db: &Db, facilitator_id: i32) -> Result<Option<Account>, DbError> {
    Ok(account::Entity::find()
        .filter(account::Column::FacilitatorId.eq(facilitator_id))
        .one(db.conn())
        .await?
        .map(Into::into))
}

/// Every facilitator profile, with the account that uses it (if any).
pub async fn facilitators(db: &Db) -> Result<Vec<(Facilitator, Option<Account>)>, DbError> {
    let profiles =
        facilitator::Entity::find().order_by_asc(facilitator::Column::DisplayName).all(db.conn()).await?;
    let accounts =
        account::Entity::find().filter(account::Column::FacilitatorId.is_not_null()).all(db.conn()).await?;
    Ok(profiles
        .into_iter()
        .map(|profile| {
            let account = accounts.iter().find(|a| a.facilitator_id == Some(profile.id)).cloned();
            (profile.into(), account.map(Into::into))
        })
        .collect())
}

pub async fn facilitator(db: &Db, id: i32) -> Result<Option<Facilitator>, DbError> {
    Ok(facilitator::Entity::find_by_id(id).one(db.conn()).await?.map(Into::into))
}

/// Stores a single-use link (by its digest) valid until `expires_at`.
pub async fn create_token(
    txn: &WriteTxn<'_>,
    account_id: i32,
    purpose: TokenPurpose,
    token_digest: String,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    account_token::ActiveModel {
        account_id: Set(account_id),
        purpose: Set(purpose.as_str().to_string()),
        token_hash: Set(token_digest),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    Ok(())
}

/// Revokes every link issued to the account so far, used or not: the next one is the only one
/// that works.
pub async fn revoke_tokens(txn: &WriteTxn<'_>, account_id: i32) -> Result<(), DbError> {
    account_token::Entity::delete_many()
        .filter(account_token::Column::AccountId.eq(account_id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Forgets links that can no longer be used (expired or used up).
pub async fn purge_spent_tokens(txn: &WriteTxn<'_>, now: DateTime<Utc>) -> Result<u64, DbError> {
    use sea_orm::Condition;
    Ok(account_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(account_token::Column::ExpiresAt.lte(now))
                .add(account_token::Column::UsedAt.is_not_null()),
        )
        .exec(txn.conn())
        .await?
        .rows_affected)
}

fn usable(
    purpose: TokenPurpose,
    token_digest: &str,
    now: DateTime<Utc>,
) -> sea_orm::Select<account_token::Entity> {
    account_token::Entity::find()
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::TokenHash.eq(token_digest))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
}

/// The account a still-usable link belongs to, without using it up (to show its page).
pub async fn peek_token(
    db: &Db,
    purpose: TokenPurpose,
    token_digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<Account>, DbError> {
    let Some(token) = usable(purpose, token_digest, now).one(db.conn()).await? else { return Ok(None) };
    Ok(account::Entity::find_by_id(token.account_id).one(db.conn()).await?.map(Into::into))
}

/// Uses up a link: the account it belongs to if it was still usable, `None` otherwise.
pub async fn take_token(
    txn: &WriteTxn<'_>,
    purpose: TokenPurpose,
    token_digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<Account>, DbError> {
    let Some(token) = usable(purpose, token_digest, now).one(txn.conn()).await? else { return Ok(None) };
    let mut used = token.clone().into_active_model();
    used.used_at = Set(Some(now));
    used.update(txn.conn()).await?;
    Ok(account::Entity::find_by_id(token.account_id).one(txn.conn()).await?.map(Into::into))
}

/// Holds the sign-in counters of `keys` until the transaction ends: a PostgreSQL advisory
/// lock per key, taken in order so two units never wait on each other; on SQLite the
/// transaction already holds the only writer's turn.
pub async fn lock_attempt_keys(txn: &WriteTxn<'_>, keys: &[String]) -> Result<(), DbError> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    if txn.conn().get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let mut sorted: Vec<&String> = keys.iter().collect();
    sorted.sort();
    sorted.dedup();
    for key in sorted {
        let lock = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            [key.as_str().into()],
        );
        txn.conn().execute_raw(lock).await?;
    }
    Ok(())
}

/// Attempts counted against `key` since `since` (failed ones, and those being checked).
pub async fn count_failures(txn: &WriteTxn<'_>, key: &str, since: DateTime<Utc>) -> Result<u64, DbError> {
    Ok(sign_in_failure::Entity::find()
        .filter(sign_in_failure::Column::Key.eq(key))
        .filter(sign_in_failure::Column::At.gt(since))
        .count(txn.conn())
        .await?)
}

/// Counts an attempt against `key`; returns the row's id.
pub async fn record_failure(txn: &WriteTxn<'_>, key: String, now: DateTime<Utc>) -> Result<i32, DbError> {
    let row = sign_in_failure::ActiveModel { key: Set(key), at: Set(now), ..Default::default() }
        .insert(txn.conn())
        .await?;
    Ok(row.id)
}

/// Takes back attempts counted before a password turned out right.
pub async fn forget_attempts(txn: &WriteTxn<'_>, ids: &[i32]) -> Result<(), DbError> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Id.is_in(ids.iter().copied()))
        .exec(txn.conn())
        .await?;
    Ok(())
}

pub async fn clear_failures(txn: &WriteTxn<'_>, key: &str) -> Result<(), DbError> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Key.eq(key))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Forgets failures older than `cutoff` (they no longer count).
pub async fn purge_failures_before(txn: &WriteTxn<'_>, cutoff: DateTime<Utc>) -> Result<u64, DbError> {
    Ok(sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::At.lt(cutoff))
        .exec(txn.conn())
        .await?
        .rows_affected)
}
