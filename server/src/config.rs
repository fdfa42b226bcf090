//! Configuration from environment variables, with defaults for a local run. The names are a
//! contract with the README, the test scripts and deployment tools.

use app::domain::evaluation::{DEFAULT_BALLOT_DAYS, MAX_BALLOT_DAYS};
use app::model::Contacts;
use app::server::rate_limit::{Limit, StreamLimits, WriteLimits};
use leptos::config::LeptosOptions;
use std::net::IpAddr;
use std::num::NonZeroU32;
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
    /// `ROUNDS_TRUSTED_PROXIES`: comma-separated addresses of the reverse proxies whose
    /// `X-Forwarded-For` names the client (default none: the socket's peer is the client).
    pub trusted_proxies: Vec<IpAddr>,
    /// `ROUNDS_RATE_LIMIT_ADDRESS` and `ROUNDS_RATE_LIMIT_EMAIL`: public writes allowed per
    /// network address (default `30/10m`) and per email address (default `10/1h`).
    pub write_limits: WriteLimits,
    /// `ROUNDS_LIVE_STREAMS_PER_ADDRESS` (16) and `ROUNDS_LIVE_STREAMS` (20000): open seat
    /// streams allowed per address and in all.
    pub stream_limits: StreamLimits,
    /// `ROUNDS_WAITLIST_FACTOR`: a waitlist holds this many times the seats (3).
    pub waitlist_factor: u32,
    /// `ROUNDS_EVALUATION_DAYS`: how many days an evaluation link works (14).
    pub evaluation_days: u32,
    /// `ROUNDS_STORY_REPORTS`: distinct reports that take a story off the gratitude wall
    /// until a moderator looks at it again (3).
    pub story_report_threshold: u32,
    /// Where the site points people for help (the support page and the FAQ).
    pub contacts: Contacts,
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
    /// `ROUNDS_MAIL_LEASE_SECONDS` (120): how long a sender may work on a message before
    /// another (or the same server after a crash) takes it over and sends it again.
    pub lease: chrono::Duration,
    /// `ROUNDS_MAIL_RATE`: at most this many messages a second, for providers that cap a
    /// sender (default none: as fast as the SMTP server takes them).
    pub rate: Option<NonZeroU32>,
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
        // the server is started without any build tool's environment, so the file itself says so.
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
        let lease = chrono::Duration::seconds(i64::from(number(&lookup, "ROUNDS_MAIL_LEASE_SECONDS", 120)?));
        let rate = match lookup("ROUNDS_MAIL_RATE").filter(|value| !value.is_empty()) {
            Some(value) => Some(value.trim().parse().map_err(|_| ConfigError::Invalid {
                name: "ROUNDS_MAIL_RATE",
                reason: format!("{value:?} is not a number of messages a second above 0"),
            })?),
            None => None,
        };
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
        let trusted_proxies = match lookup("ROUNDS_TRUSTED_PROXIES") {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| item.parse::<IpAddr>().map(|ip| ip.to_canonical()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| ConfigError::Invalid {
                    name: "ROUNDS_TRUSTED_PROXIES",
                    reason: format!("{list:?}: use IP addresses separated by commas"),
                })?,
            None => Vec::new(),
        };
        let defaults = WriteLimits::default();
        let write_limits = WriteLimits {
            per_address: limit(&lookup, "ROUNDS_RATE_LIMIT_ADDRESS", defaults.per_address)?,
            per_email: limit(&lookup, "ROUNDS_RATE_LIMIT_EMAIL", defaults.per_email)?,
        };
        let defaults = StreamLimits::default();
        let stream_limits = StreamLimits {
            per_address: number(&lookup, "ROUNDS_LIVE_STREAMS_PER_ADDRESS", defaults.per_address)?,
            total: number(&lookup, "ROUNDS_LIVE_STREAMS", defaults.total)?,
        };
        let waitlist_factor = number(&lookup, "ROUNDS_WAITLIST_FACTOR", 3)?;
        let evaluation_days = number(&lookup, "ROUNDS_EVALUATION_DAYS", DEFAULT_BALLOT_DAYS)?;
        if !(1..=MAX_BALLOT_DAYS).contains(&evaluation_days) {
            return Err(ConfigError::Invalid {
                name: "ROUNDS_EVALUATION_DAYS",
                reason: format!("{evaluation_days} is not between 1 and {MAX_BALLOT_DAYS}"),
            });
        }
        let story_report_threshold = number(&lookup, "ROUNDS_STORY_REPORTS", 3)?;
        if story_report_threshold == 0 {
            return Err(ConfigError::Invalid {
                name: "ROUNDS_STORY_REPORTS",
                reason: "a story needs at least one report to leave the wall".into(),
            });
        }
        let contacts = contacts(&lookup, demo)?;
        Ok(Config {
            leptos,
            database_url,
            demo,
            public_url,
            mail: MailConfig { transport, from, lease, rate },
            reminders,
            retention,
            trusted_proxies,
            write_limits,
            stream_limits,
            waitlist_factor,
            evaluation_days,
            story_report_threshold,
            contacts,
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
    list.split(',').map(str::trim).filter(|item| !item.is_empty()).map(parse_duration).collect()
}

/// A positive number of hours, minutes or seconds: `24h`, `10m`, `30s`.
fn parse_duration(item: &str) -> Option<chrono::Duration> {
    let (number, unit) = item.split_at(item.len().checked_sub(1)?);
    let number: i64 = number.parse().ok().filter(|n| *n > 0)?;
    match unit {
        "h" => chrono::Duration::try_hours(number),
        "m" => chrono::Duration::try_minutes(number),
        "s" => chrono::Duration::try_seconds(number),
        _ => None,
    }
}

/// A setting that is a whole number, or `default` when unset.
fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u32,
) -> Result<u32, ConfigError> {
    match lookup(name).filter(|value| !value.is_empty()) {
        Some(value) => value
            .trim()
            .parse()
            .map_err(|_| ConfigError::Invalid { name, reason: format!("{value:?} is not a whole number") }),
        None => Ok(default),
    }
}

/// The wellness line and contact addresses. The demo, which has no real program behind it,
/// shows a stand-in number marked as an example; elsewhere an unset line is simply not shown.
fn contacts(lookup: &impl Fn(&str) -> Option<String>, demo: bool) -> Result<Contacts, ConfigError> {
    let set =
        |name: &str| lookup(name).map(|value| value.trim().to_string()).filter(|value| !value.is_empty());
    let wellness_line = set("ROUNDS_WELLNESS_LINE");
    if let Some(phone) = &wellness_line
        && !app::domain::application_round::looks_like_phone(phone)
    {
        return Err(ConfigError::Invalid {
            name: "ROUNDS_WELLNESS_LINE",
            reason: format!("{phone:?} is not a phone number"),
        });
    }
    for name in ["ROUNDS_HELP_EMAIL", "ROUNDS_SESSIONS_EMAIL"] {
        if let Some(address) = set(name)
            && !app::domain::forms::looks_like_email(&address)
        {
            return Err(ConfigError::Invalid {
                name,
                reason: format!("{address:?} is not an email address"),
            });
        }
    }
    let demo_default = |value: &str| demo.then(|| value.to_string());
    Ok(Contacts {
        wellness_line_example: demo && wellness_line.is_none(),
        wellness_line: wellness_line.or_else(|| demo_default("1-888-555-0100")),
        help_email: set("ROUNDS_HELP_EMAIL").or_else(|| demo_default("help@rounds.test")),
        sessions_email: set("ROUNDS_SESSIONS_EMAIL").or_else(|| demo_default("sessions@rounds.test")),
    })
}

/// A rate such as `30/10m` (30 in any 10 minutes), or `default` when unset.
fn limit(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: Limit,
) -> Result<Limit, ConfigError> {
    let Some(value) = lookup(name).filter(|value| !value.is_empty()) else {
        return Ok(default);
    };
    value
        .split_once('/')
        .and_then(|(count, window)| {
            let count = count.trim().parse().ok()?;
            let window = parse_duration(window.trim())?.to_std().ok()?;
            Some(Limit { count, window })
        })
        .ok_or_else(|| ConfigError::Invalid { name, reason: format!("{value:?}: use e.g. 30/10m") })
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
    fn a_claimed_message_is_taken_over_after_the_mail_lease() {
        assert_eq!(config(&[]).unwrap().mail.lease, chrono::Duration::seconds(120));
        let short = config(&[("ROUNDS_MAIL_LEASE_SECONDS", "2")]).unwrap();
        assert_eq!(short.mail.lease, chrono::Duration::seconds(2));
        assert!(config(&[("ROUNDS_MAIL_LEASE_SECONDS", "soon")]).is_err());
    }

    #[test]
    fn mail_goes_uncapped_unless_a_rate_is_set() {
        assert_eq!(config(&[]).unwrap().mail.rate, None);
        assert_eq!(config(&[("ROUNDS_MAIL_RATE", "")]).unwrap().mail.rate, None);
        let capped = config(&[("ROUNDS_MAIL_RATE", "14")]).unwrap();
        assert_eq!(capped.mail.rate, NonZeroU32::new(14));
        for value in ["0", "-3", "2.5", "fast"] {
            assert!(config(&[("ROUNDS_MAIL_RATE", value)]).is_err(), "{value}");
        }
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
    fn abuse_limits_have_defaults_and_read_their_variables() {
        let defaults = config(&[]).unwrap();
        assert!(defaults.trusted_proxies.is_empty());
        assert_eq!(defaults.write_limits, WriteLimits::default());
        assert_eq!(defaults.stream_limits, StreamLimits::default());
        assert_eq!(defaults.waitlist_factor, 3);
        assert_eq!(defaults.evaluation_days, 14);
        let custom = config(&[
            ("ROUNDS_TRUSTED_PROXIES", "10.0.0.5, ::1"),
            ("ROUNDS_RATE_LIMIT_ADDRESS", "5/30s"),
            ("ROUNDS_RATE_LIMIT_EMAIL", "2/1h"),
            ("ROUNDS_LIVE_STREAMS_PER_ADDRESS", "4"),
            ("ROUNDS_LIVE_STREAMS", "100"),
            ("ROUNDS_WAITLIST_FACTOR", "0"),
        ])
        .unwrap();
        assert_eq!(custom.trusted_proxies, ["10.0.0.5".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]);
        assert_eq!(
            custom.write_limits.per_address,
            Limit { count: 5, window: std::time::Duration::from_secs(30) }
        );
        assert_eq!(
            custom.write_limits.per_email,
            Limit { count: 2, window: std::time::Duration::from_secs(3600) }
        );
        assert_eq!(custom.stream_limits, StreamLimits { per_address: 4, total: 100 });
        assert_eq!(custom.waitlist_factor, 0);
        for (name, value) in [
            ("ROUNDS_TRUSTED_PROXIES", "proxy.local"),
            ("ROUNDS_RATE_LIMIT_ADDRESS", "30"),
            ("ROUNDS_RATE_LIMIT_EMAIL", "ten/1h"),
            ("ROUNDS_LIVE_STREAMS", "-1"),
            ("ROUNDS_WAITLIST_FACTOR", "3x"),
            ("ROUNDS_EVALUATION_DAYS", "0"),
            ("ROUNDS_EVALUATION_DAYS", "366"),
        ] {
            assert!(
                matches!(self::config(&[(name, value)]), Err(ConfigError::Invalid { .. })),
                "{name}={value}"
            );
        }
    }

    #[test]
    fn contacts_are_set_checked_and_stand_in_only_for_the_demo() {
        let plain = config(&[]).unwrap().contacts;
        assert_eq!(plain, Contacts::default(), "nothing invented outside the demo");
        let demo = config(&[("ROUNDS_DEMO", "1")]).unwrap().contacts;
        assert!(demo.wellness_line.is_some() && demo.wellness_line_example);
        let set = config(&[
            ("ROUNDS_DEMO", "1"),
            ("ROUNDS_WELLNESS_LINE", " 1-888-555-0199 "),
            ("ROUNDS_HELP_EMAIL", "help@example.ca"),
        ])
        .unwrap()
        .contacts;
        assert_eq!(set.wellness_line.as_deref(), Some("1-888-555-0199"));
        assert!(!set.wellness_line_example);
        assert_eq!(set.help_email.as_deref(), Some("help@example.ca"));
        for (name, value) in [("ROUNDS_WELLNESS_LINE", "call us"), ("ROUNDS_SESSIONS_EMAIL", "sessions")] {
            assert!(
                matches!(self::config(&[(name, value)]), Err(ConfigError::Invalid { .. })),
                "{name}={value}"
            );
        }
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
