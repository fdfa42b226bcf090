use crate::domain::session::{Audience, SessionLanguage, SessionStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub format_id: i32,
    pub facilitator_id: i32,
    pub title_en: Option<String>,
    pub title_fr: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description_en: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description_fr: Option<String>,
    pub starts_at: DateTimeUtc,
    pub duration_minutes: i32,
    pub reference_zone: String,
    pub capacity: i32,
    pub language: SessionLanguage,
    pub audience: Audience,
    pub status: SessionStatus,
    pub registration_closed: bool,
    pub series_name_en: Option<String>,
    pub series_name_fr: Option<String>,
    pub series_part: Option<i32>,
    /// The private video-meeting link: only registrants ever receive it, by email.
    pub meeting_link: Option<String>,
    pub seats_taken: i32,
    pub waitlist_length: i32,
    pub ics_sequence: i32,
    /// Whether the evaluation links went out to those who had a seat, once it ended.
    pub ballots_issued: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
