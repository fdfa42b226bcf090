//! The program report: participation and evaluations by format and month, as tables and
//! server-drawn charts (each chart has its figures in a table for screen readers), with a CSV
//! of each table. Figures from fewer than five people arrive already hidden.

use super::{WorkspaceError, WorkspaceNav};
use crate::api::workspace::get_program_report;
use crate::components::PageHeading;
use crate::components::layout::{href, use_locale};
use crate::components::registration_form::{career_label, province_label};
use crate::domain::forms::parse_month;
use crate::domain::registration::{CareerStage, Province};
use crate::domain::report::{Breakdown, EvaluationRow, ParticipationRow, Shown};
use crate::i18n::{Locale, Tr};
use crate::model::ProgramReport;
use crate::timefmt;
use leptos::prelude::*;
use leptos_meta::Meta;

const TABLE: &str = "mt-2 w-full border-collapse text-left text-sm [&_td]:border-t [&_td]:border-slate-300 [&_td]:py-1 [&_td]:pr-3 [&_th]:pr-3";

#[component]
pub fn ReportsPage() -> impl IntoView {
    let locale = use_locale();
    let t = Tr(locale);
    let report = Resource::new(|| (), |()| get_program_report());
    view! {
        <Meta name="robots" content="noindex" />
        <PageHeading locale title=t.report_title() />
        <Suspense>
            {move || report.get().map(|result| match result {
                Ok(report) => view! { <Report locale report /> }.into_any(),
                Err(error) => view! { <WorkspaceError error locale /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Report(locale: Locale, report: ProgramReport) -> impl IntoView {
    let t = Tr(locale);
    let format_name = {
        let report = report.clone();
        move |id: i32| report.format_name(id, locale)
    };
    let participation = report.participation.clone();
    let evaluations = report.evaluations.clone();
    let mut format_ids: Vec<i32> = participation.iter().map(|row| row.format_id).collect();
    format_ids.sort_unstable();
    format_ids.dedup();
    let charts = format_ids
        .into_iter()
        .map(|id| {
            let mut points: Vec<(String, Shown)> = participation
                .iter()
                .filter(|row| row.format_id == id)
                .map(|row| (month_label(locale, &row.month), row.registrations))
                .collect();
            points.reverse();
            view! { <MonthLine t title=t.report_registrations_of(format_name(id)) points /> }
        })
        .collect_view();
    let name = format_name.clone();
    view! {
        <WorkspaceNav locale coordinator=report.coordinator />
        <p class="max-w-prose text-slate-700 dark:text-slate-300">{t.report_intro()}</p>
        <section aria-labelledby="participation" class="mt-6">
            <h2 id="participation" class="text-xl font-semibold">{t.report_participation()}</h2>
            <p><a class="inline-flex min-h-11 items-center underline" href=href(locale, "/workspace/reports/participation.csv") download="participation.csv">{t.report_download_csv()}</a></p>
            {if participation.is_empty() {
                view! { <p>{t.report_nothing_yet()}</p> }.into_any()
            } else {
                view! {
                    <div class="flex flex-wrap gap-6">{charts}</div>
                    // Focusable, so a keyboard can scroll the table on a narrow screen.
                    <div class="overflow-x-auto" tabindex="0" role="region" aria-label=t.report_participation()>
                        <table class=TABLE>
                            <thead><tr>
                                <th scope="col">{t.report_month()}</th>
                                <th scope="col">{t.report_format()}</th>
                                <th scope="col">{t.report_offerings()}</th>
                                <th scope="col">{t.report_seats()}</th>
                                <th scope="col">{t.report_registrations()}</th>
                                <th scope="col">{t.report_fill_rate()}</th>
                                <th scope="col">{t.report_waitlisted()}</th>
                                <th scope="col">{t.report_cancelled()}</th>
                            </tr></thead>
                            <tbody>
                                {participation.iter().map(|row| view! { <ParticipationLine t row=row.clone() format=name(row.format_id) /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {participation.iter().map(|row| view! { <WhoCame t row=row.clone() format=format_name(row.format_id) /> }).collect_view()}
                }.into_any()
            }}
        </section>
        <section aria-labelledby="evaluations" class="mt-8">
            <h2 id="evaluations" class="text-xl font-semibold">{t.report_evaluations()}</h2>
            <p><a class="inline-flex min-h-11 items-center underline" href=href(locale, "/workspace/reports/evaluations.csv") download="evaluations.csv">{t.report_download_csv()}</a></p>
            {if evaluations.is_empty() { Some(view! { <p>{t.report_nothing_yet()}</p> }) } else { None }}
            {evaluations.iter().map(|row| {
                let heading = format!("{}, {}", report.format_name(row.format_id, locale), month_label(locale, &row.month));
                view! { <EvaluationResults t row=row.clone() heading /> }
            }).collect_view()}
        </section>
    }
}

/// A month of the report (`YYYY-MM`) as people read it: "November 2026".
fn month_label(locale: Locale, month: &str) -> String {
    parse_month(month)
        .map_or_else(|| month.to_string(), |(year, month)| timefmt::month_title(locale, year, month))
}

fn shown_text(t: Tr, figure: Shown) -> String {
    figure.count().map_or_else(|| t.report_fewer_than_five().to_string(), |n| n.to_string())
}

#[component]
fn ParticipationLine(t: Tr, row: ParticipationRow, format: String) -> impl IntoView {
    view! {
        <tr>
            <td>{month_label(t.0, &row.month)}</td>
            <td>{format}</td>
            <td>{row.offerings}</td>
            <td>{row.seats}</td>
            <td>{shown_text(t, row.registrations)}</td>
            <td>{row.fill_rate.map_or_else(|| t.report_fewer_than_five().to_string(), |rate| format!("{rate} %"))}</td>
            <td>{shown_text(t, row.waitlisted)}</td>
            <td>{shown_text(t, row.cancelled)}</td>
        </tr>
    }
}

/// Who registered in a format's month: by language, career stage and province.
#[component]
fn WhoCame(t: Tr, row: ParticipationRow, format: String) -> impl IntoView {
    let languages: Vec<String> = Locale::ALL
        .iter()
        .map(|l| if *l == Locale::En { t.language_en() } else { t.language_fr() }.to_string())
        .collect();
    let stages: Vec<String> = CareerStage::ALL.iter().map(|s| career_label(t, *s).to_string()).collect();
    let provinces: Vec<String> = Province::ALL.iter().map(|p| province_label(t, *p).to_string()).collect();
    view! {
        <details class="mt-3">
            <summary class="min-h-11 cursor-pointer py-2 font-medium">{t.report_who_came(&format, month_label(t.0, &row.month))}</summary>
            <div class="flex flex-wrap gap-6">
                <Bars t title=t.report_languages().to_string() labels=languages breakdown=row.languages.clone() />
                <Bars t title=t.report_career_stages().to_string() labels=stages breakdown=row.career_stages.clone() />
                <Bars t title=t.report_provinces().to_string() labels=provinces breakdown=row.provinces.clone() />
            </div>
        </details>
    }
}

/// One group of evaluation (or survey) answers: a bar chart per question, and the comments.
#[component]
pub fn EvaluationResults(t: Tr, row: EvaluationRow, heading: String) -> impl IntoView {
    view! {
        <article class="mt-4 rounded border border-slate-300 p-4 dark:border-slate-600">
            <h3 class="font-semibold">{heading}</h3>
            <p>{t.report_responses(shown_text(t, row.responses))}</p>
            <div class="flex flex-wrap gap-6">
                {row.questions.iter().map(|result| {
                    let asked = &result.question;
                    let labels = asked.values().iter().map(|value| asked.value_label(t.0, value)).collect();
                    view! { <Bars t title=asked.prompt(t.0).to_string() labels breakdown=result.breakdown.clone() /> }
                }).collect_view()}
            </div>
            {(!row.comments.is_empty()).then(|| view! {
                <h4 class="mt-3 font-medium">{t.report_comments()}</h4>
                <ul class="list-disc pl-6">{row.comments.iter().map(|comment| view! { <li class="whitespace-pre-line">{comment.clone()}</li> }).collect_view()}</ul>
            })}
        </article>
    }
}

/// Horizontal bars, one per part, drawn on the server; the same figures follow in a table
/// for screen readers. A hidden part has no bar, only the words saying why.
#[component]
fn Bars(t: Tr, title: String, labels: Vec<String>, breakdown: Breakdown) -> impl IntoView {
    const ROW: usize = 26;
    const LABEL_WIDTH: u32 = 150;
    const BAR_WIDTH: u32 = 170;
    let widest = breakdown.parts.iter().filter_map(|part| part.count()).max().unwrap_or(0).max(1);
    let height = labels.len() * ROW;
    let rows: Vec<(String, Shown)> = labels.into_iter().zip(breakdown.parts.iter().copied()).collect();
    let bars = rows
        .iter()
        .enumerate()
        .map(|(index, (label, part))| {
            let y = index * ROW;
            let width = part.count().map_or(0, |n| u64::from(n) * u64::from(BAR_WIDTH) / u64::from(widest));
            view! {
                <text x="0" y=y + 17 fill="currentColor" font-size="13">{label.clone()}</text>
                {(width > 0).then(|| view! { <rect x=LABEL_WIDTH y=y + 4 width=width height="18" class="fill-teal-700 dark:fill-teal-400" /> })}
                <text x=u64::from(LABEL_WIDTH) + width + 6 y=y + 17 fill="currentColor" font-size="13">{shown_text(t, *part)}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="mt-3 w-full max-w-md">
            <figcaption class="font-medium">{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 420 {height}") class="w-full" aria-hidden="true">{bars}</svg>
            <table class="sr-only">
                <caption>{title}</caption>
                <tbody>{rows.iter().map(|(label, part)| view! { <tr><th scope="row">{label.clone()}</th><td>{shown_text(t, *part)}</td></tr> }).collect_view()}</tbody>
            </table>
        </figure>
    }
}

/// A line of one figure by month, oldest first; a hidden month has no point.
#[component]
fn MonthLine(t: Tr, title: String, points: Vec<(String, Shown)>) -> impl IntoView {
    const WIDTH: usize = 360;
    const HEIGHT: u64 = 120;
    let highest = points.iter().filter_map(|(_, p)| p.count()).max().unwrap_or(0).max(1);
    let step = if points.len() > 1 { WIDTH / (points.len() - 1) } else { 0 };
    let place = |index: usize, count: u32| {
        (30 + index * step, 10 + HEIGHT - u64::from(count) * HEIGHT / u64::from(highest))
    };
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .filter_map(|(index, (_, point))| point.count().map(|count| place(index, count)))
        .map(|(x, y)| format!("{x},{y}"))
        .collect();
    let dots = points
        .iter()
        .enumerate()
        .filter_map(|(index, (_, point))| point.count().map(|count| place(index, count)))
        .map(|(x, y)| view! { <circle cx=x cy=y r="4" class="fill-teal-700 dark:fill-teal-400" /> })
        .collect_view();
    let months = points
        .iter()
        .enumerate()
        .map(|(index, (month, _))| view! { <text x=30 + index * step y=HEIGHT + 30 fill="currentColor" font-size="12" text-anchor="middle">{month.clone()}</text> })
        .collect_view();
    view! {
        <figure class="mt-3 w-full max-w-md">
            <figcaption class="font-medium">{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 420 {}", HEIGHT + 40) class="w-full" aria-hidden="true">
                <polyline points=line.join(" ") fill="none" stroke="currentColor" stroke-width="2" />
                {dots}
                {months}
            </svg>
            <table class="sr-only">
                <caption>{title}</caption>
                <tbody>{points.iter().map(|(month, point)| view! { <tr><th scope="row">{month.clone()}</th><td>{shown_text(t, *point)}</td></tr> }).collect_view()}</tbody>
            </table>
        </figure>
    }
}
