//! The "Get support now" directory.

use super::entity::support_line;
use super::{Db, DbError, WriteTxn};
use crate::domain::support::{SupportLine, ValidSupportLine};
use sea_orm::{EntityTrait, QueryOrder, Set};

fn line_of(row: support_line::Model) -> SupportLine {
    SupportLine {
        id: row.id,
        name: (row.name_en, row.name_fr),
        phone: row.phone,
        website: row.website,
        hours: (row.hours_en, row.hours_fr),
        province: row.province,
        languages: row.languages,
        example: row.example,
    }
}

/// Every line, in the order they were added.
pub async fn lines(db: &Db) -> Result<Vec<SupportLine>, DbError> {
    Ok(support_line::Entity::find()
        .order_by_asc(support_line::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(line_of)
        .collect())
}

/// Adds a line; `example` marks demo data to be replaced.
pub async fn insert(txn: &WriteTxn<'_>, line: &ValidSupportLine, example: bool) -> Result<(), DbError> {
    support_line::Entity::insert(support_line::ActiveModel {
        name_en: Set(line.name.0.clone()),
        name_fr: Set(line.name.1.clone()),
        phone: Set(line.phone.clone()),
        website: Set(line.website.clone()),
        hours_en: Set(line.hours.0.clone()),
        hours_fr: Set(line.hours.1.clone()),
        province: Set(line.province),
        languages: Set(line.languages),
        example: Set(example),
        ..Default::default()
    })
    .exec_without_returning(txn.conn())
    .await?;
    Ok(())
}

/// Removes a line; whether there was one.
pub async fn delete(txn: &WriteTxn<'_>, id: i32) -> Result<bool, DbError> {
    Ok(support_line::Entity::delete_by_id(id).exec(txn.conn()).await?.rows_affected == 1)
}
