//! `GET /live/seats?ids=s1,s2,c3`: a server-sent-events stream of seat counts (of sessions and
//! cohort intakes, named by `Offering::key`). It starts with the current counts of those asked
//! for (so a reconnecting page resynchronises), then sends each change to them as it is
//! committed. When changes may have been missed (this instance's PostgreSQL listener was lost
//! and is back), every stream ends, and pages reconnect to a fresh snapshot. Streams are bounded per client address and
//! in all (`AppState::streams`); past the bound the answer is 503 and the page keeps the
//! counts it was rendered with.

use app::model::{Offering, SeatUpdate};
use app::server::db::sessions;
use app::server::rate_limit::{StreamSlot, client_address};
use app::server::state::AppState;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::collections::HashSet;
use std::convert::Infallible;
use tokio_stream::wrappers::BroadcastStream;

/// The most offerings one stream follows: a month of the calendar.
const MAX_OFFERINGS: usize = 300;
/// How soon a browser reconnects after the stream drops.
const RETRY: std::time::Duration = std::time::Duration::from_secs(1);

#[derive(Deserialize)]
pub struct SeatQuery {
    #[serde(default)]
    ids: String,
}

fn event(update: &SeatUpdate) -> Event {
    Event::default().retry(RETRY).data(serde_json::to_string(update).expect("seat updates serialise"))
}

pub async fn seats(
    State(state): State<AppState>,
    Query(query): Query<SeatQuery>,
    request: Request,
) -> Response {
    let wanted: Vec<Offering> =
        query.ids.split(',').filter_map(Offering::from_key).take(MAX_OFFERINGS + 1).collect();
    if wanted.len() > MAX_OFFERINGS {
        return (StatusCode::BAD_REQUEST, "too many offerings").into_response();
    }
    let (parts, _) = request.into_parts();
    let Some(slot) = state.streams.take(client_address(&parts, &state.settings.trusted_proxies)) else {
        return (StatusCode::SERVICE_UNAVAILABLE, "too many open streams").into_response();
    };
    // Subscribe before reading the counts, so no change falls between the two.
    let changes = state.db.signals().live.subscribe();
    let resynced = state.db.signals().live.resynced();
    let snapshot = match sessions::seat_snapshot(&state.db, &wanted).await {
        Ok(snapshot) => snapshot,
        Err(err) => {
            tracing::warn!(%err, "seat snapshot");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again").into_response();
        }
    };
    let closed = state.streams.closed();
    Sse::new(
        stream_of(snapshot, wanted.into_iter().collect(), changes, slot)
            .take_until(closed)
            .take_until(resynced),
    )
    .keep_alive(KeepAlive::default())
    .into_response()
}

/// The events of one stream; it holds `slot` until the client goes away (axum drops the
/// stream), it falls behind and ends, or the server stops.
fn stream_of(
    snapshot: Vec<SeatUpdate>,
    wanted: HashSet<Offering>,
    changes: tokio::sync::broadcast::Receiver<SeatUpdate>,
    slot: StreamSlot,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let first = stream::iter(snapshot.iter().map(event).collect::<Vec<_>>());
    // A subscriber that fell behind ends its stream; the browser reconnects and gets a fresh
    // snapshot instead of a gap.
    let live = BroadcastStream::new(changes)
        .take_while(|change| std::future::ready(change.is_ok()))
        .filter_map(move |change| {
            let _held = &slot;
            let relevant = change.ok().filter(|update| wanted.contains(&update.offering));
            std::future::ready(relevant.map(|update| event(&update)))
        });
    first.chain(live).map(Ok)
}
