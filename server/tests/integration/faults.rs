//! The fault suite: the real `server` binary (the release one under `scripts/test`), started as
//! a process on an SQLite file with the demo data, its mail going to the test SMTP sink.
//!
//! 1. `kill -9` in the middle of a burst of registrations, then a restart on the same file:
//!    every acknowledged registration is there and every address gets its email, never twice
//!    under different Message-IDs.
//! 2. The SMTP server goes away and comes back: what was registered meanwhile is delivered.
//! 3. A list of malformed and hostile requests to every public write path and the calendar
//!    views: each gets an answer below 500, the process stays up, and a registration still
//!    works after them.
//! 4. SIGTERM while live seat streams are open: the process ends the streams and exits, cleanly
//!    and within 10 seconds, and the registration it acknowledged just before is stored.
//!
//! The scenarios share one server process (and its restart) to keep the file quick.

use crate::common;

use app::server::db::Db;
use app::server::db::registrations::{Offering, of_offering};
use common::smtp::SmtpSink;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long any one wait may last before the test fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// The server process; killed (SIGKILL) when dropped, so a failing test leaves none behind.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    async fn start(scratch: &Path, addr: SocketAddr, smtp: SocketAddr) -> Server {
        // An empty site root: the server must start and answer without a built site.
        let site = scratch.join("site");
        std::fs::create_dir_all(&site).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .current_dir(scratch)
            .env("LEPTOS_SITE_ROOT", &site)
            .env("LEPTOS_OUTPUT_NAME", "rounds")
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("DATABASE_URL", format!("sqlite://{}", scratch.join("faults.db").display()))
            .env("ROUNDS_DEMO", "1")
            .env("ROUNDS_PUBLIC_URL", format!("http://{addr}"))
            .env("ROUNDS_SMTP_URL", format!("smtp://{smtp}"))
            .env("ROUNDS_MAIL_FROM", "Rounds <rounds@rounds.test>")
            // Messages the killed process had claimed are taken over after this lease.
            .env("ROUNDS_MAIL_LEASE_SECONDS", "2")
            // Every request comes from one address; the public limits would stop the burst.
            .env("ROUNDS_RATE_LIMIT_ADDRESS", "1000000/1m")
            .env("ROUNDS_RATE_LIMIT_EMAIL", "1000000/1m")
            .env("ROUNDS_LIVE_STREAMS_PER_ADDRESS", "100000")
            .env("ROUNDS_WAITLIST_FACTOR", "20")
            .env("RUST_LOG", "warn")
            .env_remove("ROUNDS_TRUSTED_PROXIES")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("start the server binary");
        let mut server = Server { child, addr };
        let deadline = Instant::now() + PATIENCE;
        loop {
            assert!(server.alive(), "the server exited while starting");
            if let Ok(reply) = request(addr, "GET", "/healthz", &[], b"").await
                && reply.status == 200
            {
                return server;
            }
            assert!(Instant::now() < deadline, "the server did not answer /healthz within {PATIENCE:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("ask about the server process").is_none()
    }

    /// `kill -9`: the process gets no chance to finish anything.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

struct Reply {
    status: u16,
    body: String,
}

/// One HTTP/1.1 exchange on a fresh connection (`Connection: close`, read to the end), so a
/// request may carry bytes no HTTP library would send.
async fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        stream.write_all(&bytes).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse(&raw).ok_or_else(|| std::io::Error::other("unreadable HTTP answer"))
    };
    tokio::time::timeout(PATIENCE, exchange).await.map_err(|_| std::io::Error::other("no answer in time"))?
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let chunked = head
        .lines()
        .any(|line| line.to_ascii_lowercase().starts_with("transfer-encoding:") && line.contains("chunked"));
    let mut rest = &raw[end + 4..];
    let body = if chunked {
        let mut body = Vec::new();
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?.trim(), 16).ok()?;
            rest = &rest[line_end + 2..];
            if size == 0 {
                break body;
            }
            body.extend_from_slice(rest.get(..size)?);
            rest = rest.get(size + 2..)?;
        }
    } else {
        rest.to_vec()
    };
    Some(Reply { status, body: String::from_utf8_lossy(&body).into_owned() })
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

async fn register(addr: SocketAddr, session: i64, email: &str) -> std::io::Result<Reply> {
    let call = common::registration_call(session as i32, email);
    request(
        addr,
        "POST",
        "/api/registrations/register",
        &[FORM, ("Accept", "application/json")],
        call.as_bytes(),
    )
    .await
}

/// A free port on loopback (bound, read, released).
fn free_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap()
}

/// Upcoming demo sessions open to everyone, more than a day away (registration is open).
async fn open_sessions(addr: SocketAddr) -> Vec<i64> {
    let reply = request(addr, "POST", "/api/sessions/upcoming", &[FORM], b"").await.expect("list sessions");
    assert_eq!(reply.status, 200, "listing sessions: {}", reply.body);
    let page: serde_json::Value = serde_json::from_str(&reply.body).expect("a session page");
    let soon = chrono::Utc::now() + chrono::Duration::days(1);
    page["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| s["audience"] == "all" && s["status"] == "scheduled")
        .filter(|s| {
            s["starts_at"].as_str().and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok()) > Some(soon)
        })
        .filter_map(|s| s["id"].as_i64())
        .collect()
}

/// The first id a public list server function returns.
async fn first_id(addr: SocketAddr, endpoint: &str) -> i64 {
    let reply = request(addr, "POST", &format!("/api/{endpoint}"), &[FORM], b"").await.expect(endpoint);
    let list: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
    list[0]["id"].as_i64().unwrap_or_else(|| panic!("{endpoint} lists nothing: {}", reply.body))
}

/// Waits until every address in `emails` has a message at `sink`.
async fn await_mail(sink: &SmtpSink, emails: &[String], what: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let missing: Vec<&String> = emails.iter().filter(|e| sink.to(e).is_empty()).collect();
        if missing.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: no email within {PATIENCE:?} for {missing:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// No address received the same subject twice under different Message-IDs (the same message
/// sent again after a crash keeps its Message-ID, and mail clients merge such copies).
fn assert_no_distinct_duplicates(messages: impl Iterator<Item = common::smtp::Received>) {
    let mut ids: HashMap<(String, String), HashSet<String>> = HashMap::new();
    for message in messages {
        let id = message.parsed().message_id().unwrap_or_default().to_string();
        for recipient in &message.recipients {
            ids.entry((recipient.clone(), message.subject())).or_default().insert(id.clone());
        }
    }
    for ((recipient, subject), ids) in ids {
        assert_eq!(ids.len(), 1, "{recipient} got {subject:?} under different Message-IDs: {ids:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_server_survives_crashes_outages_and_hostile_requests() {
    if std::env::var("ROUNDS_TEST_POSTGRES_URL").is_ok_and(|url| !url.is_empty()) {
        eprintln!("skipped: the fault suite runs the binary on SQLite once, not again on PostgreSQL");
        return;
    }
    let scratch = std::env::temp_dir().join(format!("rounds_faults_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let addr = free_port();
    let sink = SmtpSink::start().await;
    let mut server = Server::start(&scratch, addr, sink.addr).await;

    let sessions = open_sessions(addr).await;
    assert!(sessions.len() >= 3, "the demo has open sessions: {sessions:?}");
    let sessions = &sessions[..3];

    // 1. kill -9 during a burst of registrations.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let mut burst = tokio::task::JoinSet::new();
    for n in 0..200 {
        let session = sessions[n % sessions.len()];
        let acknowledged = acknowledged.clone();
        burst.spawn(async move {
            let email = format!("burst{n}@example.ca");
            let ok = matches!(register(addr, session, &email).await, Ok(reply) if reply.status == 200);
            if ok {
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            (session, email, ok)
        });
    }
    let deadline = Instant::now() + PATIENCE;
    while acknowledged.load(Ordering::SeqCst) < 60 && !burst.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.kill();
    let mut acked = Vec::new();
    while let Some(outcome) = burst.join_next().await {
        let (session, email, ok) = outcome.unwrap();
        if ok {
            acked.push((session, email));
        }
    }
    assert!(acked.len() >= 60, "only {} registrations were acknowledged before the kill", acked.len());
    eprintln!("{} of 200 registrations acknowledged before kill -9", acked.len());

    drop(server);
    let mut server = Server::start(&scratch, addr, sink.addr).await;
    let db = Db::connect(&format!("sqlite://{}", scratch.join("faults.db").display())).await.unwrap();
    let mut stored = HashSet::new();
    for session in sessions {
        for row in of_offering(&db, Offering::Session(*session as i32)).await.unwrap() {
            stored.insert((*session, row.email));
        }
    }
    for (session, email) in &acked {
        assert!(
            stored.contains(&(*session, email.clone())),
            "acknowledged {email} for {session} is not stored"
        );
    }
    let acked_emails: Vec<String> = acked.iter().map(|(_, email)| email.clone()).collect();
    await_mail(&sink, &acked_emails, "after kill -9 and restart").await;

    // 2. SMTP down, then back on the same port.
    let smtp_addr = sink.addr;
    let before = sink.messages();
    drop(sink);
    let mut while_down = Vec::new();
    for n in 0..5 {
        let email = format!("outage{n}@example.ca");
        let reply = register(addr, sessions[0], &email).await.expect("register while SMTP is down");
        assert_eq!(reply.status, 200, "registering {email} while SMTP is down: {}", reply.body);
        while_down.push(email);
    }
    // Long enough for the sender to fail and schedule retries.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let deadline = Instant::now() + PATIENCE;
    while std::net::TcpListener::bind(smtp_addr).is_err() {
        assert!(Instant::now() < deadline, "the SMTP port {smtp_addr} stays taken");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sink = SmtpSink::start_on(smtp_addr).await;
    await_mail(&sink, &while_down, "after SMTP came back").await;
    // The first sink's messages count too: a message re-sent after the kill reaches either.
    assert_no_distinct_duplicates(before.into_iter().chain(sink.messages()));

    // 3. Malformed and hostile requests.
    hostile_requests(&mut server, &sink, sessions[1]).await;

    // 4. SIGTERM with event streams open.
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(open_stream(addr, sessions[2]).await);
    }
    let reply =
        register(addr, sessions[2], "before-stop@example.ca").await.expect("register before stopping");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let asked = Instant::now();
    let signalled = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status();
    assert!(signalled.is_ok_and(|status| status.success()), "send SIGTERM");
    let exit = loop {
        if let Some(status) = server.child.try_wait().expect("ask about the server process") {
            break status;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM, with streams open"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "a clean exit: {exit:?}");
    eprintln!("stopped {:?} after SIGTERM with {} streams open", asked.elapsed(), streams.len());
    // Each stream was ended by the server (the last chunk of its body), not cut by the exit.
    for mut stream in streams {
        let mut rest = Vec::new();
        let ended = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut rest)).await;
        assert!(ended.is_ok(), "a stream stayed open after the server stopped");
        let rest = String::from_utf8_lossy(&rest);
        assert!(rest.ends_with("0\r\n\r\n"), "a stream was cut, not ended: {rest:?}");
    }
    let db = Db::connect(&format!("sqlite://{}", scratch.join("faults.db").display())).await.unwrap();
    let rows = of_offering(&db, Offering::Session(sessions[2] as i32)).await.unwrap();
    assert!(
        rows.iter().any(|row| row.email == "before-stop@example.ca"),
        "the acknowledged registration is stored"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

/// A live seat stream for `session`, read until its first event (the current counts) arrived.
async fn open_stream(addr: SocketAddr, session: i64) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect for a stream");
    let ask = format!(
        "GET /live/seats?ids=s{session} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(ask.as_bytes()).await.expect("ask for a stream");
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1024];
    while !String::from_utf8_lossy(&seen).contains("data:") {
        let read =
            tokio::time::timeout(PATIENCE, stream.read(&mut buffer)).await.expect("the first event in time");
        let read = read.expect("read the stream");
        assert!(read > 0, "the stream ended before its first event: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buffer[..read]);
    }
    stream
}

/// What a hostile request may get: a refusal (4xx), or any answer that is not a server error
/// (a no-JS form answers 200 or 303 with its errors, a page may redirect).
#[derive(Clone, Copy, Debug)]
enum Expect {
    Refused,
    Answered,
}

/// One hostile request: method, path, headers, body, and what it may get.
type Case<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, Vec<u8>, Expect);

async fn hostile_requests(server: &mut Server, sink: &SmtpSink, session: i64) {
    let addr = server.addr;
    let cohort = first_id(addr, "cohorts/list").await;
    let round = first_id(addr, "rounds/list").await;
    let json = ("Content-Type", "application/json");
    let html = ("Accept", "text/html");
    let huge = vec![b'a'; 3 * 1024 * 1024];
    let long_name = "n".repeat(100 * 1024);
    let valid = common::registration_call(session as i32, "hostile@example.ca");
    let form_fields = "career_stage=resident&province=ON&language=en&rules=yes&eligible=yes&agreement=yes";
    let with_name = |name: &str| {
        format!("name={}&email=x%40example.ca&{form_fields}", app::calendar_links::encode_component(name))
    };
    let api_with_name = |name: &str| {
        format!(
            "session_id={session}&locale=en&form[name]={}&form[email]=x%40example.ca&form[career_stage]=resident\
             &form[province]=ON&form[language]=en&form[rules]=yes",
            app::calendar_links::encode_component(name)
        )
    };
    let s = format!("/en/sessions/{session}");
    let c = format!("/en/cohorts/{cohort}");
    let r = format!("/en/rounds/{round}");
    let mut invalid_utf8 = b"name=".to_vec();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    invalid_utf8.extend_from_slice(format!("&email=u%40example.ca&{form_fields}").as_bytes());
    let invalid_utf8_api =
        [b"session_id=1&locale=en&form[name]=\xff\xfe&form[email]=a%40b.ca".as_slice()].concat();

    use Expect::*;
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        // The registration server function.
        ("POST", "/api/registrations/register".into(), vec![FORM], huge.clone(), Refused),
        ("POST", "/api/registrations/register".into(), vec![json], b"{\"session_id\": ".to_vec(), Refused),
        ("POST", "/api/registrations/register".into(), vec![json], b"[1,2,3]".to_vec(), Refused),
        ("POST", "/api/registrations/register".into(), vec![("Content-Type", "text/plain")], valid.clone().into_bytes(), Answered),
        ("POST", "/api/registrations/register".into(), vec![FORM], b"session_id=1".to_vec(), Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM], b"".to_vec(), Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM], api_with_name(&long_name).into_bytes(), Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM], api_with_name("Bob\0Tables").into_bytes(), Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM], api_with_name("Bell\u{7}\u{1b}[2J").into_bytes(), Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM], invalid_utf8_api, Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM], valid.replace(&format!("session_id={session}"), "session_id=-1").into_bytes(), Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM], valid.replace(&format!("session_id={session}"), "session_id=99999999999999").into_bytes(), Refused),
        ("POST", "/api/registrations/register".into(), vec![FORM, ("Origin", "https://evil.example")], valid.clone().into_bytes(), Refused),
        ("PUT", "/api/registrations/register".into(), vec![FORM], valid.clone().into_bytes(), Answered),
        ("POST", "/api/registrations/nonexistent".into(), vec![FORM], valid.clone().into_bytes(), Refused),
        ("POST", "/api/registrations/cancel".into(), vec![FORM], b"token=%27%3B%20DROP%20TABLE%20registration%3B--".to_vec(), Refused),
        ("POST", "/api/registrations/cancel".into(), vec![FORM], b"token=".to_vec(), Refused),
        // The no-JS registration form.
        ("POST", s.clone(), vec![FORM, html], b"".to_vec(), Answered),
        ("POST", s.clone(), vec![FORM, html], with_name(&long_name).into_bytes(), Answered),
        ("POST", s.clone(), vec![FORM, html], with_name("Bob\0Tables").into_bytes(), Answered),
        ("POST", s.clone(), vec![FORM, html], with_name("<script>alert(1)</script>").into_bytes(), Answered),
        ("POST", s.clone(), vec![FORM, html], with_name("Robert'); DROP TABLE registration;--").into_bytes(), Answered),
        ("POST", s.clone(), vec![FORM, html], invalid_utf8, Answered),
        ("POST", s.clone(), vec![json, html], b"{\"name\": 1}".to_vec(), Refused),
        ("POST", s.clone(), vec![FORM, html], huge.clone(), Refused),
        ("POST", s.clone(), vec![FORM, html, ("Origin", "http://evil.example")], with_name("Forged").into_bytes(), Refused),
        ("POST", "/en/sessions/-5".into(), vec![FORM, html], with_name("Neg").into_bytes(), Answered),
        ("POST", "/en/sessions/99999999999999999999".into(), vec![FORM, html], with_name("Huge").into_bytes(), Answered),
        ("POST", "/xx/sessions/1".into(), vec![FORM, html], with_name("Lang").into_bytes(), Answered),
        ("POST", "/en/sessions/..%2F..%2Fetc%2Fpasswd".into(), vec![FORM, html], with_name("Path").into_bytes(), Answered),
        // Cancelling, signing in, password resets.
        ("POST", "/en/registrations/not-a-token".into(), vec![FORM, html], b"".to_vec(), Answered),
        ("POST", format!("/en/registrations/{}", "A".repeat(10_000)), vec![FORM, html], b"".to_vec(), Answered),
        ("POST", "/en/registrations/%00%0D%0ASet-Cookie:%20x=1".into(), vec![FORM, html], b"".to_vec(), Answered),
        ("GET", "/en/registrations/%00%0D%0A".into(), vec![], vec![], Answered),
        ("POST", "/en/reset-password/%00".into(), vec![FORM, html], b"password=a&confirm=b".to_vec(), Answered),
        ("POST", "/en/invitation/%0A%C3%A9".into(), vec![FORM, html], b"password=%00".to_vec(), Answered),
        ("POST", "/en/sign-in".into(), vec![FORM, html], b"email=%00&password=%00".to_vec(), Answered),
        ("POST", "/en/sign-in".into(), vec![FORM, html], format!("email=a%40b.ca&password={}", "p".repeat(200_000)).into_bytes(), Answered),
        ("POST", "/en/sign-in".into(), vec![json, html], b"null".to_vec(), Refused),
        ("POST", "/en/forgot-password".into(), vec![FORM, html], b"email=%27%20OR%201%3D1--".to_vec(), Answered),
        ("POST", "/en/forgot-password".into(), vec![FORM, html], b"nothing=here".to_vec(), Answered),
        // Cohorts and rounds.
        ("POST", c.clone(), vec![FORM, html], b"".to_vec(), Answered),
        ("POST", c.clone(), vec![FORM, html], with_name("Zero\0Width\u{200b}").into_bytes(), Answered),
        ("POST", format!("{c}/interest"), vec![FORM, html], b"email=%3Cscript%3E&language=zz".to_vec(), Answered),
        ("POST", "/en/cohorts/-1/interest".into(), vec![FORM, html], b"email=a%40b.ca&language=en".to_vec(), Answered),
        ("POST", r.clone(), vec![FORM, html], b"".to_vec(), Answered),
        ("POST", r.clone(), vec![FORM, html], with_name(&long_name).into_bytes(), Answered),
        ("POST", "/en/rounds/2147483648".into(), vec![FORM, html], with_name("Overflow").into_bytes(), Answered),
        ("POST", "/en/applications/..%2F..".into(), vec![FORM, html], b"".to_vec(), Answered),
        ("POST", "/en/applications/%C3%A9%00".into(), vec![FORM, html], b"".to_vec(), Answered),
        ("POST", "/en/cohort-registrations/%00".into(), vec![FORM, html], b"".to_vec(), Answered),
        // Calendar views.
        ("GET", "/en/week?date=%2B262142-12-31".into(), vec![], vec![], Answered),
        ("GET", "/en/week?date=0000-00-00".into(), vec![], vec![], Answered),
        ("GET", "/en/week?date=-9999-01-01".into(), vec![], vec![], Answered),
        ("GET", "/en/month?month=9999-99".into(), vec![], vec![], Answered),
        ("GET", "/en/month?month=%00".into(), vec![], vec![], Answered),
        ("GET", format!("/en/month?month={}", "9".repeat(5_000)), vec![], vec![], Answered),
        ("GET", "/en?format=%3Cscript%3E&language=%27".into(), vec![], vec![], Answered),
        ("GET", "/zz/week".into(), vec![], vec![], Answered),
        ("GET", "/en/calendar.ics?format=%27%3B--&audience=%00".into(), vec![], vec![], Answered),
        ("GET", "/en/sessions/-1/calendar.ics".into(), vec![], vec![], Refused),
        ("GET", "/en/../../../etc/passwd".into(), vec![], vec![], Answered),
        ("GET", "/pkg/..%2F..%2F..%2Fetc%2Fpasswd".into(), vec![], vec![], Answered),
        ("POST", "/api/sessions/range".into(), vec![FORM], b"first=%2B262142-12-31&last=%2B262142-12-31".to_vec(), Refused),
        ("POST", "/api/sessions/range".into(), vec![FORM], b"first=0000-00-00&last=9999-99".to_vec(), Refused),
        ("POST", "/api/sessions/range".into(), vec![FORM], b"first=2026-01-31&last=2020-01-01".to_vec(), Refused),
        ("POST", "/api/sessions/range".into(), vec![json], b"{\"first\": []}".to_vec(), Refused),
        ("DELETE", "/en/calendar.ics".into(), vec![], vec![], Refused),
    ];
    assert!(cases.len() >= 40);
    let mut wrong = Vec::new();
    for (method, path, headers, body, expect) in &cases {
        let what = format!("{method} {path} ({} bytes, {headers:?})", body.len());
        match request(addr, method, path, headers, body).await {
            Ok(reply) => {
                let fine = match expect {
                    Refused => (400..500).contains(&reply.status),
                    Answered => reply.status < 500,
                } && !reply.body.contains("root:x:0:0");
                let excerpt: String = reply.body.chars().take(200).collect();
                if !fine {
                    wrong.push(format!("{what}: expected {expect:?}, got {} {excerpt}", reply.status));
                }
            }
            // A server may refuse a body past its limit before reading it, and close.
            Err(err) if body.len() > 2 * 1024 * 1024 => eprintln!("{what}: connection closed ({err})"),
            Err(err) => panic!("{what}: no answer: {err}"),
        }
        assert!(server.alive(), "{what}: the server died");
    }
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
    eprintln!("{} hostile requests answered", cases.len());

    let reply = register(addr, session, "after-hostile@example.ca").await.expect("a last registration");
    assert_eq!(reply.status, 200, "a valid registration after the hostile requests: {}", reply.body);
    await_mail(sink, &["after-hostile@example.ca".to_string()], "after the hostile requests").await;
}
