//! Round surveys: each round's settings and questions, the invitations (who was asked which
//! wave, whether they answered, the hash of their link while it works) and the responses, which
//! name the round and the wave only. An answer is stored unreleased; [`release`] later rewrites
//! a batch of them under new keys in shuffled order, so no write of the member's completion
//! shares a transaction, a key or an order with the answers as the reports read them.

use super::entity::{round_survey, survey_invitation, survey_response};
use super::{Db, DbError, WriteTxn};
use crate::domain::evaluation::{Answers, Question};
use crate::domain::survey::{ValidSurvey, months_text, parse_months};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

/// A round's survey as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Survey {
    pub follow_up_months: Vec<u32>,
    pub revision: u32,
    pub questions: Vec<Question>,
}

/// That a member was asked a wave: whether they answered, and whether their link still works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub application_id: i32,
    pub wave: u32,
    pub completed: bool,
    pub open: bool,
}

fn json_error(error: serde_json::Error) -> DbError {
    DbError::Other(error.to_string())
}

fn wave_column(wave: u32) -> i32 {
    i32::try_from(wave).unwrap_or(i32::MAX)
}

fn survey_of(row: round_survey::Model) -> Result<Survey, DbError> {
    Ok(Survey {
        follow_up_months: parse_months(&row.follow_up_months).ok_or_else(|| {
            DbError::Other(format!("unreadable follow-up months of round {}", row.round_id))
        })?,
        revision: u32::try_from(row.revision).unwrap_or(0),
        questions: serde_json::from_str(&row.questions).map_err(json_error)?,
    })
}

pub async fn survey<C: ConnectionTrait>(conn: &C, round_id: i32) -> Result<Option<Survey>, DbError> {
    round_survey::Entity::find_by_id(round_id).one(conn).await?.map(survey_of).transpose()
}

/// Every round that has a survey, with it.
pub async fn surveys(db: &Db) -> Result<Vec<(i32, Survey)>, DbError> {
    round_survey::Entity::find()
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| Ok((row.round_id, survey_of(row)?)))
        .collect()
}

/// Sets a round's survey (a new revision of its questions).
pub async fn save(
    txn: &WriteTxn<'_>,
    round_id: i32,
    revision: u32,
    survey: &ValidSurvey,
) -> Result<(), DbError> {
    let questions = serde_json::to_string(&survey.questions).map_err(json_error)?;
    round_survey::Entity::insert(round_survey::ActiveModel {
        round_id: Set(round_id),
        follow_up_months: Set(months_text(&survey.follow_up_months)),
        revision: Set(i32::try_from(revision).unwrap_or(i32::MAX)),
        questions: Set(questions),
    })
    .on_conflict(
        OnConflict::column(round_survey::Column::RoundId)
            .update_columns([
                round_survey::Column::FollowUpMonths,
                round_survey::Column::Revision,
                round_survey::Column::Questions,
            ])
            .to_owned(),
    )
    .exec_without_returning(txn.conn())
    .await?;
    Ok(())
}

pub async fn invitations<C: ConnectionTrait>(
    conn: &C,
    round_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<Invitation>, DbError> {
    Ok(survey_invitation::Entity::find()
        .filter(survey_invitation::Column::RoundId.eq(round_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Invitation {
            application_id: row.application_id,
            wave: u32::try_from(row.wave).unwrap_or(0),
            completed: row.completed,
            open: row.token_hash.is_some() && row.expires_at > now,
        })
        .collect())
}

/// Records that a member is asked a wave, with the hash of their link.
pub async fn invite(
    txn: &WriteTxn<'_>,
    round_id: i32,
    application_id: i32,
    wave: u32,
    token_hash: String,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    survey_invitation::Entity::insert(survey_invitation::ActiveModel {
        application_id: Set(application_id),
        wave: Set(wave_column(wave)),
        round_id: Set(round_id),
        token_hash: Set(Some(token_hash)),
        expires_at: Set(expires_at),
        completed: Set(false),
    })
    .exec_without_returning(txn.conn())
    .await?;
    Ok(())
}

/// The round and wave an unexpired survey link is for.
pub async fn invitation(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i32, u32)>, DbError> {
    let row = survey_invitation::Entity::find()
        .filter(survey_invitation::Column::TokenHash.eq(token_hash))
        .filter(survey_invitation::Column::ExpiresAt.gt(now))
        .one(db.conn())
        .await?;
    Ok(row.map(|row| (row.round_id, u32::try_from(row.wave).unwrap_or(0))))
}

/// Uses up an unexpired survey link: the member's wave is completed and the link forgotten.
/// Returns the round and wave, or `None` when there is no such link, so a link answers once.
pub async fn complete(
    txn: &WriteTxn<'_>,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i32, u32)>, DbError> {
    let Some(row) = survey_invitation::Entity::find()
        .filter(survey_invitation::Column::TokenHash.eq(token_hash))
        .filter(survey_invitation::Column::ExpiresAt.gt(now))
        .lock_exclusive()
        .one(txn.conn())
        .await?
    else {
        return Ok(None);
    };
    let updated = survey_invitation::Entity::update_many()
        .col_expr(survey_invitation::Column::TokenHash, Expr::value(Option::<String>::None))
        .col_expr(survey_invitation::Column::Completed, Expr::value(true))
        .filter(survey_invitation::Column::TokenHash.eq(token_hash))
        .exec(txn.conn())
        .await?;
    Ok((updated.rows_affected == 1).then(|| (row.round_id, u32::try_from(row.wave).unwrap_or(0))))
}

/// Stores an answer, unreleased, under a random key.
pub async fn store_response(
    txn: &WriteTxn<'_>,
    round_id: i32,
    wave: u32,
    answers: &Answers,
    key: String,
) -> Result<(), DbError> {
    survey_response::Entity::insert(survey_response::ActiveModel {
        id: Set(key),
        round_id: Set(round_id),
        wave: Set(wave_column(wave)),
        answers: Set(serde_json::to_string(answers).map_err(json_error)?),
        released: Set(false),
    })
    .exec_without_returning(txn.conn())
    .await?;
    Ok(())
}

/// How many answers of each round's wave wait for release.
pub async fn waiting(db: &Db) -> Result<Vec<(i32, u32, u32)>, DbError> {
    let rows: Vec<(i32, i32, i64)> = survey_response::Entity::find()
        .select_only()
        .column(survey_response::Column::RoundId)
        .column(survey_response::Column::Wave)
        .column_as(survey_response::Column::Id.count(), "waiting")
        .filter(survey_response::Column::Released.eq(false))
        .group_by(survey_response::Column::RoundId)
        .group_by(survey_response::Column::Wave)
        .into_tuple()
        .all(db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(round, wave, count)| {
            (round, u32::try_from(wave).unwrap_or(0), u32::try_from(count).unwrap_or(u32::MAX))
        })
        .collect())
}

/// Releases the waiting answers of a round's wave: each is deleted and written again, released,
/// under the key `new_key` gives it, in the order of `shuffled` (which the caller shuffles).
pub async fn release(
    txn: &WriteTxn<'_>,
    round_id: i32,
    wave: u32,
    shuffle: impl FnOnce(&mut Vec<String>),
    mut new_key: impl FnMut() -> String,
) -> Result<u32, DbError> {
    let mut answers: Vec<String> = survey_response::Entity::find()
        .filter(survey_response::Column::RoundId.eq(round_id))
        .filter(survey_response::Column::Wave.eq(wave_column(wave)))
        .filter(survey_response::Column::Released.eq(false))
        .all(txn.conn())
        .await?
        .into_iter()
        .map(|row| row.answers)
        .collect();
    if answers.is_empty() {
        return Ok(0);
    }
    survey_response::Entity::delete_many()
        .filter(survey_response::Column::RoundId.eq(round_id))
        .filter(survey_response::Column::Wave.eq(wave_column(wave)))
        .filter(survey_response::Column::Released.eq(false))
        .exec(txn.conn())
        .await?;
    shuffle(&mut answers);
    let count = u32::try_from(answers.len()).unwrap_or(u32::MAX);
    let rows: Vec<_> = answers
        .into_iter()
        .map(|answers| survey_response::ActiveModel {
            id: Set(new_key()),
            round_id: Set(round_id),
            wave: Set(wave_column(wave)),
            answers: Set(answers),
            released: Set(true),
        })
        .collect();
    // One row at a time, in the shuffled order: that is the order they lie in on disk.
    for row in rows {
        survey_response::Entity::insert(row).exec_without_returning(txn.conn()).await?;
    }
    Ok(count)
}

/// On PostgreSQL, removes the dead versions a release left behind: until vacuumed, the
/// deleted rows keep the transaction id they were written with, which is their member's
/// completion's too. (SQLite overwrites deleted rows: `secure_delete`.)
pub async fn vacuum_responses(db: &Db) -> Result<(), DbError> {
    if db.postgres_pool().is_some() {
        db.conn().execute_unprepared("VACUUM survey_response").await?;
    }
    Ok(())
}

/// The released answers of a round, by wave.
pub async fn responses(db: &Db, round_id: i32) -> Result<Vec<(u32, Answers)>, DbError> {
    survey_response::Entity::find()
        .filter(survey_response::Column::RoundId.eq(round_id))
        .filter(survey_response::Column::Released.eq(true))
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| {
            Ok((
                u32::try_from(row.wave).unwrap_or(0),
                serde_json::from_str(&row.answers).map_err(json_error)?,
            ))
        })
        .collect()
}

/// Forgets the links that expired unanswered (the invitation stays: it was sent).
pub async fn expire_links(txn: &WriteTxn<'_>, now: DateTime<Utc>) -> Result<u64, DbError> {
    Ok(survey_invitation::Entity::update_many()
        .col_expr(survey_invitation::Column::TokenHash, Expr::value(Option::<String>::None))
        .filter(survey_invitation::Column::TokenHash.is_not_null())
        .filter(survey_invitation::Column::ExpiresAt.lte(now))
        .exec(txn.conn())
        .await?
        .rows_affected)
}

/// Deletes the answers of a round that never reached a batch (the privacy purge of the round).
pub async fn drop_unreleased(txn: &WriteTxn<'_>, round_id: i32) -> Result<u64, DbError> {
    Ok(survey_response::Entity::delete_many()
        .filter(survey_response::Column::RoundId.eq(round_id))
        .filter(survey_response::Column::Released.eq(false))
        .exec(txn.conn())
        .await?
        .rows_affected)
}
