//! Several instances of the server on one PostgreSQL database: each starts, and each piece of
//! work the jobs do is done once.

use crate::common::{self, SessionSeed};
use app::server::db::outbox;
use chrono::{Duration, Utc};

#[tokio::test]
async fn two_instances_starting_together_on_an_empty_database_both_start() {
    if !on_postgres() {
        return;
    }
    let template = common::spawn().await;
    let mut config = template.config.clone();
    let scratch = std::env::temp_dir();
    config.database_url = common::database_url(&common::unique_name(), &scratch).await;
    // Unlocked, the second's migrations failed on the first's tables ("duplicate key value
    // violates unique constraint pg_type_typname_nsp_index").
    let (first, second) = tokio::join!(server::start(&config), server::start(&config));
    assert!(first.is_ok(), "the first instance: {:?}", first.err());
    assert!(second.is_ok(), "the second instance: {:?}", second.err());
}

/// Whether this run has a PostgreSQL server to share among instances.
fn on_postgres() -> bool {
    let shared = std::env::var("ROUNDS_TEST_POSTGRES_URL").is_ok_and(|url| !url.is_empty());
    if !shared {
        eprintln!("skipped: several instances share a PostgreSQL database only");
    }
    shared
}

#[tokio::test]
async fn each_reminder_goes_out_once_whatever_the_number_of_instances() {
    if !on_postgres() {
        return;
    }
    let app = common::spawn().await;
    let second = server::start(&app.config).await.expect("a second instance on the same database");
    let ids = app.seed_format("circle").await;
    let start = Utc::now() + Duration::days(3);
    let session = app.seed_session(ids, SessionSeed::at("Reminded", start)).await;
    let people: Vec<String> = (0..5).map(|n| format!("p{n}@example.ca")).collect();
    for email in &people {
        app.register(session, email).await;
    }
    // Both instances run the job at the same moment, half an hour before the start.
    let leads = [Duration::hours(1)];
    let at = start - Duration::minutes(30);
    let (first, other) = tokio::join!(
        server::jobs::send_due_reminders(&app.state, &leads, at),
        server::jobs::send_due_reminders(&second, &leads, at)
    );
    assert_eq!(first.unwrap() + other.unwrap(), people.len(), "one reminder each, in all");
    let reminders = outbox::of_session(&app.state.db, session)
        .await
        .unwrap()
        .into_iter()
        .filter(|message| message.subject.starts_with("Reminder"))
        .count();
    assert_eq!(reminders, people.len());
}

/// An SMTP server that accepts connections and never answers: a delivery to it hangs until
/// something gives up.
async fn silent_smtp() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((connection, _)) = listener.accept().await {
            open.push(connection);
        }
    });
    (addr, held)
}

/// A delivery must end before its lease does, or another instance takes the message over and
/// sends it while the first still is. (Runs on SQLite too: the rule is the sender's own.)
#[tokio::test]
async fn a_delivery_never_outlives_the_lease_on_its_message() {
    let (smtp, held) = silent_smtp().await;
    let app = common::spawn_with(|config| {
        config.write_limits = common::generous_write_limits();
        config.mail.transport = server::config::MailTransport::Smtp(format!("smtp://{smtp}"));
        config.mail.lease = Duration::seconds(2);
    })
    .await;
    let ids = app.seed_format("circle").await;
    let session = app.seed_session(ids, SessionSeed::at("Circle", Utc::now() + Duration::days(3))).await;
    app.register(session, "ada@example.ca").await;
    assert_eq!(app.deliver_mail().await, 0, "nothing could be sent");
    let pending = outbox::pending(&app.state.db).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 1, "given up once, to be tried again");
    assert_eq!(pending[0].last_error.as_deref(), Some("took longer than half the lease"));
    held.abort();
}
