//! Pure rules of the program: no I/O, no clock (callers pass `now`), unit-tested.

pub mod access;
pub mod accounts;
pub mod application_round;
pub mod calendar;
pub mod cohort;
pub mod draw;
pub mod evaluation;
pub mod format_form;
pub mod forms;
pub mod gratitude;
pub mod recurrence;
pub mod registration;
pub mod report;
pub mod resources;
pub mod session;
pub mod session_form;
pub mod support;
pub mod survey;
pub mod zones;
