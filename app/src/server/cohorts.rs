//! Cohort groups: creating an intake, registering for all its meetings at once, withdrawing
//! from all of them, the waitlist, telling people when a track opens, and the workspace view.
//! Every change to a cohort's registrations locks the cohort first and writes its emails to
//! the outbox in the same transaction.

use super::db::WriteTxn;
use super::db::cohorts::{self, CohortRow, MeetingRow, lock_cohort, save_seats, seats_of};
use super::db::outbox;
use super::db::registrations::{
    self as regs, Offering, RegistrationRow, Status, by_link, find_by_email, find_by_id, insert_new,
    mark_confirmation_sent, place_again, promote_head, set_status,
};
use super::links::{Purpose, random_token};
use super::notices::{CohortNotice, cohort_email, opening_email};
use super::registrations::{mask_email, state_of};
use super::state::AppState;
use super::workspace::roster_lines;
use crate::domain::access::Caller;
use crate::domain::cohort::{
    CohortForm, CohortPhase, CohortRegistrationForm, Intake, InterestForm, may_withdraw, next_intake,
    phase_of,
};
use crate::domain::forms::{Field, FieldError, Problem};
use crate::domain::registration::{Seats, may_resend};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    Acknowledged, Bilingual, CohortAdmin, CohortDetail, CohortRegistrationView, CohortSummary,
    RegistrationState,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

fn summary(
    cohort: &CohortRow,
    meetings: &[MeetingRow],
    facilitators: &HashMap<i32, String>,
    now: DateTime<Utc>,
) -> Result<CohortSummary, AppError> {
    let starts: Vec<DateTime<Utc>> = meetings.iter().map(|meeting| meeting.starts_at).collect();
    let duration_minutes = cohort.duration_minutes.max(0) as u32;
    let phase = phase_of(cohort.opens_at, cohort.registration_closed, &starts, duration_minutes, now)
        .ok_or(AppError::Internal)?;
    let seats = seats_of(cohort);
    Ok(CohortSummary {
        id: cohort.id,
        title: Bilingual::both(&cohort.title_en, &cohort.title_fr),
        audience: cohort.audience.parse().map_err(|()| AppError::Internal)?,
        language: cohort.language.parse().map_err(|()| AppError::Internal)?,
        phase,
        meetings: starts,
        duration_minutes,
        capacity: seats.capacity,
        seats_taken: seats.taken,
        waitlist_length: seats.waiting,
        facilitator_name: facilitators.get(&cohort.facilitator_id).cloned().unwrap_or_default(),
    })
}

/// Intakes still to come or under way, soonest first: the programs page and the calendar.
pub async fn list(state: &AppState, now: DateTime<Utc>) -> Result<Vec<CohortSummary>, AppError> {
    let facilitators = cohorts::facilitator_names(&state.db).await?;
    let mut listed = Vec::new();
    for (cohort, meetings) in cohorts::all_with_meetings(&state.db).await? {
        let summary = summary(&cohort, &meetings, &facilitators, now)?;
        if summary.phase != CohortPhase::Finished {
            listed.push(summary);
        }
    }
    Ok(listed)
}

/// A cohort's public page, with the next intake of its track when this one cannot be joined.
pub async fn public(state: &AppState, id: i32, now: DateTime<Utc>) -> Result<CohortDetail, AppError> {
    let facilitators = cohorts::facilitator_names(&state.db).await?;
    let all = cohorts::all_with_meetings(&state.db).await?;
    let (cohort, meetings) = all.iter().find(|(cohort, _)| cohort.id == id).ok_or(AppError::NotFound)?;
    let summary = summary(cohort, meetings, &facilitators, now)?;
    let waitlist_full = seats_of(cohort).waitlist_full(state.settings.waitlist_factor);
    let next_intake = if summary.phase == CohortPhase::Open && summary.seats_taken < summary.capacity {
        None
    } else {
        let intakes: Vec<Intake<'_>> = all
            .iter()
            .filter_map(|(cohort, meetings)| {
                let first_start = meetings.first()?.starts_at;
                Some(Intake { id: cohort.id, track: &cohort.track, first_start })
            })
            .collect();
        let current = intakes.iter().find(|intake| intake.id == id).copied().ok_or(AppError::Internal)?;
        match next_intake(current, &intakes).and_then(|next| all.iter().find(|(cohort, _)| cohort.id == next))
        {
            Some((next, next_meetings)) => Some(self::summary(next, next_meetings, &facilitators, now)?),
            None => None,
        }
    };
    Ok(CohortDetail {
        summary,
        description: Bilingual::both(&cohort.description_en, &cohort.description_fr),
        eligibility: Bilingual::both(&cohort.eligibility_en, &cohort.eligibility_fr),
        agreement: Bilingual::both(&cohort.agreement_en, &cohort.agreement_fr),
        next_intake,
        waitlist_full,
    })
}

/// Creates an intake. A facilitator creates one they lead; a coordinator chooses who leads it.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    form: &CohortForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let valid = form.check(now).map_err(AppError::Form)?;
    let facilitator_id = if caller.administers() {
        let names = cohorts::facilitator_names(&state.db).await?;
        match valid.facilitator_id.or(caller.facilitator_id).filter(|id| names.contains_key(id)) {
            Some(id) => id,
            None => {
                return Err(AppError::Form(vec![FieldError {
                    field: Field::Facilitator,
                    problem: Problem::Required,
                }]));
            }
        }
    } else {
        caller.facilitator_id.ok_or(AppError::Forbidden)?
    };
    if !caller.manages_sessions_of(facilitator_id) {
        return Err(AppError::Forbidden);
    }
    let row = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                Ok::<_, AppError>(cohorts::insert_cohort(txn, &valid, facilitator_id, now).await?)
            })
        })
        .await?;
    // An intake that opens at once is announced at once to whoever waits for its track.
    announce_openings(state, now).await?;
    Ok(row.id)
}

pub fn manage_path(state: &AppState, row: &RegistrationRow, locale: Locale) -> String {
    let token = state.links.sign(Purpose::CohortRegistration, row.id, &row.token_nonce);
    format!("/{locale}/cohort-registrations/{token}")
}

async fn send(
    state: &AppState,
    txn: &WriteTxn<'_>,
    notice: CohortNotice,
    cohort: &CohortRow,
    row: &RegistrationRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let meetings = cohorts::meetings(txn.conn(), cohort.id).await?;
    let locale = row.language.parse().unwrap_or_default();
    let manage_url = format!("{}{}", state.settings.public_url, manage_path(state, row, locale));
    let email = cohort_email(notice, cohort, &meetings, row, &manage_url, &state.settings, now);
    outbox::enqueue(txn, email, now).await?;
    Ok(())
}

fn notice_for(state: RegistrationState) -> CohortNotice {
    match state {
        RegistrationState::Waitlisted(position) => CohortNotice::Waitlisted { position },
        _ => CohortNotice::Confirmation,
    }
}

/// The phase of a locked cohort, from its meetings.
async fn phase_in(
    txn: &WriteTxn<'_>,
    cohort: &CohortRow,
    now: DateTime<Utc>,
) -> Result<(CohortPhase, Vec<MeetingRow>), AppError> {
    let meetings = cohorts::meetings(txn.conn(), cohort.id).await?;
    let starts: Vec<DateTime<Utc>> = meetings.iter().map(|meeting| meeting.starts_at).collect();
    let duration_minutes = cohort.duration_minutes.max(0) as u32;
    let phase = phase_of(cohort.opens_at, cohort.registration_closed, &starts, duration_minutes, now)
        .ok_or(AppError::Internal)?;
    Ok((phase, meetings))
}

/// Serves a locked cohort's waitlist ([`Seats::promote`]): while a seat is free and someone
/// waits, the head takes it, until the group starts.
async fn serve_waitlist(
    state: &AppState,
    txn: &WriteTxn<'_>,
    cohort: &CohortRow,
    phase: CohortPhase,
    seats: &mut Seats,
    now: DateTime<Utc>,
) -> Result<Vec<RegistrationRow>, AppError> {
    let before_start = matches!(phase, CohortPhase::Open | CohortPhase::Closed);
    let promoted = promote_head(txn, Offering::Intake(cohort.id), seats.promote(before_start), now).await?;
    for person in &promoted {
        send(state, txn, CohortNotice::Promotion, cohort, person, now).await?;
    }
    Ok(promoted)
}

/// Registers a person for every meeting of a cohort: a seat if one is free and nobody waits
/// for it, the waitlist otherwise. An address already registered keeps its place and is sent
/// its email again, at most once an hour; the answer is the same as for a new registration.
/// `WaitlistFull` when the seats and the waitlist are all taken.
pub async fn register(
    state: &AppState,
    cohort_id: i32,
    form: &CohortRegistrationForm,
    page_locale: Locale,
    now: DateTime<Utc>,
) -> Result<Acknowledged, AppError> {
    let (context, form) = (state.clone(), form.clone());
    state
        .db
        .write(move |txn| Box::pin(async move { register_in(&context, txn, cohort_id, &form, now).await }))
        .await?;
    Ok(Acknowledged { next_path: format!("/{page_locale}/cohorts/{cohort_id}?registered=1") })
}

async fn register_in(
    state: &AppState,
    txn: &WriteTxn<'_>,
    cohort_id: i32,
    form: &CohortRegistrationForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let cohort = lock_cohort(txn, cohort_id).await?.ok_or(AppError::NotFound)?;
    let phase = phase_in(txn, &cohort, now).await?.0;
    if phase != CohortPhase::Open {
        return Err(AppError::RegistrationClosed);
    }
    let audience = cohort.audience.parse().map_err(|()| AppError::Internal)?;
    let person = form.check(audience).map_err(AppError::Form)?;
    let mut seats = seats_of(&cohort);
    serve_waitlist(state, txn, &cohort, phase, &mut seats, now).await?;
    let before_placing = seats;
    let placement = seats.place(state.settings.waitlist_factor).ok_or(AppError::WaitlistFull)?;
    let offering = Offering::Intake(cohort_id);
    let row = match insert_new(txn, offering, &person, placement, random_token(), now).await? {
        Some(row) => row,
        None => {
            let previous =
                find_by_email(txn, offering, &person.email_key).await?.ok_or(AppError::Internal)?;
            if previous.status != Status::Cancelled {
                if may_resend(previous.confirmation_sent_at, now) {
                    let notice = notice_for(state_of(txn.conn(), &previous).await?);
                    send(state, txn, notice, &cohort, &previous, now).await?;
                    mark_confirmation_sent(txn, previous.id, now).await?;
                }
                save_seats(txn, cohort_id, before_placing, now).await?;
                return Ok(());
            }
            place_again(txn, previous, &person, placement, random_token(), now).await?
        }
    };
    save_seats(txn, cohort_id, seats, now).await?;
    let registration_state = state_of(txn.conn(), &row).await?;
    send(state, txn, notice_for(registration_state), &cohort, &row, now).await?;
    Ok(())
}

async fn open_link(state: &AppState, token: &str) -> Result<RegistrationRow, AppError> {
    let (_, nonce) = state.links.verify(Purpose::CohortRegistration, token).ok_or(AppError::InvalidLink)?;
    by_link(&state.db, &nonce).await?.filter(|row| row.cohort_id.is_some()).ok_or(AppError::InvalidLink)
}

async fn view_of(
    state: &AppState,
    row: &RegistrationRow,
    now: DateTime<Utc>,
) -> Result<CohortRegistrationView, AppError> {
    let cohort_id = row.cohort_id.ok_or(AppError::Internal)?;
    let cohort = cohorts::cohort(&state.db, cohort_id).await?.ok_or(AppError::NotFound)?;
    let meetings = cohorts::meetings(state.db.conn(), cohort.id).await?;
    let facilitators = cohorts::facilitator_names(&state.db).await?;
    let registration_state = state_of(state.db.conn(), row).await?;
    let last_start = meetings.last().ok_or(AppError::Internal)?.starts_at;
    Ok(CohortRegistrationView {
        cohort: summary(&cohort, &meetings, &facilitators, now)?,
        can_withdraw: registration_state != RegistrationState::Cancelled && may_withdraw(last_start, now),
        state: registration_state,
        email_hint: mask_email(&row.email),
    })
}

pub async fn view(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<CohortRegistrationView, AppError> {
    let row = open_link(state, token).await?;
    view_of(state, &row, now).await
}

/// Withdraws from every meeting. The seat goes to the head of the waitlist until the group
/// starts. Withdrawing twice is harmless.
pub async fn withdraw(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<CohortRegistrationView, AppError> {
    let linked = open_link(state, token).await?;
    let cohort_id = linked.cohort_id.ok_or(AppError::Internal)?;
    let context = state.clone();
    let row = state
        .db
        .write(move |txn| {
            Box::pin(async move { withdraw_in(&context, txn, cohort_id, linked.id, now).await })
        })
        .await?;
    view_of(state, &row, now).await
}

/// Locks the cohort before reading the registration, so two withdrawals of the same
/// registration cannot both free its seat.
async fn withdraw_in(
    state: &AppState,
    txn: &WriteTxn<'_>,
    cohort_id: i32,
    registration_id: i32,
    now: DateTime<Utc>,
) -> Result<RegistrationRow, AppError> {
    let cohort = lock_cohort(txn, cohort_id).await?.ok_or(AppError::NotFound)?;
    let row = find_by_id(txn, registration_id)
        .await?
        .filter(|row| row.cohort_id == Some(cohort_id))
        .ok_or(AppError::InvalidLink)?;
    let Some(held) = row.status.placement() else {
        return Ok(row);
    };
    let (phase, meetings) = phase_in(txn, &cohort, now).await?;
    if !may_withdraw(meetings.last().ok_or(AppError::Internal)?.starts_at, now) {
        return Err(AppError::RegistrationClosed);
    }
    let mut seats = seats_of(&cohort);
    seats.release(held);
    // The notice is composed from the row as it was, so a seat-holder's calendars get the
    // cancellation of every meeting.
    send(state, txn, CohortNotice::Withdrawn, &cohort, &row, now).await?;
    let row = set_status(txn, row, Status::Cancelled, now).await?;
    serve_waitlist(state, txn, &cohort, phase, &mut seats, now).await?;
    save_seats(txn, cohort.id, seats, now).await?;
    Ok(row)
}

/// Notes that someone wants an email when the next intake of this cohort's program opens.
pub async fn ask_to_be_told(
    state: &AppState,
    cohort_id: i32,
    form: &InterestForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (email, language) = form.check().map_err(AppError::Form)?;
    let cohort = cohorts::cohort(&state.db, cohort_id).await?.ok_or(AppError::NotFound)?;
    let language = language.as_str();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                Ok::<_, AppError>(cohorts::add_interest(txn, &cohort.track, &email, language, now).await?)
            })
        })
        .await
}

/// Emails everyone waiting for a track whose intake has opened; each is told once. Returns
/// how many were told.
pub async fn announce_openings(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut told = 0;
    for cohort in cohorts::unannounced_openings(&state.db, now).await? {
        let context = state.clone();
        told += state
            .db
            .write(move |txn| {
                Box::pin(async move {
                    let meetings = cohorts::meetings(txn.conn(), cohort.id).await?;
                    let waiting = cohorts::take_interests(txn, cohort.id, &cohort.track, now).await?;
                    for interest in &waiting {
                        let email = opening_email(&cohort, &meetings, interest, &context.settings);
                        outbox::enqueue(txn, email, now).await?;
                    }
                    Ok::<_, AppError>(waiting.len())
                })
            })
            .await?;
    }
    Ok(told)
}

/// The intakes a caller manages: every one for a coordinator, their own for a facilitator.
pub async fn for_workspace(
    state: &AppState,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Vec<CohortSummary>, AppError> {
    let facilitators = cohorts::facilitator_names(&state.db).await?;
    cohorts::all_with_meetings(&state.db)
        .await?
        .iter()
        .filter(|(cohort, _)| caller.manages_sessions_of(cohort.facilitator_id))
        .map(|(cohort, meetings)| summary(cohort, meetings, &facilitators, now))
        .collect()
}

/// One intake in the workspace; its roster only for its own facilitator.
pub async fn admin(
    state: &AppState,
    caller: &Caller,
    id: i32,
    now: DateTime<Utc>,
) -> Result<CohortAdmin, AppError> {
    let cohort = cohorts::cohort(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !caller.manages_sessions_of(cohort.facilitator_id) {
        return Err(AppError::Forbidden);
    }
    let meetings = cohorts::meetings(state.db.conn(), id).await?;
    let facilitators = cohorts::facilitator_names(&state.db).await?;
    let roster = if caller.sees_roster_of(cohort.facilitator_id) {
        Some(roster_lines(&regs::of_offering(&state.db, Offering::Intake(id)).await?)?)
    } else {
        None
    };
    Ok(CohortAdmin {
        summary: summary(&cohort, &meetings, &facilitators, now)?,
        registration_closed: cohort.registration_closed,
        roster,
    })
}

/// Stops or resumes registration before the start. Resuming serves the waitlist first: a
/// seat freed meanwhile goes to the head of the line, never to the next newcomer.
pub async fn set_registration_closed(
    state: &AppState,
    caller: &Caller,
    id: i32,
    closed: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (context, caller) = (state.clone(), caller.clone());
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let cohort = lock_cohort(txn, id).await?.ok_or(AppError::NotFound)?;
                if !caller.manages_sessions_of(cohort.facilitator_id) {
                    return Err(AppError::Forbidden);
                }
                cohorts::set_registration_closed(txn, id, closed, now).await?;
                let cohort = CohortRow { registration_closed: closed, ..cohort };
                let phase = phase_in(txn, &cohort, now).await?.0;
                let mut seats = seats_of(&cohort);
                if !serve_waitlist(&context, txn, &cohort, phase, &mut seats, now).await?.is_empty() {
                    save_seats(txn, id, seats, now).await?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(())
}
