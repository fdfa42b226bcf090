//! Changing sessions from the workspace: details, cancellation, registration open or closed,
//! and which facilitator leads them. Every change that a calendar should see raises the
//! session's SEQUENCE, so the invitations already sent are replaced.

use super::entity::{format, session};
use super::registrations::{SeatCounters, Session};
use super::{Db, DbError, WriteTxn, records};
use crate::domain::session::{Audience, SessionLanguage, SessionStatus};
use crate::model::{Bilingual, SeriesInfo};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, Unchanged};

pub async fn session(db: &Db, id: i32) -> Result<Option<Session>, DbError> {
    Ok(session::Entity::find_by_id(id).one(db.conn()).await?.map(Into::into))
}

/// Sessions led by `facilitator_id`, or every session for `None`, soonest first.
pub async fn sessions_of(db: &Db, facilitator_id: Option<i32>) -> Result<Vec<Session>, DbError> {
    let mut select =
        session::Entity::find().order_by_asc(session::Column::StartsAt).order_by_asc(session::Column::Id);
    if let Some(facilitator_id) = facilitator_id {
        select = select.filter(session::Column::FacilitatorId.eq(facilitator_id));
    }
    Ok(select.all(db.conn()).await.map(records)?)
}

pub async fn format_id(txn: &WriteTxn<'_>, slug: &str) -> Result<Option<i32>, DbError> {
    Ok(format::Entity::find().filter(format::Column::Slug.eq(slug)).one(txn.conn()).await?.map(|f| f.id))
}

/// The details a facilitator can change on a session.
pub struct SessionDetails {
    pub format_id: i32,
    pub title: Bilingual,
    pub description: Bilingual,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub audience: Audience,
    pub language: SessionLanguage,
    pub meeting_link: Option<String>,
    pub series: Option<SeriesInfo>,
}

/// The session's next revision, for calendars.
fn bumped(row: &Session, now: DateTime<Utc>) -> session::ActiveModel {
    session::ActiveModel {
        id: Unchanged(row.id),
        ics_sequence: Set(row.ics_sequence + 1),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn update_details(
    txn: &WriteTxn<'_>,
    row: &Session,
    details: SessionDetails,
    now: DateTime<Utc>,
) -> Result<Session, DbError> {
    let (series_name, series_part) = match details.series {
        Some(series) => (series.name, Some(series.part as i32)),
        None => (Bilingual::default(), None),
    };
    let mut active = bumped(row, now);
    active.format_id = Set(details.format_id);
    active.title_en = Set(details.title.en);
    active.title_fr = Set(details.title.fr);
    active.description_en = Set(details.description.en);
    active.description_fr = Set(details.description.fr);
    active.starts_at = Set(details.starts_at);
    active.duration_minutes = Set(details.duration_minutes as i32);
    active.capacity = Set(details.capacity as i32);
    active.audience = Set(details.audience);
    active.language = Set(details.language);
    active.meeting_link = Set(details.meeting_link);
    active.series_name_en = Set(series_name.en);
    active.series_name_fr = Set(series_name.fr);
    active.series_part = Set(series_part);
    Ok(active.update(txn.conn()).await?.into())
}

/// Cancels a locked session; open pages show it cancelled once the unit commits.
pub async fn cancel(txn: &WriteTxn<'_>, row: &Session, now: DateTime<Utc>) -> Result<Session, DbError> {
    let mut active = bumped(row, now);
    active.status = Set(SessionStatus::Cancelled);
    let cancelled: Session = active.update(txn.conn()).await?.into();
    txn.seats_changed(cancelled.seat_update(cancelled.seats()));
    Ok(cancelled)
}

pub async fn set_registration_closed(
    txn: &WriteTxn<'_>,
    id: i32,
    closed: bool,
    now: DateTime<Utc>,
) -> Result<Session, DbError> {
    let active = session::ActiveModel {
        id: Unchanged(id),
        registration_closed: Set(closed),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(active.update(txn.conn()).await?.into())
}

pub async fn reassign(
    txn: &WriteTxn<'_>,
    id: i32,
    facilitator_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let active = session::ActiveModel {
        id: Unchanged(id),
        facilitator_id: Set(facilitator_id),
        updated_at: Set(now),
        ..Default::default()
    };
    active.update(txn.conn()).await?;
    Ok(())
}
