use crate::domain::calendar::CalendarFilter;
use crate::error::AppError;
use crate::model::SessionPage;
use leptos::prelude::*;

/// Sessions from now on, soonest first, a page at a time. Public.
#[server(prefix = "/api", endpoint = "sessions/upcoming")]
pub async fn list_upcoming(
    #[server(default)] filter: CalendarFilter,
    #[server(default)] page: u32,
) -> Result<SessionPage, AppError> {
    use super::super::UPCOMING_PAGE_SIZE;
    use crate::server::db::sessions::{SessionQuery, list};

    let state = crate::server::state::app_state()?;
    // One extra row tells whether another page follows.
    let query = SessionQuery {
        from: Some(chrono::Utc::now()),
        until: None,
        filter,
        offset: u64::from(page.min(1_000)) * UPCOMING_PAGE_SIZE,
        limit: UPCOMING_PAGE_SIZE + 1,
    };
    let mut sessions = list(&state.db, &query).await?;
    let has_more = sessions.len() as u64 > UPCOMING_PAGE_SIZE;
    sessions.truncate(UPCOMING_PAGE_SIZE as usize);
    Ok(SessionPage { sessions, has_more })
}
