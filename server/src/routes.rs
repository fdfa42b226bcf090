//! The HTTP surface: pages under `/{lang}/…` (and the forms they post), server functions under
//! `/api/…`, calendar files, the live seat stream, the files the site build writes to the site
//! root, the health check, and the language redirect at `/`.

use crate::page_cache::{self, PageCache};
use crate::site::{self, Bundle};
use crate::{calendar_routes, failures, forms, live_route, resource_files, security};
use app::components::layout::SiteUrl;
use app::i18n::Locale;
use app::server::db::web_sessions::DbSessionStore;
use app::server::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos::prelude::{IntoView, provide_context};
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// What every page and server function finds in its context.
pub(crate) fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let state = state.clone();
    move || {
        provide_context(SiteUrl(state.settings.public_url.clone()));
        provide_context(state.clone());
    }
}

/// Renders `document` (the app's shell, or its error shell) for the address in `parts`, with
/// `extra` in its context, answering `status`.
pub(crate) async fn render_document<V: IntoView + 'static>(
    state: &AppState,
    parts: http::request::Parts,
    extra: impl Fn() + Clone + Send + Sync + 'static,
    status: StatusCode,
    document: fn(LeptosOptions) -> V,
) -> Response {
    let context = page_context(state);
    let render = leptos_axum::render_app_async_with_context(
        move || {
            context();
            extra();
        },
        {
            let options = state.leptos_options.clone();
            move || document(options.clone())
        },
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

pub fn router(state: AppState) -> Router {
    failures::install_executor();
    let context = page_context(&state);
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let server_fns = {
        let context = context.clone();
        move |req: Request<Body>| handle_server_fns_with_context(context.clone(), req)
    };

    let bundle = Bundle::current(&state.leptos_options);
    let router = Router::new()
        .route("/", get(language_redirect))
        .route("/healthz", get(health))
        .route("/api/{*fn_name}", get(server_fns.clone()).post(server_fns))
        .route("/live/seats", get(live_route::seats))
        .route("/sw.js", site::worker_route(bundle))
        .route("/{lang}/manifest.webmanifest", get(site::manifest))
        .route("/{lang}/calendar.ics", get(calendar_routes::feed))
        .route("/{lang}/sessions/{id}/calendar.ics", get(calendar_routes::session_file))
        .route("/{lang}/resources/{id}/pdf", get(resource_files::pdf))
        .leptos_routes_with_context(&state, generate_route_list(App), context, render)
        .route("/{lang}/sessions/{id}", post(forms::register))
        .route("/{lang}/registrations/{token}", post(forms::cancel))
        .route("/{lang}/sign-in", post(forms::account::sign_in))
        .route("/{lang}/sign-out", post(forms::account::sign_out))
        .route("/{lang}/forgot-password", post(forms::account::forgot_password))
        .route("/{lang}/reset-password/{token}", post(forms::account::reset_password))
        .route("/{lang}/invitation/{token}", post(forms::account::accept_invitation))
        .route("/{lang}/workspace/sessions/new", post(forms::workspace::schedule))
        .route("/{lang}/workspace/sessions/{id}", post(forms::workspace::session))
        .route("/{lang}/workspace/facilitators", post(forms::workspace::facilitators))
        .route("/{lang}/workspace/formats", post(forms::workspace::formats))
        .route("/{lang}/workspace/reports/{file}", get(forms::workspace::report_csv))
        .route("/{lang}/workspace/formats/{id}/questions", post(forms::workspace::questions))
        .route("/{lang}/rounds/{id}", post(forms::rounds::apply))
        .route("/{lang}/applications/{token}", post(forms::rounds::withdraw))
        .route("/{lang}/workspace/rounds", post(forms::rounds::open))
        .route("/{lang}/workspace/rounds/{id}", post(forms::rounds::round))
        .route("/{lang}/workspace/rounds/{id}/survey", post(forms::rounds::survey))
        .route("/{lang}/workspace/support", post(forms::workspace::support))
        .route("/{lang}/gratitude/share", post(forms::gratitude::share))
        .route("/{lang}/gratitude/{id}/report", post(forms::gratitude::report))
        .route("/{lang}/gratitude/story/{token}", post(forms::gratitude::own_story))
        .route("/{lang}/workspace/gratitude", post(forms::gratitude::moderate))
        .route(
            "/{lang}/workspace/resources",
            post(forms::resources::manage).layer(DefaultBodyLimit::max(forms::resources::MAX_UPLOAD_BODY)),
        )
        .route("/{lang}/cohorts/{id}", post(forms::cohorts::register))
        .route("/{lang}/cohorts/{id}/interest", post(forms::cohorts::ask_to_be_told))
        .route("/{lang}/cohort-registrations/{token}", post(forms::cohorts::withdraw))
        .route("/{lang}/evaluations/{token}", post(forms::evaluations::answer))
        .route("/{lang}/workspace/cohorts", post(forms::cohorts::create))
        .route("/{lang}/workspace/cohorts/{id}", post(forms::cohorts::cohort));
    let browser_sessions = browser_sessions(&state);
    site::serve_files(router, &state.leptos_options.site_root, bundle)
        .fallback(trailing_slash_redirect)
        .layer(axum::middleware::from_fn(failures::server_fn_status))
        .layer(browser_sessions)
        .layer(axum::middleware::from_fn_with_state(state.clone(), failures::catch_panics))
        .layer(axum::middleware::from_fn(same_origin_writes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
        // Pages are compressed as they go out; brotli's own default (quality 11) is meant for
        // files compressed once, and costs milliseconds per page. Event streams pass through.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // Outermost, so a kept calendar page goes out as its stored bytes, already compressed.
        .layer(axum::middleware::from_fn_with_state(Arc::new(PageCache::new(&state.db)), page_cache::serve))
        .with_state(state)
}

/// Browser sessions for signed-in facilitators and coordinators. Participants never get one:
/// a session (and its cookie) exists only once someone signs in.
fn browser_sessions(state: &AppState) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("rounds_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.public_url.starts_with("https://"))
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(12)))
}

/// Refuses a state-changing request sent by another site's page (cross-site request forgery):
/// when the browser says where a POST comes from, it must be this host. SameSite cookies
/// already keep the session out of such requests; this closes the forms that need none.
async fn same_origin_writes(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let reads = matches!(*request.method(), http::Method::GET | http::Method::HEAD | http::Method::OPTIONS);
    if !reads {
        let origin_host = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest).to_string());
        let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
        if let (Some(origin_host), Some(host)) = (origin_host, host)
            && origin_host != host
        {
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    next.run(request).await
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
/// How long the health check waits for a write: longer means writes are not being made.
const HEALTH_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

async fn health(State(state): State<AppState>) -> Response {
    match state.db.check(HEALTH_PATIENCE).await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(err) => {
            tracing::warn!(%err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
