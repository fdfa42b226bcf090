//! Configuration from environment variables, with defaults for a local run. The names are a
//! contract with the README, the test scripts and deployment tools.

use leptos::config::LeptosOptions;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct Config {
    /// Site address, site root and bundle name (`LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, …).
    pub leptos: LeptosOptions,
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/rounds.db`) or `postgres://…`.
    pub database_url: String,
    /// `ROUNDS_DEMO=1`: load the demo data set into an empty database.
    pub demo: bool,
    /// `ROUNDS_PUBLIC_URL`: the absolute address for links in emails and calendar files.
    pub public_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid Leptos settings: {0}")]
    Leptos(String),
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/rounds.db";

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, so tests can pass their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let leptos = leptos::config::get_configuration(None)
            .map_err(|e| ConfigError::Leptos(e.to_string()))?
            .leptos_options;
        let database_url = lookup("DATABASE_URL")
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                reason: "expected a sqlite:// or postgres:// URL".into(),
            });
        }
        let demo = match lookup("ROUNDS_DEMO").as_deref() {
            None | Some("" | "0" | "false") => false,
            Some("1" | "true") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "ROUNDS_DEMO",
                    reason: format!("{other:?} is not 0 or 1"),
                });
            }
        };
        let public_url = lookup("ROUNDS_PUBLIC_URL")
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| format!("http://{}", leptos.site_addr))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "ROUNDS_PUBLIC_URL",
                reason: "expected an http(s) URL".into(),
            });
        }
        Ok(Config { leptos, database_url, demo, public_url })
    }

    /// Creates the folder an SQLite file lives in, so the default works on a fresh clone.
    pub fn prepare_database_folder(&self) -> std::io::Result<()> {
        let Some(path) = self.database_url.strip_prefix("sqlite://") else {
            return Ok(());
        };
        let file = path.split('?').next().unwrap_or(path);
        match Path::new(file).parent() {
            Some(folder) if !folder.as_os_str().is_empty() => std::fs::create_dir_all(folder),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_suit_a_local_run() {
        let config = config(&[]).unwrap();
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert!(!config.demo);
        assert!(config.public_url.starts_with("http://"));
    }

    #[test]
    fn reads_and_checks_each_variable() {
        let config = config(&[
            ("DATABASE_URL", "postgres://rounds@localhost/rounds"),
            ("ROUNDS_DEMO", "1"),
            ("ROUNDS_PUBLIC_URL", "https://rounds.example.ca/"),
        ])
        .unwrap();
        assert!(config.demo);
        assert_eq!(config.public_url, "https://rounds.example.ca");
        assert!(matches!(
            self::config(&[("ROUNDS_DEMO", "yes")]),
            Err(ConfigError::Invalid { name: "ROUNDS_DEMO", .. })
        ));
        assert!(matches!(self::config(&[("DATABASE_URL", "mysql://x")]), Err(ConfigError::Invalid { .. })));
        assert!(matches!(
            self::config(&[("ROUNDS_PUBLIC_URL", "rounds.ca")]),
            Err(ConfigError::Invalid { .. })
        ));
    }
}
