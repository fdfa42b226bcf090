use sea_orm::entity::prelude::*;

/// How many registrations of one kind (`measure`) a facilitator's offerings of a format had in
/// a month, counted when they ended. Format 0 is cohort intakes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participation_tally")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub facilitator_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub format_id: i32,
    /// `YYYY-MM`, in Eastern Time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    /// `sessions`, `seats`, `registrations`, `confirmed`, `waitlisted`, `cancelled`, or a
    /// `dimension.value` such as `province.ON`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub measure: String,
    pub count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
