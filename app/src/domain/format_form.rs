//! A session format as a coordinator types it, bilingual throughout.

use super::calendar::is_slug;
use super::forms::{Field, FieldError, Problem, Problems};
use serde::{Deserialize, Serialize};

/// A format as typed by a coordinator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormatForm {
    /// Only for a new format: its address in links (`compassion-rounds`).
    pub slug: String,
    pub name_en: String,
    pub name_fr: String,
    pub description_en: String,
    pub description_fr: String,
    pub led_by_en: String,
    pub led_by_fr: String,
    pub position: String,
}

/// A checked format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidFormat {
    pub slug: String,
    pub name: (String, String),
    pub description: (String, String),
    pub led_by: (String, String),
    pub position: i32,
}

impl FormatForm {
    /// `new`: a format being created, whose slug must be given.
    pub fn check(&self, new: bool) -> Result<ValidFormat, Vec<FieldError>> {
        let mut problems = Problems::default();
        let slug = self.slug.trim().to_string();
        if new && !is_slug(&slug) {
            problems.add(Field::Format, Problem::Invalid);
        }
        let name = (
            problems.required_text(Field::Name, &self.name_en, 120).to_string(),
            problems.required_text(Field::Name, &self.name_fr, 120).to_string(),
        );
        let description = (
            problems.required_text(Field::Description, &self.description_en, 2_000).to_string(),
            problems.required_text(Field::Description, &self.description_fr, 2_000).to_string(),
        );
        let led_by = (
            problems.required_text(Field::Credentials, &self.led_by_en, 200).to_string(),
            problems.required_text(Field::Credentials, &self.led_by_fr, 200).to_string(),
        );
        let position = self.position.trim().parse::<i32>().unwrap_or(0);
        problems.finish(|| ValidFormat { slug, name, description, led_by, position })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> FormatForm {
        FormatForm {
            slug: "gratitude-circle".into(),
            name_en: "Gratitude circle".into(),
            name_fr: "Cercle de gratitude".into(),
            description_en: "Sharing what went well.".into(),
            description_fr: "Partager ce qui a bien été.".into(),
            led_by_en: "a peer facilitator".into(),
            led_by_fr: "un pair animateur".into(),
            position: "3".into(),
        }
    }

    #[test]
    fn a_new_format_needs_a_slug_and_both_languages() {
        assert_eq!(form().check(true).unwrap().position, 3);
        let mut no_slug = form();
        no_slug.slug = "Gratitude Circle!".into();
        assert_eq!(
            no_slug.check(true).unwrap_err()[0],
            FieldError { field: Field::Format, problem: Problem::Invalid }
        );
        assert!(no_slug.check(false).is_ok(), "an existing format keeps its slug");
        let mut english_only = form();
        english_only.name_fr.clear();
        assert_eq!(
            english_only.check(false).unwrap_err()[0],
            FieldError { field: Field::Name, problem: Problem::Required }
        );
    }
}
