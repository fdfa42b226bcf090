//! Configuration from environment variables, with defaults for a local run. The names are a
//! contract with the README, the test scripts and deployment tools.

use leptos::config::LeptosOptions;
use std::path::{Path, PathBuf};

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
    pub mail: MailConfig,
    /// `ROUNDS_REMINDERS`: how long before a session reminders go out (default `24h,1h`).
    pub reminders: Vec<chrono::Duration>,
    /// `ROUNDS_RETENTION_HOURS`: how long after a session its registrants' data is kept (48).
    pub retention: chrono::Duration,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailTransport {
    /// `ROUNDS_SMTP_URL`, e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@mail.example.ca`.
    Smtp(String),
    /// No SMTP server configured: each message becomes an `.eml` file in this folder
    /// (`ROUNDS_MAIL_DIR`, default `data/mail`).
    Folder(PathBuf),
}

#[derive(Clone, Debug)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// `ROUNDS_MAIL_FROM` (default `Rounds <rounds@localhost>`).
    pub from: String,
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
        let mut leptos = leptos::config::get_configuration(None)
            .map_err(|e| ConfigError::Leptos(e.to_string()))?
            .leptos_options;
        // A release build names its bundle by content and leaves the hashes beside the binary;
        // the binary is usually started without cargo-leptos's environment, which says so.
        leptos.hash_files |= std::env::current_exe()
            .ok()
            .and_then(|binary| Some(binary.parent()?.join(leptos.hash_file.as_ref())))
            .is_some_and(|hashes| hashes.is_file());
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
        let transport = match lookup("ROUNDS_SMTP_URL").filter(|url| !url.is_empty()) {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => {
                MailTransport::Smtp(url)
            }
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "ROUNDS_SMTP_URL",
                    reason: "expected smtp:// or smtps://".into(),
                });
            }
            None => MailTransport::Folder(
                lookup("ROUNDS_MAIL_DIR")
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| "data/mail".into())
                    .into(),
            ),
        };
        let from = lookup("ROUNDS_MAIL_FROM")
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| "Rounds <rounds@localhost>".into());
        let reminders = match lookup("ROUNDS_REMINDERS") {
            Some(list) => parse_durations(&list).ok_or_else(|| ConfigError::Invalid {
                name: "ROUNDS_REMINDERS",
                reason: format!("{list:?}: use e.g. 24h,1h,30m"),
            })?,
            None => vec![chrono::Duration::hours(24), chrono::Duration::hours(1)],
        };
        let retention = match lookup("ROUNDS_RETENTION_HOURS") {
            Some(hours) => {
                hours.parse::<u32>().map(|h| chrono::Duration::hours(i64::from(h))).map_err(|_| {
                    ConfigError::Invalid {
                        name: "ROUNDS_RETENTION_HOURS",
                        reason: format!("{hours:?} is not a number of hours"),
                    }
                })?
            }
            None => chrono::Duration::hours(48),
        };
        Ok(Config {
            leptos,
            database_url,
            demo,
            public_url,
            mail: MailConfig { transport, from },
            reminders,
            retention,
        })
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

/// Reads a list of lead times such as `24h,1h,30m`; an empty string means none.
fn parse_durations(list: &str) -> Option<Vec<chrono::Duration>> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (number, unit) = item.split_at(item.len().checked_sub(1)?);
            let number: i64 = number.parse().ok().filter(|n| *n > 0)?;
            match unit {
                "h" => Some(chrono::Duration::hours(number)),
                "m" => Some(chrono::Duration::minutes(number)),
                _ => None,
            }
        })
        .collect()
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
    fn mail_goes_to_files_without_an_smtp_server() {
        let local = config(&[]).unwrap();
        assert_eq!(local.mail.transport, MailTransport::Folder("data/mail".into()));
        let smtp = config(&[("ROUNDS_SMTP_URL", "smtp://127.0.0.1:2525")]).unwrap();
        assert_eq!(smtp.mail.transport, MailTransport::Smtp("smtp://127.0.0.1:2525".into()));
        assert!(config(&[("ROUNDS_SMTP_URL", "http://mail")]).is_err());
    }

    #[test]
    fn reminder_lead_times_and_retention() {
        let defaults = config(&[]).unwrap();
        assert_eq!(defaults.reminders, [chrono::Duration::hours(24), chrono::Duration::hours(1)]);
        assert_eq!(defaults.retention, chrono::Duration::hours(48));
        let custom = config(&[("ROUNDS_REMINDERS", "2h, 15m"), ("ROUNDS_RETENTION_HOURS", "0")]).unwrap();
        assert_eq!(custom.reminders, [chrono::Duration::hours(2), chrono::Duration::minutes(15)]);
        assert_eq!(custom.retention, chrono::Duration::zero());
        assert!(config(&[("ROUNDS_REMINDERS", "")]).unwrap().reminders.is_empty());
        assert!(config(&[("ROUNDS_REMINDERS", "1d")]).is_err());
        assert!(config(&[("ROUNDS_RETENTION_HOURS", "two days")]).is_err());
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
