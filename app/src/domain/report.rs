//! Program reports: what a coordinator (or a facilitator, for their own sessions) sees of
//! participation and evaluations, and the rule that keeps anyone from being singled out: a
//! figure computed from fewer than [`MIN_GROUP`] people or responses is not shown, and neither
//! is one that could be worked out from the others (a total and all of its parts but one).

use super::evaluation::{Answer, Answers, Question, QuestionKind};
use super::registration::{CareerStage, Province};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The fewest people or responses a shown figure may come from.
pub const MIN_GROUP: u32 = 5;

/// A figure as a report shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    Count(u32),
    /// From fewer than [`MIN_GROUP`] people, or hidden so another such figure cannot be
    /// worked out by difference.
    Hidden,
}

impl Shown {
    pub fn count(self) -> Option<u32> {
        match self {
            Shown::Count(n) => Some(n),
            Shown::Hidden => None,
        }
    }
}

/// A breakdown of people (or responses) into parts, as shown: the total and each part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub total: Shown,
    pub parts: Vec<Shown>,
}

/// Shows `parts` and their total under the minimum-group rule. A total under the minimum
/// hides everything. A part of 1 to `MIN_GROUP - 1` is hidden; when exactly one part is hidden,
/// the smallest other part above zero is hidden too, or the total and the rest would give it
/// away. Zeros are shown: they say nothing about anyone.
pub fn breakdown(parts: &[u32]) -> Breakdown {
    let total = parts.iter().fold(0u32, |sum, part| sum.saturating_add(*part));
    if total < MIN_GROUP {
        return Breakdown { total: Shown::Hidden, parts: vec![Shown::Hidden; parts.len()] };
    }
    let small = |part: u32| (1..MIN_GROUP).contains(&part);
    let mut hidden: Vec<bool> = parts.iter().map(|part| small(*part)).collect();
    if hidden.iter().filter(|h| **h).count() == 1 {
        let second = parts
            .iter()
            .enumerate()
            .filter(|(index, part)| !hidden[*index] && **part > 0)
            .min_by_key(|(_, part)| **part)
            .map(|(index, _)| index);
        if let Some(index) = second {
            hidden[index] = true;
        }
    }
    let parts = parts
        .iter()
        .zip(hidden)
        .map(|(part, hide)| if hide { Shown::Hidden } else { Shown::Count(*part) })
        .collect();
    Breakdown { total: Shown::Count(total), parts }
}

/// A single figure about people: shown from [`MIN_GROUP`] up.
pub fn about_people(count: u32) -> Shown {
    if count > 0 && count < MIN_GROUP { Shown::Hidden } else { Shown::Count(count) }
}

/// Seats taken out of seats offered, in whole percent; `None` when none were offered.
pub fn fill_rate(taken: u32, offered: u32) -> Option<u32> {
    if offered == 0 {
        return None;
    }
    let percent = u64::from(taken.min(offered)) * 100 / u64::from(offered);
    u32::try_from(percent).ok()
}

/// Where a registration stood when its offering ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Confirmed,
    Waitlisted,
    Cancelled,
}

/// One registration as the reports count it: nothing that names the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Participant {
    pub standing: Standing,
    pub language: Locale,
    pub career_stage: CareerStage,
    pub province: Province,
}

/// The measures an ended offering adds to its format's month: one offering, its seats, and
/// its registrations by standing, language, career stage and province (those still holding a
/// place; a cancelled registration counts once, as a cancellation).
pub fn participation_counts(seats: u32, people: &[Participant]) -> Vec<(String, u32)> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut add = |measure: String| {
        let count = counts.entry(measure).or_default();
        *count = count.saturating_add(1);
    };
    add("offerings".to_string());
    for person in people {
        add("registrations".to_string());
        match person.standing {
            Standing::Cancelled => add("cancelled".to_string()),
            standing => {
                add(if standing == Standing::Confirmed { "confirmed" } else { "waitlisted" }.to_string());
                add(format!("language.{}", person.language.as_str()));
                add(format!("career_stage.{}", person.career_stage.as_str()));
                add(format!("province.{}", person.province.as_str()));
            }
        }
    }
    let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
    counts.push(("seats".to_string(), seats));
    counts.sort();
    counts
}

/// A format's month of participation, as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipationRow {
    pub format_id: i32,
    pub month: String,
    /// Sessions held (or intakes ended) and the seats they offered: not about people.
    pub offerings: u32,
    pub seats: u32,
    pub registrations: Shown,
    /// Seats taken out of seats offered, in percent, when the seats taken can be shown.
    pub fill_rate: Option<u32>,
    pub waitlisted: Shown,
    pub cancelled: Shown,
    /// In the order of [`Locale::ALL`], [`CareerStage::ALL`], [`Province::ALL`].
    pub languages: Breakdown,
    pub career_stages: Breakdown,
    pub provinces: Breakdown,
}

pub fn participation_row(format_id: i32, month: &str, counts: &HashMap<String, u32>) -> ParticipationRow {
    let count = |measure: &str| counts.get(measure).copied().unwrap_or(0);
    let by = |dimension: &str, values: &[&str]| {
        let parts: Vec<u32> = values.iter().map(|value| count(&format!("{dimension}.{value}"))).collect();
        breakdown(&parts)
    };
    let confirmed = count("confirmed");
    ParticipationRow {
        format_id,
        month: month.to_string(),
        offerings: count("offerings"),
        seats: count("seats"),
        registrations: about_people(count("registrations")),
        fill_rate: about_people(confirmed).count().and_then(|taken| fill_rate(taken, count("seats"))),
        waitlisted: about_people(count("waitlisted")),
        cancelled: about_people(count("cancelled")),
        languages: by("language", &Locale::ALL.map(Locale::as_str)),
        career_stages: by("career_stage", &CareerStage::ALL.map(CareerStage::as_str)),
        provinces: by("province", &Province::ALL.map(Province::as_str)),
    }
}

/// The answers to one question, as shown: how many gave each of its values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question: Question,
    /// In the order of [`Question::values`].
    pub breakdown: Breakdown,
}

/// A format's month of evaluations, as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationRow {
    pub format_id: i32,
    pub month: String,
    pub responses: Shown,
    /// The questions answered (of every set the format asked), from the minimum group up.
    pub questions: Vec<QuestionResult>,
    /// Free-text answers: only when asked for (coordinators) and from the minimum group up.
    pub comments: Vec<String>,
}

/// The evaluations of a format's month. `asked` holds every question the format has asked
/// (earlier sets too); below the minimum group nothing but "fewer than 5" is shown, not even
/// which questions were answered.
pub fn evaluation_row(
    format_id: i32,
    month: &str,
    asked: &[Question],
    answers: &[Answers],
    with_comments: bool,
) -> EvaluationRow {
    let responses = u32::try_from(answers.len()).unwrap_or(u32::MAX);
    let enough = responses >= MIN_GROUP;
    let answered = |question: &&Question| answers.iter().any(|response| response.contains_key(&question.key));
    let questions = asked
        .iter()
        .filter(|question| enough && question.kind != QuestionKind::Text)
        .filter(answered)
        .map(|question| {
            let parts: Vec<u32> = question
                .values()
                .iter()
                .map(|value| {
                    let given = answers.iter().filter(|response| match response.get(&question.key) {
                        Some(Answer::Rating(n)) => n.to_string() == *value,
                        Some(Answer::Choice(choice)) => choice == value,
                        Some(Answer::YesNo(yes)) => (if *yes { "yes" } else { "no" }) == value,
                        _ => false,
                    });
                    u32::try_from(given.count()).unwrap_or(u32::MAX)
                })
                .collect();
            QuestionResult { question: question.clone(), breakdown: breakdown(&parts) }
        })
        .collect();
    let mut comments: Vec<String> = if with_comments && enough {
        answers
            .iter()
            .flat_map(|response| response.values())
            .filter_map(|answer| match answer {
                Answer::Text(text) => Some(text.clone()),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    // Sorted, so the order says nothing of when each was given.
    comments.sort();
    EvaluationRow {
        format_id,
        month: month.to_string(),
        responses: about_people(responses),
        questions,
        comments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evaluation::default_questions;
    use Shown::{Count, Hidden};

    fn person(standing: Standing, province: Province) -> Participant {
        Participant { standing, language: Locale::En, career_stage: CareerStage::Resident, province }
    }

    #[test]
    fn participation_is_counted_by_measure_and_shown_from_five_people() {
        let mut people = vec![person(Standing::Confirmed, Province::ON); 5];
        people.push(person(Standing::Confirmed, Province::NU));
        people.push(person(Standing::Waitlisted, Province::ON));
        people.push(person(Standing::Cancelled, Province::QC));
        let counts: HashMap<String, u32> = participation_counts(6, &people).into_iter().collect();
        assert_eq!(counts["registrations"], 8);
        assert_eq!(counts["confirmed"], 6);
        assert_eq!(counts["province.ON"], 6);
        assert!(!counts.contains_key("province.QC"), "a cancellation counts as one, nothing more");
        let row = participation_row(3, "2026-11", &counts);
        assert_eq!((row.offerings, row.seats, row.registrations), (1, 6, Count(8)));
        assert_eq!(row.fill_rate, Some(100));
        assert_eq!((row.waitlisted, row.cancelled), (Hidden, Hidden));
        let on = Province::ALL.iter().position(|p| *p == Province::ON).unwrap();
        let nu = Province::ALL.iter().position(|p| *p == Province::NU).unwrap();
        assert_eq!(row.provinces.total, Count(7));
        assert_eq!(
            (row.provinces.parts[nu], row.provinces.parts[on]),
            (Hidden, Hidden),
            "NU 1 and ON by difference"
        );
    }

    #[test]
    fn evaluations_show_distributions_and_comments_from_five_responses() {
        let response = |rating: u8, text: &str| -> Answers {
            [
                ("supported".to_string(), Answer::Rating(rating)),
                ("helped".to_string(), Answer::Text(text.to_string())),
            ]
            .into()
        };
        let five: Vec<Answers> = (0..5).map(|n| response(if n < 4 { 5 } else { 2 }, "the quiet")).collect();
        let asked = default_questions();
        let row = evaluation_row(1, "2026-11", &asked, &five, true);
        assert_eq!(row.responses, Count(5));
        assert_eq!(row.questions.len(), 1, "only the questions answered");
        let supported = &row.questions[0];
        assert_eq!(supported.question.key, "supported");
        assert_eq!(supported.breakdown.parts, vec![Count(0), Hidden, Count(0), Count(0), Hidden]);
        assert_eq!(row.comments.len(), 5);
        assert!(
            evaluation_row(1, "2026-11", &asked, &five, false).comments.is_empty(),
            "facilitators see no free text"
        );
        let four = evaluation_row(1, "2026-11", &asked, &five[..4], true);
        assert_eq!(four.responses, Hidden);
        assert!(four.comments.is_empty());
        assert!(four.questions.is_empty(), "not even which questions were answered");
    }

    #[test]
    fn a_total_under_the_minimum_hides_everything() {
        assert_eq!(breakdown(&[2, 2]), Breakdown { total: Hidden, parts: vec![Hidden, Hidden] });
        assert_eq!(breakdown(&[]), Breakdown { total: Hidden, parts: vec![] });
    }

    #[test]
    fn large_parts_and_zeros_are_shown() {
        assert_eq!(
            breakdown(&[5, 0, 7]),
            Breakdown { total: Count(12), parts: vec![Count(5), Count(0), Count(7)] }
        );
    }

    #[test]
    fn a_lone_small_part_takes_the_next_smallest_with_it() {
        // 9 - 6 - 0 would give the 3 away.
        assert_eq!(
            breakdown(&[6, 3, 0, 9]),
            Breakdown { total: Count(18), parts: vec![Hidden, Hidden, Count(0), Count(9)] }
        );
    }

    #[test]
    fn two_small_parts_hide_each_other() {
        assert_eq!(
            breakdown(&[1, 2, 8]),
            Breakdown { total: Count(11), parts: vec![Hidden, Hidden, Count(8)] }
        );
    }

    #[test]
    fn no_part_can_be_worked_out_from_what_is_shown() {
        // Every breakdown of up to 12 people into 3 parts: when exactly one part is hidden,
        // or a hidden part under the minimum equals the total less the shown ones, it leaks.
        for a in 0..12u32 {
            for b in 0..12u32 {
                for c in 0..12u32 {
                    let shown = breakdown(&[a, b, c]);
                    let Count(total) = shown.total else { continue };
                    let hidden: Vec<u32> = [a, b, c]
                        .iter()
                        .zip(&shown.parts)
                        .filter(|(_, part)| **part == Hidden)
                        .map(|(value, _)| *value)
                        .collect();
                    let visible: u32 = shown.parts.iter().filter_map(|part| part.count()).sum();
                    assert_eq!(visible + hidden.iter().sum::<u32>(), total);
                    assert!(hidden.len() != 1, "{a},{b},{c}: a single hidden part is the difference");
                    for value in [a, b, c] {
                        if (1..MIN_GROUP).contains(&value) {
                            assert!(hidden.contains(&value), "{a},{b},{c}: {value} is shown");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn single_figures_and_rates() {
        assert_eq!(about_people(0), Count(0));
        assert_eq!(about_people(4), Hidden);
        assert_eq!(about_people(5), Count(5));
        assert_eq!(fill_rate(7, 10), Some(70));
        assert_eq!(fill_rate(12, 10), Some(100));
        assert_eq!(fill_rate(0, 0), None);
        assert_eq!(fill_rate(u32::MAX, u32::MAX), Some(100));
    }
}
