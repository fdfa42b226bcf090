//! Delivers what the outbox holds: through the SMTP server of `ROUNDS_SMTP_URL`, or as `.eml`
//! files in a folder when none is configured. A message is marked sent only after the SMTP
//! server accepted it; a failure is retried with growing delays, so an outage or a restart
//! delays mail and loses none.

use crate::config::{MailConfig, MailTransport};
use app::server::db::outbox::{self, OutgoingEmail};
use app::server::state::AppState;
use chrono::{Duration, Utc};
use futures::{StreamExt, stream};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;
use tokio::sync::{mpsc, watch};

/// Messages claimed at a time: enough to keep every connection busy between two claims.
const BATCH: u64 = 200;
/// Messages in flight at once, each on a connection of its own from lettre's pool. One
/// connection spends most of a message waiting: for each reply, and for the kernel to release
/// the message's final dot, which lettre writes apart from the body (Nagle's algorithm holds it
/// until the body is acknowledged, up to 40 ms on Linux). Sixteen stay under the connection
/// limits of the common providers.
const PARALLEL: usize = 16;
/// How often to look for messages due for a retry or written by another instance.
const POLL: std::time::Duration = std::time::Duration::from_secs(5);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// How long a sender may work on a message before another may take it over.
    lease: Duration,
    /// `ROUNDS_MAIL_RATE`, when set: the sends this mailer starts are spaced to it.
    pace: Option<Pace>,
}

/// Spaces the start of sends `interval` apart, across batches: a provider's cap counts every
/// message, whichever batch it came in.
struct Pace {
    interval: std::time::Duration,
    /// The earliest start of the next send.
    next: Mutex<Option<Instant>>,
}

impl Pace {
    /// The time the next send may start, if that is before `deadline`; the slot is then taken.
    /// A slot past the deadline is left for a later batch.
    fn take(&self, deadline: Instant) -> Option<Instant> {
        let mut next = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let slot = next_slot(*next, Instant::now());
        if slot >= deadline {
            return None;
        }
        *next = Some(slot + self.interval);
        Some(slot)
    }
}

/// When a send asked for at `now` may start, given the next free slot (`None` before the first
/// send): the later of the two. Time left unused is not saved up, so after a quiet spell sends
/// start again at the capped pace rather than in a burst.
fn next_slot(next: Option<Instant>, now: Instant) -> Instant {
    next.map_or(now, |next| next.max(now))
}

/// The wait before attempt `attempts + 1`: 1 s, 2 s, 4 s … up to an hour.
pub fn retry_delay(attempts: i32) -> Duration {
    let exponent = attempts.clamp(0, 12) as u32;
    Duration::seconds((1i64 << exponent).min(3_600))
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        let from: Mailbox = config.from.parse().map_err(|e| format!("ROUNDS_MAIL_FROM: {e}"))?;
        let transport = match &config.transport {
            MailTransport::Smtp(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("ROUNDS_SMTP_URL: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(15)))
                    // Room for every parallel send's connection to stay open for the next.
                    .pool_config(PoolConfig::new().max_size(PARALLEL as u32))
                    .build(),
            ),
            MailTransport::Folder(folder) => {
                std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
                Transport::Folder(AsyncFileTransport::<Tokio1Executor>::new(folder))
            }
        };
        let pace = config.rate.map(|rate| Pace {
            interval: std::time::Duration::from_secs(1) / rate.get(),
            next: Mutex::new(None),
        });
        Ok(Mailer { transport, from, lease: config.lease, pace })
    }

    fn build(&self, message: &OutgoingEmail) -> Result<Message, String> {
        let to: Mailbox = message.recipient.parse().map_err(|_| "invalid recipient".to_string())?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .message_id(Some(message.message_id.clone()));
        let text = SinglePart::plain(message.body.clone());
        let built = match (&message.ics, &message.ics_method) {
            (Some(ics), method) => {
                let method = method.as_deref().unwrap_or("PUBLISH");
                let content_type =
                    ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                        .map_err(|e| e.to_string())?;
                let invitation =
                    Attachment::new("invitation.ics".to_string()).body(ics.clone(), content_type);
                builder.multipart(MultiPart::mixed().singlepart(text).singlepart(invitation))
            }
            (None, _) => builder.singlepart(text),
        };
        built.map_err(|_| "invalid message".to_string())
    }

    /// Sends one message. The error is the kind of failure only ([`failure_class`]).
    pub async fn deliver(&self, message: &OutgoingEmail) -> Result<(), String> {
        let email = self.build(message)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(email).await.map(drop).map_err(|e| failure_class(&e)),
            Transport::Folder(folder) => {
                folder.send(email).await.map(drop).map_err(|_| "cannot write the file".to_string())
            }
        }
    }
}

/// What went wrong, in words of our own: an SMTP server's reply usually quotes the address,
/// and neither the outbox nor the log may keep it.
fn failure_class(error: &lettre::transport::smtp::Error) -> String {
    match error.status() {
        Some(code) if error.is_permanent() => format!("rejected ({code})"),
        Some(code) => format!("deferred ({code})"),
        None if error.is_timeout() => "timed out".into(),
        None if error.is_response() => "unreadable reply".into(),
        None => "connection failed".into(),
    }
}

/// Sends every message that is due now; returns how many went out.
///
/// A claimed message must be done with before its lease runs out, or another instance (or
/// this one) takes it over and sends it a second time. So no send of a batch starts once half
/// the lease has passed (the rest lapse and are claimed again), and one delivery may last at
/// most half the lease: every delivery ends before its lease does.
///
/// Up to [`PARALLEL`] messages are in flight at once, to different recipients: one person's
/// messages go one after another, in the order they were written (a waitlist place before the
/// seat it became), as they did when the mailer sent one message at a time. Their outcomes are recorded while the
/// others go on: each write records every delivery that ended since the previous write, so the
/// writes are few and never hold the sends up.
pub async fn send_due(state: &AppState, mailer: &Mailer) -> usize {
    let half_lease = (mailer.lease / 2).to_std().unwrap_or(std::time::Duration::from_secs(1));
    let batch = mailer.batch_size(half_lease);
    let mut sent = 0;
    loop {
        // Read before the claim's own clock, so the deadline never falls after the lease's end.
        let deadline = Instant::now() + half_lease;
        let claimed = match outbox::claim_due(&state.db, Utc::now(), batch, mailer.lease).await {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::warn!(%err, "cannot read the outbox");
                return sent;
            }
        };
        if claimed.is_empty() {
            return sent;
        }
        let (ended, mut outcomes) = mpsc::unbounded_channel();
        let sending = async move {
            let queues = in_queues(claimed, |message| message.recipient.as_str());
            stream::iter(queues)
                .for_each_concurrent(PARALLEL, |queue| {
                    let ended = ended.clone();
                    async move {
                        for message in queue {
                            // Past the deadline the rest of the queue lapses too, in order.
                            let Some(outcome) = mailer.attempt(message, deadline, half_lease).await else {
                                break;
                            };
                            // The receiver lives until every sender is dropped.
                            let _ = ended.send(outcome);
                        }
                    }
                })
                .await;
        };
        let recording = async {
            let (mut delivered, mut finished) = (0, Vec::new());
            while outcomes.recv_many(&mut finished, BATCH as usize).await > 0 {
                delivered += record(state, std::mem::take(&mut finished)).await;
            }
            delivered
        };
        let ((), delivered) = tokio::join!(sending, recording);
        sent += delivered;
    }
}

impl Mailer {
    /// Messages to claim at a time: under a rate cap, no more than can start in half a lease,
    /// so a claimed message is not left to lapse for want of a slot.
    fn batch_size(&self, half_lease: std::time::Duration) -> u64 {
        match &self.pace {
            Some(pace) => {
                let fits = half_lease.as_nanos() / pace.interval.as_nanos().max(1);
                u64::try_from(fits).unwrap_or(BATCH).clamp(1, BATCH)
            }
            None => BATCH,
        }
    }

    /// Sends a claimed message if it can start before `deadline` (at its slot under a rate
    /// cap), giving up after `limit`; `None` when it did not start and is left to lapse.
    async fn attempt(
        &self,
        message: OutgoingEmail,
        deadline: Instant,
        limit: std::time::Duration,
    ) -> Option<(OutgoingEmail, Result<(), String>)> {
        if let Some(pace) = &self.pace {
            let slot = pace.take(deadline)?;
            tokio::time::sleep_until(slot.into()).await;
        }
        if Instant::now() >= deadline {
            return None;
        }
        let outcome = match tokio::time::timeout(limit, self.deliver(&message)).await {
            Ok(outcome) => outcome,
            Err(_) => Err("took longer than half the lease".to_string()),
        };
        Some((message, outcome))
    }
}

/// `items` split into queues by `key`, each queue in the order of `items`, the queues in the
/// order of their first item.
fn in_queues<T>(items: Vec<T>, key: impl Fn(&T) -> &str) -> Vec<Vec<T>> {
    let mut queues: Vec<Vec<T>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for item in items {
        match by_key.get(key(&item)) {
            Some(&queue) => queues[queue].push(item),
            None => {
                by_key.insert(key(&item).to_string(), queues.len());
                queues.push(vec![item]);
            }
        }
    }
    queues
}

/// Records how deliveries ended: every sent message in one write, each failure with its own
/// retry time. Returns how many were sent.
async fn record(state: &AppState, finished: Vec<(OutgoingEmail, Result<(), String>)>) -> usize {
    let mut sent = Vec::with_capacity(finished.len());
    for (message, outcome) in finished {
        match outcome {
            Ok(()) => sent.push(message.id),
            Err(error) => {
                tracing::warn!(id = message.id, attempts = message.attempts + 1, %error, "email not sent; will retry");
                let retry_at = Utc::now() + retry_delay(message.attempts);
                if let Err(err) = outbox::mark_failed(&state.db, &message, &error, retry_at).await {
                    // The lease runs out and the message is tried again: never lost.
                    tracing::error!(%err, id = message.id, "could not record a failed email");
                }
            }
        }
    }
    let count = sent.len();
    if count > 0
        && let Err(err) = outbox::mark_sent(&state.db, sent, Utc::now()).await
    {
        // The leases run out and the messages are sent again: at worst twice, with the same
        // Message-ID, never lost.
        tracing::error!(%err, count, "could not record sent emails");
    }
    count
}

/// Sends as mail arrives (woken by `db::Signals::mail_ready`) and polls for retries, until shutdown.
pub async fn run(state: AppState, mailer: Mailer, mut shutdown: watch::Receiver<bool>) {
    loop {
        send_due(&state, &mailer).await;
        tokio::select! {
            () = state.db.signals().mail_ready.notified() => {}
            () = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(0), Duration::seconds(1));
        assert_eq!(retry_delay(3), Duration::seconds(8));
        assert_eq!(retry_delay(11), Duration::seconds(2_048));
        assert_eq!(retry_delay(12), Duration::seconds(3_600));
        assert_eq!(retry_delay(500), Duration::seconds(3_600));
    }

    #[test]
    fn each_recipient_has_one_queue_in_the_order_written() {
        let messages = vec!["ada 1", "bo 1", "ada 2", "cy 1", "bo 2", "ada 3"];
        let queues = in_queues(messages, |m| m.split(' ').next().unwrap());
        assert_eq!(queues, [vec!["ada 1", "ada 2", "ada 3"], vec!["bo 1", "bo 2"], vec!["cy 1"]]);
    }

    #[test]
    fn a_send_waits_for_the_next_slot_and_a_quiet_spell_saves_none_up() {
        let now = Instant::now();
        let second = std::time::Duration::from_secs(1);
        assert_eq!(next_slot(None, now), now);
        assert_eq!(next_slot(Some(now + second), now), now + second);
        assert_eq!(next_slot(Some(now), now + 10 * second), now + 10 * second);
    }

    #[test]
    fn a_rate_cap_spaces_sends_and_keeps_the_slots_past_a_deadline() {
        let interval = std::time::Duration::from_millis(250);
        let pace = Pace { interval, next: Mutex::new(None) };
        let far = Instant::now() + std::time::Duration::from_secs(60);
        let slots: Vec<Instant> = (0..5).map(|_| pace.take(far).unwrap()).collect();
        for pair in slots.windows(2) {
            assert_eq!(pair[1] - pair[0], interval);
        }
        // A send that could not start before its batch's deadline leaves its slot to the next.
        let next = slots[4] + interval;
        assert_eq!(pace.take(next), None);
        assert_eq!(pace.take(far), Some(next));
    }

    #[test]
    fn a_capped_mailer_claims_what_it_can_start_in_half_a_lease() {
        let folder = std::env::temp_dir().join(format!("rounds-mailer-{}", std::process::id()));
        let mailer = |rate| {
            let config = MailConfig {
                transport: MailTransport::Folder(folder.clone()),
                from: "Rounds <r@rounds.test>".into(),
                lease: Duration::seconds(10),
                rate: std::num::NonZeroU32::new(rate),
            };
            Mailer::new(&config).unwrap()
        };
        let half_lease = std::time::Duration::from_secs(5);
        assert_eq!(mailer(0).batch_size(half_lease), BATCH);
        assert_eq!(mailer(3).batch_size(half_lease), 15);
        assert_eq!(mailer(1_000).batch_size(half_lease), BATCH);
        let _ = std::fs::remove_dir_all(&folder);
    }
}
