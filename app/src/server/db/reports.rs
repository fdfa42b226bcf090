//! What the program reports read: participation tallies (counted when an offering ended) and
//! evaluation responses, each with the facilitator and format it belongs to.

use super::entity::{cohort, evaluation_response, participation_tally, session};
use super::{Db, DbError, WriteTxn};
use crate::domain::access::ReportScope;
use crate::domain::evaluation::Answers;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{EntityTrait, QuerySelect, Set};
use std::collections::HashMap;

/// The format cohort intakes count under.
pub const COHORT_FORMAT: i32 = 0;

/// Where a tally or a response belongs in a report: format and month (`YYYY-MM`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReportKey {
    pub format_id: i32,
    pub month: String,
}

/// Adds `counts` (measure, how many) to a facilitator's tallies for a format and month.
pub async fn add_tallies(
    txn: &WriteTxn<'_>,
    facilitator_id: i32,
    key: &ReportKey,
    counts: &[(String, u32)],
) -> Result<(), DbError> {
    use participation_tally::Column;
    for (measure, count) in counts {
        let count = i32::try_from(*count).unwrap_or(i32::MAX);
        participation_tally::Entity::insert(participation_tally::ActiveModel {
            facilitator_id: Set(facilitator_id),
            format_id: Set(key.format_id),
            month: Set(key.month.clone()),
            measure: Set(measure.clone()),
            count: Set(count),
        })
        .on_conflict(
            OnConflict::columns([Column::FacilitatorId, Column::FormatId, Column::Month, Column::Measure])
                .value(Column::Count, Expr::col((participation_tally::Entity, Column::Count)).add(count))
                .to_owned(),
        )
        .exec_without_returning(txn.conn())
        .await?;
    }
    Ok(())
}

/// The tallies `scope` covers, summed over facilitators: by format and month, then measure.
pub async fn tallies(
    db: &Db,
    scope: ReportScope,
) -> Result<HashMap<ReportKey, HashMap<String, u32>>, DbError> {
    let mut summed: HashMap<ReportKey, HashMap<String, u32>> = HashMap::new();
    for row in participation_tally::Entity::find().all(db.conn()).await? {
        if !scope.covers(row.facilitator_id) {
            continue;
        }
        let key = ReportKey { format_id: row.format_id, month: row.month };
        let count = summed.entry(key).or_default().entry(row.measure).or_default();
        *count = count.saturating_add(u32::try_from(row.count).unwrap_or(0));
    }
    Ok(summed)
}

/// The evaluation answers `scope` covers, by format and month.
pub async fn responses(db: &Db, scope: ReportScope) -> Result<HashMap<ReportKey, Vec<Answers>>, DbError> {
    let session_leaders: HashMap<i32, i32> = session::Entity::find()
        .select_only()
        .columns([session::Column::Id, session::Column::FacilitatorId])
        .into_tuple::<(i32, i32)>()
        .all(db.conn())
        .await?
        .into_iter()
        .collect();
    let cohort_leaders: HashMap<i32, i32> = cohort::Entity::find()
        .select_only()
        .columns([cohort::Column::Id, cohort::Column::FacilitatorId])
        .into_tuple::<(i32, i32)>()
        .all(db.conn())
        .await?
        .into_iter()
        .collect();
    let mut grouped: HashMap<ReportKey, Vec<Answers>> = HashMap::new();
    for row in evaluation_response::Entity::find().all(db.conn()).await? {
        let leader = match (row.session_id, row.cohort_id) {
            (Some(id), _) => session_leaders.get(&id),
            (_, Some(id)) => cohort_leaders.get(&id),
            _ => None,
        };
        if !leader.is_some_and(|leader| scope.covers(*leader)) {
            continue;
        }
        let answers: Answers =
            serde_json::from_str(&row.answers).map_err(|error| DbError::Other(error.to_string()))?;
        let month = row.held_on.get(..7).unwrap_or_default().to_string();
        let key = ReportKey { format_id: row.format_id.unwrap_or(COHORT_FORMAT), month };
        grouped.entry(key).or_default().push(answers);
    }
    Ok(grouped)
}
