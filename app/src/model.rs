//! Wire types: what server functions send to pages and islands. They are built from database
//! rows on the server and never carry a secret (the private meeting link has no field here).

use crate::domain::application_round::{Offer, RoundStatus};
use crate::domain::session::{Audience, SessionLanguage, SessionStatus};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Text entered in English, French, or both. A session may be described in one language
/// only; readers of the other language then see it marked with the language it is in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub en: Option<String>,
    pub fr: Option<String>,
}

impl Bilingual {
    pub fn both(en: impl Into<String>, fr: impl Into<String>) -> Self {
        Bilingual { en: Some(en.into()), fr: Some(fr.into()) }
    }

    /// The text for a reader of `locale`, and the language it is actually written in.
    pub fn pick(&self, locale: Locale) -> (&str, Locale) {
        let (wanted, fallback) = match locale {
            Locale::En => (&self.en, &self.fr),
            Locale::Fr => (&self.fr, &self.en),
        };
        match (wanted.as_deref().filter(|s| !s.is_empty()), fallback.as_deref()) {
            (Some(text), _) => (text, locale),
            (None, Some(text)) => (text, locale.other()),
            (None, None) => ("", locale),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatInfo {
    pub slug: String,
    pub name: Bilingual,
    pub description: Bilingual,
    /// Who leads sessions of this format ("a licensed psychologist").
    pub led_by: Bilingual,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitatorInfo {
    pub display_name: String,
    pub credentials: Bilingual,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesInfo {
    pub name: Bilingual,
    pub part: u32,
}

/// A session as the calendar lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: i32,
    pub format_slug: String,
    pub format_name: Bilingual,
    pub title: Bilingual,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
    pub language: SessionLanguage,
    pub audience: Audience,
    pub status: SessionStatus,
    pub capacity: u32,
    pub seats_taken: u32,
    pub waitlist_length: u32,
    pub facilitator_name: String,
    pub series: Option<SeriesInfo>,
}

/// Everything a participant reads before registering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub summary: SessionSummary,
    pub description: Bilingual,
    pub format: FormatInfo,
    pub facilitator: FacilitatorInfo,
    pub registration_open: bool,
    /// Every seat and every place on the waitlist is taken: nobody else can register.
    pub waitlist_full: bool,
}

/// One page of the upcoming list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPage {
    pub sessions: Vec<SessionSummary>,
    pub has_more: bool,
}

/// What a registration is for, and whose seats a count shows: a drop-in session (one
/// meeting) or a cohort intake (several, taken together). Pages and the live stream name it by
/// its [`key`](Offering::key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Offering {
    Session(i32),
    Intake(i32),
}

impl Offering {
    /// `s12` for session 12, `c3` for cohort intake 3.
    pub fn key(self) -> String {
        match self {
            Offering::Session(id) => format!("s{id}"),
            Offering::Intake(id) => format!("c{id}"),
        }
    }

    /// The offering's public page, in `locale`.
    pub fn page(self, locale: Locale) -> String {
        match self {
            Offering::Session(id) => format!("/{locale}/sessions/{id}"),
            Offering::Intake(id) => format!("/{locale}/cohorts/{id}"),
        }
    }

    /// The offering a key names. A bare number is a session: pages rendered before cohorts
    /// had live counts, still open or cached, name sessions that way.
    pub fn from_key(key: &str) -> Option<Offering> {
        let key = key.trim();
        match key.strip_prefix('c') {
            Some(id) => id.parse().ok().map(Offering::Intake),
            None => key.strip_prefix('s').unwrap_or(key).parse().ok().map(Offering::Session),
        }
    }
}

/// An offering's seats as the live channel pushes them to every open page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatUpdate {
    pub offering: Offering,
    pub capacity: u32,
    pub seats_taken: u32,
    pub waitlist_length: u32,
    pub status: SessionStatus,
    /// When the change was committed (microseconds since the epoch), to measure delivery.
    pub committed_at_us: i64,
}

/// Where a registration stands, as its owner sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationState {
    Confirmed,
    /// On the waitlist, at this position (1 is next).
    Waitlisted(u32),
    Cancelled,
}

/// What registering or applying answers. It is the same whether the address was new or already
/// there (holding a seat, waiting, or applied), so nobody learns from it whether an address
/// attends or applied: where the person landed and their private link go by email, to that
/// address only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledged {
    /// The page to show next: the one registered or applied on, saying the email is on its way.
    pub next_path: String,
}

/// A registration seen through its private link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub session: SessionSummary,
    pub state: RegistrationState,
    /// The address the emails go to, partly masked.
    pub email_hint: String,
    pub can_cancel: bool,
}

/// The signed-in person, as the header and workspace show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub email: String,
    pub role: crate::domain::access::Role,
    pub display_name: Option<String>,
}

/// A session in the workspace list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSession {
    pub summary: SessionSummary,
    pub registration_closed: bool,
    /// Whether the caller may open its list of registrants.
    pub roster_visible: bool,
}

/// A facilitator a session can be given to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitatorChoice {
    pub id: i32,
    pub display_name: String,
}

/// A session opened for editing: its form filled in (times in Eastern Time), and what the
/// caller may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEditor {
    pub summary: SessionSummary,
    /// The session as its form shows it, with the meeting link always empty: the link never
    /// leaves the server, and an empty field keeps it.
    pub form: crate::domain::session_form::SessionForm,
    pub registration_closed: bool,
    pub facilitator_id: i32,
    pub roster_visible: bool,
    /// Who the session could be given to; empty unless the caller is a coordinator.
    pub facilitators: Vec<FacilitatorChoice>,
}

/// One person on a session's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub name: String,
    pub email: String,
    pub career_stage: crate::domain::registration::CareerStage,
    pub province: crate::domain::registration::Province,
    pub state: RegistrationState,
}

/// A facilitator as the coordinator manages them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitatorAccount {
    pub facilitator_id: i32,
    pub display_name: String,
    pub credentials: Bilingual,
    pub account_id: Option<i32>,
    pub email: Option<String>,
    pub active: bool,
    /// Invited, but no password chosen yet.
    pub invitation_pending: bool,
}

/// A format as the coordinator edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatRecord {
    pub id: i32,
    pub slug: String,
    pub position: i32,
    pub info: FormatInfo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_language_text_is_shown_to_both_and_marked() {
        let english_only = Bilingual { en: Some("Sleep".into()), fr: None };
        assert_eq!(english_only.pick(Locale::Fr), ("Sleep", Locale::En));
        assert_eq!(english_only.pick(Locale::En), ("Sleep", Locale::En));
        let both = Bilingual::both("Sleep", "Sommeil");
        assert_eq!(both.pick(Locale::Fr), ("Sommeil", Locale::Fr));
        let blank_french = Bilingual { en: Some("Sleep".into()), fr: Some(String::new()) };
        assert_eq!(blank_french.pick(Locale::Fr), ("Sleep", Locale::En));
    }

    #[test]
    fn offering_keys_name_one_offering_each() {
        for offering in [Offering::Session(12), Offering::Intake(12), Offering::Session(0)] {
            assert_eq!(Offering::from_key(&offering.key()), Some(offering));
        }
        assert_eq!(Offering::from_key("7"), Some(Offering::Session(7)));
        for junk in ["", "c", "s", "x3", "c-", "s1.5", "c99999999999"] {
            assert_eq!(Offering::from_key(junk), None, "{junk}");
        }
    }
}

/// A group of an application round as anyone may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupInfo {
    pub id: i32,
    pub name: Bilingual,
    /// The district of an in-person group; `None` for a virtual one.
    pub district: Option<String>,
    pub seats: u32,
    /// Members placed by the draw.
    pub member_count: u32,
}

/// An application round as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: i32,
    pub title: Bilingual,
    pub description: Bilingual,
    pub deadline: DateTime<Utc>,
    pub status: RoundStatus,
    /// Open, before its deadline, with at least one group.
    pub accepting: bool,
    pub offer: Offer,
    pub groups: Vec<GroupInfo>,
    /// How many applied, known once the draw has run.
    pub applicant_count: u32,
    /// Whether the draw's seed and result are published.
    pub published: bool,
}

/// Where an application stands, for its private page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationStage {
    Received,
    Selected { group: Bilingual },
    Waitlisted { position: u32 },
}

/// What an applicant's private link shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    /// The number the published draw lists the applicant under.
    pub number: i32,
    pub name: String,
    pub preference: String,
    pub round: RoundSummary,
    pub stage: ApplicationStage,
    pub may_withdraw: bool,
}

/// An application with the applicant's details: for the coordinator, and for the facilitator
/// of the group it was placed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantEntry {
    pub number: i32,
    pub name: String,
    pub specialty: String,
    pub city: String,
    pub district: String,
    pub email: String,
    pub phone: String,
    pub preference: String,
    pub motivation: String,
    pub benefit: String,
    pub group_id: Option<i32>,
    pub waitlist_position: Option<u32>,
}

/// The coordinator's page of a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundAdmin {
    pub summary: RoundSummary,
    pub may_draw: bool,
    pub retention_days: u32,
    /// When the applicants' details will be deleted; set once the round is closed.
    pub purge_at: Option<DateTime<Utc>>,
    pub purged: bool,
    /// Each group's facilitator account, by group id.
    pub facilitators: Vec<(i32, Option<i32>)>,
    pub pending_count: u32,
    pub applicants: Vec<ApplicantEntry>,
}

/// A group the caller facilitates, with its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitatedGroup {
    pub round: RoundSummary,
    pub group: GroupInfo,
    pub members: Vec<ApplicantEntry>,
}

/// A cohort group as the calendar and the programs page list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSummary {
    pub id: i32,
    pub title: Bilingual,
    pub audience: Audience,
    pub language: SessionLanguage,
    /// When each meeting starts, in order.
    pub meetings: Vec<DateTime<Utc>>,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub seats_taken: u32,
    pub waitlist_length: u32,
    pub phase: crate::domain::cohort::CohortPhase,
    pub facilitator_name: String,
}

/// One meeting of a cohort intake, as the week and month views list it beside the sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMeeting {
    pub cohort_id: i32,
    pub meeting_id: i32,
    pub title: Bilingual,
    /// Which meeting it is, from 1, of how many.
    pub part: u32,
    pub total: u32,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: u32,
}

/// What the week and month views show on their days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarRange {
    pub sessions: Vec<SessionSummary>,
    pub group_meetings: Vec<GroupMeeting>,
}

/// Everything a person reads before joining a cohort.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortDetail {
    pub summary: CohortSummary,
    pub description: Bilingual,
    pub eligibility: Bilingual,
    pub agreement: Bilingual,
    /// The next intake of the same program, shown when this one cannot be joined.
    pub next_intake: Option<CohortSummary>,
    /// Every seat and every place on the waitlist is taken: nobody else can register.
    pub waitlist_full: bool,
}

/// A cohort registration seen through its private link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortRegistrationView {
    pub cohort: CohortSummary,
    pub state: RegistrationState,
    pub email_hint: String,
    pub can_withdraw: bool,
}

/// A cohort in the workspace: its counts for the coordinator, and its roster for its own
/// facilitator only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortAdmin {
    pub summary: CohortSummary,
    pub registration_closed: bool,
    pub roster: Option<Vec<RosterEntry>>,
    /// The intake as its edit form shows it (the meeting link left empty: it never leaves
    /// the server).
    pub form: crate::domain::cohort::CohortForm,
}

/// What an evaluation link opens: the offering it is about, nothing about who holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub title: Bilingual,
    pub occasion: Occasion,
    pub questions: Vec<crate::domain::evaluation::Question>,
}

/// What an evaluation link asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Occasion {
    /// An offering held then: a session's start, or an intake's last meeting's.
    Held(DateTime<Utc>),
    /// A wave of a round's survey: 0 for the baseline, else months after the groups' start.
    SurveyWave(u32),
}

/// Where a member stands with one wave of their round's survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaveStatus {
    /// Not asked yet.
    NotYet,
    /// Asked; the link still works.
    Asked,
    Completed,
    /// Asked; the link expired unanswered.
    Missed,
}

/// A member in the coordinator's table of survey completion: never what they answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyMember {
    pub number: i32,
    pub name: String,
    pub group: Bilingual,
    /// One per wave of [`SurveyAdmin::waves`].
    pub waves: Vec<WaveStatus>,
}

/// The coordinator's page of a round's survey: its settings, who completed each wave, and
/// the released answers in aggregate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAdmin {
    pub round_id: i32,
    pub title: Bilingual,
    pub form: crate::domain::survey::SurveyForm,
    /// Whether the coordinator has set the survey (until then nobody is asked).
    pub configured: bool,
    pub waves: Vec<u32>,
    pub members: Vec<SurveyMember>,
    /// By wave, from the minimum group up (see `domain::report`).
    pub results: Vec<(u32, crate::domain::report::EvaluationRow)>,
}

/// A format's evaluation questions in the coordinator's editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSetView {
    pub format: Bilingual,
    pub form: crate::domain::evaluation::QuestionSetForm,
}

/// A format's name in reports; format 0 is the cohort groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatName {
    pub id: i32,
    pub name: Bilingual,
}

/// The program report a coordinator (everything) or a facilitator (their own offerings) reads.
/// Every figure about people is already suppressed below the minimum group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramReport {
    pub formats: Vec<FormatName>,
    /// Newest month first.
    pub participation: Vec<crate::domain::report::ParticipationRow>,
    pub evaluations: Vec<crate::domain::report::EvaluationRow>,
    /// A coordinator's report: every facilitator's offerings, with free-text answers.
    pub coordinator: bool,
}

impl ProgramReport {
    /// A format's name in `locale`, as the report's tables name it.
    pub fn format_name(&self, format_id: i32, locale: Locale) -> String {
        let format = self.formats.iter().find(|format| format.id == format_id);
        format.map_or_else(String::new, |format| format.name.pick(locale).0.to_string())
    }
}

/// Where the site points people for help, as configured: the program's 24/7 wellness line
/// (`ROUNDS_WELLNESS_LINE`) and the addresses for technical help and for questions about the
/// sessions (`ROUNDS_HELP_EMAIL`, `ROUNDS_SESSIONS_EMAIL`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    pub wellness_line: Option<String>,
    /// The demo's stand-in number, shown as an example to replace.
    pub wellness_line_example: bool,
    pub help_email: Option<String>,
    pub sessions_email: Option<String>,
}

/// What the "Get support now" page shows beyond the crisis lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportDirectory {
    pub contacts: Contacts,
    pub lines: Vec<crate::domain::support::SupportLine>,
}

/// The resources library: the topic list and the resources asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub topics: Vec<crate::domain::resources::Topic>,
    pub resources: Vec<crate::domain::resources::LibraryResource>,
}
