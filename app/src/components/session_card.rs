//! How a session appears in the calendar lists, and the small pieces the session page
//! shares with it: labels for language and audience, seats, and the time in two zones.

use super::layout::href;
use super::seats::SeatCount;
use super::viewer_time::ViewerTime;
use crate::domain::session::{
    Audience, Availability, SessionLanguage, SessionStatus, availability, shown_end,
};
use crate::domain::zones::{reference_offset_minutes, reference_time};
use crate::i18n::{Locale, Tr};
use crate::model::{Bilingual, Offering, SessionSummary};
use crate::timefmt;
use leptos::prelude::*;

pub fn language_label(t: Tr, language: SessionLanguage) -> &'static str {
    match language {
        SessionLanguage::En => t.language_en(),
        SessionLanguage::Fr => t.language_fr(),
        SessionLanguage::Bilingual => t.language_bilingual(),
    }
}

pub fn audience_label(t: Tr, audience: Audience) -> &'static str {
    match audience {
        Audience::All => t.audience_all(),
        Audience::Learners => t.audience_learners(),
        Audience::ResidentsOnLeave => t.audience_residents_on_leave(),
    }
}

/// Text written in one language only, marked with that language for readers of the other
/// (and for screen readers, through `lang`).
#[component]
pub fn LocalizedText(text: Bilingual, locale: Locale) -> impl IntoView {
    let (content, written_in) = text.pick(locale);
    let content = content.to_string();
    if written_in == locale {
        view! { <span>{content}</span> }.into_any()
    } else {
        let marker = match written_in {
            Locale::En => Tr(locale).content_only_english(),
            Locale::Fr => Tr(locale).content_only_french(),
        };
        view! {
            <span lang=written_in.as_str()>{content}</span>
            " "
            <span class="text-sm font-normal text-slate-600 dark:text-slate-400">"(" {marker} ")"</span>
        }
        .into_any()
    }
}

/// "Tue., Dec. 1, 2026, 7–8:30 PM ET", and the viewer's own time under it once hydrated.
#[component]
pub fn SessionTime(
    starts_at: chrono::DateTime<chrono::Utc>,
    duration_minutes: u32,
    locale: Locale,
) -> impl IntoView {
    let end = shown_end(starts_at, duration_minutes);
    let text = timefmt::date_time_range(
        locale,
        reference_time(starts_at),
        reference_time(end),
        timefmt::reference_zone_label(locale),
    );
    view! {
        <span class="block">
            <time datetime=starts_at.to_rfc3339() class="font-medium">{text}</time>
            <ViewerTime
                start_ms=starts_at.timestamp_millis()
                end_ms=end.timestamp_millis()
                reference_offset_minutes=reference_offset_minutes(starts_at)
                locale
            />
        </span>
    }
}

/// "12 seats left", "Full — join the waitlist", or "Cancelled".
pub fn seats_text(t: Tr, status: SessionStatus, capacity: u32, seats_taken: u32) -> String {
    if status == SessionStatus::Cancelled {
        return t.session_cancelled().to_string();
    }
    match availability(capacity, seats_taken) {
        Availability::SeatsLeft(left) => t.seats_left(i64::from(left)),
        Availability::Full => t.seats_full().to_string(),
    }
}

#[component]
pub fn SessionCard(session: SessionSummary, locale: Locale) -> impl IntoView {
    let t = Tr(locale);
    let cancelled = session.status == SessionStatus::Cancelled;
    let link = href(locale, &format!("/sessions/{}", session.id));
    let (format_name, _) = session.format_name.pick(locale);
    let format_name = format_name.to_string();
    let series = session.series.clone().map(|series| {
        let (name, _) = series.name.pick(locale);
        t.session_series_part(name, series.part)
    });
    view! {
        <article class="rounded-lg border border-slate-200 p-4 shadow-sm dark:border-slate-700" class:opacity-75=cancelled>
            <p class="text-xs font-semibold uppercase tracking-wide text-teal-800 dark:text-teal-300">
                {format_name}
                {series.map(|s| view! { " · " <span class="normal-case">{s}</span> })}
            </p>
            <h3 class="mt-1 text-lg font-semibold">
                <a href=link class="inline-flex min-h-11 items-center underline-offset-4 hover:underline" class:line-through=cancelled>
                    <LocalizedText text=session.title.clone() locale />
                </a>
            </h3>
            <div class="mt-1">
                <SessionTime starts_at=session.starts_at duration_minutes=session.duration_minutes locale />
            </div>
            <p class="mt-2 text-sm text-slate-700 dark:text-slate-300">
                {t.session_led_by(&session.facilitator_name)} " · "
                {language_label(t, session.language)} " · "
                {audience_label(t, session.audience)}
            </p>
            <p class="mt-2 text-sm font-semibold">
                <SeatCount
                    offering=Offering::Session(session.id)
                    capacity=session.capacity
                    seats_taken=session.seats_taken
                    status=session.status
                    locale
                />
            </p>
        </article>
    }
}
