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
//!
//! On both, a unit that fails or panics fails alone: it is rolled back and its caller gets an
//! error, while the writer goes on with the next units. A panic that escaped a unit would end
//! the SQLite writer task, and with it every write of the server.

use super::{DbError, Effects, WriteTxn};
use futures::FutureExt;
use futures::future::BoxFuture;
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use std::panic::AssertUnwindSafe;
use tokio::sync::{mpsc, oneshot};

/// Called once the batch has ended: `true` when it committed.
type Finish = Box<dyn FnOnce(bool) + Send>;
/// A unit of work queued for the writer: it runs in the batch's transaction and says how its
/// caller learns the outcome, and whether the transaction is still sound (see [`Unit`]).
type Job = Box<dyn for<'t> FnOnce(&'t DatabaseTransaction) -> BoxFuture<'t, (Finish, bool)> + Send>;

/// The most units committed together.
const MAX_BATCH: usize = 64;

/// What running one unit of work gave: its value and what it caused, or its error.
pub(super) struct Unit<T, E> {
    pub(super) outcome: Result<(T, Effects), E>,
    /// False when the unit failed and its rollback failed too, so its writes may remain in the
    /// enclosing transaction, which must then not commit.
    pub(super) undone: bool,
}

/// Runs `work` in a transaction begun on `conn` (a savepoint when `conn` is itself a
/// transaction) and commits it. An error or a panic in `work` rolls its writes back; a panic
/// reaches the caller as [`DbError::Other`].
pub(super) async fn run_unit<C, T, E, F>(conn: &C, work: F) -> Unit<T, E>
where
    C: TransactionTrait<Transaction = DatabaseTransaction>,
    F: for<'t> FnOnce(&'t WriteTxn<'t>) -> BoxFuture<'t, Result<T, E>>,
    E: From<DbError>,
{
    let txn = match conn.begin().await {
        Ok(txn) => txn,
        Err(err) => return Unit { outcome: Err(E::from(DbError::from(err))), undone: true },
    };
    // The future only borrows `txn`, which stays usable for the rollback below; nothing
    // else the unit touched outlives it.
    let unit_txn = WriteTxn::new(&txn);
    let ran = AssertUnwindSafe(async { work(&unit_txn).await }).catch_unwind().await;
    let effects = unit_txn.into_effects();
    let error = match ran {
        Ok(Ok(value)) => {
            return match txn.commit().await {
                Ok(()) => Unit { outcome: Ok((value, effects)), undone: true },
                // A savepoint that could not be released may still hold the unit's writes.
                Err(err) => Unit { outcome: Err(E::from(DbError::from(err))), undone: false },
            };
        }
        Ok(Err(error)) => error,
        Err(panic) => {
            let message = panic_message(&panic);
            tracing::error!(%message, "a unit of work panicked; it is rolled back");
            E::from(DbError::Other(format!("a unit of work panicked: {message}")))
        }
    };
    let undone = match txn.rollback().await {
        Ok(()) => true,
        Err(rollback) => {
            tracing::error!(%rollback, "could not roll back a failed unit of work");
            false
        }
    };
    Unit { outcome: Err(error), undone }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

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

    /// The unit's value and effects, once the batch it joined has committed.
    pub(super) async fn write<T, E, F>(&self, work: F) -> Result<(T, Effects), E>
    where
        F: for<'t> FnOnce(&'t WriteTxn<'t>) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let (reply, result) = oneshot::channel::<Result<(T, Effects), E>>();
        let job: Job = Box::new(move |txn: &DatabaseTransaction| {
            Box::pin(async move {
                let Unit { outcome, undone } = run_unit(txn, work).await;
                let finish = Box::new(move |committed: bool| {
                    let outcome = match outcome {
                        Ok(_) if !committed => {
                            Err(E::from(DbError::Unavailable("the batch did not commit".into())))
                        }
                        other => other,
                    };
                    let _ = reply.send(outcome);
                }) as Finish;
                (finish, undone)
            })
        });
        let stopped = || E::from(DbError::Unavailable("the database writer stopped".into()));
        self.jobs.send(job).map_err(|_| stopped())?;
        // A batch that could not even begin drops its units, closing this channel.
        result.await.map_err(|_| stopped())?
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
                // Dropping the batch closes each unit's reply channel: its caller gets
                // `Unavailable`, and the next batch tries again.
                tracing::warn!(%err, units = batch.len(), "cannot begin a write batch");
                continue;
            }
        };
        let mut finishes = Vec::with_capacity(batch.len());
        let mut sound = true;
        for job in batch {
            let (finish, undone) = job(&txn).await;
            sound &= undone;
            finishes.push(finish);
        }
        let committed = if sound {
            match txn.commit().await {
                Ok(()) => true,
                Err(err) => {
                    tracing::warn!(%err, units = finishes.len(), "a write batch did not commit");
                    false
                }
            }
        } else {
            tracing::error!(
                units = finishes.len(),
                "a failed unit left writes behind; the batch is rolled back"
            );
            if let Err(err) = txn.rollback().await {
                tracing::error!(%err, "could not roll back a write batch");
            }
            false
        };
        for finish in finishes {
            finish(committed);
        }
    }
}
