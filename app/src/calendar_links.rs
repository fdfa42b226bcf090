//! "Add to Google Calendar" and "Add to Outlook" links for a session: plain URLs that open the
//! provider's new-event form, filled in.

use chrono::{DateTime, Utc};

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

pub struct EventLink<'a> {
    pub title: &'a str,
    pub details: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub fn google(event: &EventLink) -> String {
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&ctz=America%2FToronto",
        encode_component(event.title),
        stamp(event.starts_at),
        stamp(event.ends_at),
        encode_component(event.details),
    )
}

pub fn outlook(event: &EventLink) -> String {
    let stamp = |t: DateTime<Utc>| encode_component(&t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    format!(
        "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={}&startdt={}&enddt={}&body={}",
        encode_component(event.title),
        stamp(event.starts_at),
        stamp(event.ends_at),
        encode_component(event.details),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_event_in_utc_and_encoded() {
        let event = EventLink {
            title: "Sommeil, partie 1 : nuits & gardes",
            details: "https://rounds.example/fr/sessions/3",
            starts_at: DateTime::parse_from_rfc3339("2026-12-04T00:00:00Z").unwrap().to_utc(),
            ends_at: DateTime::parse_from_rfc3339("2026-12-04T01:15:00Z").unwrap().to_utc(),
        };
        let google = google(&event);
        assert!(google.contains("dates=20261204T000000Z/20261204T011500Z"));
        assert!(google.contains("text=Sommeil%2C%20partie%201%20%3A%20nuits%20%26%20gardes"));
        assert!(google.contains("details=https%3A%2F%2Frounds.example%2Ffr%2Fsessions%2F3"));
        let outlook = outlook(&event);
        assert!(outlook.contains("startdt=2026-12-04T00%3A00%3A00Z"));
        assert!(outlook.contains("enddt=2026-12-04T01%3A15%3A00Z"));
        assert_eq!(encode_component("é"), "%C3%A9");
    }
}
