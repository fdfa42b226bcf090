//! The gratitude wall: stories physicians and learners share, published once their author
//! confirmed the address and a moderator approved them.
//!
//! The author's address is kept only while a story waits for its decision (to send the
//! confirmation link and the decision); after that only the digest of the author's private
//! link remains, which is enough to withdraw the story and tells nothing about who wrote it.
//! Reports are one row per story and reporting address digest, so one person cannot push a
//! story back to moderation alone. Moderators are coordinators and the accounts a coordinator
//! names in `story_moderator`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GratitudeStory::Table)
                    .col(pk_auto(GratitudeStory::Id))
                    .col(text(GratitudeStory::Body))
                    .col(string_len(GratitudeStory::Language, 2))
                    .col(string_len_null(GratitudeStory::Signature, 120))
                    .col(string_len(GratitudeStory::Status, 16))
                    .col(string_len_null(GratitudeStory::Email, 254))
                    .col(string_len(GratitudeStory::LinkDigest, 64).unique_key())
                    .col(timestamp_with_time_zone(GratitudeStory::CreatedAt))
                    .col(timestamp_with_time_zone_null(GratitudeStory::PublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_gratitude_story_wall")
                    .table(GratitudeStory::Table)
                    .col(GratitudeStory::Status)
                    .col(GratitudeStory::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StoryReport::Table)
                    .col(integer(StoryReport::StoryId))
                    .col(string_len(StoryReport::ReporterDigest, 64))
                    .primary_key(Index::create().col(StoryReport::StoryId).col(StoryReport::ReporterDigest))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StoryReport::Table, StoryReport::StoryId)
                            .to(GratitudeStory::Table, GratitudeStory::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StoryModerator::Table)
                    .col(integer(StoryModerator::AccountId).primary_key())
                    .foreign_key(
                        ForeignKey::create()
                            .from(StoryModerator::Table, StoryModerator::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(StoryModerator::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(StoryReport::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(GratitudeStory::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum GratitudeStory {
    Table,
    Id,
    Body,
    Language,
    Signature,
    Status,
    Email,
    LinkDigest,
    CreatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum StoryReport {
    Table,
    StoryId,
    ReporterDigest,
}

#[derive(DeriveIden)]
enum StoryModerator {
    Table,
    AccountId,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
