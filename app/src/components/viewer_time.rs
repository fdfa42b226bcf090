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

/// Runs `work` in a task of its own once the current one (hydrating every island) is done.
fn after_hydration(work: Box<dyn FnOnce()>) {
    set_timeout(work, std::time::Duration::ZERO);
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
            // Each island's work waits for its own turn of the event loop, so a calendar of
            // dozens of sessions never blocks the phone's main thread in one long stretch.
            browser::prepare_formatters(locale, after_hydration);
            let zone = zone.clone();
            after_hydration(Box::new(move || {
                detect_viewer_zone(&zone);
                mounted.set(true);
            }));
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
    let ready = RwSignal::new(false);
    // Some four hundred zones, listed only when the viewer reaches for the picker: building
    // them while the page loads would hold up a phone for nothing most visits.
    let zones = RwSignal::new(Vec::<String>::new());
    Effect::new({
        let zone = zone.clone();
        move |_| {
            browser::prepare_formatters(locale, after_hydration);
            let zone = zone.clone();
            after_hydration(Box::new(move || {
                detect_viewer_zone(&zone);
                ready.set(true);
            }));
        }
    });
    let list_every_zone = move || {
        if zones.with_untracked(Vec::is_empty) {
            zones.set(browser::supported_zones());
        }
    };
    move || {
        ready.get().then(|| {
            let zone = zone.clone();
            let options = {
                let zone = zone.clone();
                move || {
                    let remembered = browser::remembered_zone();
                    let current = zone.get().unwrap_or_default();
                    let device = t.time_zone_device(browser::device_zone().unwrap_or_default());
                    let listed = zones.get();
                    let shown = if listed.is_empty() { remembered.iter().cloned().collect() } else { listed };
                    zone_options(&device, &shown, remembered.is_some().then_some(current.as_str()))
                }
            };
            let on_change = move |ev| {
                let chosen = event_target_value(&ev);
                browser::remember_zone((!chosen.is_empty()).then_some(chosen.as_str()));
                zone.set(browser::remembered_zone().or_else(browser::device_zone));
            };
            view! {
                <label class="flex flex-wrap items-center gap-2 text-sm">
                    <span>{t.time_zone_picker()}</span>
                    // Written as one string of HTML, which the browser parses far faster than
                    // it would take four hundred options one element at a time.
                    <select
                        id="viewer-zone"
                        class="min-h-11 rounded border border-slate-400 bg-white px-2 dark:bg-slate-900"
                        on:change=on_change
                        on:focus=move |_| list_every_zone()
                        on:pointerdown=move |_| list_every_zone()
                        inner_html=options
                    ></select>
                </label>
            }
        })
    }
}

/// The picker's options: the device's own zone first, then every zone the browser knows.
fn zone_options(device_label: &str, zones: &[String], chosen: Option<&str>) -> String {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let mut html = format!(
        r#"<option value=""{}>{}</option>"#,
        if chosen.is_none() { " selected" } else { "" },
        escape(device_label)
    );
    for zone in zones {
        let selected = if chosen == Some(zone.as_str()) { " selected" } else { "" };
        html.push_str(&format!(
            r#"<option value="{}"{selected}>{}</option>"#,
            escape(zone),
            escape(&zone.replace('_', " "))
        ));
    }
    html
}

/// What only a browser can answer: the device's zone, the zones it knows, wall-clock times
/// in any of them (`Intl.DateTimeFormat`), and the viewer's remembered choice (`localStorage`).
#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use crate::i18n::Locale;
    use crate::timefmt;
    use chrono::{NaiveDate, NaiveDateTime};
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::JsValue;

    const STORAGE_KEY: &str = "rounds.viewer-zone";
    const REFERENCE_ZONE: &str = "America/Toronto";

    /// What a formatter is for: the numeric wall clock, or the zone's short name.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Purpose {
        WallClock,
        ZoneName,
    }

    thread_local! {
        /// Building an `Intl.DateTimeFormat` costs far more than using one, and a calendar page
        /// asks for the same few zones dozens of times while it hydrates.
        static FORMATTERS: RefCell<HashMap<(String, String, Purpose), Intl::DateTimeFormat>> =
            RefCell::new(HashMap::new());
        static SUPPORTED_ZONES: Vec<String> = Intl::supported_values_of(Intl::SupportedValuesKey::TimeZone)
            .iter()
            .filter_map(|zone| zone.as_string())
            .collect();
        static DEVICE_ZONE: Option<String> = {
            let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
            Reflect::get(&format.resolved_options(), &"timeZone".into()).ok().and_then(|zone| zone.as_string())
        };
    }

    fn formatter(locale: &str, zone: &str, purpose: Purpose) -> Intl::DateTimeFormat {
        let key = (locale.to_string(), zone.to_string(), purpose);
        if let Some(cached) = FORMATTERS.with_borrow(|all| all.get(&key).cloned()) {
            return cached;
        }
        let options: &[(&str, &str)] = match purpose {
            Purpose::WallClock => &[
                ("year", "numeric"),
                ("month", "numeric"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "numeric"),
                ("hourCycle", "h23"),
            ],
            Purpose::ZoneName => &[("timeZoneName", "short")],
        };
        let opts = Object::new();
        let _ = Reflect::set(&opts, &"timeZone".into(), &zone.into());
        for (key, value) in options {
            let _ = Reflect::set(&opts, &(*key).into(), &(*value).into());
        }
        let format = Intl::DateTimeFormat::new(&Array::of1(&locale.into()), &opts);
        FORMATTERS.with_borrow_mut(|all| all.insert(key, format.clone()));
        format
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
        let parts = parts(&formatter("en-CA", zone, Purpose::WallClock), ms);
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
        parts(&formatter(locale.bcp47(), zone, Purpose::ZoneName), ms)
            .into_iter()
            .find(|(kind, _)| kind == "timeZoneName")
            .map(|(_, label)| label)
            .unwrap_or_else(|| zone.replace('_', " "))
    }

    thread_local! {
        static PREPARED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Builds, once per page and one per task, the formatters the islands are about to use.
    /// The first ones load the browser's time-zone data, which takes a phone a noticeable
    /// moment; spread out like this, taps and scrolling are answered in between.
    pub fn prepare_formatters(locale: Locale, schedule: fn(Box<dyn FnOnce()>)) {
        if PREPARED.replace(true) {
            return;
        }
        let viewer_zone = || remembered_zone().or_else(device_zone);
        schedule(Box::new(|| drop(device_zone())));
        schedule(Box::new(|| drop(formatter("en-CA", REFERENCE_ZONE, Purpose::WallClock))));
        schedule(Box::new(move || {
            if let Some(zone) = viewer_zone() {
                drop(formatter("en-CA", &zone, Purpose::WallClock));
            }
        }));
        schedule(Box::new(move || {
            if let Some(zone) = viewer_zone() {
                drop(formatter(locale.bcp47(), &zone, Purpose::ZoneName));
            }
        }));
    }

    /// The range in `zone`, or `None` when that zone's clock reads like Eastern Time.
    pub fn describe_range(start_ms: i64, end_ms: i64, zone: &str, locale: Locale) -> Option<String> {
        let start = wall_clock(start_ms, zone)?;
        if wall_clock(start_ms, REFERENCE_ZONE) == Some(start) {
            return None;
        }
        describe_in_zone(start_ms, end_ms, zone, locale)
    }

    /// The range in `zone`, whatever that zone is.
    pub fn describe_in_zone(start_ms: i64, end_ms: i64, zone: &str, locale: Locale) -> Option<String> {
        let (start, end) = (wall_clock(start_ms, zone)?, wall_clock(end_ms, zone)?);
        let label = if zone == REFERENCE_ZONE {
            timefmt::reference_zone_label(locale).to_string()
        } else {
            zone_label(start_ms, zone, locale)
        };
        Some(timefmt::date_time_range_short(locale, start, end, &label))
    }

    /// Eastern Time, the zone every session is scheduled in.
    pub fn eastern(start_ms: i64, end_ms: i64, locale: Locale) -> Option<String> {
        describe_in_zone(start_ms, end_ms, REFERENCE_ZONE, locale)
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
        DEVICE_ZONE.with(Clone::clone)
    }

    pub fn supported_zones() -> Vec<String> {
        SUPPORTED_ZONES.with(Clone::clone)
    }

    pub fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The zone the viewer chose earlier, if the browser still knows it.
    pub fn remembered_zone() -> Option<String> {
        let zone = storage()?.get_item(STORAGE_KEY).ok()??;
        SUPPORTED_ZONES.with(|known| known.contains(&zone)).then_some(zone)
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
    pub fn prepare_formatters(_: Locale, _: fn(Box<dyn FnOnce()>)) {}
    pub fn in_reference_and_utc(_: i64, _: Locale) -> Option<(String, String)> {
        None
    }
    pub fn describe_range(_: i64, _: i64, _: &str, _: Locale) -> Option<String> {
        None
    }
    pub fn eastern(_: i64, _: i64, _: Locale) -> Option<String> {
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
    pub fn storage() -> Option<web_sys::Storage> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::zone_options;

    #[test]
    fn zone_options_mark_the_choice_and_escape_text() {
        let zones = ["America/St_Johns".to_string(), "Asia/Tokyo".to_string()];
        let html = zone_options("This device’s zone (A&B)", &zones, Some("Asia/Tokyo"));
        assert_eq!(
            html,
            concat!(
                r#"<option value="">This device’s zone (A&amp;B)</option>"#,
                r#"<option value="America/St_Johns">America/St Johns</option>"#,
                r#"<option value="Asia/Tokyo" selected>Asia/Tokyo</option>"#,
            )
        );
        assert!(zone_options("Device", &zones, None).starts_with(r#"<option value="" selected>"#));
    }
}
