//! The browser bundle's file names, hashed in release builds: the pages load them, the
//! server caches them for a year and the service worker keeps them for offline use.

use leptos::config::LeptosOptions;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The browser bundle, as absolute paths: one stylesheet and two builds of the islands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub css: String,
    /// Every island, forms included.
    pub full: Scripts,
    /// Only the islands of pages that show times and seat counts
    /// (`components::LIGHT_ISLANDS`): what the calendar loads.
    pub light: Scripts,
    /// Whether the names carry a hash of their content, which makes them safe to keep forever.
    pub hashed: bool,
}

/// One build of the islands: its wasm-bindgen script and its wasm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scripts {
    pub js: String,
    pub wasm: String,
}

/// The light build's files are `rounds-light.<hash>.js` and `.wasm`; their hashes are the lines
/// `light-js:` and `light-wasm:` of `hash.txt`, beside the `css:`, `js:` and `wasm:` that
/// Leptos reads too (`HashedStylesheet`).
const LIGHT: (&str, &str) = ("-light", "light-");

impl Bundle {
    /// This build's bundle, read once per process.
    pub fn current(options: &LeptosOptions) -> &'static Bundle {
        static CURRENT: OnceLock<Bundle> = OnceLock::new();
        CURRENT.get_or_init(|| Bundle::resolve(options))
    }

    /// Reads the hashes the site build wrote beside the server binary (`hash.txt`).
    pub fn resolve(options: &LeptosOptions) -> Bundle {
        let hashes = options
            .hash_files
            .then(|| {
                let beside_binary = std::env::current_exe().ok()?.parent()?.join(options.hash_file.as_ref());
                std::fs::read_to_string(beside_binary).ok()
            })
            .flatten()
            .map(|text| parse_hashes(&text))
            .unwrap_or_default();
        Bundle::named(options, &hashes)
    }

    /// The bundle's paths, from the hashes of its files (none: the unhashed names).
    fn named(options: &LeptosOptions, hashes: &HashMap<String, String>) -> Bundle {
        let (name, pkg) = (&options.output_name, &options.site_pkg_dir);
        // A file by the part of its name after the output name, and its key in `hash.txt`.
        let file =
            |(suffix, key): (&str, &str), extension: &str| match hashes.get(&format!("{key}{extension}")) {
                Some(hash) => format!("/{pkg}/{name}{suffix}.{hash}.{extension}"),
                None => format!("/{pkg}/{name}{suffix}.{extension}"),
            };
        let scripts = |build| Scripts { js: file(build, "js"), wasm: file(build, "wasm") };
        Bundle {
            css: file(("", ""), "css"),
            full: scripts(("", "")),
            light: scripts(LIGHT),
            hashed: hashes.len() >= 5,
        }
    }

    /// Every file of the bundle, for the service worker to keep.
    pub fn files(&self) -> [&str; 5] {
        [&self.css, &self.full.js, &self.full.wasm, &self.light.js, &self.light.wasm]
    }
}

/// `js: …`, `wasm: …`, `css: …`, `light-js: …` and `light-wasm: …` lines, keyed by what
/// precedes the colon.
fn parse_hashes(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
        .filter(|(kind, hash)| !kind.is_empty() && !hash.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_builds_listing_names_both_builds() {
        let options = LeptosOptions::builder().output_name("rounds").site_pkg_dir("pkg").build();
        let listing = "css: c1\njs: j1\nwasm: w1\nlight-js: j2\nlight-wasm: w2\n";
        let bundle = Bundle::named(&options, &parse_hashes(listing));
        assert_eq!(bundle.css, "/pkg/rounds.c1.css");
        assert_eq!(
            bundle.full,
            Scripts { js: "/pkg/rounds.j1.js".into(), wasm: "/pkg/rounds.w1.wasm".into() }
        );
        assert_eq!(
            bundle.light,
            Scripts { js: "/pkg/rounds-light.j2.js".into(), wasm: "/pkg/rounds-light.w2.wasm".into() }
        );
        assert!(bundle.hashed);
        let unbuilt = Bundle::named(&options, &HashMap::new());
        assert_eq!((unbuilt.light.wasm.as_str(), unbuilt.hashed), ("/pkg/rounds-light.wasm", false));
    }

    #[test]
    fn hashes_are_read_by_extension() {
        let hashes = parse_hashes("js: abc\nwasm: def\ncss: ghi\nlight-wasm: jkl\n\n");
        assert_eq!(hashes.get("wasm").map(String::as_str), Some("def"));
        assert_eq!(hashes.get("light-wasm").map(String::as_str), Some("jkl"));
        assert_eq!(hashes.len(), 4);
    }
}
