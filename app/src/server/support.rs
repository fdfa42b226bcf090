//! The "Get support now" directory: read by anyone, managed by coordinators.

use super::db::support;
use super::state::AppState;
use crate::domain::access::Caller;
use crate::domain::support::SupportLineForm;
use crate::error::AppError;
use crate::model::{Contacts, SupportDirectory};

pub fn contacts(state: &AppState) -> Contacts {
    state.settings.contacts.clone()
}

pub async fn directory(state: &AppState) -> Result<SupportDirectory, AppError> {
    Ok(SupportDirectory { contacts: contacts(state), lines: support::lines(&state.db).await? })
}

fn coordinator(caller: &Caller) -> Result<(), AppError> {
    if caller.administers() { Ok(()) } else { Err(AppError::Forbidden) }
}

pub async fn add_line(state: &AppState, caller: &Caller, form: &SupportLineForm) -> Result<(), AppError> {
    coordinator(caller)?;
    let line = form.check().map_err(AppError::Form)?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move { Ok::<_, AppError>(support::insert(txn, &line, false).await?) })
        })
        .await
}

pub async fn remove_line(state: &AppState, caller: &Caller, id: i32) -> Result<(), AppError> {
    coordinator(caller)?;
    let removed = state
        .db
        .write(move |txn| Box::pin(async move { Ok::<_, AppError>(support::delete(txn, id).await?) }))
        .await?;
    if removed { Ok(()) } else { Err(AppError::NotFound) }
}
