//! Registrations and the seat counters they move. Every change here runs inside a
//! [`WriteTxn`] that first locks the session row, so two registrations for the same session
//! never read the same counters.

use super::cohorts::Cohort;
use super::entity::{cohort, cohort_meeting, registration, session};
use super::{Db, DbError, WriteTxn, records};
use crate::domain::registration::{CareerStage, Placement, Province, Seats, ValidRegistration};
use crate::domain::session::{Audience, SessionLanguage, SessionStatus};
use crate::i18n::Locale;
use crate::model::SeatUpdate;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Unchanged,
};
use std::collections::HashMap;

pub use registration::Status;

impl Status {
    /// What the registration holds, if it is still active.
    pub fn placement(self) -> Option<Placement> {
        match self {
            Status::Confirmed => Some(Placement::Confirmed),
            Status::Waitlisted => Some(Placement::Waitlisted),
            Status::Cancelled => None,
        }
    }
}

impl From<Placement> for Status {
    fn from(placement: Placement) -> Self {
        match placement {
            Placement::Confirmed => Status::Confirmed,
            Placement::Waitlisted => Status::Waitlisted,
        }
    }
}

/// Each kind of offering keeps its seats on its own row (`session`, `cohort`); the
/// registrations of both are rows of one table, told apart by which of their two offering
/// columns is set.
pub use crate::model::Offering;

impl Offering {
    /// The offering a stored registration belongs to (the table's check constraint makes
    /// exactly one column set).
    pub fn of(row: &Registration) -> Result<Offering, DbError> {
        Offering::from_columns(row.session_id, row.cohort_id)
            .ok_or_else(|| DbError::Other(format!("registration {} has no single offering", row.id)))
    }

    fn column(self) -> registration::Column {
        match self {
            Offering::Session(_) => registration::Column::SessionId,
            Offering::Intake(_) => registration::Column::CohortId,
        }
    }

    fn id(self) -> i32 {
        match self {
            Offering::Session(id) | Offering::Intake(id) => id,
        }
    }

    /// The offering as the `(session_id, cohort_id)` pair of the tables that name either.
    pub(super) fn as_columns(self) -> (Option<i32>, Option<i32>) {
        match self {
            Offering::Session(id) => (Some(id), None),
            Offering::Intake(id) => (None, Some(id)),
        }
    }

    /// The offering a `(session_id, cohort_id)` pair names, when it names exactly one.
    pub(super) fn from_columns(session_id: Option<i32>, cohort_id: Option<i32>) -> Option<Offering> {
        match (session_id, cohort_id) {
            (Some(id), None) => Some(Offering::Session(id)),
            (None, Some(id)) => Some(Offering::Intake(id)),
            _ => None,
        }
    }

    /// The registrations of this offering.
    fn registrations(self) -> sea_orm::Select<registration::Entity> {
        registration::Entity::find().filter(self.column().eq(self.id()))
    }
}

record! {
    /// A registration for a session or a cohort intake (exactly one of the two ids is set).
    pub struct Registration from registration::Model {
        pub id: i32,
        pub session_id: Option<i32>,
        pub cohort_id: Option<i32>,
        pub status: Status,
        pub name: String,
        pub email: String,
        pub email_key: String,
        pub career_stage: CareerStage,
        pub province: Province,
        pub language: Locale,
        pub eligibility_confirmed: bool,
        /// When the intake's confidentiality agreement was accepted; sessions have none.
        pub agreement_accepted_at: Option<DateTime<Utc>>,
        pub token_nonce: String,
        pub placed_at: DateTime<Utc>,
        pub reminded_at: Option<DateTime<Utc>>,
        pub confirmation_sent_at: Option<DateTime<Utc>>,
        pub created_at: DateTime<Utc>,
    }
}

record! {
    /// A drop-in session.
    pub struct Session from session::Model {
        pub id: i32,
        pub format_id: i32,
        pub facilitator_id: i32,
        pub title_en: Option<String>,
        pub title_fr: Option<String>,
        pub description_en: Option<String>,
        pub description_fr: Option<String>,
        pub starts_at: DateTime<Utc>,
        pub duration_minutes: i32,
        pub capacity: i32,
        pub language: SessionLanguage,
        pub audience: Audience,
        pub status: SessionStatus,
        pub registration_closed: bool,
        pub series_name_en: Option<String>,
        pub series_name_fr: Option<String>,
        pub series_part: Option<i32>,
        /// The private video-meeting link: only registrants ever receive it, by email.
        pub meeting_link: Option<String>,
        pub seats_taken: i32,
        pub waitlist_length: i32,
        pub ics_sequence: i32,
        pub ballots_issued: bool,
    }
}

/// Reads a session and locks its row until the transaction ends (PostgreSQL); on SQLite the
/// transaction already holds the only writer's turn.
pub async fn lock_session(txn: &WriteTxn<'_>, id: i32) -> Result<Option<Session>, DbError> {
    Ok(session::Entity::find_by_id(id).lock_exclusive().one(txn.conn()).await?.map(Into::into))
}

/// A row that keeps an offering's seat counters (a session, a cohort intake), so reading them
/// takes no count over registrations and the engine treats both kinds alike.
pub trait SeatCounters {
    fn offering(&self) -> Offering;
    /// Capacity, seats taken, waitlist length, as stored.
    fn stored_counts(&self) -> [i32; 3];
    fn status(&self) -> SessionStatus;

    fn seats(&self) -> Seats {
        let [capacity, taken, waiting] = self.stored_counts().map(|n| u32::try_from(n).unwrap_or(0));
        Seats { capacity, taken, waiting }
    }

    /// The counts open pages show for this offering holding `seats` (stamped when committed).
    fn seat_update(&self, seats: Seats) -> SeatUpdate {
        SeatUpdate {
            offering: self.offering(),
            capacity: seats.capacity,
            seats_taken: seats.taken,
            waitlist_length: seats.waiting,
            status: self.status(),
            committed_at_us: 0,
        }
    }
}

impl SeatCounters for Session {
    fn offering(&self) -> Offering {
        Offering::Session(self.id)
    }

    fn stored_counts(&self) -> [i32; 3] {
        [self.capacity, self.seats_taken, self.waitlist_length]
    }

    fn status(&self) -> SessionStatus {
        self.status
    }
}

impl SeatCounters for Cohort {
    fn offering(&self) -> Offering {
        Offering::Intake(self.id)
    }

    fn stored_counts(&self) -> [i32; 3] {
        [self.capacity, self.seats_taken, self.waitlist_length]
    }

    /// An intake is never cancelled as a whole; its phase is the page's to show.
    fn status(&self) -> SessionStatus {
        SessionStatus::Scheduled
    }
}

/// Stores the counters of a locked offering; open pages are told once the unit commits.
pub async fn save_seats(
    txn: &WriteTxn<'_>,
    offering: &impl SeatCounters,
    seats: Seats,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use {cohort::Column as C, session::Column as S};
    match offering.offering() {
        Offering::Session(id) => {
            store_counts::<session::Entity>(
                txn,
                [S::SeatsTaken, S::WaitlistLength, S::UpdatedAt, S::Id],
                id,
                seats,
                now,
            )
            .await?
        }
        Offering::Intake(id) => {
            store_counts::<cohort::Entity>(
                txn,
                [C::SeatsTaken, C::WaitlistLength, C::UpdatedAt, C::Id],
                id,
                seats,
                now,
            )
            .await?
        }
    }
    txn.seats_changed(offering.seat_update(seats));
    Ok(())
}

/// Writes seats taken and waitlist length (and the time) to the row `id` of table `E`, whose
/// `columns` name those three and the id.
async fn store_counts<E: EntityTrait>(
    txn: &WriteTxn<'_>,
    [taken, waiting, updated, id_column]: [E::Column; 4],
    id: i32,
    seats: Seats,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let stored = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    E::update_many()
        .col_expr(taken, Expr::value(stored(seats.taken)))
        .col_expr(waiting, Expr::value(stored(seats.waiting)))
        .col_expr(updated, Expr::value(now))
        .filter(id_column.eq(id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

pub async fn find_by_email(
    txn: &WriteTxn<'_>,
    offering: Offering,
    email_key: &str,
) -> Result<Option<Registration>, DbError> {
    let found = offering.registrations().filter(registration::Column::EmailKey.eq(email_key));
    Ok(found.one(txn.conn()).await?.map(Into::into))
}

pub async fn find_by_id(txn: &WriteTxn<'_>, id: i32) -> Result<Option<Registration>, DbError> {
    Ok(registration::Entity::find_by_id(id).one(txn.conn()).await?.map(Into::into))
}

/// The registration a private link opens, by the nonce the link carries: it is random (256
/// bits) and changes at every (re)registration. Cohort registrations moved into this table
/// got new ids but kept their nonces, so their emailed links still open them.
pub async fn by_link(db: &Db, nonce: &str) -> Result<Option<Registration>, DbError> {
    let found = registration::Entity::find().filter(registration::Column::TokenNonce.eq(nonce));
    Ok(found.one(db.conn()).await?.map(Into::into))
}

fn fill(
    row: &mut registration::ActiveModel,
    offering: Offering,
    person: &ValidRegistration,
    placement: Placement,
    token_nonce: String,
    now: DateTime<Utc>,
) {
    row.status = Set(Status::from(placement));
    row.name = Set(person.name.clone());
    row.email = Set(person.email.clone());
    row.email_key = Set(person.email_key.clone());
    row.career_stage = Set(person.career_stage);
    row.province = Set(person.province);
    row.language = Set(person.language);
    row.eligibility_confirmed = Set(person.eligibility_confirmed);
    // Registering for an intake accepts its confidentiality agreement (the form requires it).
    row.agreement_accepted_at = Set(matches!(offering, Offering::Intake(_)).then_some(now));
    row.token_nonce = Set(token_nonce);
    row.placed_at = Set(now);
    row.confirmation_sent_at = Set(Some(now));
    row.reminded_at = Set(None);
    row.updated_at = Set(now);
}

/// Stores a new registration; `None` when the address is already registered for the
/// offering (whatever the state of that registration).
pub async fn insert_new(
    txn: &WriteTxn<'_>,
    offering: Offering,
    person: &ValidRegistration,
    placement: Placement,
    token_nonce: String,
    now: DateTime<Utc>,
) -> Result<Option<Registration>, DbError> {
    use sea_orm::{TryInsertResult, TryIntoModel};
    let (session_id, cohort_id) = offering.as_columns();
    let mut row = registration::ActiveModel {
        session_id: Set(session_id),
        cohort_id: Set(cohort_id),
        reminded_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    fill(&mut row, offering, person, placement, token_nonce, now);
    let inserted = registration::Entity::insert(row.clone())
        .on_conflict_do_nothing_on([offering.column(), registration::Column::EmailKey])
        .exec(txn.conn())
        .await?;
    match inserted {
        TryInsertResult::Inserted(result) => {
            row.id = Set(result.last_insert_id);
            Ok(Some(row.try_into_model()?.into()))
        }
        TryInsertResult::Conflicted | TryInsertResult::Empty => Ok(None),
    }
}

/// Brings back a cancelled registration for the same address, with the new details, a new
/// placement and a new link nonce (so links to the cancelled one stop working).
pub async fn place_again(
    txn: &WriteTxn<'_>,
    cancelled: &Registration,
    person: &ValidRegistration,
    placement: Placement,
    token_nonce: String,
    now: DateTime<Utc>,
) -> Result<Registration, DbError> {
    let mut row = registration::ActiveModel { id: Unchanged(cancelled.id), ..Default::default() };
    fill(&mut row, Offering::of(cancelled)?, person, placement, token_nonce, now);
    Ok(row.update(txn.conn()).await?.into())
}

pub async fn set_status(
    txn: &WriteTxn<'_>,
    id: i32,
    status: Status,
    now: DateTime<Utc>,
) -> Result<Registration, DbError> {
    let mut active = registration::ActiveModel { id: Unchanged(id), ..Default::default() };
    active.status = Set(status);
    active.updated_at = Set(now);
    if status != Status::Cancelled {
        active.placed_at = Set(now);
    }
    Ok(active.update(txn.conn()).await?.into())
}

/// Gives the first `count` people on the waitlist their seat, in the order they joined it.
pub async fn promote_head(
    txn: &WriteTxn<'_>,
    offering: Offering,
    count: u32,
    now: DateTime<Utc>,
) -> Result<Vec<Registration>, DbError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let head = offering
        .registrations()
        .filter(registration::Column::Status.eq(Status::Waitlisted))
        .order_by_asc(registration::Column::PlacedAt)
        .order_by_asc(registration::Column::Id)
        .limit(u64::from(count))
        .all(txn.conn())
        .await?;
    let mut promoted = Vec::with_capacity(head.len());
    for row in head {
        promoted.push(set_status(txn, row.id, Status::Confirmed, now).await?);
    }
    Ok(promoted)
}

/// A waitlisted registration's place in line, counting from 1.
pub async fn waitlist_position<C: ConnectionTrait>(conn: &C, row: &Registration) -> Result<u32, DbError> {
    let ahead = Offering::of(row)?
        .registrations()
        .filter(registration::Column::Status.eq(Status::Waitlisted))
        .filter(
            Condition::any().add(registration::Column::PlacedAt.lt(row.placed_at)).add(
                Condition::all()
                    .add(registration::Column::PlacedAt.eq(row.placed_at))
                    .add(registration::Column::Id.lt(row.id)),
            ),
        )
        .count(conn)
        .await?;
    Ok(u32::try_from(ahead).unwrap_or(u32::MAX - 1) + 1)
}

/// Confirmed registrations with a meeting starting in `(now, until]` (of a scheduled session,
/// or of a cohort), each with the start of that meeting (a cohort's soonest): the candidates
/// for a reminder.
pub async fn upcoming_confirmed(
    db: &Db,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(Registration, DateTime<Utc>)>, DbError> {
    use crate::domain::session::SessionStatus;
    let mut starts: HashMap<Offering, DateTime<Utc>> = HashMap::new();
    let (mut session_ids, mut cohort_ids) = (Vec::new(), Vec::new());
    let sessions = session::Entity::find()
        .filter(session::Column::Status.eq(SessionStatus::Scheduled))
        .filter(session::Column::StartsAt.gt(now))
        .filter(session::Column::StartsAt.lte(until))
        .all(db.conn())
        .await?;
    for session in sessions {
        session_ids.push(session.id);
        starts.insert(Offering::Session(session.id), session.starts_at);
    }
    let meetings = cohort_meeting::Entity::find()
        .filter(cohort_meeting::Column::StartsAt.gt(now))
        .filter(cohort_meeting::Column::StartsAt.lte(until))
        .order_by_desc(cohort_meeting::Column::StartsAt)
        .all(db.conn())
        .await?;
    // In descending order, the soonest meeting of each cohort is inserted last.
    for meeting in meetings {
        cohort_ids.push(meeting.cohort_id);
        starts.insert(Offering::Intake(meeting.cohort_id), meeting.starts_at);
    }
    if starts.is_empty() {
        return Ok(Vec::new());
    }
    let rows = registration::Entity::find()
        .filter(
            Condition::any()
                .add(registration::Column::SessionId.is_in(session_ids))
                .add(registration::Column::CohortId.is_in(cohort_ids)),
        )
        .filter(registration::Column::Status.eq(Status::Confirmed))
        .all(db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(Registration::from)
        .filter_map(|row| {
            let starts_at = *starts.get(&Offering::of(&row).ok()?)?;
            Some((row, starts_at))
        })
        .collect())
}

/// Notes that the confirmation (or waitlist notice) went out again at `now`.
pub async fn mark_confirmation_sent(txn: &WriteTxn<'_>, id: i32, now: DateTime<Utc>) -> Result<(), DbError> {
    registration::Entity::update_many()
        .col_expr(registration::Column::ConfirmationSentAt, Expr::value(now))
        .filter(registration::Column::Id.eq(id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

pub async fn mark_reminded(txn: &WriteTxn<'_>, id: i32, now: DateTime<Utc>) -> Result<(), DbError> {
    registration::Entity::update_many()
        .col_expr(registration::Column::RemindedAt, Expr::value(now))
        .filter(registration::Column::Id.eq(id))
        .exec(txn.conn())
        .await?;
    Ok(())
}

/// Every registration of an offering in the order they were placed (the roster).
pub async fn of_offering(db: &Db, offering: Offering) -> Result<Vec<Registration>, DbError> {
    in_placement_order(db.conn(), offering).await
}

/// Every registration of an offering, read inside a unit of work that is changing it.
pub async fn of_offering_in(txn: &WriteTxn<'_>, offering: Offering) -> Result<Vec<Registration>, DbError> {
    in_placement_order(txn.conn(), offering).await
}

async fn in_placement_order<C: ConnectionTrait>(
    conn: &C,
    offering: Offering,
) -> Result<Vec<Registration>, DbError> {
    Ok(offering
        .registrations()
        .order_by_asc(registration::Column::PlacedAt)
        .order_by_asc(registration::Column::Id)
        .all(conn)
        .await
        .map(records)?)
}

/// What the privacy purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub registrations: u64,
    pub messages: u64,
}

/// Deletes the personal data of sessions that ended before `ended_before`: their
/// registrations and their messages, sent or not. Seat counts on the session stay.
pub async fn purge_ended(db: &Db, ended_before: DateTime<Utc>) -> Result<Purged, DbError> {
    use super::entity::outbox;
    use sea_orm::sea_query::Query;
    // Past sessions that still hold personal data; the exact end is checked below.
    let holds_data =
        Condition::any()
            .add(session::Column::Id.in_subquery(
                Query::select().column(registration::Column::SessionId).from(registration::Entity).to_owned(),
            ))
            .add(session::Column::Id.in_subquery(
                Query::select().column(outbox::Column::SessionId).from(outbox::Entity).to_owned(),
            ));
    let candidates = session::Entity::find()
        .filter(session::Column::StartsAt.lt(ended_before))
        .filter(holds_data)
        .all(db.conn())
        .await?;
    let ended: Vec<i32> = candidates
        .iter()
        .filter(|s| {
            crate::domain::session::ends_at(s.starts_at, s.duration_minutes.max(0) as u32)
                .is_some_and(|end| end < ended_before)
        })
        .map(|s| s.id)
        .collect();
    if ended.is_empty() {
        return Ok(Purged::default());
    }
    let mut purged = Purged::default();
    for chunk in ended.chunks(500) {
        let chunk = chunk.to_vec();
        let (registrations, messages) = db
            .write(move |txn| {
                Box::pin(async move {
                    let registrations = registration::Entity::delete_many()
                        .filter(registration::Column::SessionId.is_in(chunk.iter().copied()))
                        .exec(txn.conn())
                        .await?
                        .rows_affected;
                    let messages = outbox::Entity::delete_many()
                        .filter(outbox::Column::SessionId.is_in(chunk.iter().copied()))
                        .exec(txn.conn())
                        .await?
                        .rows_affected;
                    Ok::<_, DbError>((registrations, messages))
                })
            })
            .await?;
        purged.registrations += registrations;
        purged.messages += messages;
    }
    Ok(purged)
}
