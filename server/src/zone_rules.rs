//! Which time-zone database the server converts with: the one embedded in the binary, or the
//! system's (`/usr/share/zoneinfo`, or `$TZDIR`) when that is a newer IANA release, so an
//! operating-system update of `tzdata` brings new rules without a rebuild.

use app::domain::zones::{self, EMBEDDED_VERSION, ZoneRules, compare_versions, version_in_tzdata_zi};
use jiff::tz::TimeZoneDatabase;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// Where the rules in use came from, for the log and `server --version`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Embedded,
    System(PathBuf),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Embedded => f.write_str("embedded"),
            Source::System(dir) => write!(f, "system, {}", dir.display()),
        }
    }
}

/// The system's database folder.
pub fn system_dir() -> PathBuf {
    std::env::var_os("TZDIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/share/zoneinfo"))
}

/// The newer of the embedded database and the one in `system_dir`, with where it came from.
/// A system database that has no release number, is not newer, or lacks one of Rounds' zones
/// is passed over.
pub fn choose(system_dir: &Path) -> (ZoneRules, Source) {
    let embedded = || (ZoneRules::embedded(), Source::Embedded);
    let Some(version) = system_version(system_dir) else {
        return embedded();
    };
    if compare_versions(&version, EMBEDDED_VERSION) != Some(Ordering::Greater) {
        return embedded();
    }
    let database = match TimeZoneDatabase::from_dir(system_dir) {
        Ok(database) => database,
        Err(err) => {
            tracing::warn!(%err, dir = %system_dir.display(), "cannot read the system's time-zone database");
            return embedded();
        }
    };
    match ZoneRules::from_database(&database, &version) {
        Ok(rules) => (rules, Source::System(system_dir.to_path_buf())),
        Err(err) => {
            tracing::warn!(%err, %version, "the system's time-zone database is incomplete");
            embedded()
        }
    }
}

/// The release named in the folder's `tzdata.zi`, which Debian's `tzdata` package ships.
fn system_version(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("tzdata.zi")).ok()?;
    version_in_tzdata_zi(text.lines().next()?).map(str::to_string)
}

/// Chooses the rules and makes them the ones every conversion uses; returns what was chosen.
/// Called once at start; later calls (tests start several apps in one process) keep the first.
pub fn install() -> (String, Source) {
    let (rules, source) = choose(&system_dir());
    let version = rules.version().to_string();
    match zones::install(rules) {
        Ok(()) => (version, source),
        Err(_) => (zones::rules().version().to_string(), source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database folder holding Rounds' zones (or only Toronto), copied from this machine's,
    /// with a `tzdata.zi` that names `version`.
    fn system_copy(version: &str, with_every_zone: bool) -> Scratch {
        let scratch = Scratch::new(version);
        let zones: &[&str] = if with_every_zone { &zones::SCHEDULING_ZONES } else { &["America/Toronto"] };
        for name in zones {
            let from = Path::new("/usr/share/zoneinfo").join(name);
            let to = scratch.0.join(name);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        }
        std::fs::write(scratch.0.join("tzdata.zi"), format!("# version {version}\n# ddeps\n")).unwrap();
        scratch
    }

    /// A folder removed when the test ends.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(tag: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("rounds-tz-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_newer_system_database_is_chosen() {
        let newer = system_copy("2099a", true);
        let (rules, source) = choose(&newer.0);
        assert_eq!(rules.version(), "2099a");
        assert_eq!(source, Source::System(newer.0.clone()));
    }

    #[test]
    fn an_older_or_unnumbered_or_incomplete_system_database_is_passed_over() {
        let older = system_copy("2025b", true);
        assert_eq!(choose(&older.0).1, Source::Embedded);
        let incomplete = system_copy("2099b", false);
        assert_eq!(choose(&incomplete.0).1, Source::Embedded);
        let missing = Path::new("/nonexistent/zoneinfo");
        let (rules, source) = choose(missing);
        assert_eq!((rules.version(), source), (EMBEDDED_VERSION, Source::Embedded));
    }
}
