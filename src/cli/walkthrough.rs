//! What a person sees after each stage: the drafts that will go out for it and what the
//! checks found in them, so nothing is published unseen.

use super::Session;
use super::lint::{describe, routed_drafts, summary};
use super::render::sections;
use crate::config::Config;
use crate::lint::{Linter, Tally};
use crate::record::Incident;

/// Prints the drafts of update `seq` and the checks' findings on stderr (not with `--json` or `-q`). The update is
/// already recorded, so a template problem is a warning here, not a failure.
pub fn review(session: &Session, config: &Config, incident: &Incident, seq: usize) {
    if session.printer.json_mode() || session.printer.is_quiet() {
        return;
    }
    let Some(update) = incident.updates.get(seq - 1) else {
        return;
    };
    let channels = config.routed_channels(&update.stage);
    if channels.is_empty() {
        session.printer.status(&format!(
            "No target receives the `{}` stage; nothing will be published for it.",
            update.stage
        ));
    }
    let drafts = match routed_drafts(config, incident, seq) {
        Ok(drafts) => drafts,
        Err(error) => {
            session
                .printer
                .warn(&format!("the drafts could not be rendered: {error}"));
            return;
        }
    };
    if !drafts.is_empty() {
        session
            .printer
            .heading(&format!("\nDrafts of update {seq} (what will go out):"));
        session.printer.status(sections(&drafts).trim_end());
    }
    let findings = Linter::new(config).lint(incident, seq, &drafts);
    if findings.is_empty() {
        session.printer.success("The checks found nothing to fix.");
    } else {
        let tally = Tally::of(&findings);
        session
            .printer
            .heading(&format!("\nChecks: {}", summary(tally)));
        session.printer.status(describe(&findings, true).trim_end());
    }
    if !drafts.is_empty() {
        session.printer.status(&format!(
            "\nChange a draft with `incident edit {} --channel CHANNEL`.",
            incident.id
        ));
    }
}
