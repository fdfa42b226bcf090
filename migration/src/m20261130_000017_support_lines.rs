//! The "Get support now" directory that coordinators manage: national lines and each province's
//! or territory's, with a phone number, hours, languages and a website. Demo entries are marked
//! as examples to replace.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SupportLine::Table)
                    .col(pk_auto(SupportLine::Id))
                    .col(string_len(SupportLine::NameEn, 120))
                    .col(string_len(SupportLine::NameFr, 120))
                    .col(string_len(SupportLine::Phone, 30))
                    .col(string_len_null(SupportLine::Website, 300))
                    .col(string_len(SupportLine::HoursEn, 120))
                    .col(string_len(SupportLine::HoursFr, 120))
                    .col(string_len_null(SupportLine::Province, 2))
                    .col(string_len(SupportLine::Languages, 10))
                    .col(boolean(SupportLine::Example).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SupportLine::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum SupportLine {
    Table,
    Id,
    NameEn,
    NameFr,
    Phone,
    Website,
    HoursEn,
    HoursFr,
    Province,
    Languages,
    Example,
}
