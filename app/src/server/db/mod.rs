//! Persistence: the only module that talks to the database. It works the same on an SQLite
//! file and on PostgreSQL, and turns driver errors into the few cases callers act on.

pub mod entity;
pub mod outbox;
pub mod registrations;
pub mod secrets;
pub mod sessions;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqlErr, TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite allows one writer at a time, and a transaction that reads before it writes can
    /// fail outright when another writer got there first. Write transactions therefore queue
    /// here, in this process (the only one using the file). PostgreSQL locks rows instead.
    sqlite_writer: Option<Arc<Mutex<()>>>,
}

/// A transaction that may write. On SQLite it holds the writer's turn until it ends.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbError> {
        self.txn.commit().await?;
        Ok(())
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
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
    /// Opens `url` (`sqlite://…` or `postgres://…`). An SQLite file is created if missing and
    /// used in WAL mode, so readers never wait for the writer.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let mut options = ConnectOptions::new(url.to_string());
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(16)
            .map_sqlx_sqlite_opts(|opts| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
        let conn = Database::connect(options).await?;
        let sqlite_writer =
            (conn.get_database_backend() == DbBackend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Ok(Db { conn, sqlite_writer })
    }

    /// Starts a transaction that may write; see [`Db::sqlite_writer`](Db) for SQLite.
    pub async fn begin_write(&self) -> Result<WriteTxn, DbError> {
        let turn = match &self.sqlite_writer {
            Some(writer) => Some(writer.clone().lock_owned().await),
            None => None,
        };
        let txn = self.conn.begin().await?;
        Ok(WriteTxn { txn, _turn: turn })
    }

    /// Brings the schema up to date; run at every start.
    pub async fn migrate(&self) -> Result<(), DbError> {
        use migration::MigratorTrait;
        migration::Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    /// Answers when the database is reachable (the health check).
    pub async fn ping(&self) -> Result<(), DbError> {
        self.conn.execute_unprepared("SELECT 1").await?;
        Ok(())
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
