use crate::i18n::Locale;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cohort_interest")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub track: String,
    pub email: String,
    pub email_key: String,
    pub language: Locale,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
