//! `Session`: what every command shares, resolved once from flags and environment: the
//! clock, the printer, the prompter, and on demand the config and the author.

use std::path::{Path, PathBuf};

use super::global::GlobalArgs;
use super::output::Printer;
use super::prompt::Prompter;
use crate::config::{self, Config};
use crate::env::Env;
use crate::error::CommandError;
use crate::record::maintenance::{self, Window};
use crate::record::store::in_parallel;
use crate::record::{Incident, Store, StoreError, Summary, Warning};
use crate::render::{Draft, RenderError, Renderer};
use crate::time::Clock;
use crate::vocab::Status;

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
            CommandError::local("cannot read the current folder").because(error)
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
        Ok(Config::load(&shown, &crate::publish::targets::kinds())?)
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

/// Returns the update number to act on: `--update N` checked, or the latest.
pub fn pick_update(incident: &Incident, requested: Option<usize>) -> Result<usize, CommandError> {
    let count = incident.updates.len();
    match requested {
        None => Ok(count),
        Some(seq) if (1..=count).contains(&seq) => Ok(seq),
        Some(seq) => Err(CommandError::usage(format!(
            "incident {} has no update {seq}",
            incident.id
        ))
        .hint(format!(
            "its updates are numbered 1 to {count}; `incident show {}` lists them",
            incident.id
        ))),
    }
}

/// Returns the store that holds `prefix`: the incidents, or the maintenance windows when no
/// incident matches it, so `publish`, `approve`, `render`, `show` and `lint` take either.
pub fn store_of(config: &Config, prefix: &str) -> Store {
    let incidents = Store::new(config.incidents_dir());
    match incidents.resolve(prefix) {
        Err(StoreError::Prefix(crate::record::id::PrefixError::NotFound { .. })) => {
            let windows = maintenance::store(&config.incidents_dir());
            if windows.resolve(prefix).is_ok() {
                windows
            } else {
                incidents
            }
        }
        _ => incidents,
    }
}

/// Renders update `seq` for every channel a target receives it on.
pub fn routed_drafts(
    config: &Config,
    incident: &Incident,
    seq: usize,
) -> Result<Vec<Draft>, RenderError> {
    let renderer = Renderer::new(config);
    crate::publish::routing::channels(config, incident, &incident.updates[seq - 1])
        .into_iter()
        .map(|channel| renderer.render(incident, seq, channel))
        .collect()
}

/// Reads every incident's summary (only the open ones unless `include_resolved`), newest
/// first. Unreadable lines and incidents are warned about and skipped.
pub fn load_summaries(
    session: &Session,
    store: &Store,
    include_resolved: bool,
) -> Result<Vec<Summary>, CommandError> {
    let ids = store.ids()?;
    // Each thread folds as it reads, keeping no events.
    let results: Vec<_> = in_parallel(&ids, |id, read: &mut Vec<_>| {
        read.push(
            store
                .read_bytes(id)
                .map(|(path, bytes)| Summary::read(id, &path, &bytes)),
        );
        Ok::<_, std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {})
    .into_iter()
    .flatten()
    .collect();
    let mut summaries = Vec::new();
    for result in results {
        let (summary, warnings) = result?;
        session.warn_skipped(&warnings);
        match summary {
            Ok(summary) if include_resolved || summary.status != Status::Resolved => {
                summaries.push(summary);
            }
            Ok(_) => {}
            Err(error) => session.printer.warn(&error.to_string()),
        }
    }
    summaries.sort_by(|a, b| {
        b.started_at
            .cmp(&a.started_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(summaries)
}

/// Reads every maintenance window, earliest start first, with the incident each folds
/// from. Unreadable lines and windows are warned about and skipped.
pub fn load_window_records(
    session: &Session,
    config: &Config,
) -> Result<Vec<(Window, Incident)>, CommandError> {
    let store = maintenance::store(&config.incidents_dir());
    let mut windows = Vec::new();
    for id in store.ids()? {
        let loaded = store.read(&id)?;
        session.warn_skipped(&loaded.warnings);
        match Incident::from_events(&id, loaded.events) {
            Ok(incident) => match Window::of(&incident) {
                Some(window) => windows.push((window, incident)),
                None => session
                    .printer
                    .warn(&format!("`{id}` is not a maintenance window; skipped")),
            },
            Err(error) => session.printer.warn(&error.to_string()),
        }
    }
    windows.sort_by(|(a, _), (b, _)| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
    Ok(windows)
}

/// Reads every maintenance window, earliest start first.
pub fn load_windows(session: &Session, config: &Config) -> Result<Vec<Window>, CommandError> {
    Ok(load_window_records(session, config)?
        .into_iter()
        .map(|(window, _)| window)
        .collect())
}
