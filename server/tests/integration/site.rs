//! What the server sends around the pages: security headers, the manifest, the service worker
//! and the precompressed site files.

use crate::common;

use app::i18n::{Locale, Tr};
use app::server::security::{inline_script_hashes, policy_nonce};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use common::{SessionSeed, spawn};
use http_body_util::BodyExt;
use std::io::Read;
use tower::ServiceExt;

#[tokio::test]
async fn every_inline_script_carries_the_nonce_of_the_page_policy() {
    let app = spawn().await;
    // The support page reads the viewer's cookie, so it is rendered for every request.
    let page = app.get("/en/support").await;
    assert_eq!(page.status, StatusCode::OK);
    let policy = page.header(header::CONTENT_SECURITY_POLICY.as_str()).expect("a policy on pages");
    let nonce = policy_nonce(policy).expect("a nonce in script-src").to_string();
    for directive in ["'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]
    {
        assert!(policy.contains(directive), "{directive} missing from {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let scripts: Vec<&str> = page.body.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        let tag = &script[..script.find('>').unwrap()];
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "script without the page nonce: {tag}");
    }
    // A fresh nonce for every response.
    let again = app.get("/en/support").await;
    assert!(!again.header("content-security-policy").unwrap().contains(&nonce));

    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("referrer-policy"), Some("strict-origin-when-cross-origin"));
    assert!(page.header("permissions-policy").unwrap().contains("camera=()"));
    // Served over plain http here, so no HSTS.
    assert_eq!(page.header("strict-transport-security"), None);
}

#[tokio::test]
async fn the_calendar_and_a_session_page_are_sent_from_one_render_until_something_is_written() {
    let app = spawn().await;
    let ids = app.seed_format("kept").await;
    let session = app.seed_session(ids, SessionSeed::at("Kept page", Utc::now() + Duration::days(2))).await;
    let t = Tr(Locale::En);
    let session_page = format!("/en/sessions/{session}");

    for (taken, email) in [(0, "kept@example.org"), (1, "again@example.org")] {
        for path in ["/en", session_page.as_str()] {
            let first = app.get(path).await;
            assert_eq!(first.status, StatusCode::OK);
            assert!(first.body.contains(&t.seats_left(30 - taken)), "{path} shows {taken} taken");
            // Sent more than once, so the policy names its inline scripts by hash, and no
            // stale nonce is left in the page.
            let policy = first.header("content-security-policy").unwrap();
            assert!(!policy.contains("'nonce-") && !first.body.contains(" nonce="), "{policy}");
            let hashes = inline_script_hashes(&first.body);
            assert!(!hashes.is_empty());
            for hash in &hashes {
                assert!(policy.contains(hash.as_str()), "{hash} missing from {policy}");
            }
            assert_eq!(first.header("x-content-type-options"), Some("nosniff"));
            assert_eq!(app.get(path).await.body, first.body, "{path} is sent from its one render");
            assert_kept_bytes_match(&app, path, &first.body).await;
        }
        // A registration is a write: the next visitor of either page sees its seat taken.
        assert_eq!(app.register(session, email).await.status, StatusCode::OK);
    }
    assert!(app.get(&session_page).await.body.contains(&t.seats_left(28)), "the old count was sent again");
}

/// The kept bytes of `path`, compressed as each browser asks, are the page's.
async fn assert_kept_bytes_match(app: &common::TestApp, path: &str, page: &str) {
    let fetch = |accept: &'static str| {
        let router = app.router.clone();
        let path = path.to_string();
        async move {
            let request =
                Request::get(path).header(header::ACCEPT_ENCODING, accept).body(Body::empty()).unwrap();
            let response = router.oneshot(request).await.unwrap();
            let encoding =
                response.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_string());
            (encoding, response.into_body().collect().await.unwrap().to_bytes())
        }
    };
    let (encoding, brotli) = fetch("gzip, deflate, br").await;
    assert_eq!(encoding.as_deref(), Some("br"));
    let mut html = String::new();
    brotli::Decompressor::new(&brotli[..], 4096).read_to_string(&mut html).unwrap();
    assert_eq!(html, page);
    let (encoding, gzip) = fetch("gzip").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    html.clear();
    flate2::read::GzDecoder::new(&gzip[..]).read_to_string(&mut html).unwrap();
    assert_eq!(html, page);
}

#[tokio::test]
async fn the_islands_of_every_card_are_the_ones_left_to_wake_when_seen() {
    let app = spawn().await;
    let ids = app.seed_format("cards").await;
    app.seed_session(ids, SessionSeed::at("A card", Utc::now() + Duration::days(2))).await;
    let page = app.get("/en").await;
    // The start script is told which islands to leave until they come near the screen; a
    // renamed island would silently wake with the rest.
    for island in app::components::WAKE_WHEN_SEEN {
        assert!(page.body.contains(&format!("data-component=\"{island}_")), "no {island} island on a card");
        assert!(page.body.contains(&format!("\"{island}\"")), "{island} not passed to the start script");
    }
    // The script's comments stay in the source.
    assert!(page.body.contains("IntersectionObserver"));
    assert!(!page.body.contains("Starts the browser bundle"), "the start script's comments were sent");
}

#[tokio::test]
async fn private_pages_are_never_stored_and_the_calendar_may_be() {
    let app = spawn().await;
    assert_eq!(app.get("/en/sign-in").await.header("cache-control"), Some("no-store"));
    assert_eq!(app.get("/fr/registrations/not-a-token").await.header("cache-control"), Some("no-store"));
    assert_ne!(app.get("/en").await.header("cache-control"), Some("no-store"));
    assert_ne!(app.get("/en/my-sessions").await.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn the_manifest_describes_an_installable_app_in_each_language() {
    let app = spawn().await;
    let french = app.get("/fr/manifest.webmanifest").await;
    assert_eq!(french.status, StatusCode::OK);
    let manifest: serde_json::Value = french.json();
    assert_eq!(manifest["start_url"], "/fr");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["lang"], "fr-CA");
    assert_eq!(manifest["theme_color"], app::THEME_COLOUR);
    let icons = manifest["icons"].as_array().unwrap();
    for (sizes, purpose) in [("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")] {
        assert!(
            icons.iter().any(|icon| icon["sizes"] == sizes && icon["purpose"] == purpose),
            "{sizes} {purpose}"
        );
    }
    let english: serde_json::Value = app.get("/en/manifest.webmanifest").await.json();
    assert_ne!(english["description"], manifest["description"]);
    assert_eq!(app.get("/de/manifest.webmanifest").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_service_worker_is_revalidated_and_leaves_live_data_alone() {
    let app = spawn().await;
    let worker = app.get("/sw.js").await;
    assert_eq!(worker.status, StatusCode::OK);
    assert_eq!(worker.header("cache-control"), Some("no-cache"));
    assert!(worker.header("content-type").unwrap().contains("javascript"));
    for skipped in ["'/api/'", "'/live/'", "text/event-stream", "no-store"] {
        assert!(worker.body.contains(skipped), "the worker does not mention {skipped}");
    }
    assert!(!worker.body.contains("__BUNDLE__"), "the template was not filled in");
}

#[tokio::test]
async fn precompressed_files_are_sent_as_they_are() {
    let app = spawn().await;
    let pkg = std::path::Path::new(&*app.config.leptos.site_root).join("pkg");
    std::fs::write(pkg.join("rounds.css.br"), b"brotli bytes").unwrap();
    let request = Request::get("/pkg/rounds.css")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), Some("br"));
    assert_eq!(reply.body, "brotli bytes");
    // Names without a content hash may change under the same address: revalidate them.
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    let plain = app.get("/pkg/rounds.css").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, "body{}");
}
