use sea_orm::entity::prelude::*;

/// One revision of a format's evaluation questions, as JSON (`domain::evaluation::Question`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question_set")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub format_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub revision: i32,
    #[sea_orm(column_type = "Text")]
    pub questions: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
