//! When a registration's confirmation (or waitlist notice) last went out, so that registering
//! the same address again re-sends it at most once an hour.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .add_column(timestamp_with_time_zone_null(Registration::ConfirmationSentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CohortRegistration::Table)
                    .add_column(timestamp_with_time_zone_null(CohortRegistration::ConfirmationSentAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CohortRegistration::Table)
                    .drop_column(CohortRegistration::ConfirmationSentAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .drop_column(Registration::ConfirmationSentAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    ConfirmationSentAt,
}

#[derive(DeriveIden)]
enum CohortRegistration {
    Table,
    ConfirmationSentAt,
}
