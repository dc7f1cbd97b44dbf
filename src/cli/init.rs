//! `incident init`: scaffold `incident.toml`, the `incidents/` folder and the git attributes
//! that let two clones' event logs merge without conflicts.

use std::path::{Path, PathBuf};

use clap::Args;

use super::prompt::Question;
use super::session::Session;
use crate::config::{FILE_NAME, INCIDENTS_DIR, PRESETS_DIR};
use crate::error::CommandError;
use crate::fsutil;

const SCAFFOLD: &str = include_str!("init.toml");
/// Union merge keeps both sides' appended lines; readers drop duplicates and sort. The
/// maintenance windows' logs sit one folder down.
const GIT_ATTRIBUTES: [&str; 2] = [
    "incidents/*/events.jsonl merge=union",
    "incidents/maintenance/*/events.jsonl merge=union",
];
/// The publish lock belongs to the machine that publishes, not to the shared record.
const GIT_IGNORES: [&str; 2] = [
    "incidents/*/.publish.lock",
    "incidents/maintenance/*/.publish.lock",
];

/// Create `incident.toml`, `incidents/`, `.gitattributes` and `.gitignore` in DIR (default: here)
///
/// On a terminal it asks for the organisation's name, time zone and status page; until they
/// are replaced, the checks report the placeholders as errors.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to set up; created if missing
    dir: Option<PathBuf>,
    /// The organisation's name, as the public knows it
    #[arg(long, value_name = "NAME")]
    org: Option<String>,
    /// The IANA time zone times are asked for and shown in, e.g. `Europe/Berlin`
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// The public status page's address, linked from every draft
    #[arg(long, value_name = "URL")]
    status_url: Option<String>,
}

/// What `init.toml` says until someone answers.
/// The presets `init` writes into `presets/`: generic ones every team meets.
const PRESETS: [(&str, &str); 4] = [
    ("degraded", include_str!("init_presets/degraded.toml")),
    ("outage", include_str!("init_presets/outage.toml")),
    ("third-party", include_str!("init_presets/third-party.toml")),
    ("security", include_str!("init_presets/security.toml")),
];

const PLACEHOLDER_NAME: &str = "Example Org";
const PLACEHOLDER_ZONE: &str = "UTC";
const PLACEHOLDER_URL: &str = "https://status.example.com";

pub fn run(args: InitArgs, session: &Session) -> Result<(), CommandError> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let config_path = dir.join(FILE_NAME);
    if config_path.exists() {
        return Err(
            CommandError::usage(format!("`{}` already exists", config_path.display()))
                .hint("edit it, or run `incident init` in another folder"),
        );
    }
    let org = answers(&args, session)?;
    fsutil::create_dir_durable(&dir)?;
    let incidents = dir.join(INCIDENTS_DIR);
    fsutil::create_dir_durable(&incidents)?;
    // Git does not keep empty folders; this keeps `incidents/` in a fresh clone.
    let keep = incidents.join(".gitkeep");
    if !keep.exists() {
        fsutil::write_atomic(&keep, b"")?;
    }
    for line in GIT_ATTRIBUTES {
        add_line(&dir.join(".gitattributes"), line)?;
    }
    for line in GIT_IGNORES {
        add_line(&dir.join(".gitignore"), line)?;
    }
    fsutil::write_atomic(&config_path, scaffold(&org).as_bytes())?;
    let presets = dir.join(PRESETS_DIR);
    fsutil::create_dir_durable(&presets)?;
    for (name, text) in PRESETS {
        let path = presets.join(format!("{name}.toml"));
        if !path.exists() {
            fsutil::write_atomic(&path, text.as_bytes())?;
        }
    }

    session
        .printer
        .success(&format!("Created {}", config_path.display()));
    if org.name == PLACEHOLDER_NAME || org.status_url == PLACEHOLDER_URL {
        session.printer.warn(
            "the organisation's name or status page is still the example's: the checks report it as an error until `[org]` in incident.toml says yours",
        );
    }
    session
        .printer
        .status("  Next: review severities, components and targets in it, then `incident open`.");
    if !is_in_git(&dir) {
        session
            .printer
            .status("  Tip: keep this folder in git (`git init`) so responders share incidents.");
    }
    Ok(())
}

/// The `[org]` answers written into the scaffold.
struct Org {
    name: String,
    timezone: String,
    status_url: String,
}

/// Takes each answer from its flag, else asks on a terminal (the example's value is the
/// default), else keeps the example's.
fn answers(args: &InitArgs, session: &Session) -> Result<Org, CommandError> {
    let check_name = |text: &str| -> Result<(), String> {
        if text.trim().is_empty() {
            Err("the name is empty".to_string())
        } else {
            Ok(())
        }
    };
    let check_zone = |text: &str| -> Result<(), String> {
        text.trim().parse::<chrono_tz::Tz>().map(drop).map_err(|_| {
            format!("`{text}` is not an IANA time zone (like `Europe/Berlin` or `UTC`)")
        })
    };
    let check_url = |text: &str| -> Result<(), String> {
        let text = text.trim();
        if text.starts_with("https://") || text.starts_with("http://") {
            Ok(())
        } else {
            Err(format!("`{text}` is not an http(s) address"))
        }
    };
    let ask = |given: &Option<String>,
               question: Question,
               default: &str,
               check: &dyn Fn(&str) -> Result<(), String>|
     -> Result<String, CommandError> {
        let answer = match given {
            Some(given) => given.trim().to_string(),
            None => session
                .prompter
                .text(question, Some(default), true, |text| check(text))?,
        };
        check(&answer)
            .map_err(|message| CommandError::usage(format!("`{}`: {message}", question.flag)))?;
        Ok(answer)
    };
    Ok(Org {
        name: ask(
            &args.org,
            Question {
                prompt: "Organisation name",
                guidance: "As the public knows it; every draft names it.",
                flag: "--org",
            },
            PLACEHOLDER_NAME,
            &check_name,
        )?,
        timezone: ask(
            &args.timezone,
            Question {
                prompt: "Time zone",
                guidance: "IANA name; times are asked for and shown in it, with UTC beside them.",
                flag: "--timezone",
            },
            PLACEHOLDER_ZONE,
            &check_zone,
        )?,
        status_url: ask(
            &args.status_url,
            Question {
                prompt: "Status page address",
                guidance: "Where people look for news; every draft links it.",
                flag: "--status-url",
            },
            PLACEHOLDER_URL,
            &check_url,
        )?,
    })
}

/// The scaffold with the `[org]` answers in place of the example's, TOML-quoted.
fn scaffold(org: &Org) -> String {
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    SCAFFOLD
        .replacen(
            &format!("name = {}", quoted(PLACEHOLDER_NAME)),
            &format!("name = {}", quoted(&org.name)),
            1,
        )
        .replacen(
            &format!("timezone = {}", quoted(PLACEHOLDER_ZONE)),
            &format!("timezone = {}", quoted(&org.timezone)),
            1,
        )
        .replacen(
            &format!("status_url = {}", quoted(PLACEHOLDER_URL)),
            &format!("status_url = {}", quoted(&org.status_url)),
            1,
        )
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
