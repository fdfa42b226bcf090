//! The browser bundle's file names, hashed in release builds: the pages load them, the
//! server caches them for a year and the service worker keeps them for offline use.

use leptos::config::LeptosOptions;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The three files of the browser bundle, as absolute paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// Whether the names carry a hash of their content, which makes them safe to keep forever.
    pub hashed: bool,
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
        let (name, pkg) = (&options.output_name, &options.site_pkg_dir);
        let file = |extension: &str| match hashes.get(extension) {
            Some(hash) => format!("/{pkg}/{name}.{hash}.{extension}"),
            None => format!("/{pkg}/{name}.{extension}"),
        };
        Bundle { css: file("css"), js: file("js"), wasm: file("wasm"), hashed: hashes.len() >= 3 }
    }
}

/// `js: …`, `wasm: …` and `css: …` lines, keyed by extension.
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
    fn hashes_are_read_by_extension() {
        let hashes = parse_hashes("js: abc\nwasm: def\ncss: ghi\n\n");
        assert_eq!(hashes.get("wasm").map(String::as_str), Some("def"));
        assert_eq!(hashes.len(), 3);
    }
}
