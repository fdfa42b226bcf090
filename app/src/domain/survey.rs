//! Surveys of application-round members: the same questions at a baseline (when the draw places
//! someone in a group) and at follow-ups some months after the groups start. Who completed each
//! wave is recorded, so the program can compensate them; what they answered is stored apart,
//! exactly as evaluations are (ARCHITECTURE.md, "Anonymous evaluations").

use super::evaluation::{Choice, Question, QuestionKind, QuestionSetForm};
use super::forms::{Field, FieldError, Problem};
use crate::i18n::{Locale, Tr};
use chrono::{DateTime, Duration, Months, Utc};
use serde::{Deserialize, Serialize};

/// The wave asked when the draw places someone: stored as 0 months.
pub const BASELINE: u32 = 0;
/// At most this many follow-ups, each at most this many months after the start.
pub const MAX_FOLLOW_UPS: usize = 4;
pub const MAX_FOLLOW_UP_MONTHS: u32 = 36;
/// What a new survey proposes: six and twelve months after the groups start.
pub const DEFAULT_FOLLOW_UPS: [u32; 2] = [6, 12];

/// The questions a survey asks until the coordinator writes others: wellbeing and connection
/// (1–5), how often work exhausted them, and anything they want the program to know.
pub fn default_survey_questions() -> Vec<Question> {
    let (en, fr) = (Tr(Locale::En), Tr(Locale::Fr));
    vec![
        Question::new("wellbeing", en.survey_wellbeing(), fr.survey_wellbeing(), QuestionKind::Rating),
        Question::new("connected", en.survey_connected(), fr.survey_connected(), QuestionKind::Rating),
        Question::new(
            "exhausted",
            en.survey_exhausted(),
            fr.survey_exhausted(),
            QuestionKind::Choice(vec![
                Choice::new("never", en.survey_exhausted_never(), fr.survey_exhausted_never()),
                Choice::new("sometimes", en.survey_exhausted_sometimes(), fr.survey_exhausted_sometimes()),
                Choice::new("often", en.survey_exhausted_often(), fr.survey_exhausted_often()),
            ]),
        ),
        Question::new("notes", en.survey_notes(), fr.survey_notes(), QuestionKind::Text),
    ]
}

/// The coordinator's survey settings as typed: the follow-up months ("6, 12") and the
/// questions, written as for a format's evaluation ([`QuestionSetForm`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyForm {
    pub follow_ups: String,
    pub questions_en: String,
    pub questions_fr: String,
}

/// A survey that passed [`SurveyForm::check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSurvey {
    /// Ascending, distinct, each 1–[`MAX_FOLLOW_UP_MONTHS`].
    pub follow_up_months: Vec<u32>,
    pub questions: Vec<Question>,
}

impl SurveyForm {
    pub fn of(follow_up_months: &[u32], questions: &[Question]) -> SurveyForm {
        let set = QuestionSetForm::of(questions);
        SurveyForm {
            follow_ups: months_text(follow_up_months),
            questions_en: set.questions_en,
            questions_fr: set.questions_fr,
        }
    }

    /// The survey the form describes; its question keys carry `revision`, as a format's do.
    pub fn check(&self, revision: u32) -> Result<ValidSurvey, Vec<FieldError>> {
        let mut errors = Vec::new();
        let follow_up_months = parse_months(&self.follow_ups).unwrap_or_else(|| {
            errors.push(FieldError { field: Field::FollowUps, problem: Problem::Invalid });
            Vec::new()
        });
        let set = QuestionSetForm {
            questions_en: self.questions_en.clone(),
            questions_fr: self.questions_fr.clone(),
        };
        let questions = set.check(revision).unwrap_or_else(|problems| {
            errors.extend(problems);
            Vec::new()
        });
        if errors.is_empty() { Ok(ValidSurvey { follow_up_months, questions }) } else { Err(errors) }
    }
}

/// Follow-up months from "6, 12" (commas or spaces; empty means none): ascending and distinct,
/// or `None` when a part is not a whole number of 1–[`MAX_FOLLOW_UP_MONTHS`], or there are more
/// than [`MAX_FOLLOW_UPS`].
pub fn parse_months(text: &str) -> Option<Vec<u32>> {
    if text.len() > 100 {
        return None;
    }
    let mut months = Vec::new();
    for part in text.split([',', ' ', ';']).map(str::trim).filter(|part| !part.is_empty()) {
        let month: u32 = part.parse().ok()?;
        if !(1..=MAX_FOLLOW_UP_MONTHS).contains(&month) {
            return None;
        }
        months.push(month);
    }
    months.sort_unstable();
    months.dedup();
    (months.len() <= MAX_FOLLOW_UPS).then_some(months)
}

pub fn months_text(months: &[u32]) -> String {
    months.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// Every wave of a survey, in order: the baseline, then each follow-up.
pub fn waves(follow_up_months: &[u32]) -> Vec<u32> {
    std::iter::once(BASELINE).chain(follow_up_months.iter().copied()).collect()
}

/// When the groups started: when the round was closed (the groups under way), or, until then,
/// when it was drawn.
fn started(drawn_at: Option<DateTime<Utc>>, closed_at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    closed_at.or(drawn_at)
}

fn wave_due_at(
    wave: u32,
    drawn_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    if wave == BASELINE {
        drawn_at
    } else {
        started(drawn_at, closed_at)?.checked_add_months(Months::new(wave))
    }
}

/// The waves whose time has come: the baseline once the round is drawn, a follow-up once its
/// months have passed since the start.
pub fn due_waves(
    follow_up_months: &[u32],
    drawn_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<u32> {
    waves(follow_up_months)
        .into_iter()
        .filter(|&wave| wave_due_at(wave, drawn_at, closed_at).is_some_and(|at| at <= now))
        .collect()
}

/// Until when the members' addresses are needed: the last wave's links expire `ballot_days`
/// after it goes out. The privacy purge of a round with a survey waits for this.
pub fn addresses_needed_until(
    follow_up_months: &[u32],
    drawn_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    ballot_days: u32,
) -> Option<DateTime<Utc>> {
    let last = waves(follow_up_months).into_iter().max()?;
    wave_due_at(last, drawn_at, closed_at)?.checked_add_signed(Duration::days(i64::from(ballot_days)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn follow_up_months_are_read_sorted_and_bounded() {
        assert_eq!(parse_months("12, 6"), Some(vec![6, 12]));
        assert_eq!(parse_months(" 6 6;3 "), Some(vec![3, 6]));
        assert_eq!(parse_months(""), Some(vec![]));
        for bad in ["0", "37", "six", "-1", "1.5", "1,2,3,4,5", &"1,".repeat(60)] {
            assert_eq!(parse_months(bad), None, "{bad}");
        }
        assert_eq!(months_text(&[6, 12]), "6, 12");
    }

    #[test]
    fn waves_fall_due_from_the_draw_and_the_start() {
        let (drawn, closed) = (at(2026, 1, 10), at(2026, 2, 1));
        let follow_ups = [6, 12];
        assert!(due_waves(&follow_ups, None, None, at(2030, 1, 1)).is_empty());
        assert_eq!(due_waves(&follow_ups, Some(drawn), None, drawn), vec![BASELINE]);
        // Until the round is closed, the start is the draw.
        assert_eq!(due_waves(&follow_ups, Some(drawn), None, at(2026, 7, 10)), vec![0, 6]);
        assert_eq!(due_waves(&follow_ups, Some(drawn), Some(closed), at(2026, 7, 31)), vec![0]);
        assert_eq!(due_waves(&follow_ups, Some(drawn), Some(closed), at(2026, 8, 1)), vec![0, 6]);
        assert_eq!(due_waves(&follow_ups, Some(drawn), Some(closed), at(2027, 2, 1)), vec![0, 6, 12]);
    }

    #[test]
    fn addresses_are_kept_until_the_last_links_expire() {
        let (drawn, closed) = (at(2026, 1, 10), at(2026, 2, 1));
        assert_eq!(addresses_needed_until(&[6, 12], Some(drawn), Some(closed), 14), Some(at(2027, 2, 15)));
        assert_eq!(addresses_needed_until(&[], Some(drawn), None, 14), Some(at(2026, 1, 24)));
        assert_eq!(addresses_needed_until(&[6], None, None, 14), None);
        // Dates at the end of time give no answer rather than a panic.
        assert_eq!(addresses_needed_until(&[36], Some(DateTime::<Utc>::MAX_UTC), None, 365), None);
    }

    #[test]
    fn the_form_checks_months_and_questions_together() {
        let form = SurveyForm::of(&[6, 12], &default_survey_questions());
        let survey = form.check(2).unwrap();
        assert_eq!(survey.follow_up_months, vec![6, 12]);
        assert_eq!(survey.questions.len(), 4);
        assert_eq!(survey.questions[0].key, "r2q1");
        let broken = SurveyForm { follow_ups: "soon".into(), questions_en: String::new(), ..form };
        let fields: Vec<Field> = broken.check(1).unwrap_err().iter().map(|error| error.field).collect();
        assert_eq!(fields, vec![Field::FollowUps, Field::Questions]);
    }
}
