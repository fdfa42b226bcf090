//! Anonymous evaluations: ballots (the hashes of single-use links, by offering) and responses
//! (answers by offering, format and day). Nothing here reads or writes anything about a
//! registration: what ties a person to a ballot is only the email that carried its link,
//! which the outbox deletes once sent.

use super::entity::{cohort, cohort_meeting, evaluation_ballot, evaluation_response, question_set, session};
use super::registrations::Offering;
use super::{Db, DbError, WriteTxn};
use crate::domain::evaluation::{Answers, ISSUE_WITHIN_HOURS, Question, default_questions};
use crate::domain::session::SessionStatus;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Offerings that ended (a session, or an intake's last meeting) in the last
/// [`ISSUE_WITHIN_HOURS`] and whose ballots have not gone out.
pub async fn ended_without_ballots(db: &Db, now: DateTime<Utc>) -> Result<Vec<Offering>, DbError> {
    let since = now - Duration::hours(ISSUE_WITHIN_HOURS);
    let ended = |start: DateTime<Utc>, minutes: i32| {
        let end = start.checked_add_signed(Duration::minutes(i64::from(minutes.max(0))));
        end.is_some_and(|end| since <= end && end <= now)
    };
    // A session lasts at most four hours, so one that ended since `since` started after this.
    let sessions = session::Entity::find()
        .filter(session::Column::BallotsIssued.eq(false))
        .filter(session::Column::Status.eq(SessionStatus::Scheduled))
        .filter(session::Column::StartsAt.between(since - Duration::hours(4), now))
        .all(db.conn())
        .await?;
    let mut due: Vec<Offering> = sessions
        .iter()
        .filter(|row| ended(row.starts_at, row.duration_minutes))
        .map(|row| Offering::Session(row.id))
        .collect();
    // Intakes not yet concluded, and the last start of each, in two queries.
    let durations: HashMap<i32, i32> = cohort::Entity::find()
        .select_only()
        .columns([cohort::Column::Id, cohort::Column::DurationMinutes])
        .filter(cohort::Column::BallotsIssued.eq(false))
        .into_tuple::<(i32, i32)>()
        .all(db.conn())
        .await?
        .into_iter()
        .collect();
    let meetings = cohort_meeting::Entity::find()
        .filter(cohort_meeting::Column::CohortId.is_in(durations.keys().copied()))
        .all(db.conn())
        .await?;
    let mut last_starts: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for meeting in meetings {
        let last = last_starts.entry(meeting.cohort_id).or_insert(meeting.starts_at);
        *last = (*last).max(meeting.starts_at);
    }
    due.extend(
        last_starts
            .into_iter()
            .filter(|(id, start)| durations.get(id).is_some_and(|minutes| ended(*start, *minutes)))
            .map(|(id, _)| Offering::Intake(id)),
    );
    Ok(due)
}

/// Stores the ballots of an offering (in the order given, which the caller shuffles) and
/// records that they went out.
pub async fn issue(
    txn: &WriteTxn<'_>,
    offering: Offering,
    token_hashes: Vec<String>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    let (session_id, cohort_id) = offering.as_columns();
    if !token_hashes.is_empty() {
        let ballots = token_hashes.into_iter().map(|token_hash| evaluation_ballot::ActiveModel {
            token_hash: Set(token_hash),
            session_id: Set(session_id),
            cohort_id: Set(cohort_id),
            expires_at: Set(expires_at),
        });
        evaluation_ballot::Entity::insert_many(ballots).exec_without_returning(txn.conn()).await?;
    }
    match offering {
        Offering::Session(id) => {
            session::Entity::update_many()
                .col_expr(session::Column::BallotsIssued, Expr::value(true))
                .filter(session::Column::Id.eq(id))
                .exec(txn.conn())
                .await?;
        }
        Offering::Intake(id) => {
            cohort::Entity::update_many()
                .col_expr(cohort::Column::BallotsIssued, Expr::value(true))
                .filter(cohort::Column::Id.eq(id))
                .exec(txn.conn())
                .await?;
        }
    }
    Ok(())
}

/// The offering an unexpired ballot is for.
pub async fn ballot(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Offering>, DbError> {
    let row = evaluation_ballot::Entity::find_by_id(token_hash.to_string())
        .filter(evaluation_ballot::Column::ExpiresAt.gt(now))
        .one(db.conn())
        .await?;
    Ok(row.and_then(|row| Offering::from_columns(row.session_id, row.cohort_id)))
}

/// Uses up an unexpired ballot (deleting it) and returns its offering; `None` when there is
/// no such ballot, so a link answers once.
pub async fn take_ballot(
    txn: &WriteTxn<'_>,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Offering>, DbError> {
    let Some(row) = evaluation_ballot::Entity::find_by_id(token_hash.to_string())
        .filter(evaluation_ballot::Column::ExpiresAt.gt(now))
        .lock_exclusive()
        .one(txn.conn())
        .await?
    else {
        return Ok(None);
    };
    let deleted = evaluation_ballot::Entity::delete_by_id(token_hash.to_string()).exec(txn.conn()).await?;
    Ok((deleted.rows_affected == 1).then(|| Offering::from_columns(row.session_id, row.cohort_id)).flatten())
}

/// Stores one response under a random key, with the day the offering was held.
pub async fn store_response(
    txn: &WriteTxn<'_>,
    offering: Offering,
    format_id: Option<i32>,
    held_on: NaiveDate,
    answers: &Answers,
    key: String,
) -> Result<(), DbError> {
    let (session_id, cohort_id) = offering.as_columns();
    let answers = serde_json::to_string(answers).map_err(|error| DbError::Other(error.to_string()))?;
    evaluation_response::Entity::insert(evaluation_response::ActiveModel {
        id: Set(key),
        session_id: Set(session_id),
        cohort_id: Set(cohort_id),
        format_id: Set(format_id),
        held_on: Set(held_on.format("%Y-%m-%d").to_string()),
        answers: Set(answers),
    })
    .exec_without_returning(txn.conn())
    .await?;
    Ok(())
}

/// The answers given about an offering, in key order (which is random).
pub async fn responses(db: &Db, offering: Offering) -> Result<Vec<Answers>, DbError> {
    let rows = evaluation_response::Entity::find()
        .filter(match offering {
            Offering::Session(id) => evaluation_response::Column::SessionId.eq(id),
            Offering::Intake(id) => evaluation_response::Column::CohortId.eq(id),
        })
        .order_by_asc(evaluation_response::Column::Id)
        .all(db.conn())
        .await?;
    rows.iter()
        .map(|row| serde_json::from_str(&row.answers).map_err(|error| DbError::Other(error.to_string())))
        .collect()
}

/// Deletes evaluation ballots past their expiry, and forgets expired survey links; returns
/// how many.
pub async fn purge_expired_ballots(db: &Db, now: DateTime<Utc>) -> Result<u64, DbError> {
    db.write(move |txn| {
        Box::pin(async move {
            let ballots = evaluation_ballot::Entity::delete_many()
                .filter(evaluation_ballot::Column::ExpiresAt.lte(now))
                .exec(txn.conn())
                .await?
                .rows_affected;
            Ok(ballots + super::surveys::expire_links(txn, now).await?)
        })
    })
    .await
}

/// Every revision of every format's questions, oldest first.
pub async fn question_sets(db: &Db) -> Result<HashMap<i32, Vec<Vec<Question>>>, DbError> {
    let rows = question_set::Entity::find()
        .order_by_asc(question_set::Column::FormatId)
        .order_by_asc(question_set::Column::Revision)
        .all(db.conn())
        .await?;
    let mut sets: HashMap<i32, Vec<Vec<Question>>> = HashMap::new();
    for row in rows {
        sets.entry(row.format_id).or_default().push(read_questions(&row.questions)?);
    }
    Ok(sets)
}

/// The questions a format asks now: its latest set, or the default ones.
pub async fn current_questions<C: ConnectionTrait>(
    conn: &C,
    format_id: Option<i32>,
) -> Result<Vec<Question>, DbError> {
    let Some(format_id) = format_id else { return Ok(default_questions()) };
    let latest = question_set::Entity::find()
        .filter(question_set::Column::FormatId.eq(format_id))
        .order_by_desc(question_set::Column::Revision)
        .one(conn)
        .await?;
    match latest {
        Some(row) => read_questions(&row.questions),
        None => Ok(default_questions()),
    }
}

/// The revision the next save of a format's questions gets.
pub async fn next_revision(txn: &WriteTxn<'_>, format_id: i32) -> Result<u32, DbError> {
    let latest = question_set::Entity::find()
        .filter(question_set::Column::FormatId.eq(format_id))
        .order_by_desc(question_set::Column::Revision)
        .one(txn.conn())
        .await?;
    Ok(latest.map_or(1, |row| u32::try_from(row.revision).unwrap_or(0).saturating_add(1)))
}

pub async fn save_questions(
    txn: &WriteTxn<'_>,
    format_id: i32,
    revision: u32,
    questions: &[Question],
) -> Result<(), DbError> {
    let questions = serde_json::to_string(questions).map_err(|error| DbError::Other(error.to_string()))?;
    question_set::Entity::insert(question_set::ActiveModel {
        format_id: Set(format_id),
        revision: Set(i32::try_from(revision).unwrap_or(i32::MAX)),
        questions: Set(questions),
    })
    .exec_without_returning(txn.conn())
    .await?;
    Ok(())
}

fn read_questions(json: &str) -> Result<Vec<Question>, DbError> {
    serde_json::from_str(json).map_err(|error| DbError::Other(error.to_string()))
}
