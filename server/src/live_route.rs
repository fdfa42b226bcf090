//! `GET /live/seats?ids=s1,s2,c3`: a server-sent-events stream of seat counts (of sessions and
//! cohort intakes, named by `Offering::key`). It starts with the current counts of those asked
//! for (so a reconnecting page resynchronises), then sends each change to them as it is
//! committed. When changes may have been missed (this instance's PostgreSQL listener was lost
//! and is back), every stream ends, and pages reconnect to a fresh snapshot. Streams are bounded per client address and
//! in all (`AppState::streams`); past the bound the answer is 503 and the page keeps the
//! counts it was rendered with. A change is encoded once for all streams (`LiveHub::publish`),
//! and a stream holds no timer of its own: the keep-alive comment comes from the hub too.

use app::model::Offering;
use app::server::db::sessions;
use app::server::live::{KEEP_ALIVE_EVENT, LiveEvent, seat_event};
use app::server::rate_limit::{StreamSlot, client_address};
use app::server::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::collections::HashSet;
use std::convert::Infallible;
use tokio::sync::broadcast::Receiver;

/// The most offerings one stream follows: a month of the calendar.
const MAX_OFFERINGS: usize = 300;

#[derive(Deserialize)]
pub struct SeatQuery {
    #[serde(default)]
    ids: String,
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
        Ok(snapshot) => snapshot.iter().flat_map(|update| seat_event(update).to_vec()).collect::<Vec<u8>>(),
        Err(err) => {
            tracing::warn!(%err, "seat snapshot");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again").into_response();
        }
    };
    let follower = Follower { changes, wanted: wanted.into_iter().collect(), _slot: slot };
    let events = stream::iter((!snapshot.is_empty()).then(|| Bytes::from(snapshot)))
        .chain(follower.events())
        .take_until(state.streams.closed())
        .take_until(resynced)
        .map(Ok::<_, Infallible>);
    (
        [(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")],
        Body::from_stream(events),
    )
        .into_response()
}

/// One open stream: the hub's events it passes on, and its slot, held until the client goes
/// away (the body is dropped), the stream falls behind and ends, or the server stops.
struct Follower {
    changes: Receiver<LiveEvent>,
    wanted: HashSet<Offering>,
    _slot: StreamSlot,
}

impl Follower {
    /// The bytes to send, as they come. Changes that arrived while the stream waited for its
    /// turn are ready at once, and hyper sends them in one write. A stream that fell too far
    /// behind ends: the browser reconnects and gets a fresh snapshot instead of a gap.
    fn events(self) -> impl Stream<Item = Bytes> + Send {
        stream::unfold(self, |mut follower| async move {
            loop {
                let event = follower.changes.recv().await.ok()?;
                if let Some(bytes) = follower.bytes_of(event) {
                    return Some((bytes, follower));
                }
            }
        })
    }

    /// What this stream sends for `event`: the event's own bytes when it concerns an offering
    /// the page shows, or a keep-alive comment.
    fn bytes_of(&self, event: LiveEvent) -> Option<Bytes> {
        match event {
            LiveEvent::Seats { offering, event } => self.wanted.contains(&offering).then_some(event),
            LiveEvent::KeepAlive => Some(Bytes::from_static(KEEP_ALIVE_EVENT)),
        }
    }
}
