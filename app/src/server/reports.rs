//! Program reports: participation counted when offerings ended and evaluation answers, by
//! format and month, for a coordinator (everything) or a facilitator (their own), with every
//! figure about people suppressed below the minimum group (`domain::report`).

use super::db::reports::{self, COHORT_FORMAT};
use super::db::{evaluations, sessions};
use super::state::AppState;
use crate::domain::access::{Caller, ReportScope};
use crate::domain::evaluation::{Question, default_questions};
use crate::domain::report::{Breakdown, Shown, evaluation_row, participation_row};
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::model::{Bilingual, FormatName, ProgramReport};

pub async fn report(state: &AppState, caller: &Caller) -> Result<ProgramReport, AppError> {
    let scope = caller.report_scope();
    if scope == ReportScope::Nobody {
        return Err(AppError::Forbidden);
    }
    let mut formats: Vec<FormatName> = sessions::all_formats(&state.db)
        .await?
        .into_iter()
        .map(|row| FormatName { id: row.id, name: Bilingual::both(row.name_en, row.name_fr) })
        .collect();
    let t = (Tr(Locale::En), Tr(Locale::Fr));
    formats.push(FormatName {
        id: COHORT_FORMAT,
        name: Bilingual::both(t.0.report_cohort_groups(), t.1.report_cohort_groups()),
    });
    let mut participation: Vec<_> = reports::tallies(&state.db, scope)
        .await?
        .iter()
        .map(|(key, counts)| participation_row(key.format_id, &key.month, counts))
        .collect();
    participation.sort_by(|a, b| b.month.cmp(&a.month).then(a.format_id.cmp(&b.format_id)));
    let with_comments = caller.reads_comments();
    // Every question a format has asked: the default set, then each revision of its own.
    let sets = evaluations::question_sets(&state.db).await?;
    let asked = |format_id: i32| -> Vec<Question> {
        let mut asked = default_questions();
        asked.extend(sets.get(&format_id).into_iter().flatten().flatten().cloned());
        asked
    };
    let mut evaluations: Vec<_> = reports::responses(&state.db, scope)
        .await?
        .iter()
        .map(|(key, answers)| {
            evaluation_row(key.format_id, &key.month, &asked(key.format_id), answers, with_comments)
        })
        .collect();
    evaluations.sort_by(|a, b| b.month.cmp(&a.month).then(a.format_id.cmp(&b.format_id)));
    Ok(ProgramReport { formats, participation, evaluations, coordinator: caller.is_coordinator() })
}

/// One table of a report as CSV, with headers in `locale`: `participation` or `evaluations`.
pub fn csv(report: &ProgramReport, table: &str, locale: Locale) -> Option<String> {
    let t = Tr(locale);
    let format_name = |id: i32| report.format_name(id, locale);
    let hidden = t.report_fewer_than_five();
    let shown = |figure: Shown| figure.count().map_or(hidden.to_string(), |n| n.to_string());
    let mut lines: Vec<Vec<String>> = Vec::new();
    match table {
        "participation" => {
            lines.push(
                [
                    t.report_month(),
                    t.report_format(),
                    t.report_offerings(),
                    t.report_seats(),
                    t.report_registrations(),
                    t.report_fill_rate(),
                    t.report_waitlisted(),
                    t.report_cancelled(),
                ]
                .map(str::to_string)
                .to_vec(),
            );
            for row in &report.participation {
                lines.push(vec![
                    row.month.clone(),
                    format_name(row.format_id),
                    row.offerings.to_string(),
                    row.seats.to_string(),
                    shown(row.registrations),
                    row.fill_rate.map_or(hidden.to_string(), |rate| format!("{rate}%")),
                    shown(row.waitlisted),
                    shown(row.cancelled),
                ]);
            }
        }
        "evaluations" => {
            lines.push(
                [
                    t.report_month(),
                    t.report_format(),
                    t.report_question(),
                    t.report_answer(),
                    t.report_count(),
                ]
                .map(str::to_string)
                .to_vec(),
            );
            for row in &report.evaluations {
                for question in &row.questions {
                    let Breakdown { parts, .. } = &question.breakdown;
                    let asked = &question.question;
                    for (value, part) in asked.values().iter().zip(parts) {
                        lines.push(vec![
                            row.month.clone(),
                            format_name(row.format_id),
                            asked.prompt(locale).to_string(),
                            asked.value_label(locale, value),
                            shown(*part),
                        ]);
                    }
                }
            }
        }
        _ => return None,
    }
    Some(
        lines
            .iter()
            .map(|cells| cells.iter().map(|cell| csv_cell(cell)).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
            .join("\r\n")
            + "\r\n",
    )
}

/// A CSV cell, quoted when it must be; a leading `=`, `+`, `-` or `@` is neutralised, so a
/// spreadsheet never runs a name as a formula.
fn csv_cell(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell.to_string() };
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("Circle"), "Circle");
        assert_eq!(csv_cell("A, B"), "\"A, B\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=cmd()"), "'=cmd()");
    }
}
