//! Units of work that write, run as transactions.
//!
//! PostgreSQL runs each unit in its own transaction, concurrently; the rows a unit locks
//! (`SELECT … FOR UPDATE`) serialise the ones that touch the same session.
//!
//! SQLite has a single writer, and a transaction that reads before it writes can fail outright
//! when another writer got there first. So on SQLite every unit goes to one writer task, which
//! runs the units waiting in line together in one transaction, each in its own savepoint (a
//! unit that fails leaves no trace), and commits once for all of them. Under load this group
//! commit costs one BEGIN/COMMIT per batch instead of per unit, and the writer never waits for
//! a woken task to take its turn. A unit's result reaches its caller only after the commit.

use super::{DbError, WriteTxn};
use futures::future::BoxFuture;
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

/// Called once the batch has ended: `true` when it committed.
type Finish = Box<dyn FnOnce(bool) + Send>;
type Job = Box<dyn for<'t> FnOnce(&'t DatabaseTransaction) -> BoxFuture<'t, Finish> + Send>;

/// The most units committed together.
const MAX_BATCH: usize = 64;

#[derive(Clone, Debug)]
pub(super) struct SqliteWriter {
    jobs: mpsc::UnboundedSender<Job>,
}

impl SqliteWriter {
    /// Starts the writer task; it ends when the last handle to it is dropped.
    pub(super) fn start(conn: DatabaseConnection) -> SqliteWriter {
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(run(conn, queue));
        SqliteWriter { jobs }
    }

    pub(super) async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: for<'t> FnOnce(&'t WriteTxn<'t>) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let (reply, result) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |txn: &DatabaseTransaction| {
            Box::pin(async move {
                let outcome = in_savepoint(txn, work).await;
                Box::new(move |committed: bool| {
                    let outcome = match outcome {
                        Ok(_) if !committed => {
                            Err(E::from(DbError::Unavailable("the batch did not commit".into())))
                        }
                        other => other,
                    };
                    let _ = reply.send(outcome);
                }) as Finish
            })
        });
        let stopped = || E::from(DbError::Unavailable("the database writer stopped".into()));
        self.jobs.send(job).map_err(|_| stopped())?;
        // A batch that could not even begin drops its units, closing this channel.
        result.await.map_err(|_| stopped())?
    }
}

async fn in_savepoint<T, E, F>(txn: &DatabaseTransaction, work: F) -> Result<T, E>
where
    F: for<'t> FnOnce(&'t WriteTxn<'t>) -> BoxFuture<'t, Result<T, E>>,
    E: From<DbError>,
{
    let savepoint = txn.begin().await.map_err(|e| E::from(DbError::from(e)))?;
    let outcome = work(&WriteTxn(&savepoint)).await;
    match outcome {
        Ok(value) => {
            savepoint.commit().await.map_err(|e| E::from(DbError::from(e)))?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = savepoint.rollback().await {
                tracing::error!(%rollback, "could not roll back a failed unit of work");
            }
            Err(error)
        }
    }
}

async fn run(conn: DatabaseConnection, mut queue: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let txn = match conn.begin().await {
            Ok(txn) => txn,
            Err(err) => {
                tracing::warn!(%err, units = batch.len(), "cannot begin a write batch");
                continue;
            }
        };
        let mut finishes = Vec::with_capacity(batch.len());
        for job in batch {
            finishes.push(job(&txn).await);
        }
        let committed = match txn.commit().await {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(%err, units = finishes.len(), "a write batch did not commit");
                false
            }
        };
        for finish in finishes {
            finish(committed);
        }
    }
}
