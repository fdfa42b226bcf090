//! Public writes counted per key and window, so that instances sharing a PostgreSQL database
//! share their limits (SQLite, one process, counts in memory and leaves this table empty).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WriteCount::Table)
                    .col(string_len(WriteCount::Key, 64))
                    .col(big_integer(WriteCount::WindowStart))
                    .col(integer(WriteCount::Count))
                    .primary_key(Index::create().col(WriteCount::Key).col(WriteCount::WindowStart))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(WriteCount::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum WriteCount {
    Table,
    Key,
    WindowStart,
    Count,
}
