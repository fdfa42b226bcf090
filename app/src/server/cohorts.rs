//! Cohort groups: creating an intake, its public page, telling people when a track opens, and
//! the workspace view. Registering for all its meetings at once, withdrawing from all of them
//! and the waitlist are the registration engine's ([`registrations`]), as for sessions.

use super::db::cohorts::{self, Cohort, Meeting};
use super::db::outbox;
use super::db::registrations::SeatCounters;
use super::db::registrations::{self as regs, Offering, Registration};
use super::links::Purpose;
use super::notices::opening_email;
use super::registrations::{self, Locked, changed, mask_email, state_of};
use super::state::AppState;
use super::workspace::roster_lines;
use crate::domain::access::Caller;
use crate::domain::calendar::CalendarFilter;
use crate::domain::cohort::{
    CohortForm, CohortPhase, Intake, InterestForm, may_withdraw, next_intake, phase_of, plan_meetings,
};
use crate::domain::forms::{Field, FieldError, Problem};
use crate::domain::zones::reference_time;
use crate::error::AppError;
use crate::model::{
    Bilingual, CohortAdmin, CohortDetail, CohortRegistrationView, CohortSummary, GroupMeeting,
    RegistrationState,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

fn summary(
    cohort: &Cohort,
    meetings: &[Meeting],
    facilitators: &HashMap<i32, String>,
    now: DateTime<Utc>,
) -> Result<CohortSummary, AppError> {
    let starts: Vec<DateTime<Utc>> = meetings.iter().map(|meeting| meeting.starts_at).collect();
    let duration_minutes = cohort.duration_minutes.max(0) as u32;
    let phase = phase_of(cohort.opens_at, cohort.registration_closed, &starts, duration_minutes, now)
        .ok_or(AppError::Internal)?;
    let seats = cohort.seats();
    Ok(CohortSummary {
        id: cohort.id,
        title: Bilingual::both(&cohort.title_en, &cohort.title_fr),
        audience: cohort.audience,
        language: cohort.language,
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

/// The meetings of every intake the filter keeps, starting in `[from, until)`, soonest first:
/// the week and month views and the calendar feed.
pub async fn meetings_between(
    state: &AppState,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    filter: &CalendarFilter,
) -> Result<Vec<GroupMeeting>, AppError> {
    let mut listed = Vec::new();
    for (cohort, meetings) in cohorts::all_with_meetings(&state.db).await? {
        let language = cohort.language;
        let audience = cohort.audience;
        if !filter.matches(None, language, audience) {
            continue;
        }
        let total = u32::try_from(meetings.len()).map_err(|_| AppError::Internal)?;
        for (part, meeting) in (1..).zip(&meetings) {
            if from <= meeting.starts_at && meeting.starts_at < until {
                listed.push(GroupMeeting {
                    cohort_id: cohort.id,
                    meeting_id: meeting.id,
                    title: Bilingual::both(&cohort.title_en, &cohort.title_fr),
                    part,
                    total,
                    starts_at: meeting.starts_at,
                    duration_minutes: u32::try_from(cohort.duration_minutes).unwrap_or(0),
                });
            }
        }
    }
    listed.sort_by_key(|meeting| (meeting.starts_at, meeting.cohort_id));
    Ok(listed)
}

/// A cohort's public page, with the next intake of its track when this one cannot be joined.
pub async fn public(state: &AppState, id: i32, now: DateTime<Utc>) -> Result<CohortDetail, AppError> {
    let facilitators = cohorts::facilitator_names(&state.db).await?;
    let all = cohorts::all_with_meetings(&state.db).await?;
    let (cohort, meetings) = all.iter().find(|(cohort, _)| cohort.id == id).ok_or(AppError::NotFound)?;
    let summary = summary(cohort, meetings, &facilitators, now)?;
    let waitlist_full = cohort.seats().waitlist_full(state.settings.waitlist_factor);
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

async fn view_of(
    state: &AppState,
    row: &Registration,
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

/// What a cohort registration's private link shows.
pub async fn view(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<CohortRegistrationView, AppError> {
    let (row, _) = registrations::open_link(state, Purpose::CohortRegistration, token).await?;
    view_of(state, &row, now).await
}

/// Withdraws from every meeting of the cohort a link opens.
pub async fn withdraw(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<CohortRegistrationView, AppError> {
    let row = registrations::leave(state, Purpose::CohortRegistration, token, now).await?;
    view_of(state, &row, now).await
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
                    // Decided on the locked row: another instance may have announced it since.
                    let cohort = cohorts::lock_cohort(txn, cohort.id).await?.ok_or(AppError::NotFound)?;
                    if cohort.opening_announced_at.is_some() {
                        return Ok(0);
                    }
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
        form: form_of(&cohort, &meetings),
    })
}

/// The form of an existing intake, dates and time in Eastern Time.
fn form_of(cohort: &Cohort, meetings: &[Meeting]) -> CohortForm {
    let dates: Vec<String> = meetings
        .iter()
        .map(|meeting| reference_time(meeting.starts_at).format("%Y-%m-%d").to_string())
        .collect();
    let time = meetings.first().map(|first| reference_time(first.starts_at).format("%H:%M").to_string());
    CohortForm {
        track: cohort.track.clone(),
        title_en: cohort.title_en.clone(),
        title_fr: cohort.title_fr.clone(),
        description_en: cohort.description_en.clone(),
        description_fr: cohort.description_fr.clone(),
        audience: cohort.audience.as_str().to_string(),
        language: cohort.language.as_str().to_string(),
        eligibility_en: cohort.eligibility_en.clone(),
        eligibility_fr: cohort.eligibility_fr.clone(),
        agreement_en: cohort.agreement_en.clone(),
        agreement_fr: cohort.agreement_fr.clone(),
        dates: dates.join("\n"),
        time: time.unwrap_or_default(),
        duration: cohort.duration_minutes.to_string(),
        capacity: cohort.capacity.to_string(),
        // Never sent back: an empty field keeps the link (see `update`).
        meeting_link: String::new(),
        opens_on: reference_time(cohort.opens_at).format("%Y-%m-%d").to_string(),
        facilitator_id: String::new(),
    }
}

/// Changes an intake that has not started: its texts, dates, time, length and seats (never
/// below the number registered; more seats go to the waitlist first). Everyone registered is
/// told; people with a seat get one calendar file whose events keep their UIDs with a higher
/// SEQUENCE, meetings the edit removed marked cancelled.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: i32,
    form: &CohortForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (context, caller, form) = (state.clone(), caller.clone(), form.clone());
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let Locked::Intake { cohort, meetings, .. } = Locked::lock(txn, Offering::Intake(id)).await?
                else {
                    return Err(AppError::Internal);
                };
                if !caller.manages_sessions_of(cohort.facilitator_id) {
                    return Err(AppError::Forbidden);
                }
                // A group under way keeps its dates: its members have planned around them.
                if meetings.first().is_none_or(|first| now >= first.starts_at) {
                    return Err(AppError::Invalid);
                }
                let valid = form.check(now).map_err(AppError::Form)?;
                let mut seats = cohort.seats();
                if valid.capacity < seats.taken {
                    return Err(AppError::Form(vec![FieldError {
                        field: Field::Capacity,
                        problem: Problem::BelowRegistered,
                    }]));
                }
                let current: Vec<(i32, DateTime<Utc>)> =
                    meetings.iter().map(|m| (m.id, m.starts_at)).collect();
                let removed =
                    cohorts::apply_meeting_plan(txn, id, &plan_meetings(&current, &valid.meetings)).await?;
                let cohort = cohorts::update_cohort(txn, &cohort, &valid, now).await?;
                let meetings = cohorts::meetings(txn.conn(), id).await?;
                seats.capacity = valid.capacity;
                changed(&context, txn, &Locked::Intake { cohort, meetings, removed }, seats, now).await
            })
        })
        .await
}
