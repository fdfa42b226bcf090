//! Registering for a session: what the form must contain, who is eligible, where a new
//! registration lands (a seat or the waitlist), who is promoted when a seat frees up, and when
//! reminders are due.

use super::forms::{Field, FieldError, Problem, looks_like_email};
use super::session::Audience;
use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

pub const MAX_NAME_CHARS: usize = 120;
/// The longest address SMTP allows.
pub const MAX_EMAIL_CHARS: usize = 254;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareerStage {
    MedicalStudent,
    Resident,
    Fellow,
    PractisingPhysician,
    RetiredPhysician,
}

impl CareerStage {
    pub const ALL: [CareerStage; 5] = [
        CareerStage::MedicalStudent,
        CareerStage::Resident,
        CareerStage::Fellow,
        CareerStage::PractisingPhysician,
        CareerStage::RetiredPhysician,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CareerStage::MedicalStudent => "medical_student",
            CareerStage::Resident => "resident",
            CareerStage::Fellow => "fellow",
            CareerStage::PractisingPhysician => "practising_physician",
            CareerStage::RetiredPhysician => "retired_physician",
        }
    }

    pub fn is_learner(self) -> bool {
        matches!(self, CareerStage::MedicalStudent | CareerStage::Resident | CareerStage::Fellow)
    }
}

impl FromStr for CareerStage {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        CareerStage::ALL.into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

/// Canada's provinces and territories, by their postal abbreviation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Province {
    AB,
    BC,
    MB,
    NB,
    NL,
    NS,
    NT,
    NU,
    ON,
    PE,
    QC,
    SK,
    YT,
}

impl Province {
    pub const ALL: [Province; 13] = [
        Province::AB,
        Province::BC,
        Province::MB,
        Province::NB,
        Province::NL,
        Province::NS,
        Province::NT,
        Province::NU,
        Province::ON,
        Province::PE,
        Province::QC,
        Province::SK,
        Province::YT,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Province::AB => "AB",
            Province::BC => "BC",
            Province::MB => "MB",
            Province::NB => "NB",
            Province::NL => "NL",
            Province::NS => "NS",
            Province::NT => "NT",
            Province::NU => "NU",
            Province::ON => "ON",
            Province::PE => "PE",
            Province::QC => "QC",
            Province::SK => "SK",
            Province::YT => "YT",
        }
    }
}

impl FromStr for Province {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Province::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

/// The registration form as typed: every field a string, so nothing typed is lost when the
/// form comes back with errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub career_stage: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub language: String,
    /// A checkbox: present (any value) when ticked.
    #[serde(default)]
    pub eligible: Option<String>,
    #[serde(default)]
    pub rules: Option<String>,
}

/// A registration that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRegistration {
    pub name: String,
    pub email: String,
    /// The address compared for duplicates: trimmed and lowercased.
    pub email_key: String,
    pub career_stage: CareerStage,
    pub province: Province,
    pub language: Locale,
    pub eligibility_confirmed: bool,
}

/// Checks a form for a session open to `audience`, on the server.
pub fn validate(form: &RegistrationForm, audience: Audience) -> Result<ValidRegistration, Vec<FieldError>> {
    let (career_stage, province, language) = check(form, audience)?;
    let email = form.email.trim();
    Ok(ValidRegistration {
        name: form.name.trim().to_string(),
        email: email.to_string(),
        email_key: email.to_lowercase(),
        career_stage,
        province,
        language,
        eligibility_confirmed: audience.asks_eligibility() && form.eligible.is_some(),
    })
}

/// What is wrong with a form, as [`validate`] would say: the browser's check before the form
/// is sent. It builds nothing, so the bundle carries no Unicode case tables for `email_key`.
pub fn problems(form: &RegistrationForm, audience: Audience) -> Vec<FieldError> {
    check(form, audience).err().unwrap_or_default()
}

fn check(
    form: &RegistrationForm,
    audience: Audience,
) -> Result<(CareerStage, Province, Locale), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field, problem| errors.push(FieldError { field, problem });

    let name = form.name.trim();
    if name.is_empty() {
        fail(Field::Name, Problem::Required);
    } else if name.chars().count() > MAX_NAME_CHARS {
        fail(Field::Name, Problem::TooLong);
    } else if name.chars().any(char::is_control) {
        // A name is one line: no line breaks either (see `forms::stray_control`).
        fail(Field::Name, Problem::Invalid);
    }
    let email = form.email.trim();
    if email.is_empty() {
        fail(Field::Email, Problem::Required);
    } else if email.chars().count() > MAX_EMAIL_CHARS {
        fail(Field::Email, Problem::TooLong);
    } else if !looks_like_email(email) {
        fail(Field::Email, Problem::InvalidEmail);
    }
    let career_stage = form.career_stage.parse::<CareerStage>().ok();
    match career_stage {
        None => fail(Field::CareerStage, Problem::Required),
        Some(stage) if !fits_audience(stage, audience) => fail(Field::CareerStage, Problem::NotInAudience),
        Some(_) => {}
    }
    let province = form.province.parse::<Province>().ok();
    if province.is_none() {
        fail(Field::Province, Problem::Required);
    }
    let language = form.language.parse::<Locale>().ok();
    if language.is_none() {
        fail(Field::Language, Problem::Required);
    }
    let eligible = form.eligible.is_some();
    if audience.asks_eligibility() && !eligible {
        fail(Field::Eligible, Problem::Required);
    }
    if form.rules.is_none() {
        fail(Field::Rules, Problem::Required);
    }

    match (career_stage, province, language) {
        (Some(career_stage), Some(province), Some(language)) if errors.is_empty() => {
            Ok((career_stage, province, language))
        }
        _ => Err(errors),
    }
}

/// Whether someone at `stage` belongs to a session's audience. Residents on leave are
/// residents; whether they are on leave is what the eligibility question asks.
pub fn fits_audience(stage: CareerStage, audience: Audience) -> bool {
    match audience {
        Audience::All => true,
        Audience::Learners => stage.is_learner(),
        Audience::ResidentsOnLeave => stage == CareerStage::Resident,
    }
}

/// Where a new registration lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Confirmed,
    Waitlisted,
}

/// The seat counters of one session, as the transaction that changes them reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seats {
    pub capacity: u32,
    pub taken: u32,
    pub waiting: u32,
}

/// How many people may wait for a session or intake of `capacity` seats: `waitlist_factor`
/// times as many as it seats. Beyond that a place in line is a promise nobody will keep, and
/// an unbounded line lets anyone fill it with invented addresses.
pub fn waitlist_limit(capacity: u32, waitlist_factor: u32) -> u32 {
    capacity.saturating_mul(waitlist_factor)
}

impl Seats {
    /// Takes a seat if one is free and nobody waits for it, otherwise a place on the waitlist:
    /// a newcomer never passes the people already waiting (call [`Seats::promote`] first).
    /// `None` when the waitlist is full too (see [`waitlist_limit`]), and nothing changes.
    pub fn place(&mut self, waitlist_factor: u32) -> Option<Placement> {
        if self.taken < self.capacity && self.waiting == 0 {
            self.taken = self.taken.saturating_add(1);
            Some(Placement::Confirmed)
        } else if self.waiting < waitlist_limit(self.capacity, waitlist_factor) {
            self.waiting = self.waiting.saturating_add(1);
            Some(Placement::Waitlisted)
        } else {
            None
        }
    }

    /// Whether a newcomer would be turned away: every seat and every place in line is taken.
    pub fn waitlist_full(&self, waitlist_factor: u32) -> bool {
        self.taken >= self.capacity && self.waiting >= waitlist_limit(self.capacity, waitlist_factor)
    }

    /// Gives back what a cancelled registration held.
    pub fn release(&mut self, held: Placement) {
        match held {
            Placement::Confirmed => self.taken = self.taken.saturating_sub(1),
            Placement::Waitlisted => self.waiting = self.waiting.saturating_sub(1),
        }
    }

    /// The one promotion rule: while a seat is free and someone waits, the head of the
    /// waitlist takes it, until the event starts. Closing registration to newcomers does not
    /// stop it (it stops new names, not the line already formed). Every change that can free
    /// a seat (a cancellation, a larger capacity, reopening registration) runs it, and so does
    /// a registration before placing the newcomer. Returns how many people at the head of the
    /// waitlist now get a seat, and moves them.
    pub fn promote(&mut self, before_start: bool) -> u32 {
        if !before_start {
            return 0;
        }
        let promoted = self.capacity.saturating_sub(self.taken).min(self.waiting);
        self.taken += promoted;
        self.waiting -= promoted;
        promoted
    }
}

/// Whether registering an address that is already registered sends its confirmation (or
/// waitlist notice) again: at most once an hour, counting from the last one sent, so the form
/// cannot flood someone's inbox. The answer on the page is the same either way.
pub fn may_resend(last_sent: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_sent.is_none_or(|sent| sent.checked_add_signed(Duration::hours(1)).is_some_and(|next| now >= next))
}

/// The reminder (a lead time before the start) due at `now`, if any: the shortest lead whose
/// moment has passed since the person registered and since their last reminder. A reminder
/// whose moment had passed when the person registered is skipped (the confirmation they just
/// received says the same), and one missed while the server was down is replaced by the next,
/// so nobody gets two reminders at once.
pub fn reminder_due(
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
    registered_at: DateTime<Utc>,
    last_reminded_at: Option<DateTime<Utc>>,
    lead_times: &[Duration],
) -> Option<Duration> {
    if now >= starts_at {
        return None;
    }
    let since = last_reminded_at.map_or(registered_at, |reminded| reminded.max(registered_at));
    lead_times
        .iter()
        .copied()
        .filter(|lead| {
            // A moment before the first representable instant came before the registration.
            starts_at.checked_sub_signed(*lead).is_some_and(|moment| now >= moment && since < moment)
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            name: "  Dr. Ada Lovelace ".into(),
            email: " Ada@Example.CA ".into(),
            career_stage: "resident".into(),
            province: "QC".into(),
            language: "fr".into(),
            eligible: None,
            rules: Some("on".into()),
        }
    }

    fn problems(result: Result<ValidRegistration, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.err().unwrap_or_default().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_complete_form_is_trimmed_and_normalised() {
        let valid = validate(&form(), Audience::All).unwrap();
        assert_eq!(valid.name, "Dr. Ada Lovelace");
        assert_eq!(valid.email, "Ada@Example.CA");
        assert_eq!(valid.email_key, "ada@example.ca");
        assert_eq!(valid.language, Locale::Fr);
        assert!(!valid.eligibility_confirmed);
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let empty = RegistrationForm::default();
        assert_eq!(
            problems(validate(&empty, Audience::Learners)),
            [
                (Field::Name, Problem::Required),
                (Field::Email, Problem::Required),
                (Field::CareerStage, Problem::Required),
                (Field::Province, Problem::Required),
                (Field::Language, Problem::Required),
                (Field::Eligible, Problem::Required),
                (Field::Rules, Problem::Required),
            ]
        );
    }

    #[test]
    fn emails_and_lengths_are_checked() {
        for bad in ["ada", "ada@", "@example.ca", "ada@example", "ada @example.ca", "a@b@c.ca", "ada@.ca"] {
            let mut f = form();
            f.email = bad.into();
            assert_eq!(
                problems(validate(&f, Audience::All)),
                [(Field::Email, Problem::InvalidEmail)],
                "{bad}"
            );
        }
        let mut long = form();
        long.name = "x".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(problems(validate(&long, Audience::All)), [(Field::Name, Problem::TooLong)]);
        let mut nonsense = form();
        nonsense.province = "ZZ".into();
        assert_eq!(problems(validate(&nonsense, Audience::All)), [(Field::Province, Problem::Required)]);
    }

    #[test]
    fn a_name_with_control_characters_is_refused() {
        for bad in ["Bob\0Tables", "Bell\u{7}", "Two\nLines", "Esc\u{1b}[2J", "Del\u{7f}"] {
            let mut f = form();
            f.name = bad.into();
            assert_eq!(problems(validate(&f, Audience::All)), [(Field::Name, Problem::Invalid)], "{bad:?}");
        }
    }

    #[test]
    fn restricted_audiences_ask_eligibility_and_a_fitting_career_stage() {
        let mut practising = form();
        practising.career_stage = "practising_physician".into();
        practising.eligible = Some("on".into());
        assert_eq!(
            problems(validate(&practising, Audience::Learners)),
            [(Field::CareerStage, Problem::NotInAudience)]
        );
        let mut resident = form();
        resident.eligible = Some("on".into());
        assert!(validate(&resident, Audience::ResidentsOnLeave).unwrap().eligibility_confirmed);
        let mut fellow = resident.clone();
        fellow.career_stage = "fellow".into();
        assert!(validate(&fellow, Audience::Learners).is_ok());
        assert_eq!(
            problems(validate(&fellow, Audience::ResidentsOnLeave)),
            [(Field::CareerStage, Problem::NotInAudience)]
        );
    }

    #[test]
    fn seats_fill_then_the_waitlist_then_promotion_moves_the_head() {
        let mut seats = Seats { capacity: 2, taken: 0, waiting: 0 };
        assert_eq!(seats.place(3), Some(Placement::Confirmed));
        assert_eq!(seats.place(3), Some(Placement::Confirmed));
        assert_eq!(seats.place(3), Some(Placement::Waitlisted));
        assert_eq!(seats.place(3), Some(Placement::Waitlisted));
        assert_eq!(seats, Seats { capacity: 2, taken: 2, waiting: 2 });
        assert_eq!(seats.promote(true), 0, "nobody moves while the session is full");
        seats.release(Placement::Confirmed);
        assert_eq!(seats.promote(false), 0, "nobody moves once the session has started");
        assert_eq!(seats.promote(true), 1);
        assert_eq!(seats, Seats { capacity: 2, taken: 2, waiting: 1 });
        seats.release(Placement::Waitlisted);
        assert_eq!(seats, Seats { capacity: 2, taken: 2, waiting: 0 });
        // A capacity raised by two promotes at most as many as are waiting.
        let mut raised = Seats { capacity: 5, taken: 2, waiting: 1 };
        assert_eq!(raised.promote(true), 1);
    }

    #[test]
    fn a_repeat_registration_resends_at_most_once_an_hour() {
        let sent = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").unwrap().to_utc();
        assert!(may_resend(None, sent));
        assert!(!may_resend(Some(sent), sent + Duration::minutes(59)));
        assert!(may_resend(Some(sent), sent + Duration::minutes(60)));
        assert!(!may_resend(Some(DateTime::<Utc>::MAX_UTC), sent), "no overflow at the end of time");
    }

    #[test]
    fn a_newcomer_never_passes_the_waitlist() {
        // A seat freed while nobody promoted (before this rule): the newcomer waits behind.
        let mut seats = Seats { capacity: 2, taken: 1, waiting: 1 };
        assert_eq!(seats.place(3), Some(Placement::Waitlisted));
        assert_eq!(seats.promote(true), 1, "the head of the line takes the free seat");
        assert_eq!(seats, Seats { capacity: 2, taken: 2, waiting: 1 });
        let mut saturated = Seats { capacity: u32::MAX, taken: u32::MAX - 1, waiting: u32::MAX };
        assert_eq!(saturated.place(3), None, "a line as long as it can be is full");
        assert_eq!(saturated.waiting, u32::MAX);
    }

    #[test]
    fn the_waitlist_holds_at_most_factor_times_the_seats() {
        let mut seats = Seats { capacity: 2, taken: 2, waiting: 5 };
        assert!(!seats.waitlist_full(3));
        assert_eq!(seats.place(3), Some(Placement::Waitlisted));
        assert!(seats.waitlist_full(3));
        assert_eq!(seats.place(3), None, "the seventh person in line is turned away");
        assert_eq!(seats, Seats { capacity: 2, taken: 2, waiting: 6 }, "and nothing changes");
        // A free seat is still taken whatever the line; a factor of 0 means no waitlist.
        let mut no_line = Seats { capacity: 1, taken: 0, waiting: 0 };
        assert_eq!(no_line.place(0), Some(Placement::Confirmed));
        assert_eq!(no_line.place(0), None);
        // A lowered capacity leaves a longer line than allowed: still full, never an overflow.
        assert!(Seats { capacity: 1, taken: 3, waiting: 9 }.waitlist_full(3));
        assert_eq!(waitlist_limit(u32::MAX, 3), u32::MAX);
        assert_eq!(Seats { capacity: u32::MAX, taken: u32::MAX, waiting: u32::MAX }.place(3), None);
    }

    #[test]
    fn one_reminder_at_a_time_and_only_for_moments_after_registering() {
        let start = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().to_utc();
        let leads = [Duration::hours(24), Duration::hours(1)];
        let early = start - Duration::days(5);
        let due = |now, registered, reminded| reminder_due(now, start, registered, reminded, &leads);
        assert_eq!(due(start - Duration::hours(30), early, None), None);
        assert_eq!(due(start - Duration::hours(23), early, None), Some(Duration::hours(24)));
        let day_before = Some(start - Duration::hours(23));
        assert_eq!(due(start - Duration::hours(2), early, day_before), None, "already reminded");
        assert_eq!(due(start - Duration::minutes(30), early, day_before), Some(Duration::hours(1)));
        // Down for a day: only the closer reminder goes out.
        assert_eq!(due(start - Duration::minutes(30), early, None), Some(Duration::hours(1)));
        // Registered 3 hours before: no day-before reminder, but the hour-before one comes.
        let late = start - Duration::hours(3);
        assert_eq!(due(start - Duration::hours(2), late, None), None);
        assert_eq!(due(start - Duration::minutes(30), late, None), Some(Duration::hours(1)));
        assert_eq!(due(start, early, None), None, "nothing once it has started");
        // Lead times reaching before the first representable instant are never due.
        let first = DateTime::<Utc>::MIN_UTC;
        let at_the_start = first + Duration::minutes(30);
        assert_eq!(reminder_due(first, at_the_start, first, None, &leads), None);
        assert_eq!(reminder_due(first, at_the_start, first, None, &[Duration::MAX]), None);
    }
}
