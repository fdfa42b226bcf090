//! The Rounds schema as dated migrations. The server runs them at start-up, so a fresh
//! SQLite file or PostgreSQL database is ready without a separate step.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_calendar;
mod m20261122_000002_registration;
mod m20261122_000003_accounts;
mod m20261123_000004_application_rounds;
mod m20261123_000005_cohorts;
mod m20261130_000010_repeat_confirmations;
mod m20261130_000011_one_registration_table;
mod m20261130_000012_cohort_sequence;
mod m20261130_000013_evaluations;
mod m20261130_000014_participation_tally;
mod m20261130_000015_question_sets;
mod m20261130_000016_round_surveys;
mod m20261130_000017_support_lines;
mod m20261201_000018_gratitude_wall;
mod m20261201_000019_resources;
mod m20261201_000020_write_counts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_calendar::Migration),
            Box::new(m20261122_000002_registration::Migration),
            Box::new(m20261122_000003_accounts::Migration),
            Box::new(m20261123_000004_application_rounds::Migration),
            Box::new(m20261123_000005_cohorts::Migration),
            Box::new(m20261130_000010_repeat_confirmations::Migration),
            Box::new(m20261130_000011_one_registration_table::Migration),
            Box::new(m20261130_000012_cohort_sequence::Migration),
            Box::new(m20261130_000013_evaluations::Migration),
            Box::new(m20261130_000014_participation_tally::Migration),
            Box::new(m20261130_000015_question_sets::Migration),
            Box::new(m20261130_000016_round_surveys::Migration),
            Box::new(m20261130_000017_support_lines::Migration),
            Box::new(m20261201_000018_gratitude_wall::Migration),
            Box::new(m20261201_000019_resources::Migration),
            Box::new(m20261201_000020_write_counts::Migration),
        ]
    }
}
