//! Live seat counts: every committed change to a session's seats reaches this instance's hub
//! (see `db::Signals`) and is pushed to every open page (the server-sent-events route
//! subscribes). On PostgreSQL the change goes through `NOTIFY` first, so every instance of the
//! server hears it, not only the one that made it.

use crate::model::{Offering, SeatUpdate};
use axum::body::Bytes;
use tokio::sync::{broadcast, watch};

/// The PostgreSQL channel instances use to share seat changes.
pub const CHANNEL: &str = "rounds_seats";
/// The PostgreSQL channel an instance tells the others on that it wrote: their kept pages
/// are stale (`db::Signals::pages`).
pub const PAGES_CHANNEL: &str = "rounds_pages";

/// How soon a browser reconnects after its stream drops.
const RETRY_MS: u32 = 1_000;

/// What the hub hands every open stream. A change is encoded as a server-sent event once,
/// here, and every stream that follows its offering sends those same bytes.
#[derive(Clone, Debug)]
pub enum LiveEvent {
    Seats {
        offering: Offering,
        event: Bytes,
    },
    /// A comment that keeps idle connections open through proxies that close silent ones.
    KeepAlive,
}

/// A comment line: browsers ignore it, proxies see traffic.
pub const KEEP_ALIVE_EVENT: &[u8] = b":\n\n";

/// `update` as a server-sent event, with the reconnection delay.
pub fn seat_event(update: &SeatUpdate) -> Bytes {
    let data = serde_json::to_string(update).expect("seat updates serialise");
    Bytes::from(format!("retry: {RETRY_MS}\ndata: {data}\n\n"))
}

#[derive(Clone, Debug)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
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
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
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
    pub fn publish(&self, update: &SeatUpdate) {
        // Encoded only when someone listens; no subscriber is not an error (no page is open).
        if self.sender.receiver_count() > 0 {
            let _ =
                self.sender.send(LiveEvent::Seats { offering: update.offering, event: seat_event(update) });
        }
    }

    /// Sends every open stream a comment (`jobs` calls this every few seconds).
    pub fn keep_alive(&self) {
        let _ = self.sender.send(LiveEvent::KeepAlive);
    }
}
