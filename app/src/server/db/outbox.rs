//! The durable outbox: every email is first written here, in the same transaction as the
//! change that causes it. A sender takes due messages, and marks each sent only after the SMTP
//! server accepted it, so an outage or a restart delays mail but loses none.

use super::entity::outbox;
use super::{Db, DbError, WriteTxn, records};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

record! {
    /// An email in the outbox, as a sender delivers it.
    pub struct OutgoingEmail from outbox::Model {
        pub id: i32,
        pub session_id: Option<i32>,
        pub recipient: String,
        pub subject: String,
        pub body: String,
        pub ics: Option<String>,
        pub ics_method: Option<String>,
        /// Kept across retries, so a mail client can recognise a message delivered twice.
        pub message_id: String,
        pub attempts: i32,
        pub last_error: Option<String>,
        pub send_after: DateTime<Utc>,
    }
}

/// A calendar file travelling with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarAttachment {
    pub content: String,
    /// `PUBLISH` for an invitation or update, `CANCEL` for a cancellation.
    pub method: &'static str,
}

/// An email ready to send, composed in its recipient's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEmail {
    pub session_id: Option<i32>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub calendar: Option<CalendarAttachment>,
    pub message_id: String,
}

/// Puts `email` in the outbox with the unit's other writes; the sender is woken once the unit
/// commits, so the email goes if and only if what it announces happened.
pub async fn enqueue(txn: &WriteTxn<'_>, email: NewEmail, now: DateTime<Utc>) -> Result<(), DbError> {
    put(txn, email, false, now).await
}

/// Like [`enqueue`], for a message whose link must not outlive its delivery (an anonymous
/// evaluation's ballot): once sent, it is deleted rather than kept.
pub async fn enqueue_forgotten_when_sent(
    txn: &WriteTxn<'_>,
    email: NewEmail,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    put(txn, email, true, now).await
}

async fn put(
    txn: &WriteTxn<'_>,
    email: NewEmail,
    forget_when_sent: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let (ics, ics_method) = match email.calendar {
        Some(file) => (Some(file.content), Some(file.method.to_string())),
        None => (None, None),
    };
    outbox::ActiveModel {
        session_id: Set(email.session_id),
        recipient: Set(email.recipient),
        subject: Set(email.subject),
        body: Set(email.body),
        ics: Set(ics),
        ics_method: Set(ics_method),
        message_id: Set(email.message_id),
        attempts: Set(0),
        last_error: Set(None),
        send_after: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
        forget_when_sent: Set(forget_when_sent),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    txn.mail_queued();
    Ok(())
}

/// Takes up to `limit` due messages for this sender until `now + lease`. A message another
/// sender holds is skipped; one whose lease ran out (its sender died) is taken over.
pub async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    limit: u64,
    lease: Duration,
) -> Result<Vec<OutgoingEmail>, DbError> {
    db.write(move |txn| {
        Box::pin(async move {
            let free = || {
                Condition::any()
                    .add(outbox::Column::ClaimedUntil.is_null())
                    .add(outbox::Column::ClaimedUntil.lt(now))
            };
            let candidates = outbox::Entity::find()
                .filter(outbox::Column::SentAt.is_null())
                .filter(outbox::Column::SendAfter.lte(now))
                .filter(free())
                .order_by_asc(outbox::Column::Id)
                .limit(limit)
                .all(txn.conn())
                .await?;
            let mut claimed = Vec::with_capacity(candidates.len());
            for message in candidates {
                // The conditional update is the claim: only one sender can make it succeed.
                let taken = outbox::Entity::update_many()
                    .col_expr(outbox::Column::ClaimedUntil, Expr::value(now + lease))
                    .filter(outbox::Column::Id.eq(message.id))
                    .filter(outbox::Column::SentAt.is_null())
                    .filter(free())
                    .exec(txn.conn())
                    .await?
                    .rows_affected;
                if taken == 1 {
                    claimed.push(message.into());
                }
            }
            Ok(claimed)
        })
    })
    .await
}

/// Records that the SMTP server accepted the messages `ids`, in one write.
pub async fn mark_sent(db: &Db, ids: Vec<i32>, now: DateTime<Utc>) -> Result<(), DbError> {
    db.write(move |txn| {
        Box::pin(async move {
            outbox::Entity::delete_many()
                .filter(outbox::Column::Id.is_in(ids.iter().copied()))
                .filter(outbox::Column::ForgetWhenSent.eq(true))
                .exec(txn.conn())
                .await?;
            outbox::Entity::update_many()
                .col_expr(outbox::Column::SentAt, Expr::value(now))
                .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(outbox::Column::Id.is_in(ids))
                .exec(txn.conn())
                .await?;
            Ok(())
        })
    })
    .await
}

/// Records a failed attempt and when to try again. `error` is the kind of failure
/// ("rejected (550)"), never the server's words, which usually quote the address.
pub async fn mark_failed(
    db: &Db,
    message: &OutgoingEmail,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<(), DbError> {
    let error: String = error.chars().take(100).collect();
    let (id, attempts) = (message.id, message.attempts + 1);
    db.write(move |txn| {
        Box::pin(async move {
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Attempts, Expr::value(attempts))
                .col_expr(outbox::Column::LastError, Expr::value(error))
                .col_expr(outbox::Column::SendAfter, Expr::value(retry_at))
                .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(outbox::Column::Id.eq(id))
                .exec(txn.conn())
                .await?;
            Ok(())
        })
    })
    .await
}

/// Deletes messages sent before `cutoff` (their session's purge takes the rest).
pub async fn purge_sent_before(db: &Db, cutoff: DateTime<Utc>) -> Result<u64, DbError> {
    db.write(move |txn| {
        Box::pin(async move {
            Ok(outbox::Entity::delete_many()
                .filter(outbox::Column::SentAt.lt(cutoff))
                .exec(txn.conn())
                .await?
                .rows_affected)
        })
    })
    .await
}

/// Gives up on messages still unsent that were written before `written_before`: an address
/// that refused mail for that long will not take it, and the message holds personal data.
pub async fn purge_undelivered_before(db: &Db, written_before: DateTime<Utc>) -> Result<u64, DbError> {
    db.write(move |txn| {
        Box::pin(async move {
            Ok(outbox::Entity::delete_many()
                .filter(outbox::Column::SentAt.is_null())
                .filter(outbox::Column::CreatedAt.lt(written_before))
                .exec(txn.conn())
                .await?
                .rows_affected)
        })
    })
    .await
}

/// Every message about a session, sent or not.
pub async fn of_session(db: &Db, session_id: i32) -> Result<Vec<OutgoingEmail>, DbError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::SessionId.eq(session_id))
        .order_by_asc(outbox::Column::Id)
        .all(db.conn())
        .await
        .map(records)?)
}

/// Every message not yet sent, oldest first.
pub async fn pending(db: &Db) -> Result<Vec<OutgoingEmail>, DbError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .order_by_asc(outbox::Column::Id)
        .all(db.conn())
        .await
        .map(records)?)
}
