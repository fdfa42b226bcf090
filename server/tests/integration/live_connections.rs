//! Live seat streams over real connections, served as `main` serves them
//! (`server::connections::listen`): a stream asked for on a connection of its own is answered
//! beside the router; one asked for on a connection that carried another request first, by the
//! router. Both hear the same changes, under the same limits and headers, and both end cleanly
//! when the server stops.

use crate::common::{SessionSeed, TestApp, spawn, spawn_with};
use app::server::rate_limit::StreamLimits;
use chrono::{Duration, Utc};
use std::future::IntoFuture;
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

async fn serve(app: &TestApp) -> SocketAddr {
    let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let service = app.router.clone().into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(axum::serve(server::connections::listen(tcp, app.state.clone()), service).into_future());
    addr
}

async fn session(app: &TestApp, title: &str) -> i32 {
    let ids = app.seed_format(&format!("format-{title}")).await;
    app.seed_session(ids, SessionSeed::at(title, Utc::now() + Duration::days(3))).await
}

/// One HTTP/1.1 connection, read as a client reads it.
struct Connection {
    reader: BufReader<TcpStream>,
}

/// A response's status and headers (names in lower case).
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, value)| value.as_str())
    }
}

impl Connection {
    async fn open(addr: SocketAddr) -> Connection {
        Connection { reader: BufReader::new(TcpStream::connect(addr).await.unwrap()) }
    }

    /// Sends a GET with `extra` header lines and reads the head of the answer.
    async fn get(&mut self, path: &str, extra: &str) -> Head {
        let request = format!("GET {path} HTTP/1.1\r\nHost: rounds.test\r\n{extra}\r\n");
        self.reader.get_mut().write_all(request.as_bytes()).await.unwrap();
        let mut status_line = String::new();
        tokio::time::timeout(PATIENCE, self.reader.read_line(&mut status_line)).await.unwrap().unwrap();
        let status = status_line.split(' ').nth(1).and_then(|code| code.parse().ok()).expect(&status_line);
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.unwrap();
            let Some((name, value)) = line.trim_end().split_once(':') else { break };
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
        Head { status, headers }
    }

    /// The body of an answer with a length.
    async fn body(&mut self, head: &Head) -> String {
        let length: usize = head.header("content-length").expect("a length").parse().unwrap();
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await.unwrap();
        String::from_utf8(body).unwrap()
    }

    /// The next chunk of a chunked body, or `None` at its last (empty) chunk.
    async fn next_chunk(&mut self) -> Option<String> {
        let mut size_line = String::new();
        tokio::time::timeout(PATIENCE, self.reader.read_line(&mut size_line))
            .await
            .expect("a chunk within 5 s")
            .unwrap();
        let size = usize::from_str_radix(size_line.trim(), 16).expect(&size_line);
        let mut chunk = vec![0; size + 2];
        self.reader.read_exact(&mut chunk).await.unwrap();
        assert!(chunk.ends_with(b"\r\n"));
        (size > 0).then(|| String::from_utf8(chunk[..size].to_vec()).unwrap())
    }

    /// Whether the server closes the connection within 5 s.
    async fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        tokio::time::timeout(PATIENCE, self.reader.read_to_end(&mut rest))
            .await
            .is_ok_and(|read| read.is_ok())
    }
}

#[tokio::test]
async fn a_stream_on_its_own_connection_and_one_after_another_request_hear_the_same_changes() {
    let app = spawn().await;
    let addr = serve(&app).await;
    let id = session(&app, "watched").await;
    let path = format!("/live/seats?ids=s{id}");

    let mut own = Connection::open(addr).await;
    let head = own.get(&path, "Accept: text/event-stream\r\n").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/event-stream"));
    assert_eq!(head.header("cache-control"), Some("no-cache"));
    assert_eq!(head.header("connection"), Some("close"), "answered beside the router");
    assert!(
        head.header("content-security-policy").is_some_and(|policy| policy.contains("default-src 'self'"))
    );
    assert_eq!(head.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(head.header("x-frame-options"), Some("DENY"));

    let mut shared = Connection::open(addr).await;
    let health = shared.get("/healthz", "").await;
    assert_eq!(health.status, 200);
    shared.body(&health).await;
    let head = shared.get(&path, "Accept: text/event-stream\r\n").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/event-stream"));
    assert_eq!(head.header("connection"), None, "answered by the router, on a connection kept alive");

    for stream in [&mut own, &mut shared] {
        let snapshot = stream.next_chunk().await.unwrap();
        assert!(snapshot.contains(&format!(r#""offering":{{"Session":{id}}}"#)), "{snapshot}");
        assert!(snapshot.contains(r#""seats_taken":0"#), "{snapshot}");
    }
    app.register(id, "ada@example.ca").await;
    for stream in [&mut own, &mut shared] {
        let change = stream.next_chunk().await.unwrap();
        assert!(change.contains(r#""seats_taken":1"#), "{change}");
    }
    app.state.db.signals().live.keep_alive();
    assert_eq!(own.next_chunk().await.as_deref(), Some(":\n\n"));
}

#[tokio::test]
async fn streams_answered_beside_the_router_keep_the_limits_and_free_their_place() {
    let app = spawn_with(|config| {
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        config.stream_limits = StreamLimits { per_address: 2, total: 100 };
    })
    .await;
    let addr = serve(&app).await;
    let id = session(&app, "limited").await;
    let path = format!("/live/seats?ids=s{id}");
    let from = |client: &str| format!("X-Forwarded-For: {client}\r\n");

    let mut open = Vec::new();
    for _ in 0..2 {
        let mut connection = Connection::open(addr).await;
        assert_eq!(connection.get(&path, &from("192.0.2.1")).await.status, 200);
        open.push(connection);
    }
    let mut refused = Connection::open(addr).await;
    let head = refused.get(&path, &from("192.0.2.1")).await;
    assert_eq!(head.status, 503, "the client behind the trusted proxy has its two");
    assert_eq!(refused.body(&head).await, "too many open streams");
    assert!(refused.closed().await);
    let mut other = Connection::open(addr).await;
    assert_eq!(other.get(&path, &from("192.0.2.2")).await.status, 200, "another client");
    assert_eq!(app.state.streams.open(), 3);

    // A page that goes away gives its place back, without waiting for a write to fail.
    drop(open.pop());
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while app.state.streams.open() > 2 {
        assert!(tokio::time::Instant::now() < deadline, "the closed stream still holds its place");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut again = Connection::open(addr).await;
    assert_eq!(again.get(&path, &from("192.0.2.1")).await.status, 200);

    // Too many offerings, or a query that cannot be read: refused as the router refuses them.
    let too_many = (0..301).map(|n| format!("s{n}")).collect::<Vec<_>>().join(",");
    let mut connection = Connection::open(addr).await;
    assert_eq!(connection.get(&format!("/live/seats?ids={too_many}"), "").await.status, 400);
}

/// A stream on a connection of its own and one the router answers, each past its snapshot.
async fn two_streams(addr: SocketAddr, id: i32) -> [Connection; 2] {
    let path = format!("/live/seats?ids=s{id}");
    let mut own = Connection::open(addr).await;
    assert_eq!(own.get(&path, "").await.status, 200);
    let mut shared = Connection::open(addr).await;
    let health = shared.get("/healthz", "").await;
    shared.body(&health).await;
    assert_eq!(shared.get(&path, "").await.status, 200);
    for stream in [&mut own, &mut shared] {
        assert!(stream.next_chunk().await.is_some(), "the snapshot");
    }
    [own, shared]
}

/// Waits until no stream is open, then reads each of `streams` to its end: each sent its last
/// chunk before its place was freed, rather than having its connection cut.
async fn every_stream_ended(app: &TestApp, streams: &mut [Connection]) {
    tokio::time::timeout(PATIENCE, app.state.streams.none_open()).await.expect("every stream ended");
    for stream in streams {
        assert_eq!(stream.next_chunk().await, None, "the last chunk, not a cut connection");
    }
}

#[tokio::test]
async fn stopping_ends_each_stream_with_its_last_chunk_before_none_is_open() {
    let app = spawn().await;
    let addr = serve(&app).await;
    let id = session(&app, "stopping").await;
    let mut streams = two_streams(addr, id).await;
    assert_eq!(app.state.streams.open(), 2);

    app.state.stop_streams();
    every_stream_ended(&app, &mut streams).await;
    assert!(streams[0].closed().await);
    let mut late = Connection::open(addr).await;
    assert_eq!(late.get(&format!("/live/seats?ids=s{id}"), "").await.status, 503, "no stream once stopping");
}

#[tokio::test]
async fn when_changes_may_have_been_missed_every_stream_ends_and_pages_reconnect_to_a_fresh_count() {
    let app = spawn().await;
    let addr = serve(&app).await;
    let id = session(&app, "resynced").await;
    let mut streams = two_streams(addr, id).await;

    app.state.db.signals().live.end_all();
    every_stream_ended(&app, &mut streams).await;

    let [mut again, _] = two_streams(addr, id).await;
    app.register(id, "grace@example.ca").await;
    let change = again.next_chunk().await.unwrap();
    assert!(change.contains(r#""seats_taken":1"#), "a new stream hears the changes: {change}");
}
