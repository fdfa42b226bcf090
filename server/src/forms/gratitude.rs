//! The gratitude wall's forms, posted without JavaScript: sharing a story, reporting one,
//! the author confirming or withdrawing theirs, and moderating.

use super::workspace::{again, caller_for};
use super::{read_body, read_form, see_other};
use app::domain::gratitude::{Decision, StoryForm};
use app::i18n::Locale;
use app::server::gratitude;
use app::server::rate_limit::{admit_write, client_address};
use app::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use tower_sessions::Session;

/// `POST /{lang}/gratitude/share`: stored, the author is told to look for the confirmation
/// email; refused, the form comes back with what was typed.
pub async fn share(State(state): State<AppState>, Path(lang): Path<String>, request: Request) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<StoryForm>(request).await;
    if let Err(refused) = admit_write(&state, &parts, &form.email).await {
        return again(&state, parts, form, refused).await;
    }
    match gratitude::share(&state, locale, &form, Utc::now()).await {
        Ok(()) => see_other(&format!("/{locale}/gratitude/share?sent=1")),
        Err(error) => again(&state, parts, form, error).await,
    }
}

/// `POST /{lang}/gratitude/{id}/report`: counted once per network address; back to the wall,
/// which thanks the reporter. A story already off the wall is thanked for the same way.
pub async fn report(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (Ok(locale), Ok(id)) = (lang.parse::<Locale>(), id.parse::<i32>()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (mut parts, _) = read_body(request).await;
    let wall = format!("/{locale}/gratitude");
    // Reports of one story count together, so nobody reports it more often than the limit.
    let mut outcome = admit_write(&state, &parts, &format!("story-report:{id}")).await;
    if outcome.is_ok() {
        let client = client_address(&parts, &state.settings.trusted_proxies)
            .map_or_else(|| "unknown".to_string(), |address| address.to_string());
        outcome = gratitude::report(&state, id, &client, Utc::now()).await;
    }
    match outcome {
        Ok(()) | Err(app::error::AppError::NotFound) => see_other(&format!("{wall}?reported=1")),
        Err(error) => {
            // Shown on the wall, whose address the answer takes.
            if let Ok(uri) = wall.parse() {
                parts.uri = uri;
            }
            again(&state, parts, (), error).await
        }
    }
}

/// `POST /{lang}/gratitude/story/{token}`: the author confirms the address (`intent=confirm`)
/// or withdraws the story (`intent=withdraw`).
pub async fn own_story(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, body) = read_body(request).await;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let intent = fields.iter().find(|(name, _)| name == "intent").map(|(_, value)| value.as_str());
    // Counted per address, and per link (in place of an email address, which it never shows).
    if let Err(refused) = admit_write(&state, &parts, &token).await {
        return again(&state, parts, (), refused).await;
    }
    let page = format!("/{locale}/gratitude/story/{token}");
    let outcome = match intent {
        Some("confirm") => gratitude::confirm(&state, &token).await.map(|()| "confirmed"),
        Some("withdraw") => gratitude::withdraw(&state, &token).await.map(|()| "withdrawn"),
        _ => return see_other(&page),
    };
    match outcome {
        Ok(done) => see_other(&format!("{page}?done={done}")),
        Err(error) => again(&state, parts, (), error).await,
    }
}

/// `POST /{lang}/workspace/gratitude`: a moderator approves a story (`decision=approve`) or
/// declines it with a reason (`decision=decline&reason=…`); a coordinator names the
/// moderators (`decision=moderators&moderator=…`, repeated).
pub async fn moderate(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let path = request.uri().path().to_string();
    let (locale, caller) = match caller_for(&state, &session, &lang, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = read_body(request).await;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let field =
        |wanted: &str| fields.iter().find(|(name, _)| name == wanted).map_or("", |(_, value)| value.as_str());
    let page = format!("/{locale}/workspace/gratitude");
    let outcome = match field("decision") {
        "moderators" => {
            let named = fields
                .iter()
                .filter(|(name, _)| name == "moderator")
                .filter_map(|(_, id)| id.parse::<i32>().ok())
                .collect();
            gratitude::set_moderators(&state, &caller, named).await.map(|()| "moderators")
        }
        decision => match (Decision::from_form(decision, field("reason")), field("story").parse::<i32>()) {
            (Some(decision), Ok(id)) => gratitude::decide(&state, &caller, id, decision, Utc::now())
                .await
                .map(|()| if decision == Decision::Approve { "approved" } else { "declined" }),
            _ => Err(app::error::AppError::Invalid),
        },
    };
    match outcome {
        Ok(done) => see_other(&format!("{page}?done={done}")),
        Err(error) => again(&state, parts, (), error).await,
    }
}
