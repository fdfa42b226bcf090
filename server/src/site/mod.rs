//! What makes the site an installable app: the bundle's file names (hashed in release builds),
//! static files with the caching each kind deserves, the web app manifest in each language,
//! and the service worker, generated with the list of files it keeps for offline use.

use app::i18n::{Locale, Tr};
pub use app::server::bundle::Bundle;
use app::server::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Files under a hashed name never change: browsers may keep them for a year without asking.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// Icons and the favicon keep their names across releases: a day, then ask again.
const A_DAY: &str = "public, max-age=86400";
/// Ask the server every time (it answers "not modified" when nothing changed).
const REVALIDATE: &str = "no-cache";

/// Serves what the site build (`tools/site`) placed in the site root at explicit paths, so they win over the
/// `/{lang}` page routes. A browser that accepts brotli or gzip gets the file compressed at
/// build time.
pub fn serve_files(mut router: Router<AppState>, site_root: &str, bundle: &Bundle) -> Router<AppState> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        tracing::warn!(site_root, "site root not found: pages will render without styles or scripts");
        return router;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let keep = match name.as_str() {
            "pkg" if bundle.hashed => FOREVER,
            "pkg" => REVALIDATE,
            _ => A_DAY,
        };
        let caching =
            SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static(keep));
        router = if path.is_dir() {
            let files = ServeDir::new(&path).precompressed_br().precompressed_gzip();
            router.nest_service(&format!("/{name}"), ServiceBuilder::new().layer(caching).service(files))
        } else {
            let file = ServeFile::new(&path).precompressed_br().precompressed_gzip();
            router.route_service(&format!("/{name}"), ServiceBuilder::new().layer(caching).service(file))
        };
    }
    router
}

/// `GET /{lang}/manifest.webmanifest`: the app as a phone installs it, named in its language.
pub async fn manifest(Path(lang): Path<String>) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let t = Tr(locale);
    let icon = |src: &str, size: &str, purpose: &str| serde_json::json!({ "src": src, "sizes": size, "type": "image/png", "purpose": purpose });
    let manifest = serde_json::json!({
        "id": "/",
        "name": t.app_name(),
        "short_name": t.app_short_name(),
        "description": t.app_description(),
        "lang": locale.bcp47(),
        "dir": "ltr",
        "start_url": format!("/{locale}"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": app::THEME_COLOUR,
        "icons": [
            icon("/icons/icon-192.png", "192x192", "any"),
            icon("/icons/icon-512.png", "512x512", "any"),
            icon("/icons/maskable-512.png", "512x512", "maskable"),
        ],
    });
    (
        [(header::CONTENT_TYPE, "application/manifest+json"), (header::CACHE_CONTROL, A_DAY)],
        manifest.to_string(),
    )
        .into_response()
}

const WORKER_TEMPLATE: &str = include_str!("worker.js");

/// The service worker's source, with this build's files and a version that changes with them
/// (a new version replaces the old caches). It keeps the light build from installation: every
/// page it keeps for offline use loads that one. The full build, for the forms (which need
/// the network anyway), is kept once a page has loaded it.
pub fn worker_source(bundle: &Bundle) -> String {
    let precache = [bundle.css.as_str(), bundle.light.js.as_str(), bundle.light.wasm.as_str()];
    let version = {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        (bundle.files(), WORKER_TEMPLATE).hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    };
    WORKER_TEMPLATE
        .replace("__VERSION__", &version)
        .replace("__BUNDLE__", &serde_json::to_string(&precache).unwrap_or_default())
        .replace("__IMMUTABLE__", if bundle.hashed { "true" } else { "false" })
}

/// `GET /sw.js`, at the root so that it may look after every page. Its source is built once.
pub fn worker_route(bundle: &Bundle) -> MethodRouter<AppState> {
    let source = worker_source(bundle);
    get(move || {
        let source = source.clone();
        async move {
            let headers = [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, REVALIDATE),
            ];
            (headers, source).into_response()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::server::bundle::Scripts;

    #[test]
    fn the_worker_names_this_build_and_changes_with_it() {
        let bundle = |hash: &str| Bundle {
            css: format!("/pkg/rounds.{hash}.css"),
            full: Scripts { js: format!("/pkg/rounds.{hash}.js"), wasm: format!("/pkg/rounds.{hash}.wasm") },
            light: Scripts {
                js: format!("/pkg/rounds-light.{hash}.js"),
                wasm: format!("/pkg/rounds-light.{hash}.wasm"),
            },
            hashed: true,
        };
        let first = worker_source(&bundle("aaa"));
        assert!(first.contains("\"/pkg/rounds-light.aaa.wasm\""));
        assert!(
            !first.contains("\"/pkg/rounds.aaa.wasm\""),
            "the full build is kept once used, not at installation"
        );
        assert!(!first.contains("__"), "a placeholder was left in the worker");
        assert_ne!(first, worker_source(&bundle("bbb")));
    }
}
