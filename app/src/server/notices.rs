//! The emails a registration or an application causes, composed in the recipient's language
//! when the change is made, so the outbox holds exactly what will be sent.

use super::calendar_file::{self, Method, SessionEvent};
use super::db::accounts::TokenPurpose;
use super::db::cohorts::{CohortRow, InterestRow, MeetingRow};
use super::db::outbox::{CalendarAttachment, NewEmail};
use super::db::registrations::{RegistrationRow, SessionRow, Status};
use super::db::rounds::{ApplicationRow, RoundRow};
use super::links::random_token;
use super::state::Settings;
use crate::domain::session::shown_end;
use crate::domain::zones::reference_time;
use crate::i18n::{Locale, Tr};
use crate::model::Bilingual;
use crate::timefmt;
use chrono::{DateTime, Utc};

/// What an email about a registration tells, for a session or a cohort intake alike (each
/// kind words it its own way: [`compose`], [`cohort_email`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Registered with a seat (also sent again when someone registers twice).
    Confirmation,
    Waitlisted {
        position: u32,
    },
    /// Moved from the waitlist to a seat.
    Promotion,
    /// The registrant gave up their place (for a cohort: every meeting).
    Cancellation,
    /// The next meeting starts soon.
    Reminder,
    /// The facilitator changed the offering's details.
    Changed,
    /// The facilitator cancelled the offering.
    CancelledByFacilitator,
    /// The facilitator wrote to everyone registered.
    Message {
        subject: String,
        body: String,
    },
}

/// The subject and opening line of an email giving someone a seat: `promoted` when it opened
/// up for them on the waitlist, `confirmed` when they registered.
fn seat_given(t: Tr, notice: &Notice, title: &str, promoted: String, confirmed: String) -> (String, String) {
    if *notice == Notice::Promotion {
        (t.email_promotion_subject(title), promoted)
    } else {
        (t.email_confirmation_subject(title), confirmed)
    }
}

/// Who a notice goes to, and their private link.
pub struct Addressee<'a> {
    pub registration: &'a RegistrationRow,
    pub manage_url: String,
}

fn session_title(session: &SessionRow, locale: Locale) -> String {
    let title = Bilingual { en: session.title_en.clone(), fr: session.title_fr.clone() };
    title.pick(locale).0.to_string()
}

fn session_when(session: &SessionRow, locale: Locale) -> String {
    let end = shown_end(session.starts_at, session.duration_minutes.max(0) as u32);
    timefmt::date_time_range(
        locale,
        reference_time(session.starts_at),
        reference_time(end),
        timefmt::reference_zone_label(locale),
    )
}

/// The invitation for a registrant: the public event plus the private join link.
pub fn invitation(
    session: &SessionRow,
    locale: Locale,
    manage_url: &str,
    settings: &Settings,
    method: Method,
    now: DateTime<Utc>,
) -> String {
    let t = Tr(locale);
    let join_link = session.meeting_link.clone().filter(|_| method == Method::Publish);
    let mut description = vec![t.email_calendar_note().to_string()];
    if let Some(link) = &join_link {
        description.push(t.email_join(link));
    }
    description.push(t.email_cancel(manage_url));
    let event = SessionEvent {
        uid: calendar_file::uid(session.id, &settings.host()),
        sequence: session.ics_sequence.max(0) as u32,
        title: session_title(session, locale),
        description: description.join("\n\n"),
        language: locale,
        starts_at: session.starts_at,
        ends_at: shown_end(session.starts_at, session.duration_minutes.max(0) as u32),
        url: format!("{}/{}/sessions/{}", settings.public_url, locale, session.id),
        join_link,
        cancelled: method == Method::Cancel,
    };
    calendar_file::calendar(&[event], method, t.app_name(), t.ics_reminder(), now)
}

pub fn compose(
    notice: &Notice,
    session: &SessionRow,
    to: &Addressee,
    settings: &Settings,
    now: DateTime<Utc>,
) -> NewEmail {
    let registration = to.registration;
    let locale: Locale = registration.language.parse().unwrap_or_default();
    let t = Tr(locale);
    let title = session_title(session, locale);
    let when = session_when(session, locale);
    let site = |path: &str| format!("{}/{}{}", settings.public_url, locale, path);
    let join = session.meeting_link.as_deref().map(|link| t.email_join(link));
    // Only people with a seat get the join link and calendar files; the waitlist gets words.
    let has_seat = registration.status == Status::Confirmed;

    let (subject, mut paragraphs, calendar) = match notice {
        Notice::Confirmation | Notice::Promotion => {
            let (subject, intro) = seat_given(
                t,
                notice,
                &title,
                t.email_promotion_intro(&title),
                t.email_confirmation_intro(&title),
            );
            let mut body = vec![intro, t.email_when(&when)];
            body.extend(join);
            body.push(t.email_join_tips().to_string());
            body.push(t.email_calendar_note().to_string());
            body.push(t.email_cancel(&to.manage_url));
            let ics = invitation(session, locale, &to.manage_url, settings, Method::Publish, now);
            (subject, body, Some(CalendarAttachment { content: ics, method: Method::Publish.as_str() }))
        }
        Notice::Waitlisted { position } => (
            t.email_waitlist_subject(&title),
            vec![
                t.email_waitlist_intro(position, &title),
                t.email_when(&when),
                t.email_leave_waitlist(&to.manage_url),
            ],
            None,
        ),
        Notice::Cancellation => (
            t.email_cancellation_subject(&title),
            vec![
                t.email_cancellation_intro(&title),
                t.email_when(&when),
                t.email_cancellation_again(site("")),
            ],
            None,
        ),
        Notice::Reminder => {
            let mut body = vec![t.email_reminder_intro(&title), t.email_when(&when)];
            body.extend(join);
            body.push(t.email_cancel(&to.manage_url));
            (t.email_reminder_subject(&title, &when), body, None)
        }
        Notice::Changed => {
            let mut body = vec![t.email_changed_intro(&title), t.email_when(&when)];
            let invitation = has_seat.then(|| {
                body.extend(join);
                body.push(t.email_changed_calendar().to_string());
                let ics = invitation(session, locale, &to.manage_url, settings, Method::Publish, now);
                CalendarAttachment { content: ics, method: Method::Publish.as_str() }
            });
            body.push(t.email_cancel(&to.manage_url));
            (t.email_changed_subject(&title), body, invitation)
        }
        Notice::CancelledByFacilitator => {
            let mut body = vec![t.email_cancelled_intro(&title), t.email_when(&when)];
            let removal = has_seat.then(|| {
                body.push(t.email_cancelled_calendar().to_string());
                let ics = invitation(session, locale, &to.manage_url, settings, Method::Cancel, now);
                CalendarAttachment { content: ics, method: Method::Cancel.as_str() }
            });
            body.push(t.email_cancelled_others(site("")));
            (t.email_cancelled_subject(&title), body, removal)
        }
        Notice::Message { subject, body: message } => {
            let body = vec![
                t.email_message_intro(&title),
                message.clone(),
                t.email_when(&when),
                t.email_cancel(&to.manage_url),
            ];
            (t.email_message_subject(subject), body, None)
        }
    };
    paragraphs.insert(0, t.email_greeting(&registration.name));
    paragraphs.push(t.email_rules(site("/rules")));
    paragraphs.push(t.email_support(site("/support")));
    paragraphs.push(t.email_signature().to_string());

    NewEmail {
        session_id: Some(session.id),
        recipient: registration.email.clone(),
        subject,
        body: paragraphs.join("\n\n"),
        calendar,
        message_id: format!("<{}@{}>", random_token(), settings.host()),
    }
}

/// The email carrying an account link: an invitation to facilitate, or a password reset.
pub fn account_email(
    purpose: TokenPurpose,
    recipient: &str,
    locale: Locale,
    link: &str,
    settings: &Settings,
) -> NewEmail {
    let t = Tr(locale);
    let (subject, paragraphs) = match purpose {
        TokenPurpose::Invitation => (
            t.email_invitation_subject(),
            vec![t.email_invitation_intro(), link, t.email_invitation_expires(), t.email_signature()],
        ),
        TokenPurpose::PasswordReset => (
            t.email_reset_subject(),
            vec![
                t.email_reset_intro(),
                link,
                t.email_reset_expires(),
                t.email_reset_ignore(),
                t.email_signature(),
            ],
        ),
    };
    NewEmail {
        session_id: None,
        recipient: recipient.to_string(),
        subject: subject.to_string(),
        body: paragraphs.join("\n\n"),
        calendar: None,
        message_id: format!("<{}@{}>", random_token(), settings.host()),
    }
}

/// The emails about an application to a round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplicationNotice {
    /// The application arrived (also sent again when the same address applies twice).
    Received,
    Withdrawn,
    /// The draw placed them in `group`; `seed` is the published seed of the draw.
    Selected {
        group: Bilingual,
        seed: String,
    },
    Waitlisted {
        position: u32,
        seed: String,
    },
    /// A member left `group` after the draw, and the place is theirs.
    PlaceOpened {
        group: Bilingual,
    },
}

pub fn application_email(
    notice: &ApplicationNotice,
    round: &RoundRow,
    application: &ApplicationRow,
    manage_url: &str,
    settings: &Settings,
) -> NewEmail {
    let locale: Locale = application.language.parse().unwrap_or_default();
    let t = Tr(locale);
    let title = Bilingual::both(&round.title_en, &round.title_fr).pick(locale).0.to_string();
    let deadline = timefmt::in_eastern(locale, round.deadline);
    let draw_url = format!("{}/{}/rounds/{}/draw", settings.public_url, locale, round.id);
    let (subject, mut paragraphs) = match notice {
        ApplicationNotice::Received => (
            t.email_application_subject(&title),
            vec![
                t.email_application_intro(&deadline, &title),
                t.email_application_number(application.id),
                t.email_application_manage(manage_url),
            ],
        ),
        ApplicationNotice::Withdrawn => {
            (t.email_application_withdrawn_subject(&title), vec![t.email_application_withdrawn_intro(&title)])
        }
        ApplicationNotice::Selected { group, seed } => (
            t.email_selected_subject(&title),
            vec![
                t.email_selected_intro(group.pick(locale).0),
                t.email_selected_next().to_string(),
                t.email_application_number(application.id),
                t.email_draw_published(&draw_url, seed),
            ],
        ),
        ApplicationNotice::PlaceOpened { group } => (
            t.email_place_opened_subject(&title),
            vec![
                t.email_place_opened_intro(group.pick(locale).0),
                t.email_selected_next().to_string(),
                t.email_application_number(application.id),
            ],
        ),
        ApplicationNotice::Waitlisted { position, seed } => (
            t.email_not_selected_subject(&title),
            vec![
                t.email_not_selected_intro(&title),
                t.email_not_selected_waitlist(*position),
                t.email_application_number(application.id),
                t.email_draw_published(&draw_url, seed),
            ],
        ),
    };
    paragraphs.insert(0, t.email_greeting(&application.name));
    paragraphs.push(t.email_support(format!("{}/{}/support", settings.public_url, locale)));
    paragraphs.push(t.email_signature().to_string());
    NewEmail {
        session_id: None,
        recipient: application.email.clone(),
        subject,
        body: paragraphs.join("\n\n"),
        calendar: None,
        message_id: format!("<{}@{}>", random_token(), settings.host()),
    }
}

/// One line per meeting, in Eastern Time.
fn meeting_lines(locale: Locale, meetings: &[MeetingRow], duration_minutes: u32) -> String {
    meetings
        .iter()
        .map(|meeting| {
            let end = shown_end(meeting.starts_at, duration_minutes);
            let when = timefmt::date_time_range(
                locale,
                reference_time(meeting.starts_at),
                reference_time(end),
                timefmt::reference_zone_label(locale),
            );
            format!("• {when}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One calendar file with every meeting of a cohort, each its own event with a stable UID,
/// so a withdrawal removes them all. After an edit the events carry the intake's new
/// revision (SEQUENCE), and the meetings the edit `removed` come along marked cancelled.
#[allow(clippy::too_many_arguments)]
pub fn cohort_invitation(
    cohort: &CohortRow,
    meetings: &[MeetingRow],
    removed: &[MeetingRow],
    locale: Locale,
    manage_url: &str,
    settings: &Settings,
    method: Method,
    now: DateTime<Utc>,
) -> String {
    let t = Tr(locale);
    let title = Bilingual::both(&cohort.title_en, &cohort.title_fr).pick(locale).0.to_string();
    let join_link = cohort.meeting_link.clone().filter(|_| method == Method::Publish);
    let mut description = vec![t.email_cohort_attend_all().to_string()];
    if let Some(link) = &join_link {
        description.push(t.email_join(link));
    }
    description.push(t.email_cohort_withdraw(manage_url));
    let duration = cohort.duration_minutes.max(0) as u32;
    let count = meetings.len();
    let event = |meeting: &MeetingRow, title: String, cancelled: bool| SessionEvent {
        uid: calendar_file::meeting_uid(meeting.id, &settings.host()),
        sequence: u32::try_from(cohort.ics_sequence).unwrap_or(0),
        title,
        description: description.join("\n\n"),
        language: locale,
        starts_at: meeting.starts_at,
        ends_at: shown_end(meeting.starts_at, duration),
        url: format!("{}/{}/cohorts/{}", settings.public_url, locale, cohort.id),
        join_link: join_link.clone().filter(|_| !cancelled),
        cancelled,
    };
    let mut events: Vec<SessionEvent> = meetings
        .iter()
        .enumerate()
        .map(|(index, meeting)| {
            event(meeting, t.cohort_meeting_title(index + 1, &title, count), method == Method::Cancel)
        })
        .collect();
    // A withdrawal's file cancels every meeting already; removed ones are the calendars' to drop.
    if method == Method::Publish {
        events.extend(removed.iter().map(|meeting| event(meeting, title.clone(), true)));
    }
    calendar_file::calendar(&events, method, t.app_name(), t.ics_reminder(), now)
}

/// The email telling a cohort's registrant of `notice`. Only people with a seat get the join
/// link and calendar files; the waitlist gets words.
#[allow(clippy::too_many_arguments)]
pub fn cohort_email(
    notice: &Notice,
    cohort: &CohortRow,
    meetings: &[MeetingRow],
    removed: &[MeetingRow],
    registration: &RegistrationRow,
    manage_url: &str,
    settings: &Settings,
    now: DateTime<Utc>,
) -> NewEmail {
    let locale: Locale = registration.language.parse().unwrap_or_default();
    let t = Tr(locale);
    let title = Bilingual::both(&cohort.title_en, &cohort.title_fr).pick(locale).0.to_string();
    let duration = cohort.duration_minutes.max(0) as u32;
    let schedule = meeting_lines(locale, meetings, duration);
    let invitation = |method: Method| {
        let content = cohort_invitation(cohort, meetings, removed, locale, manage_url, settings, method, now);
        CalendarAttachment { content, method: method.as_str() }
    };
    let join = cohort.meeting_link.as_deref().map(|link| t.email_join(link));
    let has_seat = registration.status == Status::Confirmed;
    let (subject, mut paragraphs, calendar) = match notice {
        Notice::Confirmation | Notice::Promotion => {
            let (subject, intro) = seat_given(
                t,
                notice,
                &title,
                t.email_cohort_promotion_intro(&title),
                t.email_cohort_confirmation_intro(&title),
            );
            let mut body = vec![intro, schedule, t.email_cohort_attend_all().to_string()];
            body.extend(join);
            body.push(t.email_cohort_agreement().to_string());
            body.push(t.email_cohort_calendar_note().to_string());
            body.push(t.email_cohort_withdraw(manage_url));
            (subject, body, Some(invitation(Method::Publish)))
        }
        Notice::Waitlisted { position } => (
            t.email_waitlist_subject(&title),
            vec![
                t.email_cohort_waitlist_intro(*position, &title),
                schedule,
                t.email_leave_waitlist(manage_url),
            ],
            None,
        ),
        Notice::Cancellation => (
            t.email_cancellation_subject(&title),
            vec![t.email_cohort_withdrawn_intro(&title), schedule],
            has_seat.then(|| invitation(Method::Cancel)),
        ),
        Notice::Reminder => {
            // The meeting the reminder is for: the next one to start.
            let total = meetings.len();
            let next = meetings.iter().position(|meeting| now < meeting.starts_at).unwrap_or(0);
            let when = meetings.get(next).map_or_else(String::new, |meeting| {
                let end = shown_end(meeting.starts_at, duration);
                timefmt::date_time_range(
                    locale,
                    reference_time(meeting.starts_at),
                    reference_time(end),
                    timefmt::reference_zone_label(locale),
                )
            });
            let meeting_title = t.cohort_meeting_title(next + 1, &title, total);
            let mut body = vec![t.email_reminder_intro(&meeting_title), t.email_when(&when)];
            body.extend(join);
            body.push(t.email_cohort_withdraw(manage_url));
            (t.email_reminder_subject(&meeting_title, &when), body, None)
        }
        Notice::Changed => {
            let mut body = vec![t.email_cohort_changed_intro(&title), schedule];
            let update = has_seat.then(|| {
                body.extend(join);
                body.push(t.email_cohort_changed_calendar().to_string());
                invitation(Method::Publish)
            });
            body.push(t.email_cohort_withdraw(manage_url));
            (t.email_cohort_changed_subject(&title), body, update)
        }
        Notice::CancelledByFacilitator => {
            let mut body = vec![t.email_cancelled_intro(&title), schedule];
            let removal = has_seat.then(|| {
                body.push(t.email_cancelled_calendar().to_string());
                invitation(Method::Cancel)
            });
            body.push(t.email_cancelled_others(format!("{}/{}", settings.public_url, locale)));
            (t.email_cohort_cancelled_subject(&title), body, removal)
        }
        Notice::Message { subject, body: message } => (
            t.email_message_subject(subject),
            vec![
                t.email_message_intro(&title),
                message.clone(),
                schedule,
                t.email_cohort_withdraw(manage_url),
            ],
            None,
        ),
    };
    paragraphs.insert(0, t.email_greeting(&registration.name));
    paragraphs.push(t.email_support(format!("{}/{}/support", settings.public_url, locale)));
    paragraphs.push(t.email_signature().to_string());
    NewEmail {
        session_id: None,
        recipient: registration.email.clone(),
        subject,
        body: paragraphs.join("\n\n"),
        calendar,
        message_id: format!("<{}@{}>", random_token(), settings.host()),
    }
}

/// Tells someone who asked that an intake of the program they wait for takes registrations.
pub fn opening_email(
    cohort: &CohortRow,
    meetings: &[MeetingRow],
    interest: &InterestRow,
    settings: &Settings,
) -> NewEmail {
    let locale: Locale = interest.language.parse().unwrap_or_default();
    let t = Tr(locale);
    let title = Bilingual::both(&cohort.title_en, &cohort.title_fr).pick(locale).0.to_string();
    let url = format!("{}/{}/cohorts/{}", settings.public_url, locale, cohort.id);
    let paragraphs = [
        t.email_opening_intro(&title),
        meeting_lines(locale, meetings, cohort.duration_minutes.max(0) as u32),
        t.email_opening_register(&url),
        t.email_opening_once().to_string(),
        t.email_signature().to_string(),
    ];
    NewEmail {
        session_id: None,
        recipient: interest.email.clone(),
        subject: t.email_opening_subject(&title),
        body: paragraphs.join("\n\n"),
        calendar: None,
        message_id: format!("<{}@{}>", random_token(), settings.host()),
    }
}
