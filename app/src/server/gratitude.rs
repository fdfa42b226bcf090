//! The gratitude wall: a story is shared, its address confirmed through the author's private
//! link, then approved or declined by a moderator (the author is told either way, and the
//! address is forgotten); the author withdraws it with the same link at any time; enough
//! reports take it off the wall until a moderator looks again.

use super::db::{self, WriteTxn, gratitude, outbox};
use super::links::{Purpose, digest, random_token};
use super::notices::{StoryNotice, story_email};
use super::state::AppState;
use crate::domain::access::Caller;
use crate::domain::gratitude::{
    Decision, Moderation, Story, StoryForm, WALL_PAGE_SIZE, WallPage, back_to_moderation, page_offset,
};
use crate::error::AppError;
use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};

/// How long a story waits for its author to confirm the address before it is deleted.
pub const CONFIRM_WITHIN_DAYS: i64 = 7;

/// Stores a story and emails its author the private link that confirms it, in `locale`.
pub async fn share(
    state: &AppState,
    locale: Locale,
    form: &StoryForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let story = form.check().map_err(AppError::Form)?;
    let token = random_token();
    let link = format!("{}/{locale}/gratitude/story/{token}", state.settings.public_url);
    let email = story_email(&StoryNotice::Confirm { link }, &story.email, locale, &state.settings);
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                gratitude::insert(txn, &story, digest(&token), now).await?;
                Ok::<_, AppError>(outbox::enqueue(txn, email, now).await?)
            })
        })
        .await
}

/// The story behind an author's private link.
pub async fn own_story(state: &AppState, token: &str) -> Result<Story, AppError> {
    gratitude::by_link(&state.db, &digest(token)).await?.ok_or(AppError::InvalidLink)
}

/// The author confirms their address: the story waits for a moderator. Confirming twice is
/// harmless.
pub async fn confirm(state: &AppState, token: &str) -> Result<(), AppError> {
    own_story(state, token).await?;
    let link_digest = digest(token);
    state
        .db
        .write(move |txn| Box::pin(async move { gratitude::confirm(txn, &link_digest).await.map(drop) }))
        .await?;
    Ok(())
}

/// The author takes their story back, wherever it stands: it is deleted.
pub async fn withdraw(state: &AppState, token: &str) -> Result<(), AppError> {
    let link_digest = digest(token);
    let withdrawn = state
        .db
        .write(move |txn| Box::pin(async move { gratitude::withdraw(txn, &link_digest).await }))
        .await?;
    if withdrawn { Ok(()) } else { Err(AppError::InvalidLink) }
}

/// A page of the wall (`page` as the address gives it), in `language` if given.
pub async fn wall(
    state: &AppState,
    language: Option<Locale>,
    page: Option<&str>,
) -> Result<WallPage, AppError> {
    let (page, offset) = page_offset(page);
    let (stories, more) = gratitude::wall(&state.db, language, offset, WALL_PAGE_SIZE).await?;
    Ok(WallPage { stories, page, more })
}

/// Coordinators moderate, and the accounts a coordinator named.
async fn moderator(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if caller.administers() || gratitude::is_named_moderator(&state.db, caller.account_id).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether the caller moderates the wall (for the workspace's menu).
pub async fn moderates(state: &AppState, caller: &Caller) -> Result<bool, AppError> {
    match moderator(state, caller).await {
        Ok(()) => Ok(true),
        Err(AppError::Forbidden) => Ok(false),
        Err(other) => Err(other),
    }
}

pub async fn moderation(state: &AppState, caller: &Caller) -> Result<Moderation, AppError> {
    moderator(state, caller).await?;
    let moderators =
        if caller.administers() { Some(gratitude::moderator_choices(&state.db).await?) } else { None };
    Ok(Moderation { waiting: gratitude::waiting(&state.db).await?, moderators })
}

/// A moderator's decision on a waiting story; its author, if the address is still known, is
/// told. `NotFound` when the story is no longer waiting (decided or withdrawn meanwhile).
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    id: i32,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    moderator(state, caller).await?;
    let settings = state.settings.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let decided = match decision {
                    Decision::Approve => gratitude::approve(txn, id, now).await?,
                    Decision::Decline(_) => gratitude::decline(txn, id).await?,
                };
                let Some((address, locale)) = decided else {
                    return Err(AppError::NotFound);
                };
                if let Some(address) = address {
                    let notice = match decision {
                        Decision::Approve => StoryNotice::Approved {
                            wall: format!("{}/{locale}/gratitude", settings.public_url),
                        },
                        Decision::Decline(reason) => StoryNotice::Declined { reason },
                    };
                    outbox::enqueue(txn, story_email(&notice, &address, locale, &settings), now).await?;
                }
                Ok(())
            })
        })
        .await
}

/// A report of a published story from `client` (a network address); the story leaves the
/// wall, and its moderators are told, when its distinct reports reach the threshold.
/// `NotFound` when it is not on the wall.
pub async fn report(state: &AppState, id: i32, client: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let reporter = state.links.pseudonym(Purpose::StoryReport, id, client);
    let threshold = state.settings.story_report_threshold;
    let settings = state.settings.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let reports = gratitude::report(txn, id, reporter).await?.ok_or(AppError::NotFound)?;
                if back_to_moderation(reports, threshold) && gratitude::back_to_moderation(txn, id).await? {
                    tell_moderators(txn, &settings, reports, now).await?;
                }
                Ok(())
            })
        })
        .await
}

async fn tell_moderators(
    txn: &WriteTxn<'_>,
    settings: &super::state::Settings,
    reports: u64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (address, locale) in gratitude::moderators(txn).await? {
        let queue = format!("{}/{locale}/workspace/gratitude", settings.public_url);
        let notice = StoryNotice::Reported { reports, queue };
        outbox::enqueue(txn, story_email(&notice, &address, locale, settings), now).await?;
    }
    Ok(())
}

/// A coordinator names which facilitators' accounts moderate: those in `named`, no other.
pub async fn set_moderators(state: &AppState, caller: &Caller, named: Vec<i32>) -> Result<(), AppError> {
    if !caller.administers() {
        return Err(AppError::Forbidden);
    }
    let choices = gratitude::moderator_choices(&state.db).await?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                for choice in choices {
                    gratitude::set_moderator(txn, choice.account_id, named.contains(&choice.account_id))
                        .await?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await
}

/// Deletes stories whose author never confirmed the address.
pub async fn purge_unconfirmed(db: &db::Db, now: DateTime<Utc>) -> Result<u64, AppError> {
    let cutoff = now - Duration::days(CONFIRM_WITHIN_DAYS);
    Ok(db.write(move |txn| Box::pin(async move { gratitude::purge_unconfirmed(txn, cutoff).await })).await?)
}
