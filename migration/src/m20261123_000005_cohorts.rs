//! Cohort groups: a program of dated meetings taken as one registration, its registrations,
//! and the people who asked to hear when the next intake of a track opens.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cohort::Table)
                    .col(pk_auto(Cohort::Id))
                    // Intakes of the same program share a track: the next one is announced
                    // to whoever asked, and shown when this one is full or closed.
                    .col(string_len(Cohort::Track, 64))
                    .col(integer(Cohort::FacilitatorId))
                    .col(string_len(Cohort::TitleEn, 200))
                    .col(string_len(Cohort::TitleFr, 200))
                    .col(text(Cohort::DescriptionEn))
                    .col(text(Cohort::DescriptionFr))
                    .col(string_len(Cohort::Audience, 32))
                    .col(string_len(Cohort::Language, 16))
                    .col(string_len(Cohort::EligibilityEn, 500))
                    .col(string_len(Cohort::EligibilityFr, 500))
                    .col(text(Cohort::AgreementEn))
                    .col(text(Cohort::AgreementFr))
                    .col(integer(Cohort::DurationMinutes))
                    .col(string_len_null(Cohort::MeetingLink, 500))
                    .col(integer(Cohort::Capacity))
                    .col(integer(Cohort::SeatsTaken).default(0))
                    .col(integer(Cohort::WaitlistLength).default(0))
                    .col(timestamp_with_time_zone(Cohort::OpensAt))
                    .col(boolean(Cohort::RegistrationClosed).default(false))
                    // Set once the people waiting for this track were told it opened.
                    .col(timestamp_with_time_zone_null(Cohort::OpeningAnnouncedAt))
                    .col(timestamp_with_time_zone(Cohort::CreatedAt))
                    .col(timestamp_with_time_zone(Cohort::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cohort::Table, Cohort::FacilitatorId)
                            .to(Facilitator::Table, Facilitator::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CohortMeeting::Table)
                    .col(pk_auto(CohortMeeting::Id))
                    .col(integer(CohortMeeting::CohortId))
                    .col(timestamp_with_time_zone(CohortMeeting::StartsAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CohortMeeting::Table, CohortMeeting::CohortId)
                            .to(Cohort::Table, Cohort::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_cohort_meeting_cohort")
                    .table(CohortMeeting::Table)
                    .col(CohortMeeting::CohortId)
                    .col(CohortMeeting::StartsAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CohortRegistration::Table)
                    .col(pk_auto(CohortRegistration::Id))
                    .col(integer(CohortRegistration::CohortId))
                    .col(string_len(CohortRegistration::Status, 16))
                    .col(string_len(CohortRegistration::Name, 120))
                    .col(string_len(CohortRegistration::Email, 254))
                    .col(string_len(CohortRegistration::EmailKey, 254))
                    .col(string_len(CohortRegistration::CareerStage, 32))
                    .col(string_len(CohortRegistration::Province, 2))
                    .col(string_len(CohortRegistration::Language, 2))
                    .col(timestamp_with_time_zone(CohortRegistration::AgreementAcceptedAt))
                    .col(string_len(CohortRegistration::TokenNonce, 64))
                    .col(timestamp_with_time_zone(CohortRegistration::PlacedAt))
                    .col(timestamp_with_time_zone(CohortRegistration::CreatedAt))
                    .col(timestamp_with_time_zone(CohortRegistration::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CohortRegistration::Table, CohortRegistration::CohortId)
                            .to(Cohort::Table, Cohort::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_cohort_registration_email")
                    .table(CohortRegistration::Table)
                    .col(CohortRegistration::CohortId)
                    .col(CohortRegistration::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CohortInterest::Table)
                    .col(pk_auto(CohortInterest::Id))
                    .col(string_len(CohortInterest::Track, 64))
                    .col(string_len(CohortInterest::Email, 254))
                    .col(string_len(CohortInterest::EmailKey, 254))
                    .col(string_len(CohortInterest::Language, 2))
                    .col(timestamp_with_time_zone(CohortInterest::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_cohort_interest_email")
                    .table(CohortInterest::Table)
                    .col(CohortInterest::Track)
                    .col(CohortInterest::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CohortInterest::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CohortRegistration::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CohortMeeting::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Cohort::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Facilitator {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cohort {
    Table,
    Id,
    Track,
    FacilitatorId,
    TitleEn,
    TitleFr,
    DescriptionEn,
    DescriptionFr,
    Audience,
    Language,
    EligibilityEn,
    EligibilityFr,
    AgreementEn,
    AgreementFr,
    DurationMinutes,
    MeetingLink,
    Capacity,
    SeatsTaken,
    WaitlistLength,
    OpensAt,
    RegistrationClosed,
    OpeningAnnouncedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CohortMeeting {
    Table,
    Id,
    CohortId,
    StartsAt,
}

#[derive(DeriveIden)]
enum CohortRegistration {
    Table,
    Id,
    CohortId,
    Status,
    Name,
    Email,
    EmailKey,
    CareerStage,
    Province,
    Language,
    AgreementAcceptedAt,
    TokenNonce,
    PlacedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CohortInterest {
    Table,
    Id,
    Track,
    Email,
    EmailKey,
    Language,
    CreatedAt,
}
