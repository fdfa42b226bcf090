use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_group")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub name_en: String,
    pub name_fr: String,
    pub setting: String,
    pub district: Option<String>,
    pub seats: i32,
    pub facilitator_account_id: Option<i32>,
    /// Members placed by the draw; kept after the applicants' details are deleted.
    pub member_count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
