//! The sentence for each problem a form can have, in the reader's language.
//!
//! The islands that check a form in the browser use the sentences of their own fields only
//! ([`registration_error_text`], [`schedule_error_text`]): the whole table, in both languages,
//! would otherwise travel in the browser bundle of every first visit.

use crate::domain::forms::{Field, FieldError, Problem};
use crate::i18n::Tr;

pub fn field_error_text(t: Tr, error: FieldError) -> &'static str {
    registration_error_text(t, error)
        .or_else(|| schedule_error_text(t, error))
        .unwrap_or_else(|| other_error_text(t, error))
}

/// The registration form's fields; `None` for any other field.
pub fn registration_error_text(t: Tr, error: FieldError) -> Option<&'static str> {
    use Problem::*;
    Some(match (error.field, error.problem) {
        (Field::Name, TooLong) => t.field_name_too_long(),
        (Field::Name, Required) => t.field_name_required(),
        (Field::Name, _) => t.field_name_invalid(),
        (Field::Email, TooLong) => t.field_email_too_long(),
        (Field::Email, InvalidEmail | Invalid) => t.field_email_invalid_email(),
        (Field::Email, _) => t.field_email_required(),
        (Field::CareerStage, NotInAudience) => t.field_career_stage_not_in_audience(),
        (Field::CareerStage, _) => t.field_career_stage_required(),
        (Field::Province, _) => t.field_province_required(),
        (Field::Language, _) => t.field_language_required(),
        (Field::Eligible, _) => t.field_eligible_required(),
        (Field::Rules, _) => t.field_rules_required(),
        _ => return None,
    })
}

/// A session's date, time and zone; `None` for any other field.
pub fn schedule_error_text(t: Tr, error: FieldError) -> Option<&'static str> {
    use Problem::*;
    Some(match (error.field, error.problem) {
        (Field::Date, Required) => t.field_date_required(),
        (Field::Date, InPast) => t.field_date_in_past(),
        (Field::Date, TooFarAhead) => t.field_date_too_far_ahead(),
        (Field::Date, _) => t.field_date_invalid(),
        (Field::Time, Required) => t.field_time_required(),
        (Field::Time, SkippedTime) => t.field_time_skipped_time(),
        (Field::Time, _) => t.field_time_invalid(),
        (Field::Zone, _) => t.field_zone_invalid(),
        _ => return None,
    })
}

fn other_error_text(t: Tr, error: FieldError) -> &'static str {
    use Problem::*;
    match (error.field, error.problem) {
        // Answered above; listed so that a new field fails to compile until it has a sentence.
        (
            Field::Name
            | Field::Email
            | Field::CareerStage
            | Field::Province
            | Field::Language
            | Field::Eligible
            | Field::Rules
            | Field::Date
            | Field::Time
            | Field::Zone,
            _,
        ) => t.error_form(),
        (Field::Format, _) => t.field_format_required(),
        (Field::Title, TooLong) => t.field_title_too_long(),
        (Field::Title, _) => t.field_title_required(),
        (Field::Description, TooLong) => t.field_description_too_long(),
        (Field::Description, _) => t.field_description_required(),
        (Field::Duration, _) => t.field_duration_invalid(),
        (Field::Capacity, BelowRegistered) => t.field_capacity_below_registered(),
        (Field::Capacity, _) => t.field_capacity_invalid(),
        (Field::Audience, _) => t.field_audience_required(),
        (Field::SpokenLanguage, _) => t.field_spoken_language_required(),
        (Field::MeetingLink, TooLong) => t.field_meeting_link_too_long(),
        (Field::MeetingLink, _) => t.field_meeting_link_invalid(),
        (Field::SeriesPart, _) => t.field_series_part_invalid(),
        (Field::Repeat, _) => t.field_repeat_invalid(),
        (Field::Password, Required) => t.field_password_required(),
        (Field::Password, TooShort) => t.field_password_too_short(),
        (Field::Password, TooLong) => t.field_password_too_long(),
        (Field::Password, Mismatch) => t.field_password_mismatch(),
        (Field::Password, _) => t.field_password_invalid(),
        (Field::Credentials, _) => t.field_credentials_invalid(),
        (Field::Subject, _) => t.field_subject_invalid(),
        (Field::Body, _) => t.field_body_invalid(),
        (
            Field::Specialty
            | Field::City
            | Field::District
            | Field::Phone
            | Field::Motivation
            | Field::Benefit,
            TooLong,
        ) => t.field_answer_too_long(),
        (Field::Specialty, _) => t.field_specialty_required(),
        (Field::City, _) => t.field_city_required(),
        (Field::District, _) => t.field_district_required(),
        (Field::Phone, Required) => t.field_phone_required(),
        (Field::Phone, _) => t.field_phone_invalid(),
        (Field::Motivation, _) => t.field_motivation_required(),
        (Field::Benefit, _) => t.field_benefit_required(),
        (Field::Preference, NoMatchingGroup) => t.field_preference_no_matching_group(),
        (Field::Preference, _) => t.field_preference_required(),
        (Field::Setting, _) => t.field_setting_required(),
        (Field::Seats, _) => t.field_seats_invalid(),
        (Field::Retention, _) => t.field_retention_invalid(),
        (Field::Track, _) => t.field_track_invalid(),
        (Field::Question, TooLong) => t.field_question_too_long(),
        (Field::Question, _) => t.field_question_required(),
        (Field::AgreementText, TooLong) => t.field_description_too_long(),
        (Field::AgreementText, _) => t.field_agreement_text_required(),
        (Field::Agreement, _) => t.field_agreement_required(),
        (Field::Meetings, Required) => t.field_meetings_required(),
        (Field::Meetings, InPast) => t.field_meetings_in_past(),
        (Field::Meetings, TooFarAhead) => t.field_meetings_too_far_ahead(),
        (Field::Meetings, OutOfRange) => t.field_meetings_out_of_range(),
        (Field::Meetings, _) => t.field_meetings_invalid(),
        (Field::Opens, OutOfRange) => t.field_opens_too_late(),
        (Field::Opens, _) => t.field_opens_invalid(),
        (Field::Facilitator, _) => t.field_facilitator_required(),
        (Field::Answers, Required) => t.field_answers_required(),
        (Field::Answers, _) => t.field_answers_invalid(),
        (Field::Comment, TooLong) => t.field_answer_too_long(),
        (Field::Comment, _) => t.field_comment_invalid(),
        (Field::Questions, Required) => t.field_questions_required(),
        (Field::Questions, TooLong) => t.field_questions_too_long(),
        (Field::Questions, _) => t.field_questions_invalid(),
        (Field::FollowUps, _) => t.field_follow_ups_invalid(),
        (Field::LineName, TooLong) => t.field_line_name_too_long(),
        (Field::LineName, _) => t.field_line_name_required(),
        (Field::Website, _) => t.field_website_invalid(),
        (Field::Hours, TooLong) => t.field_hours_too_long(),
        (Field::Hours, _) => t.field_hours_required(),
        (Field::Story, TooLong) => t.field_story_too_long(),
        (Field::Story, TooShort) => t.field_story_too_short(),
        (Field::Story, Required) => t.field_story_required(),
        (Field::Story, _) => t.field_story_invalid(),
        (Field::ShownAs, _) => t.field_shown_as_required(),
        (Field::Colleague, _) => t.field_colleague_required(),
        (Field::ResourceTitle | Field::Summary, Invalid) => t.resources_field_text_invalid(),
        (Field::ResourceTitle, TooLong) => t.resources_field_title_too_long(),
        (Field::ResourceTitle, _) => t.resources_field_title_required(),
        (Field::Summary, TooLong) => t.resources_field_summary_too_long(),
        (Field::Summary, _) => t.resources_field_summary_required(),
        (Field::ResourceLink, Required) => t.resources_field_link_required(),
        (Field::ResourceLink, Mismatch) => t.resources_field_link_both(),
        (Field::ResourceLink, TooLong) => t.resources_field_link_too_long(),
        (Field::ResourceLink, _) => t.resources_field_link_invalid(),
        (Field::Pdf, TooLong) => t.resources_field_pdf_too_large(),
        (Field::Pdf, _) => t.resources_field_pdf_invalid(),
        (Field::Topics, Required) => t.resources_field_topics_required(),
        (Field::Topics, _) => t.resources_field_topics_invalid(),
        (Field::Readers, _) => t.resources_field_audience_required(),
        (Field::TopicName, TooLong) => t.resources_field_topic_name_too_long(),
        (Field::TopicName, _) => t.resources_field_topic_name_required(),
    }
}
