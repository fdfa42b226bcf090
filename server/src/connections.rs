//! The connections the server accepts, sorted by their first request. A connection that opens
//! with a live seat stream (`GET /live/seats…`, the request a page's `EventSource` makes on a
//! connection of its own) is answered beside the router, by `crate::live_direct`; every other
//! connection, and a stream request this module does not fully understand, goes to hyper and
//! the router with the bytes already read put back in front.
//!
//! Why: an open stream is a connection that stays for as long as its page does, and hyper
//! keeps an 8 KiB read buffer and an 8 KiB write buffer for each connection it serves (its
//! minimum). With 10,000 pages open that alone was 160 MiB; answered here a stream holds its
//! socket, its subscription and a few hundred bytes of state. A stream asked for on a
//! connection that already carried another request is still answered, by the router's route.

use app::server::state::AppState;
use axum::body::Bytes;
use axum::serve::{ListenerExt, TapIo};
use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The beginning of every request this module answers itself; `?` or a space follows it.
const LIVE_REQUEST_LINE: &[u8] = b"GET /live/seats";
/// The longest stream request head read here; a longer one goes to hyper, which refuses it.
const MAX_HEAD_BYTES: usize = 8 * 1024;
/// How much is read at a time while the request line is sorted.
const READ_STEP: usize = 1024;

/// The server's listener, as `axum::serve` takes it: every connection without write delay,
/// those whose first request is a live stream answered here, the others handed on.
///
/// (axum gives the router each client's address, `ConnectInfo<SocketAddr>`, for its own
/// listener types and for any listener wrapped by `tap_io`, which is how the delay is lifted.)
pub fn listen(tcp: TcpListener, state: AppState) -> TapIo<Incoming, fn(&mut ForRouter)> {
    fn for_router(connection: &mut ForRouter) {
        without_write_delay(&connection.connection);
    }
    Incoming { tcp, state, sorting: FuturesUnordered::new() }.tap_io(for_router as fn(&mut ForRouter))
}

/// `TCP_NODELAY`: a small write (a seat change on an open stream) leaves at once, instead of
/// waiting, under Nagle's algorithm, for the peer to acknowledge the one before it, which the
/// peer may delay by 40 ms.
fn without_write_delay(connection: &TcpStream) {
    if let Err(err) = connection.set_nodelay(true) {
        tracing::debug!(%err, "TCP_NODELAY");
    }
}

/// See [`listen`].
pub struct Incoming {
    tcp: TcpListener,
    state: AppState,
    /// Connections whose first bytes are still on their way.
    sorting: FuturesUnordered<BoxFuture<'static, Sorted>>,
}

/// A new connection, once its first bytes said what it is for.
enum Sorted {
    ForRouter(ForRouter, SocketAddr),
    LiveStream(TcpStream, SocketAddr, Box<http::Request<()>>),
    /// Closed before it asked anything.
    Closed,
}

impl axum::serve::Listener for Incoming {
    type Io = ForRouter;
    type Addr = SocketAddr;

    /// Accepts connections and sorts them as their first bytes arrive, until one is for the
    /// router. Sorting happens while axum waits here, which is all the time it is not
    /// starting a connection; when the server stops accepting, connections not yet sorted
    /// (nothing asked on them) close with the listener.
    async fn accept(&mut self) -> (ForRouter, SocketAddr) {
        loop {
            tokio::select! {
                (connection, peer) = axum::serve::Listener::accept(&mut self.tcp) => {
                    self.sorting.push(Box::pin(sort(connection, peer)));
                }
                Some(sorted) = self.sorting.next(), if !self.sorting.is_empty() => match sorted {
                    Sorted::ForRouter(connection, peer) => return (connection, peer),
                    Sorted::LiveStream(connection, peer, request) => {
                        without_write_delay(&connection);
                        tokio::spawn(crate::live_direct::answer(self.state.clone(), connection, peer, *request));
                    }
                    Sorted::Closed => {}
                },
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// Reads the start of the connection's first request, until it shows whether this module
/// answers it (a live stream request, whole) or the router does (anything else).
async fn sort(mut connection: TcpStream, peer: SocketAddr) -> Sorted {
    let mut read = Vec::with_capacity(READ_STEP);
    loop {
        if read.len() == read.capacity() {
            read.reserve(READ_STEP);
        }
        match connection.read_buf(&mut read).await {
            Ok(0) | Err(_) => return Sorted::Closed,
            Ok(_) => {}
        }
        match examine(&read) {
            Examined::ForRouter => break,
            Examined::Incomplete if read.len() < MAX_HEAD_BYTES => continue,
            Examined::Incomplete => break,
            Examined::LiveStream(request) => return Sorted::LiveStream(connection, peer, request),
        }
    }
    Sorted::ForRouter(ForRouter { already_read: Bytes::from(read), connection }, peer)
}

/// What the bytes read so far on a connection say.
#[derive(Debug)]
enum Examined {
    /// Not a live stream request this module answers: the router's.
    ForRouter,
    /// Maybe one; more bytes are needed to tell.
    Incomplete,
    /// A complete, well-formed HTTP/1.1 stream request with no body.
    LiveStream(Box<http::Request<()>>),
}

fn examine(read: &[u8]) -> Examined {
    let known = read.len().min(LIVE_REQUEST_LINE.len());
    if read[..known] != LIVE_REQUEST_LINE[..known] {
        return Examined::ForRouter;
    }
    match read.get(LIVE_REQUEST_LINE.len()) {
        None => return Examined::Incomplete,
        Some(b'?' | b' ') => {}
        Some(_) => return Examined::ForRouter,
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(read) {
        Ok(httparse::Status::Partial) => Examined::Incomplete,
        Ok(httparse::Status::Complete(head_length)) if head_length == read.len() => live_request(&parsed)
            .map_or(Examined::ForRouter, |request| Examined::LiveStream(Box::new(request))),
        // Bytes after the head (a body, or a pipelined request), too many headers, or a
        // malformed head: hyper answers those as it answers any request.
        _ => Examined::ForRouter,
    }
}

/// The parsed head as a request, if it is one answered here: HTTP/1.1 (so the answer can be
/// chunked), with no body and no upgrade asked for.
fn live_request(parsed: &httparse::Request) -> Option<http::Request<()>> {
    if parsed.version != Some(1) {
        return None;
    }
    let mut request = http::Request::builder().method(http::Method::GET).uri(parsed.path?);
    for header in parsed.headers.iter() {
        let name = header.name.to_ascii_lowercase();
        if matches!(name.as_str(), "content-length" | "transfer-encoding" | "upgrade" | "expect") {
            return None;
        }
        request = request.header(header.name, header.value);
    }
    request.body(()).ok()
}

/// A connection for the router: the bytes this module read from it, then the rest.
pub struct ForRouter {
    already_read: Bytes,
    connection: TcpStream,
}

impl AsyncRead for ForRouter {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.already_read.is_empty() {
            return Pin::new(&mut self.connection).poll_read(cx, buf);
        }
        let length = self.already_read.len().min(buf.remaining());
        buf.put_slice(&self.already_read.split_to(length));
        if self.already_read.is_empty() {
            // Release the buffer rather than keep it for the connection's life.
            self.already_read = Bytes::new();
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ForRouter {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.connection).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.connection).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.connection.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.connection).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.connection).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::{Examined, examine};

    fn sorted(request: &str) -> Examined {
        examine(request.as_bytes())
    }

    #[test]
    fn a_whole_stream_request_is_answered_here() {
        let Examined::LiveStream(request) =
            sorted("GET /live/seats?ids=s1,c2 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2.1\r\n\r\n")
        else {
            panic!("a stream request");
        };
        assert_eq!(request.uri().query(), Some("ids=s1,c2"));
        assert_eq!(request.headers()["x-forwarded-for"], "192.0.2.1");
    }

    #[test]
    fn other_requests_go_to_the_router_as_soon_as_it_shows() {
        assert!(matches!(sorted("GET /en HTTP/1.1\r\n\r\n"), Examined::ForRouter));
        assert!(matches!(sorted("POST /live/seats HTTP/1.1\r\n"), Examined::ForRouter));
        assert!(matches!(sorted("GET /live/seatsX HTTP/1.1\r\n\r\n"), Examined::ForRouter));
        assert!(matches!(sorted("P"), Examined::ForRouter));
    }

    #[test]
    fn a_stream_request_not_yet_whole_waits_for_more() {
        assert!(matches!(sorted("GET /li"), Examined::Incomplete));
        assert!(matches!(sorted("GET /live/seats"), Examined::Incomplete));
        assert!(matches!(sorted("GET /live/seats?ids=1 HTTP/1.1\r\nHost: x\r\n"), Examined::Incomplete));
    }

    #[test]
    fn unusual_stream_requests_go_to_the_router() {
        for request in [
            "GET /live/seats?ids=1 HTTP/1.0\r\n\r\n",
            "GET /live/seats?ids=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
            "GET /live/seats?ids=1 HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
            "GET /live/seats?ids=1 HTTP/1.1\r\n\r\nGET /en HTTP/1.1\r\n\r\n",
            "GET /live/seats?ids=1 HTTP/1.1\r\nBad Header\r\n\r\n",
        ] {
            assert!(matches!(sorted(request), Examined::ForRouter), "{request:?}");
        }
    }
}
