//! The sentence for each problem a form can have, in the reader's language.

use crate::domain::forms::{Field, FieldError, Problem};
use crate::i18n::Tr;

pub fn field_error_text(t: Tr, error: FieldError) -> &'static str {
    use Problem::*;
    match (error.field, error.problem) {
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
        (Field::Format, _) => t.field_format_required(),
        (Field::Title, TooLong) => t.field_title_too_long(),
        (Field::Title, _) => t.field_title_required(),
        (Field::Description, TooLong) => t.field_description_too_long(),
        (Field::Description, _) => t.field_description_required(),
        (Field::Date, Required) => t.field_date_required(),
        (Field::Date, InPast) => t.field_date_in_past(),
        (Field::Date, _) => t.field_date_invalid(),
        (Field::Time, Required) => t.field_time_required(),
        (Field::Time, SkippedTime) => t.field_time_skipped_time(),
        (Field::Time, _) => t.field_time_invalid(),
        (Field::Zone, _) => t.field_zone_invalid(),
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
    }
}
