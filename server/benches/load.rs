//! Load benchmark: `cargo bench -p server --bench load` (a release build, on an SQLite file).
//! With `BENCH_POSTGRES_URL` (a server's admin URL, e.g. `postgres://rounds@127.0.0.1:55433/postgres`)
//! it runs on a new PostgreSQL database instead, as `BENCH_INSTANCES` instances (1 or more), each
//! with its own pools, listener and port; the clients are spread over them.
//!
//! 1. Confirmed registrations per second through the real `register` server-function endpoint,
//!    over HTTP on loopback, from 32 keep-alive connections, until every seat of 200 sessions
//!    (30 each) is taken.
//! 2. Pages per second: the calendar and a session's page under `wrk` (32 connections, brotli,
//!    10 s each), when `wrk` is installed (`apt install wrk`); skipped otherwise.
//! 3. Live counts: 10,000 clients hold the `/live/seats` event stream open on one session; each
//!    of 100 registrations is timed from its commit to its seat count reaching each client
//!    (p50/p99 over all deliveries). The clients run in a second process (this benchmark run
//!    again with `BENCH_STREAM_CLIENTS` set), so the server's resident memory is measured
//!    alone: before the streams open and with all of them open. That process is one event loop
//!    per core over non-blocking sockets (mio), like `wrk`: what it spends is taken from the
//!    server, where a browser's work would be on its own machine.
//!
//! 4. First visit of the calendar: `/en` on an instance of its own with the demo data, then the
//!    stylesheet, and the script and wasm of the build it loads (the light one, as it holds no
//!    form), all asked for with `Accept-Encoding: br`; the
//!    bytes on the wire (heads and bodies) are added up. It needs the built site (`target/site`
//!    and the `hash.txt` the site build leaves in `target/release`) and is skipped without it.
//!
//! Each figure is printed next to its target. Server and clients share this machine's cores,
//! so the figures include the clients' own work. `BENCH_SESSIONS`, `BENCH_CONNECTIONS`,
//! `BENCH_LISTENERS`, `BENCH_PUSHES` and `BENCH_PUSH_INTERVAL_MS` change the sizes. Each
//! process holds one descriptor per stream: `ulimit -n` must exceed `BENCH_LISTENERS` by a few
//! hundred.

mod common;

use app::domain::session::{Audience, SessionLanguage};
use app::model::{Acknowledged, Bilingual, SeatUpdate};
use app::server::db::sessions::{
    NewFacilitator, NewFormat, NewSession, insert_facilitator, insert_format, insert_session,
};
use chrono::{Duration, Utc};
use server::config::{Config, MailTransport};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    match std::env::var("BENCH_STREAM_CLIENTS") {
        Ok(plan) => stream_clients(&plan),
        Err(_) => tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(run()),
    }
}

async fn run() {
    let sessions = setting("BENCH_SESSIONS", 200);
    let connections = setting("BENCH_CONNECTIONS", 32);
    let listeners = setting("BENCH_LISTENERS", 10_000);
    let pushes = setting("BENCH_PUSHES", 100);
    let push_interval = std::time::Duration::from_millis(setting("BENCH_PUSH_INTERVAL_MS", 50) as u64);

    let scratch = std::env::temp_dir().join(format!("rounds-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    // Every registration comes from one address, and the push test opens its streams from
    // it: the limits meant for the public would stop the benchmark (`common::config` lifts them).
    let config = Config {
        leptos: built_site_options(),
        ..common::config(database_url(&scratch).await, MailTransport::Folder(scratch.join("mail")))
    };
    let on_postgres = config.database_url.starts_with("postgres");
    let instances = if on_postgres { setting("BENCH_INSTANCES", 1).max(1) } else { 1 };
    let mut addrs = Vec::with_capacity(instances);
    let mut states = Vec::with_capacity(instances);
    let (_stop_relays, relays_stopping) = tokio::sync::watch::channel(false);
    for _ in 0..instances {
        let state = server::start(&config).await.expect("start");
        if let Some(listener) = server::jobs::listen_for_seat_changes(&state).await.expect("LISTEN") {
            tokio::spawn(server::jobs::relay_seat_changes(state.clone(), listener, relays_stopping.clone()));
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        addrs.push(listener.local_addr().unwrap());
        // Served as `main` serves it: the router made once, with each client's address.
        let app = server::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let incoming = server::connections::listen(listener, state.clone());
        tokio::spawn(async move { axum::serve(incoming, app).await.unwrap() });
        states.push(state);
    }
    let ids = seed(&states[0], sessions + 1).await;
    let (pushed_session, registration_sessions) = ids.split_last().unwrap();

    let database = if on_postgres { "PostgreSQL" } else { "SQLite file" };
    println!("Rounds load benchmark (release build, {database}, {instances} instance(s), loopback HTTP)\n");
    registrations_per_second(&addrs, registration_sessions, connections).await;
    for (what, path) in [
        ("calendar", "/en".to_string()),
        ("session page", format!("/en/sessions/{}", registration_sessions[0])),
    ] {
        pages_per_second(addrs[0], what, &path);
    }
    push_latency(&addrs, *pushed_session, listeners, pushes, push_interval).await;
    first_visit(&config, &scratch).await;
    let _ = std::fs::remove_dir_all(&scratch);
}

/// An SQLite file in `scratch`, or a new database on the PostgreSQL server `BENCH_POSTGRES_URL`.
async fn database_url(scratch: &std::path::Path) -> String {
    use sea_orm::ConnectionTrait;
    match std::env::var("BENCH_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("rounds_bench_{}", std::process::id());
            let admin = sea_orm::Database::connect(&admin_url).await.expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the bench database");
            let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", scratch.join("bench.db").display()),
    }
}

async fn seed(state: &app::server::state::AppState, count: usize) -> Vec<i32> {
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let format = insert_format(
                    txn,
                    NewFormat {
                        slug: "bench".into(),
                        name: ("Bench".into(), "Banc".into()),
                        description: (String::new(), String::new()),
                        led_by: (String::new(), String::new()),
                        position: 0,
                    },
                )
                .await?;
                let facilitator = insert_facilitator(
                    txn,
                    NewFacilitator {
                        display_name: "Bench".into(),
                        credentials: (String::new(), String::new()),
                    },
                )
                .await?;
                let mut ids = Vec::with_capacity(count);
                for n in 0..count {
                    // The last session is the one the push clients watch: room for every change.
                    let capacity = if n + 1 == count { 1_000_000 } else { 30 };
                    let session = NewSession {
                        format_id: format,
                        facilitator_id: facilitator,
                        title: Bilingual::both(format!("Bench {n}"), format!("Banc {n}")),
                        description: Bilingual::default(),
                        starts_at: Utc::now() + Duration::days(7),
                        duration_minutes: 60,
                        capacity,
                        language: SessionLanguage::En,
                        audience: Audience::All,
                        series: None,
                        meeting_link: Some("https://meet.example.invalid/bench".into()),
                    };
                    ids.push(insert_session(txn, session, Utc::now()).await?);
                }
                Ok::<_, app::server::db::DbError>(ids)
            })
        })
        .await
        .unwrap()
}

fn registration_body(session_id: i32, n: usize) -> String {
    format!(
        "session_id={session_id}&locale=en&form[name]=Bench%20Person&form[email]=person{n}%40example.ca\
         &form[career_stage]=resident&form[province]=ON&form[language]=en&form[rules]=yes"
    )
}

/// One keep-alive HTTP/1.1 connection that posts server-function calls.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    async fn connect(addr: SocketAddr) -> Client {
        Client { reader: BufReader::new(TcpStream::connect(addr).await.unwrap()) }
    }

    async fn post(&mut self, path: &str, body: &str) -> (u16, Vec<u8>) {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Accept: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.reader.get_mut().write_all(request.as_bytes()).await.unwrap();
        let (status, headers) = read_head(&mut self.reader).await;
        let length: usize =
            header(&headers, "content-length").and_then(|v| v.parse().ok()).expect("content-length");
        let mut response = vec![0; length];
        self.reader.read_exact(&mut response).await.unwrap();
        (status, response)
    }
}

async fn read_head(reader: &mut BufReader<TcpStream>) -> (u16, Vec<String>) {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).await.unwrap();
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        if line.trim_end().is_empty() {
            return (status, headers);
        }
        headers.push(line.trim_end().to_string());
    }
}

fn header<'a>(headers: &'a [String], name: &str) -> Option<&'a str> {
    headers.iter().find_map(|h| {
        let (key, value) = h.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

async fn registrations_per_second(addrs: &[SocketAddr], sessions: &[i32], connections: usize) {
    let total = sessions.len() * 30;
    let next = Arc::new(AtomicUsize::new(0));
    let confirmed = Arc::new(AtomicUsize::new(0));
    let sessions: Arc<Vec<i32>> = Arc::new(sessions.to_vec());
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|worker| {
            let (next, confirmed, sessions) = (next.clone(), confirmed.clone(), sessions.clone());
            let addr = addrs[worker % addrs.len()];
            tokio::spawn(async move {
                let mut client = Client::connect(addr).await;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return;
                    }
                    let session = sessions[n % sessions.len()];
                    let (status, body) =
                        client.post("/api/registrations/register", &registration_body(session, n)).await;
                    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
                    // The answer no longer says where a registration landed (it is the same for an
                    // address already registered); 30 distinct people per 30-seat session all
                    // get a seat.
                    let _: Acknowledged = serde_json::from_slice(&body).unwrap();
                    confirmed.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let confirmed = confirmed.load(Ordering::Relaxed);
    assert_eq!(confirmed, total, "every registration should have found a seat");
    println!(
        "registrations: {confirmed} confirmed in {elapsed:.2} s over {connections} connections = {:.0} confirmed registrations/s",
        confirmed as f64 / elapsed
    );
}

/// Requests per second and p99 latency of `path` under `wrk`, printed next to the target.
fn pages_per_second(addr: SocketAddr, what: &str, path: &str) {
    let url = format!("http://{addr}{path}");
    let run = |seconds: &str| {
        std::process::Command::new("wrk")
            .args(["--threads", "2", "--connections", "32", "--duration", seconds, "--latency"])
            .args(["-H", "Accept-Encoding: br, gzip", &url])
            .output()
    };
    // The first second fills the page cache and warms the connections.
    let Ok(output) = run("1s").and_then(|_| run("10s")) else {
        println!("{what}: skipped (wrk is not installed)");
        return;
    };
    let report = String::from_utf8_lossy(&output.stdout);
    let value = |label: &str| {
        report.lines().find_map(|line| line.trim().strip_prefix(label).map(|rest| rest.trim().to_string()))
    };
    let rate = value("Requests/sec:").unwrap_or_else(|| panic!("no rate in wrk's report:\n{report}"));
    let p99 = value("99%").unwrap_or_default();
    let failures = value("Non-2xx or 3xx responses:").unwrap_or_else(|| "0".into());
    println!(
        "{what} ({path}): {rate} requests/s, p99 {p99}, {failures} failed (target ≥ 20,000 requests/s, p99 ≤ 20 ms)"
    );
}

/// This process's resident memory, in bytes, from `/proc` (Linux).
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    kb * 1024
}

async fn push_latency(
    addrs: &[SocketAddr],
    session: i32,
    listeners: usize,
    pushes: usize,
    interval: std::time::Duration,
) {
    use std::io::BufRead as _;
    let before = resident_bytes();
    let plan = format!(
        "{};{session};{listeners};{pushes}",
        addrs.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
    );
    let mut clients = std::process::Command::new(std::env::current_exe().unwrap())
        .env("BENCH_STREAM_CLIENTS", plan)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the stream clients");
    // The clients' lines, read on a thread of their own (std's pipe blocks).
    let (said_tx, mut said) = tokio::sync::mpsc::unbounded_channel();
    let stdout = clients.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = said_tx.send(line);
        }
    });
    assert_eq!(said.recv().await.as_deref(), Some("ready"), "the clients opened their streams");
    let open = resident_bytes();

    // Every change is made through the first instance; with several, the others' clients hear
    // it through PostgreSQL.
    let mut client = Client::connect(addrs[0]).await;
    for n in 0..pushes {
        let (status, _) =
            client.post("/api/registrations/register", &registration_body(session, 1_000_000 + n)).await;
        assert_eq!(status, 200);
        tokio::time::sleep(interval).await;
    }
    let report = tokio::time::timeout(std::time::Duration::from_secs(120), said.recv())
        .await
        .expect("every client hears every change")
        .expect("the clients' report");
    let _ = clients.wait();
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    println!("push: {report} (target p99 ≤ 100 ms)");
    println!(
        "server memory: {:.0} MiB resident with {listeners} streams open ({:.0} MiB before; {:.1} KiB per stream) (target ≤ 200 MiB)",
        mib(open),
        mib(before),
        open.saturating_sub(before) as f64 / 1024.0 / listeners.max(1) as f64
    );
}

/// One page's event stream, as the stream clients hold it.
struct StreamClient {
    socket: mio::net::TcpStream,
    /// The body received and not yet read: chunked transfer coding, possibly part of a chunk.
    received: Vec<u8>,
    /// Seat updates heard since the snapshot.
    heard: usize,
}

impl StreamClient {
    /// Opens the stream (blocking until its snapshot came), then makes its socket non-blocking.
    fn open(addr: SocketAddr, session: i32) -> StreamClient {
        use std::io::{Read, Write};
        let mut socket = std::net::TcpStream::connect(addr).unwrap();
        let request = format!(
            "GET /live/seats?ids={session} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
        );
        socket.write_all(request.as_bytes()).unwrap();
        let mut received = Vec::new();
        let mut room = [0u8; 4096];
        let head_end = loop {
            if let Some(at) = received.windows(4).position(|four| four == b"\r\n\r\n") {
                break at + 4;
            }
            let read = socket.read(&mut room).unwrap();
            assert!(read > 0, "the server closed a stream before its head");
            received.extend_from_slice(&room[..read]);
        };
        assert!(received.starts_with(b"HTTP/1.1 200 "), "{}", String::from_utf8_lossy(&received[..head_end]));
        received.drain(..head_end);
        while hear(&mut received, 0, &mut Vec::new()) == 0 {
            let read = socket.read(&mut room).unwrap();
            assert!(read > 0, "the server closed a stream before its snapshot");
            received.extend_from_slice(&room[..read]);
        }
        socket.set_nonblocking(true).unwrap();
        StreamClient { socket: mio::net::TcpStream::from_std(socket), received, heard: 0 }
    }
}

/// Reads the seat updates in every whole chunk of `received` (chunked transfer coding), heard at
/// `now_us`: how long after its commit each was heard goes to `latencies`. Returns how many.
fn hear(received: &mut Vec<u8>, now_us: i64, latencies: &mut Vec<i64>) -> usize {
    let mut heard = 0;
    while let Some(line_end) = received.windows(2).position(|pair| pair == b"\r\n") {
        let size = std::str::from_utf8(&received[..line_end])
            .ok()
            .and_then(|line| usize::from_str_radix(line.trim(), 16).ok())
            .expect("chunk size");
        let data = line_end + 2;
        if received.len() < data + size + 2 {
            break;
        }
        // Each event of this server carries one `data` line: one seat update.
        for line in received[data..data + size].split(|&byte| byte == b'\n') {
            if let Some(json) = line.strip_prefix(b"data: ") {
                let update: SeatUpdate = serde_json::from_slice(json).unwrap();
                latencies.push(now_us - update.committed_at_us);
                heard += 1;
            }
        }
        received.drain(..data + size + 2);
    }
    heard
}

/// One event loop over `clients`, until each has heard `changes` seat updates; returns how long
/// after its commit each update was heard, and the clients, still open.
fn hear_every_change(mut clients: Vec<StreamClient>, changes: usize) -> (Vec<i64>, Vec<StreamClient>) {
    use std::io::Read;
    let mut poll = mio::Poll::new().unwrap();
    for (n, client) in clients.iter_mut().enumerate() {
        poll.registry().register(&mut client.socket, mio::Token(n), mio::Interest::READABLE).unwrap();
    }
    let mut events = mio::Events::with_capacity(1024);
    let mut room = vec![0u8; 16 * 1024];
    let mut latencies = Vec::with_capacity(clients.len() * changes);
    let mut unfinished = clients.iter().filter(|client| client.heard < changes).count();
    while unfinished > 0 {
        poll.poll(&mut events, None).unwrap();
        for event in &events {
            let client = &mut clients[event.token().0];
            // Edge-triggered: read until the socket is empty (a short read says it is).
            loop {
                match client.socket.read(&mut room) {
                    Ok(0) => panic!("the server closed a stream"),
                    Ok(read) => {
                        client.received.extend_from_slice(&room[..read]);
                        if read < room.len() {
                            break;
                        }
                    }
                    Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(err) => panic!("stream read: {err}"),
                }
            }
            let had_heard = client.heard;
            client.heard += hear(&mut client.received, Utc::now().timestamp_micros(), &mut latencies);
            if had_heard < changes && client.heard >= changes {
                unfinished -= 1;
            }
        }
    }
    (latencies, clients)
}

/// The second process of the live-count benchmark: opens the streams `plan` asks for
/// (`addrs;session;clients;changes`), says "ready" once each has its snapshot, and reports the
/// commit-to-client latencies once every client has heard every change. Like `wrk`, it is one
/// event loop per core over non-blocking sockets: the clients share the cores with the server,
/// and what they spend is taken from it (a browser would spend it on its own machine).
fn stream_clients(plan: &str) {
    let [addrs, session, listeners, pushes]: [&str; 4] =
        plan.split(';').collect::<Vec<_>>().try_into().expect("addrs;session;clients;changes");
    let addrs: Vec<SocketAddr> = addrs.split(',').map(|addr| addr.parse().unwrap()).collect();
    let (session, listeners, pushes): (i32, usize, usize) =
        (session.parse().unwrap(), listeners.parse().unwrap(), pushes.parse().unwrap());
    let loops = std::thread::available_parallelism().map_or(1, usize::from).min(listeners.max(1));
    let (opened_tx, opened) = std::sync::mpsc::channel();
    let heard: Vec<(Vec<i64>, Vec<StreamClient>)> = std::thread::scope(|scope| {
        let running: Vec<_> = (0..loops)
            .map(|first| {
                let (addrs, opened) = (&addrs, opened_tx.clone());
                scope.spawn(move || {
                    let clients: Vec<StreamClient> = (first..listeners)
                        .step_by(loops)
                        .map(|n| StreamClient::open(addrs[n % addrs.len()], session))
                        .collect();
                    opened.send(()).unwrap();
                    hear_every_change(clients, pushes)
                })
            })
            .collect();
        for _ in 0..loops {
            opened.recv().unwrap();
        }
        println!("ready");
        running.into_iter().map(|thread| thread.join().unwrap()).collect()
    });
    // Every stream stayed open until every client had heard every change: pages closing while
    // the last change is on its way to the others would be measured too.
    let mut all: Vec<i64> = heard.into_iter().flat_map(|(latencies, _streams)| latencies).collect();
    all.sort_unstable();
    let percentile = |p: f64| {
        all[((all.len() as f64 * p).ceil() as usize).saturating_sub(1).min(all.len() - 1)] as f64 / 1_000.0
    };
    println!(
        "{} deliveries ({listeners} clients x {pushes} changes), commit to client p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        percentile(0.50),
        percentile(0.99),
        *all.last().unwrap() as f64 / 1_000.0
    );
}

/// The site the release build made: `target/site`, and the bundle's hashed names from the
/// `hash.txt` beside the release server (a bench binary sits one folder below it, in `deps`).
fn built_site_options() -> leptos::config::LeptosOptions {
    leptos::config::LeptosOptions::builder()
        .output_name("rounds")
        .site_root(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))
        .hash_files(true)
        .hash_file("../hash.txt".into())
        .build()
}

/// The first visit of the calendar over HTTP, as a browser with an empty cache makes it.
async fn first_visit(config: &Config, scratch: &std::path::Path) {
    let bundle = app::server::bundle::Bundle::current(&config.leptos);
    let site = std::path::Path::new(config.leptos.site_root.as_ref());
    if !bundle.hashed || !site.join(bundle.light.wasm.trim_start_matches('/')).is_file() {
        println!("first visit: skipped, the site is not built (scripts/serve or tools/site builds it)");
        return;
    }
    let config = Config {
        database_url: format!("sqlite://{}", scratch.join("first-visit.db").display()),
        demo: true,
        ..config.clone()
    };
    let state = server::start(&config).await.expect("start");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let incoming = server::connections::listen(listener, state.clone());
    let app = server::router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(incoming, app).await.unwrap() });

    let (_, page) = get(addr, "/en", "identity").await;
    // The build the page's start script picks: the light one when every island is one of its.
    let islands: Vec<&str> = page
        .split("data-component=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|name| name.rsplit_once('_').map_or(name, |(kind, _)| kind))
        .collect();
    assert!(!islands.is_empty(), "the calendar has islands");
    assert!(
        islands.iter().all(|kind| app::components::LIGHT_ISLANDS.contains(kind)),
        "the calendar holds only islands of the light build: {islands:?}"
    );
    let scripts = &bundle.light;
    let mut total = 0;
    let mut parts = Vec::new();
    for (kind, path) in
        [("HTML", "/en"), ("CSS", bundle.css.as_str()), ("JS", &scripts.js), ("wasm", &scripts.wasm)]
    {
        assert!(path == "/en" || page.contains(path), "the calendar names {path}");
        let (wire, head) = get(addr, path, "br").await;
        assert!(
            head.starts_with("HTTP/1.1 200") && head.to_ascii_lowercase().contains("content-encoding: br")
        );
        total += wire;
        parts.push(format!("{kind} {:.1}", wire as f64 / 1000.0));
    }
    println!(
        "first visit: {:.1} KB on the wire, brotli ({}) (target ≤ 150 KB)",
        total as f64 / 1000.0,
        parts.join(", ")
    );
}

/// One GET on a connection of its own: the bytes received (head and body), and the response
/// as text (its head only when the body is compressed).
async fn get(addr: SocketAddr, path: &str, encoding: &str) -> (usize, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: {encoding}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = match std::str::from_utf8(&response) {
        Ok(text) => text.to_string(),
        Err(error) => String::from_utf8_lossy(&response[..error.valid_up_to()]).into_owned(),
    };
    (response.len(), text)
}
