//! The HTTP surface: pages under `/{lang}/…` (and the forms they post), server functions under
//! `/api/…`, calendar files, the live seat stream, the files cargo-leptos writes to the site
//! root, the health check, and the language redirect at `/`.

use crate::{calendar_routes, forms, live_route};
use app::components::layout::SiteUrl;
use app::i18n::Locale;
use app::server::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// What every page and server function finds in its context.
pub(crate) fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let state = state.clone();
    move || {
        provide_context(SiteUrl(state.settings.public_url.clone()));
        provide_context(state.clone());
    }
}

pub fn router(state: AppState) -> Router {
    let context = page_context(&state);
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let server_fns = {
        let context = context.clone();
        move |req: Request<Body>| handle_server_fns_with_context(context.clone(), req)
    };

    let router = Router::new()
        .route("/", get(language_redirect))
        .route("/healthz", get(health))
        .route("/api/{*fn_name}", get(server_fns.clone()).post(server_fns))
        .route("/live/seats", get(live_route::seats))
        .route("/{lang}/calendar.ics", get(calendar_routes::feed))
        .route("/{lang}/sessions/{id}/calendar.ics", get(calendar_routes::session_file))
        .leptos_routes_with_context(&state, generate_route_list(App), context, render)
        .route("/{lang}/sessions/{id}", post(forms::register))
        .route("/{lang}/registrations/{token}", post(forms::cancel));
    serve_site_files(router, &state.leptos_options.site_root)
        .fallback(trailing_slash_redirect)
        .with_state(state)
}

/// Serves what cargo-leptos placed in the site root (the bundle under `pkg/`, icons, …) at
/// explicit paths, so they win over the `/{lang}` page routes.
fn serve_site_files(mut router: Router<AppState>, site_root: &str) -> Router<AppState> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        tracing::warn!(site_root, "site root not found: pages will render without styles or scripts");
        return router;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        router = if path.is_dir() {
            router.nest_service(&format!("/{name}"), ServeDir::new(&path))
        } else {
            router.route_service(&format!("/{name}"), ServeFile::new(Path::new(&path)))
        };
    }
    router
}

/// `/` opens the calendar in the language the browser prefers.
async fn language_redirect(headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut response = Redirect::temporary(&format!("/{}", Locale::negotiate(accept))).into_response();
    response.headers_mut().insert(header::VARY, header::ACCEPT_LANGUAGE.into());
    response
}

/// The page routes cover every path of one segment or more except those ending in a slash
/// after the first segment (`/en/`): those go to the same page without it.
async fn trailing_slash_redirect(request: Request<Body>) -> Response {
    let uri = request.uri();
    let trimmed = uri.path().trim_end_matches('/');
    if trimmed.is_empty() || trimmed == uri.path() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let target = match uri.query() {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed.to_string(),
    };
    Redirect::permanent(&target).into_response()
}

/// Answers 200 when the database is reachable, 503 otherwise.
async fn health(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(err) => {
            tracing::warn!(%err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}
