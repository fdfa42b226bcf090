//! The viewer's own time zone beside Eastern Time.
//!
//! The server only knows Eastern Time, so server-rendered HTML shows ET alone and reads
//! correctly without JavaScript. Once the page has hydrated, these islands add each time on
//! the device's own clock, or in the zone the viewer picked (remembered on the device).
//! Both islands share one signal, so changing the zone updates every time on the page.
//!
//! The device's clock is read through `Date`, labelled by its offset from UTC ("UTC−8"):
//! the browser's named zones (`Intl.DateTimeFormat`) cost a phone some 150 ms of blocked
//! page the first time they are used, so they are loaded only for a zone the viewer chose.

use crate::i18n::{Locale, Tr};
use crate::timefmt;
use leptos::prelude::*;

/// Whose clock the second time follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewerZone {
    /// The device's own clock.
    Device,
    /// A zone the viewer picked, by its IANA name.
    Chosen(String),
}

thread_local! {
    /// The zone chosen or detected in this browser; `None` until an island has mounted, and
    /// always `None` on the server.
    static VIEWER_ZONE: ArcRwSignal<Option<ViewerZone>> = ArcRwSignal::new(None);
}

fn viewer_zone() -> ArcRwSignal<Option<ViewerZone>> {
    VIEWER_ZONE.with(Clone::clone)
}

/// Fills the shared zone on first use, from the device's choice or the browser's own clock.
fn detect_viewer_zone(zone: &ArcRwSignal<Option<ViewerZone>>) {
    if zone.get_untracked().is_none() {
        zone.set(Some(browser::viewer_choice()));
    }
}

/// A session's time in the viewer's zone, shown under its Eastern Time. Renders nothing on
/// the server, and nothing when the viewer's clock reads the same as Eastern Time
/// (`reference_offset_minutes` is Eastern Time's offset from UTC at the start).
#[island]
pub fn ViewerTime(
    start_ms: i64,
    end_ms: i64,
    reference_offset_minutes: i32,
    locale: Locale,
) -> impl IntoView {
    let zone = viewer_zone();
    // Another island may already have detected the zone when this one hydrates; rendering it
    // before this island's own effect has run would not match the server's HTML.
    let mounted = RwSignal::new(false);
    // Effects run once the island has hydrated, and each island wakes in a task of its own
    // (`island_start.js`), so a long calendar never holds the main thread in one stretch.
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
        browser::describe_range(start_ms, end_ms, reference_offset_minutes, &zone, locale)
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
            detect_viewer_zone(&zone);
            ready.set(true);
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
                    let chosen = match zone.get() {
                        Some(ViewerZone::Chosen(name)) => Some(name),
                        Some(ViewerZone::Device) | None => None,
                    };
                    let device = t.time_zone_device(timefmt::utc_offset_label(browser::device_offset_now()));
                    let listed = zones.get();
                    let shown = if listed.is_empty() { chosen.iter().cloned().collect() } else { listed };
                    zone_options(&device, &shown, chosen.as_deref())
                }
            };
            let on_change = move |ev| {
                let chosen = event_target_value(&ev);
                browser::remember_zone((!chosen.is_empty()).then_some(chosen.as_str()));
                zone.set(Some(browser::viewer_choice()));
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

/// What only a browser can answer: the device's clock (`Date`), the zones it knows and
/// wall-clock times in any of them (`Intl.DateTimeFormat`), and the viewer's remembered choice
/// (`localStorage`).
#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use super::ViewerZone;
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
        /// Building an `Intl.DateTimeFormat` costs far more than using one, and a page asks
        /// for the same few zones again and again.
        static FORMATTERS: RefCell<HashMap<(String, String, Purpose), Intl::DateTimeFormat>> =
            RefCell::new(HashMap::new());
        static SUPPORTED_ZONES: Vec<String> = Intl::supported_values_of(Intl::SupportedValuesKey::TimeZone)
            .iter()
            .filter_map(|zone| zone.as_string())
            .collect();
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

    /// The wall clock of a named zone.
    fn zone_wall_clock(ms: i64, zone: &str) -> Option<NaiveDateTime> {
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

    /// The device's wall clock, from `Date`'s local fields.
    fn device_wall_clock(ms: i64) -> Option<NaiveDateTime> {
        let date = Date::new(&JsValue::from_f64(ms as f64));
        NaiveDate::from_ymd_opt(date.get_full_year() as i32, date.get_month() + 1, date.get_date())?
            .and_hms_opt(date.get_hours(), date.get_minutes(), 0)
    }

    fn wall_clock(ms: i64, zone: &ViewerZone) -> Option<NaiveDateTime> {
        match zone {
            ViewerZone::Device => device_wall_clock(ms),
            ViewerZone::Chosen(name) => zone_wall_clock(ms, name),
        }
    }

    /// The device clock's offset from UTC at `ms`, in minutes (east positive).
    fn device_offset(ms: i64) -> i32 {
        -(Date::new(&JsValue::from_f64(ms as f64)).get_timezone_offset() as i32)
    }

    pub fn device_offset_now() -> i32 {
        device_offset(Date::now() as i64)
    }

    /// A zone's offset from UTC at `ms`, in minutes (east positive).
    fn offset(ms: i64, zone: &ViewerZone) -> Option<i32> {
        match zone {
            ViewerZone::Device => Some(device_offset(ms)),
            ViewerZone::Chosen(name) => {
                let wall = zone_wall_clock(ms, name)?.and_utc().timestamp_millis();
                // The wall clock drops seconds; offsets are whole minutes.
                Some(((wall - ms) as f64 / 60_000.0).round() as i32)
            }
        }
    }

    fn zone_label(ms: i64, zone: &ViewerZone, locale: Locale) -> String {
        match zone {
            ViewerZone::Device => timefmt::utc_offset_label(device_offset(ms)),
            ViewerZone::Chosen(name) if name == REFERENCE_ZONE => {
                timefmt::reference_zone_label(locale).to_string()
            }
            ViewerZone::Chosen(name) => parts(&formatter(locale.bcp47(), name, Purpose::ZoneName), ms)
                .into_iter()
                .find(|(kind, _)| kind == "timeZoneName")
                .map(|(_, label)| label)
                .unwrap_or_else(|| name.replace('_', " ")),
        }
    }

    /// The range in `zone`, or `None` when that zone's clock reads like Eastern Time, whose
    /// offset from UTC at the start is `reference_offset_minutes`.
    pub fn describe_range(
        start_ms: i64,
        end_ms: i64,
        reference_offset_minutes: i32,
        zone: &ViewerZone,
        locale: Locale,
    ) -> Option<String> {
        if offset(start_ms, zone)? == reference_offset_minutes {
            return None;
        }
        describe_in_zone(start_ms, end_ms, zone, locale)
    }

    /// The range in `zone`, whatever that zone is.
    fn describe_in_zone(start_ms: i64, end_ms: i64, zone: &ViewerZone, locale: Locale) -> Option<String> {
        let (start, end) = (wall_clock(start_ms, zone)?, wall_clock(end_ms, zone)?);
        Some(timefmt::date_time_range_short(locale, start, end, &zone_label(start_ms, zone, locale)))
    }

    /// Eastern Time, the zone every session is scheduled in, and its offset from UTC at the
    /// start: for times the server did not render.
    pub fn eastern(start_ms: i64, end_ms: i64, locale: Locale) -> Option<(String, i32)> {
        let reference = ViewerZone::Chosen(REFERENCE_ZONE.to_string());
        Some((describe_in_zone(start_ms, end_ms, &reference, locale)?, offset(start_ms, &reference)?))
    }

    /// The zone the viewer picked on this device, or else the device's own clock.
    pub fn viewer_choice() -> ViewerZone {
        remembered_zone().map_or(ViewerZone::Device, ViewerZone::Chosen)
    }

    pub fn supported_zones() -> Vec<String> {
        SUPPORTED_ZONES.with(Clone::clone)
    }

    pub fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The zone the viewer chose earlier, if the browser still knows it.
    fn remembered_zone() -> Option<String> {
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
    use super::ViewerZone;
    use crate::i18n::Locale;

    pub fn describe_range(_: i64, _: i64, _: i32, _: &ViewerZone, _: Locale) -> Option<String> {
        None
    }
    pub fn eastern(_: i64, _: i64, _: Locale) -> Option<(String, i32)> {
        None
    }
    pub fn device_offset_now() -> i32 {
        0
    }
    pub fn viewer_choice() -> ViewerZone {
        ViewerZone::Device
    }
    pub fn supported_zones() -> Vec<String> {
        Vec::new()
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
