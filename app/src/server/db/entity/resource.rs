use crate::domain::resources::ResourceAudience;
use sea_orm::entity::prelude::*;

/// A resource of the library: a link, or a PDF whose bytes are in `resource_file`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "resource")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title_en: Option<String>,
    pub title_fr: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary_en: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary_fr: Option<String>,
    /// What the English page shows, folded by `domain::resources::fold`.
    #[sea_orm(column_type = "Text")]
    pub search_en: String,
    /// What the French page shows, folded.
    #[sea_orm(column_type = "Text")]
    pub search_fr: String,
    pub link: Option<String>,
    pub file_name: Option<String>,
    pub audience: ResourceAudience,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
