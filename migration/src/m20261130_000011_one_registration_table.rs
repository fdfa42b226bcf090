//! One registration table for drop-in sessions and cohort intakes. A row belongs to exactly
//! one of them: `session_id` or `cohort_id` is set, never both, each a foreign key that
//! deletes the row with its offering. Session registrations keep their ids; cohort
//! registrations are moved over with new ids and keep their link nonces, which is what their
//! emailed links are looked up by.
//!
//! SQLite cannot make a column nullable in place, so the table is built anew beside the old
//! one, filled, and renamed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns both kinds share, in the order they are copied.
const SHARED: &str = "status, name, email, email_key, career_stage, province, language, token_nonce, \
                      placed_at, confirmation_sent_at, created_at, updated_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on SQLite too (sea-orm only wraps PostgreSQL's by default): the
    /// statements then run on one connection, which sees the table it just dropped as gone,
    /// and an upgrade that fails half-way leaves the database as it was.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in ["uq_registration_session_email", "idx_registration_waitlist"] {
            manager.drop_index(Index::drop().name(index).table(Registration::Table).to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("uq_cohort_registration_email")
                    .table(CohortRegistration::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Unified::Table)
                    .col(pk_auto(Registration::Id))
                    .col(integer_null(Registration::SessionId))
                    .col(integer_null(Registration::CohortId))
                    .col(string_len(Registration::Status, 16))
                    .col(string_len(Registration::Name, 120))
                    .col(string_len(Registration::Email, 254))
                    .col(string_len(Registration::EmailKey, 254))
                    .col(string_len(Registration::CareerStage, 32))
                    .col(string_len(Registration::Province, 2))
                    .col(string_len(Registration::Language, 2))
                    .col(boolean(Registration::EligibilityConfirmed))
                    .col(timestamp_with_time_zone_null(Registration::AgreementAcceptedAt))
                    .col(string_len(Registration::TokenNonce, 64))
                    .col(timestamp_with_time_zone(Registration::PlacedAt))
                    .col(timestamp_with_time_zone_null(Registration::RemindedAt))
                    .col(timestamp_with_time_zone_null(Registration::ConfirmationSentAt))
                    .col(timestamp_with_time_zone(Registration::CreatedAt))
                    .col(timestamp_with_time_zone(Registration::UpdatedAt))
                    .check(Expr::cust("(session_id IS NULL) <> (cohort_id IS NULL)"))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Unified::Table, Registration::SessionId)
                            .to(Session::Table, Session::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Unified::Table, Registration::CohortId)
                            .to(Cohort::Table, Cohort::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO registration_unified (id, session_id, eligibility_confirmed, reminded_at, {SHARED}) \
             SELECT id, session_id, eligibility_confirmed, reminded_at, {SHARED} FROM registration"
        ))
        .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // Rows copied with their ids leave the id sequence behind; new ids continue after them.
            db.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('registration_unified', 'id'), \
                 COALESCE((SELECT MAX(id) FROM registration_unified), 0) + 1, false)",
            )
            .await?;
        }
        // Someone who registered for an intake answered its eligibility question and accepted
        // its agreement.
        db.execute_unprepared(&format!(
            "INSERT INTO registration_unified (cohort_id, eligibility_confirmed, agreement_accepted_at, {SHARED}) \
             SELECT cohort_id, TRUE, agreement_accepted_at, {SHARED} FROM cohort_registration ORDER BY id"
        ))
        .await?;

        manager.drop_table(Table::drop().table(Registration::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CohortRegistration::Table).to_owned()).await?;
        manager.rename_table(Table::rename().table(Unified::Table, Registration::Table).to_owned()).await?;

        // One registration per address and offering: registering twice finds the first.
        for (name, offering) in [
            ("uq_registration_session_email", Registration::SessionId),
            ("uq_registration_cohort_email", Registration::CohortId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Registration::Table)
                        .col(offering)
                        .col(Registration::EmailKey)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        // The waitlist in order of arrival, per offering.
        for (name, offering) in [
            ("idx_registration_session_waitlist", Registration::SessionId),
            ("idx_registration_cohort_waitlist", Registration::CohortId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Registration::Table)
                        .col(offering)
                        .col(Registration::Status)
                        .col(Registration::PlacedAt)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_registration_token_nonce")
                    .table(Registration::Table)
                    .col(Registration::TokenNonce)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Going back is restoring the backup taken before upgrading: a split written here
        // would be code no one runs, and cohort registrations made since have no old id.
        Err(DbErr::Migration("one_registration_table cannot be undone; restore a backup".into()))
    }
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    Id,
    SessionId,
    CohortId,
    Status,
    Name,
    Email,
    EmailKey,
    CareerStage,
    Province,
    Language,
    EligibilityConfirmed,
    AgreementAcceptedAt,
    TokenNonce,
    PlacedAt,
    RemindedAt,
    ConfirmationSentAt,
    CreatedAt,
    UpdatedAt,
}

/// The new table while the old one still exists.
#[derive(DeriveIden)]
enum Unified {
    #[sea_orm(iden = "registration_unified")]
    Table,
}

#[derive(DeriveIden)]
enum CohortRegistration {
    Table,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cohort {
    Table,
    Id,
}
