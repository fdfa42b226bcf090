//! The library's uploaded PDFs, served from the database so that every instance has them. A
//! PDF is downloaded, never shown in the site's own origin: `attachment`, its type stated and
//! not to be guessed (`nosniff`), and a policy that sandboxes it should a browser render it.

use app::i18n::Locale;
use app::server::resources;
use app::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The policy of a served file: no script, no plugin, no request, in a sandbox of its own.
const FILE_POLICY: &str = "sandbox; default-src 'none'";

/// `GET /{lang}/resources/{id}/pdf`.
pub async fn pdf(State(state): State<AppState>, Path((lang, id)): Path<(String, String)>) -> Response {
    let (Ok(_), Ok(id)) = (lang.parse::<Locale>(), id.parse::<i32>()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (file_name, bytes) = match resources::pdf(&state, id).await {
        Ok(file) => file,
        Err(error) => return error.status().into_response(),
    };
    // The name is `domain::resources::safe_file_name`'s (ASCII letters, digits, `-`, `_`).
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or(HeaderValue::from_static("attachment; filename=\"resource.pdf\""));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_POLICY));
    // A coordinator may remove it: ask again each time rather than keep a stale copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
