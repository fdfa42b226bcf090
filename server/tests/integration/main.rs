//! The server's integration tests, one binary: each module drives the real router (or, for
//! the fault suite, the built `server` binary) over a fresh SQLite file, or over a new database
//! on the PostgreSQL server named by `ROUNDS_TEST_POSTGRES_URL`. One binary links once where
//! ten linked ten times.

mod common;

mod abuse;
mod calendar;
mod cohorts;
mod evaluations;
mod faults;
mod gratitude;
mod instances;
mod live_connections;
mod migrations;
mod privacy;
mod registration;
mod resilience;
mod resources;
mod rounds;
mod site;
mod support;
mod surveys;
mod workspace;
