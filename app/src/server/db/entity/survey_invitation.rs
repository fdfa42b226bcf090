use sea_orm::entity::prelude::*;

/// That a member was asked one wave of their round's survey (0 = the baseline, else the months
/// after the start), the hash of their link while it works, and whether they answered. Never
/// what they answered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_invitation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub wave: i32,
    pub round_id: i32,
    pub token_hash: Option<String>,
    pub expires_at: DateTimeUtc,
    pub completed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
