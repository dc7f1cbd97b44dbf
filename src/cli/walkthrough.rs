//! What a person sees after each stage: what was recorded, the drafts that will go out for
//! it and what the checks found in them, so nothing is published unseen.

use super::output::{describe, sections, summary};
use super::prompt::Question;
use super::publishing;
use super::session::{Session, routed_drafts};
use crate::config::Config;
use crate::error::CommandError;
use crate::lint::{Finding, Linter, Tally};
use crate::playbook::{Level, Rule};
use crate::record::{Event, Incident, Loaded, Store};
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
    let channels = crate::publish::routing::channels(config, incident, update);
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
}

/// Prints what was recorded: the incident as JSON with `--json`, else a status line.
pub fn report_update(
    session: &Session,
    config: &Config,
    id: &str,
    loaded: Loaded,
    event: Event,
    publish_now: bool,
) -> Result<(), CommandError> {
    let (incident, seq) = with_event(id, loaded.events, event)?;
    if session.printer.json_mode() {
        session.printer.json(&incident)?;
    }
    let update = &incident.updates[seq - 1];
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
    review(session, config, &incident, seq);
    publishing::offer(session, config, &incident, seq, publish_now)
}

/// Checks the drafts an update would have before it is written, and returns the message to
/// record: an error recorded is public once published, and a resolved incident cannot be
/// mended after. On a terminal the person edits the message (`ask_again`, offered the
/// current one) until the errors are gone, or records anyway; without one the update is
/// refused (exit 1) unless `force`. `candidate` builds the event from the record as read and
/// a message; the record is read once for every round.
pub fn checked_message(
    session: &Session,
    config: &Config,
    id: &str,
    force: bool,
    mut message: String,
    candidate: impl Fn(&Loaded, &str) -> Event,
    ask_again: impl Fn(&str) -> Result<String, CommandError>,
) -> Result<String, CommandError> {
    let loaded = Store::new(config.incidents_dir()).read(id)?;
    loop {
        let event = candidate(&loaded, &message);
        let (incident, seq) = with_event(id, loaded.events.clone(), event)?;
        // A template that does not render is reported after recording, as it always was.
        let Ok(drafts) = routed_drafts(config, &incident, seq) else {
            return Ok(message);
        };
        let (errors, _) = mendable_findings(config, &incident, seq, &drafts);
        if errors.is_empty() {
            return Ok(message);
        }
        let count = crate::vocab::plural(errors.len(), "error-level finding");
        if force {
            session.printer.warn(&format!(
                "recording update {seq} with {count} (`--force`); `incident publish` stops on them too"
            ));
            return Ok(message);
        }
        show_before_recording(session, &format!("update {seq}"), &count, &errors);
        if !session.prompter.is_interactive() {
            return Err(CommandError::findings(format!(
                "update {seq} of {id} would have {count}; nothing was recorded"
            ))
            .hint("change the text (`--message`) or answer what the checks ask (`--field`), or pass `--force` to record it anyway"));
        }
        let choice = session.prompter.select(
            Question {
                prompt: "What now?",
                guidance: "",
                flag: "--force",
            },
            &[
                "Edit the message".to_string(),
                "Record anyway (publishing will stop on these until fixed or forced)".to_string(),
            ],
            0,
        )?;
        if choice != 0 {
            return Ok(message);
        }
        let edited = ask_again(&message)?;
        // Enter at the prompt keeps the text: say so, or the same findings look like a hang.
        if edited == message {
            session
                .printer
                .status("The message is unchanged, so the checks find the same.");
        }
        message = edited;
    }
}

/// Folds the record with `event` added in its place in time, and returns the incident and
/// the number of the update the event carries.
fn with_event(
    id: &str,
    mut events: Vec<Event>,
    event: Event,
) -> Result<(Incident, usize), CommandError> {
    let event_id = event.id.clone();
    events.push(event);
    events.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let incident = Incident::from_events(id, events)?;
    let seq = incident
        .updates
        .iter()
        .find(|update| update.event_id == event_id)
        .map(|update| update.seq)
        .expect("the event carries an update");
    Ok((incident, seq))
}

/// The findings of update `seq` of `incident` (drafted as `drafts`) that its own words can
/// mend, as errors (which stop it being recorded) and warnings.
pub fn mendable_findings(
    config: &Config,
    incident: &Incident,
    seq: usize,
    drafts: &[crate::render::Draft],
) -> (Vec<Finding>, Vec<Finding>) {
    Linter::new(config)
        .lint(incident, seq, drafts)
        .into_iter()
        .filter(|finding| fixed_by_the_update(finding.rule))
        .partition(|finding| finding.level == Level::Error)
}

/// Shows the errors that keep `what` ("update 3", "the notice") from being recorded.
pub fn show_before_recording(session: &Session, what: &str, count: &str, errors: &[Finding]) {
    if session.printer.json_mode() {
        return;
    }
    session
        .printer
        .heading(&format!("\nChecks before recording {what}: {count}"));
    session
        .printer
        .status_styled(describe(errors, true).trim_end());
}

/// Whether what the update says can mend a finding of `rule`. A lost edit is mended by
/// editing the recorded update's draft, and a placeholder in `incident.toml`; `publish`
/// still stops on both.
fn fixed_by_the_update(rule: Rule) -> bool {
    !matches!(rule, Rule::EditLost | Rule::Placeholder)
}
