//! `GET /live/seats?ids=s1,s2,c3`: a server-sent-events stream of seat counts (of sessions and
//! cohort intakes, named by `Offering::key`). It starts with the current counts of those asked
//! for (so a reconnecting page resynchronises), then sends each change to them as it is
//! committed. When changes may have been missed (this instance's PostgreSQL listener was lost
//! and is back), every stream ends, and pages reconnect to a fresh snapshot. Streams are bounded per client address and
//! in all (`AppState::streams`); past the bound the answer is 503 and the page keeps the
//! counts it was rendered with. A change is encoded once for all streams (`LiveHub::publish`),
//! and a stream holds no timer of its own: the keep-alive comment comes from the hub too.
//!
//! A stream is answered in one of two ways, with the same stream, headers and limits: by the
//! router's route (`seats`) when it is asked for on a connection that carried another request
//! first, or, on a connection of its own, by `answer_directly`, without hyper's buffers (see
//! `crate::connections`).

use crate::security;
use app::model::Offering;
use app::server::db::sessions;
use app::server::live::{KEEP_ALIVE_EVENT, LiveEvent, seat_event};
use app::server::rate_limit::{StreamSlot, client_address};
use app::server::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::collections::HashSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
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
struct Refusal {
    status: StatusCode,
    reason: &'static str,
}

/// The stream `parts` asks for: the current counts, then each change to them.
async fn open(
    state: &AppState,
    parts: &Parts,
) -> Result<impl Stream<Item = Bytes> + Send + 'static, Refusal> {
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
    // Subscribe before reading the counts, so no change falls between the two.
    let changes = state.db.signals().live.subscribe();
    let resynced = state.db.signals().live.resynced();
    let snapshot = match sessions::seat_snapshot(&state.db, &wanted).await {
        Ok(snapshot) => snapshot.iter().flat_map(|update| seat_event(update).to_vec()).collect::<Vec<u8>>(),
        Err(err) => {
            tracing::warn!(%err, "seat snapshot");
            return Err(refused(StatusCode::SERVICE_UNAVAILABLE, "try again"));
        }
    };
    let follower = Follower { changes, wanted: wanted.into_iter().collect(), _slot: slot };
    Ok(stream::iter((!snapshot.is_empty()).then(|| Bytes::from(snapshot)))
        .chain(follower.events())
        .take_until(state.streams.closed())
        .take_until(resynced))
}

/// Answers a stream request on a connection of its own (see `crate::connections`): the same
/// stream and headers as the route, written with chunked coding straight to the socket, and
/// the connection closed when the stream ends.
pub async fn answer_directly(
    state: AppState,
    mut connection: TcpStream,
    peer: SocketAddr,
    request: http::Request<()>,
) {
    let (mut parts, ()) = request.into_parts();
    parts.extensions.insert(ConnectInfo(peer));
    let mut headers = HeaderMap::new();
    let (status, body) = match open(&state, &parts).await {
        Ok(events) => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            headers.insert(header::TRANSFER_ENCODING, HeaderValue::from_static("chunked"));
            (StatusCode::OK, Ok(events))
        }
        Err(Refusal { status, reason }) => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(reason.len()));
            (status, Err(reason))
        }
    };
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    security::add_to_every_response(&mut headers, &state);
    let mut head =
        format!("HTTP/1.1 {} {}\r\n", status.as_str(), status.canonical_reason().unwrap_or("")).into_bytes();
    for (name, value) in &headers {
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    let sent = match body {
        Ok(events) => match write(&mut connection, &head).await {
            Ok(()) => send_chunks(&mut connection, events).await,
            Err(err) => Err(err),
        },
        Err(reason) => write(&mut connection, &[head.as_slice(), reason.as_bytes()].concat()).await,
    };
    if let Err(err) = sent {
        tracing::debug!(%err, "live stream connection");
    }
}

/// Sends each of `events` as a chunk, then the last chunk when they end. Returns early when
/// the client goes away or sends anything more (a page's stream asks nothing after its
/// request), or when a write cannot be made within `WRITE_PATIENCE`.
async fn send_chunks(connection: &mut TcpStream, events: impl Stream<Item = Bytes>) -> std::io::Result<()> {
    let (mut reader, mut writer) = connection.split();
    let mut events = std::pin::pin!(events);
    let mut unexpected = [0u8; 16];
    loop {
        tokio::select! {
            event = events.next() => match event {
                Some(bytes) => {
                    let chunk = [format!("{:x}\r\n", bytes.len()).as_bytes(), &bytes, b"\r\n"].concat();
                    write(&mut writer, &chunk).await?;
                }
                None => return write(&mut writer, b"0\r\n\r\n").await,
            },
            _ = reader.read(&mut unexpected) => return Ok(()),
        }
    }
}

/// How long a write may wait for a client that reads nothing (its socket buffer full).
const WRITE_PATIENCE: Duration = Duration::from_secs(30);

async fn write(writer: &mut (impl AsyncWrite + Unpin), bytes: &[u8]) -> std::io::Result<()> {
    tokio::time::timeout(WRITE_PATIENCE, writer.write_all(bytes))
        .await
        .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
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
