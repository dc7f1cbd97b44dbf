//! `incident presets`: the presets `incident open --preset NAME` can start from.

use clap::Args;

use super::output::table;
use super::session::Session;
use crate::error::CommandError;

/// List the presets `open --preset NAME` starts from
#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// Print the presets as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(args: PresetsArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let presets: Vec<_> = config.presets.values().collect();
    if args.json || session.printer.json_mode() {
        return session.printer.json(&presets);
    }
    if presets.is_empty() {
        session.printer.status(
            "No presets. Add `[presets.NAME]` to incident.toml or a file `presets/NAME.toml`.",
        );
        return Ok(());
    }
    let header = ["NAME", "SEVERITY", "TITLE", "WHAT FOR"].map(String::from);
    let rows: Vec<[String; 4]> = presets
        .iter()
        .map(|preset| {
            [
                preset.name.clone(),
                preset.severity.clone().unwrap_or_else(|| "-".to_string()),
                preset.title.clone().unwrap_or_else(|| "-".to_string()),
                preset.description.clone().unwrap_or_default(),
            ]
        })
        .collect();
    session.printer.out(&table(&header, &rows))?;
    session
        .printer
        .hint("`incident open --preset NAME --title \"…\"`; any flag overrides the preset");
    Ok(())
}
