//! iCalendar files: the invitation attached to emails, a session's public download, and the
//! subscribable feed. One event per session, with a stable UID so an update or a cancellation
//! replaces the event already in someone's calendar, and a SEQUENCE that grows with each change.

use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Property};

/// What the file says about one session or cohort meeting, already in its reader's language.
pub struct SessionEvent {
    /// Stable across every file about the event: see [`uid`] and [`meeting_uid`].
    pub uid: String,
    pub sequence: u32,
    pub title: String,
    pub description: String,
    pub language: Locale,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The session's public page.
    pub url: String,
    /// The private meeting link, for registrants only.
    pub join_link: Option<String>,
    pub cancelled: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// An event to add or update.
    Publish,
    /// The event was cancelled.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The same UID in every file about a session: `session-12@rounds.example.ca`.
pub fn uid(session_id: i32, host: &str) -> String {
    format!("session-{session_id}@{host}")
}

/// The same for one meeting of a cohort: `meeting-40@rounds.example.ca`.
pub fn meeting_uid(meeting_id: i32, host: &str) -> String {
    format!("meeting-{meeting_id}@{host}")
}

/// Text with every line break as a line feed. The iCalendar writer escapes `\n` but passes a
/// carriage return through, which many readers take for the end of the line: a title holding
/// "\rDTSTART:…" would add a property of its author's choosing to the file.
fn one_kind_of_line_break(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn text_property(name: &str, value: &str, language: Locale) -> Property {
    Property::new(name, one_kind_of_line_break(value)).add_parameter("LANGUAGE", language.bcp47()).done()
}

fn event(session: &SessionEvent, reminder_text: &str, now: DateTime<Utc>) -> Event {
    let mut event = Event::new();
    event
        .uid(&session.uid)
        .sequence(session.sequence)
        .timestamp(now)
        .starts(session.starts_at)
        .ends(session.ends_at)
        .url(&session.url)
        .append_property(text_property("SUMMARY", &session.title, session.language))
        .append_property(text_property("DESCRIPTION", &session.description, session.language));
    if let Some(link) = &session.join_link {
        event.location(&one_kind_of_line_break(link));
    }
    if session.cancelled {
        event.status(EventStatus::Cancelled);
    } else {
        event.status(EventStatus::Confirmed);
        event.alarm(Alarm::display(&one_kind_of_line_break(reminder_text), -Duration::minutes(15)));
    }
    event.done()
}

/// A calendar file holding `sessions`.
pub fn calendar(
    sessions: &[SessionEvent],
    method: Method,
    name: &str,
    reminder_text: &str,
    now: DateTime<Utc>,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name).append_property(Property::new("METHOD", method.as_str()));
    for session in sessions {
        calendar.push(event(session, reminder_text, now));
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(cancelled: bool) -> SessionEvent {
        SessionEvent {
            uid: uid(7, "rounds.example"),
            sequence: 2,
            title: "Cercle de soutien; partie 1".into(),
            description: "Joindre : https://meet.example/abc\nAnnuler : https://rounds.example/x".into(),
            language: Locale::Fr,
            starts_at: DateTime::parse_from_rfc3339("2026-12-02T00:00:00Z").unwrap().to_utc(),
            ends_at: DateTime::parse_from_rfc3339("2026-12-02T01:30:00Z").unwrap().to_utc(),
            url: "https://rounds.example/fr/sessions/7".into(),
            join_link: Some("https://meet.example/abc".into()),
            cancelled,
        }
    }

    #[test]
    fn an_invitation_has_a_stable_uid_sequence_utc_times_an_alarm_and_the_language() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").unwrap().to_utc();
        let text = calendar(&[sample(false)], Method::Publish, "Rounds", "Bientôt", now);
        for expected in [
            "METHOD:PUBLISH",
            "UID:session-7@rounds.example",
            "SEQUENCE:2",
            "DTSTART:20261202T000000Z",
            "DTEND:20261202T013000Z",
            "BEGIN:VALARM",
            "TRIGGER:-PT900S",
            "SUMMARY;LANGUAGE=fr-CA:Cercle de soutien\\; partie 1",
            "LOCATION:https://meet.example/abc",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(text.lines().all(|line| line.len() <= 75 + 2), "lines are folded");
    }

    #[test]
    fn line_breaks_in_texts_cannot_start_a_property_of_their_own() {
        let injected = "a\r\nb\rc\nDTSTART:19700101T000000Z\rATTENDEE:mailto:x@example.com";
        let mut event = sample(false);
        event.title = injected.into();
        event.description = injected.into();
        event.join_link = Some(format!("https://meet.example/abc{injected}"));
        let text = calendar(&[event], Method::Publish, "Rounds", injected, Utc::now());
        // Lines end in CRLF, and no CR or LF is left anywhere else.
        let body = text.strip_suffix("\r\n").expect("the file ends its last line");
        let lines: Vec<&str> = body.split("\r\n").collect();
        assert!(lines.iter().all(|line| !line.contains(['\r', '\n'])), "{text:?}");
        // Unfolded, the only DTSTART is the session's and nobody was invited.
        let unfolded = body.replace("\r\n ", "");
        let starts: Vec<&str> = unfolded.split("\r\n").filter(|l| l.starts_with("DTSTART")).collect();
        assert_eq!(starts, ["DTSTART:20261202T000000Z"]);
        assert!(!unfolded.split("\r\n").any(|line| line.starts_with("ATTENDEE")));
        assert!(unfolded.contains(
            "SUMMARY;LANGUAGE=fr-CA:a\\nb\\nc\\nDTSTART:19700101T000000Z\\nATTENDEE:mailto:x@example.com"
        ));
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_says_so() {
        let now = Utc::now();
        let text = calendar(&[sample(true)], Method::Cancel, "Rounds", "", now);
        assert!(text.contains("METHOD:CANCEL"));
        assert!(text.contains("STATUS:CANCELLED"));
        assert!(text.contains("UID:session-7@rounds.example"));
        assert!(!text.contains("BEGIN:VALARM"));
    }
}
