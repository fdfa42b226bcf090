//! Live seat counts: every committed change to a session's seats reaches this instance's hub
//! (see `db::Signals`) and is pushed to every open page (the server-sent-events route
//! subscribes). On PostgreSQL the change goes through `NOTIFY` first, so every instance of the
//! server hears it, not only the one that made it.

use crate::model::SeatUpdate;
use tokio::sync::{broadcast, watch};

/// The PostgreSQL channel instances use to share seat changes.
pub const CHANNEL: &str = "rounds_seats";
/// The PostgreSQL channel an instance tells the others on that it wrote: their kept pages
/// are stale (`db::Signals::pages`).
pub const PAGES_CHANNEL: &str = "rounds_pages";

#[derive(Clone, Debug)]
pub struct LiveHub {
    sender: broadcast::Sender<SeatUpdate>,
    /// Moves on when changes may have been missed (the PostgreSQL listener was lost): every
    /// stream open then ends, and its page reconnects to a fresh snapshot.
    resyncs: watch::Sender<u64>,
}

impl Default for LiveHub {
    fn default() -> Self {
        // Slow subscribers that fall this far behind resynchronise from the database.
        LiveHub { sender: broadcast::channel(1024).0, resyncs: watch::channel(0).0 }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<SeatUpdate> {
        self.sender.subscribe()
    }

    /// Resolves at the next [`LiveHub::resync_all`] after this call: a stream subscribes to
    /// this before reading its snapshot, so no missed change falls between the two.
    pub fn resynced(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut resyncs = self.resyncs.subscribe();
        async move {
            // A hub dropped with the server ends its streams as well.
            let _ = resyncs.changed().await;
        }
    }

    /// Ends every open stream, so each page reads its counts again.
    pub fn resync_all(&self) {
        self.resyncs.send_modify(|generation| *generation = generation.wrapping_add(1));
    }

    /// Hands an update to this instance's subscribers.
    pub fn publish(&self, update: SeatUpdate) {
        // No subscriber is not an error: nobody has a page open.
        let _ = self.sender.send(update);
    }
}
