//! Anonymous evaluations: the questions asked once a session or a group has ended, and what a
//! response may hold. A response is checked here and stored without anything about who gave
//! it (see ARCHITECTURE.md, "Anonymous evaluations").

use super::forms::{Field, FieldError, Problem, Problems};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long an evaluation link works, unless configured otherwise.
pub const DEFAULT_BALLOT_DAYS: u32 = 14;
/// The longest free-text answer.
pub const MAX_COMMENT_CHARS: usize = 2000;
/// Ballots go out for offerings that ended at most this long ago, so turning evaluations on
/// (or a server that was down for a while) never mails people about old sessions.
pub const ISSUE_WITHIN_HOURS: i64 = 48;

/// What kind of answer a question takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// 1 (not at all) to 5 (very much).
    Rating,
    /// One of the option keys.
    Choice(&'static [&'static str]),
    YesNo,
    /// Optional free text, up to [`MAX_COMMENT_CHARS`].
    Text,
}

/// A question, by the key its answers are stored under; the views word it in each language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub key: &'static str,
    pub kind: QuestionKind,
}

/// How someone feels now, compared with before the session.
pub const FEELING_OPTIONS: &[&str] = &["better", "same", "worse"];

/// The questions every evaluation asks.
pub const QUESTIONS: &[Question] = &[
    Question { key: "supported", kind: QuestionKind::Rating },
    Question { key: "feeling", kind: QuestionKind::Choice(FEELING_OPTIONS) },
    Question { key: "recommend", kind: QuestionKind::YesNo },
    Question { key: "helped", kind: QuestionKind::Text },
];

/// One answer, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Rating(u8),
    Choice(String),
    YesNo(bool),
    Text(String),
}

/// The answers of one response, by question key; unanswered questions are absent.
pub type Answers = BTreeMap<String, Answer>;

/// The evaluation form as posted: each control's value by question key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EvaluationForm(pub BTreeMap<String, String>);

impl EvaluationForm {
    pub fn value(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }

    /// The answers the form holds. Every question is optional, but an empty response is
    /// refused (it would only count a visit); a value the form does not offer is refused.
    pub fn check(&self, questions: &[Question]) -> Result<Answers, Vec<FieldError>> {
        let mut problems = Problems::default();
        let mut answers = Answers::new();
        for question in questions {
            let raw = self.value(question.key).trim();
            if raw.is_empty() {
                continue;
            }
            let answer = match question.kind {
                QuestionKind::Rating => {
                    raw.parse::<u8>().ok().filter(|rating| (1..=5).contains(rating)).map(Answer::Rating)
                }
                QuestionKind::Choice(options) => options
                    .iter()
                    .find(|option| **option == raw)
                    .map(|option| Answer::Choice(option.to_string())),
                QuestionKind::YesNo => match raw {
                    "yes" => Some(Answer::YesNo(true)),
                    "no" => Some(Answer::YesNo(false)),
                    _ => None,
                },
                QuestionKind::Text => {
                    problems.optional_text(Field::Comment, raw, MAX_COMMENT_CHARS).map(Answer::Text)
                }
            };
            match answer {
                Some(answer) => {
                    answers.insert(question.key.to_string(), answer);
                }
                None if question.kind != QuestionKind::Text => problems.add(Field::Answers, Problem::Invalid),
                None => {}
            }
        }
        let answers = problems.finish(|| answers)?;
        if answers.is_empty() {
            return Err(vec![FieldError { field: Field::Answers, problem: Problem::Required }]);
        }
        Ok(answers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> EvaluationForm {
        EvaluationForm(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    fn problems(result: Result<Answers, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.err().unwrap_or_default().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn answers_are_kept_by_question_and_unanswered_ones_left_out() {
        let answers =
            form(&[("supported", "4"), ("feeling", "better"), ("recommend", "no"), ("helped", " ")])
                .check(QUESTIONS)
                .unwrap();
        assert_eq!(answers.len(), 3);
        assert_eq!(answers["supported"], Answer::Rating(4));
        assert_eq!(answers["feeling"], Answer::Choice("better".into()));
        assert_eq!(answers["recommend"], Answer::YesNo(false));
    }

    #[test]
    fn an_empty_response_is_refused() {
        assert_eq!(problems(form(&[]).check(QUESTIONS)), vec![(Field::Answers, Problem::Required)]);
    }

    #[test]
    fn values_the_form_does_not_offer_are_refused() {
        for (key, value) in [
            ("supported", "0"),
            ("supported", "6"),
            ("supported", "-1"),
            ("feeling", "great"),
            ("recommend", "maybe"),
        ] {
            assert_eq!(
                problems(form(&[(key, value)]).check(QUESTIONS)),
                vec![(Field::Answers, Problem::Invalid)],
                "{key}={value}"
            );
        }
    }

    #[test]
    fn free_text_is_bounded_and_questions_not_asked_are_ignored() {
        let long = "a".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            problems(form(&[("helped", &long)]).check(QUESTIONS)),
            vec![(Field::Comment, Problem::TooLong)]
        );
        let answers = form(&[("helped", "The quiet"), ("name", "Ada")]).check(QUESTIONS).unwrap();
        assert_eq!(answers.keys().collect::<Vec<_>>(), vec!["helped"]);
    }
}
