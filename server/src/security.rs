//! Headers every response carries: the Content-Security-Policy (pages set their own, with the
//! nonce of their inline script), no MIME sniffing, no framing, a referrer that stays on this
//! site, no access to the camera, microphone or location, and HSTS when served over https.
//! Private pages (the workspace, account links, a registration's page) are marked `no-store`
//! so neither the browser's cache nor the service worker keeps a copy on the device.

use app::server::security::{InlineScripts, content_security_policy};
use app::server::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub async fn headers(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let private = is_private_page(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    add_to_every_response(headers, &state);
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The headers of this module's list that `headers` does not set itself. Also used by the
/// live streams answered outside the router (`crate::connections`).
pub fn add_to_every_response(headers: &mut HeaderMap, state: &AppState) {
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(policy) = HeaderValue::from_str(&content_security_policy(InlineScripts::None))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(headers, header::HeaderName::from_static("permissions-policy"), PERMISSIONS);
    set(headers, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if state.settings.public_url.starts_with("https://") {
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
    }
}

const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &'static str) {
    headers.entry(name).or_insert(HeaderValue::from_static(value));
}

/// Pages whose content belongs to one person: `/{lang}/workspace…`, registrations,
/// applications, evaluations and gratitude stories opened by their private links, and the
/// account pages.
fn is_private_page(path: &str) -> bool {
    const PRIVATE: [&str; 9] = [
        "workspace",
        "registrations",
        "cohort-registrations",
        "applications",
        "sign-in",
        "forgot-password",
        "reset-password",
        "invitation",
        "evaluations",
    ];
    let mut segments = path.trim_start_matches('/').split('/');
    let _language = segments.next();
    match segments.next() {
        Some("gratitude") => segments.next() == Some("story"),
        section => section.is_some_and(|section| PRIVATE.contains(&section)),
    }
}

#[cfg(test)]
mod tests {
    use super::is_private_page;

    #[test]
    fn personal_pages_are_private_and_the_calendar_is_not() {
        assert!(is_private_page("/en/workspace/sessions/4"));
        assert!(is_private_page("/fr/registrations/abc"));
        assert!(is_private_page("/fr/applications/abc"));
        assert!(is_private_page("/en/cohort-registrations/abc"));
        assert!(is_private_page("/en/evaluations/abc"));
        assert!(is_private_page("/fr/gratitude/story/abc"));
        assert!(!is_private_page("/fr/gratitude"));
        assert!(!is_private_page("/en/cohorts/1"));
        assert!(is_private_page("/en/sign-in"));
        assert!(!is_private_page("/en"));
        assert!(!is_private_page("/en/sessions/4"));
        assert!(!is_private_page("/en/my-sessions"));
    }
}
