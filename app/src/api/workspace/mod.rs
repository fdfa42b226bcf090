//! The workspace of facilitators and coordinators. Every function here needs a signed-in
//! account, and the service it calls checks that the session is the caller's to manage.

mod change;
mod cohorts;
mod read;
mod registrants;
mod reports;
mod rounds;

pub use change::{
    cancel_session, create_sessions, reassign_session, set_registration_closed, update_session,
};
pub use cohorts::{cohort_for_workspace, cohorts_admin};
pub use read::{my_sessions, open_session, schedule_preview};
pub use registrants::{message_registrants, roster};
pub use reports::get_program_report;
pub use rounds::{my_groups, round_for_coordinator, round_survey, rounds_admin};
