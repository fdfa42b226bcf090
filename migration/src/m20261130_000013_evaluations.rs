//! Anonymous evaluations. A ballot is the hash of a random link sent to one person who had a
//! seat, tied to the offering only; a response holds the offering, its format, the day it was
//! held and the answers, under a random key. On SQLite the response table has no rowid, so
//! not even the storage order tells which answer came first.
//!
//! Sessions and cohorts record that their ballots went out, and the outbox learns to forget a
//! message once it is sent (the evaluation links must not outlive their delivery).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const RESPONSE_COLUMNS: &str = "id VARCHAR(43) NOT NULL PRIMARY KEY, session_id INTEGER NULL, \
                                cohort_id INTEGER NULL, format_id INTEGER NULL, held_on VARCHAR(10) NOT NULL, \
                                answers TEXT NOT NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvaluationBallot::Table)
                    .col(string_len(EvaluationBallot::TokenHash, 64).primary_key())
                    .col(integer_null(EvaluationBallot::SessionId))
                    .col(integer_null(EvaluationBallot::CohortId))
                    .col(timestamp_with_time_zone(EvaluationBallot::ExpiresAt))
                    .check(Expr::cust("(session_id IS NULL) <> (cohort_id IS NULL)"))
                    .to_owned(),
            )
            .await?;
        let without_rowid = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => " WITHOUT ROWID",
            _ => "",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE TABLE evaluation_response ({RESPONSE_COLUMNS}){without_rowid}"
            ))
            .await?;
        for table in [Offering::Session, Offering::Cohort] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(boolean(Offering::BallotsIssued).default(false))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(boolean(Outbox::ForgetWhenSent).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Outbox::Table).drop_column(Outbox::ForgetWhenSent).to_owned())
            .await?;
        for table in [Offering::Session, Offering::Cohort] {
            manager
                .alter_table(Table::alter().table(table).drop_column(Offering::BallotsIssued).to_owned())
                .await?;
        }
        manager.get_connection().execute_unprepared("DROP TABLE evaluation_response").await?;
        manager.drop_table(Table::drop().table(EvaluationBallot::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum EvaluationBallot {
    Table,
    TokenHash,
    SessionId,
    CohortId,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Offering {
    Session,
    Cohort,
    BallotsIssued,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    ForgetWhenSent,
}
