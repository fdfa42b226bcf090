//! Anonymous evaluations: once an offering ends, each person who had a seat is emailed a
//! single-use link; answering through it stores the answers apart from everything about them.
//! The ballots are issued in a random order and the response key is random, so neither the
//! storage order nor a key ties an answer to a registration (ARCHITECTURE.md, "Anonymous
//! evaluations").

use super::db::registrations::{Offering, Registration, Status, of_offering_in};
use super::db::reports::{self, COHORT_FORMAT, ReportKey};
use super::db::{WriteTxn, evaluations};
use super::links::{digest, random_token};
use super::notices::Notice;
use super::registrations::Locked;
use super::state::AppState;
use super::surveys;
use crate::domain::access::Caller;
use crate::domain::evaluation::{EvaluationForm, QuestionSetForm, default_questions};
use crate::domain::report::{Participant, Standing, participation_counts};
use crate::error::AppError;
use crate::model::{Bilingual, EvaluationView, Occasion, QuestionSetView};
use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;

/// Concludes every offering that has just ended: counts its registrations for the reports
/// (before the privacy purge deletes them) and issues its ballots. Returns how many ballots
/// went out.
pub async fn conclude_ended(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut issued = 0;
    for offering in evaluations::ended_without_ballots(&state.db, now).await? {
        let context = state.clone();
        issued += state
            .db
            .write(move |txn| {
                Box::pin(async move {
                    let locked = Locked::lock(txn, offering).await?;
                    if locked.ballots_issued() {
                        return Ok::<_, AppError>(0);
                    }
                    let registrations = of_offering_in(txn, offering).await?;
                    count_participation(txn, &locked, &registrations).await?;
                    let mut seated: Vec<_> =
                        registrations.into_iter().filter(|row| row.status == Status::Confirmed).collect();
                    // Ballots are stored in this order: shuffled, it says nothing about whose is whose.
                    seated.shuffle(&mut rand::rng());
                    let days = context.settings.evaluation_days;
                    let mut hashes = Vec::with_capacity(seated.len());
                    for row in &seated {
                        let token = random_token();
                        hashes.push(digest(&token));
                        let link =
                            format!("{}/{}/evaluations/{token}", context.settings.public_url, row.language);
                        locked.tell(&context, txn, &Notice::Evaluation { link, days }, row, now).await?;
                    }
                    let expires_at =
                        now.checked_add_signed(Duration::days(i64::from(days))).ok_or(AppError::Internal)?;
                    evaluations::issue(txn, offering, hashes, expires_at).await?;
                    Ok(seated.len())
                })
            })
            .await?;
    }
    Ok(issued)
}

/// Adds an ended offering's registrations to its format's month in the reports.
async fn count_participation(
    txn: &WriteTxn<'_>,
    locked: &Locked,
    registrations: &[Registration],
) -> Result<(), AppError> {
    let people: Vec<Participant> = registrations
        .iter()
        .map(|row| Participant {
            standing: match row.status {
                Status::Confirmed => Standing::Confirmed,
                Status::Waitlisted => Standing::Waitlisted,
                Status::Cancelled => Standing::Cancelled,
            },
            language: row.language,
            career_stage: row.career_stage,
            province: row.province,
        })
        .collect();
    let held_on = locked.held_on().ok_or(AppError::Internal)?;
    let key = ReportKey {
        format_id: locked.format_id().unwrap_or(COHORT_FORMAT),
        month: held_on.format("%Y-%m").to_string(),
    };
    let counts = participation_counts(locked.seats().capacity, &people);
    reports::add_tallies(txn, locked.facilitator_id(), &key, &counts).await?;
    Ok(())
}

/// What an evaluation link opens, while it works: an offering's evaluation, or a wave of a
/// round's survey (the same page asks both).
pub async fn open(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<EvaluationView, AppError> {
    let token_hash = digest(token);
    match evaluations::ballot(&state.db, &token_hash, now).await? {
        Some(offering) => describe(state, offering).await,
        None => surveys::open(state, &token_hash, now).await?.ok_or(AppError::InvalidLink),
    }
}

async fn describe(state: &AppState, offering: Offering) -> Result<EvaluationView, AppError> {
    match offering {
        Offering::Session(id) => {
            let entry = super::db::sessions::calendar_entry(&state.db, id).await?;
            let session = entry.summary;
            let untitled = session.title.pick(crate::i18n::Locale::En).0.is_empty();
            Ok(EvaluationView {
                title: if untitled { session.format_name } else { session.title },
                occasion: Occasion::Held(session.starts_at),
                questions: evaluations::current_questions(state.db.conn(), Some(entry.format_id)).await?,
            })
        }
        Offering::Intake(id) => {
            let cohort = super::db::cohorts::cohort(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let meetings = super::db::cohorts::meetings(state.db.conn(), id).await?;
            Ok(EvaluationView {
                title: Bilingual::both(&cohort.title_en, &cohort.title_fr),
                occasion: Occasion::Held(meetings.last().ok_or(AppError::Internal)?.starts_at),
                questions: default_questions(),
            })
        }
    }
}

/// Stores the answers given through an evaluation (or survey) link and uses the link up, in
/// one unit: the ballot goes exactly when the response is stored.
pub async fn answer(
    state: &AppState,
    token: &str,
    form: &EvaluationForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let form = form.clone();
    let token_hash = digest(token);
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let Some(offering) = evaluations::take_ballot(txn, &token_hash, now).await? else {
                    return match surveys::answer_in(txn, &token_hash, &form, now).await? {
                        true => Ok(()),
                        false => Err(AppError::InvalidLink),
                    };
                };
                let locked = Locked::lock(txn, offering).await?;
                // Checked against the questions asked; refused, the unit rolls back and the
                // ballot stays usable.
                let questions = evaluations::current_questions(txn.conn(), locked.format_id()).await?;
                let answers = form.check(&questions).map_err(AppError::Form)?;
                let held_on = locked.held_on().ok_or(AppError::Internal)?;
                evaluations::store_response(
                    txn,
                    offering,
                    locked.format_id(),
                    held_on,
                    &answers,
                    random_token(),
                )
                .await?;
                Ok(())
            })
        })
        .await
}

/// A format's evaluation questions, as the coordinator's form shows them.
pub async fn question_set(
    state: &AppState,
    caller: &Caller,
    format_id: i32,
) -> Result<QuestionSetView, AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    let format = super::db::sessions::all_formats(&state.db)
        .await?
        .into_iter()
        .find(|row| row.id == format_id)
        .ok_or(AppError::NotFound)?;
    let questions = evaluations::current_questions(state.db.conn(), Some(format_id)).await?;
    Ok(QuestionSetView {
        format: Bilingual::both(format.name_en, format.name_fr),
        form: QuestionSetForm::of(&questions),
    })
}

/// Saves a new revision of a format's evaluation questions (coordinators only); the next
/// evaluation links of its sessions ask them.
pub async fn save_question_set(
    state: &AppState,
    caller: &Caller,
    format_id: i32,
    form: &QuestionSetForm,
) -> Result<(), AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    let known = super::db::sessions::all_formats(&state.db).await?.iter().any(|row| row.id == format_id);
    if !known {
        return Err(AppError::NotFound);
    }
    form.check(1).map_err(AppError::Form)?;
    let form = form.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let revision = evaluations::next_revision(txn, format_id).await?;
                let questions = form.check(revision).map_err(AppError::Form)?;
                evaluations::save_questions(txn, format_id, revision, &questions).await?;
                Ok(())
            })
        })
        .await
}
