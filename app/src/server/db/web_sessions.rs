//! Browser sessions of signed-in facilitators and coordinators, kept in the database (so
//! every instance of the server knows them) under the digest of their id: a copy of the table
//! opens no session.

use super::entity::web_session;
use super::{Db, DbError};
use crate::server::links::digest;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }

    /// Deletes sessions that expired before `now`.
    pub async fn delete_expired(&self, now: DateTime<Utc>) -> Result<u64, DbError> {
        self.db
            .write(move |txn| {
                Box::pin(async move {
                    Ok(web_session::Entity::delete_many()
                        .filter(web_session::Column::ExpiresAt.lt(now))
                        .exec(txn.conn())
                        .await?
                        .rows_affected)
                })
            })
            .await
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

fn row(record: &Record) -> session_store::Result<web_session::ActiveModel> {
    Ok(web_session::ActiveModel {
        id_hash: Set(digest(&record.id.to_string())),
        data: Set(
            serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?
        ),
        expires_at: Set(expiry(record)),
    })
}

/// How many ids `create` draws before it gives up. Ids are 128 random bits: a second draw is
/// already beyond what will happen.
const CREATE_ATTEMPTS: usize = 4;

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    /// Stores a new session (one begins at every sign-in) under an id no other session has:
    /// an id already taken is drawn again, where `save` would overwrite the session that has it.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        for _ in 0..CREATE_ATTEMPTS {
            let row = row(record)?;
            let inserted = self
                .db
                .write(move |txn| {
                    Box::pin(async move {
                        let inserted = web_session::Entity::insert(row)
                            .on_conflict_do_nothing()
                            .exec(txn.conn())
                            .await?;
                        Ok::<_, DbError>(matches!(inserted, sea_orm::TryInsertResult::Inserted(_)))
                    })
                })
                .await
                .map_err(backend)?;
            if inserted {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(backend("no unused session id"))
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = row(record)?;
        self.db
            .write(move |txn| {
                Box::pin(async move {
                    web_session::Entity::insert(row)
                        .on_conflict(
                            sea_orm::sea_query::OnConflict::column(web_session::Column::IdHash)
                                .update_columns([web_session::Column::Data, web_session::Column::ExpiresAt])
                                .to_owned(),
                        )
                        .exec(txn.conn())
                        .await?;
                    Ok::<_, DbError>(())
                })
            })
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = web_session::Entity::find_by_id(digest(&id.to_string()))
            .filter(web_session::Column::ExpiresAt.gt(Utc::now()))
            .one(self.db.conn())
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data =
            serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let id_hash = digest(&id.to_string());
        self.db
            .write(move |txn| {
                Box::pin(async move {
                    web_session::Entity::delete_by_id(id_hash).exec(txn.conn()).await?;
                    Ok::<_, DbError>(())
                })
            })
            .await
            .map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_session_never_takes_the_place_of_one_that_has_its_id() {
        let scratch = crate::server::db::ScratchDb::new("web-sessions").await;
        scratch.db.migrate().await.unwrap();
        let store = DbSessionStore::new(scratch.db.clone());
        let record = |who: &str| Record {
            id: Id::default(),
            data: [("who".to_string(), serde_json::json!(who))].into(),
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        };

        let mut first = record("first");
        store.create(&mut first).await.unwrap();
        let mut second = Record { id: first.id, ..record("second") };
        store.create(&mut second).await.unwrap();

        assert_ne!(second.id, first.id, "the taken id is drawn again");
        let kept = store.load(&first.id).await.unwrap().expect("the first session");
        assert_eq!(kept.data["who"], "first");
        let created = store.load(&second.id).await.unwrap().expect("the second session");
        assert_eq!(created.data["who"], "second");
    }
}
