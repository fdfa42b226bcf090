//! Public calendar files: one session (`/{lang}/sessions/{id}/calendar.ics`) and a
//! subscribable feed of upcoming sessions and meetings of cohort groups, filtered like the
//! calendar (`/{lang}/calendar.ics?format=…&language=…&audience=…`). Neither carries a meeting
//! link.

use app::domain::calendar::CalendarFilter;
use app::domain::session::{SessionStatus, shown_end};
use app::i18n::{Locale, Tr};
use app::model::GroupMeeting;
use app::server::calendar_file::{Method, SessionEvent, calendar};
use app::server::db::sessions::{self, CalendarEntry, SessionQuery};
use app::server::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use std::collections::HashMap;

/// How far ahead the feed looks, and how many sessions it holds at most.
const FEED_DAYS: i64 = 120;
const FEED_LIMIT: u64 = 500;

fn public_event(state: &AppState, entry: &CalendarEntry, locale: Locale) -> SessionEvent {
    let t = Tr(locale);
    let session = &entry.summary;
    let url = format!("{}/{locale}/sessions/{}", state.settings.public_url, session.id);
    let (format_name, _) = session.format_name.pick(locale);
    let (text, _) = entry.description.pick(locale);
    SessionEvent {
        uid: app::server::calendar_file::uid(session.id, &state.settings.host()),
        sequence: entry.sequence,
        title: session.title.pick(locale).0.to_string(),
        description: [format_name, text, &t.ics_details(&url)].join("\n\n"),
        language: locale,
        starts_at: session.starts_at,
        ends_at: shown_end(session.starts_at, session.duration_minutes),
        url,
        join_link: None,
        cancelled: session.status == SessionStatus::Cancelled,
    }
}

/// A group's meeting in the feed, under the same UID as in its registrants' invitations.
fn group_meeting_event(state: &AppState, meeting: &GroupMeeting, locale: Locale) -> SessionEvent {
    let t = Tr(locale);
    let url = format!("{}/{locale}/cohorts/{}", state.settings.public_url, meeting.cohort_id);
    let (title, _) = meeting.title.pick(locale);
    SessionEvent {
        uid: app::server::calendar_file::meeting_uid(meeting.meeting_id, &state.settings.host()),
        sequence: 0,
        title: t.cohort_meeting_title(meeting.part, title, meeting.total),
        description: [t.cohort_meeting_note(), &t.ics_details(&url)].join("\n\n"),
        language: locale,
        starts_at: meeting.starts_at,
        ends_at: shown_end(meeting.starts_at, meeting.duration_minutes),
        url,
        join_link: None,
        cancelled: false,
    }
}

fn ics_response(body: String, download_name: Option<String>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response();
    if let Some(name) = download_name {
        let value = format!("attachment; filename=\"{name}\"");
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value.parse().expect("ASCII file name"));
    }
    response
}

pub async fn session_file(State(state): State<AppState>, Path((lang, id)): Path<(String, i32)>) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let entry = match sessions::calendar_entry(&state.db, id).await {
        Ok(entry) => entry,
        Err(app::server::db::DbError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::warn!(%err, "calendar file");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let event = public_event(&state, &entry, locale);
    let t = Tr(locale);
    let body = calendar(&[event], Method::Publish, t.app_name(), t.ics_reminder(), Utc::now());
    ics_response(body, Some(format!("rounds-session-{id}.ics")))
}

pub async fn feed(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let filter = CalendarFilter::from_query(|key| params.get(key).map(String::as_str));
    let now = Utc::now();
    let (from, until) = (now - Duration::days(1), now + Duration::days(FEED_DAYS));
    let meetings = match app::server::cohorts::meetings_between(&state, from, until, &filter).await {
        Ok(meetings) => meetings,
        Err(err) => {
            tracing::warn!(%err, "calendar feed: group meetings");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let query = SessionQuery { from: Some(from), until: Some(until), filter, offset: 0, limit: FEED_LIMIT };
    let entries = match sessions::calendar_entries(&state.db, &query).await {
        Ok(entries) => entries,
        Err(err) => {
            tracing::warn!(%err, "calendar feed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let events: Vec<SessionEvent> = entries
        .iter()
        .map(|entry| public_event(&state, entry, locale))
        .chain(meetings.iter().map(|meeting| group_meeting_event(&state, meeting, locale)))
        .collect();
    let t = Tr(locale);
    ics_response(calendar(&events, Method::Publish, t.app_name(), t.ics_reminder(), now), None)
}
