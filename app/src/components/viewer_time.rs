//! The viewer's own time zone beside Eastern Time.
//!
//! The server only knows Eastern Time, so server-rendered HTML shows ET alone and reads
//! correctly without JavaScript. Once the page has hydrated, these islands add each time in
//! the zone the browser reports, or in the zone the viewer picked (remembered on the device).
//! Both islands share one signal, so changing the zone updates every time on the page.

use crate::i18n::{Locale, Tr};
use leptos::prelude::*;

thread_local! {
    /// The zone chosen or detected in this browser; `None` until an island has mounted, and
    /// always `None` on the server.
    static VIEWER_ZONE: ArcRwSignal<Option<String>> = ArcRwSignal::new(None);
}

fn viewer_zone() -> ArcRwSignal<Option<String>> {
    VIEWER_ZONE.with(Clone::clone)
}

/// Fills the shared zone on first use, from the device's choice or the browser's own zone.
fn detect_viewer_zone(zone: &ArcRwSignal<Option<String>>) {
    if zone.get_untracked().is_none() {
        zone.set(browser::remembered_zone().or_else(browser::device_zone));
    }
}

/// A session's time in the viewer's zone, shown under its Eastern Time. Renders nothing on
/// the server, and nothing when the viewer's clock reads the same as Eastern Time.
#[island]
pub fn ViewerTime(start_ms: i64, end_ms: i64, locale: Locale) -> impl IntoView {
    let zone = viewer_zone();
    // Another island may already have detected the zone when this one hydrates; rendering it
    // before this island's own effect has run would not match the server's HTML.
    let mounted = RwSignal::new(false);
    Effect::new({
        let zone = zone.clone();
        move |_| {
            detect_viewer_zone(&zone);
            mounted.set(true);
        }
    });
    let text = move || {
        if !mounted.get() {
            return None;
        }
        let zone = zone.get()?;
        browser::describe_range(start_ms, end_ms, &zone, locale)
    };
    move || {
        text().map(|text| {
            view! {
                <span class="viewer-time block text-sm text-slate-700 dark:text-slate-300">
                    {Tr(locale).time_yours()} " " {text}
                </span>
            }
        })
    }
}

/// Lets the viewer choose the zone of the second time; appears once the page has hydrated.
#[island]
pub fn ZonePicker(locale: Locale) -> impl IntoView {
    let t = Tr(locale);
    let zone = viewer_zone();
    let zones = RwSignal::new(Vec::<String>::new());
    Effect::new({
        let zone = zone.clone();
        move |_| {
            detect_viewer_zone(&zone);
            zones.set(browser::supported_zones());
        }
    });
    let device = browser::device_zone().unwrap_or_default();
    move || {
        let list = zones.get();
        (!list.is_empty()).then(|| {
            let current = zone.get().unwrap_or_default();
            let remembered = browser::remembered_zone();
            let zone = zone.clone();
            let on_change = move |ev| {
                let chosen = event_target_value(&ev);
                browser::remember_zone((!chosen.is_empty()).then_some(chosen.as_str()));
                zone.set(browser::remembered_zone().or_else(browser::device_zone));
            };
            view! {
                <label class="flex flex-wrap items-center gap-2 text-sm">
                    <span>{t.time_zone_picker()}</span>
                    <select
                        id="viewer-zone"
                        class="min-h-11 rounded border border-slate-400 bg-white px-2 dark:bg-slate-900"
                        on:change=on_change
                    >
                        <option value="" selected=remembered.is_none()>
                            {t.time_zone_device(&device)}
                        </option>
                        {list
                            .into_iter()
                            .map(|name| {
                                let selected = remembered.is_some() && name == current;
                                view! { <option value=name.clone() selected=selected>{name.replace('_', " ")}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        })
    }
}

/// What only a browser can answer: the device's zone, the zones it knows, wall-clock times
/// in any of them (`Intl.DateTimeFormat`), and the viewer's remembered choice (`localStorage`).
#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use crate::i18n::Locale;
    use crate::timefmt;
    use chrono::{NaiveDate, NaiveDateTime};
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    const STORAGE_KEY: &str = "rounds.viewer-zone";
    const REFERENCE_ZONE: &str = "America/Toronto";

    fn formatter(locale: &str, zone: &str, options: &[(&str, &str)]) -> Intl::DateTimeFormat {
        let opts = Object::new();
        let _ = Reflect::set(&opts, &"timeZone".into(), &zone.into());
        for (key, value) in options {
            let _ = Reflect::set(&opts, &(*key).into(), &(*value).into());
        }
        Intl::DateTimeFormat::new(&Array::of1(&locale.into()), &opts)
    }

    fn parts(format: &Intl::DateTimeFormat, ms: i64) -> Vec<(String, String)> {
        let date = Date::new(&JsValue::from_f64(ms as f64));
        format
            .format_to_parts(&date)
            .iter()
            .filter_map(|part| {
                let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
                let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
                Some((kind, value))
            })
            .collect()
    }

    fn wall_clock(ms: i64, zone: &str) -> Option<NaiveDateTime> {
        let format = formatter(
            "en-CA",
            zone,
            &[
                ("year", "numeric"),
                ("month", "numeric"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "numeric"),
                ("hourCycle", "h23"),
            ],
        );
        let parts = parts(&format, ms);
        let field = |name: &str| -> Option<u32> {
            parts.iter().find(|(kind, _)| kind == name).and_then(|(_, v)| v.parse().ok())
        };
        NaiveDate::from_ymd_opt(field("year")? as i32, field("month")?, field("day")?)?.and_hms_opt(
            field("hour")?,
            field("minute")?,
            0,
        )
    }

    fn zone_label(ms: i64, zone: &str, locale: Locale) -> String {
        let format = formatter(locale.bcp47(), zone, &[("timeZoneName", "short")]);
        parts(&format, ms)
            .into_iter()
            .find(|(kind, _)| kind == "timeZoneName")
            .map(|(_, label)| label)
            .unwrap_or_else(|| zone.replace('_', " "))
    }

    /// The range in `zone`, or `None` when that zone's clock reads like Eastern Time.
    pub fn describe_range(start_ms: i64, end_ms: i64, zone: &str, locale: Locale) -> Option<String> {
        let start = wall_clock(start_ms, zone)?;
        if wall_clock(start_ms, REFERENCE_ZONE) == Some(start) {
            return None;
        }
        let end = wall_clock(end_ms, zone)?;
        Some(timefmt::date_time_range_short(locale, start, end, &zone_label(start_ms, zone, locale)))
    }

    /// The instant at which the clocks of `zone` show `local`: the offset at a first guess,
    /// checked once more at the result (which settles it except inside a clock change).
    pub fn instant_in_zone(local: NaiveDateTime, zone: &str) -> Option<i64> {
        let as_utc = local.and_utc().timestamp_millis();
        let offset = |ms: i64| Some(wall_clock(ms, zone)?.and_utc().timestamp_millis() - ms);
        let guess = as_utc - offset(as_utc)?;
        Some(as_utc - offset(guess)?)
    }

    /// A moment in Eastern Time and in UTC: "Tue., Dec. 1, 2026, 7 PM ET" and "… 0 h UTC".
    pub fn in_reference_and_utc(ms: i64, locale: Locale) -> Option<(String, String)> {
        let eastern = wall_clock(ms, REFERENCE_ZONE)?;
        let utc = wall_clock(ms, "UTC")?;
        Some((
            timefmt::date_time(locale, eastern, timefmt::reference_zone_label(locale)),
            timefmt::date_time(locale, utc, "UTC"),
        ))
    }

    pub fn device_zone() -> Option<String> {
        let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
        Reflect::get(&format.resolved_options(), &"timeZone".into()).ok()?.as_string()
    }

    pub fn supported_zones() -> Vec<String> {
        Intl::supported_values_of(Intl::SupportedValuesKey::TimeZone)
            .iter()
            .filter_map(|zone| zone.as_string())
            .collect()
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The zone the viewer chose earlier, if the browser still knows it.
    pub fn remembered_zone() -> Option<String> {
        let zone = storage()?.get_item(STORAGE_KEY).ok()??;
        supported_zones().contains(&zone).then_some(zone)
    }

    pub fn remember_zone(zone: Option<&str>) {
        if let Some(storage) = storage() {
            let _ = match zone {
                Some(zone) => storage.set_item(STORAGE_KEY, zone),
                None => storage.remove_item(STORAGE_KEY),
            };
        }
    }
}

/// On the server no viewer zone is known: the page shows Eastern Time only.
#[cfg(not(feature = "hydrate"))]
pub(crate) mod browser {
    use crate::i18n::Locale;
    use chrono::NaiveDateTime;

    pub fn instant_in_zone(_: NaiveDateTime, _: &str) -> Option<i64> {
        None
    }
    pub fn in_reference_and_utc(_: i64, _: Locale) -> Option<(String, String)> {
        None
    }
    pub fn describe_range(_: i64, _: i64, _: &str, _: Locale) -> Option<String> {
        None
    }
    pub fn device_zone() -> Option<String> {
        None
    }
    pub fn supported_zones() -> Vec<String> {
        Vec::new()
    }
    pub fn remembered_zone() -> Option<String> {
        None
    }
    pub fn remember_zone(_: Option<&str>) {}
}
