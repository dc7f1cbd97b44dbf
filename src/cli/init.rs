//! `incident init`: scaffold `incident.toml`, the `incidents/` folder and the git attributes
//! that let two clones' event logs merge without conflicts.

use std::path::{Path, PathBuf};

use clap::Args;

use super::session::Session;
use crate::config::{FILE_NAME, INCIDENTS_DIR};
use crate::error::CommandError;
use crate::fsutil;

const SCAFFOLD: &str = include_str!("init.toml");
/// Union merge keeps both sides' appended lines; readers drop duplicates and sort.
const GIT_ATTRIBUTE: &str = "incidents/*/events.jsonl merge=union";
/// The publish lock belongs to the machine that publishes, not to the shared record.
const GIT_IGNORE: &str = "incidents/*/.publish.lock";

/// Create `incident.toml`, `incidents/`, `.gitattributes` and `.gitignore` in DIR (default: here)
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to set up; created if missing
    dir: Option<PathBuf>,
}

pub fn run(args: InitArgs, session: &Session) -> Result<(), CommandError> {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let config_path = dir.join(FILE_NAME);
    if config_path.exists() {
        return Err(
            CommandError::usage(format!("`{}` already exists", config_path.display()))
                .hint("edit it, or run `incident init` in another folder"),
        );
    }
    fsutil::create_dir_durable(&dir)?;
    let incidents = dir.join(INCIDENTS_DIR);
    fsutil::create_dir_durable(&incidents)?;
    // Git does not keep empty folders; this keeps `incidents/` in a fresh clone.
    let keep = incidents.join(".gitkeep");
    if !keep.exists() {
        fsutil::write_atomic(&keep, b"")?;
    }
    add_line(&dir.join(".gitattributes"), GIT_ATTRIBUTE)?;
    add_line(&dir.join(".gitignore"), GIT_IGNORE)?;
    fsutil::write_atomic(&config_path, SCAFFOLD.as_bytes())?;

    session
        .printer
        .success(&format!("Created {}", config_path.display()));
    session.printer.status(
        "  Next: set `org.name`, `org.timezone`, severities, components and targets, then `incident open`.",
    );
    if !is_in_git(&dir) {
        session
            .printer
            .status("  Tip: keep this folder in git (`git init`) so responders share incidents.");
    }
    Ok(())
}

/// Adds `line` to the file at `path` unless it is there already.
fn add_line(path: &Path, line: &str) -> Result<(), CommandError> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(fsutil::IoError {
                action: "read",
                path: path.to_path_buf(),
                source,
            }
            .into());
        }
    };
    if existing.lines().any(|have| have.trim() == line) {
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    fsutil::write_atomic(path, text.as_bytes())?;
    Ok(())
}

fn is_in_git(dir: &Path) -> bool {
    std::fs::canonicalize(dir)
        .map(|dir| {
            dir.ancestors()
                .any(|ancestor| ancestor.join(".git").exists())
        })
        .unwrap_or(false)
}
