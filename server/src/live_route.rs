//! `GET /live/seats?ids=s1,s2,c3`: a server-sent-events stream of seat counts (of sessions and
//! cohort intakes, named by `Offering::key`). It starts with the current counts of those asked
//! for (so a reconnecting page resynchronises), then sends each change to them as it is
//! committed. When changes may have been missed (this instance's PostgreSQL listener was lost
//! and is back), or the server is stopping, every stream ends (`LiveEvent::End`), and pages
//! reconnect to a fresh snapshot. Streams are bounded per client address and
//! in all (`AppState::streams`); past the bound the answer is 503 and the page keeps the
//! counts it was rendered with. A change is encoded once for all streams (`LiveHub::publish`),
//! and a stream holds no timer of its own: the keep-alive comment comes from the hub too.
//!
//! A stream is answered in one of two ways, with the same events, headers and limits (`admit`,
//! `snapshot`): by this route, when it is asked for on a connection that carried another
//! request first, or on a connection of its own by `crate::live_direct`, without hyper's
//! buffers (see `crate::connections`).

use app::model::Offering;
use app::server::db::sessions;
use app::server::live::{KEEP_ALIVE_EVENT, LiveEvent, seat_event};
use app::server::rate_limit::{StreamSlot, client_address};
use app::server::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use tokio::sync::broadcast::Receiver;

/// The most offerings one stream follows: a month of the calendar.
const MAX_OFFERINGS: usize = 300;

#[derive(Deserialize)]
pub struct SeatQuery {
    #[serde(default)]
    ids: String,
}

pub async fn seats(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    match open(&state, &parts).await {
        Ok(events) => (
            [(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")],
            Body::from_stream(events.map(Ok::<_, Infallible>)),
        )
            .into_response(),
        Err(Refusal { status, reason }) => (status, reason).into_response(),
    }
}

/// Why a stream was not opened.
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub reason: &'static str,
}

/// The stream `parts` asks for: the current counts, then each change to them.
pub(crate) async fn open(
    state: &AppState,
    parts: &Parts,
) -> Result<impl Stream<Item = Bytes> + Send + 'static, Refusal> {
    let (wanted, slot) = admit(state, parts)?;
    // Subscribe before reading the counts, so no change falls between the two.
    let changes = state.db.signals().live.subscribe();
    if state.streams.closing() {
        // Stopping began after this stream was admitted; its end may have gone out before
        // the subscription (`AppState::stop_streams`).
        return Err(Refusal { status: StatusCode::SERVICE_UNAVAILABLE, reason: "stopping" });
    }
    let snapshot = snapshot(state, &wanted).await?;
    let follower = Follower { changes, wanted: Wanted::new(wanted), _slot: slot };
    Ok(stream::iter((!snapshot.is_empty()).then(|| Bytes::from(snapshot))).chain(follower.events()))
}

/// The offerings `parts` asks for, and a slot for the stream within the bounds.
fn admit(state: &AppState, parts: &Parts) -> Result<(Vec<Offering>, StreamSlot), Refusal> {
    let refused = |status, reason| Refusal { status, reason };
    let Ok(Query(query)) = Query::<SeatQuery>::try_from_uri(&parts.uri) else {
        return Err(refused(StatusCode::BAD_REQUEST, "unreadable query"));
    };
    let wanted: Vec<Offering> =
        query.ids.split(',').filter_map(Offering::from_key).take(MAX_OFFERINGS + 1).collect();
    if wanted.len() > MAX_OFFERINGS {
        return Err(refused(StatusCode::BAD_REQUEST, "too many offerings"));
    }
    let Some(slot) = state.streams.take(client_address(parts, &state.settings.trusted_proxies)) else {
        return Err(refused(StatusCode::SERVICE_UNAVAILABLE, "too many open streams"));
    };
    Ok((wanted, slot))
}

/// The current counts of `wanted`, as the events a stream starts with.
async fn snapshot(state: &AppState, wanted: &[Offering]) -> Result<Vec<u8>, Refusal> {
    match sessions::seat_snapshot(&state.db, wanted).await {
        Ok(snapshot) => Ok(snapshot.iter().flat_map(|update| seat_event(update).to_vec()).collect()),
        Err(err) => {
            tracing::warn!(%err, "seat snapshot");
            Err(Refusal { status: StatusCode::SERVICE_UNAVAILABLE, reason: "try again" })
        }
    }
}

/// One open stream: the hub's events it passes on, and its slot, held until the client goes
/// away (the body is dropped), the stream falls behind and ends, or the server stops.
struct Follower {
    changes: Receiver<LiveEvent>,
    wanted: Wanted,
    _slot: StreamSlot,
}

impl Follower {
    /// The bytes to send, as they come, until the hub ends every stream. Changes that arrived
    /// while the stream waited for its turn are ready at once, and hyper sends them in one
    /// write. A stream that fell too far behind ends: the browser reconnects and gets a fresh
    /// snapshot instead of a gap.
    fn events(self) -> impl Stream<Item = Bytes> + Send {
        stream::unfold(self, |mut follower| async move {
            loop {
                let event = follower.changes.recv().await.ok()?;
                match follower.heard(event) {
                    Heard::Send(bytes) => return Some((bytes, follower)),
                    Heard::Nothing => {}
                    Heard::End => return None,
                }
            }
        })
    }

    /// What this stream does with `event`: sends the event's own bytes when it concerns an
    /// offering the page shows, or a keep-alive comment, or ends.
    fn heard(&self, event: LiveEvent) -> Heard {
        match event {
            LiveEvent::Seats { offering, event } if self.wanted.contains(offering) => Heard::Send(event),
            LiveEvent::Seats { .. } => Heard::Nothing,
            LiveEvent::KeepAlive => Heard::Send(Bytes::from_static(KEEP_ALIVE_EVENT)),
            LiveEvent::End => Heard::End,
        }
    }
}

enum Heard {
    Send(Bytes),
    Nothing,
    End,
}

/// The offerings one stream follows, sorted: a page's one session, or a calendar month's few
/// hundred at most, looked up in place at every change.
struct Wanted(Box<[Offering]>);

impl Wanted {
    fn new(mut offerings: Vec<Offering>) -> Wanted {
        offerings.sort_unstable();
        offerings.dedup();
        Wanted(offerings.into_boxed_slice())
    }

    fn contains(&self, offering: Offering) -> bool {
        self.0.binary_search(&offering).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Wanted;
    use app::model::Offering;

    #[test]
    fn a_stream_follows_exactly_the_offerings_it_asked_for() {
        let wanted = Wanted::new(vec![
            Offering::Intake(3),
            Offering::Session(9),
            Offering::Session(2),
            Offering::Session(9),
        ]);
        for offering in [Offering::Session(2), Offering::Session(9), Offering::Intake(3)] {
            assert!(wanted.contains(offering), "{offering:?}");
        }
        for offering in [Offering::Session(3), Offering::Intake(9), Offering::Intake(2)] {
            assert!(!wanted.contains(offering), "{offering:?}");
        }
    }
}
