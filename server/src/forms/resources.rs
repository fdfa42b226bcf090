//! The coordinator's forms of the resources library, posted without JavaScript. Adding a
//! resource is `multipart/form-data` (it may carry a PDF); removing one and managing the topic
//! list are ordinary forms. The upload is read in chunks and never held beyond one byte more
//! than the largest PDF allowed; the route bounds the whole body (`MAX_UPLOAD_BODY`).

use super::workspace::{again, caller_for};
use super::{parse, read_body, see_other};
use app::domain::forms::{Field, FieldError, Problem};
use app::domain::resources::{MAX_PDF_BYTES, ResourceForm, TopicForm, Upload};
use app::error::AppError;
use app::server::resources;
use app::server::state::AppState;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::response::Response;
use chrono::Utc;
use std::collections::HashMap;
use tower_sessions::Session;

/// The most an "add a resource" form may send: the largest PDF, and room for the rest.
pub const MAX_UPLOAD_BODY: usize = MAX_PDF_BYTES + 256 * 1024;
/// The most kept of one text field of a multipart form (longer is cut, and then too long).
const MAX_TEXT_FIELD: usize = 64 * 1024;

/// `POST /{lang}/workspace/resources`: add a resource (`intent=add`, multipart), remove one
/// (`intent=remove&id=…`), add a topic (`intent=add_topic`) or remove one
/// (`intent=remove_topic&id=…`); coordinators only.
pub async fn manage(
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
    let page = format!("/{locale}/workspace/resources");
    let multipart = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    if multipart {
        let (parts, body) = request.into_parts();
        // Nobody else's upload is read: the service would refuse it anyway.
        if !caller.administers() {
            return again(&state, parts, ResourceForm::default(), AppError::Forbidden).await;
        }
        let posted = read_resource(Request::from_parts(parts.clone(), body)).await;
        let outcome = match posted.upload {
            Err(()) => Err(AppError::Form(vec![FieldError { field: Field::Pdf, problem: Problem::TooLong }])),
            Ok(upload) => resources::add(&state, &caller, &posted.form, upload, Utc::now()).await.map(drop),
        };
        return match outcome {
            Ok(()) => see_other(&format!("{page}?done=added")),
            Err(error) => again(&state, parts, posted.form, error).await,
        };
    }
    let (parts, body) = read_body(request).await;
    let fields: HashMap<String, String> = parse(&body);
    let id = fields.get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
    match fields.get("intent").map(String::as_str) {
        Some("remove") => match resources::remove(&state, &caller, id).await {
            Ok(()) => see_other(&format!("{page}?done=removed")),
            Err(error) => again(&state, parts, ResourceForm::default(), error).await,
        },
        Some("add_topic") => {
            let form: TopicForm = parse(&body);
            match resources::add_topic(&state, &caller, &form).await {
                Ok(()) => see_other(&format!("{page}?done=topic_added")),
                Err(error) => again(&state, parts, form, error).await,
            }
        }
        Some("remove_topic") => match resources::remove_topic(&state, &caller, id).await {
            Ok(()) => see_other(&format!("{page}?done=topic_removed")),
            Err(error) => again(&state, parts, TopicForm::default(), error).await,
        },
        _ => see_other(&page),
    }
}

/// A multipart resource form as sent: the typed fields, and the file if one was chosen
/// (`Err` when the body ran past [`MAX_UPLOAD_BODY`]: a file far too large).
struct PostedResource {
    form: ResourceForm,
    upload: Result<Option<Upload>, ()>,
}

async fn read_resource(request: Request) -> PostedResource {
    let mut form = ResourceForm::default();
    let mut upload = None;
    let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
        return PostedResource { form, upload: Ok(None) };
    };
    let mut overflow = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                overflow = error.status() == http::StatusCode::PAYLOAD_TOO_LARGE;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        // Enough to tell a file too large; a text field is cut long after any limit of its own.
        let keep = if name == "file" { MAX_PDF_BYTES + 1 } else { MAX_TEXT_FIELD };
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    let room = keep.saturating_sub(bytes.len());
                    bytes.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
                }
                Ok(None) => break,
                Err(error) => {
                    overflow = error.status() == http::StatusCode::PAYLOAD_TOO_LARGE;
                    break;
                }
            }
        }
        if overflow {
            break;
        }
        if name == "file" {
            let file_name = file_name.unwrap_or_default();
            // A form sent with no file chosen still has the part, empty and unnamed.
            if !(file_name.is_empty() && bytes.is_empty()) {
                upload = Some(Upload { name: file_name, bytes });
            }
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "title_en" => form.title_en = text,
            "title_fr" => form.title_fr = text,
            "summary_en" => form.summary_en = text,
            "summary_fr" => form.summary_fr = text,
            "link" => form.link = text,
            "audience" => form.audience = text,
            "topics" => form.topics.push(text),
            _ => {}
        }
    }
    PostedResource { form, upload: if overflow { Err(()) } else { Ok(upload) } }
}
