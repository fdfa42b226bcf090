//! Workspace forms. Each handler finds the signed-in caller (or sends the visitor to sign in)
//! and calls the same workspace service as the server functions, which checks what the caller
//! may do.

use super::{parse, read_body, read_form, render_page, see_other};
use app::components::fields::Submitted;
use app::domain::access::Caller;
use app::domain::accounts::InvitationForm;
use app::domain::evaluation::QuestionSetForm;
use app::domain::session_form::SessionForm;
use app::domain::support::SupportLineForm;
use app::error::AppError;
use app::i18n::Locale;
use app::pages::workspace::formats::FormatPost;
use app::pages::workspace::session_edit::MessagePost;
use app::pages::workspace::session_new::NewSessionPost;
use app::server::state::AppState;
use app::server::{auth, workspace};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use leptos::prelude::provide_context;
use std::collections::HashMap;
use tower_sessions::Session;

/// The caller, or the answer to give instead: sign in first (and come back), or not found.
pub(super) async fn caller_for(
    state: &AppState,
    session: &Session,
    lang: &str,
    back_to: &str,
) -> Result<(Locale, Caller), Response> {
    let Ok(locale) = lang.parse::<Locale>() else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    match auth::caller(state, session).await {
        Ok(caller) => Ok((locale, caller)),
        Err(AppError::SignInRequired) => {
            let next = app::calendar_links::encode_component(back_to);
            Err(see_other(&format!("/{locale}/sign-in?next={next}")))
        }
        Err(error) => Err((error.status(), error.to_string()).into_response()),
    }
}

/// A workspace form posted by a signed-in account: its language, the caller, the request's
/// parts and the form as typed; or the answer that sends a signed-out visitor to sign in.
pub(super) async fn signed_in_form<T: serde::de::DeserializeOwned + Default>(
    state: &AppState,
    session: &Session,
    lang: &str,
    request: Request,
) -> Result<(Locale, Caller, http::request::Parts, T), Response> {
    let path = request.uri().path().to_string();
    let (locale, caller) = caller_for(state, session, lang, &path).await?;
    let (parts, form) = read_form::<T>(request).await;
    Ok((locale, caller, parts, form))
}

/// Renders the page again with the form as typed and what is wrong with it.
pub(super) async fn again<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    parts: http::request::Parts,
    values: T,
    error: AppError,
) -> Response {
    let status = error.status();
    let (errors, failure) = match error {
        AppError::Form(errors) => (errors, None),
        other => (Vec::new(), Some(other)),
    };
    let submitted = Submitted { values, errors, failure };
    render_page(state, parts, move || provide_context(submitted.clone()), status).await
}

/// `POST /{lang}/workspace/sessions/new`.
pub async fn schedule(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let (locale, caller, parts, post) =
        match signed_in_form::<NewSessionPost>(&state, &session, &lang, request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let for_facilitator = post.facilitator_id.parse::<i32>().ok();
    match workspace::create(&state, &caller, &post.session, for_facilitator, Utc::now()).await {
        // The first session's page states when it starts, in Eastern Time.
        Ok(ids) => match ids.first() {
            Some(first) => see_other(&format!("/{locale}/workspace/sessions/{first}?done=scheduled")),
            None => see_other(&format!("/{locale}/workspace?done=scheduled")),
        },
        Err(error) => again(&state, parts, post, error).await,
    }
}

/// `POST /{lang}/workspace/sessions/{id}`: `intent` says which of the page's forms it is.
pub async fn session(
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
    let now = Utc::now();
    let page = format!("/{locale}/workspace/sessions/{id}");
    let done = |what: &str| see_other(&format!("{page}?done={what}"));
    match field("intent").as_str() {
        "update" => {
            let form: SessionForm = parse(&body);
            match workspace::update(&state, &caller, id, &form, now).await {
                Ok(()) => done("saved"),
                Err(error) => again(&state, parts, form, error).await,
            }
        }
        intent @ ("close" | "open") => {
            let session = app::model::Offering::Session(id);
            let closed = intent == "close";
            match app::server::registrations::set_registration_closed(&state, &caller, session, closed, now)
                .await
            {
                Ok(()) => done(if intent == "close" { "closed" } else { "opened" }),
                Err(error) => again(&state, parts, SessionForm::default(), error).await,
            }
        }
        "cancel" if field("confirm") == "yes" => match workspace::cancel(&state, &caller, id, now).await {
            Ok(()) => see_other(&format!("/{locale}/workspace?done=cancelled")),
            Err(error) => again(&state, parts, SessionForm::default(), error).await,
        },
        "reassign" => {
            let to = field("facilitator_id").parse::<i32>().unwrap_or(0);
            match workspace::reassign(&state, &caller, id, to, now).await {
                Ok(()) => done("reassigned"),
                Err(error) => again(&state, parts, SessionForm::default(), error).await,
            }
        }
        "message" => {
            let post = MessagePost { subject: field("subject"), body: field("body") };
            let form = workspace::MessageForm { subject: post.subject.clone(), body: post.body.clone() };
            match workspace::message(&state, &caller, id, &form, now).await {
                Ok(_) => done("sent"),
                Err(error) => again(&state, parts, post, error).await,
            }
        }
        // An unticked confirmation, or nothing the page offers: show the page again.
        _ => see_other(&page),
    }
}

/// `POST /{lang}/workspace/facilitators`: invite, send an invitation again, deactivate or
/// reactivate.
pub async fn facilitators(
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
    let fields: HashMap<String, String> = parse(&body);
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let now = Utc::now();
    let page = format!("/{locale}/workspace/facilitators");
    let account = field("account_id").parse::<i32>().unwrap_or(0);
    let outcome = match field("intent").as_str() {
        "invite" => {
            let form: InvitationForm = parse(&body);
            return match auth::invite_facilitator(&state, &caller, &form, now).await {
                Ok(()) => see_other(&format!("{page}?done=invited")),
                Err(error) => again(&state, parts, form, error).await,
            };
        }
        "reinvite" => auth::reinvite(&state, &caller, account, now).await.map(|()| "invited"),
        "deactivate" => {
            auth::set_account_active(&state, &caller, account, false, now).await.map(|()| "updated")
        }
        "activate" => auth::set_account_active(&state, &caller, account, true, now).await.map(|()| "updated"),
        _ => return see_other(&page),
    };
    match outcome {
        Ok(done) => see_other(&format!("{page}?done={done}")),
        Err(error) => again(&state, parts, InvitationForm::default(), error).await,
    }
}

/// `POST /{lang}/workspace/formats`: create or change a format.
pub async fn formats(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let (locale, caller, parts, post) =
        match signed_in_form::<FormatPost>(&state, &session, &lang, request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    match workspace::save_format(&state, &caller, post.id, &post.format).await {
        Ok(_) => see_other(&format!("/{locale}/workspace/formats?done=saved")),
        Err(error) => again(&state, parts, post, error).await,
    }
}

/// `POST /{lang}/workspace/formats/{id}/questions`: a new revision of a format's evaluation
/// questions; back to the formats, or the editor again with what was typed.
pub async fn questions(
    State(state): State<AppState>,
    Path((lang, format_id)): Path<(String, i32)>,
    session: Session,
    request: Request,
) -> Response {
    let (locale, caller, parts, form) =
        match signed_in_form::<QuestionSetForm>(&state, &session, &lang, request).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    match app::server::evaluations::save_question_set(&state, &caller, format_id, &form).await {
        Ok(()) => see_other(&format!("/{locale}/workspace/formats?done=saved")),
        Err(error) => again(&state, parts, form, error).await,
    }
}

/// `GET /{lang}/workspace/reports/{table}.csv`: one table of the caller's report as CSV,
/// headers in the page's language. Signed-in only; the same scope as the page.
pub async fn report_csv(
    State(state): State<AppState>,
    Path((lang, file)): Path<(String, String)>,
    session: Session,
) -> Response {
    let back_to = format!("/{lang}/workspace/reports");
    let (locale, caller) = match caller_for(&state, &session, &lang, &back_to).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(table) = file.strip_suffix(".csv") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let report = match app::server::reports::report(&state, &caller).await {
        Ok(report) => report,
        Err(error) => return (error.status(), error.to_string()).into_response(),
    };
    match app::server::reports::csv(&report, table, locale) {
        Some(body) => (
            [
                (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"rounds-{table}.csv\"")),
                (http::header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /{lang}/workspace/support`: add a line to the support directory (`intent=add`) or
/// remove one (`intent=remove&id=…`); coordinators only.
pub async fn support(
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
    let fields: HashMap<String, String> = parse(&body);
    let page = format!("/{locale}/workspace/support");
    match fields.get("intent").map(String::as_str) {
        Some("add") => {
            let form: SupportLineForm = parse(&body);
            match app::server::support::add_line(&state, &caller, &form).await {
                Ok(()) => see_other(&format!("{page}?done=added")),
                Err(error) => again(&state, parts, form, error).await,
            }
        }
        Some("remove") => {
            let id = fields.get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
            match app::server::support::remove_line(&state, &caller, id).await {
                Ok(()) => see_other(&format!("{page}?done=removed")),
                Err(error) => again(&state, parts, SupportLineForm::default(), error).await,
            }
        }
        _ => see_other(&page),
    }
}
