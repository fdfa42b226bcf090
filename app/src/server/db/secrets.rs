//! Secrets the server generates once and keeps in the database, so every instance and every
//! restart signs links with the same key.

use super::entity::server_secret;
use super::{Db, DbError};
use sea_orm::{EntityTrait, Set};

/// Returns the secret called `name`, storing `generate()` first if there is none yet. When
/// two instances start together, both insert-if-absent and both read back the same winner.
pub async fn get_or_create(
    db: &Db,
    name: &str,
    generate: impl FnOnce() -> String,
) -> Result<String, DbError> {
    let candidate = server_secret::ActiveModel { name: Set(name.to_string()), value: Set(generate()) };
    db.write(move |txn| {
        Box::pin(async move {
            server_secret::Entity::insert(candidate)
                .on_conflict_do_nothing_on([server_secret::Column::Name])
                .exec(txn.conn())
                .await?;
            Ok::<_, DbError>(())
        })
    })
    .await?;
    let stored = server_secret::Entity::find_by_id(name.to_string()).one(db.conn()).await?;
    stored.map(|s| s.value).ok_or(DbError::NotFound)
}
