//! One bad value must not stop the server: a unit of work that fails or panics fails alone,
//! the health check reports when writes cannot be made, and dates far outside the calendar
//! are refused rather than crashing a page or the writer. On SQLite or PostgreSQL (`common`).

use crate::common;

use app::domain::access::Role;
use app::domain::forms::{Field, FieldError, Problem};
use app::domain::session::{Audience, SessionLanguage};
use app::error::AppError;
use app::model::{Acknowledged, Bilingual};
use app::server::db::DbError;
use app::server::db::sessions::{NewFormat, NewSession, formats, insert_format, insert_session};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use common::{SessionSeed, spawn};
use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};

const PASSWORD: &str = "a sufficiently long passphrase";

fn new_format(slug: &str) -> NewFormat {
    NewFormat {
        slug: slug.into(),
        name: (format!("{slug} (en)"), format!("{slug} (fr)")),
        description: ("About it".into(), "À propos".into()),
        led_by: ("a trained peer".into(), "un pair formé".into()),
        position: 0,
    }
}

async fn add_format(app: &common::TestApp, slug: &'static str) -> Result<i32, DbError> {
    app.state.db.write(move |txn| Box::pin(insert_format(txn, new_format(slug)))).await
}

async fn format_slugs(app: &common::TestApp) -> Vec<String> {
    formats(&app.state.db).await.unwrap().into_iter().map(|f| f.slug).collect()
}

#[tokio::test]
async fn a_unit_that_panics_fails_alone_and_the_writer_goes_on() {
    let app = spawn().await;
    // Queued together, so on SQLite the three share one batch.
    let panicking = app.state.db.write(|txn| {
        Box::pin(async move {
            insert_format(txn, new_format("half-written")).await?;
            let overflow = u32::MAX.checked_add(std::hint::black_box(1));
            Ok::<u32, DbError>(overflow.expect("a bug in a unit of work"))
        })
    });
    let (before, panicked, after) =
        tokio::join!(add_format(&app, "before"), panicking, add_format(&app, "after"));
    assert!(matches!(panicked, Err(DbError::Other(_))), "{panicked:?}");
    before.expect("a unit queued before the panic commits");
    after.expect("a unit queued after the panic commits");
    // A later batch still commits, and nothing of the panicking unit remains.
    add_format(&app, "later").await.expect("the writer still runs");
    let slugs = format_slugs(&app).await;
    assert!(slugs.iter().any(|s| s == "before") && slugs.iter().any(|s| s == "after"));
    assert!(slugs.iter().any(|s| s == "later"));
    assert!(!slugs.iter().any(|s| s == "half-written"), "{slugs:?}");
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_unit_that_fails_rolls_back_alone() {
    let app = spawn().await;
    let failing = app.state.db.write(|txn| {
        Box::pin(async move {
            insert_format(txn, new_format("undone")).await?;
            Err::<(), DbError>(DbError::NotFound)
        })
    });
    let (failed, kept) = tokio::join!(failing, add_format(&app, "kept"));
    assert!(matches!(failed, Err(DbError::NotFound)));
    kept.unwrap();
    assert_eq!(format_slugs(&app).await, ["kept"]);
}

#[tokio::test]
async fn health_reports_503_while_another_connection_holds_the_write_lock() {
    let app = spawn().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);

    // Another process's connection takes the lock every write needs, and keeps it.
    let other = sea_orm::Database::connect(app.config.database_url.as_str()).await.unwrap();
    let holder = other.begin().await.unwrap();
    let take_lock = match app.state.db.backend() {
        DbBackend::Postgres => "LOCK TABLE seaql_migrations IN EXCLUSIVE MODE",
        _ => "UPDATE seaql_migrations SET version = version WHERE 1 = 0",
    };
    holder.execute_unprepared(take_lock).await.unwrap();
    let blocked = app.get("/healthz").await;
    assert_eq!(blocked.status, StatusCode::SERVICE_UNAVAILABLE, "{}", blocked.body);

    // Once the lock is released, writes go through again.
    holder.rollback().await.unwrap();
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    add_format(&app, "after-the-lock").await.unwrap();
}

/// The schedule form of the report, with `date` (URL-encoded) as typed.
fn far_form(date: &str) -> String {
    format!(
        "format=circle&title_en=Far&description_en=Far&date={date}&time=23%3A59&zone=UTC&duration=240\
         &capacity=30&audience=all&language=en&repeat=1"
    )
}

/// The same, as the server function takes it.
fn prefixed(form: &str) -> String {
    form.split('&').map(|pair| format!("form[{}", pair.replacen('=', "]=", 1))).collect::<Vec<_>>().join("&")
}

fn three_years_ahead() -> String {
    (Utc::now() + Duration::days(3 * 365)).date_naive().to_string()
}

/// The report: a facilitator schedules a session on `+262142-12-31`, 23:59 UTC, for 240
/// minutes; its page and a registration for it then stopped every write of the server.
#[tokio::test]
async fn the_far_future_session_of_the_report_stops_nothing() {
    let app = spawn().await;
    let (_, facilitator) = app.account(Role::Facilitator, "far@example.ca", PASSWORD, true).await;
    let cookie = app.sign_in("far@example.ca", PASSWORD).await;
    let (format, _) = app.seed_format("circle").await;

    // Scheduling it is refused with the date field's error.
    let refused =
        app.call_as(Some(&cookie), "workspace/create", &prefixed(&far_form("%2B262142-12-31"))).await;
    let date_error = |problem| AppError::Form(vec![FieldError { field: Field::Date, problem }]);
    assert_eq!(refused.json::<AppError>(), date_error(Problem::Invalid));
    let too_far =
        app.call_as(Some(&cookie), "workspace/create", &prefixed(&far_form(&three_years_ahead()))).await;
    assert_eq!(too_far.json::<AppError>(), date_error(Problem::TooFarAhead));

    // A row written before these checks existed: its end lies past the last instant.
    let far = NaiveDate::MAX.and_hms_opt(23, 59, 0).unwrap().and_utc();
    let new = NewSession {
        format_id: format,
        facilitator_id: facilitator.unwrap(),
        title: Bilingual::both("Far", "Loin"),
        description: Bilingual::both("Far", "Loin"),
        starts_at: far,
        duration_minutes: 240,
        capacity: 30,
        language: SessionLanguage::En,
        audience: Audience::All,
        series: None,
        meeting_link: None,
    };
    let far_id = app.state.db.write(move |txn| Box::pin(insert_session(txn, new, Utc::now()))).await.unwrap();
    let page = app.get(&format!("/en/sessions/{far_id}")).await;
    assert!(matches!(page.status, StatusCode::OK | StatusCode::NOT_FOUND), "{}", page.status);
    // Registering for it answers, whatever it answers, and stops nothing.
    let reply = app.register(far_id, "first@example.ca").await;
    assert!(matches!(reply.status.as_u16(), 200..=599), "{}", reply.status);

    // Every other write still works: a registration, its email, a sign-in.
    let (_, other_facilitator) = app.seed_format("near").await;
    let near = app
        .seed_session((format, other_facilitator), SessionSeed::at("near", Utc::now() + Duration::days(3)))
        .await;
    let outcome: Acknowledged = app.register(near, "second@example.ca").await.json();
    assert_eq!(outcome.next_path, format!("/en/sessions/{near}?registered=1"));
    // The registration exists (finding its token panics otherwise).
    app.registration_token(near, "second@example.ca").await;
    assert!(app.deliver_mail().await >= 1);
    app.sign_in("far@example.ca", PASSWORD).await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn calendar_addresses_beyond_reach_are_not_found() {
    let app = spawn().await;
    for path in [
        "/en/month?month=262142-12",
        "/en/month?month=2026-13",
        "/en/week?date=%2B262142-12-31",
        "/en/week?date=+262142-12-31",
        "/en/week?date=2026-13-45",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let today = Utc::now().date_naive();
    let within = format!("/en/week?date={}", today + Duration::days(365));
    assert_eq!(app.get(&within).await.status, StatusCode::OK);
    let beyond = format!("/en/month?month={}", (today + Duration::days(5 * 365)).format("%Y-%m"));
    assert_eq!(app.get(&beyond).await.status, StatusCode::NOT_FOUND);

    // The server function behind both views refuses ranges beyond reach or too long.
    let range = async |first: &str, last: &str| {
        app.call("sessions/range", &format!("first={first}&last={last}")).await
    };
    let far = (today + Duration::days(10 * 365)).to_string();
    let far_end = (today + Duration::days(10 * 365 + 6)).to_string();
    assert_eq!(range(&far, &far_end).await.json::<AppError>(), AppError::Invalid);
    let long_end = (today + Duration::days(100)).to_string();
    assert_eq!(range(&today.to_string(), &long_end).await.json::<AppError>(), AppError::Invalid);
    let last_week = range("%2B262142-12-25", "%2B262142-12-31").await;
    assert_ne!(last_week.status, StatusCode::OK);
    let ok = range(&today.to_string(), &today.to_string()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}
