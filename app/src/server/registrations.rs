//! The registration engine, one for every kind of offering: a drop-in session (one meeting)
//! and a cohort intake (several meetings taken together). The domain decides where a person
//! lands ([`Seats`]); the engine locks the offering, records the change together with the
//! emails it causes (the outbox) in one unit of work, and once it commits `Db::write` wakes
//! the mailer and tells every open page the new counts. The kinds differ only in [`Locked`]:
//! when they take registrations, until when a place can be given up, and how an email
//! describes them. Server functions, form handlers and the reminder job all come here.

use super::db::cohorts::{self, Cohort, Meeting};
use super::db::registrations::{
    self as regs, Offering, Registration, SeatCounters, Session, Status, by_link, find_by_email, find_by_id,
    insert_new, lock_session, mark_confirmation_sent, mark_reminded, place_again, promote_head, set_status,
    waitlist_position,
};
use super::db::{WriteTxn, outbox, scheduling, sessions};
use super::links::{Purpose, random_token};
use super::notices::{Notice, compose};
use super::state::AppState;
use crate::domain::access::Caller;
use crate::domain::cohort::{CohortPhase, may_withdraw, phase_of};
use crate::domain::forms::FieldError;
use crate::domain::registration::{Seats, ValidRegistration, may_resend, reminder_due};
use crate::domain::session::{Audience, SessionStatus, is_open_for_registration};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{Acknowledged, RegistrationState, RegistrationView};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

/// An offering locked for one unit of work (its row locked on PostgreSQL, the single writer's
/// turn held on SQLite): what the engine reads from it cannot change before the unit commits.
pub(super) enum Locked {
    Session(Session),
    Intake {
        cohort: Cohort,
        meetings: Vec<Meeting>,
        /// Meetings this unit of work removed (an edit), which registrants' calendars still
        /// hold: the emails it sends cancel them there.
        removed: Vec<Meeting>,
    },
}

impl Locked {
    pub(super) async fn lock(txn: &WriteTxn<'_>, offering: Offering) -> Result<Locked, AppError> {
        Ok(match offering {
            Offering::Session(id) => Locked::Session(lock_session(txn, id).await?.ok_or(AppError::NotFound)?),
            Offering::Intake(id) => {
                let cohort = cohorts::lock_cohort(txn, id).await?.ok_or(AppError::NotFound)?;
                let meetings = cohorts::meetings(txn.conn(), id).await?;
                Locked::Intake { cohort, meetings, removed: Vec::new() }
            }
        })
    }

    fn offering(&self) -> Offering {
        match self {
            Locked::Session(session) => Offering::Session(session.id),
            Locked::Intake { cohort, .. } => Offering::Intake(cohort.id),
        }
    }

    pub(super) fn facilitator_id(&self) -> i32 {
        match self {
            Locked::Session(session) => session.facilitator_id,
            Locked::Intake { cohort, .. } => cohort.facilitator_id,
        }
    }

    pub(super) fn seats(&self) -> Seats {
        match self {
            Locked::Session(session) => session.seats(),
            Locked::Intake { cohort, .. } => cohort.seats(),
        }
    }

    fn audience(&self) -> Audience {
        match self {
            Locked::Session(session) => session.audience,
            Locked::Intake { cohort, .. } => cohort.audience,
        }
    }

    /// Whether a newcomer may register now.
    fn takes_registrations(&self, now: DateTime<Utc>) -> bool {
        match self {
            Locked::Session(session) => {
                is_open_for_registration(session.status, session.registration_closed, session.starts_at, now)
            }
            Locked::Intake { cohort, meetings, .. } => {
                let starts: Vec<DateTime<Utc>> = meetings.iter().map(|meeting| meeting.starts_at).collect();
                let duration = u32::try_from(cohort.duration_minutes).unwrap_or(0);
                phase_of(cohort.opens_at, cohort.registration_closed, &starts, duration, now)
                    == Some(CohortPhase::Open)
            }
        }
    }

    /// Whether a freed seat still goes to the waitlist: until the (first) meeting starts.
    fn serves_waitlist(&self, now: DateTime<Utc>) -> bool {
        match self {
            Locked::Session(session) => session.status == SessionStatus::Scheduled && now < session.starts_at,
            Locked::Intake { meetings, .. } => meetings.first().is_some_and(|first| now < first.starts_at),
        }
    }

    /// Whether someone with a place may still give it up: a session until it starts, a cohort
    /// until its last meeting starts.
    fn may_leave(&self, now: DateTime<Utc>) -> bool {
        match self {
            Locked::Session(session) => now < session.starts_at,
            Locked::Intake { meetings, .. } => {
                meetings.last().is_some_and(|last| may_withdraw(last.starts_at, now))
            }
        }
    }

    /// Whether the evaluation links went out, once it ended.
    pub(super) fn ballots_issued(&self) -> bool {
        match self {
            Locked::Session(session) => session.ballots_issued,
            Locked::Intake { cohort, .. } => cohort.ballots_issued,
        }
    }

    /// The format a session belongs to (reports count evaluations by format); intakes have none.
    pub(super) fn format_id(&self) -> Option<i32> {
        match self {
            Locked::Session(session) => Some(session.format_id),
            Locked::Intake { .. } => None,
        }
    }

    /// The day it was held, in Eastern Time: a session's, or an intake's last meeting's.
    pub(super) fn held_on(&self) -> Option<chrono::NaiveDate> {
        let last_start = match self {
            Locked::Session(session) => session.starts_at,
            Locked::Intake { meetings, .. } => meetings.last()?.starts_at,
        };
        Some(crate::domain::zones::reference_time(last_start).date())
    }

    /// Whether a meeting is still to come, so a reminder makes sense.
    fn meets_again(&self, now: DateTime<Utc>) -> bool {
        match self {
            Locked::Session(session) => session.status == SessionStatus::Scheduled && now < session.starts_at,
            Locked::Intake { meetings, .. } => meetings.iter().any(|meeting| now < meeting.starts_at),
        }
    }

    pub(super) async fn save_seats(
        &self,
        txn: &WriteTxn<'_>,
        seats: Seats,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        match self {
            Locked::Session(session) => regs::save_seats(txn, session, seats, now).await?,
            Locked::Intake { cohort, .. } => regs::save_seats(txn, cohort, seats, now).await?,
        }
        Ok(())
    }

    /// Stops or resumes registration; the offering as it is afterwards.
    async fn with_registration_closed(
        self,
        txn: &WriteTxn<'_>,
        closed: bool,
        now: DateTime<Utc>,
    ) -> Result<Locked, AppError> {
        Ok(match self {
            Locked::Session(session) => {
                Locked::Session(scheduling::set_registration_closed(txn, session.id, closed, now).await?)
            }
            Locked::Intake { cohort, meetings, removed } => {
                cohorts::set_registration_closed(txn, cohort.id, closed, now).await?;
                Locked::Intake { cohort: Cohort { registration_closed: closed, ..cohort }, meetings, removed }
            }
        })
    }

    /// Puts the email telling `registration` of `notice` in the outbox, in their language.
    pub(super) async fn tell(
        &self,
        state: &AppState,
        txn: &WriteTxn<'_>,
        notice: &Notice,
        registration: &Registration,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let locale = registration.language;
        let manage_url = format!("{}{}", state.settings.public_url, manage_path(state, registration, locale));
        let format_name = match self {
            Locked::Session(session) => sessions::format_name(txn.conn(), session.format_id).await?,
            Locked::Intake { .. } => None,
        };
        let email =
            compose(notice, self, format_name.as_ref(), registration, &manage_url, &state.settings, now);
        if notice.forget_when_sent() {
            outbox::enqueue_forgotten_when_sent(txn, email, now).await?;
        } else {
            outbox::enqueue(txn, email, now).await?;
        }
        Ok(())
    }
}

/// Tells everyone in `people` still registered (seat or waitlist) of `notice`.
pub(super) async fn tell_all(
    state: &AppState,
    txn: &WriteTxn<'_>,
    notice: &Notice,
    offering: &Locked,
    people: &[Registration],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for person in people.iter().filter(|p| p.status != Status::Cancelled) {
        offering.tell(state, txn, notice, person, now).await?;
    }
    Ok(())
}

/// What a private registration link is signed for, by the kind of offering.
fn link_purpose(offering: Offering) -> Purpose {
    match offering {
        Offering::Session(_) => Purpose::Registration,
        Offering::Intake(_) => Purpose::CohortRegistration,
    }
}

/// The private path of a registration, in `locale`: `/fr/registrations/{token}` for a
/// session, `/fr/cohort-registrations/{token}` for a cohort.
pub fn manage_path(state: &AppState, registration: &Registration, locale: Locale) -> String {
    let (purpose, page) = match registration.cohort_id {
        Some(_) => (Purpose::CohortRegistration, "cohort-registrations"),
        None => (Purpose::Registration, "registrations"),
    };
    let token = state.links.sign(purpose, registration.id, &registration.token_nonce);
    format!("/{locale}/{page}/{token}")
}

/// Serves the waitlist of a locked offering ([`Seats::promote`]): while a seat is free and
/// someone waits, the head takes it and is emailed the invitation. Returns who moved up.
pub(super) async fn serve_waitlist(
    state: &AppState,
    txn: &WriteTxn<'_>,
    locked: &Locked,
    seats: &mut Seats,
    now: DateTime<Utc>,
) -> Result<Vec<Registration>, AppError> {
    let promoted =
        promote_head(txn, locked.offering(), seats.promote(locked.serves_waitlist(now)), now).await?;
    for person in &promoted {
        locked.tell(state, txn, &Notice::Promotion, person, now).await?;
    }
    Ok(promoted)
}

/// Where a registration stands, with its place in line when it waits.
pub(super) async fn state_of<C: ConnectionTrait>(
    conn: &C,
    row: &Registration,
) -> Result<RegistrationState, AppError> {
    Ok(match row.status {
        Status::Confirmed => RegistrationState::Confirmed,
        Status::Waitlisted => RegistrationState::Waitlisted(waitlist_position(conn, row).await?),
        Status::Cancelled => RegistrationState::Cancelled,
    })
}

/// The email that tells someone where they landed.
fn notice_for(state: RegistrationState) -> Notice {
    match state {
        RegistrationState::Waitlisted(position) => Notice::Waitlisted { position },
        _ => Notice::Confirmation,
    }
}

/// Registers the person a form describes for an offering: a seat if one is free and nobody
/// waits for it, the waitlist otherwise. An address already registered keeps its place and is
/// sent its email again, at most once an hour (`WaitlistFull` when the seats and the waitlist
/// are all taken); the answer is the same as for a new registration, so it tells nobody
/// whether that address attends. Capacity holds whatever the concurrency: the offering is
/// locked from reading the counters to writing them. `check` validates the form against the
/// audience of the locked row, which saves a separate read.
pub async fn register<F>(
    state: &AppState,
    offering: Offering,
    check: F,
    page_locale: Locale,
    now: DateTime<Utc>,
) -> Result<Acknowledged, AppError>
where
    F: FnOnce(Audience) -> Result<ValidRegistration, Vec<FieldError>> + Send + 'static,
{
    let context = state.clone();
    state
        .db
        .write(move |txn| Box::pin(async move { register_in(&context, txn, offering, check, now).await }))
        .await?;
    Ok(Acknowledged { next_path: format!("{}?registered=1", offering.page(page_locale)) })
}

async fn register_in<F>(
    state: &AppState,
    txn: &WriteTxn<'_>,
    offering: Offering,
    check: F,
    now: DateTime<Utc>,
) -> Result<(), AppError>
where
    F: FnOnce(Audience) -> Result<ValidRegistration, Vec<FieldError>>,
{
    let locked = Locked::lock(txn, offering).await?;
    if !locked.takes_registrations(now) {
        return Err(AppError::RegistrationClosed);
    }
    let person = check(locked.audience()).map_err(AppError::Form)?;

    let mut seats = locked.seats();
    let served = !serve_waitlist(state, txn, &locked, &mut seats, now).await?.is_empty();
    let before_placing = seats;
    let placement = seats.place(state.settings.waitlist_factor).ok_or(AppError::WaitlistFull)?;
    // The common case is a new address: one insert. The unique (offering, address) index turns
    // a second registration into a conflict, handled below.
    let row = match insert_new(txn, offering, &person, placement, random_token(), now).await? {
        Some(row) => row,
        None => {
            let previous =
                find_by_email(txn, offering, &person.email_key).await?.ok_or(AppError::Internal)?;
            if previous.status != Status::Cancelled {
                if may_resend(previous.confirmation_sent_at, now) {
                    let notice = notice_for(state_of(txn.conn(), &previous).await?);
                    locked.tell(state, txn, &notice, &previous, now).await?;
                    mark_confirmation_sent(txn, previous.id, now).await?;
                }
                if served {
                    locked.save_seats(txn, before_placing, now).await?;
                }
                return Ok(());
            }
            place_again(txn, &previous, &person, placement, random_token(), now).await?
        }
    };
    locked.save_seats(txn, seats, now).await?;
    let notice = notice_for(state_of(txn.conn(), &row).await?);
    locked.tell(state, txn, &notice, &row, now).await?;
    Ok(())
}

/// The registration a private link opens, or `InvalidLink`: a link signed for one kind of
/// offering never opens a registration of the other.
pub(super) async fn open_link(
    state: &AppState,
    purpose: Purpose,
    token: &str,
) -> Result<(Registration, Offering), AppError> {
    let (_, nonce) = state.links.verify(purpose, token).ok_or(AppError::InvalidLink)?;
    let row = by_link(&state.db, &nonce).await?.ok_or(AppError::InvalidLink)?;
    let offering = Offering::of(&row)?;
    if link_purpose(offering) != purpose {
        return Err(AppError::InvalidLink);
    }
    Ok((row, offering))
}

/// Gives up the place a private link holds (cancelling a session, withdrawing from every
/// meeting of a cohort). The seat goes to the head of the waitlist, who is emailed the
/// invitation, until the offering starts. Doing it twice is harmless.
pub(super) async fn leave(
    state: &AppState,
    purpose: Purpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Registration, AppError> {
    let (linked, offering) = open_link(state, purpose, token).await?;
    let context = state.clone();
    state
        .db
        .write(move |txn| Box::pin(async move { leave_in(&context, txn, offering, linked.id, now).await }))
        .await
}

/// Locks the offering before reading the registration: its status, read after the lock, is
/// the one no other unit can change until this one ends, so two cancellations of the same
/// registration cannot both free its seat.
async fn leave_in(
    state: &AppState,
    txn: &WriteTxn<'_>,
    offering: Offering,
    registration_id: i32,
    now: DateTime<Utc>,
) -> Result<Registration, AppError> {
    let locked = Locked::lock(txn, offering).await?;
    let row = find_by_id(txn, registration_id)
        .await?
        .filter(|row| Offering::of(row).ok() == Some(offering))
        .ok_or(AppError::InvalidLink)?;
    let Some(held) = row.status.placement() else {
        return Ok(row);
    };
    if !locked.may_leave(now) {
        return Err(AppError::RegistrationClosed);
    }
    let mut seats = locked.seats();
    seats.release(held);
    // The notice is composed from the row as it was, so a seat-holder's calendars get the
    // cancellation of every meeting.
    locked.tell(state, txn, &Notice::Cancellation, &row, now).await?;
    let row = set_status(txn, row.id, Status::Cancelled, now).await?;
    serve_waitlist(state, txn, &locked, &mut seats, now).await?;
    locked.save_seats(txn, seats, now).await?;
    Ok(row)
}

/// Finishes a change to an offering's details (`seats` holding its new capacity): freed or
/// added seats go to the waitlist first, whose promoted members are emailed their seat, and
/// everyone else registered is told what changed (seat-holders with an updated calendar).
pub(super) async fn changed(
    state: &AppState,
    txn: &WriteTxn<'_>,
    offering: &Locked,
    mut seats: Seats,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let promoted = serve_waitlist(state, txn, offering, &mut seats, now).await?;
    let others: Vec<Registration> = regs::of_offering_in(txn, offering.offering())
        .await?
        .into_iter()
        .filter(|person| promoted.iter().all(|moved| moved.id != person.id))
        .collect();
    tell_all(state, txn, &Notice::Changed, offering, &others, now).await?;
    offering.save_seats(txn, seats, now).await
}

/// Stops or resumes registration before the start, for whoever manages the offering.
/// Resuming serves the waitlist first: a seat freed meanwhile goes to the head of the line,
/// never to the next newcomer.
pub async fn set_registration_closed(
    state: &AppState,
    caller: &Caller,
    offering: Offering,
    closed: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (context, caller) = (state.clone(), caller.clone());
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let locked = Locked::lock(txn, offering).await?;
                if !caller.manages_sessions_of(locked.facilitator_id()) {
                    return Err(AppError::Forbidden);
                }
                let locked = locked.with_registration_closed(txn, closed, now).await?;
                let mut seats = locked.seats();
                if !serve_waitlist(&context, txn, &locked, &mut seats, now).await?.is_empty() {
                    locked.save_seats(txn, seats, now).await?;
                }
                Ok(())
            })
        })
        .await
}

/// Puts a reminder of the meeting starting at `meeting_starts_at` for a confirmed registration
/// in the outbox and notes that it went, so the same reminder is not sent again. Does nothing
/// (`false`) if the registration or the offering was cancelled meanwhile, or the reminder is
/// no longer due: all are read after locking the offering, so with several instances running
/// the job, each reminder goes out once.
pub async fn remind(
    state: &AppState,
    registration: &Registration,
    meeting_starts_at: DateTime<Utc>,
    lead_times: &[chrono::Duration],
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let offering = Offering::of(registration)?;
    let (context, registration_id, lead_times) = (state.clone(), registration.id, lead_times.to_vec());
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let locked = Locked::lock(txn, offering).await?;
                if !locked.meets_again(now) {
                    return Ok(false);
                }
                // Decided again on the row read under the offering's lock: another instance's job
                // may have sent this reminder since the candidates were listed.
                let current = find_by_id(txn, registration_id).await?.filter(|current| {
                    current.status == Status::Confirmed
                        && reminder_due(
                            now,
                            meeting_starts_at,
                            current.placed_at,
                            current.reminded_at,
                            &lead_times,
                        )
                        .is_some()
                });
                let Some(current) = current else { return Ok(false) };
                locked.tell(&context, txn, &Notice::Reminder, &current, now).await?;
                mark_reminded(txn, current.id, now).await?;
                Ok::<_, AppError>(true)
            })
        })
        .await
}

/// "a•••@example.ca": enough for the owner to recognise the address, not to learn it.
pub(super) fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".into(),
    }
}

async fn view_of(
    state: &AppState,
    row: &Registration,
    now: DateTime<Utc>,
) -> Result<RegistrationView, AppError> {
    let session_id = row.session_id.ok_or(AppError::Internal)?;
    let detail = sessions::detail(&state.db, session_id, now, state.settings.waitlist_factor).await?;
    let registration_state = state_of(state.db.conn(), row).await?;
    Ok(RegistrationView {
        can_cancel: registration_state != RegistrationState::Cancelled && now < detail.summary.starts_at,
        session: detail.summary,
        state: registration_state,
        email_hint: mask_email(&row.email),
    })
}

/// What a session registration's private link shows.
pub async fn view(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<RegistrationView, AppError> {
    let (row, _) = open_link(state, Purpose::Registration, token).await?;
    view_of(state, &row, now).await
}

/// Cancels the session registration a link opens.
pub async fn cancel(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<RegistrationView, AppError> {
    let row = leave(state, Purpose::Registration, token, now).await?;
    view_of(state, &row, now).await
}

#[cfg(test)]
mod tests {
    use super::mask_email;

    #[test]
    fn masked_addresses_keep_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("ada@example.ca"), "a•••@example.ca");
        assert_eq!(mask_email("nonsense"), "•••");
    }
}
