//! The "Get support now" directory: the lines a coordinator lists (national ones, and each
//! province's or territory's), checked here, and the order a viewer sees them in.

use super::application_round::looks_like_phone;
use super::forms::{Field, FieldError, Problem, Problems};
use super::registration::Province;
use super::session::SessionLanguage;
use serde::{Deserialize, Serialize};

const MAX_NAME: usize = 120;
const MAX_HOURS: usize = 120;
const MAX_WEBSITE: usize = 300;

/// A line of the directory as stored and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportLine {
    pub id: i32,
    pub name: (String, String),
    pub phone: String,
    pub website: Option<String>,
    pub hours: (String, String),
    /// `None`: a national line.
    pub province: Option<Province>,
    pub languages: SessionLanguage,
    /// Demo data, to be replaced with the real program's details.
    pub example: bool,
}

/// The coordinator's form for a new line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportLineForm {
    pub name_en: String,
    pub name_fr: String,
    pub phone: String,
    pub website: String,
    pub hours_en: String,
    pub hours_fr: String,
    /// A province's abbreviation, or empty for a national line.
    pub province: String,
    pub language: String,
}

/// A line that passed [`SupportLineForm::check`] (its id is the database's to give).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSupportLine {
    pub name: (String, String),
    pub phone: String,
    pub website: Option<String>,
    pub hours: (String, String),
    pub province: Option<Province>,
    pub languages: SessionLanguage,
}

impl SupportLineForm {
    pub fn check(&self) -> Result<ValidSupportLine, Vec<FieldError>> {
        let mut problems = Problems::default();
        let name_en = problems.required_text(Field::LineName, &self.name_en, MAX_NAME).to_string();
        let name_fr = problems.required_text(Field::LineName, &self.name_fr, MAX_NAME).to_string();
        let phone = problems.required_text(Field::Phone, &self.phone, 30).to_string();
        if !phone.is_empty() && !looks_like_phone(&phone) {
            problems.add(Field::Phone, Problem::Invalid);
        }
        let website = problems.optional_text(Field::Website, &self.website, MAX_WEBSITE);
        let web_address = |site: &String| {
            (site.starts_with("https://") || site.starts_with("http://"))
                && !site.contains(char::is_whitespace)
        };
        if website.as_ref().is_some_and(|site| !web_address(site)) {
            problems.add(Field::Website, Problem::Invalid);
        }
        let hours_en = problems.required_text(Field::Hours, &self.hours_en, MAX_HOURS).to_string();
        let hours_fr = problems.required_text(Field::Hours, &self.hours_fr, MAX_HOURS).to_string();
        let province = match self.province.trim() {
            "" => None,
            code => match code.parse::<Province>() {
                Ok(province) => Some(province),
                Err(_) => {
                    problems.add(Field::Province, Problem::Invalid);
                    None
                }
            },
        };
        let languages = self.language.parse::<SessionLanguage>().unwrap_or_else(|_| {
            problems.add(Field::SpokenLanguage, Problem::Required);
            SessionLanguage::Bilingual
        });
        problems.finish(|| ValidSupportLine {
            name: (name_en, name_fr),
            phone,
            website,
            hours: (hours_en, hours_fr),
            province,
            languages,
        })
    }
}

/// The `tel:` address of a phone number as people write it ("1-888-555-0100", "+1 (613)…").
pub fn tel_href(phone: &str) -> String {
    let dialled: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{dialled}")
}

/// The directory in the order a viewer in `province` reads it: their province's or
/// territory's lines first, then the national ones, then the others by province.
pub fn for_viewer(
    lines: &[SupportLine],
    province: Option<Province>,
) -> Vec<(Option<Province>, Vec<SupportLine>)> {
    let of = |wanted: Option<Province>| -> Vec<SupportLine> {
        lines.iter().filter(|line| line.province == wanted).cloned().collect()
    };
    let mut sections = Vec::new();
    if let Some(own) = province {
        sections.push((Some(own), of(Some(own))));
    }
    sections.push((None, of(None)));
    for other in Province::ALL.into_iter().filter(|other| Some(*other) != province) {
        sections.push((Some(other), of(Some(other))));
    }
    sections.retain(|(_, lines)| !lines.is_empty());
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i32, province: Option<Province>) -> SupportLine {
        SupportLine {
            id,
            name: ("Line".into(), "Ligne".into()),
            phone: "1-888-555-0100".into(),
            website: None,
            hours: ("24/7".into(), "24 h sur 24".into()),
            province,
            languages: SessionLanguage::Bilingual,
            example: false,
        }
    }

    fn form() -> SupportLineForm {
        SupportLineForm {
            name_en: "Physician Health Program".into(),
            name_fr: "Programme de santé des médecins".into(),
            phone: "+1 (888) 555-0100".into(),
            website: "https://example.ca/help".into(),
            hours_en: "24/7".into(),
            hours_fr: "24 h sur 24, 7 jours sur 7".into(),
            province: "ON".into(),
            language: "bilingual".into(),
        }
    }

    #[test]
    fn the_viewers_province_comes_first_then_national_lines() {
        let lines = [line(1, None), line(2, Some(Province::QC)), line(3, Some(Province::ON)), line(4, None)];
        let order = |province| -> Vec<i32> {
            for_viewer(&lines, province)
                .iter()
                .flat_map(|(_, lines)| lines.iter().map(|line| line.id))
                .collect()
        };
        assert_eq!(order(Some(Province::QC)), [2, 1, 4, 3]);
        assert_eq!(order(None), [1, 4, 3, 2], "national, then by province (ON before QC)");
        assert_eq!(
            for_viewer(&lines, Some(Province::YT))[0].0,
            None,
            "a province without lines shows no section"
        );
    }

    #[test]
    fn a_line_needs_names_a_phone_and_hours_and_a_web_address_if_any() {
        let valid = form().check().unwrap();
        assert_eq!(valid.province, Some(Province::ON));
        assert_eq!(SupportLineForm { province: String::new(), ..form() }.check().unwrap().province, None);
        let problems = |form: SupportLineForm| -> Vec<Field> {
            form.check().unwrap_err().iter().map(|error| error.field).collect()
        };
        assert_eq!(problems(SupportLineForm { phone: "call us".into(), ..form() }), [Field::Phone]);
        assert_eq!(
            problems(SupportLineForm { website: "javascript:alert(1)".into(), ..form() }),
            [Field::Website]
        );
        assert_eq!(problems(SupportLineForm { province: "XX".into(), ..form() }), [Field::Province]);
        assert_eq!(problems(SupportLineForm { name_fr: String::new(), ..form() }), [Field::LineName]);
        assert_eq!(problems(SupportLineForm { hours_en: "x".repeat(121), ..form() }), [Field::Hours]);
    }

    #[test]
    fn phone_numbers_become_dialable_addresses() {
        assert_eq!(tel_href("1-888-555-0100"), "tel:18885550100");
        assert_eq!(tel_href("+1 (613) 555-0100"), "tel:+16135550100");
        assert_eq!(tel_href("9-8-8"), "tel:988");
    }
}
