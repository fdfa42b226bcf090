//! Reading and writing sessions, formats and facilitators.

use super::cohorts::Cohort;
use super::entity::{cohort, facilitator, format, session};
use super::registrations::{SeatCounters, Session};
use super::{Db, DbError, WriteTxn, records};
use crate::domain::calendar::CalendarFilter;
use crate::domain::registration::Seats;
use crate::domain::session::{Audience, SessionLanguage, SessionStatus, is_open_for_registration};
use crate::i18n::Locale;
use crate::model::{
    Bilingual, FacilitatorInfo, FormatInfo, Offering, SeatUpdate, SeriesInfo, SessionDetail, SessionSummary,
};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Which sessions to list: a time window, the visitor's filter, and a page of it.
#[derive(Clone, Debug, Default)]
pub struct SessionQuery {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub filter: CalendarFilter,
    pub offset: u64,
    pub limit: u64,
}

pub async fn list(db: &Db, query: &SessionQuery) -> Result<Vec<SessionSummary>, DbError> {
    Ok(list_rows(db, query).await?.into_iter().map(|(summary, _)| summary).collect())
}

/// A session as a calendar file describes it.
pub struct CalendarEntry {
    pub summary: SessionSummary,
    pub description: Bilingual,
    /// Grows with every change, so calendars replace their copy.
    pub sequence: u32,
    pub format_id: i32,
}

impl CalendarEntry {
    fn of(summary: SessionSummary, row: &session::Model) -> CalendarEntry {
        CalendarEntry {
            summary,
            description: Bilingual { en: row.description_en.clone(), fr: row.description_fr.clone() },
            sequence: non_negative(row.ics_sequence),
            format_id: row.format_id,
        }
    }
}

pub async fn calendar_entries(db: &Db, query: &SessionQuery) -> Result<Vec<CalendarEntry>, DbError> {
    Ok(list_rows(db, query)
        .await?
        .into_iter()
        .map(|(summary, row)| CalendarEntry::of(summary, &row))
        .collect())
}

pub async fn calendar_entry(db: &Db, id: i32) -> Result<CalendarEntry, DbError> {
    let row = session::Entity::find_by_id(id).one(db.conn()).await?.ok_or(DbError::NotFound)?;
    let format = format::Entity::find_by_id(row.format_id).one(db.conn()).await?.ok_or(DbError::NotFound)?;
    let facilitator =
        facilitator::Entity::find_by_id(row.facilitator_id).one(db.conn()).await?.ok_or(DbError::NotFound)?;
    Ok(CalendarEntry::of(summary(&row, &format, &facilitator), &row))
}

async fn list_rows(db: &Db, query: &SessionQuery) -> Result<Vec<(SessionSummary, session::Model)>, DbError> {
    let formats = format::Entity::find().all(db.conn()).await?;
    let mut select =
        session::Entity::find().order_by_asc(session::Column::StartsAt).order_by_asc(session::Column::Id);
    if let Some(from) = query.from {
        select = select.filter(session::Column::StartsAt.gte(from));
    }
    if let Some(until) = query.until {
        select = select.filter(session::Column::StartsAt.lt(until));
    }
    if let Some(slug) = &query.filter.format {
        let Some(format) = formats.iter().find(|f| &f.slug == slug) else {
            return Ok(Vec::new());
        };
        select = select.filter(session::Column::FormatId.eq(format.id));
    }
    if let Some(language) = query.filter.language {
        let spoken = match language {
            Locale::En => SessionLanguage::En,
            Locale::Fr => SessionLanguage::Fr,
        };
        select = select.filter(session::Column::Language.is_in([spoken, SessionLanguage::Bilingual]));
    }
    if let Some(audience) = query.filter.audience {
        select = select.filter(session::Column::Audience.eq(audience));
    }
    let rows = select.offset(query.offset).limit(query.limit).all(db.conn()).await?;

    let facilitators = facilitators_by_id(db, rows.iter().map(|r| r.facilitator_id)).await?;
    let formats: HashMap<i32, format::Model> = formats.into_iter().map(|f| (f.id, f)).collect();
    rows.into_iter()
        .map(|row| {
            let format = formats.get(&row.format_id).ok_or(DbError::NotFound)?;
            let facilitator = facilitators.get(&row.facilitator_id).ok_or(DbError::NotFound)?;
            Ok((summary(&row, format, facilitator), row))
        })
        .collect()
}

/// One session for its page; `waitlist_factor` says when its waitlist is full.
pub async fn detail(
    db: &Db,
    id: i32,
    now: DateTime<Utc>,
    waitlist_factor: u32,
) -> Result<SessionDetail, DbError> {
    let row = session::Entity::find_by_id(id).one(db.conn()).await?.ok_or(DbError::NotFound)?;
    let format = format::Entity::find_by_id(row.format_id).one(db.conn()).await?.ok_or(DbError::NotFound)?;
    let facilitator =
        facilitator::Entity::find_by_id(row.facilitator_id).one(db.conn()).await?.ok_or(DbError::NotFound)?;
    let summary = summary(&row, &format, &facilitator);
    Ok(SessionDetail {
        registration_open: is_open_for_registration(
            summary.status,
            row.registration_closed,
            row.starts_at,
            now,
        ),
        waitlist_full: Seats {
            capacity: summary.capacity,
            taken: summary.seats_taken,
            waiting: summary.waitlist_length,
        }
        .waitlist_full(waitlist_factor),
        description: Bilingual { en: row.description_en, fr: row.description_fr },
        format: format_info(format),
        facilitator: FacilitatorInfo {
            display_name: facilitator.display_name,
            credentials: Bilingual::both(facilitator.credentials_en, facilitator.credentials_fr),
        },
        summary,
    })
}

pub async fn formats(db: &Db) -> Result<Vec<FormatInfo>, DbError> {
    let rows = format::Entity::find()
        .order_by_asc(format::Column::Position)
        .order_by_asc(format::Column::Id)
        .all(db.conn())
        .await?;
    Ok(rows.into_iter().map(format_info).collect())
}

/// The current seat counts of the offerings in `wanted` (those that exist).
pub async fn seat_snapshot(db: &Db, wanted: &[Offering]) -> Result<Vec<SeatUpdate>, DbError> {
    let (mut session_ids, mut cohort_ids) = (Vec::new(), Vec::new());
    for offering in wanted {
        match *offering {
            Offering::Session(id) => session_ids.push(id),
            Offering::Intake(id) => cohort_ids.push(id),
        }
    }
    let mut counts = Vec::new();
    if !session_ids.is_empty() {
        let rows: Vec<Session> = session::Entity::find()
            .filter(session::Column::Id.is_in(session_ids))
            .all(db.conn())
            .await
            .map(records)?;
        counts.extend(rows.iter().map(|row| row.seat_update(row.seats())));
    }
    if !cohort_ids.is_empty() {
        let rows: Vec<Cohort> = cohort::Entity::find()
            .filter(cohort::Column::Id.is_in(cohort_ids))
            .all(db.conn())
            .await
            .map(records)?;
        counts.extend(rows.iter().map(|row| row.seat_update(row.seats())));
    }
    let now = Utc::now().timestamp_micros();
    for update in &mut counts {
        update.committed_at_us = now;
    }
    Ok(counts)
}

/// Whether anything has been stored yet (the demo data set loads only into an empty database).
pub async fn is_empty(db: &Db) -> Result<bool, DbError> {
    Ok(format::Entity::find().one(db.conn()).await?.is_none())
}

async fn facilitators_by_id(
    db: &Db,
    ids: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, facilitator::Model>, DbError> {
    let mut ids: Vec<i32> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = facilitator::Entity::find().filter(facilitator::Column::Id.is_in(ids)).all(db.conn()).await?;
    Ok(rows.into_iter().map(|f| (f.id, f)).collect())
}

fn format_info(format: format::Model) -> FormatInfo {
    FormatInfo {
        slug: format.slug,
        name: Bilingual::both(format.name_en, format.name_fr),
        description: Bilingual::both(format.description_en, format.description_fr),
        led_by: Bilingual::both(format.led_by_en, format.led_by_fr),
    }
}

fn non_negative(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn summary(row: &session::Model, format: &format::Model, facilitator: &facilitator::Model) -> SessionSummary {
    let series = row.series_part.map(|part| SeriesInfo {
        name: Bilingual { en: row.series_name_en.clone(), fr: row.series_name_fr.clone() },
        part: non_negative(part),
    });
    SessionSummary {
        id: row.id,
        format_slug: format.slug.clone(),
        format_name: Bilingual::both(format.name_en.clone(), format.name_fr.clone()),
        title: Bilingual { en: row.title_en.clone(), fr: row.title_fr.clone() },
        starts_at: row.starts_at,
        duration_minutes: non_negative(row.duration_minutes),
        language: row.language,
        audience: row.audience,
        status: row.status,
        capacity: non_negative(row.capacity),
        seats_taken: non_negative(row.seats_taken),
        waitlist_length: non_negative(row.waitlist_length),
        facilitator_name: facilitator.display_name.clone(),
        series,
    }
}

/// A session format to store.
pub struct NewFormat {
    pub slug: String,
    pub name: (String, String),
    pub description: (String, String),
    pub led_by: (String, String),
    pub position: i32,
}

record! {
    /// A session format with its id, as the coordinator manages it.
    pub struct Format from format::Model {
        pub id: i32,
        pub slug: String,
        pub name_en: String,
        pub name_fr: String,
        pub description_en: String,
        pub description_fr: String,
        pub led_by_en: String,
        pub led_by_fr: String,
        pub position: i32,
    }
}

/// Every format with its id, for the coordinator.
pub async fn all_formats(db: &Db) -> Result<Vec<Format>, DbError> {
    Ok(format::Entity::find()
        .order_by_asc(format::Column::Position)
        .order_by_asc(format::Column::Id)
        .all(db.conn())
        .await
        .map(records)?)
}

/// Changes an existing format's texts (its slug, used in links, stays).
pub async fn update_format(txn: &WriteTxn<'_>, id: i32, new: NewFormat) -> Result<(), DbError> {
    use sea_orm::IntoActiveModel;
    let row = format::Entity::find_by_id(id).one(txn.conn()).await?.ok_or(DbError::NotFound)?;
    let mut row = row.into_active_model();
    row.name_en = Set(new.name.0);
    row.name_fr = Set(new.name.1);
    row.description_en = Set(new.description.0);
    row.description_fr = Set(new.description.1);
    row.led_by_en = Set(new.led_by.0);
    row.led_by_fr = Set(new.led_by.1);
    row.position = Set(new.position);
    row.update(txn.conn()).await?;
    Ok(())
}

pub async fn insert_format(txn: &WriteTxn<'_>, new: NewFormat) -> Result<i32, DbError> {
    let model = format::ActiveModel {
        slug: Set(new.slug),
        name_en: Set(new.name.0),
        name_fr: Set(new.name.1),
        description_en: Set(new.description.0),
        description_fr: Set(new.description.1),
        led_by_en: Set(new.led_by.0),
        led_by_fr: Set(new.led_by.1),
        position: Set(new.position),
        ..Default::default()
    };
    Ok(model.insert(txn.conn()).await?.id)
}

/// A format's name in both languages (what an untitled session goes by).
pub async fn format_name<C: sea_orm::ConnectionTrait>(
    conn: &C,
    id: i32,
) -> Result<Option<Bilingual>, DbError> {
    let row = format::Entity::find_by_id(id).one(conn).await?;
    Ok(row.map(|row| Bilingual::both(row.name_en, row.name_fr)))
}

pub struct NewFacilitator {
    pub display_name: String,
    pub credentials: (String, String),
}

pub async fn insert_facilitator(txn: &WriteTxn<'_>, new: NewFacilitator) -> Result<i32, DbError> {
    let model = facilitator::ActiveModel {
        display_name: Set(new.display_name),
        credentials_en: Set(new.credentials.0),
        credentials_fr: Set(new.credentials.1),
        ..Default::default()
    };
    Ok(model.insert(txn.conn()).await?.id)
}

/// A session to store. The domain has already checked it (capacity, times, text).
pub struct NewSession {
    pub format_id: i32,
    pub facilitator_id: i32,
    pub title: Bilingual,
    pub description: Bilingual,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub language: SessionLanguage,
    pub audience: Audience,
    pub series: Option<SeriesInfo>,
    pub meeting_link: Option<String>,
}

pub async fn insert_session(txn: &WriteTxn<'_>, new: NewSession, now: DateTime<Utc>) -> Result<i32, DbError> {
    let (series_name, series_part) = match new.series {
        Some(series) => (series.name, Some(series.part as i32)),
        None => (Bilingual::default(), None),
    };
    let model = session::ActiveModel {
        format_id: Set(new.format_id),
        facilitator_id: Set(new.facilitator_id),
        title_en: Set(new.title.en),
        title_fr: Set(new.title.fr),
        description_en: Set(new.description.en),
        description_fr: Set(new.description.fr),
        starts_at: Set(new.starts_at),
        duration_minutes: Set(new.duration_minutes as i32),
        reference_zone: Set(crate::domain::zones::REFERENCE_ZONE.to_string()),
        capacity: Set(new.capacity as i32),
        language: Set(new.language),
        audience: Set(new.audience),
        status: Set(SessionStatus::Scheduled),
        registration_closed: Set(false),
        series_name_en: Set(series_name.en),
        series_name_fr: Set(series_name.fr),
        series_part: Set(series_part),
        meeting_link: Set(new.meeting_link),
        seats_taken: Set(0),
        waitlist_length: Set(0),
        ics_sequence: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(model.insert(txn.conn()).await?.id)
}
