//! What a request answers when something goes wrong past the usual error paths:
//!
//! - a server function's error carries the status its [`AppError`] means (server_fn answers
//!   every error 500), so a call that could not be read is a 400 and only faults are 5xx;
//! - a panic while answering becomes a 500 with the error page (or `AppError::Internal` for
//!   a server function), where it would otherwise cut the connection. Pages load their data
//!   in tasks of their own (Leptos resources), and a panic there would leave the page waiting
//!   forever: the tasks a request starts report their panic back to it ([`install_executor`]).

use crate::routes::render_document;
use app::error::AppError;
use app::server::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Once};
use tokio::sync::Notify;

/// An `AppError` is a few hundred bytes; anything longer is not one.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Gives a server function's error response the status of the `AppError` it carries.
pub(crate) async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

tokio::task_local! {
    /// The request whose handling is polling the current task, if any.
    static REQUEST: Failure;
}

/// Raised by a task that a request started, when that task panics.
#[derive(Clone, Default)]
struct Failure(Arc<Notify>);

/// Leptos's task spawner: tokio's, except that a task spawned while a request is being answered
/// (a page's data loader) reports a panic to that request instead of vanishing with it.
struct Spawner;

impl any_spawner::CustomExecutor for Spawner {
    fn spawn(&self, task: any_spawner::PinnedFuture<()>) {
        match REQUEST.try_with(Failure::clone) {
            Ok(failure) => {
                // The task runs in the request's scope, so the tasks it starts report too.
                tokio::spawn(REQUEST.scope(failure.clone(), async move {
                    if AssertUnwindSafe(task).catch_unwind().await.is_err() {
                        failure.0.notify_one();
                    }
                }));
            }
            Err(_) => {
                tokio::spawn(task);
            }
        }
    }

    fn spawn_local(&self, task: any_spawner::PinnedLocalFuture<()>) {
        tokio::task::spawn_local(task);
    }

    fn poll_local(&self) {}
}

/// Makes [`Spawner`] Leptos's spawner. Must run before Leptos installs plain tokio's, which
/// it does when the page routes are added; later calls do nothing.
pub(crate) fn install_executor() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        if any_spawner::Executor::init_custom_executor(Spawner).is_err() {
            tracing::warn!(
                "an executor was set before the router: a panicking page loader would hang its request"
            );
        }
    });
}

/// Answers 500 with the error page when handling the request panics, in its own future or in a
/// task it started; the process and every other request carry on.
pub(crate) async fn catch_panics(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let failure = Failure::default();
    let answer = REQUEST.scope(failure.clone(), AssertUnwindSafe(next.run(request)).catch_unwind());
    let culprit = tokio::select! {
        biased;
        answer = answer => match answer {
            Ok(response) => return response,
            Err(_) => "its handler",
        },
        () = failure.0.notified() => "a task it started",
    };
    tracing::error!(path = uri.path(), "answering a request panicked in {culprit}; sending the error page");
    error_answer(&state, uri).await
}

async fn error_answer(state: &AppState, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(AppError::Internal)).into_response();
    }
    let Ok(page) = Request::get(uri).body(()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let (parts, ()) = page.into_parts();
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    // The frame itself may be what failed: then a plain 500 is all there is to send.
    AssertUnwindSafe(render_document(state, parts, || {}, status, app::error_shell))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| status.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use axum::Router;
    use axum::routing::{get, post};
    use http_body_util::BodyExt;
    use leptos::prelude::*;
    use tower::ServiceExt;

    /// A page whose data loader panics, as a bug in a server function or a domain rule would.
    #[component]
    fn LoaderThatPanics() -> impl IntoView {
        let data = Resource::new(
            || (),
            |()| async {
                // Past its first step, as after a database query: the loader runs as a task then.
                tokio::task::yield_now().await;
                "not a number".parse::<u32>().expect("a loader that panics")
            },
        );
        view! { <Suspense>{move || data.get()}</Suspense> }
    }

    async fn handler_that_panics() -> &'static str {
        panic!("a handler that panics")
    }

    async fn state(scratch: &std::path::Path) -> AppState {
        let database = format!("sqlite://{}", scratch.join("rounds.db").display());
        let mail = scratch.join("mail").display().to_string();
        let config = Config::from_lookup(|name| match name {
            "DATABASE_URL" => Some(database.clone()),
            "ROUNDS_MAIL_DIR" => Some(mail.clone()),
            _ => None,
        })
        .unwrap();
        crate::start(&config).await.unwrap()
    }

    async fn answer(router: &Router, request: Request) -> (StatusCode, String) {
        // A request that hangs is the failure under test: bound it rather than wait forever.
        let response =
            tokio::time::timeout(std::time::Duration::from_secs(30), router.clone().oneshot(request))
                .await
                .expect("the request was answered rather than left hanging")
                .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_panic_while_answering_sends_the_error_page_and_the_server_carries_on() {
        install_executor();
        let scratch = std::env::temp_dir().join(format!("rounds_failures_{}", std::process::id()));
        let state = state(&scratch).await;
        let loader = leptos_axum::render_app_async_with_context(|| (), || view! { <LoaderThatPanics /> });
        let router = Router::new()
            .route("/{lang}/handler", get(handler_that_panics))
            .route("/{lang}/loader", get(loader))
            .route("/{lang}/fine", get(|| async { "fine" }))
            .route("/api/boom", post(handler_that_panics))
            .layer(axum::middleware::from_fn_with_state(state.clone(), catch_panics))
            .with_state(state);
        let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();

        let (status, page) = answer(&router, get("/fr/handler")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(page.contains("<html lang=\"fr\""), "{page}");
        assert!(page.contains("Un problème est survenu"), "the error page, in the page's language: {page}");

        let (status, page) = answer(&router, get("/en/loader")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(page.contains("Something went wrong"), "{page}");

        let (status, body) = answer(&router, Request::post("/api/boom").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(serde_json::from_str::<AppError>(&body).unwrap(), AppError::Internal);

        assert_eq!(answer(&router, get("/en/fine")).await, (StatusCode::OK, "fine".to_string()));
        let _ = std::fs::remove_dir_all(scratch);
    }
}
