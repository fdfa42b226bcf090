//! Application-round forms posted without JavaScript: applying and withdrawing (public), and
//! the coordinator's forms (open a round, its groups, the draw, closing).

use super::workspace::{again, caller_for, signed_in_form};
use super::{parse, read_body, read_form, see_other};
use app::domain::application_round::{ApplicationForm, GroupForm, RoundForm};
use app::domain::survey::SurveyForm;
use app::i18n::Locale;
use app::model::Acknowledged;
use app::server::rate_limit::admit_write;
use app::server::rounds;
use app::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::collections::HashMap;
use tower_sessions::Session;

/// `POST /{lang}/rounds/{id}`: the application form.
pub async fn apply(
    State(state): State<AppState>,
    Path((lang, round_id)): Path<(String, i32)>,
    request: Request,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, form) = read_form::<ApplicationForm>(request).await;
    if let Err(refused) = admit_write(&state, &parts, &form.email).await {
        return again(&state, parts, form, refused).await;
    }
    match rounds::apply(&state, round_id, &form, locale, Utc::now()).await {
        Ok(Acknowledged { next_path }) => see_other(&next_path),
        Err(error) => again(&state, parts, form, error).await,
    }
}

/// `POST /{lang}/applications/{token}`: withdraw. Back to the round, which says it is done.
pub async fn withdraw(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match rounds::withdraw(&state, &token, Utc::now()).await {
        Ok(round_id) => see_other(&format!("/{locale}/rounds/{round_id}?withdrawn=1")),
        Err(error) => {
            tracing::info!(%error, "withdrawal refused");
            see_other(&format!("/{locale}/applications/{token}"))
        }
    }
}

/// `POST /{lang}/workspace/rounds`: open a round.
pub async fn open(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let (locale, caller, parts, form) =
        match signed_in_form::<RoundForm>(&state, &session, &lang, request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    match rounds::open_round(&state, &caller, &form, Utc::now()).await {
        Ok(id) => see_other(&format!("/{locale}/workspace/rounds/{id}?done=opened")),
        Err(error) => again(&state, parts, form, error).await,
    }
}

/// `POST /{lang}/workspace/rounds/{id}`: `intent` says which of the page's forms it is.
pub async fn round(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, i32)>,
    session: Session,
    request: Request,
) -> Response {
    let path = request.uri().path().to_string();
    let (locale, caller) = match caller_for(&state, &session, &lang, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (parts, body) = read_body(request).await;
    let fields: HashMap<String, String> = parse(&body);
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let group_id = field("group_id").parse::<i32>().unwrap_or(0);
    let now = Utc::now();
    let page = format!("/{locale}/workspace/rounds/{id}");
    let outcome = match field("intent").as_str() {
        "add_group" => {
            let form: GroupForm = parse(&body);
            return match rounds::add_group(&state, &caller, id, &form).await {
                Ok(()) => see_other(&format!("{page}?done=saved")),
                Err(error) => again(&state, parts, form, error).await,
            };
        }
        "remove_group" => rounds::remove_group(&state, &caller, id, group_id).await.map(|()| "saved"),
        "facilitator" => {
            let account = field("account_id").parse::<i32>().ok();
            rounds::assign_facilitator(&state, &caller, id, group_id, account).await.map(|()| "saved")
        }
        "end_now" => rounds::end_applications(&state, &caller, id, now).await.map(|()| "ended"),
        "draw" => rounds::run_draw(&state, &caller, id, now).await.map(|()| "drawn"),
        "close" => rounds::close(&state, &caller, id, now).await.map(|()| "closed"),
        _ => return see_other(&page),
    };
    match outcome {
        Ok(done) => see_other(&format!("{page}?done={done}")),
        Err(error) => again(&state, parts, GroupForm::default(), error).await,
    }
}

/// `POST /{lang}/workspace/rounds/{id}/survey`: a round's survey settings and questions; back
/// to the survey page, or the form again with what was typed.
pub async fn survey(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, i32)>,
    session: Session,
    request: Request,
) -> Response {
    let (locale, caller, parts, form) =
        match signed_in_form::<SurveyForm>(&state, &session, &lang, request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    match app::server::surveys::save(&state, &caller, id, &form).await {
        Ok(()) => see_other(&format!("/{locale}/workspace/rounds/{id}/survey?done=saved")),
        Err(error) => again(&state, parts, form, error).await,
    }
}
