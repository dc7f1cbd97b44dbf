//! `incident publish`: send an update to every target that receives its stage.

use std::collections::BTreeMap;
use std::io::IsTerminal;

use clap::Args;
use serde::Serialize;

use super::output::{describe, table};
use super::progress::Progress;
use super::prompt::Question;
use super::session::Session;
use super::session::{pick_update, routed_drafts};
use crate::config::{Config, Target};
use crate::error::CommandError;
use crate::lint::Linter;
use crate::playbook::Level;
use crate::publish::Secrets;
use crate::publish::engine::{Job, Outcome, Publishing};
use crate::publish::run::{Plan, Run, outcome_of};
use crate::publish::{Context, Http, text_hash};
use crate::record::{ApprovalState, Incident, PublishAction, Store, Update};
use crate::render::Draft;
use crate::vocab::Channel;
use crate::vocab::did_you_mean;

/// Publish an update to its targets: at most once each, failures recorded and retried
///
/// Each target receives the drafts of its channel for the stages it lists. A re-run skips
/// what was published, retries what failed, and edits in place what changed since.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Update number (default: the latest)
    #[arg(long = "update", value_name = "N")]
    update: Option<usize>,
    /// Only this target (repeatable)
    #[arg(long = "target", value_name = "T")]
    targets: Vec<String>,
    /// Print the exact requests, secrets redacted, and send nothing
    #[arg(long)]
    dry_run: bool,
    /// Publish without asking (needed when there is no terminal)
    #[arg(long, short = 'y')]
    yes: bool,
    /// Publish despite error-level findings of the checks
    #[arg(long)]
    force: bool,
    /// Send again where an interrupted try may already have arrived
    #[arg(long)]
    resend: bool,
}

/// One row of the summary, and of `--json`.
#[derive(Debug, Serialize)]
struct Row {
    target: String,
    kind: String,
    channel: Channel,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<PublishAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tries: Option<u32>,
    /// The exact request, secrets redacted (dry runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<String>,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    incident: &'a str,
    update: usize,
    dry_run: bool,
    targets: &'a [Row],
}

pub fn run(args: PublishArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, &args.id)?;
    let seq = pick_update(&incident, args.update)?;
    let update = &incident.updates[seq - 1];
    let targets = select_targets(&config, update, &args.targets)?;
    if targets.is_empty() {
        session.printer.status(&format!(
            "No target receives the `{}` stage; nothing to publish.",
            update.stage
        ));
        return Ok(());
    }

    // Every selected target is routed, so the routed drafts hold each one's channel; the
    // checks see the same drafts that go out.
    let routed = routed_drafts(&config, &incident, seq)?;
    let overridden = check_findings(session, &config, &incident, seq, &routed, &args)?;
    let drafts: BTreeMap<Channel, Draft> = routed
        .into_iter()
        .map(|draft| (draft.channel, draft))
        .collect();
    if !args.dry_run {
        check_approvals(&incident, update, &targets, &drafts)?;
    }

    let secrets = Secrets::new(args.dry_run);
    let run = Run::plan(
        &config,
        update,
        targets,
        &drafts,
        &overridden,
        &secrets,
        args.resend,
    );

    if args.dry_run {
        let rows = dry_run_rows(session, &config, &incident, update, &run, &secrets);
        return report(session, &incident, seq, true, &rows);
    }
    if !run.jobs.is_empty() && !args.yes {
        confirm(session, &incident, update, &run.jobs)?;
    }

    let context = Context {
        http: Http::new().map_err(|error| CommandError::usage(error.to_string()))?,
        clock: session.clock,
    };
    let author = session.author(config.root());
    let publishing = Publishing {
        config: &config,
        store: &store,
        incident: &incident,
        update,
        author: &author,
        context: &context,
        secrets: &secrets,
    };
    let progress = Progress::new(
        &session.printer,
        std::io::stderr().is_terminal(),
        run.jobs.iter().map(|job| job.target.name.as_str()),
    );
    let outcomes = run.send(&publishing, |job, outcome| {
        progress.finished(&job.target.name, outcome)
    })?;
    progress.clear();
    let rows: Vec<Row> = run
        .rows()
        .map(|(target, plan, job)| row_after(&incident, update, target, plan, job, &outcomes))
        .collect();
    for outcome in &outcomes {
        if let Some(error) = &outcome.record_error {
            session.printer.warn(&format!(
                "the result for `{}` could not be recorded: {error}",
                outcome.target
            ));
        }
    }
    report(session, &incident, seq, false, &rows)?;
    let failed: Vec<&str> = rows
        .iter()
        .filter(|row| matches!(row.state, "failed" | "uncertain"))
        .map(|row| row.target.as_str())
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let error = CommandError::remote(format!(
        "{} of {} targets did not get update {seq}: {}",
        failed.len(),
        rows.len(),
        failed.join(", ")
    ))
    .hint(format!(
        "failures are recorded; `incident publish {} --update {seq}` retries them",
        incident.id
    ));
    // The first failure's own error is the cause; the table above lists every one.
    let first = outcomes.iter().find_map(|outcome| {
        outcome.result.as_ref().err().map(|error| TargetFailed {
            target: outcome.target.clone(),
            error: error.clone(),
        })
    });
    Err(match first {
        Some(failed) => error.because(failed),
        None => error,
    })
}

/// One target's failure, as the cause of a publish that did not reach every target.
#[derive(Debug, thiserror::Error)]
#[error("`{target}`: {error}")]
struct TargetFailed {
    target: String,
    error: crate::publish::PublishError,
}

/// The targets that receive the update's stage, narrowed to `--target` names.
fn select_targets<'a>(
    config: &'a Config,
    update: &Update,
    names: &[String],
) -> Result<Vec<&'a Target>, CommandError> {
    let routed: Vec<&Target> = config
        .targets
        .iter()
        .filter(|target| target.receives(&update.stage))
        .collect();
    if names.is_empty() {
        return Ok(routed);
    }
    let mut chosen = Vec::new();
    for name in names {
        let Some(target) = config.target(name) else {
            let guess = did_you_mean(
                name,
                config.targets.iter().map(|target| target.name.as_str()),
            );
            let error = CommandError::usage(format!("no target `{name}` in `incident.toml`"));
            return Err(match guess {
                Some(guess) => error.hint(format!("did you mean `{guess}`?")),
                None => error,
            });
        };
        if !routed.iter().any(|routed| routed.name == target.name) {
            return Err(CommandError::usage(format!(
                "target `{name}` does not receive the `{}` stage",
                update.stage
            ))
            .hint("its `stages` in `incident.toml` say which stages it receives"));
        }
        if !chosen.iter().any(|seen: &&Target| seen.name == target.name) {
            chosen.push(target);
        }
    }
    Ok(chosen)
}

/// Stops on error-level findings unless `--force` (a dry run only shows them). Returns the
/// error-level findings `--force` overrides, to be recorded with the publications.
fn check_findings(
    session: &Session,
    config: &Config,
    incident: &Incident,
    seq: usize,
    drafts: &[Draft],
    args: &PublishArgs,
) -> Result<Vec<String>, CommandError> {
    let findings = Linter::new(config).lint(incident, seq, drafts);
    if !findings.is_empty() && !session.printer.json_mode() {
        session
            .printer
            .status_styled(describe(&findings, true).trim_end());
    }
    let errors: Vec<String> = findings
        .iter()
        .filter(|finding| finding.level == Level::Error)
        .map(|finding| {
            let place = finding.channel.map_or("record", Channel::name);
            format!("{} ({place}): {}", finding.rule, finding.message)
        })
        .collect();
    if errors.is_empty() || args.dry_run {
        return Ok(Vec::new());
    }
    if args.force {
        return Ok(errors);
    }
    Err(CommandError::findings(format!(
        "update {seq} of {} has error-level findings; nothing was published",
        incident.id
    ))
    .hint("fix the drafts (`incident edit`), or pass `--force` to publish them anyway"))
}

/// Refuses targets that require approval when the texts they would get are not approved.
fn check_approvals(
    incident: &Incident,
    update: &Update,
    targets: &[&Target],
    drafts: &BTreeMap<Channel, Draft>,
) -> Result<(), CommandError> {
    for target in targets.iter().filter(|target| target.require_approval) {
        let hash = text_hash(&drafts[&target.channel].plain());
        let why = match update.approval_of(target.channel, &hash) {
            ApprovalState::Approved => continue,
            ApprovalState::NotApproved => "is not approved",
            ApprovalState::Changed => "changed since it was approved",
        };
        return Err(CommandError::usage(format!(
            "update {} of {} {why}, and target `{}` requires approval",
            update.seq, incident.id, target.name
        ))
        .hint(format!(
            "review it with `incident render {0} --update {1}`, then `incident approve {0} --update {1}`",
            incident.id, update.seq
        )));
    }
    Ok(())
}

fn confirm(
    session: &Session,
    incident: &Incident,
    update: &Update,
    jobs: &[Job],
) -> Result<(), CommandError> {
    let printer = &session.printer;
    if session.prompter.is_interactive() {
        printer.heading(&format!(
            "Publish update {} ({}) of {} to:",
            update.seq, update.stage, incident.id
        ));
        for job in jobs {
            let action = match job.action {
                PublishAction::Create => "new post",
                PublishAction::Edit => "edit in place",
            };
            printer.status(&format!(
                "  {}  ({}, {})  {action}",
                job.target.name, job.target.kind, job.target.channel
            ));
        }
    }
    let yes = session.prompter.confirm(Question {
        prompt: "Publish now?",
        guidance: "Once sent, a post cannot be taken back everywhere.",
        flag: "--yes",
    })?;
    if yes {
        Ok(())
    } else {
        Err(CommandError::usage("not published"))
    }
}

fn dry_run_rows(
    session: &Session,
    config: &Config,
    incident: &Incident,
    update: &Update,
    run: &Run,
    secrets: &Secrets,
) -> Vec<Row> {
    run.rows()
        .map(|(target, plan, job)| {
            let mut row = row(target, plan_state(plan));
            match (plan, job) {
                (Plan::Send { .. }, Some(job)) => {
                    row.action = Some(job.action);
                    let now = session.clock.current();
                    match Run::preview(job, config, incident, update, now, secrets) {
                        Ok(request) => row.request = Some(request),
                        Err(error) => {
                            row.state = "cannot publish";
                            row.error = Some(error.to_string());
                        }
                    }
                }
                (Plan::Done { url } | Plan::CannotEdit { url }, _) => row.url = url.clone(),
                (Plan::Uncertain, _) => {
                    row.error = Some(uncertain_error(incident, update, target));
                }
                (Plan::Send { .. }, None) => {}
            }
            row
        })
        .collect()
}

fn row_after(
    incident: &Incident,
    update: &Update,
    target: &Target,
    plan: &Plan,
    job: Option<&Job>,
    outcomes: &[Outcome],
) -> Row {
    let mut row = row(target, plan_state(plan));
    match (plan, job) {
        (Plan::Send { .. }, Some(job)) => {
            row.action = Some(job.action);
            match outcome_of(outcomes, target).map(|outcome| (&outcome.result, outcome.tries)) {
                Some((Ok(remote), tries)) => {
                    row.state = match job.action {
                        PublishAction::Create => "published",
                        PublishAction::Edit => "edited",
                    };
                    row.url = remote.url.clone();
                    row.tries = Some(tries);
                }
                Some((Err(error), tries)) => {
                    row.state = "failed";
                    row.error = Some(error.to_string());
                    row.tries = Some(tries);
                }
                None => row.state = "failed",
            }
        }
        (Plan::Done { url } | Plan::CannotEdit { url }, _) => row.url = url.clone(),
        (Plan::Uncertain, _) => row.error = Some(uncertain_error(incident, update, target)),
        (Plan::Send { .. }, None) => row.state = "failed",
    }
    row
}

fn row(target: &Target, state: &'static str) -> Row {
    Row {
        target: target.name.clone(),
        kind: target.kind.to_string(),
        channel: target.channel,
        state,
        action: None,
        url: None,
        error: None,
        tries: None,
        request: None,
    }
}

fn plan_state(plan: &Plan) -> &'static str {
    match plan {
        Plan::Send { why: "edit", .. } => "will edit",
        Plan::Send { why: "retry", .. } => "will retry",
        Plan::Send { why: "resend", .. } => "will resend",
        Plan::Send { .. } => "will post",
        Plan::Done { .. } => "already published",
        Plan::CannotEdit { .. } => "published; cannot edit",
        Plan::Uncertain => "uncertain",
    }
}

fn uncertain_error(incident: &Incident, update: &Update, target: &Target) -> String {
    format!(
        "an interrupted try may already have reached it, and {} cannot tell; check, then `incident publish {} --update {} --target {} --resend` if it is not there",
        target.kind, incident.id, update.seq, target.name
    )
}

fn report(
    session: &Session,
    incident: &Incident,
    seq: usize,
    dry_run: bool,
    rows: &[Row],
) -> Result<(), CommandError> {
    if session.printer.json_mode() {
        return session.printer.json(&Report {
            incident: &incident.id,
            update: seq,
            dry_run,
            targets: rows,
        });
    }
    let mut text = String::new();
    if dry_run {
        for row in rows {
            let heading = format!(
                "── {} ({}, {}): {} ",
                row.target, row.kind, row.channel, row.state
            );
            text.push_str(&format!("{heading:─<72}\n"));
            if let Some(request) = &row.request {
                text.push_str(request);
                if !request.ends_with('\n') {
                    text.push('\n');
                }
            }
            if let Some(url) = &row.url {
                text.push_str(&format!("at {url}\n"));
            }
            if let Some(error) = &row.error {
                text.push_str(&format!("{error}\n"));
            }
            text.push('\n');
        }
        text.push_str("Dry run: nothing was sent.\n");
        return session.printer.out(&text);
    }
    let header = ["TARGET", "KIND", "STATE", "URL OR ERROR"].map(String::from);
    let table_rows: Vec<[String; 4]> = rows
        .iter()
        .map(|row| {
            [
                row.target.clone(),
                row.kind.clone(),
                row.state.to_string(),
                row.url
                    .clone()
                    .or_else(|| row.error.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    session.printer.out(&table(&header, &table_rows))
}
