use sea_orm::entity::prelude::*;

/// A round's survey: the months after the groups' start when follow-ups go out (comma
/// separated; the baseline is always asked) and its questions, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_survey")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i32,
    pub follow_up_months: String,
    pub revision: i32,
    #[sea_orm(column_type = "Text")]
    pub questions: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
