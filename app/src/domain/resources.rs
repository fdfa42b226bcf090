//! The resources library: what a coordinator's form must hold (a title and a summary in one
//! language or both, a link or a PDF, topics from the managed list, who it is for), the checks
//! an uploaded PDF passes, the public page's filter, and the folding that makes search ignore
//! case and accents ("epuisement" finds "Épuisement"). Nothing here panics, whatever the input.

use super::forms::{Field, FieldError, Problem, Problems, stray_control};
use crate::i18n::Locale;
use crate::model::Bilingual;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The largest PDF a coordinator may upload: 5 MiB. Stored in the database, so every
/// instance serves it, and small enough to read on a phone.
pub const MAX_PDF_BYTES: usize = 5 * 1024 * 1024;
/// How every PDF file begins.
const PDF_MAGIC: &[u8] = b"%PDF-";
const MAX_TITLE: usize = 200;
const MAX_SUMMARY: usize = 2_000;
const MAX_LINK: usize = 500;
const MAX_TOPIC: usize = 80;
/// What of a search is kept: enough for a phrase, bounded so a query stays cheap.
const MAX_QUERY_CHARS: usize = 100;
const MAX_QUERY_WORDS: usize = 8;
/// The escape character of the `LIKE` patterns built by [`like_pattern`].
pub const LIKE_ESCAPE: char = '!';

/// Who a resource is written for. The sessions' [`super::session::Audience`] (everyone,
/// learners, residents on leave) and the registration's career stages do not split readers
/// the way a library does, so resources have their own four.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceAudience {
    #[default]
    Everyone,
    Physicians,
    Residents,
    MedicalStudents,
}

impl ResourceAudience {
    pub const ALL: [ResourceAudience; 4] = [
        ResourceAudience::Everyone,
        ResourceAudience::Physicians,
        ResourceAudience::Residents,
        ResourceAudience::MedicalStudents,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceAudience::Everyone => "everyone",
            ResourceAudience::Physicians => "physicians",
            ResourceAudience::Residents => "residents",
            ResourceAudience::MedicalStudents => "medical_students",
        }
    }

    /// Whether a reader looking for `wanted` finds a resource written for `self`: one for
    /// everyone is for them too.
    pub fn reaches(self, wanted: ResourceAudience) -> bool {
        self == wanted || self == ResourceAudience::Everyone
    }
}

impl FromStr for ResourceAudience {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        ResourceAudience::ALL.into_iter().find(|a| a.as_str() == s).ok_or(())
    }
}

/// A topic of the managed list (peer support, burnout, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: i32,
    pub name: (String, String),
}

impl Topic {
    pub fn name_in(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.name.0,
            Locale::Fr => &self.name.1,
        }
    }
}

/// A resource as the library shows it. The PDF's bytes are served by their own route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryResource {
    pub id: i32,
    pub title: Bilingual,
    pub summary: Bilingual,
    /// Where the resource lives, when it is not an uploaded PDF.
    pub link: Option<String>,
    /// The uploaded PDF's (safe) file name, when there is one.
    pub file_name: Option<String>,
    pub topics: Vec<i32>,
    pub audience: ResourceAudience,
}

/// The coordinator's form for a new resource, as typed (the PDF travels apart, see [`Upload`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceForm {
    pub title_en: String,
    pub title_fr: String,
    pub summary_en: String,
    pub summary_fr: String,
    pub link: String,
    pub audience: String,
    /// The ids of the topics ticked, as sent.
    pub topics: Vec<String>,
}

/// A file sent with the form: its name as the browser gave it, and its first bytes (at most
/// one more than [`MAX_PDF_BYTES`], which is enough to know it is too large).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Where a valid resource's reader goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Link(String),
    Pdf { file_name: String, bytes: Vec<u8> },
}

/// A resource that passed [`ResourceForm::check`] (its id is the database's to give).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidResource {
    pub title: Bilingual,
    pub summary: Bilingual,
    pub source: Source,
    pub topics: Vec<i32>,
    pub audience: ResourceAudience,
}

impl ValidResource {
    /// The folded text a search on the `locale` page looks in: the title and summary that page
    /// shows (in its language, or in the only one the resource has).
    pub fn search_text(&self, locale: Locale) -> String {
        fold(&format!("{} {}", self.title.pick(locale).0, self.summary.pick(locale).0))
    }
}

/// A web address a reader may follow: `http(s)://` and something after it, no spaces (control
/// characters are refused with every text, by [`Problems::optional_text`]).
fn web_address(link: &str) -> bool {
    let rest = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty()) && !link.contains(char::is_whitespace)
}

/// What is wrong with an uploaded file as a library PDF, if anything: larger than
/// [`MAX_PDF_BYTES`] (`TooLong`), or not starting as every PDF does (`Invalid`). The type the
/// browser announced is not trusted; the bytes are.
pub fn pdf_problem(bytes: &[u8]) -> Option<Problem> {
    if bytes.len() > MAX_PDF_BYTES {
        Some(Problem::TooLong)
    } else if !bytes.starts_with(PDF_MAGIC) {
        Some(Problem::Invalid)
    } else {
        None
    }
}

/// A file name safe in a `Content-Disposition` header and on any disk: the last part of what
/// the browser sent, folded to lowercase ASCII letters, digits, `-` and `_`, at most 60 of
/// them, ending in `.pdf`.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.len().checked_sub(4).and_then(|at| base.get(at..).map(|ext| (at, ext))) {
        Some((at, ext)) if ext.eq_ignore_ascii_case(".pdf") => base.get(..at).unwrap_or_default(),
        _ => base,
    };
    let mut safe = String::new();
    for c in fold(stem).chars() {
        let kept = if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' };
        if !(kept == '-' && (safe.is_empty() || safe.ends_with('-'))) {
            safe.push(kept);
        }
        if safe.len() >= 60 {
            break;
        }
    }
    let safe = safe.trim_end_matches('-');
    format!("{}.pdf", if safe.is_empty() { "resource" } else { safe })
}

impl ResourceForm {
    /// Checks the form and its file against the topics that exist. A language has a title and
    /// a summary or neither, and at least one language has them; a resource is a link or a
    /// PDF, not both.
    pub fn check(&self, upload: Option<&Upload>, topics: &[i32]) -> Result<ValidResource, Vec<FieldError>> {
        let mut problems = Problems::default();
        let mut text = |field: Field, value: &str, max: usize| problems.optional_text(field, value, max);
        let title = Bilingual {
            en: text(Field::ResourceTitle, &self.title_en, MAX_TITLE),
            fr: text(Field::ResourceTitle, &self.title_fr, MAX_TITLE),
        };
        let summary = Bilingual {
            en: text(Field::Summary, &self.summary_en, MAX_SUMMARY),
            fr: text(Field::Summary, &self.summary_fr, MAX_SUMMARY),
        };
        let languages = [(&title.en, &summary.en), (&title.fr, &summary.fr)];
        if languages.iter().all(|(title, summary)| title.is_none() && summary.is_none()) {
            problems.add(Field::ResourceTitle, Problem::Required);
            problems.add(Field::Summary, Problem::Required);
        }
        for (title, summary) in languages {
            match (title, summary) {
                (Some(_), None) => problems.add(Field::Summary, Problem::Required),
                (None, Some(_)) => problems.add(Field::ResourceTitle, Problem::Required),
                _ => {}
            }
        }
        let link = problems.optional_text(Field::ResourceLink, &self.link, MAX_LINK);
        // One problem a link: a text too long or unreadable is not checked as an address too.
        if link.as_deref().is_some_and(|link| {
            link.chars().count() <= MAX_LINK && !stray_control(link) && !web_address(link)
        }) {
            problems.add(Field::ResourceLink, Problem::Invalid);
        }
        let source = match (link, upload) {
            (Some(_), Some(_)) => {
                // Two places to read the same resource: which one would the reader get?
                problems.add(Field::ResourceLink, Problem::Mismatch);
                None
            }
            (Some(link), None) => Some(Source::Link(link)),
            (None, Some(upload)) => match pdf_problem(&upload.bytes) {
                Some(problem) => {
                    problems.add(Field::Pdf, problem);
                    None
                }
                None => {
                    Some(Source::Pdf { file_name: safe_file_name(&upload.name), bytes: upload.bytes.clone() })
                }
            },
            (None, None) => {
                problems.add(Field::ResourceLink, Problem::Required);
                None
            }
        };
        let mut chosen: Vec<i32> = Vec::new();
        for topic in &self.topics {
            match topic.trim().parse::<i32>() {
                Ok(id) if topics.contains(&id) => {
                    if !chosen.contains(&id) {
                        chosen.push(id);
                    }
                }
                _ => problems.add(Field::Topics, Problem::Invalid),
            }
        }
        if self.topics.is_empty() {
            problems.add(Field::Topics, Problem::Required);
        }
        let audience = problems.parsed(Field::Readers, &self.audience, |a| a.parse().ok());
        problems.finish(|| ValidResource {
            title,
            summary,
            // Both are set whenever no problem was found.
            source: source.unwrap_or(Source::Link(String::new())),
            topics: chosen,
            audience: audience.unwrap_or_default(),
        })
    }
}

/// A coordinator's new topic: its name in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TopicForm {
    pub topic_en: String,
    pub topic_fr: String,
}

impl TopicForm {
    pub fn check(&self) -> Result<(String, String), Vec<FieldError>> {
        let mut problems = Problems::default();
        let en = problems.required_text(Field::TopicName, &self.topic_en, MAX_TOPIC).to_string();
        let fr = problems.required_text(Field::TopicName, &self.topic_fr, MAX_TOPIC).to_string();
        problems.finish(|| (en, fr))
    }
}

/// What the public library is asked for: a topic, an audience and words to search, each
/// optional. A value that does not parse is ignored, as if not given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryFilter {
    pub topic: Option<i32>,
    pub audience: Option<ResourceAudience>,
    /// The search as typed (trimmed, bounded), for the search box.
    pub query: String,
}

impl LibraryFilter {
    pub fn from_query(topic: Option<&str>, audience: Option<&str>, query: Option<&str>) -> LibraryFilter {
        LibraryFilter {
            topic: topic.and_then(|t| t.trim().parse().ok()),
            audience: audience.and_then(|a| a.trim().parse().ok()),
            query: query.unwrap_or_default().trim().chars().take(MAX_QUERY_CHARS).collect(),
        }
    }

    /// The folded words of the search, each of which a result must contain; none when the
    /// search is empty. Repeated words count once, and at most eight are kept.
    pub fn words(&self) -> Vec<String> {
        let folded = fold(&self.query);
        let mut words: Vec<String> = Vec::new();
        for word in folded.split(|c: char| c.is_whitespace() || c.is_control()) {
            if !word.is_empty() && !words.iter().any(|w| w == word) && words.len() < MAX_QUERY_WORDS {
                words.push(word.to_string());
            }
        }
        words
    }

    pub fn is_empty(&self) -> bool {
        self.topic.is_none() && self.audience.is_none() && self.query.is_empty()
    }
}

/// `%word%` for a `LIKE … ESCAPE '!'`, with the pattern characters of `word` (`%`, `_` and
/// the escape itself) taken literally.
pub fn like_pattern(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            pattern.push(LIKE_ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Text as search compares it: lowercase, without accents (é → e, œ → oe, ß → ss), with
/// typographic apostrophes made straight. Combining accents (text typed decomposed) are
/// dropped too, so both spellings of "é" fold alike. Computed in Rust and stored, so SQLite
/// and PostgreSQL compare the same folded text.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        match base_letters(c) {
            Some(base) => folded.push_str(base),
            None => folded.push(c),
        }
    }
    folded
}

/// The unaccented letters of a lowercase Latin letter with a diacritic, or a ligature.
fn base_letters(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        '\u{2018}' | '\u{2019}' | '\u{2bc}' => "'",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(size: usize) -> Vec<u8> {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(size.max(bytes.len()), b' ');
        bytes
    }

    fn form() -> ResourceForm {
        ResourceForm {
            title_en: "Burnout: noticing the signs".into(),
            title_fr: "L’épuisement : en reconnaître les signes".into(),
            summary_en: "A short guide.".into(),
            summary_fr: "Un court guide.".into(),
            link: "https://example.ca/burnout".into(),
            audience: "residents".into(),
            topics: vec!["2".into(), "5".into(), "2".into()],
        }
    }

    fn problems(result: Result<ValidResource, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn folding_ignores_case_accents_ligatures_and_decomposed_accents() {
        assert_eq!(fold("Épuisement PROFESSIONNEL"), "epuisement professionnel");
        assert_eq!(fold("Cœur, Ça, naïve, Straße"), "coeur, ca, naive, strasse");
        assert_eq!(fold("E\u{301}puisement"), "epuisement", "an accent typed as a combining mark");
        assert_eq!(fold("l’épuisement"), "l'epuisement");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("épuisement"), fold("EPUISEMENT"));
        // Other scripts pass through, lowercased.
        assert_eq!(fold("ΣΤΡΕΣ"), "στρεσ");
    }

    #[test]
    fn a_valid_form_keeps_both_languages_and_distinct_known_topics() {
        let valid = form().check(None, &[1, 2, 5]).unwrap();
        assert_eq!(valid.topics, [2, 5]);
        assert_eq!(valid.audience, ResourceAudience::Residents);
        assert_eq!(valid.source, Source::Link("https://example.ca/burnout".into()));
        assert_eq!(valid.search_text(Locale::Fr), "l'epuisement : en reconnaitre les signes un court guide.");
        assert_eq!(valid.search_text(Locale::En), "burnout: noticing the signs a short guide.");
    }

    #[test]
    fn one_language_is_enough_and_searched_from_either_page() {
        let french_only = ResourceForm { title_en: String::new(), summary_en: String::new(), ..form() };
        let valid = french_only.check(None, &[2, 5]).unwrap();
        assert_eq!(valid.title.en, None);
        assert!(
            valid.search_text(Locale::En).contains("epuisement"),
            "the English page searches the French text"
        );
    }

    #[test]
    fn a_language_needs_its_title_and_its_summary() {
        let half = ResourceForm { summary_fr: String::new(), ..form() };
        assert_eq!(problems(half.check(None, &[2, 5])), [(Field::Summary, Problem::Required)]);
        let other_half = ResourceForm { title_en: " ".into(), ..form() };
        assert_eq!(problems(other_half.check(None, &[2, 5])), [(Field::ResourceTitle, Problem::Required)]);
        let empty = ResourceForm {
            title_en: "".into(),
            title_fr: "".into(),
            summary_en: "".into(),
            summary_fr: "".into(),
            ..form()
        };
        assert_eq!(
            problems(empty.check(None, &[2, 5])),
            [(Field::ResourceTitle, Problem::Required), (Field::Summary, Problem::Required)]
        );
        let long = ResourceForm { title_en: "x".repeat(201), ..form() };
        assert_eq!(problems(long.check(None, &[2, 5])), [(Field::ResourceTitle, Problem::TooLong)]);
    }

    #[test]
    fn a_resource_is_a_web_link_or_a_pdf_never_both_nor_neither() {
        let upload = Upload { name: "Guide.pdf".into(), bytes: pdf(100) };
        assert_eq!(
            problems(form().check(Some(&upload), &[2, 5])),
            [(Field::ResourceLink, Problem::Mismatch)]
        );
        let no_link = ResourceForm { link: String::new(), ..form() };
        assert_eq!(problems(no_link.check(None, &[2, 5])), [(Field::ResourceLink, Problem::Required)]);
        let valid = no_link.check(Some(&upload), &[2, 5]).unwrap();
        assert_eq!(valid.source, Source::Pdf { file_name: "guide.pdf".into(), bytes: pdf(100) });
        for bad in [
            "javascript:alert(1)",
            "https://",
            "http://",
            "https://a b",
            "ftp://example.ca",
            "https://a\u{7}",
        ] {
            let form = ResourceForm { link: bad.into(), ..form() };
            assert_eq!(
                problems(form.check(None, &[2, 5])),
                [(Field::ResourceLink, Problem::Invalid)],
                "{bad}"
            );
        }
        let long = ResourceForm { link: format!("https://example.ca/{}", "a".repeat(500)), ..form() };
        assert_eq!(problems(long.check(None, &[2, 5])), [(Field::ResourceLink, Problem::TooLong)]);
    }

    #[test]
    fn a_pdf_is_at_most_five_megabytes_and_starts_as_a_pdf() {
        assert_eq!(pdf_problem(&pdf(MAX_PDF_BYTES)), None);
        assert_eq!(pdf_problem(&pdf(MAX_PDF_BYTES + 1)), Some(Problem::TooLong));
        assert_eq!(pdf_problem(b"<html><script>alert(1)</script>"), Some(Problem::Invalid));
        assert_eq!(pdf_problem(b"%PDF"), Some(Problem::Invalid));
        assert_eq!(pdf_problem(b""), Some(Problem::Invalid));
        let no_link = ResourceForm { link: String::new(), ..form() };
        let html = Upload { name: "guide.pdf".into(), bytes: b"<html>".to_vec() };
        assert_eq!(problems(no_link.check(Some(&html), &[2, 5])), [(Field::Pdf, Problem::Invalid)]);
        let big = Upload { name: "guide.pdf".into(), bytes: pdf(MAX_PDF_BYTES + 1) };
        assert_eq!(problems(no_link.check(Some(&big), &[2, 5])), [(Field::Pdf, Problem::TooLong)]);
    }

    #[test]
    fn topics_must_be_chosen_from_the_list_and_an_audience_given() {
        assert_eq!(problems(form().check(None, &[2])), [(Field::Topics, Problem::Invalid)]);
        let none = ResourceForm { topics: Vec::new(), ..form() };
        assert_eq!(problems(none.check(None, &[2, 5])), [(Field::Topics, Problem::Required)]);
        let junk = ResourceForm { topics: vec!["x".into()], audience: "aliens".into(), ..form() };
        assert_eq!(
            problems(junk.check(None, &[2, 5])),
            [(Field::Topics, Problem::Invalid), (Field::Readers, Problem::Invalid)]
        );
        let missing = ResourceForm { audience: String::new(), ..form() };
        assert_eq!(problems(missing.check(None, &[2, 5])), [(Field::Readers, Problem::Required)]);
    }

    #[test]
    fn file_names_are_safe_ascii_ending_in_pdf() {
        assert_eq!(safe_file_name("Guide d’épuisement (2026).PDF"), "guide-d-epuisement-2026.pdf");
        assert_eq!(safe_file_name("C:\\Users\\me\\report.pdf"), "report.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd.pdf");
        assert_eq!(safe_file_name("a\"; filename=evil.html\r\n"), "a-filename-evil-html.pdf");
        assert_eq!(safe_file_name(""), "resource.pdf");
        assert_eq!(safe_file_name("ééé.pdf"), "eee.pdf");
        assert_eq!(safe_file_name("日本.pdf"), "resource.pdf");
        assert_eq!(safe_file_name(&"a".repeat(500)).len(), 64);
        // Multi-byte characters near the end never split.
        assert_eq!(safe_file_name("xé"), "xe.pdf");
        assert_eq!(safe_file_name("é"), "e.pdf");
    }

    #[test]
    fn the_filter_reads_what_it_understands_and_searches_folded_words() {
        let filter = LibraryFilter::from_query(
            Some("3"),
            Some("residents"),
            Some("  Épuisement  épuisement médecins "),
        );
        assert_eq!(filter.topic, Some(3));
        assert_eq!(filter.audience, Some(ResourceAudience::Residents));
        assert_eq!(filter.words(), ["epuisement", "medecins"]);
        let junk = LibraryFilter::from_query(Some("x"), Some("aliens"), None);
        assert!(junk.is_empty());
        let long = LibraryFilter::from_query(None, None, Some(&"mot ".repeat(100)));
        assert_eq!(long.query.chars().count(), 100);
        assert_eq!(LibraryFilter::from_query(None, None, Some("a b c d e f g h i j")).words().len(), 8);
    }

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_pattern("epuisement"), "%epuisement%");
        assert_eq!(like_pattern("100%_!"), "%100!%!_!!%");
    }

    #[test]
    fn an_audience_reaches_its_own_readers_and_everyone_reaches_all() {
        assert!(ResourceAudience::Everyone.reaches(ResourceAudience::Residents));
        assert!(ResourceAudience::Residents.reaches(ResourceAudience::Residents));
        assert!(!ResourceAudience::Physicians.reaches(ResourceAudience::Residents));
        for audience in ResourceAudience::ALL {
            assert_eq!(audience.as_str().parse(), Ok(audience));
        }
    }

    #[test]
    fn no_input_makes_the_checks_panic() {
        let odd = ["", "\0", "é", "\u{301}", "%PDF-", "\u{10ffff}", "a\\b/c", ".pdf", "é.pdf", "x.pdfé"];
        for a in odd {
            let _ = fold(a);
            let _ = safe_file_name(a);
            let _ = like_pattern(a);
            let _ = pdf_problem(a.as_bytes());
            let _ = LibraryFilter::from_query(Some(a), Some(a), Some(a)).words();
            for b in odd {
                let form = ResourceForm {
                    title_en: a.into(),
                    title_fr: b.into(),
                    summary_en: b.into(),
                    summary_fr: a.into(),
                    link: a.into(),
                    audience: b.into(),
                    topics: vec![a.into(), b.into()],
                };
                let _ = form.check(Some(&Upload { name: a.into(), bytes: b.as_bytes().to_vec() }), &[1]);
                let _ = TopicForm { topic_en: a.into(), topic_fr: b.into() }.check();
            }
        }
    }
}
