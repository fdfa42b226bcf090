//! Persistence: the only module that talks to the database. It works the same on an SQLite
//! file and on PostgreSQL, and turns driver errors into the few cases callers act on.

/// Declares a record: a plain struct of the columns code outside `db` reads, and the `From`
/// that builds it from its entity's model at the repository's edge. Entity models never leave
/// `db`; records do.
macro_rules! record {
    ($(#[$attr:meta])* pub struct $record:ident from $model:ty {
        $($(#[$field_attr:meta])* pub $field:ident: $type:ty,)*
    }) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $record {
            $($(#[$field_attr])* pub $field: $type,)*
        }

        impl From<$model> for $record {
            fn from(model: $model) -> Self {
                Self { $($field: model.$field,)* }
            }
        }
    };
}

pub mod accounts;
mod after_commit;
pub mod cohorts;
pub mod entity;
pub mod evaluations;
pub mod gratitude;
pub mod outbox;
pub mod registrations;
pub mod reports;
pub mod resources;
pub mod rounds;
pub mod scheduling;
pub mod secrets;
pub mod sessions;
mod stored;
pub mod support;
pub mod surveys;
pub mod web_sessions;
pub mod write_counts;
mod writer;

use crate::model::SeatUpdate;
use after_commit::Effects;
pub use after_commit::{PageGeneration, Signals};
use futures::future::BoxFuture;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqlErr,
};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use writer::SqliteWriter;

/// The records of the models a query read.
fn records<M, R: From<M>>(models: Vec<M>) -> Vec<R> {
    models.into_iter().map(R::from).collect()
}

#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite's single writer (see [`writer`]); `None` on PostgreSQL.
    sqlite_writer: Option<SqliteWriter>,
    signals: Signals,
}

/// The transaction a unit of work writes in (see [`Db::write`]), and what the unit causes.
pub struct WriteTxn<'t> {
    conn: &'t DatabaseTransaction,
    effects: Mutex<Effects>,
}

impl<'t> WriteTxn<'t> {
    fn new(conn: &'t DatabaseTransaction) -> Self {
        WriteTxn { conn, effects: Mutex::default() }
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        self.conn
    }

    /// Mail was put in the outbox: the sender is woken once this unit commits.
    pub(crate) fn mail_queued(&self) {
        self.record(|effects| effects.mail_queued = true);
    }

    /// A session's counts changed: open pages are told once this unit commits.
    pub(crate) fn seats_changed(&self, update: SeatUpdate) {
        self.record(|effects| effects.seats_changed(update));
    }

    fn record(&self, effect: impl FnOnce(&mut Effects)) {
        // Never held across an await, so poisoning can only follow a panic in `effect`, which
        // fails the unit anyway.
        effect(&mut self.effects.lock().unwrap_or_else(PoisonError::into_inner));
    }

    fn into_effects(self) -> Effects {
        self.effects.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A persistence failure, reduced to what a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// Busy, locked, or unreachable: trying again later may work.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write.
    #[error("conflicting write: {0}")]
    Conflict(String),
    /// Anything else, including rows the code cannot read; a bug or a corrupt database.
    #[error("database error: {0}")]
    Other(String),
}

impl From<DbErr> for DbError {
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            return DbError::Conflict(detail);
        }
        match &err {
            DbErr::RecordNotFound(_) => DbError::NotFound,
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => DbError::Unavailable(err.to_string()),
            _ if is_busy(&err) => DbError::Unavailable(err.to_string()),
            _ => DbError::Other(err.to_string()),
        }
    }
}

/// SQLite reports contention as SQLITE_BUSY (5) or SQLITE_LOCKED (6), with extended codes
/// whose low byte is the same.
fn is_busy(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(db_err) = e.as_ref() else {
        return false;
    };
    db_err
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .and_then(|_| db_err.code()?.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

impl From<DbError> for crate::error::AppError {
    fn from(err: DbError) -> Self {
        use crate::error::AppError;
        match err {
            DbError::NotFound => AppError::NotFound,
            DbError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                AppError::Unavailable
            }
            DbError::Conflict(detail) | DbError::Other(detail) => {
                tracing::error!(%detail, "database error");
                AppError::Internal
            }
        }
    }
}

impl Db {
    /// The advisory lock migrations run under on PostgreSQL (any number the app uses nowhere else).
    const MIGRATION_LOCK: i64 = 0x526f_756e_6473;

    /// Opens `url` (`sqlite://…` or `postgres://…`). An SQLite file is created if missing and
    /// used in WAL mode, so readers never wait for the writer. Commits are synced to disk
    /// (`synchronous=FULL`): a registration confirmed and emailed must survive a power loss,
    /// and the single writer's group commit makes that one sync per batch, not per person.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let mut options = ConnectOptions::new(url.to_string());
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(16)
            // Neither an idle timeout nor a lifetime: with either, sqlx runs a maintenance task
            // whose sweep can read a momentarily wrapped idle count and then spin one worker
            // thread at 100 % for good, which also hangs shutdown (sqlx issue 3645, seen here
            // once in the load benchmark; the fix, sqlx PR 4289, is in no release we can use).
            // Idle connections stay open, 16 at most; a dead one is caught by the check sqlx
            // makes before handing a connection out.
            .idle_timeout(None)
            .max_lifetime(None)
            .map_sqlx_sqlite_opts(|opts| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    // Deleted rows are overwritten, not left in free pages: what the privacy
                    // purge and a used evaluation link delete is gone from the file too.
                    .pragma("secure_delete", "on")
            });
        let conn = Database::connect(options).await?;
        let sqlite_writer =
            (conn.get_database_backend() == DbBackend::Sqlite).then(|| SqliteWriter::start(conn.clone()));
        Ok(Db { conn, sqlite_writer, signals: Signals::default() })
    }

    /// Runs `work` in a transaction and commits it; an error from `work` rolls its writes back.
    /// On SQLite the unit joins the single writer's next batch (see [`writer`]), so it must not
    /// wait on anything but the database. The result arrives once the changes are durable, and
    /// after the mailer and open pages have been told what the unit caused (see [`Signals`]).
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: for<'t> FnOnce(&'t WriteTxn<'t>) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let (value, effects) = match &self.sqlite_writer {
            Some(writer) => writer.write(work).await?,
            None => writer::run_unit(&self.conn, work).await.outcome?,
        };
        self.after_commit(effects).await;
        Ok(value)
    }

    async fn after_commit(&self, effects: Effects) {
        if effects.mail_queued {
            self.signals.mail_ready.notify_one();
        }
        let committed_at_us = chrono::Utc::now().timestamp_micros();
        for mut update in effects.seat_changes {
            update.committed_at_us = committed_at_us;
            self.announce(update).await;
        }
    }

    /// Tells every open page, on every instance, about committed counts: on PostgreSQL through
    /// `NOTIFY` (each instance relays what it hears to its own pages), on SQLite, where writes
    /// never leave this process, directly.
    async fn announce(&self, update: SeatUpdate) {
        if self.backend() != DbBackend::Postgres {
            self.signals.live.publish(&update);
            return;
        }
        let payload = serde_json::to_string(&update).expect("seat updates serialise");
        if let Err(err) = self.notify(crate::server::live::CHANNEL, &payload).await {
            tracing::warn!(%err, "could not announce a seat change; pages resynchronise on reconnect");
        }
    }

    /// The email sender's wake-up call and this instance's seat-change hub.
    pub fn signals(&self) -> &Signals {
        &self.signals
    }

    /// Brings the schema up to date; run at every start.
    pub async fn migrate(&self) -> Result<(), DbError> {
        use migration::MigratorTrait;
        // Instances starting together on PostgreSQL would run the same migrations at once and
        // fail on each other's tables: they take turns under an advisory lock, held by one
        // connection of the pool while the migrations run on the others. (SQLite has one
        // process.)
        let Some(pool) = self.postgres_pool() else {
            migration::Migrator::up(&self.conn, None).await?;
            return Ok(());
        };
        let unavailable = |error: sea_orm::sqlx::Error| DbError::Unavailable(error.to_string());
        let mut holder = pool.acquire().await.map_err(unavailable)?;
        sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(Self::MIGRATION_LOCK)
            .execute(&mut *holder)
            .await
            .map_err(unavailable)?;
        let migrated = migration::Migrator::up(&self.conn, None).await;
        let unlocked = sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(Self::MIGRATION_LOCK)
            .execute(&mut *holder)
            .await;
        if unlocked.is_err() {
            // Closing the connection ends its session, which releases the lock.
            drop(holder.detach());
        }
        migrated?;
        Ok(())
    }

    /// Answers when the database can be read and written (the health check): a read on the
    /// pool, then a unit of work through [`Db::write`] whose statement takes the write lock and
    /// changes nothing. Gives `Unavailable` when either takes longer than `patience`, as when
    /// another process holds the SQLite file's write lock or the writer has stopped.
    pub async fn check(&self, patience: Duration) -> Result<(), DbError> {
        let probe = async {
            self.conn.execute_unprepared("SELECT 1").await?;
            self.write(|txn| {
                Box::pin(async move {
                    txn.conn()
                        .execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 1 = 0")
                        .await?;
                    Ok::<_, DbError>(())
                })
            })
            .await
        };
        tokio::time::timeout(patience, probe)
            .await
            .unwrap_or_else(|_| Err(DbError::Unavailable("no write within the health check's time".into())))
    }

    /// Sends a PostgreSQL notification (`pg_notify`) on `channel`.
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<(), DbError> {
        use sea_orm::Statement;
        let statement = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [channel.into(), payload.into()],
        );
        self.conn.execute_raw(statement).await?;
        Ok(())
    }

    /// The PostgreSQL pool, for listening to notifications; `None` on SQLite.
    pub fn postgres_pool(&self) -> Option<&sea_orm::sqlx::PgPool> {
        (self.backend() == DbBackend::Postgres).then(|| self.conn.get_postgres_connection_pool())
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }
}

/// A SQLite database in a folder of its own, removed with it: for the unit tests of this
/// module and the ones below it.
#[cfg(test)]
pub(crate) struct ScratchDb {
    pub db: Db,
    folder: std::path::PathBuf,
}

#[cfg(test)]
impl ScratchDb {
    pub async fn new(name: &str) -> ScratchDb {
        let folder = std::env::temp_dir().join(format!("rounds-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let db = Db::connect(&format!("sqlite://{}", folder.join("rounds.db").display())).await.unwrap();
        ScratchDb { db, folder }
    }
}

#[cfg(test)]
impl Drop for ScratchDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;
    use sea_orm::Statement;

    #[tokio::test]
    async fn sqlite_syncs_every_commit_to_disk() {
        let ScratchDb { db, .. } = &ScratchDb::new("synchronous").await;
        let pragma = Statement::from_string(DbBackend::Sqlite, "PRAGMA synchronous");
        let row = db.conn.query_one_raw(pragma).await.unwrap().unwrap();
        let level: i32 = row.try_get_by_index(0).unwrap();
        assert_eq!(level, 2, "synchronous=FULL");
    }

    fn counts(session_id: i32) -> SeatUpdate {
        SeatUpdate {
            offering: crate::model::Offering::Session(session_id),
            capacity: 8,
            seats_taken: 3,
            waitlist_length: 0,
            status: Default::default(),
            committed_at_us: 0,
        }
    }

    #[tokio::test]
    async fn the_pool_runs_no_maintenance_task_that_could_spin() {
        let ScratchDb { db, .. } = &ScratchDb::new("pool").await;
        let options = db.conn.get_sqlite_connection_pool().options();
        // sqlx starts its maintenance task only when one of these is set (or a minimum size).
        assert_eq!(options.get_idle_timeout(), None);
        assert_eq!(options.get_max_lifetime(), None);
        assert_eq!(options.get_min_connections(), 0);
    }

    #[tokio::test]
    async fn the_mailer_and_open_pages_hear_of_committed_units_only() {
        let ScratchDb { db, .. } = &ScratchDb::new("after-commit").await;
        let mut pages = db.signals().live.subscribe();
        let mail_woken = || db.signals().mail_ready.notified().now_or_never().is_some();

        let failed: Result<(), DbError> = db
            .write(|txn| {
                Box::pin(async move {
                    txn.mail_queued();
                    txn.seats_changed(counts(1));
                    Err(DbError::Conflict("refused".into()))
                })
            })
            .await;
        assert!(failed.is_err());
        assert!(!mail_woken(), "a rolled-back unit must not wake the mailer");
        assert!(pages.try_recv().is_err(), "a rolled-back unit must not reach open pages");

        db.write(|txn| {
            Box::pin(async move {
                txn.mail_queued();
                txn.seats_changed(counts(2));
                Ok::<_, DbError>(())
            })
        })
        .await
        .unwrap();
        assert!(mail_woken(), "a committed unit that queued mail wakes the mailer");
        let heard = pages.try_recv().expect("a committed change reaches open pages");
        let crate::server::live::LiveEvent::Seats { offering, event } = heard else {
            panic!("a seat change, not a keep-alive");
        };
        assert_eq!(offering, crate::model::Offering::Session(2));
        let data = std::str::from_utf8(&event).unwrap().lines().find_map(|line| line.strip_prefix("data: "));
        let sent: SeatUpdate = serde_json::from_str(data.expect("the event's data")).unwrap();
        assert_eq!(sent.offering, offering);
        assert!(sent.committed_at_us > 0, "stamped when committed");
    }
}
