//! Accounts for facilitators and coordinators, their single-use links (invitations, password
//! resets), failed sign-in attempts for rate limiting, and browser sessions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(pk_auto(Account::Id))
                    .col(string_len_uniq(Account::Email, 254))
                    .col(string_len(Account::Role, 16))
                    .col(integer_null(Account::FacilitatorId))
                    .col(string_len_null(Account::PasswordHash, 200))
                    .col(boolean(Account::Active).default(true))
                    .col(string_len(Account::Language, 2).default("en"))
                    // Raised to sign the account out everywhere: sessions hold the value they
                    // started with and stop working when it no longer matches.
                    .col(integer(Account::SessionEpoch).default(0))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .col(timestamp_with_time_zone(Account::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Account::Table, Account::FacilitatorId)
                            .to(Facilitator::Table, Facilitator::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountToken::Table)
                    .col(pk_auto(AccountToken::Id))
                    .col(integer(AccountToken::AccountId))
                    .col(string_len(AccountToken::Purpose, 16))
                    .col(string_len_uniq(AccountToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(AccountToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountToken::UsedAt))
                    .col(timestamp_with_time_zone(AccountToken::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountToken::Table, AccountToken::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SignInFailure::Table)
                    .col(pk_auto(SignInFailure::Id))
                    .col(string_len(SignInFailure::Key, 300))
                    .col(timestamp_with_time_zone(SignInFailure::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sign_in_failure_key")
                    .table(SignInFailure::Table)
                    .col(SignInFailure::Key)
                    .col(SignInFailure::At)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebSession::Table)
                    .col(string_len(WebSession::IdHash, 64).primary_key())
                    .col(text(WebSession::Data))
                    .col(timestamp_with_time_zone(WebSession::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebSession::Table.into_iden(),
            SignInFailure::Table.into_iden(),
            AccountToken::Table.into_iden(),
            Account::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Facilitator {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Email,
    Role,
    FacilitatorId,
    PasswordHash,
    Active,
    Language,
    SessionEpoch,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccountToken {
    Table,
    Id,
    AccountId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SignInFailure {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum WebSession {
    Table,
    IdHash,
    Data,
    ExpiresAt,
}
