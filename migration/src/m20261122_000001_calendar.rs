//! The public calendar: session formats, facilitators and sessions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Format::Table)
                    .col(pk_auto(Format::Id))
                    .col(string_len_uniq(Format::Slug, 64))
                    .col(string_len(Format::NameEn, 120))
                    .col(string_len(Format::NameFr, 120))
                    .col(text(Format::DescriptionEn))
                    .col(text(Format::DescriptionFr))
                    .col(string_len(Format::LedByEn, 200))
                    .col(string_len(Format::LedByFr, 200))
                    .col(integer(Format::Position).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Facilitator::Table)
                    .col(pk_auto(Facilitator::Id))
                    .col(string_len(Facilitator::DisplayName, 120))
                    .col(string_len(Facilitator::CredentialsEn, 200))
                    .col(string_len(Facilitator::CredentialsFr, 200))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(pk_auto(Session::Id))
                    .col(integer(Session::FormatId))
                    .col(integer(Session::FacilitatorId))
                    .col(string_len_null(Session::TitleEn, 200))
                    .col(string_len_null(Session::TitleFr, 200))
                    .col(text_null(Session::DescriptionEn))
                    .col(text_null(Session::DescriptionFr))
                    .col(timestamp_with_time_zone(Session::StartsAt))
                    .col(integer(Session::DurationMinutes))
                    .col(string_len(Session::ReferenceZone, 64).default("America/Toronto"))
                    .col(integer(Session::Capacity).default(30))
                    .col(string_len(Session::Language, 16))
                    .col(string_len(Session::Audience, 32))
                    .col(string_len(Session::Status, 16).default("scheduled"))
                    .col(boolean(Session::RegistrationClosed).default(false))
                    .col(string_len_null(Session::SeriesNameEn, 200))
                    .col(string_len_null(Session::SeriesNameFr, 200))
                    .col(integer_null(Session::SeriesPart))
                    .col(string_len_null(Session::MeetingLink, 500))
                    .col(integer(Session::SeatsTaken).default(0))
                    .col(integer(Session::WaitlistLength).default(0))
                    .col(integer(Session::IcsSequence).default(0))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::FormatId)
                            .to(Format::Table, Format::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::FacilitatorId)
                            .to(Facilitator::Table, Facilitator::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_index(
                Index::create()
                    .name("idx_session_starts_at")
                    .table(Session::Table)
                    .col(Session::StartsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Session::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Facilitator::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Format::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Format {
    Table,
    Id,
    Slug,
    NameEn,
    NameFr,
    DescriptionEn,
    DescriptionFr,
    LedByEn,
    LedByFr,
    Position,
}

#[derive(DeriveIden)]
enum Facilitator {
    Table,
    Id,
    DisplayName,
    CredentialsEn,
    CredentialsFr,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    FormatId,
    FacilitatorId,
    TitleEn,
    TitleFr,
    DescriptionEn,
    DescriptionFr,
    StartsAt,
    DurationMinutes,
    ReferenceZone,
    Capacity,
    Language,
    Audience,
    Status,
    RegistrationClosed,
    SeriesNameEn,
    SeriesNameFr,
    SeriesPart,
    MeetingLink,
    SeatsTaken,
    WaitlistLength,
    IcsSequence,
    CreatedAt,
    UpdatedAt,
}
