use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cohort_registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cohort_id: i32,
    pub status: String,
    pub name: String,
    pub email: String,
    pub email_key: String,
    pub career_stage: String,
    pub province: String,
    pub language: String,
    pub agreement_accepted_at: DateTimeUtc,
    pub token_nonce: String,
    pub placed_at: DateTimeUtc,
    /// When the confirmation (or waitlist notice) last went out: registering the same address
    /// again re-sends it at most once an hour.
    pub confirmation_sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
