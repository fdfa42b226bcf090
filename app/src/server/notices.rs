//! The emails a registration or an application causes, composed in the recipient's language
//! when the change is made, so the outbox holds exactly what will be sent.

use super::calendar_file::{self, Method, SessionEvent};
use super::db::accounts::TokenPurpose;
use super::db::cohorts::{Cohort, Interest, Meeting};
use super::db::outbox::{CalendarAttachment, NewEmail};
use super::db::registrations::{Registration, Status};
use super::db::rounds::{Application, Round};
use super::links::random_token;
use super::registrations::Locked;
use super::state::Settings;
use crate::domain::gratitude::DeclineReason;
use crate::domain::session::shown_end;
use crate::domain::zones::reference_time;
use crate::i18n::{Locale, Tr};
use crate::model::Bilingual;
use crate::pages::gratitude::decline_reason_text;
use crate::timefmt;
use chrono::{DateTime, Utc};

/// What an email about a registration tells, for a session or a cohort intake alike (worded
/// for each kind by [`compose`]).
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
    /// It has ended: the private link to an anonymous evaluation, working for `days`.
    Evaluation {
        link: String,
        days: u32,
    },
}

impl Notice {
    /// Whether the message must be deleted once sent rather than kept: an evaluation link
    /// in the outbox would tie its ballot to the person it went to.
    pub fn forget_when_sent(&self) -> bool {
        matches!(self, Notice::Evaluation { .. })
    }
}

/// Everything in which an email about a session and one about a cohort intake differ: what
/// the offering is called, when it meets, and its calendar events. One composer
/// ([`compose`]) words every [`Notice`] from it.
struct Described {
    intake: bool,
    title: String,
    /// When it meets: a "When:" line for a session, a line per meeting for an intake.
    schedule: String,
    /// The meeting a reminder is for (the next one), named and dated.
    next: (String, String),
    join_link: Option<String>,
    /// The events of its calendar file: the meetings, then any an edit removed.
    events: Vec<Event>,
    sequence: u32,
    url: String,
    session_id: Option<i32>,
}

/// One meeting as its calendar event shows it.
struct Event {
    uid: String,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// Removed by an edit: the calendar file cancels it.
    removed: bool,
}

/// When a meeting takes place, in Eastern Time.
fn when(locale: Locale, starts_at: DateTime<Utc>, duration_minutes: u32) -> String {
    timefmt::date_time_range(
        locale,
        reference_time(starts_at),
        reference_time(shown_end(starts_at, duration_minutes)),
        timefmt::reference_zone_label(locale),
    )
}

/// One line per meeting, in Eastern Time.
fn meeting_lines(locale: Locale, meetings: &[Meeting], duration_minutes: u32) -> String {
    let lines: Vec<String> = meetings
        .iter()
        .map(|meeting| format!("• {}", when(locale, meeting.starts_at, duration_minutes)))
        .collect();
    lines.join("\n")
}

/// `format_name` names a session that has no title of its own.
fn describe(
    offering: &Locked,
    format_name: Option<&Bilingual>,
    locale: Locale,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Described {
    let t = Tr(locale);
    let host = settings.host();
    match offering {
        Locked::Session(session) => {
            let own = Bilingual { en: session.title_en.clone(), fr: session.title_fr.clone() };
            let title = match (own.pick(locale).0, format_name) {
                ("", Some(format)) => format.pick(locale).0.to_string(),
                (own, _) => own.to_string(),
            };
            let duration = u32::try_from(session.duration_minutes).unwrap_or(0);
            let when = when(locale, session.starts_at, duration);
            Described {
                intake: false,
                schedule: t.email_when(&when),
                next: (title.clone(), when),
                join_link: session.meeting_link.clone(),
                events: vec![Event {
                    uid: calendar_file::uid(session.id, &host),
                    title: title.clone(),
                    starts_at: session.starts_at,
                    ends_at: shown_end(session.starts_at, duration),
                    removed: false,
                }],
                title,
                sequence: u32::try_from(session.ics_sequence).unwrap_or(0),
                url: format!("{}/{}/sessions/{}", settings.public_url, locale, session.id),
                session_id: Some(session.id),
            }
        }
        Locked::Intake { cohort, meetings, removed } => {
            let title = Bilingual::both(&cohort.title_en, &cohort.title_fr).pick(locale).0.to_string();
            let duration = u32::try_from(cohort.duration_minutes).unwrap_or(0);
            let count = meetings.len();
            let event = |meeting: &Meeting, title: String, removed: bool| Event {
                uid: calendar_file::meeting_uid(meeting.id, &host),
                title,
                starts_at: meeting.starts_at,
                ends_at: shown_end(meeting.starts_at, duration),
                removed,
            };
            let mut events: Vec<Event> = meetings
                .iter()
                .enumerate()
                .map(|(index, meeting)| {
                    event(meeting, t.cohort_meeting_title(index + 1, &title, count), false)
                })
                .collect();
            events.extend(removed.iter().map(|meeting| event(meeting, title.clone(), true)));
            let next = meetings.iter().position(|meeting| now < meeting.starts_at).unwrap_or(0);
            let next_when =
                meetings.get(next).map_or_else(String::new, |m| when(locale, m.starts_at, duration));
            Described {
                intake: true,
                schedule: meeting_lines(locale, meetings, duration),
                next: (t.cohort_meeting_title(next + 1, &title, count), next_when),
                join_link: cohort.meeting_link.clone(),
                events,
                title,
                sequence: u32::try_from(cohort.ics_sequence).unwrap_or(0),
                url: format!("{}/{}/cohorts/{}", settings.public_url, locale, cohort.id),
                session_id: None,
            }
        }
    }
}

/// The calendar file for a registrant: the public events plus the private join link. A
/// cancelling file cancels every meeting; an update carries the removed ones cancelled.
fn invitation(
    about: &Described,
    locale: Locale,
    leave: &str,
    method: Method,
    now: DateTime<Utc>,
) -> CalendarAttachment {
    let t = Tr(locale);
    let cancel_all = method == Method::Cancel;
    let join_link = about.join_link.clone().filter(|_| !cancel_all);
    let mut description =
        vec![if about.intake { t.email_cohort_attend_all() } else { t.email_calendar_note() }.to_string()];
    description.extend(join_link.as_deref().map(|link| t.email_join(link)));
    description.push(leave.to_string());
    let description = description.join("\n\n");
    let events: Vec<SessionEvent> = about
        .events
        .iter()
        .filter(|event| !(cancel_all && event.removed))
        .map(|event| SessionEvent {
            uid: event.uid.clone(),
            sequence: about.sequence,
            title: event.title.clone(),
            description: description.clone(),
            language: locale,
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            url: about.url.clone(),
            join_link: join_link.clone().filter(|_| !event.removed),
            cancelled: cancel_all || event.removed,
        })
        .collect();
    let content = calendar_file::calendar(&events, method, t.app_name(), t.ics_reminder(), now);
    CalendarAttachment { content, method: method.as_str() }
}

/// The email telling `registration` of `notice` about the offering (an untitled session goes
/// by `format_name`). Only people with a seat get the join link and calendar files; the
/// waitlist gets words.
pub(super) fn compose(
    notice: &Notice,
    offering: &Locked,
    format_name: Option<&Bilingual>,
    registration: &Registration,
    manage_url: &str,
    settings: &Settings,
    now: DateTime<Utc>,
) -> NewEmail {
    let locale = registration.language;
    let t = Tr(locale);
    let about = describe(offering, format_name, locale, settings, now);
    let (intake, title, schedule) = (about.intake, about.title.as_str(), about.schedule.clone());
    let site = |path: &str| format!("{}/{}{}", settings.public_url, locale, path);
    let join = about.join_link.as_deref().map(|link| t.email_join(link));
    let leave = if intake { t.email_cohort_withdraw(manage_url) } else { t.email_cancel(manage_url) };
    let calendar = |method: Method| invitation(&about, locale, &leave, method, now);
    let has_seat = registration.status == Status::Confirmed;

    let (subject, mut paragraphs, calendar) = match notice {
        Notice::Confirmation | Notice::Promotion => {
            let (subject, intro) = match (notice, intake) {
                (Notice::Promotion, false) => {
                    (t.email_promotion_subject(title), t.email_promotion_intro(title))
                }
                (Notice::Promotion, true) => {
                    (t.email_promotion_subject(title), t.email_cohort_promotion_intro(title))
                }
                (_, false) => (t.email_confirmation_subject(title), t.email_confirmation_intro(title)),
                (_, true) => (t.email_confirmation_subject(title), t.email_cohort_confirmation_intro(title)),
            };
            let mut body = vec![intro, schedule];
            body.extend(join);
            if intake {
                body.extend(
                    [t.email_cohort_attend_all(), t.email_cohort_agreement(), t.email_cohort_calendar_note()]
                        .map(str::to_string),
                );
            } else {
                body.extend([t.email_join_tips(), t.email_calendar_note()].map(str::to_string));
            }
            body.push(leave.clone());
            (subject, body, Some(calendar(Method::Publish)))
        }
        Notice::Waitlisted { position } => {
            let intro = if intake {
                t.email_cohort_waitlist_intro(*position, title)
            } else {
                t.email_waitlist_intro(position, title)
            };
            (t.email_waitlist_subject(title), vec![intro, schedule, t.email_leave_waitlist(manage_url)], None)
        }
        Notice::Cancellation => {
            let intro = if intake {
                t.email_cohort_withdrawn_intro(title)
            } else {
                t.email_cancellation_intro(title)
            };
            let body = vec![intro, schedule, t.email_cancellation_again(site(""))];
            (t.email_cancellation_subject(title), body, has_seat.then(|| calendar(Method::Cancel)))
        }
        Notice::Reminder => {
            let (meeting, when) = &about.next;
            let mut body = vec![t.email_reminder_intro(meeting), t.email_when(when)];
            body.extend(join);
            body.push(leave.clone());
            (t.email_reminder_subject(meeting, when), body, None)
        }
        Notice::Changed => {
            let (subject, intro, note) = if intake {
                let note = t.email_cohort_changed_calendar();
                (t.email_cohort_changed_subject(title), t.email_cohort_changed_intro(title), note)
            } else {
                (t.email_changed_subject(title), t.email_changed_intro(title), t.email_changed_calendar())
            };
            let mut body = vec![intro, schedule];
            let update = has_seat.then(|| {
                body.extend(join);
                body.push(note.to_string());
                calendar(Method::Publish)
            });
            body.push(leave.clone());
            (subject, body, update)
        }
        Notice::CancelledByFacilitator => {
            let subject = if intake {
                t.email_cohort_cancelled_subject(title)
            } else {
                t.email_cancelled_subject(title)
            };
            let mut body = vec![t.email_cancelled_intro(title), schedule];
            let removal = has_seat.then(|| {
                body.push(t.email_cancelled_calendar().to_string());
                calendar(Method::Cancel)
            });
            body.push(t.email_cancelled_others(site("")));
            (subject, body, removal)
        }
        Notice::Evaluation { link, days } => (
            t.email_evaluation_subject(title),
            vec![
                t.email_evaluation_intro(title),
                t.email_evaluation_link(link),
                t.email_evaluation_anonymous().to_string(),
                t.email_evaluation_expires(*days),
            ],
            None,
        ),
        Notice::Message { subject, body: message } => (
            t.email_message_subject(subject),
            vec![t.email_message_intro(title), message.clone(), schedule, leave.clone()],
            None,
        ),
    };
    paragraphs.insert(0, t.email_greeting(&registration.name));
    paragraphs.push(t.email_rules(site("/rules")));
    paragraphs.push(t.email_support(site("/support")));
    paragraphs.push(t.email_signature().to_string());
    NewEmail {
        session_id: about.session_id,
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
    /// A member's single-use link to a wave of the round's survey (0 = the baseline), working
    /// for `days`.
    Survey {
        link: String,
        days: u32,
        wave: u32,
    },
}

pub fn application_email(
    notice: &ApplicationNotice,
    round: &Round,
    application: &Application,
    manage_url: &str,
    settings: &Settings,
) -> NewEmail {
    let locale: Locale = application.language;
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
        ApplicationNotice::Survey { link, days, wave } => (
            t.email_survey_subject(&title),
            vec![
                if *wave == 0 {
                    t.email_survey_baseline(&title)
                } else {
                    t.email_survey_follow_up(i64::from(*wave), &title)
                },
                t.email_evaluation_link(link),
                t.email_survey_private().to_string(),
                t.email_evaluation_expires(*days),
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

/// Tells someone who asked that an intake of the program they wait for takes registrations.
pub fn opening_email(
    cohort: &Cohort,
    meetings: &[Meeting],
    interest: &Interest,
    settings: &Settings,
) -> NewEmail {
    let locale: Locale = interest.language;
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

/// The emails about a story for the gratitude wall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoryNotice {
    /// To the author: the private link that confirms the address, then withdraws the story.
    Confirm { link: String },
    /// To the author: the story is on the wall.
    Approved { wall: String },
    /// To the author: the story will not be published, and why.
    Declined { reason: DeclineReason },
    /// To a moderator: reports took a story off the wall.
    Reported { reports: u64, queue: String },
}

pub fn story_email(notice: &StoryNotice, recipient: &str, locale: Locale, settings: &Settings) -> NewEmail {
    let t = Tr(locale);
    let (subject, paragraphs) = match notice {
        StoryNotice::Confirm { link } => (
            t.email_story_confirm_subject(),
            vec![
                t.email_story_confirm_intro().to_string(),
                link.clone(),
                t.email_story_confirm_keep().to_string(),
                t.email_story_confirm_ignore().to_string(),
            ],
        ),
        StoryNotice::Approved { wall } => (
            t.email_story_approved_subject(),
            vec![t.email_story_approved_intro(wall), t.email_story_approved_withdraw().to_string()],
        ),
        StoryNotice::Declined { reason } => (
            t.email_story_declined_subject(),
            vec![
                t.email_story_declined_intro().to_string(),
                decline_reason_text(t, *reason).to_string(),
                t.email_story_declined_deleted().to_string(),
            ],
        ),
        StoryNotice::Reported { reports, queue } => (
            t.email_story_reported_subject(),
            vec![t.email_story_reported_intro(*reports as i64), queue.clone()],
        ),
    };
    let mut paragraphs = paragraphs;
    paragraphs.push(t.email_signature().to_string());
    NewEmail {
        session_id: None,
        recipient: recipient.to_string(),
        subject: subject.to_string(),
        body: paragraphs.join("\n\n"),
        calendar: None,
        message_id: format!("<{}@{}>", random_token(), settings.host()),
    }
}
