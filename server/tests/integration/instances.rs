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

/// Ends every connection listening for notifications on `app`'s database, as a network
/// failure or a restarted PostgreSQL would.
async fn drop_listeners(app: &common::TestApp) {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(&app.config.database_url).await.unwrap();
    let ended = admin
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        )
        .await
        .unwrap();
    assert!(ended.rows_affected() >= 1, "a listener was found to end");
}

#[tokio::test]
async fn a_count_and_a_page_on_one_instance_follow_writes_on_another_and_a_lost_listener() {
    if !on_postgres() {
        return;
    }
    let a = common::spawn().await;
    let b = a.another_instance().await;
    let ids = a.seed_format("circle").await;
    let start = Utc::now() + Duration::days(2);
    let session =
        a.seed_session(ids, SessionSeed { capacity: 5, ..SessionSeed::at("Shared circle", start) }).await;
    let keys = format!("s{session}");

    // B keeps its calendar page and opens a stream; a seat taken through A reaches both.
    assert!(b.get("/en").await.body.contains("5 seats left"));
    let mut stream = b.seat_stream(&keys).await;
    assert_eq!(stream.next().await.seats_taken, 0);
    a.register(session, "one@example.ca").await;
    assert_eq!(stream.next().await.seats_taken, 1, "B's stream hears A's write");
    let mut fresh = false;
    for _ in 0..40 {
        if b.get("/en").await.body.contains("4 seats left") {
            fresh = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(fresh, "B's kept page gives way to A's write within 2 s, not its 5 s of freshness");

    // The listeners are cut while A takes another seat: B's open stream ends once B listens
    // again, and the page's reconnection reads the right count, then hears the next change.
    drop_listeners(&a).await;
    a.register(session, "two@example.ca").await;
    assert!(stream.ends().await, "B's stream ends so its page reads the counts again");
    let mut again = b.seat_stream(&keys).await;
    assert_eq!(again.next().await.seats_taken, 2);
    a.register(session, "three@example.ca").await;
    // The second seat's change may still arrive, heard after B listened again.
    let mut latest = again.next().await.seats_taken;
    while latest == 2 {
        latest = again.next().await.seats_taken;
    }
    assert_eq!(latest, 3, "B listens again");
}

#[tokio::test]
async fn a_thousand_registrations_through_two_instances_fill_thirty_seats_exactly() {
    use futures::StreamExt;
    if !on_postgres() {
        return;
    }
    let a = common::spawn().await;
    let b = a.another_instance().await;
    let ids = a.seed_format("circle").await;
    let session = a
        .seed_session(
            ids,
            SessionSeed { capacity: 30, ..SessionSeed::at("Popular", Utc::now() + Duration::days(4)) },
        )
        .await;
    let statuses: Vec<axum::http::StatusCode> = futures::stream::iter(0..1000)
        .map(|n| {
            let instance = if n % 2 == 0 { &a } else { &b };
            async move { instance.register(session, &format!("person{n}@example.ca")).await.status }
        })
        .buffer_unordered(40)
        .collect()
        .await;
    let answered = |status| statuses.iter().filter(|s| **s == status).count();
    // Every answer is a seat, a waitlist place (three times the seats), or "the waitlist is full".
    assert_eq!(answered(axum::http::StatusCode::OK), 120, "{statuses:?}");
    assert_eq!(answered(axum::http::StatusCode::CONFLICT), 880);
    let rows =
        app::server::db::registrations::of_offering(&a.state.db, app::model::Offering::Session(session))
            .await
            .unwrap();
    let confirmed =
        rows.iter().filter(|row| row.status == app::server::db::registrations::Status::Confirmed).count();
    assert_eq!(confirmed, 30);
    assert_eq!(rows.len(), 120);
}

#[tokio::test]
async fn a_client_gets_its_write_limit_once_however_many_instances_it_reaches() {
    if !on_postgres() {
        return;
    }
    let per_email = app::server::rate_limit::Limit { count: 3, window: std::time::Duration::from_secs(3600) };
    let a = common::spawn_with(|config| {
        config.write_limits =
            app::server::rate_limit::WriteLimits { per_email, ..common::generous_write_limits() };
    })
    .await;
    let b = a.another_instance().await;
    let ids = a.seed_format("circle").await;
    let session = a.seed_session(ids, SessionSeed::at("Limited", Utc::now() + Duration::days(2))).await;
    let mut answers = Vec::new();
    for attempt in 0..6 {
        let instance = if attempt % 2 == 0 { &a } else { &b };
        answers.push(instance.register(session, "same@example.ca").await.status.as_u16());
    }
    // Counted per instance, the address would have had three on each.
    assert_eq!(answers, [200, 200, 200, 429, 429, 429]);
    let stored = crate::evaluations::cells(&a, "write_count").await;
    assert!(!stored.iter().any(|(_, value)| value.contains("same@")), "keys are pseudonyms: {stored:?}");
    assert!(!stored.is_empty());
    // Two windows later the privacy purge deletes the counts.
    server::jobs::purge(&a.state, Duration::hours(48), Utc::now() + Duration::hours(3)).await.unwrap();
    assert!(crate::evaluations::cells(&a, "write_count").await.is_empty(), "counts outlive two windows");
}

#[tokio::test]
async fn each_queued_email_reaches_the_mail_server_once_when_both_instances_send() {
    if !on_postgres() {
        return;
    }
    let a = common::spawn().await;
    let b = a.another_instance().await;
    let ids = a.seed_format("circle").await;
    let session = a
        .seed_session(
            ids,
            SessionSeed { capacity: 30, ..SessionSeed::at("Mailed", Utc::now() + Duration::days(3)) },
        )
        .await;
    // More confirmations than one sender takes at a time, queued through both instances.
    let people: Vec<String> = (0..45).map(|n| format!("mailed{n}@example.ca")).collect();
    for (n, email) in people.iter().enumerate() {
        let instance = if n % 2 == 0 { &a } else { &b };
        instance.register(session, email).await;
    }
    // Both instances' senders work the same outbox at once, until it is empty.
    let mut delivered = 0;
    loop {
        let (first, second) = tokio::join!(a.deliver_mail(), b.deliver_mail());
        if first + second == 0 {
            break;
        }
        delivered += first + second;
    }
    assert_eq!(delivered, people.len());
    for email in &people {
        assert_eq!(a.smtp.to(email).len(), 1, "{email} got its confirmation once");
    }
    assert!(b.smtp.messages().is_empty(), "both instances send to the one mail server");
}
