//! The evaluation questions a coordinator sets for a format. Every save is a new revision, kept,
//! so the reports can still name the questions earlier answers were given to. A format without
//! a set asks the default questions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(QuestionSet::Table)
                    .col(integer(QuestionSet::FormatId))
                    .col(integer(QuestionSet::Revision))
                    .col(text(QuestionSet::Questions))
                    .primary_key(Index::create().col(QuestionSet::FormatId).col(QuestionSet::Revision))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(QuestionSet::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum QuestionSet {
    Table,
    FormatId,
    Revision,
    Questions,
}
