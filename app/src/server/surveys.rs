//! Surveys of application-round members. Once a round is drawn, each member placed in a group
//! is emailed a single-use link for the baseline, and for each follow-up when its months have
//! passed since the groups' start. The link opens the evaluation page; answering records that
//! the member completed the wave and stores the answers apart, unreleased, until a batch of at
//! least [`MIN_GROUP`] of the wave can be released together (ARCHITECTURE.md, "Round surveys").

use super::db::rounds::{self, Application, Round, lock_round};
use super::db::surveys::{self, Invitation, Survey};
use super::db::{WriteTxn, outbox};
use super::links::{digest, random_token};
use super::notices::{ApplicationNotice, application_email};
use super::rounds::application_path;
use super::state::AppState;
use crate::domain::access::Caller;
use crate::domain::application_round::RoundStatus;
use crate::domain::evaluation::EvaluationForm;
use crate::domain::report::{MIN_GROUP, evaluation_row};
use crate::domain::survey::{DEFAULT_FOLLOW_UPS, SurveyForm, default_survey_questions, due_waves, waves};
use crate::error::AppError;
use crate::model::{Bilingual, EvaluationView, Occasion, SurveyAdmin, SurveyMember, WaveStatus};
use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;

/// Asks every member the waves that are due and they were not asked yet, then releases the
/// batches of answers that are large enough. Returns how many links went out.
pub async fn send_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut sent = 0;
    for (round_id, survey) in surveys::surveys(&state.db).await? {
        let Some(round) = rounds::round(&state.db, round_id).await? else { continue };
        if round.status == RoundStatus::Open || round.purged_at.is_some() {
            continue;
        }
        if due_waves(&survey.follow_up_months, round.drawn_at, round.closed_at, now).is_empty() {
            continue;
        }
        let context = state.clone();
        sent += state
            .db
            .write(move |txn| {
                Box::pin(async move { ask_due_waves(&context, txn, round_id, &survey, now).await })
            })
            .await?;
    }
    release_batches(state).await?;
    Ok(sent)
}

async fn ask_due_waves(
    state: &AppState,
    txn: &WriteTxn<'_>,
    round_id: i32,
    survey: &Survey,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    // Decided on the locked round: a purge or a withdrawal may have run since it was read.
    let round = lock_round(txn, round_id).await?.ok_or(AppError::NotFound)?;
    if round.purged_at.is_some() {
        return Ok(0);
    }
    let due = due_waves(&survey.follow_up_months, round.drawn_at, round.closed_at, now);
    let asked = surveys::invitations(txn.conn(), round_id, now).await?;
    let members: Vec<Application> = rounds::applications_of(txn.conn(), round_id)
        .await?
        .into_iter()
        .filter(|application| application.group_id.is_some())
        .collect();
    let days = state.settings.evaluation_days;
    let expires_at = now.checked_add_signed(Duration::days(i64::from(days))).ok_or(AppError::Internal)?;
    let mut sent = 0;
    for member in &members {
        for &wave in &due {
            if asked
                .iter()
                .any(|invitation| invitation.application_id == member.id && invitation.wave == wave)
            {
                continue;
            }
            let token = random_token();
            surveys::invite(txn, round_id, member.id, wave, digest(&token), expires_at).await?;
            let link = format!("{}/{}/evaluations/{token}", state.settings.public_url, member.language);
            let manage_url =
                format!("{}{}", state.settings.public_url, application_path(state, member, member.language));
            let notice = ApplicationNotice::Survey { link, days, wave };
            let email = application_email(&notice, &round, member, &manage_url, &state.settings);
            // The link must not outlive its delivery: the outbox forgets the message once sent.
            outbox::enqueue_forgotten_when_sent(txn, email, now).await?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// Releases, for each round's wave with at least [`MIN_GROUP`] answers waiting, all of them
/// at once under new keys in shuffled order. A smaller remainder waits for more.
pub async fn release_batches(state: &AppState) -> Result<u32, AppError> {
    let mut released = 0;
    for (round_id, wave, waiting) in surveys::waiting(&state.db).await? {
        if waiting < MIN_GROUP {
            continue;
        }
        released += state
            .db
            .write(move |txn| {
                Box::pin(async move {
                    let shuffle = |answers: &mut Vec<String>| answers.shuffle(&mut rand::rng());
                    Ok::<_, AppError>(surveys::release(txn, round_id, wave, shuffle, random_token).await?)
                })
            })
            .await?;
    }
    if released > 0 {
        surveys::vacuum_responses(&state.db).await?;
    }
    Ok(released)
}

/// What a survey link opens, while it works.
pub async fn open(
    state: &AppState,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<EvaluationView>, AppError> {
    let Some((round_id, wave)) = surveys::invitation(&state.db, token_hash, now).await? else {
        return Ok(None);
    };
    let round = rounds::round(&state.db, round_id).await?.ok_or(AppError::NotFound)?;
    let survey = surveys::survey(state.db.conn(), round_id).await?.ok_or(AppError::NotFound)?;
    Ok(Some(EvaluationView {
        title: Bilingual::both(&round.title_en, &round.title_fr),
        occasion: Occasion::SurveyWave(wave),
        questions: survey.questions,
    }))
}

/// Answers through a survey link, inside the caller's unit: the member's wave is completed and
/// the answers stored, unreleased. `Ok(false)` when the token is no survey link.
pub async fn answer_in(
    txn: &WriteTxn<'_>,
    token_hash: &str,
    form: &EvaluationForm,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some((round_id, wave)) = surveys::complete(txn, token_hash, now).await? else { return Ok(false) };
    let survey = surveys::survey(txn.conn(), round_id).await?.ok_or(AppError::InvalidLink)?;
    let answers = form.check(&survey.questions).map_err(AppError::Form)?;
    surveys::store_response(txn, round_id, wave, &answers, random_token()).await?;
    Ok(true)
}

fn coordinator(caller: &Caller) -> Result<(), AppError> {
    if caller.administers() { Ok(()) } else { Err(AppError::Forbidden) }
}

fn wave_status(invitation: Option<&Invitation>) -> WaveStatus {
    match invitation {
        None => WaveStatus::NotYet,
        Some(invitation) if invitation.completed => WaveStatus::Completed,
        Some(invitation) if invitation.open => WaveStatus::Asked,
        Some(_) => WaveStatus::Missed,
    }
}

/// The coordinator's page of a round's survey: who completed what, and the answers released,
/// in aggregate only.
pub async fn admin(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    now: DateTime<Utc>,
) -> Result<SurveyAdmin, AppError> {
    coordinator(caller)?;
    let round = rounds::round(&state.db, round_id).await?.ok_or(AppError::NotFound)?;
    let survey = surveys::survey(state.db.conn(), round_id).await?;
    let (form, follow_ups, questions) = match &survey {
        Some(survey) => (
            SurveyForm::of(&survey.follow_up_months, &survey.questions),
            survey.follow_up_months.clone(),
            survey.questions.clone(),
        ),
        None => (SurveyForm::of(&DEFAULT_FOLLOW_UPS, &default_survey_questions()), Vec::new(), Vec::new()),
    };
    let waves = waves(&follow_ups);
    let groups = rounds::groups(&state.db, round_id).await?;
    let invitations = surveys::invitations(state.db.conn(), round_id, now).await?;
    let members = rounds::applications(&state.db, round_id)
        .await?
        .into_iter()
        .filter_map(|member| {
            let group = groups.iter().find(|group| Some(group.id) == member.group_id)?;
            Some(SurveyMember {
                number: member.id,
                name: member.name,
                group: Bilingual::both(&group.name_en, &group.name_fr),
                waves: waves
                    .iter()
                    .map(|&wave| {
                        wave_status(
                            invitations.iter().find(|i| i.application_id == member.id && i.wave == wave),
                        )
                    })
                    .collect(),
            })
        })
        .collect();
    let answers = surveys::responses(&state.db, round_id).await?;
    let results = waves
        .iter()
        .map(|&wave| {
            let given: Vec<_> =
                answers.iter().filter(|(of, _)| *of == wave).map(|(_, answers)| answers.clone()).collect();
            (wave, evaluation_row(round_id, "", &questions, &given, true))
        })
        .collect();
    Ok(SurveyAdmin {
        round_id,
        title: title_of(&round),
        form,
        configured: survey.is_some(),
        waves,
        members,
        results,
    })
}

fn title_of(round: &Round) -> Bilingual {
    Bilingual::both(&round.title_en, &round.title_fr)
}

/// Sets a round's survey (coordinators only): its follow-up months and questions. The next
/// links ask the questions saved.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    form: &SurveyForm,
) -> Result<(), AppError> {
    coordinator(caller)?;
    form.check(1).map_err(AppError::Form)?;
    let form = form.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                lock_round(txn, round_id).await?.ok_or(AppError::NotFound)?;
                let revision = surveys::survey(txn.conn(), round_id)
                    .await?
                    .map_or(1, |survey| survey.revision.saturating_add(1));
                let survey = form.check(revision).map_err(AppError::Form)?;
                surveys::save(txn, round_id, revision, &survey).await?;
                Ok(())
            })
        })
        .await
}
