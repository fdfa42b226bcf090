//! Participation counts for the program reports, kept apart from personal data: when an
//! offering ends, its registrations are counted (by status, language, career stage and
//! province) into one row per facilitator, format, month and measure, so the counts outlive the
//! registrations the privacy purge deletes. Cohort intakes count under format 0.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ParticipationTally::Table)
                    .col(integer(ParticipationTally::FacilitatorId))
                    .col(integer(ParticipationTally::FormatId))
                    .col(string_len(ParticipationTally::Month, 7))
                    .col(string_len(ParticipationTally::Measure, 40))
                    .col(integer(ParticipationTally::Count))
                    .primary_key(
                        Index::create()
                            .col(ParticipationTally::FacilitatorId)
                            .col(ParticipationTally::FormatId)
                            .col(ParticipationTally::Month)
                            .col(ParticipationTally::Measure),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ParticipationTally::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ParticipationTally {
    Table,
    FacilitatorId,
    FormatId,
    Month,
    Measure,
    Count,
}
