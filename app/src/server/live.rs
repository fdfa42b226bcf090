//! Live seat counts: every committed change to a session's seats reaches this instance's hub
//! (see `db::Signals`) and is pushed to every open page (the server-sent-events route
//! subscribes). On PostgreSQL the change goes through `NOTIFY` first, so every instance of the
//! server hears it, not only the one that made it.

use crate::model::{Offering, SeatUpdate};
use axum::body::Bytes;
use tokio::sync::broadcast;

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
    /// Every stream that hears this ends: changes may have been missed, or the server is
    /// stopping. Its page reconnects and reads its counts afresh.
    End,
}

/// A comment line: browsers ignore it, proxies see traffic.
pub const KEEP_ALIVE_EVENT: &[u8] = b":\n\n";

/// `update` as a server-sent event, with the reconnection delay.
pub fn seat_event(update: &SeatUpdate) -> Bytes {
    let data = serde_json::to_string(update).expect("seat updates serialise");
    Bytes::from(format!("retry: {RETRY_MS}\ndata: {data}\n\n"))
}

/// Ending streams is an event in the same channel as the changes, rather than a signal each
/// stream also waits on: a stream then has one thing to wait for, and a change costs each
/// stream one receive, not one receive plus a look at every shared signal.
#[derive(Clone, Debug)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
}

impl Default for LiveHub {
    fn default() -> Self {
        // Slow subscribers that fall this far behind resynchronise from the database.
        LiveHub { sender: broadcast::channel(1024).0 }
    }
}

impl LiveHub {
    /// The events from now on. A stream subscribes before reading its snapshot, so no change
    /// and no [`LiveHub::end_all`] falls between the two.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// Ends every open stream, so each page reads its counts again (changes may have been
    /// missed, or the server is stopping). A hub dropped with the server ends them as well.
    pub fn end_all(&self) {
        // No subscriber is not an error: no stream is open.
        let _ = self.sender.send(LiveEvent::End);
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
