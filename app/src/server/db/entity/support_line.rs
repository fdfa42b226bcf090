use crate::domain::registration::Province;
use crate::domain::session::SessionLanguage;
use sea_orm::entity::prelude::*;

/// A line of the "Get support now" directory; no province means a national line.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name_en: String,
    pub name_fr: String,
    pub phone: String,
    pub website: Option<String>,
    pub hours_en: String,
    pub hours_fr: String,
    pub province: Option<Province>,
    pub languages: SessionLanguage,
    pub example: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
