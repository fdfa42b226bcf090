//! Application rounds: the round, its groups, and the applications. The draw's inputs and
//! result are kept on the round as published JSON, so the draw can still be re-run and
//! checked after the applicants' details have been deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApplicationRound::Table)
                    .col(pk_auto(ApplicationRound::Id))
                    .col(string_len(ApplicationRound::TitleEn, 200))
                    .col(string_len(ApplicationRound::TitleFr, 200))
                    .col(text(ApplicationRound::DescriptionEn))
                    .col(text(ApplicationRound::DescriptionFr))
                    .col(timestamp_with_time_zone(ApplicationRound::Deadline))
                    .col(boolean(ApplicationRound::AllowEither))
                    .col(integer(ApplicationRound::RetentionDays))
                    .col(string_len(ApplicationRound::Status, 16))
                    // The published draw: seed, inputs and result. Null until the draw runs.
                    .col(text_null(ApplicationRound::DrawRecord))
                    .col(timestamp_with_time_zone_null(ApplicationRound::DrawnAt))
                    .col(timestamp_with_time_zone_null(ApplicationRound::ClosedAt))
                    // Set when the applicants' details were deleted; only counts remain.
                    .col(timestamp_with_time_zone_null(ApplicationRound::PurgedAt))
                    .col(integer(ApplicationRound::ApplicantCount).default(0))
                    .col(timestamp_with_time_zone(ApplicationRound::CreatedAt))
                    .col(timestamp_with_time_zone(ApplicationRound::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoundGroup::Table)
                    .col(pk_auto(RoundGroup::Id))
                    .col(integer(RoundGroup::RoundId))
                    .col(string_len(RoundGroup::NameEn, 200))
                    .col(string_len(RoundGroup::NameFr, 200))
                    .col(string_len(RoundGroup::Setting, 16))
                    .col(string_len_null(RoundGroup::District, 200))
                    .col(integer(RoundGroup::Seats))
                    .col(integer_null(RoundGroup::FacilitatorAccountId))
                    .col(integer(RoundGroup::MemberCount).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoundGroup::Table, RoundGroup::RoundId)
                            .to(ApplicationRound::Table, ApplicationRound::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoundGroup::Table, RoundGroup::FacilitatorAccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Application::Table)
                    .col(pk_auto(Application::Id))
                    .col(integer(Application::RoundId))
                    .col(string_len(Application::Name, 200))
                    .col(string_len(Application::Specialty, 200))
                    .col(string_len(Application::City, 200))
                    .col(string_len(Application::District, 200))
                    .col(string_len(Application::Email, 254))
                    .col(string_len(Application::EmailKey, 254))
                    .col(string_len(Application::Phone, 30))
                    .col(text(Application::Motivation))
                    .col(string_len(Application::Preference, 16))
                    .col(text(Application::Benefit))
                    .col(string_len(Application::Language, 2))
                    .col(string_len(Application::TokenNonce, 64))
                    .col(integer_null(Application::GroupId))
                    .col(integer_null(Application::WaitlistPosition))
                    .col(timestamp_with_time_zone(Application::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Application::Table, Application::RoundId)
                            .to(ApplicationRound::Table, ApplicationRound::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Application::Table, Application::GroupId)
                            .to(RoundGroup::Table, RoundGroup::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // One application per address and round, whatever the concurrency.
        manager
            .create_index(
                Index::create()
                    .name("idx_application_round_email")
                    .table(Application::Table)
                    .col(Application::RoundId)
                    .col(Application::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Application::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RoundGroup::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ApplicationRound::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApplicationRound {
    Table,
    Id,
    TitleEn,
    TitleFr,
    DescriptionEn,
    DescriptionFr,
    Deadline,
    AllowEither,
    RetentionDays,
    Status,
    DrawRecord,
    DrawnAt,
    ClosedAt,
    PurgedAt,
    ApplicantCount,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoundGroup {
    Table,
    Id,
    RoundId,
    NameEn,
    NameFr,
    Setting,
    District,
    Seats,
    FacilitatorAccountId,
    MemberCount,
}

#[derive(DeriveIden)]
enum Application {
    Table,
    Id,
    RoundId,
    Name,
    Specialty,
    City,
    District,
    Email,
    EmailKey,
    Phone,
    Motivation,
    Preference,
    Benefit,
    Language,
    TokenNonce,
    GroupId,
    WaitlistPosition,
    CreatedAt,
}
