//! Streams answered beside the router, on connections of their own (see `crate::connections`):
//! the stream the route answers (`live_route::open`: same events, limits and headers), written
//! with chunked coding straight to the socket by the connection's one task, and the
//! connection closed when the stream ends.

use crate::live_route::{self, Refusal};
use crate::security;
use app::server::state::AppState;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use futures::stream::{Stream, StreamExt};
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::task::Poll;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a write may wait for a client that reads nothing (its socket buffer full).
const WRITE_PATIENCE: Duration = Duration::from_secs(30);

/// Answers the stream `request` asks for on `connection`, from `peer`.
pub async fn answer(
    state: AppState,
    mut connection: TcpStream,
    peer: SocketAddr,
    request: http::Request<()>,
) {
    let (mut parts, ()) = request.into_parts();
    parts.extensions.insert(ConnectInfo(peer));
    let sent = match live_route::open(&state, &parts).await {
        Ok(events) => {
            let opening = head(
                &state,
                StatusCode::OK,
                &[
                    (header::CONTENT_TYPE, "text/event-stream"),
                    (header::CACHE_CONTROL, "no-cache"),
                    (header::TRANSFER_ENCODING, "chunked"),
                ],
            );
            match write(&mut connection, &opening).await {
                Ok(()) => send_chunks(&mut connection, events).await,
                Err(err) => Err(err),
            }
        }
        Err(refusal) => write(&mut connection, &refusal_bytes(&state, refusal)).await,
    };
    if let Err(err) = sent {
        tracing::debug!(%err, "live stream connection");
    }
}

/// Sends each of `events` as a chunk, then the last chunk when they end. Returns early when
/// the client goes away or sends anything more (a page's stream asks nothing after its
/// request), or when a write cannot be made within `WRITE_PATIENCE`.
async fn send_chunks(connection: &mut TcpStream, events: impl Stream<Item = Bytes>) -> io::Result<()> {
    let (mut reader, mut writer) = connection.split();
    let mut events = std::pin::pin!(events);
    let mut unexpected = [0u8; 16];
    loop {
        tokio::select! {
            // Events first: a wake is nearly always one, and a fixed order needs no random draw.
            biased;
            event = events.next() => match event {
                Some(bytes) => write_chunk(&mut writer, &bytes).await?,
                None => return write(&mut writer, b"0\r\n\r\n").await,
            },
            _ = reader.read(&mut unexpected) => return Ok(()),
        }
    }
}

/// `bytes` as one chunk (size line, data, line end), in one system call when the socket takes
/// it all, as it does unless the client stopped reading.
async fn write_chunk(writer: &mut (impl AsyncWrite + Unpin), bytes: &[u8]) -> io::Result<()> {
    let size_line = SizeLine::of(bytes.len());
    let mut parts = [IoSlice::new(size_line.as_bytes()), IoSlice::new(bytes), IoSlice::new(b"\r\n")];
    let mut unsent = &mut parts[..];
    while !unsent.is_empty() {
        let written = patiently(WRITE_PATIENCE, writer.write_vectored(unsent)).await?;
        if written == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        IoSlice::advance_slices(&mut unsent, written);
    }
    Ok(())
}

async fn write(writer: &mut (impl AsyncWrite + Unpin), bytes: &[u8]) -> io::Result<()> {
    patiently(WRITE_PATIENCE, writer.write_all(bytes)).await
}

/// `write`, given `patience` once it has to wait. A write the socket takes at once, as it
/// takes nearly every one, arms no timer: arming one reads the clock and the runtime's shared
/// handle, at every change, for each of thousands of streams.
async fn patiently<T>(patience: Duration, write: impl Future<Output = io::Result<T>>) -> io::Result<T> {
    let mut write = std::pin::pin!(write);
    if let Poll::Ready(done) = futures::poll!(write.as_mut()) {
        return done;
    }
    tokio::time::timeout(patience, write).await.unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
}

/// A chunk's size line, in hexadecimal, written in place.
struct SizeLine {
    bytes: [u8; 18],
    length: usize,
}

impl SizeLine {
    fn of(size: usize) -> SizeLine {
        let mut bytes = [0u8; 18];
        let room = bytes.len();
        let mut unwritten = &mut bytes[..];
        // Sixteen digits and the line end always fit.
        let _ = io::Write::write_fmt(&mut unwritten, format_args!("{size:x}\r\n"));
        let length = room - unwritten.len();
        SizeLine { bytes, length }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }
}

fn refusal_bytes(state: &AppState, Refusal { status, reason }: Refusal) -> Vec<u8> {
    let length = reason.len().to_string();
    let mut bytes = head(
        state,
        status,
        &[(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CONTENT_LENGTH, &length)],
    );
    bytes.extend_from_slice(reason.as_bytes());
    bytes
}

/// A response head with `own` headers, `Connection: close`, and the headers every response
/// of this server carries.
fn head(state: &AppState, status: StatusCode, own: &[(header::HeaderName, &str)]) -> Vec<u8> {
    let mut headers = HeaderMap::new();
    for (name, value) in own {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name.clone(), value);
        }
    }
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    security::add_to_every_response(&mut headers, state);
    let mut head =
        format!("HTTP/1.1 {} {}\r\n", status.as_str(), status.canonical_reason().unwrap_or("")).into_bytes();
    for (name, value) in &headers {
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

#[cfg(test)]
mod tests {
    use super::{SizeLine, patiently, write_chunk};
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A socket that takes at most three bytes per write, as a full one may.
    struct Trickle(Vec<u8>);

    impl tokio::io::AsyncWrite for Trickle {
        fn poll_write(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            let taken = buf.len().min(3);
            self.0.extend_from_slice(&buf[..taken]);
            Poll::Ready(Ok(taken))
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn a_chunk_is_whole_however_the_socket_takes_it() {
        let mut socket = Trickle(Vec::new());
        let event = "data: {\"seats_taken\":12}\n\n".repeat(2);
        write_chunk(&mut socket, event.as_bytes()).await.unwrap();
        assert_eq!(String::from_utf8(socket.0).unwrap(), format!("34\r\n{event}\r\n"));
    }

    #[tokio::test]
    async fn a_write_that_cannot_be_made_gives_up_after_the_patience() {
        let patience = std::time::Duration::from_millis(20);
        let stuck = patiently(patience, std::future::pending::<std::io::Result<()>>()).await;
        assert_eq!(stuck.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
        let made = patiently(patience, async { Ok(7) }).await;
        assert_eq!(made.unwrap(), 7, "a write made at once is its result");
    }

    #[test]
    fn a_size_line_is_hexadecimal_with_its_line_end() {
        assert_eq!(SizeLine::of(0).as_bytes(), b"0\r\n");
        assert_eq!(SizeLine::of(0x34).as_bytes(), b"34\r\n");
        assert_eq!(SizeLine::of(usize::MAX).as_bytes(), b"ffffffffffffffff\r\n");
    }
}
