//! The revision of a cohort intake's calendar events: an edited intake sends its registrants a
//! calendar file whose events keep their UIDs and carry a higher SEQUENCE, so calendars
//! replace the meetings they hold instead of adding copies.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Cohort::Table)
                    .add_column(integer(Cohort::IcsSequence).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Cohort::Table).drop_column(Cohort::IcsSequence).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cohort {
    Table,
    IcsSequence,
}
