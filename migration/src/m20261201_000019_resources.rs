//! The resources library: resources (a title and summary in one language or both, the folded
//! text search compares, a link or an uploaded PDF, who it is for), the managed list of topics
//! (seeded with the programs' five), which topics each resource is filed under, and the PDFs'
//! bytes, kept in the database so that every instance serves them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The topics the programs' education is organised by, in English and French.
const TOPICS: [(&str, &str); 5] = [
    ("Peer support", "Soutien par les pairs"),
    ("Burnout", "Épuisement professionnel"),
    ("Leadership and professional development", "Leadership et développement professionnel"),
    ("Self-care", "Prendre soin de soi"),
    ("Stress", "Stress"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LibraryTopic::Table)
                    .col(pk_auto(LibraryTopic::Id))
                    .col(string_len(LibraryTopic::NameEn, 80))
                    .col(string_len(LibraryTopic::NameFr, 80))
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert();
        seed.into_table(LibraryTopic::Table).columns([LibraryTopic::NameEn, LibraryTopic::NameFr]);
        for (en, fr) in TOPICS {
            seed.values([en.into(), fr.into()]).map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(seed).await?;

        manager
            .create_table(
                Table::create()
                    .table(Resource::Table)
                    .col(pk_auto(Resource::Id))
                    .col(string_len_null(Resource::TitleEn, 200))
                    .col(string_len_null(Resource::TitleFr, 200))
                    .col(text_null(Resource::SummaryEn))
                    .col(text_null(Resource::SummaryFr))
                    // The title and summary each page shows, folded (lowercase, no accents) by
                    // `domain::resources::fold`: search folds its words the same way and
                    // matches them with LIKE, alike on SQLite and PostgreSQL.
                    .col(text(Resource::SearchEn))
                    .col(text(Resource::SearchFr))
                    .col(string_len_null(Resource::Link, 500))
                    // Set when the resource is an uploaded PDF (its bytes: `resource_file`).
                    .col(string_len_null(Resource::FileName, 80))
                    .col(string_len(Resource::Audience, 20))
                    .col(timestamp_with_time_zone(Resource::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResourceTopic::Table)
                    .col(integer(ResourceTopic::ResourceId))
                    .col(integer(ResourceTopic::TopicId))
                    .primary_key(Index::create().col(ResourceTopic::ResourceId).col(ResourceTopic::TopicId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResourceTopic::Table, ResourceTopic::ResourceId)
                            .to(Resource::Table, Resource::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResourceTopic::Table, ResourceTopic::TopicId)
                            .to(LibraryTopic::Table, LibraryTopic::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The topic filter looks resources up by topic.
        manager
            .create_index(
                Index::create()
                    .name("idx_resource_topic_topic")
                    .table(ResourceTopic::Table)
                    .col(ResourceTopic::TopicId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResourceFile::Table)
                    .col(integer(ResourceFile::ResourceId).primary_key())
                    .col(blob(ResourceFile::Content))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResourceFile::Table, ResourceFile::ResourceId)
                            .to(Resource::Table, Resource::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ResourceFile::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ResourceTopic::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Resource::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LibraryTopic::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum LibraryTopic {
    Table,
    Id,
    NameEn,
    NameFr,
}

#[derive(DeriveIden)]
enum Resource {
    Table,
    Id,
    TitleEn,
    TitleFr,
    SummaryEn,
    SummaryFr,
    SearchEn,
    SearchFr,
    Link,
    FileName,
    Audience,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ResourceTopic {
    Table,
    ResourceId,
    TopicId,
}

#[derive(DeriveIden)]
enum ResourceFile {
    Table,
    ResourceId,
    Content,
}
