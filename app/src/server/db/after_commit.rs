//! What a unit of work causes beyond its rows: mail waiting in the outbox, seat counts that
//! changed. The persistence functions that cause them record them on the unit's
//! [`WriteTxn`](super::WriteTxn); [`Db::write`](super::Db::write) acts on them once the unit
//! has committed and drops them when it did not. So no service can forget to wake the mailer,
//! and no open page hears of a change that was rolled back.

use crate::model::SeatUpdate;
use crate::server::live::LiveHub;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Notify;

#[derive(Debug, Default)]
pub(super) struct Effects {
    pub(super) mail_queued: bool,
    /// The latest counts of each offering the unit changed, in the order first changed.
    pub(super) seat_changes: Vec<SeatUpdate>,
}

impl Effects {
    pub(super) fn seats_changed(&mut self, update: SeatUpdate) {
        match self.seat_changes.iter_mut().find(|known| known.offering == update.offering) {
            Some(known) => *known = update,
            None => self.seat_changes.push(update),
        }
    }
}

/// Who hears of committed effects: the email sender, and the open pages of this instance.
#[derive(Clone, Debug, Default)]
pub struct Signals {
    /// Wakes the email sender when a committed unit has put mail in the outbox.
    pub mail_ready: Arc<Notify>,
    pub live: LiveHub,
    /// Moves on after every write, this instance's or (through PostgreSQL) another's: a page
    /// kept by an earlier generation is not sent again.
    pub pages: PageGeneration,
}

/// A counter of writes the page cache reads; see [`Signals::pages`].
#[derive(Clone, Debug, Default)]
pub struct PageGeneration(Arc<AtomicU64>);

impl PageGeneration {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    pub fn advance(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::SessionStatus;
    use crate::model::Offering;

    fn counts(offering: Offering, seats_taken: u32) -> SeatUpdate {
        SeatUpdate {
            offering,
            capacity: 10,
            seats_taken,
            waitlist_length: 0,
            status: SessionStatus::Scheduled,
            committed_at_us: 0,
        }
    }

    #[test]
    fn an_offering_changed_twice_is_announced_once_with_its_last_counts() {
        let mut effects = Effects::default();
        effects.seats_changed(counts(Offering::Session(1), 3));
        effects.seats_changed(counts(Offering::Intake(1), 5));
        effects.seats_changed(counts(Offering::Session(1), 4));
        let announced: Vec<(Offering, u32)> =
            effects.seat_changes.iter().map(|update| (update.offering, update.seats_taken)).collect();
        assert_eq!(announced, [(Offering::Session(1), 4), (Offering::Intake(1), 5)]);
    }
}
