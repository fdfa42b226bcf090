//! A freshly migrated database per test — an SQLite file, or a new database on the
//! PostgreSQL server named by `ROUNDS_TEST_POSTGRES_URL` — and the real router on top of it,
//! called in-process without a socket.

pub mod smtp;

use app::domain::access::Role;
use app::domain::session::{Audience, SessionLanguage};
use app::model::{Bilingual, SeriesInfo};
use app::server::db::accounts::{NewAccount, create};
use app::server::db::registrations;
use app::server::db::sessions::{
    NewFacilitator, NewFormat, NewSession, insert_facilitator, insert_format, insert_session,
};
use app::server::rate_limit::{Limit, StreamLimits, WriteLimits};
use app::server::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, DbBackend};
use server::config::{Config, MailConfig, MailTransport};
use server::mailer::Mailer;
use smtp::SmtpSink;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// Far beyond any answer's time here, even on a loaded machine.
const REQUEST_PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub config: Config,
    /// The SMTP server this app's mail goes to.
    pub smtp: SmtpSink,
    pub mailer: Mailer,
    /// Keeps the PostgreSQL relay running for the life of the test.
    _stop_relay: tokio::sync::watch::Sender<bool>,
    scratch: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    /// The session cookie the response set, as `rounds_session=…`.
    pub cookie: Option<String>,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A unique name for this test's database and scratch folder.
pub(crate) fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = Utc::now().timestamp_subsec_nanos();
    format!("rounds_test_{}_{n}_{nanos}", std::process::id())
}

/// An empty database of its own for a test that builds its schema itself: an SQLite file
/// in a new scratch folder, or a new PostgreSQL database.
pub async fn empty_database_url() -> String {
    let name = unique_name();
    let scratch = std::env::temp_dir().join(&name);
    std::fs::create_dir_all(&scratch).unwrap();
    let url = database_url(&name, &scratch).await;
    // Created on first use, as the server's own connection does.
    if url.starts_with("sqlite") { format!("{url}?mode=rwc") } else { url }
}

pub(crate) async fn database_url(name: &str, scratch: &std::path::Path) -> String {
    match std::env::var("ROUNDS_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let admin = sea_orm::Database::connect(&admin_url).await.expect("connect to PostgreSQL");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", scratch.join("rounds.db").display()),
    }
}

/// Limits no test reaches by accident: tests register the same address many times over.
/// The tests of the limits themselves start from the defaults (`spawn_with`).
pub fn generous_write_limits() -> WriteLimits {
    let plenty = Limit { count: 1_000_000, window: std::time::Duration::from_secs(60) };
    WriteLimits { per_address: plenty, per_email: plenty }
}

pub async fn spawn() -> TestApp {
    spawn_with(|config| config.write_limits = generous_write_limits()).await
}

/// A test app whose configuration `configure` adjusts first; it starts from the defaults
/// of a real installation (`Config::from_lookup` with nothing set) where the test cares.
pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let name = unique_name();
    let scratch = std::env::temp_dir().join(&name);
    let site = scratch.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/rounds.css"), "body{}").unwrap();
    let leptos =
        LeptosOptions::builder().output_name("rounds").site_root(site.to_string_lossy().to_string()).build();
    let smtp = SmtpSink::start().await;
    let config = Config {
        leptos,
        database_url: database_url(&name, &scratch).await,
        demo: false,
        public_url: "http://rounds.test".into(),
        mail: MailConfig {
            transport: MailTransport::Smtp(format!("smtp://{}", smtp.addr)),
            from: "Rounds <rounds@rounds.test>".into(),
            lease: chrono::Duration::seconds(120),
            rate: None,
        },
        reminders: vec![chrono::Duration::hours(24), chrono::Duration::hours(1)],
        retention: chrono::Duration::hours(48),
        trusted_proxies: Vec::new(),
        write_limits: WriteLimits::default(),
        stream_limits: StreamLimits::default(),
        waitlist_factor: 3,
        evaluation_days: 14,
        story_report_threshold: 3,
        contacts: Default::default(),
    };
    let mut config = config;
    configure(&mut config);
    instance(config, smtp, scratch).await
}

/// A server on `config`, with its own pools, listener and jobs, as one process of several.
async fn instance(config: Config, smtp: SmtpSink, scratch: PathBuf) -> TestApp {
    let on_postgres = config.database_url.starts_with("postgres");
    let state = server::start(&config).await.expect("server starts on a fresh database");
    let expected = if on_postgres { DbBackend::Postgres } else { DbBackend::Sqlite };
    assert_eq!(state.db.backend(), expected);
    let router = server::router(state.clone());
    let mailer = Mailer::new(&config.mail).expect("mailer for the test SMTP server");
    // On PostgreSQL seat changes travel through NOTIFY; relay them as the server does.
    let (stop_relay, relay_stopping) = tokio::sync::watch::channel(false);
    if let Some(listener) = server::jobs::listen_for_seat_changes(&state).await.expect("LISTEN") {
        tokio::spawn(server::jobs::relay_seat_changes(state.clone(), listener, relay_stopping));
    }
    TestApp { state, router, config, smtp, mailer, _stop_relay: stop_relay, scratch }
}

/// Reads a calendar file with an independent iCalendar parser.
pub fn parse_ics(text: &str) -> ical::parser::ical::component::IcalCalendar {
    ical::IcalParser::new(text.as_bytes()).next().expect("one calendar").expect("a valid iCalendar file")
}

pub fn property<'a>(event: &'a ical::parser::ical::component::IcalEvent, name: &str) -> Option<&'a str> {
    event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.as_deref())
}

/// An open `/live/seats` stream, read one event at a time.
pub struct SeatStream {
    body: Body,
    /// What arrived and was not read yet: a frame may hold several events (the snapshot does).
    pending: String,
}

impl SeatStream {
    /// Whether the server ends the stream within 10 s (the counts it sends meanwhile skipped).
    pub async fn ends(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The next seat count the stream sends; fails the test after 5 s without one.
    pub async fn next(&mut self) -> app::model::SeatUpdate {
        loop {
            while let Some(end) = self.pending.find("\n\n") {
                let event: String = self.pending.drain(..end + 2).collect();
                if let Some(json) = event.lines().find_map(|line| line.strip_prefix("data: ")) {
                    return serde_json::from_str(json).unwrap();
                }
            }
            let frame = self.next_frame().await;
            self.pending.push_str(&frame);
        }
    }

    /// The text of the next frame of the body; fails the test after 5 s without one.
    pub async fn next_frame(&mut self) -> String {
        loop {
            let frame = tokio::time::timeout(std::time::Duration::from_secs(5), self.body.frame())
                .await
                .expect("an event within 5 s")
                .unwrap()
                .unwrap();
            if let Ok(data) = frame.into_data() {
                return String::from_utf8(data.to_vec()).unwrap();
            }
        }
    }
}

impl TestApp {
    /// Another instance of the server on this one's database (and mail server), as a second
    /// process would be.
    pub async fn another_instance(&self) -> TestApp {
        let scratch = std::env::temp_dir().join(unique_name());
        std::fs::create_dir_all(&scratch).unwrap();
        instance(self.config.clone(), SmtpSink::start().await, scratch).await
    }

    /// Opens the live stream of the offerings `keys` names (`s1,c2`), as a page does.
    pub async fn seat_stream(&self, keys: &str) -> SeatStream {
        let request = Request::get(format!("/live/seats?ids={keys}")).body(Body::empty()).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        SeatStream { body: response.into_body(), pending: String::new() }
    }

    /// Sends `request` and reads the whole answer; fails the test, naming the request, when
    /// that takes more than `REQUEST_PATIENCE`, so a hang points at its request rather than
    /// stopping the run at its time limit.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let asked = format!("{} {}", request.method(), request.uri());
        tokio::time::timeout(REQUEST_PATIENCE, self.answer(request))
            .await
            .unwrap_or_else(|_| panic!("{asked}: no whole answer within {REQUEST_PATIENCE:?}"))
    }

    async fn answer(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let location = response.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
        let cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("rounds_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, location, cookie, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// Sends what the outbox holds now, as the background sender would.
    pub async fn deliver_mail(&self) -> usize {
        server::mailer::send_due(&self.state, &self.mailer).await
    }

    /// The same request as if it came through a socket from `peer`.
    pub async fn send_from(&self, peer: std::net::SocketAddr, mut request: Request<Body>) -> Reply {
        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }

    pub async fn post_form(&self, path: &str, form: &str) -> Reply {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .body(Body::from(form.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// Registers `email` for a session through the `register` server function.
    pub async fn register(&self, session_id: i32, email: &str) -> Reply {
        self.call("registrations/register", &registration_call(session_id, email)).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    pub async fn get_with_language(&self, path: &str, accept_language: &str) -> Reply {
        let request =
            Request::get(path).header(header::ACCEPT_LANGUAGE, accept_language).body(Body::empty()).unwrap();
        self.send(request).await
    }

    /// Calls a server function the way the browser bundle does: a URL-encoded POST.
    pub async fn call(&self, endpoint: &str, form: &str) -> Reply {
        self.call_as(None, endpoint, form).await
    }

    /// The same, with a signed-in browser session's cookie.
    pub async fn call_as(&self, cookie: Option<&str>, endpoint: &str, form: &str) -> Reply {
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(form.to_string())).unwrap()).await
    }

    /// A page request with a session cookie.
    pub async fn get_as(&self, cookie: &str, path: &str) -> Reply {
        self.send(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
    }

    /// A form post with a session cookie.
    pub async fn post_form_as(&self, cookie: &str, path: &str, form: &str) -> Reply {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, cookie)
            .body(Body::from(form.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// Creates an account with a password; a facilitator (or `facilitates`) gets a profile.
    /// Returns the account id and its facilitator profile.
    pub async fn account(
        &self,
        role: Role,
        email: &str,
        password: &str,
        facilitates: bool,
    ) -> (i32, Option<i32>) {
        let hash = app::server::auth::hash_password(password.to_string()).await.unwrap();
        let email = email.to_string();
        self.state
            .db
            .write(move |txn| {
                Box::pin(async move {
                    let facilitator_id = if facilitates {
                        let new = NewFacilitator {
                            display_name: email.clone(),
                            credentials: ("Peer".into(), "Pair".into()),
                        };
                        Some(insert_facilitator(txn, new).await?)
                    } else {
                        None
                    };
                    let new = NewAccount {
                        email_key: email,
                        role,
                        facilitator_id,
                        password_hash: Some(hash),
                        language: app::i18n::Locale::En,
                    };
                    let account = create(txn, new, Utc::now()).await?;
                    Ok::<_, app::server::db::DbError>((account.id, facilitator_id))
                })
            })
            .await
            .unwrap()
    }

    /// The private token of `email`'s registration for a session, as its emails carry it (the
    /// answer to registering never does).
    pub async fn registration_token(&self, session_id: i32, email: &str) -> String {
        let key = email.trim().to_lowercase();
        let rows = registrations::of_offering(&self.state.db, registrations::Offering::Session(session_id))
            .await
            .unwrap();
        let row = rows.iter().find(|row| row.email_key == key).expect("a registration for that address");
        self.state.links.sign(app::server::links::Purpose::Registration, row.id, &row.token_nonce)
    }

    /// The private path of `email`'s registration for a cohort, as its emails carry it.
    pub async fn cohort_registration_path(&self, cohort_id: i32, email: &str) -> String {
        let key = email.trim().to_lowercase();
        let rows = registrations::of_offering(&self.state.db, registrations::Offering::Intake(cohort_id))
            .await
            .unwrap();
        let row = rows.iter().find(|row| row.email_key == key).expect("a registration for that address");
        app::server::registrations::manage_path(&self.state, row, app::i18n::Locale::En)
    }

    /// Signs in through the server function; returns the session cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let form = format!("email={}&password={}", encode(email), encode(password));
        let reply = self.call("account/sign_in", &form).await;
        assert_eq!(reply.status, StatusCode::OK, "sign in as {email}: {}", reply.body);
        reply.cookie.expect("signing in sets the session cookie")
    }

    /// A format and a facilitator to hang sessions on.
    pub async fn seed_format(&self, slug: &str) -> (i32, i32) {
        let slug = slug.to_string();
        self.state
            .db
            .write(move |txn| {
                Box::pin(async move {
                    let format = insert_format(
                        txn,
                        NewFormat {
                            name: (format!("{slug} (en)"), format!("{slug} (fr)")),
                            slug,
                            description: ("About it".into(), "À propos".into()),
                            led_by: ("a trained peer".into(), "un pair formé".into()),
                            position: 0,
                        },
                    )
                    .await?;
                    let facilitator = insert_facilitator(
                        txn,
                        NewFacilitator {
                            display_name: "Dr. Test".into(),
                            credentials: ("Peer".into(), "Pair".into()),
                        },
                    )
                    .await?;
                    Ok::<_, app::server::db::DbError>((format, facilitator))
                })
            })
            .await
            .unwrap()
    }

    pub async fn seed_session(&self, ids: (i32, i32), session: SessionSeed) -> i32 {
        let new = NewSession {
            format_id: ids.0,
            facilitator_id: ids.1,
            // An empty title seeds a session without one, which goes by its format's name.
            title: match session.title.as_str() {
                "" => Bilingual::default(),
                title => Bilingual::both(title, format!("{title} (fr)")),
            },
            description: Bilingual::both("Description", "Description FR"),
            starts_at: session.starts_at,
            duration_minutes: 60,
            capacity: session.capacity,
            language: session.language,
            audience: session.audience,
            series: session.series,
            meeting_link: Some(meeting_link(&session.title)),
        };
        self.state.db.write(move |txn| Box::pin(insert_session(txn, new, Utc::now()))).await.unwrap()
    }
}

pub fn encode(text: &str) -> String {
    app::calendar_links::encode_component(text)
}

/// The `register` server function's arguments for a complete, valid form.
pub fn registration_call(session_id: i32, email: &str) -> String {
    format!(
        "session_id={session_id}&locale=en&form[name]=Dr.%20Test%20Person&form[email]={}&form[career_stage]=resident\
         &form[province]=ON&form[language]=en&form[rules]=yes",
        app::calendar_links::encode_component(email)
    )
}

/// The meeting link seeded sessions get: `https://meet.example.invalid/secret-{title}`.
pub fn meeting_link(title: &str) -> String {
    format!("https://meet.example.invalid/secret-{title}")
}

pub struct SessionSeed {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub capacity: u32,
    pub language: SessionLanguage,
    pub audience: Audience,
    pub series: Option<SeriesInfo>,
}

impl SessionSeed {
    pub fn at(title: &str, starts_at: DateTime<Utc>) -> Self {
        SessionSeed {
            title: title.into(),
            starts_at,
            capacity: 30,
            language: SessionLanguage::En,
            audience: Audience::All,
            series: None,
        }
    }
}
