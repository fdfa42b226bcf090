//! The resources library: read by anyone, managed by coordinators (resources and the topic
//! list alike).

use super::db::resources;
use super::state::AppState;
use crate::domain::access::Caller;
use crate::domain::resources::{LibraryFilter, ResourceForm, TopicForm, Upload};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::Library;
use chrono::{DateTime, Utc};

/// What the public library shows for `filter` on the `locale` page, with the topic list.
pub async fn library(state: &AppState, filter: &LibraryFilter, locale: Locale) -> Result<Library, AppError> {
    let topics = resources::topics(&state.db).await?;
    let resources = resources::find(&state.db, filter, locale).await?;
    Ok(Library { topics, resources })
}

fn coordinator(caller: &Caller) -> Result<(), AppError> {
    if caller.administers() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Every resource and topic, for the coordinator's page.
pub async fn manage(state: &AppState, caller: &Caller) -> Result<Library, AppError> {
    coordinator(caller)?;
    library(state, &LibraryFilter::default(), Locale::En).await
}

/// Adds a resource; its id. The topics are checked against the list as it stands (one removed
/// meanwhile fails the write on its foreign key, and nothing is saved).
pub async fn add(
    state: &AppState,
    caller: &Caller,
    form: &ResourceForm,
    upload: Option<Upload>,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    coordinator(caller)?;
    let known: Vec<i32> = resources::topics(&state.db).await?.iter().map(|topic| topic.id).collect();
    let resource = form.check(upload.as_ref(), &known).map_err(AppError::Form)?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move { Ok::<_, AppError>(resources::insert(txn, &resource, now).await?) })
        })
        .await
}

pub async fn remove(state: &AppState, caller: &Caller, id: i32) -> Result<(), AppError> {
    coordinator(caller)?;
    let removed = state
        .db
        .write(move |txn| Box::pin(async move { Ok::<_, AppError>(resources::delete(txn, id).await?) }))
        .await?;
    if removed { Ok(()) } else { Err(AppError::NotFound) }
}

pub async fn add_topic(state: &AppState, caller: &Caller, form: &TopicForm) -> Result<(), AppError> {
    coordinator(caller)?;
    let name = form.check().map_err(AppError::Form)?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move { Ok::<_, AppError>(resources::insert_topic(txn, &name).await?) })
        })
        .await
}

pub async fn remove_topic(state: &AppState, caller: &Caller, id: i32) -> Result<(), AppError> {
    coordinator(caller)?;
    let removed = state
        .db
        .write(move |txn| Box::pin(async move { Ok::<_, AppError>(resources::delete_topic(txn, id).await?) }))
        .await?;
    if removed { Ok(()) } else { Err(AppError::NotFound) }
}

/// A resource's PDF (its safe file name and bytes), for anyone.
pub async fn pdf(state: &AppState, id: i32) -> Result<(String, Vec<u8>), AppError> {
    resources::file(&state.db, id).await?.ok_or(AppError::NotFound)
}
