use sea_orm::entity::prelude::*;

/// One member's answers to one wave of a round's survey: the round, the wave and the answers,
/// under a random key, and nothing about who gave them or when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub round_id: i32,
    pub wave: i32,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    /// False while the answer waits for its batch; reports read released answers only.
    pub released: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
