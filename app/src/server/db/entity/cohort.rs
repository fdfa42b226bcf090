use crate::domain::session::{Audience, SessionLanguage};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cohort")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub track: String,
    pub facilitator_id: i32,
    pub title_en: String,
    pub title_fr: String,
    pub description_en: String,
    pub description_fr: String,
    pub audience: Audience,
    pub language: SessionLanguage,
    pub eligibility_en: String,
    pub eligibility_fr: String,
    pub agreement_en: String,
    pub agreement_fr: String,
    pub duration_minutes: i32,
    pub meeting_link: Option<String>,
    pub capacity: i32,
    pub seats_taken: i32,
    pub waitlist_length: i32,
    pub opens_at: DateTimeUtc,
    pub registration_closed: bool,
    pub opening_announced_at: Option<DateTimeUtc>,
    /// The revision of its meetings' calendar events (SEQUENCE), raised at each edit.
    pub ics_sequence: i32,
    /// Whether the evaluation links went out to those who had a seat, once it ended.
    pub ballots_issued: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
