//! Application rounds: opening a round and its groups, applying and withdrawing, the draw,
//! closing, and deleting applicants' details when the retention time has passed. Every
//! change to a round's applications runs after locking the round, so the draw sees exactly
//! the applications made before it, and every email is written to the outbox in the same
//! transaction as the change that causes it.

use super::db::WriteTxn;
use super::db::outbox;
use super::db::rounds::{self, Application, Placement, Round, RoundGroup, lock_round};
use super::db::surveys::{self, Survey};
use super::links::{Purpose, random_token};
use super::notices::{ApplicationNotice, application_email};
use super::state::AppState;
use crate::domain::access::Caller;
use crate::domain::application_round::{
    ApplicationForm, GroupForm, Offer, RoundForm, RoundStatus, accepts_applications, may_draw,
    parse_preference, purge_at, purge_due,
};
use crate::domain::draw::{self, Applicant, Group, PublishedDraw, Replacement, Setting};
use crate::domain::survey::addresses_needed_until;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    Acknowledged, ApplicantEntry, ApplicationStage, ApplicationView, Bilingual, FacilitatedGroup, GroupInfo,
    RoundAdmin, RoundSummary,
};
use chrono::{DateTime, Utc};

fn coordinator(caller: &Caller) -> Result<(), AppError> {
    if caller.administers() { Ok(()) } else { Err(AppError::Forbidden) }
}

fn group_info(row: &RoundGroup) -> GroupInfo {
    GroupInfo {
        id: row.id,
        name: Bilingual::both(&row.name_en, &row.name_fr),
        district: match row.setting.clone() {
            Setting::InPerson { district } => Some(district),
            Setting::Virtual => None,
        },
        seats: row.seats.max(0) as u32,
        member_count: row.member_count.max(0) as u32,
    }
}

fn offer_of(round: &Round, groups: &[RoundGroup]) -> Offer {
    let mut districts: Vec<String> = Vec::new();
    for group in groups {
        if let Setting::InPerson { district } = group.setting.clone()
            && !districts.contains(&district)
        {
            districts.push(district);
        }
    }
    Offer {
        districts,
        has_virtual: groups.iter().any(|group| group.setting == Setting::Virtual),
        allow_either: round.allow_either,
    }
}

fn summary(round: &Round, groups: &[RoundGroup], now: DateTime<Utc>) -> RoundSummary {
    let status = round.status;
    RoundSummary {
        id: round.id,
        title: Bilingual::both(&round.title_en, &round.title_fr),
        description: Bilingual::both(&round.description_en, &round.description_fr),
        deadline: round.deadline,
        status,
        accepting: accepts_applications(status, round.deadline, now) && !groups.is_empty(),
        offer: offer_of(round, groups),
        groups: groups.iter().map(group_info).collect(),
        applicant_count: round.applicant_count.max(0) as u32,
        published: round.draw_record.is_some(),
    }
}

/// The round, locked for the rest of the transaction, if `at_stage` holds for its status and
/// deadline; `refusal` otherwise.
async fn locked_at_stage(
    txn: &WriteTxn<'_>,
    round_id: i32,
    at_stage: impl FnOnce(RoundStatus, DateTime<Utc>) -> bool,
    refusal: AppError,
) -> Result<Round, AppError> {
    let round = lock_round(txn, round_id).await?.ok_or(AppError::NotFound)?;
    if at_stage(round.status, round.deadline) { Ok(round) } else { Err(refusal) }
}

/// The rounds the public calendar lists, newest deadline first.
pub async fn list(state: &AppState, now: DateTime<Utc>) -> Result<Vec<RoundSummary>, AppError> {
    let mut groups = rounds::all_groups(&state.db).await?;
    Ok(rounds::list(&state.db)
        .await?
        .iter()
        .map(|round| {
            let (own, others) = groups.drain(..).partition(|group| group.round_id == round.id);
            groups = others;
            summary(round, &own, now)
        })
        .collect())
}

pub async fn list_for_coordinator(
    state: &AppState,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Vec<RoundSummary>, AppError> {
    coordinator(caller)?;
    list(state, now).await
}

pub async fn public(state: &AppState, id: i32, now: DateTime<Utc>) -> Result<RoundSummary, AppError> {
    let round = rounds::round(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let groups = rounds::groups(&state.db, id).await?;
    Ok(summary(&round, &groups, now))
}

/// The published draw of a round: its seed, inputs and result, for anyone to re-run.
pub async fn published_draw(state: &AppState, id: i32) -> Result<PublishedDraw, AppError> {
    let round = rounds::round(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let record = round.draw_record.ok_or(AppError::NotFound)?;
    serde_json::from_str(&record).map_err(|error| {
        tracing::error!(%error, round = id, "unreadable draw record");
        AppError::Internal
    })
}

pub async fn open_round(
    state: &AppState,
    caller: &Caller,
    form: &RoundForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    coordinator(caller)?;
    let round = form.check(now).map_err(AppError::Form)?;
    let row = state
        .db
        .write(move |txn| {
            Box::pin(async move { Ok::<_, AppError>(rounds::insert_round(txn, &round, now).await?) })
        })
        .await?;
    Ok(row.id)
}

/// Groups can change only while applications are taken: the form offers what they are.
pub async fn add_group(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    form: &GroupForm,
) -> Result<(), AppError> {
    coordinator(caller)?;
    let group = form.check().map_err(AppError::Form)?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                locked_at_stage(txn, round_id, |status, _| status == RoundStatus::Open, AppError::WrongStage)
                    .await?;
                rounds::insert_group(txn, round_id, &group).await?;
                Ok(())
            })
        })
        .await
}

pub async fn remove_group(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    group_id: i32,
) -> Result<(), AppError> {
    coordinator(caller)?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let round = locked_at_stage(
                    txn,
                    round_id,
                    |status, _| status == RoundStatus::Open,
                    AppError::WrongStage,
                )
                .await?;
                let groups = rounds::groups_of(txn.conn(), round_id).await?;
                let remaining: Vec<RoundGroup> =
                    groups.into_iter().filter(|group| group.id != group_id).collect();
                // Nobody who applied may be left without a group they could be drawn for.
                let offer = offer_of(&round, &remaining);
                let stranded =
                    rounds::applications_of(txn.conn(), round_id).await?.iter().any(|application| {
                        parse_preference(&application.preference)
                            .is_none_or(|preference| !offer.can_place(&application.district, preference))
                    });
                if stranded {
                    return Err(AppError::WrongStage);
                }
                if rounds::delete_group(txn, round_id, group_id).await? {
                    Ok(())
                } else {
                    Err(AppError::NotFound)
                }
            })
        })
        .await
}

pub async fn assign_facilitator(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    group_id: i32,
    account_id: Option<i32>,
) -> Result<(), AppError> {
    coordinator(caller)?;
    if let Some(account_id) = account_id {
        let account = super::db::accounts::by_id(&state.db, account_id).await?.ok_or(AppError::NotFound)?;
        if !account.active {
            return Err(AppError::NotFound);
        }
    }
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                if rounds::set_group_facilitator(txn, round_id, group_id, account_id).await? {
                    Ok(())
                } else {
                    Err(AppError::NotFound)
                }
            })
        })
        .await
}

/// The private path of an application, in `locale`: `/fr/applications/{token}`.
pub fn application_path(state: &AppState, application: &Application, locale: Locale) -> String {
    let token = state.links.sign(Purpose::Application, application.id, &application.token_nonce);
    format!("/{locale}/applications/{token}")
}

async fn notify(
    state: &AppState,
    txn: &WriteTxn<'_>,
    notice: ApplicationNotice,
    round: &Round,
    application: &Application,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let locale = application.language;
    let manage_url = format!("{}{}", state.settings.public_url, application_path(state, application, locale));
    let email = application_email(&notice, round, application, &manage_url, &state.settings);
    outbox::enqueue(txn, email, now).await?;
    Ok(())
}

/// Takes an application until the deadline. An address that already applied keeps its
/// application and is sent its acknowledgement again; the answer is the same either way.
pub async fn apply(
    state: &AppState,
    round_id: i32,
    form: &ApplicationForm,
    page_locale: Locale,
    now: DateTime<Utc>,
) -> Result<Acknowledged, AppError> {
    let (context, form) = (state.clone(), form.clone());
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let round = lock_round(txn, round_id).await?.ok_or(AppError::NotFound)?;
                let groups = rounds::groups_of(txn.conn(), round_id).await?;
                if !accepts_applications(round.status, round.deadline, now) || groups.is_empty() {
                    return Err(AppError::ApplicationsClosed);
                }
                let person = form.check(&offer_of(&round, &groups)).map_err(AppError::Form)?;
                let application =
                    match rounds::insert_application(txn, round_id, &person, random_token(), now).await? {
                        Some(row) => row,
                        None => rounds::application_by_email(txn, round_id, &person.email_key)
                            .await?
                            .ok_or(AppError::Internal)?,
                    };
                notify(&context, txn, ApplicationNotice::Received, &round, &application, now).await
            })
        })
        .await?;
    Ok(Acknowledged { next_path: format!("/{page_locale}/rounds/{round_id}?applied=1") })
}

async fn open_link(state: &AppState, token: &str) -> Result<Application, AppError> {
    let (id, nonce) = state.links.verify(Purpose::Application, token).ok_or(AppError::InvalidLink)?;
    rounds::application(&state.db, id)
        .await?
        .filter(|row| row.token_nonce == nonce)
        .ok_or(AppError::InvalidLink)
}

/// What the applicant's private link shows.
pub async fn view(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<ApplicationView, AppError> {
    let row = open_link(state, token).await?;
    let round = public(state, row.round_id, now).await?;
    let stage = match (row.group_id, row.waitlist_position) {
        (Some(group_id), _) => ApplicationStage::Selected {
            group: round
                .groups
                .iter()
                .find(|group| group.id == group_id)
                .map(|group| group.name.clone())
                .unwrap_or_default(),
        },
        (None, Some(position)) => ApplicationStage::Waitlisted { position: position.max(1) as u32 },
        (None, None) => ApplicationStage::Received,
    };
    Ok(ApplicationView {
        number: row.id,
        name: row.name,
        preference: row.preference,
        // After the draw, a member or someone waiting may still step back until the round
        // is closed.
        may_withdraw: round.accepting
            || (round.status == RoundStatus::Drawn
                && (row.group_id.is_some() || row.waitlist_position.is_some())),
        round,
        stage,
    })
}

/// Withdraws an application; it is deleted. Before the deadline that is all. After the draw
/// (until the round is closed, when the groups are under way), a member's place goes to the
/// first applicant of the waitlist, in draw order, whom the group admits, who is emailed; the
/// published draw records the change by application number. Leaving the waitlist moves
/// everyone behind up one place.
pub async fn withdraw(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<i32, AppError> {
    let linked = open_link(state, token).await?;
    let context = state.clone();
    let round_id = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let round = lock_round(txn, linked.round_id).await?.ok_or(AppError::NotFound)?;
                let status = round.status;
                let drawn = status == RoundStatus::Drawn;
                if !drawn && !accepts_applications(status, round.deadline, now) {
                    return Err(AppError::ApplicationsClosed);
                }
                let row = rounds::application_in(txn, linked.id).await?.ok_or(AppError::InvalidLink)?;
                notify(&context, txn, ApplicationNotice::Withdrawn, &round, &row, now).await?;
                rounds::delete_application(txn, row.id).await?;
                if drawn {
                    match (row.group_id, row.waitlist_position) {
                        (Some(group_id), _) => {
                            give_place_away(&context, txn, &round, group_id, row.id, now).await?
                        }
                        (None, Some(position)) => rounds::close_waitlist_gap(txn, round.id, position).await?,
                        (None, None) => {}
                    }
                }
                Ok::<_, AppError>(round.id)
            })
        })
        .await?;
    Ok(round_id)
}

/// Gives the place `left` held in a group to the next in line ([`PublishedDraw::next_in_line`])
/// and records the change in the published draw.
async fn give_place_away(
    state: &AppState,
    txn: &WriteTxn<'_>,
    round: &Round,
    group_id: i32,
    left: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut published: PublishedDraw =
        serde_json::from_str(round.draw_record.as_deref().ok_or(AppError::Internal)?).map_err(|error| {
            tracing::error!(%error, round = round.id, "unreadable draw record");
            AppError::Internal
        })?;
    rounds::change_member_count(txn, group_id, -1).await?;
    let waiting = rounds::waiting(txn, round.id).await?;
    let still_waiting: Vec<u64> = waiting.iter().filter_map(|row| u64::try_from(row.id).ok()).collect();
    let next = published.next_in_line(group_id as u64, &still_waiting);
    let promoted = next.and_then(|id| waiting.iter().find(|row| u64::try_from(row.id).ok() == Some(id)));
    if let Some(person) = promoted {
        rounds::take_place(txn, person.id, group_id).await?;
        if let Some(position) = person.waitlist_position {
            rounds::close_waitlist_gap(txn, round.id, position).await?;
        }
        let group = rounds::groups_of(txn.conn(), round.id)
            .await?
            .into_iter()
            .find(|group| group.id == group_id)
            .ok_or(AppError::Internal)?;
        let notice =
            ApplicationNotice::PlaceOpened { group: Bilingual::both(&group.name_en, &group.name_fr) };
        notify(state, txn, notice, round, person, now).await?;
    }
    published.replacements.push(Replacement {
        group: group_id as u64,
        left: left as u64,
        promoted: promoted.map(|person| person.id as u64),
    });
    let record = serde_json::to_string(&published).map_err(|_| AppError::Internal)?;
    rounds::save_draw_record(txn, round.id, record, now).await?;
    Ok(())
}

/// Stops taking applications now rather than at the deadline set; the draw may then run.
pub async fn end_applications(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    coordinator(caller)?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let accepting = |status, deadline| accepts_applications(status, deadline, now);
                locked_at_stage(txn, round_id, accepting, AppError::WrongStage).await?;
                rounds::set_deadline(txn, round_id, now, now).await?;
                Ok(())
            })
        })
        .await
}

/// Runs the draw once the deadline has passed, with a fresh random seed, records and
/// publishes it, and tells every applicant the outcome in their language.
pub async fn run_draw(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    coordinator(caller)?;
    let seed = rand::random::<u64>();
    let context = state.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let due = |status, deadline| may_draw(status, deadline, now);
                let round = locked_at_stage(txn, round_id, due, AppError::WrongStage).await?;
                let group_rows = rounds::groups_of(txn.conn(), round_id).await?;
                let applications = rounds::applications_of(txn.conn(), round_id).await?;
                let published = publish(seed, &group_rows, &applications).map_err(|error| {
                    tracing::error!(%error, round = round_id, "the draw refused its inputs");
                    AppError::Internal
                })?;
                let mut placements = Vec::new();
                for (group_id, members) in &published.result.groups {
                    placements
                        .extend(members.iter().map(|&id| (id as i32, Placement::Group(*group_id as i32))));
                }
                for (index, &id) in published.result.waitlist.iter().enumerate() {
                    placements.push((id as i32, Placement::Waitlist(index as i32 + 1)));
                }
                let record = serde_json::to_string(&published).map_err(|_| AppError::Internal)?;
                let round = rounds::record_draw(txn, round.id, record, &placements, now).await?;
                for application in &applications {
                    let notice =
                        match placements.iter().find(|(id, _)| *id == application.id).map(|(_, p)| *p) {
                            Some(Placement::Group(group_id)) => {
                                let group = group_rows
                                    .iter()
                                    .find(|group| group.id == group_id)
                                    .ok_or(AppError::Internal)?;
                                ApplicationNotice::Selected {
                                    group: Bilingual::both(&group.name_en, &group.name_fr),
                                    seed: published.seed.clone(),
                                }
                            }
                            Some(Placement::Waitlist(position)) => ApplicationNotice::Waitlisted {
                                position: position as u32,
                                seed: published.seed.clone(),
                            },
                            None => return Err(AppError::Internal),
                        };
                    notify(&context, txn, notice, &round, application, now).await?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(())
}

/// The draw's inputs as the domain takes them, and its result, ready to publish.
pub fn publish(
    seed: u64,
    groups: &[RoundGroup],
    applications: &[Application],
) -> Result<PublishedDraw, draw::DrawError> {
    let groups: Vec<Group> = groups
        .iter()
        .map(|row| Group { id: row.id as u64, setting: row.setting.clone(), seats: row.seats.max(0) as u32 })
        .collect();
    let applicants: Vec<Applicant> = applications
        .iter()
        .filter_map(|row| {
            Some(Applicant {
                id: row.id as u64,
                district: row.district.clone(),
                preference: parse_preference(&row.preference)?,
            })
        })
        .collect();
    let result = draw::draw(seed, &groups, &applicants)?;
    Ok(PublishedDraw { seed: draw::seed_to_hex(seed), groups, applicants, result, replacements: Vec::new() })
}

/// Closes a drawn round: the groups are under way, and the retention time starts.
pub async fn close(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    coordinator(caller)?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let drawn = |status, _| status == RoundStatus::Drawn;
                let round = locked_at_stage(txn, round_id, drawn, AppError::WrongStage).await?;
                rounds::close(txn, round.id, now).await?;
                Ok(())
            })
        })
        .await
}

/// Until when a round's survey needs its members' addresses, if it has one.
fn survey_needs_addresses(state: &AppState, round: &Round, survey: Option<&Survey>) -> Option<DateTime<Utc>> {
    let survey = survey?;
    addresses_needed_until(
        &survey.follow_up_months,
        round.drawn_at,
        round.closed_at,
        state.settings.evaluation_days,
    )
}

/// Deletes the applications of every round whose retention time has passed, closed or not,
/// unless its survey still needs the members' addresses ([`purge_due`]); the round's answers
/// that never reached a batch go with them. Returns how many applications were deleted.
pub async fn purge_expired(state: &AppState, now: DateTime<Utc>) -> Result<u64, AppError> {
    let mut deleted = 0;
    for round in rounds::unpurged(&state.db).await? {
        let survey = surveys::survey(state.db.conn(), round.id).await?;
        let needed_until = survey_needs_addresses(state, &round, survey.as_ref());
        if !purge_due(round.deadline, round.drawn_at, round.retention_days.max(0) as u32, needed_until, now) {
            continue;
        }
        let round_id = round.id;
        deleted += state
            .db
            .write(move |txn| {
                Box::pin(async move {
                    // Decided again on the locked row: a draw may have run since the list was read.
                    let round = lock_round(txn, round_id).await?.ok_or(AppError::NotFound)?;
                    let retention_days = round.retention_days.max(0) as u32;
                    if round.purged_at.is_some()
                        || !purge_due(round.deadline, round.drawn_at, retention_days, needed_until, now)
                    {
                        return Ok(0);
                    }
                    surveys::drop_unreleased(txn, round_id).await?;
                    Ok::<_, AppError>(rounds::purge_applications(txn, round_id, now).await?)
                })
            })
            .await?;
    }
    Ok(deleted)
}

fn entry(row: Application) -> ApplicantEntry {
    ApplicantEntry {
        number: row.id,
        name: row.name,
        specialty: row.specialty,
        city: row.city,
        district: row.district,
        email: row.email,
        phone: row.phone,
        preference: row.preference,
        motivation: row.motivation,
        benefit: row.benefit,
        group_id: row.group_id,
        waitlist_position: row.waitlist_position.map(|position| position.max(1) as u32),
    }
}

/// The coordinator's view of a round: every application, and the groups with their members.
pub async fn admin(
    state: &AppState,
    caller: &Caller,
    round_id: i32,
    now: DateTime<Utc>,
) -> Result<RoundAdmin, AppError> {
    coordinator(caller)?;
    let round = rounds::round(&state.db, round_id).await?.ok_or(AppError::NotFound)?;
    let groups = rounds::groups(&state.db, round_id).await?;
    let applications = rounds::applications(&state.db, round_id).await?;
    let survey = surveys::survey(state.db.conn(), round_id).await?;
    let needed_until = survey_needs_addresses(state, &round, survey.as_ref());
    let purge_at = purge_at(round.deadline, round.drawn_at, round.retention_days.max(0) as u32, needed_until);
    Ok(RoundAdmin {
        summary: summary(&round, &groups, now),
        may_draw: may_draw(round.status, round.deadline, now),
        retention_days: round.retention_days.max(0) as u32,
        purge_at,
        purged: round.purged_at.is_some(),
        facilitators: groups.iter().map(|group| (group.id, group.facilitator_account_id)).collect(),
        pending_count: applications.len() as u32,
        applicants: applications.into_iter().map(entry).collect(),
    })
}

/// The groups the caller facilitates, each with its members' details.
pub async fn my_groups(
    state: &AppState,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Vec<FacilitatedGroup>, AppError> {
    let mut mine = Vec::new();
    for group in rounds::groups_facilitated_by(&state.db, caller.account_id).await? {
        if !caller.sees_members_of_group(group.facilitator_account_id) {
            continue;
        }
        let round = public(state, group.round_id, now).await?;
        let members = rounds::members_of(&state.db, group.id).await?.into_iter().map(entry).collect();
        mine.push(FacilitatedGroup { round, group: group_info(&group), members });
    }
    Ok(mine)
}
