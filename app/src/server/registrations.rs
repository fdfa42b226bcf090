//! Registering and cancelling. The domain decides where a person lands, persistence records
//! it in one transaction together with the emails it causes (the outbox); once it commits,
//! `Db::write` wakes the mailer and tells every open page the new counts. Server functions and the
//! no-JavaScript form handlers both call these.

use super::db::registrations::{
    Offering, RegistrationRow, SessionRow, Status, by_link, find_by_email, find_by_id, insert_new,
    lock_session, mark_confirmation_sent, mark_reminded, place_again, promote_head, save_seats, seats_of,
    set_status, waitlist_position,
};
use super::db::{WriteTxn, outbox, sessions};
use super::links::{Purpose, random_token};
use super::notices::{Addressee, Notice, compose};
use super::state::AppState;
use crate::domain::registration::{RegistrationForm, Seats, may_resend, validate};
use crate::domain::session::{SessionStatus, is_open_for_registration};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{Acknowledged, RegistrationState, RegistrationView};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

/// The private path of a registration, in `locale`: `/fr/registrations/{token}`.
pub fn manage_path(state: &AppState, registration: &RegistrationRow, locale: Locale) -> String {
    let token = state.links.sign(Purpose::Registration, registration.id, &registration.token_nonce);
    format!("/{locale}/registrations/{token}")
}

fn addressee<'a>(state: &AppState, registration: &'a RegistrationRow) -> Addressee<'a> {
    let locale = registration.language.parse().unwrap_or_default();
    let manage_url = format!("{}{}", state.settings.public_url, manage_path(state, registration, locale));
    Addressee { registration, manage_url }
}

pub(super) async fn send_notice(
    state: &AppState,
    txn: &WriteTxn<'_>,
    notice: Notice,
    session: &SessionRow,
    registration: &RegistrationRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let email = compose(&notice, session, &addressee(state, registration), &state.settings, now);
    outbox::enqueue(txn, email, now).await?;
    Ok(())
}

/// Serves the waitlist of a locked session ([`Seats::promote`]): while a seat is free and
/// someone waits, the head takes it and is emailed the invitation.
pub(super) async fn serve_waitlist(
    state: &AppState,
    txn: &WriteTxn<'_>,
    session: &SessionRow,
    seats: &mut Seats,
    now: DateTime<Utc>,
) -> Result<Vec<RegistrationRow>, AppError> {
    let scheduled = session.status == SessionStatus::Scheduled.as_str();
    let promoted = promote_head(
        txn,
        Offering::Session(session.id),
        seats.promote(scheduled && now < session.starts_at),
        now,
    )
    .await?;
    for person in &promoted {
        send_notice(state, txn, Notice::Promotion, session, person, now).await?;
    }
    Ok(promoted)
}

fn is_open(session: &SessionRow, now: DateTime<Utc>) -> bool {
    let status = session.status.parse().unwrap_or(SessionStatus::Cancelled);
    is_open_for_registration(status, session.registration_closed, session.starts_at, now)
}

/// Where a registration stands, with its place in line when it waits.
pub(super) async fn state_of<C: ConnectionTrait>(
    conn: &C,
    row: &RegistrationRow,
) -> Result<RegistrationState, AppError> {
    Ok(match row.status {
        Status::Confirmed => RegistrationState::Confirmed,
        Status::Waitlisted => RegistrationState::Waitlisted(waitlist_position(conn, row).await?),
        Status::Cancelled => RegistrationState::Cancelled,
    })
}

/// Registers the person described by `form` for a session: a seat if one is free and nobody
/// waits for it, the waitlist otherwise. An address already registered keeps its place and is
/// sent its confirmation again, at most once an hour (`WaitlistFull` when the seats and
/// the waitlist are all taken); the answer is the same as for a new
/// registration, so it tells nobody whether that address attends. Capacity holds whatever
/// the concurrency: the session row is locked (or the SQLite writer's turn held) from reading
/// the counters to writing them. Validation happens inside, against the audience of the
/// locked row, which saves a separate read.
pub async fn register(
    state: &AppState,
    session_id: i32,
    form: &RegistrationForm,
    page_locale: Locale,
    now: DateTime<Utc>,
) -> Result<Acknowledged, AppError> {
    let (context, form) = (state.clone(), form.clone());
    state
        .db
        .write(move |txn| Box::pin(async move { register_in(&context, txn, session_id, &form, now).await }))
        .await?;
    Ok(Acknowledged { next_path: format!("/{page_locale}/sessions/{session_id}?registered=1") })
}

async fn register_in(
    state: &AppState,
    txn: &WriteTxn<'_>,
    session_id: i32,
    form: &RegistrationForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let session = lock_session(txn, session_id).await?.ok_or(AppError::NotFound)?;
    if !is_open(&session, now) {
        return Err(AppError::RegistrationClosed);
    }
    let audience = session.audience.parse().map_err(|()| AppError::Internal)?;
    let person = validate(form, audience).map_err(AppError::Form)?;

    let mut seats = seats_of(&session);
    let served = !serve_waitlist(state, txn, &session, &mut seats, now).await?.is_empty();
    let before_placing = seats;
    let placement = seats.place(state.settings.waitlist_factor).ok_or(AppError::WaitlistFull)?;
    // The common case is a new address: one insert. The unique (session, address) index turns
    // a second registration into a conflict, handled below.
    let offering = Offering::Session(session_id);
    let row = match insert_new(txn, offering, &person, placement, random_token(), now).await? {
        Some(row) => row,
        None => {
            let previous =
                find_by_email(txn, offering, &person.email_key).await?.ok_or(AppError::Internal)?;
            if previous.status != Status::Cancelled {
                if may_resend(previous.confirmation_sent_at, now) {
                    let notice = notice_for(state_of(txn.conn(), &previous).await?);
                    send_notice(state, txn, notice, &session, &previous, now).await?;
                    mark_confirmation_sent(txn, previous.id, now).await?;
                }
                if served {
                    save_seats(txn, &session, before_placing, now).await?;
                }
                return Ok(());
            }
            place_again(txn, previous, &person, placement, random_token(), now).await?
        }
    };
    save_seats(txn, &session, seats, now).await?;
    let notice = notice_for(state_of(txn.conn(), &row).await?);
    send_notice(state, txn, notice, &session, &row, now).await?;
    Ok(())
}

/// The email that tells someone where they landed.
fn notice_for(state: RegistrationState) -> Notice {
    match state {
        RegistrationState::Waitlisted(position) => Notice::Waitlisted { position },
        _ => Notice::Confirmation,
    }
}

/// The registration a private link opens, or `InvalidLink`.
async fn open_link(state: &AppState, token: &str) -> Result<RegistrationRow, AppError> {
    let (_, nonce) = state.links.verify(Purpose::Registration, token).ok_or(AppError::InvalidLink)?;
    by_link(&state.db, &nonce).await?.filter(|row| row.session_id.is_some()).ok_or(AppError::InvalidLink)
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
    row: &RegistrationRow,
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

pub async fn view(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<RegistrationView, AppError> {
    let row = open_link(state, token).await?;
    view_of(state, &row, now).await
}

/// Cancels the registration a link opens. Its seat goes to the head of the waitlist (who is
/// emailed the invitation and join link) until the session starts. Cancelling twice is
/// harmless.
pub async fn cancel(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<RegistrationView, AppError> {
    let linked = open_link(state, token).await?;
    let session_id = linked.session_id.ok_or(AppError::Internal)?;
    let context = state.clone();
    let row = state
        .db
        .write(move |txn| Box::pin(async move { cancel_in(&context, txn, session_id, linked.id, now).await }))
        .await?;
    view_of(state, &row, now).await
}

/// Locks the session before reading the registration: its status, read after the lock, is
/// the one no other unit can change until this one ends, so two cancellations of the same
/// registration cannot both free its seat.
async fn cancel_in(
    state: &AppState,
    txn: &WriteTxn<'_>,
    session_id: i32,
    registration_id: i32,
    now: DateTime<Utc>,
) -> Result<RegistrationRow, AppError> {
    let session = lock_session(txn, session_id).await?.ok_or(AppError::NotFound)?;
    let row = find_by_id(txn, registration_id)
        .await?
        .filter(|row| row.session_id == Some(session_id))
        .ok_or(AppError::InvalidLink)?;
    let Some(held) = row.status.placement() else {
        return Ok(row);
    };
    if now >= session.starts_at {
        return Err(AppError::RegistrationClosed);
    }
    let mut seats = seats_of(&session);
    seats.release(held);
    let row = set_status(txn, row, Status::Cancelled, now).await?;
    send_notice(state, txn, Notice::Cancellation, &session, &row, now).await?;
    serve_waitlist(state, txn, &session, &mut seats, now).await?;
    save_seats(txn, &session, seats, now).await?;
    Ok(row)
}

/// Puts a reminder for a confirmed registration in the outbox and notes that it went, so the
/// same reminder is not sent again. Does nothing if the registration or the session was
/// cancelled meanwhile: both are read after locking the session.
pub async fn remind(
    state: &AppState,
    registration: &RegistrationRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let session_id = registration.session_id.ok_or(AppError::Internal)?;
    let (context, registration_id) = (state.clone(), registration.id);
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let session = lock_session(txn, session_id).await?.ok_or(AppError::NotFound)?;
                if session.status != SessionStatus::Scheduled.as_str() {
                    return Ok(());
                }
                let current = find_by_id(txn, registration_id).await?;
                if let Some(current) = current.filter(|r| r.status == Status::Confirmed) {
                    send_notice(&context, txn, Notice::Reminder, &session, &current, now).await?;
                    mark_reminded(txn, current.id, now).await?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await
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
