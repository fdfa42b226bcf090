//! What a request answers when something goes wrong past the usual error paths: a server
//! function's error carries the status its [`AppError`] means (server_fn answers every error
//! 500), so a call that could not be read is a 400 and only faults are 5xx.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

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
