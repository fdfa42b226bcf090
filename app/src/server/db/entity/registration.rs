use crate::domain::registration::{CareerStage, Province};
use crate::i18n::Locale;
use sea_orm::entity::prelude::*;

/// A registration for a drop-in session or for a cohort intake: exactly one of `session_id`
/// and `cohort_id` is set (a check constraint holds it).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: Option<i32>,
    pub cohort_id: Option<i32>,
    pub status: Status,
    pub name: String,
    pub email: String,
    pub email_key: String,
    pub career_stage: CareerStage,
    pub province: Province,
    pub language: Locale,
    pub eligibility_confirmed: bool,
    /// When the intake's confidentiality agreement was accepted; sessions have none.
    pub agreement_accepted_at: Option<DateTimeUtc>,
    /// Changes at every (re)registration, so a link from an earlier one stops working.
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

/// Where a registration stands. Cancelled (or withdrawn) rows stay until the privacy purge,
/// so an old link still finds them and says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Status {
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
