//! sea-orm entities: one per table, mirroring the migrations column for column. They stay
//! inside the persistence module; the rest of the app sees `model` wire types instead.

pub mod account;
pub mod account_token;
pub mod application;
pub mod application_round;
pub mod cohort;
pub mod cohort_interest;
pub mod cohort_meeting;
pub mod evaluation_ballot;
pub mod evaluation_response;
pub mod facilitator;
pub mod format;
pub mod gratitude_story;
pub mod library_topic;
pub mod outbox;
pub mod participation_tally;
pub mod question_set;
pub mod registration;
pub mod resource;
pub mod resource_file;
pub mod resource_topic;
pub mod round_group;
pub mod round_survey;
pub mod server_secret;
pub mod session;
pub mod sign_in_failure;
pub mod story_moderator;
pub mod story_report;
pub mod support_line;
pub mod survey_invitation;
pub mod survey_response;
pub mod web_session;
