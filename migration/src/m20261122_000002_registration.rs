//! Registrations with their seat placement, the durable email outbox, and server secrets.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Registration::Table)
                    .col(pk_auto(Registration::Id))
                    .col(integer(Registration::SessionId))
                    .col(string_len(Registration::Status, 16))
                    .col(string_len(Registration::Name, 120))
                    .col(string_len(Registration::Email, 254))
                    .col(string_len(Registration::EmailKey, 254))
                    .col(string_len(Registration::CareerStage, 32))
                    .col(string_len(Registration::Province, 2))
                    .col(string_len(Registration::Language, 2))
                    .col(boolean(Registration::EligibilityConfirmed))
                    .col(string_len(Registration::TokenNonce, 64))
                    .col(timestamp_with_time_zone(Registration::PlacedAt))
                    .col(timestamp_with_time_zone_null(Registration::RemindedAt))
                    .col(timestamp_with_time_zone(Registration::CreatedAt))
                    .col(timestamp_with_time_zone(Registration::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Registration::Table, Registration::SessionId)
                            .to(Session::Table, Session::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One registration per address and session: registering twice finds the first.
        manager
            .create_index(
                Index::create()
                    .name("uq_registration_session_email")
                    .table(Registration::Table)
                    .col(Registration::SessionId)
                    .col(Registration::EmailKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_registration_waitlist")
                    .table(Registration::Table)
                    .col(Registration::SessionId)
                    .col(Registration::Status)
                    .col(Registration::PlacedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(pk_auto(Outbox::Id))
                    .col(integer_null(Outbox::SessionId))
                    .col(string_len(Outbox::Recipient, 254))
                    .col(string_len(Outbox::Subject, 300))
                    .col(text(Outbox::Body))
                    .col(text_null(Outbox::Ics))
                    .col(string_len_null(Outbox::IcsMethod, 16))
                    .col(string_len(Outbox::MessageId, 200))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::SendAfter))
                    .col(timestamp_with_time_zone_null(Outbox::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::SentAt)
                    .col(Outbox::SendAfter)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ServerSecret::Table)
                    .col(string_len(ServerSecret::Name, 64).primary_key())
                    .col(string_len(ServerSecret::Value, 200))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ServerSecret::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Registration::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    Id,
    SessionId,
    Status,
    Name,
    Email,
    EmailKey,
    CareerStage,
    Province,
    Language,
    EligibilityConfirmed,
    TokenNonce,
    PlacedAt,
    RemindedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    SessionId,
    Recipient,
    Subject,
    Body,
    Ics,
    IcsMethod,
    MessageId,
    Attempts,
    LastError,
    SendAfter,
    ClaimedUntil,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServerSecret {
    Table,
    Name,
    Value,
}
