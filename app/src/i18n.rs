//! The translation layer: the two languages of the product, the typed message catalogue
//! generated from `locales/*.json`, and the rules that pick a language for a request.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the product. The URL's first segment names it (`/en/…`, `/fr/…`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// The language a reader of this page would switch to.
    pub fn other(self) -> Locale {
        match self {
            Locale::En => Locale::Fr,
            Locale::Fr => Locale::En,
        }
    }

    /// The BCP 47 tag used for `Intl` formatting in the browser.
    pub fn bcp47(self) -> &'static str {
        match self {
            Locale::En => "en-CA",
            Locale::Fr => "fr-CA",
        }
    }

    /// Reads the language from the first segment of a path such as `/fr/sessions/3`.
    pub fn from_path(path: &str) -> Option<Locale> {
        path.trim_start_matches('/').split('/').next()?.parse().ok()
    }

    /// Picks the best language from an `Accept-Language` header, honouring q-values;
    /// English when nothing matches.
    pub fn negotiate(accept_language: &str) -> Locale {
        accept_language
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.parse::<f32>().ok())?;
                let primary = tag.split('-').next()?.to_ascii_lowercase();
                let locale = primary.parse::<Locale>().ok()?;
                (quality > 0.0).then_some((locale, quality))
            })
            // Stable: among equal q-values the earlier tag wins, as the header lists them.
            .fold(None::<(Locale, f32)>, |best, (locale, q)| match best {
                Some((_, best_q)) if best_q >= q => best,
                _ => Some((locale, q)),
            })
            .map_or(Locale::En, |(locale, _)| locale)
    }

    /// The same page in this language: swaps the path's language segment, keeps the query.
    pub fn switch_path(self, path_and_query: &str) -> String {
        let trimmed = path_and_query.trim_start_matches('/');
        let rest = match trimmed.split_once(['/', '?']) {
            Some((first, _)) if first.parse::<Locale>().is_ok() => &trimmed[first.len()..],
            None if trimmed.parse::<Locale>().is_ok() => "",
            _ => return format!("/{}/{}", self.as_str(), trimmed),
        };
        // The home page is `/en`, without a trailing slash.
        let rest = rest.strip_prefix('/').filter(|r| r.is_empty() || r.starts_with('?')).unwrap_or(rest);
        format!("/{}{}", self.as_str(), rest)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Locale {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Locale::En),
            "fr" => Ok(Locale::Fr),
            _ => Err(()),
        }
    }
}

/// Which plural form a count takes in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PluralForm {
    One,
    Other,
}

/// English uses the singular for exactly one; French also for zero ("0 place restante").
pub fn plural_form(locale: Locale, count: i64) -> PluralForm {
    match (locale, count) {
        (Locale::En, 1) | (Locale::Fr, 0 | 1) => PluralForm::One,
        _ => PluralForm::Other,
    }
}

/// The messages of one language: `Tr(locale).nav_calendar()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr(pub Locale);

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn catalogue(text: &str) -> BTreeMap<String, String> {
        serde_json::from_str(text).expect("catalogue is a flat JSON object of strings")
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(n, _)| n.into()).collect()
    }

    #[test]
    fn catalogues_have_the_same_keys() {
        let en = catalogue(include_str!("../locales/en.json"));
        let fr = catalogue(include_str!("../locales/fr.json"));
        let only_en: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
        let only_fr: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "keys missing in French: {only_en:?}");
        assert!(only_fr.is_empty(), "keys missing in English: {only_fr:?}");
    }

    #[test]
    fn translations_use_the_same_placeholders_and_are_not_empty() {
        let en = catalogue(include_str!("../locales/en.json"));
        let fr = catalogue(include_str!("../locales/fr.json"));
        for (key, en_text) in &en {
            let Some(fr_text) = fr.get(key) else { continue };
            assert!(!en_text.trim().is_empty() && !fr_text.trim().is_empty(), "{key} is empty");
            // Plural forms may drop `{count}` ("one seat left"), so compare the rest only.
            let strip = |mut set: BTreeSet<String>| {
                if key.ends_with(".one") {
                    set.remove("count");
                }
                set
            };
            assert_eq!(
                strip(placeholders(en_text)),
                strip(placeholders(fr_text)),
                "placeholders differ for {key}"
            );
        }
    }

    #[test]
    fn plural_forms_follow_each_language() {
        assert_eq!(plural_form(Locale::En, 0), PluralForm::Other);
        assert_eq!(plural_form(Locale::En, 1), PluralForm::One);
        assert_eq!(plural_form(Locale::Fr, 0), PluralForm::One);
        assert_eq!(plural_form(Locale::Fr, 1), PluralForm::One);
        assert_eq!(plural_form(Locale::Fr, 2), PluralForm::Other);
    }

    #[test]
    fn accept_language_negotiation() {
        assert_eq!(Locale::negotiate("fr-CA,fr;q=0.9,en;q=0.8"), Locale::Fr);
        assert_eq!(Locale::negotiate("en-US,en;q=0.9,fr;q=0.8"), Locale::En);
        assert_eq!(Locale::negotiate("de-DE,fr;q=0.5,en;q=0.4"), Locale::Fr);
        assert_eq!(Locale::negotiate("en;q=0.2, fr;q=0.7"), Locale::Fr);
        assert_eq!(Locale::negotiate("fr;q=0, en"), Locale::En);
        assert_eq!(Locale::negotiate("de, es"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
    }

    #[test]
    fn switching_language_keeps_the_page_and_its_filters() {
        assert_eq!(
            Locale::Fr.switch_path("/en/week?format=compassion-rounds"),
            "/fr/week?format=compassion-rounds"
        );
        assert_eq!(Locale::En.switch_path("/fr/sessions/12"), "/en/sessions/12");
        assert_eq!(Locale::Fr.switch_path("/en"), "/fr");
        assert_eq!(Locale::Fr.switch_path("/en?language=fr"), "/fr?language=fr");
        assert_eq!(Locale::Fr.switch_path("/en/"), "/fr");
        assert_eq!(Locale::Fr.switch_path("/en/?page=2"), "/fr?page=2");
        assert_eq!(Locale::Fr.switch_path("/about"), "/fr/about");
        assert_eq!(Locale::from_path("/fr/faq"), Some(Locale::Fr));
        assert_eq!(Locale::from_path("/pkg/app.js"), None);
    }

    #[test]
    fn generated_messages_interpolate_and_pluralise() {
        assert_eq!(Tr(Locale::En).seats_left(12), "12 seats left");
        assert_eq!(Tr(Locale::Fr).seats_left(12), "12 places restantes");
        assert_eq!(Tr(Locale::En).seats_left(1), "1 seat left");
        assert_eq!(Tr(Locale::Fr).seats_left(1), "1 place restante");
    }
}
