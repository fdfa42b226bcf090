use sea_orm::entity::prelude::*;

/// One evaluation's answers: the offering, its format and the day it was held, and nothing
/// about who answered or when. The key is random, so it tells no order either.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub session_id: Option<i32>,
    pub cohort_id: Option<i32>,
    pub format_id: Option<i32>,
    /// `YYYY-MM-DD`, in Eastern Time.
    pub held_on: String,
    /// The answers as JSON, keyed by question.
    #[sea_orm(column_type = "Text")]
    pub answers: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
