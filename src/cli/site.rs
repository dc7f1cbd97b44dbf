//! `incident site build`: write the static status site from the record.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::session::Session;
use crate::error::CommandError;
use crate::vocab::plural;

/// Build the static status site: pages, Atom feed, JSON Feed and status.json
#[derive(Debug, Args)]
pub struct SiteArgs {
    #[command(subcommand)]
    command: SiteCommand,
}

#[derive(Debug, Subcommand)]
enum SiteCommand {
    Build(BuildArgs),
}

/// Write the status site from the record: an index, one page per incident with its timeline,
/// history.html, feed.xml (Atom), feed.json (JSON Feed), status.json and style.css
#[derive(Debug, Args)]
struct BuildArgs {
    /// Write the site into this folder (default: `site/` next to incident.toml)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(args: SiteArgs, session: &Session) -> Result<(), CommandError> {
    match args.command {
        SiteCommand::Build(args) => build(args, session),
    }
}

fn build(args: BuildArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let out = args.out.unwrap_or_else(|| config.root().join("site"));
    let built = crate::site::build(&config, &out, session.clock.now())?;
    session.warn_skipped(&built.warnings);
    for problem in &built.skipped {
        session
            .printer
            .warn(&format!("{problem}; left out of the site"));
    }
    if session.printer.json_mode() {
        return session.printer.json(&built);
    }
    let shown = built.out.strip_prefix(&session.cwd).unwrap_or(&built.out);
    session.printer.success(&format!(
        "Built the status site in `{}`: {} ({} open), {} in the feeds; {} written, {} unchanged",
        shown.display(),
        plural(built.incidents, "incident"),
        built.open,
        plural(built.feed_entries, "update"),
        plural(built.written, "file"),
        built.unchanged,
    ));
    Ok(())
}
