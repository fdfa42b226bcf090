//! Live seat counts: every change to a session's seats is announced here and pushed to every
//! open page (the server-sent-events route subscribes). On PostgreSQL the announcement goes
//! through `NOTIFY`, so every instance of the server hears it, not only the one that made it.

use super::db::Db;
use super::db::registrations::SessionRow;
use crate::model::SeatUpdate;
use chrono::{DateTime, Utc};
use sea_orm::DbBackend;
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

    /// Tells every open page, on every instance, about a committed change.
    pub async fn announce(&self, db: &Db, update: SeatUpdate) {
        if db.backend() == DbBackend::Postgres {
            let payload = serde_json::to_string(&update).expect("seat updates serialise");
            if let Err(err) = db.notify(CHANNEL, &payload).await {
                tracing::warn!(%err, "could not announce a seat change; pages resynchronise on reconnect");
            }
        } else {
            self.publish(update);
        }
    }
}

pub fn seat_update(session: &SessionRow, now: DateTime<Utc>) -> SeatUpdate {
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    SeatUpdate {
        session_id: session.id,
        capacity: count(session.capacity),
        seats_taken: count(session.seats_taken),
        waitlist_length: count(session.waitlist_length),
        status: session.status.parse().unwrap_or_default(),
        committed_at_us: now.timestamp_micros(),
    }
}
