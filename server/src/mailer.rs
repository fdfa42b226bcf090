//! Delivers what the outbox holds: through the SMTP server of `ROUNDS_SMTP_URL`, or as `.eml`
//! files in a folder when none is configured. A message is marked sent only after the SMTP
//! server accepted it; a failure is retried with growing delays, so an outage or a restart
//! delays mail and loses none.

use crate::config::{MailConfig, MailTransport};
use app::server::db::outbox::{self, OutgoingEmail};
use app::server::state::AppState;
use chrono::{Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;

/// Messages taken at a time.
const BATCH: u64 = 20;
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
                    .build(),
            ),
            MailTransport::Folder(folder) => {
                std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
                Transport::Folder(AsyncFileTransport::<Tokio1Executor>::new(folder))
            }
        };
        Ok(Mailer { transport, from, lease: config.lease })
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
/// this one) takes it over and sends it a second time. So a batch takes no new message once
/// half the lease has passed (the rest lapse and are claimed again), and one delivery may last
/// at most half the lease: every delivery ends before its lease does.
pub async fn send_due(state: &AppState, mailer: &Mailer) -> usize {
    let half_lease = (mailer.lease / 2).to_std().unwrap_or(std::time::Duration::from_secs(1));
    let mut sent = 0;
    loop {
        let now = Utc::now();
        let claimed = std::time::Instant::now();
        let batch = match outbox::claim_due(&state.db, now, BATCH, mailer.lease).await {
            Ok(batch) => batch,
            Err(err) => {
                tracing::warn!(%err, "cannot read the outbox");
                return sent;
            }
        };
        if batch.is_empty() {
            return sent;
        }
        for message in batch {
            if claimed.elapsed() >= half_lease {
                break;
            }
            let outcome = match tokio::time::timeout(half_lease, mailer.deliver(&message)).await {
                Ok(outcome) => outcome,
                Err(_) => Err("took longer than half the lease".to_string()),
            };
            let recorded = match &outcome {
                Ok(()) => outbox::mark_sent(&state.db, message.id, Utc::now()).await,
                Err(error) => {
                    tracing::warn!(id = message.id, attempts = message.attempts + 1, %error, "email not sent; will retry");
                    outbox::mark_failed(
                        &state.db,
                        &message,
                        error,
                        Utc::now() + retry_delay(message.attempts),
                    )
                    .await
                }
            };
            if let Err(err) = recorded {
                // The lease runs out and the message is tried again: at worst sent twice,
                // with the same Message-ID, never lost.
                tracing::error!(%err, id = message.id, "could not record an email's outcome");
            }
            sent += usize::from(outcome.is_ok());
        }
    }
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
}
