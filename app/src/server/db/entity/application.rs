use crate::i18n::Locale;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub name: String,
    pub specialty: String,
    pub city: String,
    pub district: String,
    pub email: String,
    pub email_key: String,
    pub phone: String,
    pub motivation: String,
    pub preference: String,
    pub benefit: String,
    pub language: Locale,
    pub token_nonce: String,
    pub group_id: Option<i32>,
    pub waitlist_position: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
