//! Public pages kept as rendered, compressed bytes.
//!
//! The calendar views (`/{lang}`, `/{lang}/week`, `/{lang}/month`, with their filters) are the
//! pages most visits open, and a session's, cohort's or round's page is where every shared link
//! lands. They are the same for every visitor until something changes: rendering one costs a
//! few milliseconds of CPU, sending a kept copy a few microseconds. A copy is dropped
//! as soon as anything is written (every request other than GET, HEAD or OPTIONS moves the
//! cache to a new generation once it has been answered, so after its commit; on PostgreSQL it
//! also tells the other instances, whose caches move on when they hear it) and after
//! [`FRESH_FOR`] in any case, because a session that starts leaves the list with time alone.
//! Live seat counts reach a page that is open through the event stream, not through here.
//!
//! A copy is sent many times, so it cannot carry a per-response nonce: its
//! Content-Security-Policy names each of its inline scripts by SHA-256 instead.

use app::server::db::{Db, PageGeneration};
use app::server::live::PAGES_CHANNEL;
use app::server::security::{InlineScripts, content_security_policy, inline_script_hashes, policy_nonce};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a copy may be sent without a write having happened.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Filters and ids come from the address, so anyone can ask for new combinations: the cache
/// keeps at most this many pages (a calendar view is about 60 KB with its two compressed
/// copies, a session's page less) and renders the others every time.
const MAX_PAGES: usize = 512;
/// Longer addresses are rendered every time.
const MAX_KEY_LENGTH: usize = 512;
/// Requests for the same page wait for one render instead of all rendering at once; pages
/// share these locks by the hash of their address.
const FILL_LOCKS: usize = 16;
/// No page comes near this; a page that did would be sent without being kept.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

pub struct PageCache {
    /// Shared with the database's signals, which other instances' writes advance too.
    generation: PageGeneration,
    /// Where to tell other instances of a write; `None` alone on SQLite.
    db: Option<Db>,
    pages: RwLock<HashMap<String, Arc<KeptPage>>>,
    fills: [tokio::sync::Mutex<()>; FILL_LOCKS],
    hasher: RandomState,
}

impl PageCache {
    /// The cache of one instance whose database is `db`.
    pub fn new(db: &Db) -> Self {
        Self {
            generation: db.signals().pages.clone(),
            db: db.postgres_pool().is_some().then(|| db.clone()),
            pages: RwLock::new(HashMap::new()),
            fills: std::array::from_fn(|_| tokio::sync::Mutex::new(())),
            hasher: RandomState::new(),
        }
    }
}

impl PageCache {
    fn fresh(&self, key: &str) -> Option<Arc<KeptPage>> {
        let generation = self.generation.current();
        let pages = self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        pages
            .get(key)
            .filter(|page| page.generation == generation && page.rendered_at.elapsed() < FRESH_FOR)
            .cloned()
    }

    fn keep(&self, key: String, page: Arc<KeptPage>) {
        let mut pages = self.pages.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            let generation = self.generation.current();
            pages.retain(|_, page| page.generation == generation && page.rendered_at.elapsed() < FRESH_FOR);
            if pages.len() >= MAX_PAGES {
                return;
            }
        }
        pages.insert(key, page);
    }

    /// A write was answered: pages kept before it are stale here and, once they hear it, on
    /// every other instance.
    async fn written(&self) {
        self.generation.advance();
        if let Some(db) = &self.db
            && let Err(err) = db.notify(PAGES_CHANNEL, "").await
        {
            tracing::warn!(%err, "could not tell other instances of a write; their pages expire in {FRESH_FOR:?}");
        }
    }

    fn fill_lock(&self, key: &str) -> &tokio::sync::Mutex<()> {
        &self.fills[self.hasher.hash_one(key) as usize % FILL_LOCKS]
    }
}

/// The middleware: sends kept pages, keeps new renders of them, and starts a new
/// generation after every write.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request<Body>, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let response = next.run(request).await;
        cache.written().await;
        return response;
    }
    let Some(key) = (request.method() == Method::GET).then(|| page_key(request.uri())).flatten() else {
        return next.run(request).await;
    };
    let encoding = Encoding::preferred(request.headers());
    if let Some(page) = cache.fresh(&key) {
        return page.response(encoding);
    }
    let _filling = cache.fill_lock(&key).lock().await;
    if let Some(page) = cache.fresh(&key) {
        return page.response(encoding);
    }
    // Read before rendering: a write that commits during the render leaves this copy stale.
    let generation = cache.generation.current();
    let (mut parts, body) = request.into_parts();
    parts.headers.remove(header::ACCEPT_ENCODING);
    let response = next.run(Request::from_parts(parts, body)).await;
    match KeptPage::from_response(response, generation).await {
        Ok(page) => {
            let page = Arc::new(page);
            cache.keep(key, Arc::clone(&page));
            page.response(encoding)
        }
        Err(response) => response,
    }
}

/// The cache key of a public page that is the same for every visitor, `None` for every other
/// address. Pages read from a cookie (the support page's province) or opened by a private link
/// are not among them; a page re-rendered with what a visitor typed answers a POST, never kept.
fn page_key(uri: &Uri) -> Option<String> {
    let mut segments = uri.path().strip_prefix('/')?.split('/');
    let language = segments.next()?;
    let numbered = |segment: Option<&str>| {
        segment.is_some_and(|id| !id.is_empty() && id.len() <= 9 && id.bytes().all(|b| b.is_ascii_digit()))
    };
    let shared = match (segments.next(), segments.next(), segments.next()) {
        (
            None
            | Some("week" | "month" | "gratitude" | "programs" | "resources" | "about" | "faq" | "rules"),
            None,
            None,
        ) => true,
        (Some("sessions" | "cohorts" | "rounds"), id, None) => numbered(id),
        (Some("rounds"), id, Some("draw")) => numbered(id) && segments.next().is_none(),
        _ => false,
    };
    let key = uri.path_and_query()?.as_str();
    (shared && language.parse::<app::i18n::Locale>().is_ok() && key.len() <= MAX_KEY_LENGTH)
        .then(|| key.to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// Brotli when the browser takes it, then gzip, else the page as it is. An encoding
    /// listed with `q=0` is refused.
    fn preferred(headers: &HeaderMap) -> Self {
        let accepted: Vec<&str> = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|item| {
                let mut pieces = item.split(';').map(str::trim);
                let name = pieces.next()?;
                let refused = pieces.any(|piece| {
                    piece.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
                });
                (!refused).then_some(name)
            })
            .collect();
        if accepted.iter().any(|name| name.eq_ignore_ascii_case("br")) {
            Self::Brotli
        } else if accepted.iter().any(|name| name.eq_ignore_ascii_case("gzip")) {
            Self::Gzip
        } else {
            Self::Identity
        }
    }
}

/// One rendered page, in the three encodings, with the headers it was answered with.
struct KeptPage {
    generation: u64,
    rendered_at: Instant,
    headers: HeaderMap,
    html: Bytes,
    brotli: Bytes,
    gzip: Bytes,
}

impl KeptPage {
    /// Keeps a successful HTML render that sets no cookie; gives back anything else untouched.
    async fn from_response(response: Response, generation: u64) -> Result<Self, Response> {
        let html_page = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
        let personal = response.headers().contains_key(header::SET_COOKIE);
        if response.status() != StatusCode::OK || !html_page || personal {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let html = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
            Ok(html) => html,
            Err(err) => {
                tracing::warn!(%err, "a page could not be read for the cache");
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        let nonce = parts
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|policy| policy.to_str().ok())
            .and_then(policy_nonce)
            .map(str::to_string);
        let mut page = String::from_utf8_lossy(&html).into_owned();
        // The render's nonce no longer vouches for its scripts; leave no trace of it.
        if let Some(nonce) = nonce {
            page = page.replace(&format!(" nonce=\"{nonce}\""), "");
        }
        let hashes = inline_script_hashes(&page);
        let html = Bytes::from(page);
        let mut headers = parts.headers;
        for per_response in
            [header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::CONTENT_ENCODING, header::DATE]
        {
            headers.remove(per_response);
        }
        if let Ok(policy) = HeaderValue::from_str(&content_security_policy(InlineScripts::Hashes(&hashes))) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        Ok(Self {
            generation,
            rendered_at: Instant::now(),
            headers,
            brotli: compress_brotli(&html),
            gzip: compress_gzip(&html),
            html,
        })
    }

    fn response(&self, encoding: Encoding) -> Response {
        let (body, content_encoding) = match encoding {
            Encoding::Brotli => (&self.brotli, Some("br")),
            Encoding::Gzip => (&self.gzip, Some("gzip")),
            Encoding::Identity => (&self.html, None),
        };
        let mut response = Response::new(Body::from(body.clone()));
        *response.headers_mut() = self.headers.clone();
        if let Some(content_encoding) = content_encoding {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(content_encoding));
        }
        response
    }
}

/// Quality 5 of 11: within a few percent of the smallest output at a small share of the time,
/// which matters because visitors wait for the first render after each write.
fn compress_brotli(bytes: &[u8]) -> Bytes {
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
    writer.write_all(bytes).expect("compressing into memory cannot fail");
    Bytes::from(writer.into_inner())
}

fn compress_gzip(bytes: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(bytes).expect("compressing into memory cannot fail");
    Bytes::from(encoder.finish().expect("compressing into memory cannot fail"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_pages_are_kept_and_private_or_personal_ones_are_not() {
        let key = |uri: &str| page_key(&uri.parse().unwrap());
        for kept in [
            "/en",
            "/fr/week?offset=1",
            "/en/month",
            "/en/sessions/4",
            "/fr/sessions/4?registered=1",
            "/en/cohorts/12",
            "/en/rounds/3",
            "/fr/rounds/3/draw?seed=abc",
            "/en/programs",
            "/fr/gratitude?page=2",
        ] {
            assert_eq!(key(kept).as_deref(), Some(kept));
        }
        for other in [
            "/",
            "/de",
            "/de/sessions/4",
            "/en/sessions/",
            "/en/sessions/x4",
            "/en/sessions/4/calendar.ics",
            "/en/week/extra",
            "/en/workspace",
            "/en/support",
            "/en/registrations/abc",
            "/en/cohort-registrations/abc",
            "/en/applications/abc",
            "/en/evaluations/abc",
            "/en/gratitude/story/abc",
            "/en/gratitude/share",
            "/en/rounds/3/draw/x",
            "/live/seats",
            "/api/x",
        ] {
            assert_eq!(key(other), None, "{other}");
        }
        assert_eq!(key(&format!("/en?q={}", "x".repeat(MAX_KEY_LENGTH))), None);
    }

    #[test]
    fn the_encoding_follows_what_the_browser_accepts() {
        let preferred = |accept: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).unwrap());
            Encoding::preferred(&headers)
        };
        assert_eq!(preferred("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(preferred("gzip"), Encoding::Gzip);
        assert_eq!(preferred("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(preferred("identity"), Encoding::Identity);
        assert_eq!(Encoding::preferred(&HeaderMap::new()), Encoding::Identity);
    }
}
