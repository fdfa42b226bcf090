//! Background work: sending email, reminders before sessions, telling people a cohort they
//! waited for opened, the privacy purge after sessions and cohorts,
//! and (on PostgreSQL) relaying seat changes made by other instances.

use crate::config::Config;
use crate::mailer::{self, Mailer};
use app::server::db::web_sessions::DbSessionStore;
use app::server::db::{accounts, cohorts, outbox, registrations, write_counts};
use app::server::live::{CHANNEL, PAGES_CHANNEL};
use app::server::state::AppState;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sqlx::postgres::PgListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

const REMINDER_CHECK: std::time::Duration = std::time::Duration::from_secs(60);
const PURGE_CHECK: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// How often every open seat stream gets a comment, so proxies that close idle connections
/// (often after 30–60 s) leave it open.
const STREAM_KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(15);
/// An email still undelivered this long after it was written is given up and deleted.
pub const UNDELIVERED_KEPT_DAYS: i64 = 7;

/// Starts every background job; they stop when `shutdown` changes.
pub fn spawn(
    state: &AppState,
    config: &Config,
    shutdown: watch::Receiver<bool>,
) -> Result<Vec<JoinHandle<()>>, String> {
    let mailer = Mailer::new(&config.mail)?;
    let mut jobs = vec![tokio::spawn(mailer::run(state.clone(), mailer, shutdown.clone()))];
    jobs.push(tokio::spawn(every(REMINDER_CHECK, shutdown.clone(), {
        let state = state.clone();
        let leads = config.reminders.clone();
        move || {
            let state = state.clone();
            let leads = leads.clone();
            async move {
                if let Err(err) = send_due_reminders(&state, &leads, Utc::now()).await {
                    tracing::warn!(%err, "reminders");
                }
                if let Err(err) = app::server::cohorts::announce_openings(&state, Utc::now()).await {
                    tracing::warn!(%err, "cohort openings");
                }
                if let Err(err) = app::server::evaluations::conclude_ended(&state, Utc::now()).await {
                    tracing::warn!(%err, "ended offerings");
                }
                if let Err(err) = app::server::surveys::send_due(&state, Utc::now()).await {
                    tracing::warn!(%err, "round surveys");
                }
            }
        }
    })));
    jobs.push(tokio::spawn(every(PURGE_CHECK, shutdown.clone(), {
        let state = state.clone();
        let retention = config.retention;
        move || {
            let state = state.clone();
            async move {
                if let Err(err) = purge(&state, retention, Utc::now()).await {
                    tracing::warn!(%err, "privacy purge");
                }
            }
        }
    })));
    jobs.push(tokio::spawn(every(STREAM_KEEP_ALIVE, shutdown.clone(), {
        let state = state.clone();
        move || {
            state.db.signals().live.keep_alive();
            std::future::ready(())
        }
    })));
    if state.db.postgres_pool().is_some() {
        jobs.push(tokio::spawn(listen_and_relay(state.clone(), shutdown)));
    }
    Ok(jobs)
}

/// Runs `work` now and then every `period`, until shutdown.
async fn every<F, Fut>(period: std::time::Duration, mut shutdown: watch::Receiver<bool>, work: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    loop {
        work().await;
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Puts a reminder in the outbox for every registrant whose reminder is due (before each
/// meeting of a cohort, as before a session); returns how many.
pub async fn send_due_reminders(
    state: &AppState,
    leads: &[Duration],
    now: DateTime<Utc>,
) -> Result<usize, String> {
    let Some(longest) = leads.iter().max() else {
        return Ok(0);
    };
    let candidates =
        registrations::upcoming_confirmed(&state.db, now, now + *longest).await.map_err(|e| e.to_string())?;
    let mut queued = 0;
    for (registration, meeting_starts_at) in candidates {
        let due = app::domain::registration::reminder_due(
            now,
            meeting_starts_at,
            registration.placed_at,
            registration.reminded_at,
            leads,
        );
        if due.is_some()
            && app::server::registrations::remind(state, &registration, meeting_starts_at, leads, now)
                .await
                .map_err(|e| e.to_string())?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Deletes personal data once its purpose is over. Registrants of a session or a cohort:
/// `retention` after it ended, with every message about them. Messages sent: `retention`
/// after sending; never delivered: after [`UNDELIVERED_KEPT_DAYS`]. Applications: the
/// round's own retention, from the draw or the deadline. "Tell me when it opens" addresses:
/// once told, or after [`INTEREST_KEPT_DAYS`](app::domain::cohort::INTEREST_KEPT_DAYS).
/// Sign-in attempts that no longer count, expired browser sessions, spent account links and
/// gratitude stories never confirmed go too. Returns how many session registrations went.
pub async fn purge(state: &AppState, retention: Duration, now: DateTime<Utc>) -> Result<u64, String> {
    let cutoff = now - retention;
    let purged = registrations::purge_ended(&state.db, cutoff).await.map_err(|e| e.to_string())?;
    let cohort_registrations = cohorts::purge_ended(&state.db, cutoff).await.map_err(|e| e.to_string())?;
    let old_mail = outbox::purge_sent_before(&state.db, cutoff).await.map_err(|e| e.to_string())?;
    let given_up = outbox::purge_undelivered_before(&state.db, now - Duration::days(UNDELIVERED_KEPT_DAYS))
        .await
        .map_err(|e| e.to_string())?;
    let interests =
        cohorts::purge_interests(&state.db, now - Duration::days(app::domain::cohort::INTEREST_KEPT_DAYS))
            .await
            .map_err(|e| e.to_string())?;
    // Browser sessions, sign-in attempts that no longer count and spent links go too.
    DbSessionStore::new(state.db.clone()).delete_expired(now).await.map_err(|e| e.to_string())?;
    let forget_before = now - app::domain::accounts::failure_window();
    // A count of public writes matters for its window and the next.
    let counted_since =
        now.timestamp().saturating_sub(state.writes.longest_window_seconds().saturating_mul(2));
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                accounts::purge_failures_before(txn, forget_before).await?;
                write_counts::purge_before(txn, counted_since).await?;
                accounts::purge_spent_tokens(txn, now).await
            })
        })
        .await
        .map_err(|e| e.to_string())?;
    let applications = app::server::rounds::purge_expired(state, now).await.map_err(|e| e.to_string())?;
    app::server::db::evaluations::purge_expired_ballots(&state.db, now).await.map_err(|e| e.to_string())?;
    app::server::gratitude::purge_unconfirmed(&state.db, now).await.map_err(|e| e.to_string())?;
    if given_up > 0 {
        tracing::warn!(messages = given_up, "emails undelivered for {UNDELIVERED_KEPT_DAYS} days given up");
    }
    if purged.registrations + cohort_registrations + purged.messages + old_mail + applications + interests > 0
    {
        tracing::info!(
            registrations = purged.registrations,
            cohort_registrations,
            applications,
            interests,
            messages = purged.messages + old_mail,
            "privacy purge"
        );
    }
    Ok(purged.registrations)
}

/// Starts listening for seat changes and writes announced through PostgreSQL (by any
/// instance); `None` on SQLite, where changes never leave this process.
pub async fn listen_for_seat_changes(state: &AppState) -> Result<Option<PgListener>, String> {
    let Some(pool) = state.db.postgres_pool() else { return Ok(None) };
    let mut listener = PgListener::connect_with(pool).await.map_err(|e| e.to_string())?;
    listener.listen_all([CHANNEL, PAGES_CHANNEL]).await.map_err(|e| e.to_string())?;
    Ok(Some(listener))
}

/// Hands every change the listener hears to this instance's open pages, until shutdown.
/// Notifications sent while the listener's connection is down are lost: once it listens
/// again, every open stream is ended, so its page reconnects and reads the counts afresh.
pub async fn relay_seat_changes(
    state: AppState,
    mut listener: PgListener,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let lost = tokio::select! {
            notification = listener.try_recv() => match notification {
                Ok(Some(notification)) if notification.channel() == PAGES_CHANNEL => {
                    state.db.signals().pages.advance();
                    false
                }
                Ok(Some(notification)) => {
                    match serde_json::from_str(notification.payload()) {
                        Ok(update) => state.db.signals().live.publish(&update),
                        Err(err) => tracing::warn!(%err, "unreadable seat change"),
                    }
                    false
                }
                Ok(None) => true,
                Err(err) => {
                    tracing::warn!(%err, "seat change listener");
                    true
                }
            },
            _ = shutdown.changed() => return,
        };
        if lost {
            tracing::warn!("seat change listener lost; listening again");
            drop(listener);
            let Some(again) = listen_until_heard(&state, &mut shutdown).await else { return };
            listener = again;
            // Listening again before the pages read their counts: a change after this is
            // heard, one before it is in the counts they read. Kept pages may predate a write
            // not heard of, too.
            state.db.signals().live.end_all();
            state.db.signals().pages.advance();
        }
    }
}

/// A listener on the seat channel, retried every 2 s until it listens; `None` on SQLite or
/// once the server stops.
async fn listen_until_heard(state: &AppState, shutdown: &mut watch::Receiver<bool>) -> Option<PgListener> {
    loop {
        match listen_for_seat_changes(state).await {
            Ok(listener) => return listener,
            Err(err) => tracing::warn!(%err, "cannot listen for seat changes; retrying"),
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
            _ = shutdown.changed() => return None,
        }
    }
}

async fn listen_and_relay(state: AppState, mut shutdown: watch::Receiver<bool>) {
    if let Some(listener) = listen_until_heard(&state, &mut shutdown).await {
        relay_seat_changes(state, listener, shutdown).await;
    }
}
