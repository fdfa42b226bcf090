//! "My sessions" on the device: the registrations made in this browser, kept in its
//! `localStorage` (no account, nothing sent anywhere), listed with their times in Eastern Time
//! and in the viewer's zone, and readable offline once the service worker has the page.
//!
//! A registration's own page (the private link in its emails) records it here when it
//! hydrates, so registering with or without JavaScript, or opening the link from an email on
//! the phone, all end up in the list; its state there follows what that page last showed.

use crate::components::layout::href;
use crate::components::viewer_time::browser;
use crate::i18n::{Locale, Tr};
use crate::model::Bilingual;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the device keeps of one registration. The token is the registration's private link,
/// the same one its emails carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceEntry {
    pub token: String,
    pub session_id: i32,
    pub title: Bilingual,
    pub start_ms: i64,
    pub end_ms: i64,
    pub standing: Standing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Confirmed,
    Waitlisted,
    Cancelled,
}

/// Adds `entry`, or replaces the one with the same token; soonest first (then by token, so
/// the order is total and an unstable sort, smaller in the bundle, gives it).
pub fn upsert(mut entries: Vec<DeviceEntry>, entry: DeviceEntry) -> Vec<DeviceEntry> {
    entries.retain(|kept| kept.token != entry.token);
    entries.push(entry);
    entries.sort_unstable_by(|a, b| {
        (a.start_ms, a.session_id, &a.token).cmp(&(b.start_ms, b.session_id, &b.token))
    });
    entries
}

/// Every entry but the one with `token`.
pub fn without(mut entries: Vec<DeviceEntry>, token: &str) -> Vec<DeviceEntry> {
    entries.retain(|kept| kept.token != token);
    entries
}

/// Reads the list; anything unreadable (another version's format, a hand edit) counts as empty.
pub fn parse(stored: Option<&str>) -> Vec<DeviceEntry> {
    stored.and_then(|text| serde_json::from_str(text).ok()).unwrap_or_default()
}

const STORAGE_KEY: &str = "rounds.my-sessions";

fn load() -> Vec<DeviceEntry> {
    let stored = browser::storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    parse(stored.as_deref())
}

fn save(entries: &[DeviceEntry]) {
    if let (Some(storage), Ok(text)) = (browser::storage(), serde_json::to_string(entries)) {
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}

/// Records the registration shown on its page. Renders nothing.
#[island]
pub fn RememberRegistration(entry: DeviceEntry) -> impl IntoView {
    Effect::new(move |_| save(&upsert(load(), entry.clone())));
}

/// The list itself. The server renders nothing here (it cannot see the device); the page
/// around it says what to do without JavaScript.
#[island]
pub fn DeviceSessions(locale: Locale) -> impl IntoView {
    let t = Tr(locale);
    let entries = RwSignal::new(None::<Vec<DeviceEntry>>);
    Effect::new(move |_| entries.set(Some(load())));
    let forget = move |token: String| {
        let kept = without(load(), &token);
        save(&kept);
        entries.set(Some(kept));
    };
    move || {
        let list = entries.get()?;
        if list.is_empty() {
            return Some(
                view! { <p class="text-slate-700 dark:text-slate-300">{t.device_empty()}</p> }.into_any(),
            );
        }
        let zone = browser::viewer_choice();
        let items = list
            .into_iter()
            .map(|entry| {
                let (title, title_lang) = entry.title.pick(locale);
                let title = title.to_string();
                let (eastern, yours) = match browser::eastern(entry.start_ms, entry.end_ms, locale) {
                    Some((eastern, offset)) => {
                        (eastern, browser::describe_range(entry.start_ms, entry.end_ms, offset, &zone, locale))
                    }
                    None => (String::new(), None),
                };
                let standing = match entry.standing {
                    Standing::Confirmed => t.device_confirmed(),
                    Standing::Waitlisted => t.device_waitlisted(),
                    Standing::Cancelled => t.device_cancelled(),
                };
                let token = entry.token.clone();
                view! {
                    <li class="rounded border border-slate-300 p-4 dark:border-slate-600">
                        <h2 class="text-lg font-semibold" lang=title_lang.as_str()>{title}</h2>
                        <p class="text-sm font-semibold">{standing}</p>
                        <p>{t.device_eastern()} " " {eastern}</p>
                        {yours.map(|text| view! { <p class="viewer-time">{t.time_yours()} " " {text}</p> })}
                        <ul class="mt-2 flex flex-wrap gap-x-4">
                            <li>
                                <a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/registrations/{}", entry.token))>
                                    {t.device_manage()}
                                </a>
                            </li>
                            {(entry.standing != Standing::Cancelled).then(|| view! {
                                <li>
                                    <a class="inline-flex min-h-11 items-center underline" href=href(locale, &format!("/sessions/{}/calendar.ics", entry.session_id))>
                                        {t.calendar_add()}
                                    </a>
                                </li>
                            })}
                            <li>
                                <button type="button" class="min-h-11 underline" on:click=move |_| forget(token.clone())>
                                    {t.device_forget()}
                                </button>
                            </li>
                        </ul>
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ul class="space-y-4">{items}</ul> }.into_any())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(token: &str, start_ms: i64, standing: Standing) -> DeviceEntry {
        DeviceEntry {
            token: token.into(),
            session_id: 1,
            title: Bilingual::both("Circle", "Cercle"),
            start_ms,
            end_ms: start_ms + 3_600_000,
            standing,
        }
    }

    #[test]
    fn the_list_keeps_one_entry_per_registration_soonest_first() {
        let list = upsert(Vec::new(), entry("later", 2_000, Standing::Confirmed));
        let list = upsert(list, entry("sooner", 1_000, Standing::Waitlisted));
        let list = upsert(list, entry("later", 2_000, Standing::Cancelled));
        assert_eq!(list.iter().map(|e| e.token.as_str()).collect::<Vec<_>>(), ["sooner", "later"]);
        assert_eq!(list[1].standing, Standing::Cancelled);
        assert_eq!(without(list, "sooner").len(), 1);
    }

    #[test]
    fn what_was_stored_reads_back_and_garbage_reads_as_empty() {
        let stored = serde_json::to_string(&[entry("a", 5, Standing::Confirmed)]).unwrap();
        assert_eq!(parse(Some(&stored)), [entry("a", 5, Standing::Confirmed)]);
        assert!(parse(Some("{not json")).is_empty());
        assert!(parse(None).is_empty());
    }
}
