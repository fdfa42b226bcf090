//! Public writes counted per key and window in PostgreSQL, shared by every instance (see
//! `rate_limit::admit_write`). A key is a keyed pseudonym of an address or an email address;
//! a row is one key's count in one window, which starts at a multiple of its length.

use super::{DbError, WriteTxn};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// A key to count a write under, and its limit.
#[derive(Clone, Debug)]
pub struct CountedKey {
    pub key: String,
    pub window_seconds: i64,
    pub limit: u32,
}

fn window_start(key: &CountedKey, now: DateTime<Utc>) -> i64 {
    let seconds = now.timestamp();
    seconds - seconds.rem_euclid(key.window_seconds.max(1))
}

/// Takes `key`'s lock until the unit ends (two instances counting one key wait for each other)
/// and reads its counts in the previous and the current window.
pub async fn lock_and_read(
    txn: &WriteTxn<'_>,
    key: &CountedKey,
    now: DateTime<Utc>,
) -> Result<(u32, u32), DbError> {
    let conn = txn.conn();
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock(hashtext($1))",
        [key.key.clone().into()],
    ))
    .await?;
    let current = window_start(key, now);
    let previous = current.saturating_sub(key.window_seconds);
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT window_start, count FROM write_count WHERE key = $1 AND window_start >= $2",
            [key.key.clone().into(), previous.into()],
        ))
        .await?;
    let mut counts = (0, 0);
    for row in rows {
        let start: i64 = row.try_get("", "window_start")?;
        let count = u32::try_from(row.try_get::<i32>("", "count")?).unwrap_or(0);
        if start == current {
            counts.1 = count;
        } else if start == previous {
            counts.0 = count;
        }
    }
    Ok(counts)
}

/// Counts one write under `key` in its current window.
pub async fn count(txn: &WriteTxn<'_>, key: &CountedKey, now: DateTime<Utc>) -> Result<(), DbError> {
    txn.conn()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO write_count (key, window_start, count) VALUES ($1, $2, 1) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = write_count.count + 1",
            [key.key.clone().into(), window_start(key, now).into()],
        ))
        .await?;
    Ok(())
}

/// Deletes the counts of windows that started before `cutoff` (seconds since the epoch).
pub async fn purge_before(txn: &WriteTxn<'_>, cutoff: i64) -> Result<u64, DbError> {
    let backend = txn.conn().get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "DELETE FROM write_count WHERE window_start < $1",
        _ => "DELETE FROM write_count WHERE window_start < ?",
    };
    Ok(txn
        .conn()
        .execute_raw(Statement::from_sql_and_values(backend, sql, [cutoff.into()]))
        .await?
        .rows_affected())
}
