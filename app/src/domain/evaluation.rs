//! Anonymous evaluations: the questions asked once a session or a group has ended, and what a
//! response may hold. A response is checked here and stored without anything about who gave
//! it (see ARCHITECTURE.md, "Anonymous evaluations").

use super::forms::{Field, FieldError, Problem, Problems, stray_control};
use crate::i18n::{Locale, Tr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long an evaluation link works, unless configured otherwise, and at most.
pub const DEFAULT_BALLOT_DAYS: u32 = 14;
pub const MAX_BALLOT_DAYS: u32 = 365;
/// The longest free-text answer.
pub const MAX_COMMENT_CHARS: usize = 2000;
/// Ballots go out for offerings that ended at most this long ago, so turning evaluations on
/// (or a server that was down for a while) never mails people about old sessions.
pub const ISSUE_WITHIN_HOURS: i64 = 48;

/// The most questions a set may have, and the longest prompt or option.
pub const MAX_QUESTIONS: usize = 12;
pub const MAX_PROMPT_CHARS: usize = 300;

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub key: String,
    pub en: String,
    pub fr: String,
}

/// What kind of answer a question takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// 1 (not at all) to 5 (very much).
    Rating,
    /// One of the options, by key.
    Choice(Vec<Choice>),
    YesNo,
    /// Optional free text, up to [`MAX_COMMENT_CHARS`].
    Text,
}

/// A question, by the key its answers are stored under, worded in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    pub en: String,
    pub fr: String,
    pub kind: QuestionKind,
}

impl Question {
    pub fn prompt(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::Fr => &self.fr,
        }
    }

    /// A value of this question as people read it: a rating's number, an option's words, yes
    /// or no.
    pub fn value_label(&self, locale: Locale, value: &str) -> String {
        match &self.kind {
            QuestionKind::Choice(options) => {
                options.iter().find(|option| option.key == value).map_or_else(String::new, |option| {
                    if locale == Locale::En { option.en.clone() } else { option.fr.clone() }
                })
            }
            QuestionKind::YesNo if value == "yes" => Tr(locale).evaluation_yes().to_string(),
            QuestionKind::YesNo => Tr(locale).evaluation_no().to_string(),
            _ => value.to_string(),
        }
    }

    /// The values an answer may take, in order (`1`…`5`, option keys, `yes` and `no`);
    /// empty for free text.
    pub fn values(&self) -> Vec<String> {
        match &self.kind {
            QuestionKind::Rating => (1..=5).map(|n: u8| n.to_string()).collect(),
            QuestionKind::Choice(options) => options.iter().map(|option| option.key.clone()).collect(),
            QuestionKind::YesNo => vec!["yes".into(), "no".into()],
            QuestionKind::Text => Vec::new(),
        }
    }
}

impl Question {
    /// A built-in question, worded in both languages.
    pub fn new(key: &str, en: &str, fr: &str, kind: QuestionKind) -> Question {
        Question { key: key.into(), en: en.into(), fr: fr.into(), kind }
    }
}

impl Choice {
    pub fn new(key: &str, en: &str, fr: &str) -> Choice {
        Choice { key: key.into(), en: en.into(), fr: fr.into() }
    }
}

/// The questions asked when a format has no set of its own: how supported, how one feels
/// compared with before, whether one would recommend it, and what helped.
pub fn default_questions() -> Vec<Question> {
    let (en, fr) = (Tr(Locale::En), Tr(Locale::Fr));
    vec![
        Question::new(
            "supported",
            en.evaluation_supported(),
            fr.evaluation_supported(),
            QuestionKind::Rating,
        ),
        Question::new(
            "feeling",
            en.evaluation_feeling(),
            fr.evaluation_feeling(),
            QuestionKind::Choice(vec![
                Choice::new("better", en.evaluation_feeling_better(), fr.evaluation_feeling_better()),
                Choice::new("same", en.evaluation_feeling_same(), fr.evaluation_feeling_same()),
                Choice::new("worse", en.evaluation_feeling_worse(), fr.evaluation_feeling_worse()),
            ]),
        ),
        Question::new("recommend", en.evaluation_recommend(), fr.evaluation_recommend(), QuestionKind::YesNo),
        Question::new("helped", en.evaluation_helped(), fr.evaluation_helped(), QuestionKind::Text),
    ]
}

/// A question set as a coordinator edits it: one question a line in each language, the same
/// lines in the same order, each starting with its kind (`rating:`, `choice:`, `yes-no:` or
/// `text:`); a choice lists its options after the prompt, separated by `|`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionSetForm {
    pub questions_en: String,
    pub questions_fr: String,
}

impl QuestionSetForm {
    /// The form showing `questions`.
    pub fn of(questions: &[Question]) -> QuestionSetForm {
        let lines = |locale: Locale| {
            let lines: Vec<String> = questions
                .iter()
                .map(|question| {
                    let prompt = question.prompt(locale);
                    match &question.kind {
                        QuestionKind::Rating => format!("rating: {prompt}"),
                        QuestionKind::YesNo => format!("yes-no: {prompt}"),
                        QuestionKind::Text => format!("text: {prompt}"),
                        QuestionKind::Choice(options) => {
                            let labels: Vec<&str> = options
                                .iter()
                                .map(|o| if locale == Locale::En { o.en.as_str() } else { o.fr.as_str() })
                                .collect();
                            format!("choice: {prompt} | {}", labels.join(" | "))
                        }
                    }
                })
                .collect();
            lines.join("\n")
        };
        QuestionSetForm { questions_en: lines(Locale::En), questions_fr: lines(Locale::Fr) }
    }

    /// The questions the form describes. Their keys carry `revision`, so answers to an
    /// earlier set are never counted as answers to a new question.
    pub fn check(&self, revision: u32) -> Result<Vec<Question>, Vec<FieldError>> {
        let invalid = || vec![FieldError { field: Field::Questions, problem: Problem::Invalid }];
        let lines = |text: &str| -> Vec<String> {
            text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_string).collect()
        };
        let (en, fr) = (lines(&self.questions_en), lines(&self.questions_fr));
        if en.is_empty() || fr.is_empty() {
            return Err(vec![FieldError { field: Field::Questions, problem: Problem::Required }]);
        }
        if en.len() != fr.len() || en.len() > MAX_QUESTIONS {
            return Err(invalid());
        }
        let mut questions = Vec::with_capacity(en.len());
        for (index, (en, fr)) in en.iter().zip(&fr).enumerate() {
            let (kind_en, rest_en) = en.split_once(':').ok_or_else(invalid)?;
            let (kind_fr, rest_fr) = fr.split_once(':').ok_or_else(invalid)?;
            if kind_en.trim() != kind_fr.trim() {
                return Err(invalid());
            }
            let parts =
                |rest: &str| -> Vec<String> { rest.split('|').map(|p| p.trim().to_string()).collect() };
            let (parts_en, parts_fr) = (parts(rest_en), parts(rest_fr));
            let too_long =
                parts_en.iter().chain(&parts_fr).any(|part| part.chars().count() > MAX_PROMPT_CHARS);
            let empty = parts_en.iter().chain(&parts_fr).any(|part| part.is_empty());
            if too_long {
                return Err(vec![FieldError { field: Field::Questions, problem: Problem::TooLong }]);
            }
            if empty || parts_en.len() != parts_fr.len() || stray_control(en) || stray_control(fr) {
                return Err(invalid());
            }
            let kind = match (kind_en.trim(), parts_en.len()) {
                ("rating", 1) => QuestionKind::Rating,
                ("yes-no", 1) => QuestionKind::YesNo,
                ("text", 1) => QuestionKind::Text,
                ("choice", 3..=7) => QuestionKind::Choice(
                    parts_en[1..]
                        .iter()
                        .zip(&parts_fr[1..])
                        .enumerate()
                        .map(|(n, (en, fr))| Choice {
                            key: format!("o{}", n + 1),
                            en: en.clone(),
                            fr: fr.clone(),
                        })
                        .collect(),
                ),
                _ => return Err(invalid()),
            };
            questions.push(Question {
                key: format!("r{revision}q{}", index + 1),
                en: parts_en[0].clone(),
                fr: parts_fr[0].clone(),
                kind,
            });
        }
        Ok(questions)
    }
}

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
            let raw = self.value(&question.key).trim();
            if raw.is_empty() {
                continue;
            }
            let answer = match &question.kind {
                QuestionKind::Rating => {
                    raw.parse::<u8>().ok().filter(|rating| (1..=5).contains(rating)).map(Answer::Rating)
                }
                QuestionKind::Choice(options) => options
                    .iter()
                    .find(|option| option.key == raw)
                    .map(|option| Answer::Choice(option.key.clone())),
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
                    answers.insert(question.key.clone(), answer);
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
                .check(&default_questions())
                .unwrap();
        assert_eq!(answers.len(), 3);
        assert_eq!(answers["supported"], Answer::Rating(4));
        assert_eq!(answers["feeling"], Answer::Choice("better".into()));
        assert_eq!(answers["recommend"], Answer::YesNo(false));
    }

    #[test]
    fn an_empty_response_is_refused() {
        assert_eq!(
            problems(form(&[]).check(&default_questions())),
            vec![(Field::Answers, Problem::Required)]
        );
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
                problems(form(&[(key, value)]).check(&default_questions())),
                vec![(Field::Answers, Problem::Invalid)],
                "{key}={value}"
            );
        }
    }

    #[test]
    fn free_text_is_bounded_and_questions_not_asked_are_ignored() {
        let long = "a".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            problems(form(&[("helped", &long)]).check(&default_questions())),
            vec![(Field::Comment, Problem::TooLong)]
        );
        let answers = form(&[("helped", "The quiet"), ("name", "Ada")]).check(&default_questions()).unwrap();
        assert_eq!(answers.keys().collect::<Vec<_>>(), vec!["helped"]);
    }

    #[test]
    fn a_question_set_is_read_from_two_parallel_lists_and_round_trips() {
        let form = QuestionSetForm {
            questions_en: "rating: How safe did you feel?\n\nchoice: Pace? | Too slow | Right | Too fast\ntext: Anything else?".into(),
            questions_fr: "rating: À quel point vous êtes-vous senti en sécurité?\nchoice: Rythme? | Trop lent | Juste | Trop rapide\ntext: Autre chose?".into(),
        };
        let questions = form.check(3).unwrap();
        assert_eq!(questions.len(), 3);
        assert_eq!(questions[0].key, "r3q1");
        assert_eq!(questions[1].values(), vec!["o1", "o2", "o3"]);
        assert_eq!(questions[1].prompt(Locale::Fr), "Rythme?");
        assert_eq!(QuestionSetForm::of(&questions).check(3).unwrap(), questions);
        assert_eq!(QuestionSetForm::of(&default_questions()).check(1).unwrap().len(), 4);
    }

    #[test]
    fn a_question_set_whose_languages_disagree_or_overflow_is_refused() {
        let check = |en: &str, fr: &str| {
            QuestionSetForm { questions_en: en.into(), questions_fr: fr.into() }
                .check(1)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.field, e.problem))
                .collect::<Vec<_>>()
        };
        let invalid = vec![(Field::Questions, Problem::Invalid)];
        assert_eq!(check("", ""), vec![(Field::Questions, Problem::Required)]);
        assert_eq!(check("rating: A", "text: A"), invalid, "kinds differ");
        assert_eq!(check("rating: A\ntext: B", "rating: A"), invalid, "line counts differ");
        assert_eq!(check("choice: A | x | y", "choice: A | x"), invalid, "option counts differ");
        assert_eq!(check("choice: A | x", "choice: A | x"), invalid, "a choice needs two options");
        assert_eq!(check("scale: A", "scale: A"), invalid, "no such kind");
        assert_eq!(check("A question", "Une question"), invalid, "no kind");
        let long = format!("text: {}", "a".repeat(MAX_PROMPT_CHARS + 1));
        assert_eq!(check(&long, &long), vec![(Field::Questions, Problem::TooLong)]);
        let many = "yes-no: A\n".repeat(MAX_QUESTIONS + 1);
        assert_eq!(check(&many, &many), invalid);
    }
}
