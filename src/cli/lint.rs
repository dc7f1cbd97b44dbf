//! `incident lint`: check an update's drafts against the playbook's rules.

use clap::Args;
use serde::Serialize;

use super::output::{describe, summary};
use super::session::{Session, store_of};
use super::session::{pick_update, routed_drafts};
use crate::error::CommandError;
use crate::lint::{Finding, Linter, Tally};

/// Check an update's drafts: what they say, what they leave out, and the record's promises
///
/// Exits 1 when any error-level finding exists. Rules are changed in `[playbook.rules.ID]`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Update number (default: the latest)
    #[arg(long = "update", value_name = "N")]
    update: Option<usize>,
}

/// `lint --json`.
#[derive(Debug, Serialize)]
struct Report<'a> {
    incident: &'a str,
    update: usize,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

pub fn run(args: LintArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = store_of(&config, &args.id);
    let incident = session.load_incident(&store, &args.id)?;
    let seq = pick_update(&incident, args.update)?;
    let drafts = routed_drafts(&config, &incident, seq)?;
    let findings = Linter::new(&config).lint(&incident, seq, &drafts);
    let tally = Tally::of(&findings);
    if session.printer.json_mode() {
        session.printer.json(&Report {
            incident: &incident.id,
            update: seq,
            errors: tally.errors,
            warnings: tally.warnings,
            findings: &findings,
        })?;
    } else if findings.is_empty() {
        session
            .printer
            .success(&format!("No findings in update {seq} of {}.", incident.id));
    } else {
        session.printer.out_styled(&describe(&findings, false))?;
        if tally.errors == 0 {
            session.printer.status(&summary(tally));
        }
    }
    if tally.errors > 0 {
        return Err(CommandError::findings(format!(
            "update {seq} of {} has {}",
            incident.id,
            crate::vocab::plural(tally.errors, "error-level finding")
        ))
        .hint(format!(
            "fix the text (`incident edit {} --channel CH`, or a new update), or change the rule in `[playbook.rules.ID]`",
            incident.id
        )));
    }
    Ok(())
}
