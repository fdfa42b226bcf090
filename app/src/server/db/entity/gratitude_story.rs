use crate::domain::gratitude::StoryStatus;
use crate::i18n::Locale;
use sea_orm::entity::prelude::*;

/// A story for the gratitude wall. `email` is kept only until the story is decided.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gratitude_story")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub body: String,
    pub language: Locale,
    pub signature: Option<String>,
    pub status: StoryStatus,
    pub email: Option<String>,
    /// The digest of the author's private link (to confirm, then to withdraw).
    #[sea_orm(unique)]
    pub link_digest: String,
    pub created_at: DateTimeUtc,
    /// When it was (last) approved: the wall shows the newest first.
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
