//! Surveys of application-round members: a baseline when the draw places someone in a group,
//! and follow-ups some months after the groups start. The coordinator's settings and questions
//! are one row per round. An invitation records, per member and wave, that a link went out
//! (the hash of its token while it works) and whether it was answered, so the program can
//! compensate those who completed; the answers are stored apart, under a random key, with the
//! round and the wave only. On SQLite the response table has no rowid, as for evaluations.
//!
//! An answer is written in the same transaction as its member's completion, so it waits
//! (`released` false) until a batch of at least five of its wave is released: rewritten under
//! new keys, in shuffled order, by a later transaction (ARCHITECTURE.md, "Round surveys").

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const RESPONSE_COLUMNS: &str = "id VARCHAR(43) NOT NULL PRIMARY KEY, round_id INTEGER NOT NULL, \
                                wave INTEGER NOT NULL, answers TEXT NOT NULL, released BOOLEAN NOT NULL DEFAULT FALSE";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoundSurvey::Table)
                    .col(integer(RoundSurvey::RoundId).primary_key())
                    .col(string_len(RoundSurvey::FollowUpMonths, 40))
                    .col(integer(RoundSurvey::Revision))
                    .col(text(RoundSurvey::Questions))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoundSurvey::Table, RoundSurvey::RoundId)
                            .to(ApplicationRound::Table, ApplicationRound::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyInvitation::Table)
                    .col(integer(SurveyInvitation::ApplicationId))
                    .col(integer(SurveyInvitation::Wave))
                    .col(integer(SurveyInvitation::RoundId))
                    .col(string_len_null(SurveyInvitation::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(SurveyInvitation::ExpiresAt))
                    .col(boolean(SurveyInvitation::Completed).default(false))
                    .primary_key(
                        Index::create().col(SurveyInvitation::ApplicationId).col(SurveyInvitation::Wave),
                    )
                    // Leaving the program, or the privacy purge, takes a member's record with them.
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyInvitation::Table, SurveyInvitation::ApplicationId)
                            .to(Application::Table, Application::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let without_rowid = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => " WITHOUT ROWID",
            _ => "",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!("CREATE TABLE survey_response ({RESPONSE_COLUMNS}){without_rowid}"))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP TABLE survey_response").await?;
        manager.drop_table(Table::drop().table(SurveyInvitation::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RoundSurvey::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum RoundSurvey {
    Table,
    RoundId,
    FollowUpMonths,
    Revision,
    Questions,
}

#[derive(DeriveIden)]
enum SurveyInvitation {
    Table,
    ApplicationId,
    Wave,
    RoundId,
    TokenHash,
    ExpiresAt,
    Completed,
}

#[derive(DeriveIden)]
enum ApplicationRound {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Application {
    Table,
    Id,
}
