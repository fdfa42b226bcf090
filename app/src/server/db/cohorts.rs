//! Cohorts, their meetings, their seats and the people waiting for a track to open. Their
//! registrations are kept with the sessions' ([`super::registrations`], as
//! `Offering::Intake`); changes to them run after [`lock_cohort`], so two registrations never
//! read the same seat counters.

use super::entity::{cohort, cohort_interest, cohort_meeting, registration};
use super::{Db, DbError, WriteTxn, records};
use crate::domain::cohort::{MeetingPlan, ValidCohort};
use crate::domain::session::{Audience, SessionLanguage};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set, Unchanged,
};

record! {
    /// A cohort intake: a group that meets several times, registered for as a whole.
    pub struct Cohort from cohort::Model {
        pub id: i32,
        pub track: String,
        pub facilitator_id: i32,
        pub title_en: String,
        pub title_fr: String,
        pub description_en: String,
        pub description_fr: String,
        pub audience: Audience,
        pub language: SessionLanguage,
        pub eligibility_en: String,
        pub eligibility_fr: String,
        pub agreement_en: String,
        pub agreement_fr: String,
        pub duration_minutes: i32,
        pub meeting_link: Option<String>,
        pub capacity: i32,
        pub seats_taken: i32,
        pub waitlist_length: i32,
        pub opens_at: DateTime<Utc>,
        pub registration_closed: bool,
        pub opening_announced_at: Option<DateTime<Utc>>,
        /// The revision of its meetings' calendar events (SEQUENCE), raised at each edit.
        pub ics_sequence: i32,
        pub ballots_issued: bool,
    }
}

record! {
    pub struct Meeting from cohort_meeting::Model {
        pub id: i32,
        pub cohort_id: i32,
        pub starts_at: DateTime<Utc>,
    }
}

record! {
    /// Someone waiting to hear when a track opens.
    pub struct Interest from cohort_interest::Model {
        pub email: String,
        pub language: Locale,
    }
}

pub async fn insert_cohort(
    txn: &WriteTxn<'_>,
    cohort: &ValidCohort,
    facilitator_id: i32,
    now: DateTime<Utc>,
) -> Result<Cohort, DbError> {
    let row = cohort::ActiveModel {
        track: Set(cohort.track.clone()),
        facilitator_id: Set(facilitator_id),
        title_en: Set(cohort.title.0.clone()),
        title_fr: Set(cohort.title.1.clone()),
        description_en: Set(cohort.description.0.clone()),
        description_fr: Set(cohort.description.1.clone()),
        audience: Set(cohort.audience),
        language: Set(cohort.language),
        eligibility_en: Set(cohort.eligibility.0.clone()),
        eligibility_fr: Set(cohort.eligibility.1.clone()),
        agreement_en: Set(cohort.agreement.0.clone()),
        agreement_fr: Set(cohort.agreement.1.clone()),
        duration_minutes: Set(cohort.duration_minutes as i32),
        meeting_link: Set(cohort.meeting_link.clone()),
        capacity: Set(cohort.capacity as i32),
        seats_taken: Set(0),
        waitlist_length: Set(0),
        opens_at: Set(cohort.opens_at),
        registration_closed: Set(false),
        opening_announced_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    let meetings = cohort.meetings.iter().map(|starts_at| cohort_meeting::ActiveModel {
        cohort_id: Set(row.id),
        starts_at: Set(*starts_at),
        ..Default::default()
    });
    cohort_meeting::Entity::insert_many(meetings).exec(txn.conn()).await?;
    Ok(row.into())
}

/// Stores an edited intake's details (its leader and registrations stay) and raises the
/// revision of its calendar events. An empty meeting link keeps the stored one: the editor
/// never shows it.
pub async fn update_cohort(
    txn: &WriteTxn<'_>,
    row: &Cohort,
    cohort: &ValidCohort,
    now: DateTime<Utc>,
) -> Result<Cohort, DbError> {
    let sequence = row.ics_sequence.saturating_add(1);
    let link = cohort.meeting_link.clone().or(row.meeting_link.clone());
    let mut active = cohort::ActiveModel { id: Unchanged(row.id), ..Default::default() };
    active.track = Set(cohort.track.clone());
    active.title_en = Set(cohort.title.0.clone());
    active.title_fr = Set(cohort.title.1.clone());
    active.description_en = Set(cohort.description.0.clone());
    active.description_fr = Set(cohort.description.1.clone());
    active.audience = Set(cohort.audience);
    active.language = Set(cohort.language);
    active.eligibility_en = Set(cohort.eligibility.0.clone());
    active.eligibility_fr = Set(cohort.eligibility.1.clone());
    active.agreement_en = Set(cohort.agreement.0.clone());
    active.agreement_fr = Set(cohort.agreement.1.clone());
    active.duration_minutes = Set(cohort.duration_minutes as i32);
    active.meeting_link = Set(link);
    active.capacity = Set(cohort.capacity as i32);
    active.opens_at = Set(cohort.opens_at);
    active.ics_sequence = Set(sequence);
    active.updated_at = Set(now);
    Ok(active.update(txn.conn()).await?.into())
}

/// Moves, adds and deletes an intake's meetings as `plan` says; returns the deleted ones as
/// they were, for the emails that cancel them in calendars.
pub async fn apply_meeting_plan(
    txn: &WriteTxn<'_>,
    cohort_id: i32,
    plan: &MeetingPlan,
) -> Result<Vec<Meeting>, DbError> {
    for &(id, starts_at) in &plan.moved {
        cohort_meeting::Entity::update_many()
            .col_expr(cohort_meeting::Column::StartsAt, Expr::value(starts_at))
            .filter(cohort_meeting::Column::Id.eq(id))
            .filter(cohort_meeting::Column::CohortId.eq(cohort_id))
            .exec(txn.conn())
            .await?;
    }
    if !plan.added.is_empty() {
        let added = plan.added.iter().map(|starts_at| cohort_meeting::ActiveModel {
            cohort_id: Set(cohort_id),
            starts_at: Set(*starts_at),
            ..Default::default()
        });
        cohort_meeting::Entity::insert_many(added).exec(txn.conn()).await?;
    }
    if plan.removed.is_empty() {
        return Ok(Vec::new());
    }
    let removed = cohort_meeting::Entity::find()
        .filter(cohort_meeting::Column::CohortId.eq(cohort_id))
        .filter(cohort_meeting::Column::Id.is_in(plan.removed.iter().copied()))
        .order_by_asc(cohort_meeting::Column::StartsAt)
        .all(txn.conn())
        .await?;
    cohort_meeting::Entity::delete_many()
        .filter(cohort_meeting::Column::CohortId.eq(cohort_id))
        .filter(cohort_meeting::Column::Id.is_in(plan.removed.iter().copied()))
        .exec(txn.conn())
        .await?;
    Ok(records(removed))
}

/// Every cohort with its meetings in order, those starting soonest first.
pub async fn all_with_meetings(db: &Db) -> Result<Vec<(Cohort, Vec<Meeting>)>, DbError> {
    let cohorts = cohort::Entity::find().all(db.conn()).await?;
    let mut meetings: Vec<Meeting> = cohort_meeting::Entity::find()
        .order_by_asc(cohort_meeting::Column::StartsAt)
        .order_by_asc(cohort_meeting::Column::Id)
        .all(db.conn())
        .await
        .map(records)?;
    let mut listed: Vec<(Cohort, Vec<Meeting>)> = cohorts
        .into_iter()
        .map(Cohort::from)
        .map(|cohort| {
            let (own, others) = meetings.drain(..).partition(|meeting| meeting.cohort_id == cohort.id);
            meetings = others;
            (cohort, own)
        })
        .collect();
    listed.sort_by_key(|(cohort, meetings)| (meetings.first().map(|m| m.starts_at), cohort.id));
    Ok(listed)
}

pub async fn cohort(db: &Db, id: i32) -> Result<Option<Cohort>, DbError> {
    Ok(cohort::Entity::find_by_id(id).one(db.conn()).await?.map(Into::into))
}

pub async fn meetings<C: ConnectionTrait>(conn: &C, cohort_id: i32) -> Result<Vec<Meeting>, DbError> {
    Ok(cohort_meeting::Entity::find()
        .filter(cohort_meeting::Column::CohortId.eq(cohort_id))
        .order_by_asc(cohort_meeting::Column::StartsAt)
        .all(conn)
        .await
        .map(records)?)
}

/// Reads a cohort and locks its row until the transaction ends (PostgreSQL); on SQLite the
/// transaction already holds the only writer's turn.
pub async fn lock_cohort(txn: &WriteTxn<'_>, id: i32) -> Result<Option<Cohort>, DbError> {
    Ok(cohort::Entity::find_by_id(id).lock_exclusive().one(txn.conn()).await?.map(Into::into))
}

pub async fn set_registration_closed(
    txn: &WriteTxn<'_>,
    cohort_id: i32,
    closed: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    cohort::Entity::update_many()
        .col_expr(cohort::Column::RegistrationClosed, Expr::value(closed))
        .col_expr(cohort::Column::UpdatedAt, Expr::value(now))
        .filter(cohort::Column::Id.eq(cohort_id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Notes that `email` wants to hear when `track` next opens; asking twice changes nothing
/// but the language and when it was asked.
pub async fn add_interest(
    txn: &WriteTxn<'_>,
    track: &str,
    email: &str,
    language: Locale,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let email_key = email.to_lowercase();
    let existing = cohort_interest::Entity::find()
        .filter(cohort_interest::Column::Track.eq(track))
        .filter(cohort_interest::Column::EmailKey.eq(&email_key))
        .one(txn.conn())
        .await?;
    match existing {
        Some(row) => {
            // Asking again starts the time it is kept anew.
            let mut row = row.into_active_model();
            row.language = Set(language);
            row.created_at = Set(now);
            row.update(txn.conn()).await?;
        }
        None => {
            cohort_interest::ActiveModel {
                track: Set(track.to_string()),
                email: Set(email.to_string()),
                email_key: Set(email_key),
                language: Set(language),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn.conn())
            .await?;
        }
    }
    Ok(())
}

/// Cohorts whose registration has opened and whose track's waiting list was not told yet.
pub async fn unannounced_openings(db: &Db, now: DateTime<Utc>) -> Result<Vec<Cohort>, DbError> {
    Ok(cohort::Entity::find()
        .filter(cohort::Column::OpensAt.lte(now))
        .filter(cohort::Column::OpeningAnnouncedAt.is_null())
        .all(db.conn())
        .await
        .map(records)?)
}

/// Takes the people waiting for `track` off the list (they are told once: the rows are locked,
/// so a concurrent announcement of another intake of the track waits, then finds them gone)
/// and marks the cohort announced.
pub async fn take_interests(
    txn: &WriteTxn<'_>,
    cohort_id: i32,
    track: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Interest>, DbError> {
    let waiting = cohort_interest::Entity::find()
        .filter(cohort_interest::Column::Track.eq(track))
        .lock_exclusive()
        .all(txn.conn())
        .await?;
    cohort_interest::Entity::delete_many()
        .filter(cohort_interest::Column::Id.is_in(waiting.iter().map(|row| row.id)))
        .exec(txn.conn())
        .await?;
    cohort::Entity::update_many()
        .col_expr(cohort::Column::OpeningAnnouncedAt, Expr::value(now))
        .filter(cohort::Column::Id.eq(cohort_id))
        .exec(txn.conn())
        .await?;
    Ok(records(waiting))
}

/// Deletes the registrations of cohorts whose last meeting ended before `ended_before`,
/// leaving the seat counts on the cohort.
pub async fn purge_ended(db: &Db, ended_before: DateTime<Utc>) -> Result<u64, DbError> {
    let ended: Vec<i32> = all_with_meetings(db)
        .await?
        .into_iter()
        .filter(|(cohort, meetings)| {
            crate::domain::cohort::last_end(
                &meetings.iter().map(|m| m.starts_at).collect::<Vec<_>>(),
                cohort.duration_minutes.max(0) as u32,
            )
            .is_some_and(|end| end < ended_before)
        })
        .map(|(cohort, _)| cohort.id)
        .collect();
    if ended.is_empty() {
        return Ok(0);
    }
    db.write(move |txn| {
        Box::pin(async move {
            Ok::<_, DbError>(
                registration::Entity::delete_many()
                    .filter(registration::Column::CohortId.is_in(ended))
                    .exec(txn.conn())
                    .await?
                    .rows_affected,
            )
        })
    })
    .await
}

/// Forgets the "tell me when it opens" addresses left before `asked_before`.
pub async fn purge_interests(db: &Db, asked_before: DateTime<Utc>) -> Result<u64, DbError> {
    db.write(move |txn| {
        Box::pin(async move {
            Ok::<_, DbError>(
                cohort_interest::Entity::delete_many()
                    .filter(cohort_interest::Column::CreatedAt.lt(asked_before))
                    .exec(txn.conn())
                    .await?
                    .rows_affected,
            )
        })
    })
    .await
}

/// Facilitators' display names by id.
pub async fn facilitator_names(db: &Db) -> Result<std::collections::HashMap<i32, String>, DbError> {
    use super::entity::facilitator;
    Ok(facilitator::Entity::find()
        .all(db.conn())
        .await?
        .into_iter()
        .map(|f| (f.id, f.display_name))
        .collect())
}
