//! What the benchmarks share: the configuration they start the server with.

use app::server::rate_limit::{Limit, StreamLimits, WriteLimits};
use chrono::Duration;
use server::config::{Config, MailConfig, MailTransport};

/// A server on `database_url` sending its mail through `transport`, with no site files and no
/// limit a benchmark could reach: every request comes from one address.
pub fn config(database_url: String, transport: MailTransport) -> Config {
    Config {
        leptos: leptos::config::LeptosOptions::builder()
            .output_name("rounds")
            .site_root("/nonexistent")
            .build(),
        database_url,
        demo: false,
        public_url: "http://rounds.bench".into(),
        mail: MailConfig {
            transport,
            from: "Rounds <r@rounds.bench>".into(),
            lease: Duration::seconds(120),
            rate: None,
        },
        reminders: Vec::new(),
        retention: Duration::hours(48),
        trusted_proxies: Vec::new(),
        write_limits: WriteLimits {
            per_address: Limit { count: u32::MAX, window: std::time::Duration::from_secs(1) },
            per_email: Limit { count: u32::MAX, window: std::time::Duration::from_secs(1) },
        },
        stream_limits: StreamLimits { per_address: u32::MAX, total: u32::MAX },
        waitlist_factor: 3,
        evaluation_days: 14,
        story_report_threshold: 3,
        contacts: Default::default(),
    }
}
