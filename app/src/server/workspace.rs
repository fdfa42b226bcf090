//! The facilitators' and coordinators' workspace: scheduling, changing and cancelling
//! sessions (and telling the people registered), rosters, messages, and the coordinator's
//! administration of formats and facilitators. Every function checks what the caller may do
//! with the access rules before touching anything.

use super::db::accounts::{self, Account};
use super::db::registrations::{
    self as regs, Offering, Registration, SeatCounters, Session, Status, lock_session,
};
use super::db::sessions::{self, NewFormat, NewSession};
use super::db::{DbError, WriteTxn, scheduling};
use super::notices::Notice;
use super::registrations::{Locked, changed, tell_all};
use super::state::AppState;
use crate::domain::access::Caller;
use crate::domain::forms::{Field, FieldError, Problem, Problems};
use crate::domain::session::SessionStatus;
use crate::domain::session_form::{SessionForm, ValidSession, typed_start, validate};
use crate::domain::zones::{REFERENCE_ZONE, reference_time};
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::model::{
    Bilingual, CurrentUser, FacilitatorAccount, FacilitatorChoice, FormatRecord, RegistrationState,
    RosterEntry, SessionEditor, WorkspaceSession,
};
use crate::timefmt;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

fn form_error(field: Field, problem: Problem) -> AppError {
    AppError::Form(vec![FieldError { field, problem }])
}

pub async fn current_user(state: &AppState, account: &Account) -> Result<CurrentUser, AppError> {
    let display_name = match account.facilitator_id {
        Some(id) => accounts::facilitator(&state.db, id).await?.map(|f| f.display_name),
        None => None,
    };
    let role = account.role;
    Ok(CurrentUser { email: account.email.clone(), role, display_name })
}

/// A session the caller may manage, or `NotFound` / `Forbidden`.
async fn managed(state: &AppState, caller: &Caller, id: i32) -> Result<Session, AppError> {
    let row = scheduling::session(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !caller.manages_sessions_of(row.facilitator_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

/// The same check inside a unit of work, after locking the session: what the unit decides
/// from (who leads it, its status, its counters) cannot change before it commits.
async fn locked_and_managed(txn: &WriteTxn<'_>, caller: &Caller, id: i32) -> Result<Session, AppError> {
    let row = lock_session(txn, id).await?.ok_or(AppError::NotFound)?;
    if !caller.manages_sessions_of(row.facilitator_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

/// The caller's sessions (every session for a coordinator), soonest first, with their counts.
pub async fn sessions(
    state: &AppState,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Vec<WorkspaceSession>, AppError> {
    let whose =
        if caller.is_coordinator() { None } else { Some(caller.facilitator_id.ok_or(AppError::Forbidden)?) };
    let rows = scheduling::sessions_of(&state.db, whose).await?;
    let mut listed = Vec::with_capacity(rows.len());
    for row in rows {
        let summary = sessions::detail(&state.db, row.id, now, state.settings.waitlist_factor).await?.summary;
        listed.push(WorkspaceSession {
            summary,
            registration_closed: row.registration_closed,
            roster_visible: caller.sees_roster_of(row.facilitator_id),
        });
    }
    Ok(listed)
}

/// "That is Wed., Dec. 9, 2026, 7 PM ET, or Thu., Dec. 10, 2026, 0 h UTC.", for what the
/// schedule form holds; `None` while it names no moment.
pub fn schedule_preview(locale: Locale, date: &str, time: &str, zone: &str) -> Option<String> {
    let typed =
        SessionForm { date: date.into(), time: time.into(), zone: zone.into(), ..SessionForm::default() };
    let start = typed_start(&typed)?;
    Some(Tr(locale).schedule_preview(timefmt::in_eastern(locale, start), timefmt::in_utc(locale, start)))
}

/// The form of an existing session, times in Eastern Time.
fn form_of(row: &Session, format_slug: String) -> SessionForm {
    let start = reference_time(row.starts_at);
    SessionForm {
        format: format_slug,
        title_en: row.title_en.clone().unwrap_or_default(),
        title_fr: row.title_fr.clone().unwrap_or_default(),
        description_en: row.description_en.clone().unwrap_or_default(),
        description_fr: row.description_fr.clone().unwrap_or_default(),
        date: start.format("%Y-%m-%d").to_string(),
        time: start.format("%H:%M").to_string(),
        zone: REFERENCE_ZONE.to_string(),
        duration: row.duration_minutes.to_string(),
        capacity: row.capacity.to_string(),
        audience: row.audience.as_str().to_string(),
        language: row.language.as_str().to_string(),
        // Never sent back: an empty field keeps the link (see `update`).
        meeting_link: String::new(),
        series_name_en: row.series_name_en.clone().unwrap_or_default(),
        series_name_fr: row.series_name_fr.clone().unwrap_or_default(),
        series_part: row.series_part.map(|p| p.to_string()).unwrap_or_default(),
        repeat: "1".into(),
    }
}

pub async fn editor(
    state: &AppState,
    caller: &Caller,
    id: i32,
    now: DateTime<Utc>,
) -> Result<SessionEditor, AppError> {
    let row = managed(state, caller, id).await?;
    let summary = sessions::detail(&state.db, id, now, state.settings.waitlist_factor).await?.summary;
    let facilitators = if caller.administers() {
        accounts::facilitators(&state.db)
            .await?
            .into_iter()
            .filter(|(_, account)| account.as_ref().is_none_or(|a| a.active))
            .filter(|(profile, _)| caller.may_reassign(row.facilitator_id, profile.id))
            .map(|(profile, _)| FacilitatorChoice { id: profile.id, display_name: profile.display_name })
            .collect()
    } else {
        Vec::new()
    };
    Ok(SessionEditor {
        form: form_of(&row, summary.format_slug.clone()),
        summary,
        registration_closed: row.registration_closed,
        facilitator_id: row.facilitator_id,
        roster_visible: caller.sees_roster_of(row.facilitator_id),
        facilitators,
    })
}

async fn format_id(txn: &WriteTxn<'_>, slug: &str) -> Result<i32, AppError> {
    scheduling::format_id(txn, slug).await?.ok_or_else(|| form_error(Field::Format, Problem::Invalid))
}

/// Schedules a session, repeated weekly when the form asks. A facilitator schedules for
/// themselves; a coordinator for the facilitator they name (or themselves, if they facilitate).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    form: &SessionForm,
    for_facilitator: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, AppError> {
    let facilitator_id = match (caller.is_coordinator(), for_facilitator) {
        (true, Some(id)) => {
            accounts::facilitator(&state.db, id).await?.ok_or(AppError::NotFound)?;
            id
        }
        (_, requested) => {
            let own = caller.facilitator_id.ok_or(AppError::Forbidden)?;
            if requested.is_some_and(|id| id != own) {
                return Err(AppError::Forbidden);
            }
            own
        }
    };
    let valid = validate(form, true, now).map_err(AppError::Form)?;
    let ids = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let format_id = format_id(txn, &valid.format_slug).await?;
                let mut ids = Vec::with_capacity(valid.starts.len());
                for starts_at in &valid.starts {
                    let new = NewSession {
                        format_id,
                        facilitator_id,
                        title: valid.title.clone(),
                        description: valid.description.clone(),
                        starts_at: *starts_at,
                        duration_minutes: valid.duration_minutes,
                        capacity: valid.capacity,
                        language: valid.language,
                        audience: valid.audience,
                        series: valid.series.clone(),
                        meeting_link: valid.meeting_link.clone(),
                    };
                    ids.push(sessions::insert_session(txn, new, now).await?);
                }
                Ok::<_, AppError>(ids)
            })
        })
        .await?;
    Ok(ids)
}

/// Changes a session's details. Everyone registered is told, and people with a seat get an
/// invitation that replaces theirs (same UID, SEQUENCE + 1). A raised capacity gives seats to
/// the waitlist; a capacity below the seats already taken is refused.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: i32,
    form: &SessionForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    managed(state, caller, id).await?;
    let valid: ValidSession = validate(form, false, now).map_err(AppError::Form)?;
    let (context, caller) = (state.clone(), caller.clone());
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let row = locked_and_managed(txn, &caller, id).await?;
                if row.status == SessionStatus::Cancelled {
                    return Err(AppError::Invalid);
                }
                let mut seats = row.seats();
                if valid.capacity < seats.taken {
                    return Err(form_error(Field::Capacity, Problem::BelowRegistered));
                }
                let details = scheduling::SessionDetails {
                    format_id: format_id(txn, &valid.format_slug).await?,
                    title: valid.title,
                    description: valid.description,
                    starts_at: valid.starts[0],
                    duration_minutes: valid.duration_minutes,
                    capacity: valid.capacity,
                    audience: valid.audience,
                    language: valid.language,
                    meeting_link: valid.meeting_link.or(row.meeting_link.clone()),
                    series: valid.series,
                };
                let session = Locked::Session(scheduling::update_details(txn, &row, details, now).await?);
                seats.capacity = valid.capacity;
                changed(&context, txn, &session, seats, now).await
            })
        })
        .await
}

/// Cancels a session: everyone registered is told, people with a seat get a calendar file
/// that removes it (METHOD:CANCEL), and open pages show it cancelled.
pub async fn cancel(state: &AppState, caller: &Caller, id: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    managed(state, caller, id).await?;
    let (context, caller) = (state.clone(), caller.clone());
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let row = locked_and_managed(txn, &caller, id).await?;
                if row.status == SessionStatus::Cancelled {
                    return Ok(());
                }
                let session = Locked::Session(scheduling::cancel(txn, &row, now).await?);
                let everyone = regs::of_offering_in(txn, Offering::Session(id)).await?;
                tell_all(&context, txn, &Notice::CancelledByFacilitator, &session, &everyone, now).await?;
                Ok::<_, AppError>(())
            })
        })
        .await
}

/// Who registered: the session's own facilitator only.
pub async fn roster(state: &AppState, caller: &Caller, id: i32) -> Result<Vec<RosterEntry>, AppError> {
    let row = scheduling::session(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !caller.sees_roster_of(row.facilitator_id) {
        return Err(AppError::Forbidden);
    }
    let people = regs::of_offering(&state.db, Offering::Session(id)).await?;
    roster_lines(&people)
}

/// The roster of active registrations (in the order they were placed), numbering the
/// waitlist from 1.
pub(super) fn roster_lines(people: &[Registration]) -> Result<Vec<RosterEntry>, AppError> {
    let mut waiting = 0;
    let mut roster = Vec::new();
    for person in people {
        let state = match person.status {
            Status::Confirmed => RegistrationState::Confirmed,
            Status::Waitlisted => {
                waiting += 1;
                RegistrationState::Waitlisted(waiting)
            }
            Status::Cancelled => continue,
        };
        roster.push(RosterEntry {
            name: person.name.clone(),
            email: person.email.clone(),
            career_stage: person.career_stage,
            province: person.province,
            state,
        });
    }
    Ok(roster)
}

/// What a facilitator writes to everyone registered for a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageForm {
    pub subject: String,
    pub body: String,
}

/// Writes to everyone registered (through the outbox). Returns how many will receive it.
pub async fn message(
    state: &AppState,
    caller: &Caller,
    id: i32,
    form: &MessageForm,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let row = scheduling::session(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !caller.sees_roster_of(row.facilitator_id) {
        return Err(AppError::Forbidden);
    }
    let mut problems = Problems::default();
    let subject = problems.required_text(Field::Subject, &form.subject, 200).to_string();
    let body = problems.required_text(Field::Body, &form.body, 5_000).to_string();
    let notice = problems.finish(|| Notice::Message { subject, body }).map_err(AppError::Form)?;
    let context = state.clone();
    let sent = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let session = Locked::lock(txn, Offering::Session(id)).await?;
                let everyone = regs::of_offering_in(txn, Offering::Session(id)).await?;
                tell_all(&context, txn, &notice, &session, &everyone, now).await?;
                Ok::<_, AppError>(everyone.iter().filter(|p| p.status != Status::Cancelled).count() as u32)
            })
        })
        .await?;
    Ok(sent)
}

/// Gives a session to another facilitator (coordinators, never to themselves: see
/// [`Caller::may_reassign`]).
pub async fn reassign(
    state: &AppState,
    caller: &Caller,
    id: i32,
    facilitator_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    accounts::facilitator(&state.db, facilitator_id).await?.ok_or(AppError::NotFound)?;
    let caller = caller.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let row = lock_session(txn, id).await?.ok_or(AppError::NotFound)?;
                if !caller.may_reassign(row.facilitator_id, facilitator_id) {
                    return Err(AppError::Forbidden);
                }
                scheduling::reassign(txn, row.id, facilitator_id, now).await?;
                Ok::<_, AppError>(())
            })
        })
        .await
}

/// Every facilitator and their account (coordinators).
pub async fn facilitators(state: &AppState, caller: &Caller) -> Result<Vec<FacilitatorAccount>, AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    Ok(accounts::facilitators(&state.db)
        .await?
        .into_iter()
        .map(|(profile, account)| FacilitatorAccount {
            facilitator_id: profile.id,
            display_name: profile.display_name,
            credentials: Bilingual::both(profile.credentials_en, profile.credentials_fr),
            account_id: account.as_ref().map(|a| a.id),
            email: account.as_ref().map(|a| a.email.clone()),
            active: account.as_ref().is_some_and(|a| a.active),
            invitation_pending: account.as_ref().is_some_and(|a| a.password_hash.is_none()),
        })
        .collect())
}

pub async fn formats(state: &AppState, caller: &Caller) -> Result<Vec<FormatRecord>, AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    Ok(sessions::all_formats(&state.db)
        .await?
        .into_iter()
        .map(|row| FormatRecord {
            id: row.id,
            slug: row.slug.clone(),
            position: row.position,
            info: crate::model::FormatInfo {
                slug: row.slug,
                name: Bilingual::both(row.name_en, row.name_fr),
                description: Bilingual::both(row.description_en, row.description_fr),
                led_by: Bilingual::both(row.led_by_en, row.led_by_fr),
            },
        })
        .collect())
}

/// Creates a format (`id` = `None`) or changes one (coordinators).
pub async fn save_format(
    state: &AppState,
    caller: &Caller,
    id: Option<i32>,
    form: &crate::domain::format_form::FormatForm,
) -> Result<i32, AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    let valid = form.check(id.is_none()).map_err(AppError::Form)?;
    let new = NewFormat {
        slug: valid.slug,
        name: valid.name,
        description: valid.description,
        led_by: valid.led_by,
        position: valid.position,
    };
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                match id {
                    Some(id) => {
                        sessions::update_format(txn, id, new).await?;
                        Ok(id)
                    }
                    None => sessions::insert_format(txn, new).await.map_err(|err| match err {
                        DbError::Conflict(_) => form_error(Field::Format, Problem::Invalid),
                        other => other.into(),
                    }),
                }
            })
        })
        .await
}
