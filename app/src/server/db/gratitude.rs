//! The gratitude wall: stories, their reports, and the accounts named to moderate them.
//!
//! Every change of a story's status is a conditional write on the status it is expected to
//! have, so two moderators (or a moderator and the author withdrawing) deciding at once give
//! one decision, on any number of instances.

use super::entity::{account, gratitude_story, story_moderator, story_report};
use super::{Db, DbError, WriteTxn};
use crate::domain::access::Role;
use crate::domain::gratitude::{ModeratorChoice, NewStory, Story, StoryStatus, WaitingStory};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

fn story_of(row: gratitude_story::Model) -> Story {
    Story {
        id: row.id,
        body: row.body,
        language: row.language,
        signature: row.signature,
        status: row.status,
        published_at: row.published_at,
    }
}

/// Stores a new story, unconfirmed, with its author's address until it is decided; its id.
pub async fn insert(
    txn: &WriteTxn<'_>,
    story: &NewStory,
    link_digest: String,
    now: DateTime<Utc>,
) -> Result<i32, DbError> {
    Ok(gratitude_story::Entity::insert(gratitude_story::ActiveModel {
        body: Set(story.body.clone()),
        language: Set(story.language),
        signature: Set(story.signature.clone()),
        status: Set(StoryStatus::Unconfirmed),
        email: Set(Some(story.email.clone())),
        link_digest: Set(link_digest),
        created_at: Set(now),
        published_at: Set(None),
        ..Default::default()
    })
    .exec(txn.conn())
    .await?
    .last_insert_id)
}

/// The story behind an author's private link.
pub async fn by_link(db: &Db, link_digest: &str) -> Result<Option<Story>, DbError> {
    Ok(gratitude_story::Entity::find()
        .filter(gratitude_story::Column::LinkDigest.eq(link_digest))
        .one(db.conn())
        .await?
        .map(story_of))
}

/// Confirms the address of the story behind `link_digest`: it now waits for a moderator.
/// Whether it was waiting for that.
pub async fn confirm(txn: &WriteTxn<'_>, link_digest: &str) -> Result<bool, DbError> {
    let updated = gratitude_story::Entity::update_many()
        .col_expr(gratitude_story::Column::Status, Expr::value(StoryStatus::Pending))
        .filter(gratitude_story::Column::LinkDigest.eq(link_digest))
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Unconfirmed))
        .exec(txn.conn())
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Deletes the story behind `link_digest`, whatever its status; whether there was one.
pub async fn withdraw(txn: &WriteTxn<'_>, link_digest: &str) -> Result<bool, DbError> {
    let deleted = gratitude_story::Entity::delete_many()
        .filter(gratitude_story::Column::LinkDigest.eq(link_digest))
        .exec(txn.conn())
        .await?;
    Ok(deleted.rows_affected == 1)
}

/// Approved stories, newest first, in `language` if given: `limit` of them after `offset`,
/// and whether more follow.
pub async fn wall(
    db: &Db,
    language: Option<Locale>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Story>, bool), DbError> {
    let mut query = gratitude_story::Entity::find()
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Approved))
        .order_by_desc(gratitude_story::Column::PublishedAt)
        .order_by_desc(gratitude_story::Column::Id);
    if let Some(language) = language {
        query = query.filter(gratitude_story::Column::Language.eq(language));
    }
    let mut rows = query.offset(offset).limit(limit.saturating_add(1)).all(db.conn()).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows.into_iter().map(story_of).collect(), more))
}

/// Confirmed stories waiting for a decision, oldest first, with their reports.
pub async fn waiting(db: &Db) -> Result<Vec<WaitingStory>, DbError> {
    let rows = gratitude_story::Entity::find()
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Pending))
        .order_by_asc(gratitude_story::Column::Id)
        .all(db.conn())
        .await?;
    // Only stories sent back by reports have any; one query counts them all.
    let reports: Vec<(i32, i64)> = story_report::Entity::find()
        .select_only()
        .column(story_report::Column::StoryId)
        .column_as(Expr::col(story_report::Column::ReporterDigest).count(), "reports")
        .group_by(story_report::Column::StoryId)
        .into_tuple()
        .all(db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let reports = reports.iter().find(|(id, _)| *id == row.id).map_or(0, |(_, n)| *n);
            WaitingStory { story: story_of(row), reports: u64::try_from(reports).unwrap_or(0) }
        })
        .collect())
}

/// Publishes a waiting story and forgets its author's address and its reports. The address
/// and language to tell, or `None` if the story was not waiting (decided or withdrawn since).
pub async fn approve(
    txn: &WriteTxn<'_>,
    id: i32,
    now: DateTime<Utc>,
) -> Result<Option<(Option<String>, Locale)>, DbError> {
    let Some(story) = waiting_story(txn, id).await? else {
        return Ok(None);
    };
    let updated = gratitude_story::Entity::update_many()
        .col_expr(gratitude_story::Column::Status, Expr::value(StoryStatus::Approved))
        .col_expr(gratitude_story::Column::PublishedAt, Expr::value(now))
        .col_expr(gratitude_story::Column::Email, Expr::value(Option::<String>::None))
        .filter(gratitude_story::Column::Id.eq(id))
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Pending))
        .exec(txn.conn())
        .await?;
    if updated.rows_affected != 1 {
        return Ok(None);
    }
    story_report::Entity::delete_many().filter(story_report::Column::StoryId.eq(id)).exec(txn.conn()).await?;
    Ok(Some((story.email, story.language)))
}

/// Deletes a waiting story a moderator declined. The address and language to tell, or `None`
/// if the story was not waiting.
pub async fn decline(txn: &WriteTxn<'_>, id: i32) -> Result<Option<(Option<String>, Locale)>, DbError> {
    let Some(story) = waiting_story(txn, id).await? else {
        return Ok(None);
    };
    let deleted = gratitude_story::Entity::delete_many()
        .filter(gratitude_story::Column::Id.eq(id))
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Pending))
        .exec(txn.conn())
        .await?;
    Ok((deleted.rows_affected == 1).then_some((story.email, story.language)))
}

async fn waiting_story(txn: &WriteTxn<'_>, id: i32) -> Result<Option<gratitude_story::Model>, DbError> {
    Ok(gratitude_story::Entity::find_by_id(id)
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Pending))
        .lock_exclusive()
        .one(txn.conn())
        .await?)
}

/// Records a report of a published story by `reporter_digest` (once per reporter). The
/// story's distinct reports since it was last approved, or `None` if it is not on the wall.
pub async fn report(txn: &WriteTxn<'_>, id: i32, reporter_digest: String) -> Result<Option<u64>, DbError> {
    let published = gratitude_story::Entity::find_by_id(id)
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Approved))
        .lock_exclusive()
        .one(txn.conn())
        .await?;
    if published.is_none() {
        return Ok(None);
    }
    story_report::Entity::insert(story_report::ActiveModel {
        story_id: Set(id),
        reporter_digest: Set(reporter_digest),
    })
    .on_conflict(
        OnConflict::columns([story_report::Column::StoryId, story_report::Column::ReporterDigest])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn.conn())
    .await?;
    let reports =
        story_report::Entity::find().filter(story_report::Column::StoryId.eq(id)).count(txn.conn()).await?;
    Ok(Some(reports))
}

/// Takes a published story off the wall, back to moderation (its reports stay, for the
/// moderator to see).
pub async fn back_to_moderation(txn: &WriteTxn<'_>, id: i32) -> Result<bool, DbError> {
    let updated = gratitude_story::Entity::update_many()
        .col_expr(gratitude_story::Column::Status, Expr::value(StoryStatus::Pending))
        .filter(gratitude_story::Column::Id.eq(id))
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Approved))
        .exec(txn.conn())
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Deletes stories whose address was never confirmed, written before `cutoff`.
pub async fn purge_unconfirmed(txn: &WriteTxn<'_>, cutoff: DateTime<Utc>) -> Result<u64, DbError> {
    Ok(gratitude_story::Entity::delete_many()
        .filter(gratitude_story::Column::Status.eq(StoryStatus::Unconfirmed))
        .filter(gratitude_story::Column::CreatedAt.lt(cutoff))
        .exec(txn.conn())
        .await?
        .rows_affected)
}

/// Whether a coordinator named this account a moderator.
pub async fn is_named_moderator(db: &Db, account_id: i32) -> Result<bool, DbError> {
    Ok(story_moderator::Entity::find_by_id(account_id).one(db.conn()).await?.is_some())
}

/// Names (or stops naming) an account as a moderator.
pub async fn set_moderator(txn: &WriteTxn<'_>, account_id: i32, moderates: bool) -> Result<(), DbError> {
    if moderates {
        story_moderator::Entity::insert(story_moderator::ActiveModel { account_id: Set(account_id) })
            .on_conflict(OnConflict::column(story_moderator::Column::AccountId).do_nothing().to_owned())
            .exec_without_returning(txn.conn())
            .await?;
    } else {
        story_moderator::Entity::delete_by_id(account_id).exec(txn.conn()).await?;
    }
    Ok(())
}

/// The active facilitator accounts (not coordinators, who moderate already), named or not.
pub async fn moderator_choices(db: &Db) -> Result<Vec<ModeratorChoice>, DbError> {
    let named: Vec<i32> =
        story_moderator::Entity::find().all(db.conn()).await?.into_iter().map(|m| m.account_id).collect();
    Ok(account::Entity::find()
        .filter(account::Column::Role.eq(Role::Facilitator))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::Email)
        .all(db.conn())
        .await?
        .into_iter()
        .map(|account| ModeratorChoice {
            account_id: account.id,
            moderates: named.contains(&account.id),
            name: account.email,
        })
        .collect())
}

/// Who moderates, to tell: every active coordinator and named moderator, with their language.
pub async fn moderators(txn: &WriteTxn<'_>) -> Result<Vec<(String, Locale)>, DbError> {
    let named: Vec<i32> =
        story_moderator::Entity::find().all(txn.conn()).await?.into_iter().map(|m| m.account_id).collect();
    Ok(account::Entity::find()
        .filter(account::Column::Active.eq(true))
        .filter(
            Condition::any()
                .add(account::Column::Role.eq(Role::Coordinator))
                .add(account::Column::Id.is_in(named)),
        )
        .all(txn.conn())
        .await?
        .into_iter()
        .map(|account| (account.email, account.language))
        .collect())
}
