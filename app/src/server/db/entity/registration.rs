use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub status: String,
    pub name: String,
    pub email: String,
    pub email_key: String,
    pub career_stage: String,
    pub province: String,
    pub language: String,
    pub eligibility_confirmed: bool,
    /// Changes at every (re)registration, so a cancel link from an earlier one stops working.
    pub token_nonce: String,
    /// When the current placement began: the waitlist is served in this order.
    pub placed_at: DateTimeUtc,
    pub reminded_at: Option<DateTimeUtc>,
    /// When the confirmation (or waitlist notice) last went out: registering the same address
    /// again re-sends it at most once an hour.
    pub confirmation_sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
