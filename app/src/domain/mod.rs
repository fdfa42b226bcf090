//! Pure rules of the program: no I/O, no clock (callers pass `now`), unit-tested.

pub mod calendar;
pub mod recurrence;
pub mod registration;
pub mod session;
pub mod zones;
