//! Live seat counts: every committed change to a session's seats reaches this instance's hub
//! (see `db::Signals`) and is pushed to every open page (the server-sent-events route
//! subscribes). On PostgreSQL the change goes through `NOTIFY` first, so every instance of the
//! server hears it, not only the one that made it.

use crate::model::SeatUpdate;
use tokio::sync::broadcast;

/// The PostgreSQL channel instances use to share seat changes.
pub const CHANNEL: &str = "rounds_seats";

#[derive(Clone, Debug)]
pub struct LiveHub {
    sender: broadcast::Sender<SeatUpdate>,
}

impl Default for LiveHub {
    fn default() -> Self {
        // Slow subscribers that fall this far behind resynchronise from the database.
        LiveHub { sender: broadcast::channel(1024).0 }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<SeatUpdate> {
        self.sender.subscribe()
    }

    /// Hands an update to this instance's subscribers.
    pub fn publish(&self, update: SeatUpdate) {
        // No subscriber is not an error: nobody has a page open.
        let _ = self.sender.send(update);
    }
}
