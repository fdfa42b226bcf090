//! Limits against abuse, with the defaults of a real installation unless a test says
//! otherwise: public writes per network address and per email address (both the server
//! functions and the forms posted without JavaScript), the client address behind a trusted
//! proxy, and the bound on live seat streams.

use crate::common;

use app::error::AppError;
use app::model::Acknowledged;
use app::server::rate_limit::{Limit, StreamLimits, WriteLimits};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use common::{Reply, SessionSeed, TestApp, registration_call, spawn_with};
use std::net::SocketAddr;
use tower::ServiceExt;

async fn session(app: &TestApp, title: &str, capacity: u32) -> i32 {
    let ids = app.seed_format(&format!("format-{title}")).await;
    let mut seed = SessionSeed::at(title, Utc::now() + Duration::days(3));
    seed.capacity = capacity;
    app.seed_session(ids, seed).await
}

fn peer(address: &str) -> SocketAddr {
    SocketAddr::new(address.parse().unwrap(), 50_000)
}

fn register_request(session_id: i32, email: &str) -> Request<Body> {
    Request::post("/api/registrations/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(registration_call(session_id, email)))
        .unwrap()
}

fn form_request(path: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .body(Body::from(form.to_string()))
        .unwrap()
}

fn refused(reply: &Reply) -> bool {
    reply.status == StatusCode::TOO_MANY_REQUESTS
}

#[tokio::test]
async fn one_address_may_register_30_times_in_10_minutes_then_is_told_to_wait() {
    let app = spawn_with(|_| {}).await;
    let id = session(&app, "crowded", 100).await;
    let from = peer("203.0.113.7");
    for n in 0..30 {
        let reply = app.send_from(from, register_request(id, &format!("person{n}@example.ca"))).await;
        assert_eq!(reply.status, StatusCode::OK, "registration {n}: {}", reply.body);
    }
    let api = app.send_from(from, register_request(id, "person30@example.ca")).await;
    assert!(refused(&api), "{}", api.status);
    assert_eq!(api.json::<AppError>(), AppError::TooManyRequests);

    // The form without JavaScript says so in the page's language and keeps what was typed.
    let typed = "name=Dr.%20Marie%20Curie&email=marie%40example.ca&career_stage=fellow&province=QC&language=fr&rules=yes";
    let page = app.send_from(from, form_request(&format!("/fr/sessions/{id}"), typed)).await;
    assert!(refused(&page), "{}", page.status);
    assert!(page.body.contains("Trop de formulaires ont été envoyés"), "{}", page.body);
    assert!(page.body.contains("value=\"Dr. Marie Curie\""), "the name is kept");
    assert!(page.body.contains("value=\"marie@example.ca\""), "the email is kept");
    assert!(page.body.contains("<option value=\"fellow\" selected"), "the career stage is kept");
    assert!(page.body.contains("<option value=\"QC\" selected"), "the province is kept");

    // Nothing of either was saved, and another address is not held back.
    let other = app.send_from(peer("203.0.113.8"), register_request(id, "person30@example.ca")).await;
    assert!(other.json::<Acknowledged>().next_path.ends_with("?registered=1"));
}

#[tokio::test]
async fn one_email_address_gets_10_forms_an_hour_whatever_the_form_or_address() {
    let app = spawn_with(|_| {}).await;
    let id = session(&app, "inbox", 30).await;
    for n in 0..10 {
        let reply =
            app.send_from(peer(&format!("198.51.100.{n}")), register_request(id, "ada@example.ca")).await;
        assert_eq!(reply.status, StatusCode::OK, "attempt {n}: {}", reply.body);
    }
    let again = app.send_from(peer("198.51.100.99"), register_request(id, " ADA@example.ca")).await;
    assert!(refused(&again), "{}", again.status);
    assert_eq!(again.json::<AppError>(), AppError::TooManyRequests);

    // Every public form counts toward the same address: a password reset for it too.
    let reset = app
        .send_from(peer("198.51.100.100"), form_request("/en/forgot-password", "email=ada%40example.ca"))
        .await;
    assert!(refused(&reset), "{}", reset.status);
    assert!(reset.body.contains("Too many forms were sent"), "{}", reset.body);
    assert!(reset.body.contains("value=\"ada@example.ca\""), "the address is kept");
    let other = app
        .send_from(peer("198.51.100.100"), form_request("/en/forgot-password", "email=bob%40example.ca"))
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "another address is not held back");
}

#[tokio::test]
async fn forwarded_for_names_the_client_only_behind_a_trusted_proxy() {
    let app = spawn_with(|config| {
        config.trusted_proxies = vec!["10.0.0.5".parse().unwrap()];
        config.write_limits = WriteLimits {
            per_address: Limit { count: 2, window: std::time::Duration::from_secs(600) },
            ..WriteLimits::default()
        };
    })
    .await;
    let id = session(&app, "proxied", 100).await;
    let forwarded = |email: &str, client: &str| {
        let mut request = register_request(id, email);
        request.headers_mut().insert("x-forwarded-for", client.parse().unwrap());
        request
    };
    // From an untrusted peer the header is the client's own claim: ignored.
    let untrusted = peer("203.0.113.50");
    assert_eq!(
        app.send_from(untrusted, forwarded("a@example.ca", "198.51.100.1")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.send_from(untrusted, forwarded("b@example.ca", "198.51.100.2")).await.status,
        StatusCode::OK
    );
    assert!(refused(&app.send_from(untrusted, forwarded("c@example.ca", "198.51.100.3")).await));

    // From the proxy it names the client, each counted on its own...
    let proxy = peer("10.0.0.5");
    for n in 0..5 {
        let reply =
            app.send_from(proxy, forwarded(&format!("p{n}@example.ca"), &format!("192.0.2.{n}"))).await;
        assert_eq!(reply.status, StatusCode::OK, "client {n}");
    }
    // ...and a client cannot hide behind an address it writes itself, left of the proxy's.
    assert_eq!(app.send_from(proxy, forwarded("q1@example.ca", "192.0.2.1")).await.status, StatusCode::OK);
    assert!(refused(&app.send_from(proxy, forwarded("q2@example.ca", "1.2.3.4, 192.0.2.1")).await));
}

async fn open_stream(app: &TestApp, from: SocketAddr, id: i32) -> (StatusCode, Body) {
    let mut request = Request::get(format!("/live/seats?ids={id}")).body(Body::empty()).unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(from));
    let response = app.router.clone().oneshot(request).await.unwrap();
    (response.status(), response.into_body())
}

#[tokio::test]
async fn live_streams_are_bounded_per_address_and_a_closed_one_frees_its_place() {
    let app = spawn_with(|_| {}).await;
    let id = session(&app, "watched", 30).await;
    let from = peer("203.0.113.9");
    let mut open = Vec::new();
    for n in 0..StreamLimits::default().per_address {
        let (status, body) = open_stream(&app, from, id).await;
        assert_eq!(status, StatusCode::OK, "stream {n}");
        open.push(body);
    }
    assert_eq!(open_stream(&app, from, id).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(open_stream(&app, peer("203.0.113.10"), id).await.0, StatusCode::OK, "another address");
    // The page that closes a stream gives its place back.
    drop(open.pop());
    assert_eq!(open_stream(&app, from, id).await.0, StatusCode::OK);
}

#[tokio::test]
async fn live_streams_are_bounded_in_all() {
    let app = spawn_with(|config| config.stream_limits = StreamLimits { per_address: 16, total: 3 }).await;
    let id = session(&app, "popular", 30).await;
    let mut open = Vec::new();
    for n in 0..3 {
        let (status, body) = open_stream(&app, peer(&format!("192.0.2.{n}")), id).await;
        assert_eq!(status, StatusCode::OK);
        open.push(body);
    }
    assert_eq!(open_stream(&app, peer("192.0.2.3"), id).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.state.streams.open(), 3);
    open.clear();
    assert_eq!(app.state.streams.open(), 0);
    assert_eq!(open_stream(&app, peer("192.0.2.3"), id).await.0, StatusCode::OK);
}
