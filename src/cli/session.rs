//! `Session`: what every command shares, resolved once from flags and environment: the
//! clock, the printer, the prompter, and on demand the config and the author.

use std::path::{Path, PathBuf};

use super::GlobalArgs;
use super::output::Printer;
use super::prompt::Prompter;
use crate::config::{self, Config};
use crate::env::Env;
use crate::error::CommandError;
use crate::record::{Incident, Store, Warning};
use crate::time::Clock;

pub struct Session {
    pub env: Env,
    pub clock: Clock,
    pub printer: Printer,
    pub prompter: Prompter,
    pub cwd: PathBuf,
    config_flag: Option<PathBuf>,
}

impl Session {
    pub fn new(global: &GlobalArgs, env: Env, printer: Printer) -> Result<Session, CommandError> {
        let clock = Clock::new(env.now.as_deref())?;
        let cwd = std::env::current_dir().map_err(|error| {
            CommandError::usage(format!("cannot read the current folder: {error}"))
        })?;
        let prompter = Prompter::new(global.no_input, env.ci, printer.clone());
        Ok(Session {
            clock,
            prompter,
            printer,
            cwd,
            // clap already folded `INCIDENT_CONFIG` into `--config`.
            config_flag: global.config.clone(),
            env,
        })
    }

    /// Finds and loads `incident.toml`.
    pub fn config(&self) -> Result<Config, CommandError> {
        let path = config::find(self.config_flag.as_deref(), None, &self.cwd)?;
        let shown = path
            .strip_prefix(&self.cwd)
            .map(Path::to_path_buf)
            .unwrap_or(path);
        self.printer.debug(&format!("config: {}", shown.display()));
        Ok(Config::load(&shown)?)
    }

    /// Returns who is acting: `INCIDENT_AUTHOR`, else `git config user.name`, else `$USER`.
    pub fn author(&self, root: &Path) -> String {
        if let Some(author) = &self.env.author {
            return author.clone();
        }
        let dir = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        let from_git = std::process::Command::new("git")
            .args(["config", "user.name"])
            .current_dir(dir)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|output| output.status.success())
            .and_then(|output| String::from_utf8(output.stdout).ok())
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty());
        from_git
            .or_else(|| self.env.user.clone())
            .unwrap_or_else(|| "unknown".to_string())
    }

    /// Reads one incident by id prefix, showing each skipped line once as a warning.
    pub fn load_incident(&self, store: &Store, prefix: &str) -> Result<Incident, CommandError> {
        let id = store.resolve(prefix)?;
        let loaded = store.read(&id)?;
        self.warn_skipped(&loaded.warnings);
        Ok(Incident::from_events(&id, loaded.events)?)
    }

    /// Shows the lines a read skipped.
    pub fn warn_skipped(&self, warnings: &[Warning]) {
        for warning in warnings {
            let path = warning
                .path
                .strip_prefix(&self.cwd)
                .unwrap_or(&warning.path);
            self.printer.warn(&format!(
                "{}:{}: {}",
                path.display(),
                warning.line,
                warning.message
            ));
        }
    }
}
