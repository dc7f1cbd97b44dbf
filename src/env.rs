//! Every environment variable the tool reads, named once, and the one place that reads them.
//!
//! Core modules never call `std::env` themselves: they receive an [`Env`] snapshot, so tests
//! can pin the clock, the author and the config path without touching the process environment.

use std::ffi::OsString;
use std::path::PathBuf;

/// Overrides the clock (RFC 3339).
pub const INCIDENT_NOW: &str = "INCIDENT_NOW";
/// Overrides the author recorded on events.
pub const INCIDENT_AUTHOR: &str = "INCIDENT_AUTHOR";
/// Path to `incident.toml`, used when `--config` is not given.
pub const INCIDENT_CONFIG: &str = "INCIDENT_CONFIG";
/// Set by CI systems; when present the tool never prompts.
pub const CI: &str = "CI";
/// Disables color when set to any non-empty value (<https://no-color.org>).
pub const NO_COLOR: &str = "NO_COLOR";
/// The editor for `incident edit`, preferred over `EDITOR`.
pub const VISUAL: &str = "VISUAL";
/// The editor for `incident edit`.
pub const EDITOR: &str = "EDITOR";
/// The login name, the last fallback for the author.
pub const USER: &str = "USER";

/// The environment variables the tool cares about, read once at start-up.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub now: Option<String>,
    pub author: Option<String>,
    pub config: Option<PathBuf>,
    pub ci: bool,
    pub no_color: bool,
    pub user: Option<String>,
    /// `VISUAL`, else `EDITOR`.
    pub editor: Option<String>,
}

impl Env {
    /// Reads the process environment.
    pub fn from_process() -> Env {
        let text = |name: &str| {
            std::env::var_os(name)
                .map(OsString::into_string)
                .and_then(Result::ok)
                .filter(|value| !value.is_empty())
        };
        Env {
            now: text(INCIDENT_NOW),
            author: text(INCIDENT_AUTHOR),
            config: std::env::var_os(INCIDENT_CONFIG)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from),
            ci: std::env::var_os(CI).is_some_and(|value| !value.is_empty()),
            no_color: std::env::var_os(NO_COLOR).is_some_and(|value| !value.is_empty()),
            user: text(USER),
            editor: text(VISUAL).or_else(|| text(EDITOR)),
        }
    }

    /// Returns the value of a secret's environment variable, if set and non-empty.
    pub fn secret(name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|value| !value.is_empty())
    }
}
