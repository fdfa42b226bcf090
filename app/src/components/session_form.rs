//! The form that schedules or changes a session. Server-rendered and posted as a plain form;
//! its date, time and zone are an island that, once hydrated, shows the moment typed in
//! Eastern Time and UTC as the facilitator types. The server converts (`schedule_preview`),
//! with the zone rules it stores the session with, so the preview is what gets saved.

use super::fields::{ErrorSummary, INPUT, SelectField, TextArea, TextField, control_id};
use super::form_errors::schedule_error_text;
use super::session_card::{audience_label, language_label};
use crate::domain::forms::{Field, FieldError};
use crate::domain::session::{Audience, SessionLanguage};
use crate::domain::session_form::SessionForm;
use crate::domain::zones::SCHEDULING_ZONES;
use crate::error::AppError;
use crate::i18n::{Locale, Tr};
use crate::model::FormatInfo;
use leptos::prelude::*;

pub fn zone_label(t: Tr, zone: &str) -> &'static str {
    match zone {
        "America/Toronto" => t.zone_eastern(),
        "America/Halifax" => t.zone_atlantic(),
        "America/St_Johns" => t.zone_newfoundland(),
        "America/Winnipeg" => t.zone_central(),
        "America/Regina" => t.zone_saskatchewan(),
        "America/Edmonton" => t.zone_mountain(),
        "America/Vancouver" => t.zone_pacific(),
        "America/Whitehorse" => t.zone_yukon(),
        _ => t.zone_utc(),
    }
}

/// Date, time and zone, and the moment they name in Eastern Time and UTC.
// A form island: an island in the full bundle, a plain component left out of the light one.
#[cfg_attr(every_island, island)]
#[cfg_attr(not(every_island), component)]
pub fn ScheduleFields(
    locale: Locale,
    date: String,
    time: String,
    zone: String,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let t = Tr(locale);
    let (date_value, time_value, zone_value) =
        (RwSignal::new(date.clone()), RwSignal::new(time.clone()), RwSignal::new(zone.clone()));
    let preview = RwSignal::new(None::<String>);
    let asked = StoredValue::new(0_u32);
    let (date_ref, time_ref, zone_ref) = (
        NodeRef::<leptos::html::Input>::new(),
        NodeRef::<leptos::html::Input>::new(),
        NodeRef::<leptos::html::Select>::new(),
    );
    // What was typed before the island woke up fired no handler: take it from the fields.
    Effect::new(move |_| {
        if let (Some(date), Some(time), Some(zone)) = (date_ref.get(), time_ref.get(), zone_ref.get()) {
            for (signal, typed) in
                [(date_value, date.value()), (time_value, time.value()), (zone_value, zone.value())]
            {
                if signal.get_untracked() != typed {
                    signal.set(typed);
                }
            }
        }
    });
    // Effects run only in the browser, once the island is awake.
    Effect::new(move |_| {
        let (date, time, zone) = (date_value.get(), time_value.get(), zone_value.get());
        let question = asked.get_value().wrapping_add(1);
        asked.set_value(question);
        leptos::task::spawn_local(async move {
            let answer = crate::api::workspace::schedule_preview(locale, date, time, zone).await;
            // An older question answered late must not replace a newer answer.
            if asked.get_value() == question {
                preview.set(answer.ok().flatten());
            }
        });
    });
    let error = |field: Field| errors.iter().find(|e| e.field == field).copied();
    let line = move |field: Field, id: &str| {
        error(field).map(|e| view! {
            <p id=format!("{id}-error") class="mt-1 text-sm font-semibold text-rose-800 dark:text-rose-300">{schedule_error_text(t, e).unwrap_or(t.error_form())}</p>
        })
    };
    let (date_id, time_id, zone_id) = (control_id("date"), control_id("time"), control_id("zone"));
    let invalid = |field: Field| error(field).is_some().then_some("true");
    let described = |field: Field, id: &str| error(field).is_some().then(|| format!("{id}-error"));
    view! {
        <div class="grid gap-4 sm:grid-cols-3">
            <div>
                <label class="block font-medium" for=date_id.clone()>{t.schedule_date()}</label>
                <input id=date_id.clone() name="date" type="date" class=INPUT value=date node_ref=date_ref
                    aria-invalid=invalid(Field::Date) aria-describedby=described(Field::Date, &date_id)
                    on:input=move |ev| date_value.set(event_target_value(&ev)) />
                {line(Field::Date, &date_id)}
            </div>
            <div>
                <label class="block font-medium" for=time_id.clone()>{t.schedule_time()}</label>
                <input id=time_id.clone() name="time" type="time" class=INPUT value=time node_ref=time_ref
                    aria-invalid=invalid(Field::Time) aria-describedby=described(Field::Time, &time_id)
                    on:input=move |ev| time_value.set(event_target_value(&ev)) />
                {line(Field::Time, &time_id)}
            </div>
            <div>
                <label class="block font-medium" for=zone_id.clone()>{t.schedule_zone()}</label>
                <select id=zone_id.clone() name="zone" class=INPUT node_ref=zone_ref
                    aria-invalid=invalid(Field::Zone) aria-describedby=described(Field::Zone, &zone_id)
                    on:change=move |ev| zone_value.set(event_target_value(&ev))>
                    {SCHEDULING_ZONES
                        .into_iter()
                        .map(|z| view! { <option value=z selected=z == zone>{zone_label(t, z)}</option> })
                        .collect_view()}
                </select>
                {line(Field::Zone, &zone_id)}
            </div>
        </div>
        <p class="mt-2 text-sm font-semibold" aria-live="polite">
            {move || preview.get()}
        </p>
    }
}

/// The whole form. `repeat`: a new session, which can repeat weekly; otherwise an existing one,
/// whose meeting link is never shown (an empty field keeps it).
#[component]
pub fn SessionFormFields(
    locale: Locale,
    values: SessionForm,
    errors: Vec<FieldError>,
    failure: Option<AppError>,
    formats: Vec<FormatInfo>,
    repeat: bool,
) -> impl IntoView {
    let t = Tr(locale);
    let format_options: Vec<(String, String)> =
        formats.into_iter().map(|f| (f.slug.clone(), f.name.pick(locale).0.to_string())).collect();
    let audiences =
        Audience::ALL.iter().map(|a| (a.as_str().to_string(), audience_label(t, *a).to_string())).collect();
    let languages = SessionLanguage::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), language_label(t, *l).to_string()))
        .collect();
    let zone = if values.zone.is_empty() { "America/Toronto".to_string() } else { values.zone.clone() };
    let e = || errors.clone();
    view! {
        <ErrorSummary t errors=e() failure />
        <fieldset class="space-y-4">
            <legend class="mb-2 text-lg font-semibold">{t.schedule_what()}</legend>
            <SelectField t label=t.filter_format() name="format" field=Field::Format options=format_options
                selected=values.format.clone() errors=e() placeholder=t.register_choose() />
            <p class="text-sm text-slate-700 dark:text-slate-300">{t.schedule_languages_hint()}</p>
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField t label=t.schedule_title_en() name="title_en" field=Field::Title value=values.title_en.clone() errors=e() lang="en" />
                <TextField t label=t.schedule_title_fr() name="title_fr" field=Field::Title value=values.title_fr.clone() lang="fr" />
                <TextArea t label=t.schedule_description_en() name="description_en" field=Field::Description value=values.description_en.clone() errors=e() lang="en" />
                <TextArea t label=t.schedule_description_fr() name="description_fr" field=Field::Description value=values.description_fr.clone() lang="fr" />
            </div>
        </fieldset>
        <fieldset class="mt-6 space-y-4">
            <legend class="mb-2 text-lg font-semibold">{t.schedule_when()}</legend>
            <ScheduleFields locale date=values.date.clone() time=values.time.clone() zone errors=e() />
            <div class="grid gap-4 sm:grid-cols-3">
                <TextField t label=t.schedule_duration() name="duration" field=Field::Duration kind="number"
                    value=if values.duration.is_empty() { "90".to_string() } else { values.duration.clone() } errors=e() />
                {repeat.then(|| view! {
                    <TextField t label=t.schedule_repeat() name="repeat" field=Field::Repeat kind="number"
                        value=if values.repeat.is_empty() { "1".to_string() } else { values.repeat.clone() } errors=e()
                        hint=t.schedule_repeat_hint() />
                })}
            </div>
        </fieldset>
        <fieldset class="mt-6 space-y-4">
            <legend class="mb-2 text-lg font-semibold">{t.schedule_who()}</legend>
            <div class="grid gap-4 sm:grid-cols-3">
                <TextField t label=t.schedule_capacity() name="capacity" field=Field::Capacity kind="number"
                    value=if values.capacity.is_empty() { "30".to_string() } else { values.capacity.clone() } errors=e()
                    hint=t.schedule_capacity_hint() />
                <SelectField t label=t.session_audience() name="audience" field=Field::Audience options=audiences
                    selected=if values.audience.is_empty() { "all".to_string() } else { values.audience.clone() } errors=e() />
                <SelectField t label=t.session_language() name="language" field=Field::SpokenLanguage options=languages
                    selected=if values.language.is_empty() { locale.as_str().to_string() } else { values.language.clone() } errors=e() />
            </div>
            <TextField t label=t.schedule_meeting_link() name="meeting_link" field=Field::MeetingLink kind="url"
                value=values.meeting_link.clone() errors=e()
                hint=if repeat { t.schedule_meeting_link_hint() } else { t.schedule_meeting_link_keep_hint() } />
        </fieldset>
        <fieldset class="mt-6 space-y-4">
            <legend class="mb-2 text-lg font-semibold">{t.schedule_series()}</legend>
            <div class="grid gap-4 sm:grid-cols-3">
                <TextField t label=t.schedule_series_en() name="series_name_en" field=Field::SeriesPart value=values.series_name_en.clone() lang="en" />
                <TextField t label=t.schedule_series_fr() name="series_name_fr" field=Field::SeriesPart value=values.series_name_fr.clone() lang="fr" />
                <TextField t label=t.schedule_series_part() name="series_part" field=Field::SeriesPart kind="number"
                    value=values.series_part.clone() errors=e() />
            </div>
        </fieldset>
    }
    .into_any()
}
