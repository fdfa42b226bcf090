use sea_orm::entity::prelude::*;

/// A topic of the resources library's managed list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "library_topic")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name_en: String,
    pub name_fr: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
