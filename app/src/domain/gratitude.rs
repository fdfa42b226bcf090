//! The gratitude wall's rules: what a story may hold and how its author is shown, where a
//! story stands on its way to the wall, why a moderator may decline one, and when reports send
//! it back to moderation.

use super::forms::{Field, Problem, Problems};
use crate::i18n::Locale;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The longest story, in characters.
pub const MAX_STORY: usize = 1200;
/// The shortest story worth a moderator's time, in characters.
const MIN_STORY: usize = 20;
const MAX_NAME: usize = 120;
/// Stories on a page of the wall.
pub const WALL_PAGE_SIZE: u64 = 10;
/// The last page anyone may ask for; beyond it the wall answers with its first page.
const MAX_PAGE: u64 = 10_000;

/// How the author wants to be shown under their story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShownAs {
    FirstName,
    Initials,
    Colleague,
}

impl ShownAs {
    pub const ALL: [ShownAs; 3] = [ShownAs::FirstName, ShownAs::Initials, ShownAs::Colleague];

    pub fn as_str(self) -> &'static str {
        match self {
            ShownAs::FirstName => "first_name",
            ShownAs::Initials => "initials",
            ShownAs::Colleague => "colleague",
        }
    }
}

impl FromStr for ShownAs {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        ShownAs::ALL.into_iter().find(|shown| shown.as_str() == s).ok_or(())
    }
}

/// The signature shown under a story: the first name, the initials ("M. L."), or none (the
/// wall then says "a colleague").
pub fn signature(shown_as: ShownAs, name: &str) -> Option<String> {
    let mut words = name.split_whitespace();
    match shown_as {
        ShownAs::Colleague => None,
        ShownAs::FirstName => words.next().map(str::to_string),
        ShownAs::Initials => {
            let initials: Vec<String> = words
                .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
                .flat_map(char::to_uppercase)
                .map(|initial| format!("{initial}."))
                .collect();
            (!initials.is_empty()).then(|| initials.join(" "))
        }
    }
}

/// The sharing form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoryForm {
    pub story: String,
    pub language: String,
    pub shown_as: String,
    pub name: String,
    pub email: String,
    /// "yes" when the author says they are a physician or a medical learner.
    pub eligible: String,
    /// "yes" when the author accepts the community rules.
    pub rules: String,
}

/// A story that passed [`StoryForm::check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStory {
    pub body: String,
    pub language: Locale,
    pub signature: Option<String>,
    pub email: String,
}

impl StoryForm {
    pub fn check(&self) -> Result<NewStory, Vec<super::forms::FieldError>> {
        let mut problems = Problems::default();
        let body = problems.required_text(Field::Story, &self.story, MAX_STORY).to_string();
        if !body.is_empty() && body.chars().count() < MIN_STORY {
            problems.add(Field::Story, Problem::TooShort);
        }
        let language = problems.parsed(Field::Language, &self.language, |l| l.parse::<Locale>().ok());
        let shown_as = problems.parsed(Field::ShownAs, &self.shown_as, |s| s.parse::<ShownAs>().ok());
        let name = problems.optional_text(Field::Name, &self.name, MAX_NAME).unwrap_or_default();
        if shown_as.is_some_and(|shown| shown != ShownAs::Colleague) && name.is_empty() {
            problems.add(Field::Name, Problem::Required);
        }
        let email = problems.email(&self.email);
        if self.eligible != "yes" {
            problems.add(Field::Colleague, Problem::Required);
        }
        if self.rules != "yes" {
            problems.add(Field::Rules, Problem::Required);
        }
        problems.finish(|| NewStory {
            body,
            language: language.unwrap_or_default(),
            signature: shown_as.and_then(|shown| signature(shown, &name)),
            email,
        })
    }
}

/// A story as the wall, its author and its moderators read it (never with an address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    pub id: i32,
    pub body: String,
    pub language: Locale,
    /// `None`: shown as "a colleague".
    pub signature: Option<String>,
    pub status: StoryStatus,
    /// When it was last approved; a story waiting with one had been on the wall.
    pub published_at: Option<DateTime<Utc>>,
}

/// A page of the wall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallPage {
    pub stories: Vec<Story>,
    /// This page's number, from 1.
    pub page: u64,
    /// Whether a later page has stories.
    pub more: bool,
}

/// A story waiting for a moderator, with the reports that sent it back if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingStory {
    pub story: Story,
    pub reports: u64,
}

/// An account a coordinator may name to moderate the wall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratorChoice {
    pub account_id: i32,
    pub name: String,
    pub moderates: bool,
}

/// The moderation page: the waiting stories, and for a coordinator who may moderate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moderation {
    pub waiting: Vec<WaitingStory>,
    pub moderators: Option<Vec<ModeratorChoice>>,
}

/// Where a story stands. Withdrawn and declined stories are deleted, not kept with a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoryStatus {
    /// Waiting for its author to open the link sent to the address given.
    Unconfirmed,
    /// Confirmed (or reported enough), waiting for a moderator.
    Pending,
    /// On the wall.
    Approved,
}

impl StoryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StoryStatus::Unconfirmed => "unconfirmed",
            StoryStatus::Pending => "pending",
            StoryStatus::Approved => "approved",
        }
    }
}

impl FromStr for StoryStatus {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        [StoryStatus::Unconfirmed, StoryStatus::Pending, StoryStatus::Approved]
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or(())
    }
}

/// Why a moderator declines a story; the author is told in their language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeclineReason {
    /// It could identify a patient or a colleague.
    Identifies,
    /// It is not a story of gratitude.
    NotGratitude,
    /// It breaks the community rules.
    BreaksRules,
    /// It is already on the wall, or sent twice.
    Duplicate,
}

impl DeclineReason {
    pub const ALL: [DeclineReason; 4] = [
        DeclineReason::Identifies,
        DeclineReason::NotGratitude,
        DeclineReason::BreaksRules,
        DeclineReason::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::Identifies => "identifies",
            DeclineReason::NotGratitude => "not_gratitude",
            DeclineReason::BreaksRules => "breaks_rules",
            DeclineReason::Duplicate => "duplicate",
        }
    }
}

impl FromStr for DeclineReason {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        DeclineReason::ALL.into_iter().find(|reason| reason.as_str() == s).ok_or(())
    }
}

/// A moderator's decision on a waiting story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve,
    Decline(DeclineReason),
}

impl Decision {
    /// The decision a moderation form posts: `approve`, or `decline` with a reason.
    pub fn from_form(decision: &str, reason: &str) -> Option<Decision> {
        match decision {
            "approve" => Some(Decision::Approve),
            "decline" => reason.parse().ok().map(Decision::Decline),
            _ => None,
        }
    }
}

/// Whether a published story with `reports` distinct reports goes back to moderation.
/// A threshold of 0 is read as 1: a report always counts.
pub fn back_to_moderation(reports: u64, threshold: u32) -> bool {
    reports >= u64::from(threshold.max(1))
}

/// The wall's page `page` (from 1; anything unreadable or out of range is the first) as the
/// number of stories to skip.
pub fn page_offset(page: Option<&str>) -> (u64, u64) {
    let page = page.and_then(|p| p.parse::<u64>().ok()).filter(|p| (1..=MAX_PAGE).contains(p)).unwrap_or(1);
    (page, (page - 1) * WALL_PAGE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> StoryForm {
        StoryForm {
            story: "Thank you to the resident who stayed after her shift to talk with me.".into(),
            language: "en".into(),
            shown_as: "initials".into(),
            name: "marie-ève  Lavoie".into(),
            email: "marie@example.ca".into(),
            eligible: "yes".into(),
            rules: "yes".into(),
        }
    }

    fn problems(form: StoryForm) -> Vec<(Field, Problem)> {
        form.check().unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_story_is_shown_with_the_signature_its_author_chose() {
        assert_eq!(form().check().unwrap().signature.as_deref(), Some("M. L."));
        let first = StoryForm { shown_as: "first_name".into(), ..form() }.check().unwrap();
        assert_eq!(first.signature.as_deref(), Some("marie-ève"));
        let colleague = StoryForm { shown_as: "colleague".into(), name: String::new(), ..form() };
        assert_eq!(colleague.check().unwrap().signature, None, "no name needed");
        assert_eq!(signature(ShownAs::Initials, "  "), None);
        assert_eq!(signature(ShownAs::Initials, "élise d'Amours"), Some("É. D.".into()));
        assert_eq!(signature(ShownAs::Initials, "'' 42"), None, "no letter, no initial");
    }

    #[test]
    fn a_story_needs_its_text_an_address_and_both_agreements() {
        assert_eq!(
            problems(StoryForm { story: "x".repeat(MAX_STORY + 1), ..form() }),
            [(Field::Story, Problem::TooLong)]
        );
        assert_eq!(
            problems(StoryForm { story: "Thanks!".into(), ..form() }),
            [(Field::Story, Problem::TooShort)]
        );
        assert_eq!(problems(StoryForm { story: " ".into(), ..form() }), [(Field::Story, Problem::Required)]);
        assert_eq!(problems(StoryForm { name: String::new(), ..form() }), [(Field::Name, Problem::Required)]);
        assert_eq!(
            problems(StoryForm { email: "marie".into(), ..form() }),
            [(Field::Email, Problem::InvalidEmail)]
        );
        assert_eq!(
            problems(StoryForm { language: "de".into(), ..form() }),
            [(Field::Language, Problem::Invalid)]
        );
        assert_eq!(
            problems(StoryForm { shown_as: "full".into(), ..form() }),
            [(Field::ShownAs, Problem::Invalid)]
        );
        assert_eq!(
            problems(StoryForm { eligible: String::new(), rules: "no".into(), ..form() }),
            [(Field::Colleague, Problem::Required), (Field::Rules, Problem::Required)]
        );
        assert_eq!(
            problems(StoryForm { story: "Merci\u{0}".repeat(5), ..form() }),
            [(Field::Story, Problem::Invalid)]
        );
    }

    #[test]
    fn enough_reports_send_a_story_back_and_pages_are_bounded() {
        assert!(!back_to_moderation(2, 3) && back_to_moderation(3, 3));
        assert!(back_to_moderation(1, 0), "a threshold of 0 is read as 1");
        assert_eq!(page_offset(None), (1, 0));
        assert_eq!(page_offset(Some("3")), (3, 20));
        for wrong in ["0", "-1", "x", "18446744073709551615"] {
            assert_eq!(page_offset(Some(wrong)), (1, 0), "{wrong}");
        }
        assert_eq!(
            Decision::from_form("decline", "duplicate"),
            Some(Decision::Decline(DeclineReason::Duplicate))
        );
        assert_eq!(Decision::from_form("decline", ""), None, "a decline needs its reason");
        assert_eq!(Decision::from_form("approve", ""), Some(Decision::Approve));
        for status in [StoryStatus::Unconfirmed, StoryStatus::Pending, StoryStatus::Approved] {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
    }
}
