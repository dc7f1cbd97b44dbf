//! `incident lint`: check an update's drafts against the playbook's rules.

use clap::Args;
use console::style;
use serde::Serialize;

use super::Session;
use super::render::pick_update;
use crate::config::Config;
use crate::error::CommandError;
use crate::lint::{Finding, Level, Linter, Tally};
use crate::record::{Incident, Store};
use crate::render::{Draft, RenderError, Renderer};

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
    let store = Store::new(config.incidents_dir());
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
        session.printer.out(&describe(&findings, false))?;
        if tally.errors == 0 {
            session.printer.status(&summary(tally));
        }
    }
    if tally.errors > 0 {
        return Err(CommandError::findings(format!(
            "update {seq} of {} has {}",
            incident.id,
            plural(tally.errors, "error-level finding")
        ))
        .hint(format!(
            "fix the text (`incident edit {} --channel CH`, or a new update), or change the rule in `[playbook.rules.ID]`",
            incident.id
        )));
    }
    Ok(())
}

/// Renders update `seq` for every channel a target receives it on.
pub fn routed_drafts(
    config: &Config,
    incident: &Incident,
    seq: usize,
) -> Result<Vec<Draft>, RenderError> {
    let renderer = Renderer::new(config);
    let stage = &incident.updates[seq - 1].stage;
    config
        .routed_channels(stage)
        .into_iter()
        .map(|channel| renderer.render(incident, seq, channel))
        .collect()
}

/// Returns findings for people: one line each, `level[rule] place: message`, and a hint;
/// colored for stderr or stdout.
pub fn describe(findings: &[Finding], for_stderr: bool) -> String {
    let paint = |text: String| {
        let styled = style(text);
        if for_stderr {
            styled.for_stderr()
        } else {
            styled
        }
    };
    let mut text = String::new();
    for finding in findings {
        let label = format!("{}[{}]", finding.level, finding.rule);
        let label = match finding.level {
            Level::Error => paint(label).red().bold(),
            Level::Warning => paint(label).yellow().bold(),
        };
        let mut place = finding
            .channel
            .map(|channel| channel.to_string())
            .unwrap_or_else(|| "record".to_string());
        if let Some(span) = &finding.span {
            place.push_str(&format!(":{}:{}", span.line, span.column));
        }
        text.push_str(&format!("{label} {place}: {}", finding.message));
        if !finding.also_in.is_empty() {
            let others: Vec<&str> = finding
                .also_in
                .iter()
                .map(|channel| channel.name())
                .collect();
            text.push_str(&format!(" (also in {})", others.join(", ")));
        }
        text.push_str(&format!(
            "\n  {} {}\n",
            paint("hint:".to_string()).cyan(),
            finding.hint
        ));
    }
    text
}

/// Returns "2 errors and 1 warning".
pub fn summary(tally: Tally) -> String {
    format!(
        "{} and {}",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    )
}

/// Returns "1 error" or "2 errors".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
