//! Publishing one update, shared by `incident publish` and the walk-through's last step:
//! the checks, approvals and plan, the sending, and the report of what each target got.

use std::collections::BTreeMap;
use std::io::IsTerminal;

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
use crate::publish::run::{Plan, Run, hold, live_publisher, outcome_of};
use crate::publish::{Context, Http, text_hash};
use crate::record::lock::host_name;
use crate::record::revision::is_revision;
use crate::record::{ApprovalState, Holder, Incident, PublishAction, PublishLock, Store, Update};
use crate::render::Draft;
use crate::vocab::Channel;
use crate::vocab::did_you_mean;

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

/// What `--json` says when `--no-wait` left the update to the publisher already running.
#[derive(Debug, Serialize)]
struct Deferred<'a> {
    incident: &'a str,
    deferred: bool,
    held_by: Option<&'a Holder>,
}

/// What to publish, and how: the options of `incident publish`, also used by the walk-through
/// when a person says yes at the end of a stage.
#[derive(Debug, Default)]
pub struct Request<'a> {
    /// Incident id, or a unique prefix of it.
    pub id: &'a str,
    /// Update number (default: the latest).
    pub update: Option<usize>,
    /// Only these targets.
    pub targets: &'a [String],
    pub dry_run: bool,
    /// The person already said yes (or `--yes`): publish without asking.
    pub confirmed: bool,
    pub force: bool,
    pub resend: bool,
    pub no_wait: bool,
    /// Report on stderr, as text: stdout already holds what the command that recorded the
    /// update printed (an id, or its JSON).
    pub aside: bool,
}

/// Publishes one update to every target that receives its stage: checks, approvals, the
/// plan, the sending, and the report.
pub fn publish(session: &Session, config: &Config, args: &Request) -> Result<(), CommandError> {
    let store = super::session::store_of(config, args.id);
    let id = store.resolve(args.id)?;
    let author = session.author(config.root());
    // A dry run sends nothing and records nothing, so it neither waits nor blocks anyone.
    let lock = if args.dry_run {
        None
    } else {
        match take_lock(session, &store, &id, &author, args.no_wait)? {
            Some(lock) => Some(lock),
            None => return Ok(()),
        }
    };
    // Read under the lock: what another publisher recorded before it let go is planned from.
    let incident = session.load_incident(&store, &id)?;
    let seq = pick_update(&incident, args.update)?;
    let update = &incident.updates[seq - 1];
    if config.targets.is_empty() {
        return Err(CommandError::usage(format!(
            "`{}` defines no targets, so there is nowhere to publish",
            config.path.display()
        ))
        .hint("add a `[targets.NAME]` table with a `kind` (`incident init` writes an example; the README lists every kind)"));
    }
    let targets = select_targets(config, &incident, update, args.targets)?;
    if targets.is_empty() && is_revision(update) {
        session.printer.status(&format!(
            "No target shows text that update {seq} changes; nothing to mend."
        ));
        return Ok(());
    }
    if targets.is_empty() {
        session.printer.status(&format!(
            "No target receives the `{}` stage; nothing to publish.",
            update.stage
        ));
        session.printer.hint(&format!(
            "a target receives a stage when its `stages` list names it (or it has no `stages`); add `{}` to one",
            update.stage
        ));
        return Ok(());
    }

    // Every selected target is routed, so the routed drafts hold each one's channel; the
    // checks see the same drafts that go out.
    let routed = routed_drafts(config, &incident, seq)?;
    let overridden = check_findings(session, config, &incident, seq, &routed, args)?;
    let drafts: BTreeMap<Channel, Draft> = routed
        .into_iter()
        .map(|draft| (draft.channel, draft))
        .collect();
    if !args.dry_run {
        check_approvals(&incident, update, &targets, &drafts)?;
    }

    let secrets = Secrets::new(args.dry_run);
    let run = Run::plan(
        config,
        &incident,
        update,
        targets,
        &drafts,
        &overridden,
        &secrets,
        args.resend,
    );

    let Some(lock) = lock else {
        if let Some(holder) = live_publisher(&store, &incident.id)? {
            session.printer.status(&format!(
                "Another publish of {} is running{}; what it has in flight may still finish.",
                incident.id,
                holder
                    .map(|holder| format!(" ({holder})"))
                    .unwrap_or_default()
            ));
        }
        let rows = dry_run_rows(session, config, &incident, update, &run, &secrets);
        return report(session, &incident, seq, true, &rows, args.aside);
    };
    if !run.jobs.is_empty() && !args.confirmed && !confirm(session, &incident, update, &run.jobs)? {
        // Declining is an answer, not a failure: say what stays unsent.
        say_unsent(session, config, &incident, seq);
        return Ok(());
    }

    let context = Context {
        http: Http::new().map_err(|error| CommandError::usage(error.to_string()))?,
        clock: session.clock,
    };
    let publishing = Publishing {
        config,
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
    let outcomes = run.send(&publishing, &lock, |job, outcome| {
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
    report(session, &incident, seq, false, &rows, args.aside)?;
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
    let error = if rows.iter().any(|row| row.state == "uncertain") {
        error.hint(
            "an uncertain target is not sent again until a person checks it and says `--resend`",
        )
    } else {
        error
    };
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

/// Takes the incident's publish lock, waiting for another publisher unless `no_wait`.
/// Returns `None` when `no_wait` left it to the running publisher, having said so.
fn take_lock(
    session: &Session,
    store: &Store,
    id: &str,
    author: &str,
    no_wait: bool,
) -> Result<Option<PublishLock>, CommandError> {
    let holder = || Holder::this_process(author, &host_name(), session.clock.current());
    let who = |other: Option<&Holder>| match other {
        Some(other) => format!("held by {other}"),
        None => "its holder has not said who it is yet".to_string(),
    };
    let held = hold(store, id, holder, !no_wait, |other| {
        session.printer.status(&format!(
            "Waiting for another publish of {id} to finish ({})…",
            who(other)
        ));
    })?;
    match held {
        Ok(lock) => Ok(Some(lock)),
        Err(other) => {
            if session.printer.json_mode() {
                session.printer.json(&Deferred {
                    incident: id,
                    deferred: true,
                    held_by: other.as_ref(),
                })?;
            }
            session.printer.warn(&format!(
                "left to the publish of {id} already running ({}); this run sent nothing",
                who(other.as_ref())
            ));
            Ok(None)
        }
    }
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
    incident: &Incident,
    update: &Update,
    names: &[String],
) -> Result<Vec<&'a Target>, CommandError> {
    let routed = crate::publish::routing::receivers(config, incident, update);
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
    args: &Request,
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

/// Asks before sending, listing what would go where. Without a terminal this is an error
/// naming `--yes`.
fn confirm(
    session: &Session,
    incident: &Incident,
    update: &Update,
    jobs: &[Job],
) -> Result<bool, CommandError> {
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
    session.prompter.confirm(Question {
        prompt: "Publish now?",
        guidance: "Once sent, a post cannot be taken back everywhere.",
        flag: "--yes",
    })
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
                    // The request is shown with `$VAR` in place of what is unset; say it
                    // would not go out as it is.
                    let missing = secrets.missing_for(&target.name);
                    if !missing.is_empty() && row.error.is_none() {
                        row.error = Some(format!(
                            "{} not set here: a real publish would fail",
                            missing
                                .iter()
                                .map(|variable| format!("`{variable}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                                + if missing.len() == 1 { " is" } else { " are" }
                        ));
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
                Some((Err(error), tries)) if error.is_uncertain() => {
                    row.state = "uncertain";
                    row.error = Some(format!(
                        "{error}; check, then {} if it is not there",
                        resend_command(incident, update, target)
                    ));
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
        "an earlier try may already have reached it, and {} cannot tell; check, then {} if it is not there",
        target.kind,
        resend_command(incident, update, target)
    )
}

/// The command that sends an uncertain publication again, once a person has checked.
fn resend_command(incident: &Incident, update: &Update, target: &Target) -> String {
    format!(
        "`incident publish {} --update {} --target {} --resend`",
        incident.id, update.seq, target.name
    )
}

fn report(
    session: &Session,
    incident: &Incident,
    seq: usize,
    dry_run: bool,
    rows: &[Row],
    aside: bool,
) -> Result<(), CommandError> {
    if session.printer.json_mode() && !aside {
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
    let text = table(&header, &table_rows);
    if aside {
        session.printer.status(text.trim_end());
        return Ok(());
    }
    session.printer.out(&text)
}

/// The walk-through's last step, after an update is recorded and reviewed: with `--publish`,
/// publish it now; on a terminal, list the targets that receive it and ask (Enter is no);
/// otherwise, or on no, say what was not sent and the command that sends it.
pub fn offer(
    session: &Session,
    config: &Config,
    incident: &Incident,
    seq: usize,
    publish_now: bool,
) -> Result<(), CommandError> {
    let Some(update) = incident.updates.get(seq - 1) else {
        return Ok(());
    };
    let receiving = crate::publish::routing::receivers(config, incident, update);
    let request = Request {
        id: &incident.id,
        update: Some(seq),
        confirmed: true,
        aside: true,
        ..Request::default()
    };
    if publish_now {
        if receiving.is_empty() && is_revision(update) {
            session.printer.status(&format!(
                "No target shows text that update {seq} changes; nothing to mend."
            ));
            return Ok(());
        }
        if receiving.is_empty() {
            session.printer.status(&format!(
                "No target receives the `{}` stage; nothing to publish.",
                update.stage
            ));
            return Ok(());
        }
        return publish(session, config, &request);
    }
    if receiving.is_empty() || session.printer.json_mode() {
        return Ok(());
    }
    if !session.prompter.is_interactive() {
        say_unsent(session, config, incident, seq);
        return Ok(());
    }
    session
        .printer
        .heading(&format!("\nUpdate {seq} ({}) goes to:", update.stage));
    for target in &receiving {
        session.printer.status(&format!(
            "  {}  ({}, {}){}",
            target.name,
            target.kind,
            target.channel,
            if target.require_approval {
                "  needs approval first"
            } else {
                ""
            }
        ));
    }
    let prompt = format!(
        "Publish now to {}?",
        crate::vocab::plural(receiving.len(), "target")
    );
    let yes = session.prompter.confirm(Question {
        prompt: &prompt,
        guidance: "Enter keeps it recorded but unsent; once sent, a post cannot be taken back everywhere.",
        flag: "--publish",
    })?;
    if yes {
        publish(session, config, &request)
    } else {
        say_unsent(session, config, incident, seq);
        Ok(())
    }
}

/// Names the targets that receive update `seq` but have not got it, and the command that
/// sends it. Recording is not sending, so this is said every time something stays unsent.
pub fn say_unsent(session: &Session, config: &Config, incident: &Incident, seq: usize) {
    if session.printer.is_quiet() {
        return;
    }
    let Some(missing) = incident
        .unpublished(&config.targets)
        .into_iter()
        .find(|missing| missing.seq == seq)
    else {
        return;
    };
    session.printer.heading(&format!(
        "\nNot published: update {seq} of {} is recorded, but was not sent to {}.",
        incident.id,
        missing.targets.join(", ")
    ));
    let update = if seq == incident.updates.len() {
        String::new()
    } else {
        format!(" --update {seq}")
    };
    session.printer.status(&format!(
        "Send it with `incident publish {}{update}`.",
        incident.id
    ));
}
