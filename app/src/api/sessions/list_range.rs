use crate::domain::calendar::CalendarFilter;
use crate::error::AppError;
use crate::model::SessionSummary;
use chrono::NaiveDate;
use leptos::prelude::*;

/// Sessions on the days `first` to `last` (inclusive, Eastern Time), for the week and month
/// views. At most six weeks at once. Public.
#[server(prefix = "/api", endpoint = "sessions/range")]
pub async fn list_range(
    first: NaiveDate,
    last: NaiveDate,
    #[server(default)] filter: CalendarFilter,
) -> Result<Vec<SessionSummary>, AppError> {
    use super::super::MAX_RANGE_DAYS;
    use crate::domain::calendar::day_span;
    use crate::server::db::sessions::{SessionQuery, list};

    let days = (last - first).num_days();
    if !(0..MAX_RANGE_DAYS).contains(&days) {
        return Err(AppError::Invalid);
    }
    let state = crate::server::state::app_state()?;
    let (from, until) = day_span(first, last);
    let query = SessionQuery { from: Some(from), until: Some(until), filter, offset: 0, limit: 1_000 };
    Ok(list(&state.db, &query).await?)
}
