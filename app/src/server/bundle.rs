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
const LIGHT: BuildNames = BuildNames { file_suffix: "-light", hash_key_prefix: "light-" };
/// The full build's files carry the output name alone, and so do their keys.
const FULL: BuildNames = BuildNames { file_suffix: "", hash_key_prefix: "" };

/// How one build's files are named after the output name, and their keys in `hash.txt`.
#[derive(Clone, Copy)]
struct BuildNames {
    file_suffix: &'static str,
    hash_key_prefix: &'static str,
}

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
        let file = |build: BuildNames, extension: &str| {
            let BuildNames { file_suffix, hash_key_prefix } = build;
            match hashes.get(&format!("{hash_key_prefix}{extension}")) {
                Some(hash) => format!("/{pkg}/{name}{file_suffix}.{hash}.{extension}"),
                None => format!("/{pkg}/{name}{file_suffix}.{extension}"),
            }
        };
        let scripts = |build| Scripts { js: file(build, "js"), wasm: file(build, "wasm") };
        // The stylesheet is shared, named as the full build's files are.
        Bundle {
            css: file(FULL, "css"),
            full: scripts(FULL),
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
