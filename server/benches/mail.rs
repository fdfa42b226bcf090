//! Mail benchmark: `cargo bench -p server --bench mail` (a release build, on an SQLite file).
//!
//! Queues 10,000 emails in the outbox (a few big writes, as a burst of registrations would
//! leave them), then times the mailer (`send_due`) delivering all of them over SMTP to the
//! integration tests' sink on loopback. The sink runs on its own thread and runtime, so its
//! work does not queue behind the mailer's, though the two share the machine's cores.
//! Then 500 more with a rate cap of 50 a second, which should take about 10 seconds.
//! `BENCH_MESSAGES` and `BENCH_CAPPED_MESSAGES` change the counts.

mod common;
// The integration tests' SMTP sink; the benchmark only counts what it keeps.
#[allow(dead_code)]
#[path = "../tests/integration/common/smtp.rs"]
mod smtp;

use app::server::db::outbox::{self, NewEmail};
use app::server::state::AppState;
use chrono::Utc;
use server::config::{MailConfig, MailTransport};
use server::mailer::{Mailer, send_due};
use std::time::Instant;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let messages = setting("BENCH_MESSAGES", 10_000);
    // The sink's connections are served on a runtime of their own, so they do not queue
    // behind the mailer's tasks.
    let sink_runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let sink = sink_runtime.block_on(smtp::SmtpSink::start());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let scratch = std::env::temp_dir().join(format!("rounds-mail-bench-{}", std::process::id()));
        std::fs::create_dir_all(&scratch).unwrap();
        let database_url = format!("sqlite://{}", scratch.join("bench.db").display());
        let config = common::config(database_url, MailTransport::Smtp(format!("smtp://{}", sink.addr)));
        let state = server::start(&config).await.expect("start");
        println!("Rounds mail benchmark (release build, SQLite file, SMTP sink on loopback)\n");

        queue(&state, 0..messages).await;
        let mailer = Mailer::new(&config.mail).expect("mailer");
        let (sent, seconds) = deliver_all(&state, &mailer, messages).await;
        assert_eq!(sink.messages().len(), messages, "the sink got every message once");
        println!(
            "mail: {sent} messages in {seconds:.1} s = {:.0} messages/s (target ≥ 200/s)",
            sent as f64 / seconds
        );

        // A provider's cap: the same mailer, held to 50 messages a second.
        let capped = setting("BENCH_CAPPED_MESSAGES", 500);
        let rate = std::num::NonZeroU32::new(50).unwrap();
        queue(&state, messages..messages + capped).await;
        let mailer = Mailer::new(&MailConfig { rate: Some(rate), ..config.mail.clone() }).expect("mailer");
        let (sent, seconds) = deliver_all(&state, &mailer, capped).await;
        assert_eq!(sink.messages().len(), messages + capped);
        println!(
            "mail, capped at {rate}/s (ROUNDS_MAIL_RATE): {sent} messages in {seconds:.1} s = {:.1} messages/s",
            sent as f64 / seconds
        );
        let _ = std::fs::remove_dir_all(&scratch);
    });
}

/// Puts confirmations to the people numbered `people` in the outbox, 1,000 to a write.
async fn queue(state: &AppState, people: std::ops::Range<usize>) {
    for first in people.clone().step_by(1_000) {
        let last = (first + 1_000).min(people.end);
        state
            .db
            .write(move |txn| {
                Box::pin(async move {
                    for n in first..last {
                        let email = NewEmail {
                            session_id: None,
                            recipient: format!("person{n}@example.ca"),
                            subject: "You are registered: Tuesday circle".into(),
                            body: "Thank you for registering.\n\n".repeat(20),
                            calendar: None,
                            message_id: format!("<bench-{n}@rounds.bench>"),
                        };
                        outbox::enqueue(txn, email, Utc::now()).await?;
                    }
                    Ok::<_, app::server::db::DbError>(())
                })
            })
            .await
            .expect("queue the emails");
    }
}

/// Runs the mailer until `count` messages went out; the number sent and the seconds it took.
async fn deliver_all(state: &AppState, mailer: &Mailer, count: usize) -> (usize, f64) {
    let started = Instant::now();
    let mut sent = 0;
    while sent < count {
        let now_sent = send_due(state, mailer).await;
        assert!(now_sent > 0, "the mailer stopped with {} of {count} sent", sent);
        sent += now_sent;
    }
    (sent, started.elapsed().as_secs_f64())
}
