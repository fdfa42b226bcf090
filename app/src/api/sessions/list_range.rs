use crate::domain::calendar::CalendarFilter;
use crate::error::AppError;
use crate::model::CalendarRange;
use chrono::NaiveDate;
use leptos::prelude::*;

/// Sessions and the meetings of cohort groups on the days `first` to `last` (inclusive, Eastern
/// Time), for the week and month views. At most six weeks at once, within the calendar's reach of today; anything else is
/// `Invalid`. Public.
#[server(prefix = "/api", endpoint = "sessions/range")]
pub async fn list_range(
    first: NaiveDate,
    last: NaiveDate,
    #[server(default)] filter: CalendarFilter,
) -> Result<CalendarRange, AppError> {
    use super::super::MAX_RANGE_DAYS;
    use crate::domain::calendar::{day_span, within_reach};
    use crate::server::db::sessions::{SessionQuery, list};

    let today = crate::domain::zones::reference_time(chrono::Utc::now()).date();
    let days = (last - first).num_days();
    if !(0..MAX_RANGE_DAYS).contains(&days) || !within_reach(first, today) || !within_reach(last, today) {
        return Err(AppError::Invalid);
    }
    let (from, until) = day_span(first, last).ok_or(AppError::Invalid)?;
    let state = crate::server::state::app_state()?;
    let group_meetings = crate::server::cohorts::meetings_between(&state, from, until, &filter).await?;
    let query = SessionQuery { from: Some(from), until: Some(until), filter, offset: 0, limit: 1_000 };
    Ok(CalendarRange { sessions: list(&state.db, &query).await?, group_meetings })
}
