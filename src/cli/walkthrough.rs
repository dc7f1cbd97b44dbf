//! What a person sees after each stage: what was recorded, the drafts that will go out for
//! it and what the checks found in them, so nothing is published unseen.

use super::output::{describe, sections, summary};
use super::session::{Session, routed_drafts};
use crate::config::Config;
use crate::error::CommandError;
use crate::lint::{Linter, Tally};
use crate::record::{Event, Incident, Loaded};
use crate::time;

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
        session
            .printer
            .status_styled(describe(&findings, true).trim_end());
    }
    if !drafts.is_empty() {
        session.printer.status(&format!(
            "\nChange a draft with `incident edit {} --channel CHANNEL`.",
            incident.id
        ));
    }
    // Recording is not sending: say so, and how to send, every time.
    if let Some(missing) = incident
        .unpublished(&config.targets)
        .into_iter()
        .find(|missing| missing.seq == seq)
    {
        session.printer.heading(&format!(
            "\nNot published: update {seq} is recorded, but nothing was sent to {}.",
            missing.targets.join(", ")
        ));
        session.printer.status(&format!(
            "Send it with `incident publish {}` (it asks before sending; `--yes` does not).",
            incident.id
        ));
    }
}

/// Prints what was recorded: the incident as JSON with `--json`, else a status line.
pub fn report_update(
    session: &Session,
    config: &Config,
    id: &str,
    mut loaded: Loaded,
    event: Event,
) -> Result<(), CommandError> {
    let event_id = event.id.clone();
    loaded.events.push(event);
    loaded
        .events
        .sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let incident = Incident::fold(id, &loaded.events)?;
    if session.printer.json_mode() {
        session.printer.json(&incident)?;
    }
    let update = incident
        .updates
        .iter()
        .find(|update| update.event_id == event_id)
        .expect("the appended event carries an update");
    session.printer.success(&format!(
        "Recorded update {} of {}: {} ({})",
        update.seq, id, update.stage, update.status
    ));
    if let Some(next) = incident.next_update_at {
        session.printer.status(&format!(
            "  Next update promised by {}.",
            time::local_with_utc(next, config.org.timezone)
        ));
    }
    review(session, config, &incident, update.seq);
    Ok(())
}
