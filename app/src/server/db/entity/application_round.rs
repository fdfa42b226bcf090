use crate::domain::application_round::RoundStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_round")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title_en: String,
    pub title_fr: String,
    pub description_en: String,
    pub description_fr: String,
    pub deadline: DateTimeUtc,
    pub allow_either: bool,
    pub retention_days: i32,
    pub status: RoundStatus,
    /// The published draw as JSON (`model::PublishedDraw`).
    pub draw_record: Option<String>,
    pub drawn_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub purged_at: Option<DateTimeUtc>,
    pub applicant_count: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
