//! `incident tick`: what time has made due, for cron or a CI schedule. It records the
//! reminders, automatic starts and completions of maintenance windows, publishes every
//! maintenance notice a target has not got, and reports overdue next-update promises.
//!
//! Each window is handled under its publish lock, so two ticks never work on one window at
//! once; what was recorded is decided again under the log's lock, and what was published is
//! decided by the publish plan from the record, so a tick run any number of times sends
//! each notice once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::output::{describe, table};
use super::session::{Session, load_summaries, load_window_records, routed_drafts};
use super::walkthrough::mendable_findings;
use crate::config::{Config, Target};
use crate::error::CommandError;
use crate::lint::Finding;
use crate::publish::engine::Publishing;
use crate::publish::run::{Plan, Run, hold};
use crate::publish::{Context, Http, Secrets};
use crate::record::lock::host_name;
use crate::record::maintenance::{self, Notice, Refused, Window};
use crate::record::{Holder, Incident, Store};
use crate::render::Draft;
use crate::time;
use crate::vocab::{Channel, plural};

#[derive(Debug, Args)]
pub struct TickArgs {
    /// Print what was done as JSON
    #[arg(long)]
    json: bool,
}

/// What one tick did.
#[derive(Debug, Default, Serialize)]
struct Report {
    /// Notices time made due and this tick recorded.
    recorded: Vec<Recorded>,
    /// Publications this tick sent, and how they ended.
    sent: Vec<Sent>,
    /// Notices the checks found errors in, not sent.
    held: Vec<Held>,
    /// Windows another tick or publish was working on, left to it.
    busy: Vec<String>,
    /// Open incidents whose next-update promise has passed.
    overdue: Vec<Overdue>,
}

#[derive(Debug, Serialize)]
struct Recorded {
    window: String,
    stage: &'static str,
}

#[derive(Debug, Serialize)]
struct Sent {
    window: String,
    update: usize,
    stage: String,
    target: String,
    published: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct Held {
    window: String,
    update: usize,
    stage: String,
    findings: Vec<Finding>,
}

#[derive(Debug, Serialize)]
struct Overdue {
    id: String,
    title: String,
    next_update_at: DateTime<Utc>,
    overdue_seconds: i64,
}

pub fn run(args: TickArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let now = session.clock.now();
    let author = session.author(config.root());
    let store = maintenance::store(&config.incidents_dir());
    let mut report = Report::default();
    for (window, _) in load_window_records(session, &config)? {
        let holder = || Holder::this_process(&author, &host_name(), session.clock.current());
        let Ok(lock) = hold(&store, &window.id, holder, false, |_| {})? else {
            report.busy.push(window.id.clone());
            continue;
        };
        record_due(&store, &window, now, &author, &mut report)?;
        // Read again under the lock: what this tick recorded, and what any publish before
        // it sent, is planned from.
        let loaded = store.read(&window.id)?;
        session.warn_skipped(&loaded.warnings);
        let incident = Incident::from_events(&window.id, loaded.events)?;
        publish_unsent(
            session,
            &config,
            &store,
            &incident,
            &author,
            &lock,
            &mut report,
        )?;
    }
    report.overdue = overdue(session, &config, now)?;
    show(session, &config, &report, args.json)?;
    let failed: Vec<&Sent> = report.sent.iter().filter(|sent| !sent.published).collect();
    if failed.is_empty() {
        if let Some(held) = report.held.first() {
            return Err(CommandError::findings(format!(
                "{} held back by the checks (first: maintenance {} update {})",
                plural(report.held.len(), "maintenance notice"),
                held.window,
                held.update
            ))
            .hint(format!(
                "mend its draft with `incident edit {} --update {} --channel CHANNEL` (or the template), then tick again",
                held.window, held.update
            )));
        }
        return Ok(());
    }
    Err(CommandError::remote(format!(
        "{} did not go out: {}",
        plural(failed.len(), "maintenance notice"),
        failed
            .iter()
            .map(|sent| format!("{} update {} to {}", sent.window, sent.update, sent.target))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .hint("failures are recorded; the next `incident tick` retries them"))
}

/// Records what time has made due for `window`, one notice after another (a tick after a
/// long gap may start and complete a window at once).
fn record_due(
    store: &Store,
    window: &Window,
    now: DateTime<Utc>,
    author: &str,
    report: &mut Report,
) -> Result<(), CommandError> {
    let mut window = window.clone();
    // Each notice moves the window on, so at most three follow each other.
    for _ in 0..3 {
        let Some(due) = window.due(now) else {
            break;
        };
        let notice = Notice {
            stage: due.stage(),
            message: None,
            reminder: match due {
                maintenance::Due::Remind(minutes) => Some(minutes),
                _ => None,
            },
            at: now,
            author,
            forced: false,
        };
        match maintenance::append(store, &window.id, notice, |current| {
            current.due(now) == Some(due)
        }) {
            Ok(_) => report.recorded.push(Recorded {
                window: window.id.clone(),
                stage: due.stage().name(),
            }),
            Err(Refused::NotAllowed(_)) => {}
            Err(refused) => return Err(refused.into()),
        }
        let loaded = store.read(&window.id)?;
        let incident = Incident::from_events(&window.id, loaded.events)?;
        match Window::of(&incident) {
            Some(next) => window = next,
            None => break,
        }
    }
    Ok(())
}

/// Publishes every update of the window that a target receiving its stage has not got,
/// oldest first, through the publish plan and engine.
fn publish_unsent(
    session: &Session,
    config: &Config,
    store: &Store,
    incident: &Incident,
    author: &str,
    lock: &crate::record::PublishLock,
    report: &mut Report,
) -> Result<(), CommandError> {
    let secrets = Secrets::new(false);
    let mut context: Option<Context> = None;
    for (index, update) in incident.updates.iter().enumerate() {
        // A target that requires approval gets maintenance notices through `publish`
        // after someone approves them, never from a timer.
        let targets: Vec<&Target> = config
            .targets_for(&update.stage)
            .filter(|target| !target.require_approval)
            .collect();
        if targets.is_empty() {
            continue;
        }
        let drafts: BTreeMap<Channel, Draft> = routed_drafts(config, incident, index + 1)?
            .into_iter()
            .map(|draft| (draft.channel, draft))
            .collect();
        let run = Run::plan(
            config,
            incident,
            update,
            targets,
            &drafts,
            &[],
            &secrets,
            false,
        );
        if run.jobs.is_empty() {
            continue;
        }
        // Nobody reads a timer's notice before it goes: the checks do, as `publish` would.
        if !maintenance::forced(update) {
            let drafts: Vec<Draft> = drafts.values().cloned().collect();
            let (errors, _) = mendable_findings(config, incident, update.seq, &drafts);
            if !errors.is_empty() {
                report.held.push(Held {
                    window: incident.id.clone(),
                    update: update.seq,
                    stage: update.stage.clone(),
                    findings: errors,
                });
                // Notices go out in order: a later one waits for this one.
                break;
            }
        }
        // Built once, and only when something is to be sent.
        let context = match &mut context {
            Some(context) => &*context,
            slot @ None => &*slot.insert(Context {
                http: Http::new().map_err(|error| CommandError::usage(error.to_string()))?,
                clock: session.clock,
            }),
        };
        let publishing = Publishing {
            config,
            store,
            incident,
            update,
            author,
            context,
            secrets: &secrets,
        };
        let outcomes = run.send(&publishing, lock, |_, _| {})?;
        for (target, plan, _) in run.rows() {
            if !matches!(plan, Plan::Send { .. }) {
                continue;
            }
            let Some(outcome) = crate::publish::run::outcome_of(&outcomes, target) else {
                continue;
            };
            if let Some(error) = &outcome.record_error {
                session.printer.warn(&format!(
                    "the result for `{}` could not be recorded: {error}",
                    outcome.target
                ));
            }
            report.sent.push(Sent {
                window: incident.id.clone(),
                update: update.seq,
                stage: update.stage.clone(),
                target: target.name.clone(),
                published: outcome.result.is_ok(),
                error: outcome.result.as_ref().err().map(ToString::to_string),
            });
        }
    }
    Ok(())
}

/// The open incidents whose promised next update is late, as `due` finds them.
fn overdue(
    session: &Session,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<Overdue>, CommandError> {
    let store = Store::new(config.incidents_dir());
    Ok(load_summaries(session, &store, false)?
        .into_iter()
        .filter_map(|summary| {
            let promised = summary.overdue_promise(now)?;
            Some(Overdue {
                id: summary.id.clone(),
                title: summary.title.clone(),
                next_update_at: promised,
                overdue_seconds: (now - promised).num_seconds(),
            })
        })
        .collect())
}

fn show(
    session: &Session,
    config: &Config,
    report: &Report,
    json: bool,
) -> Result<(), CommandError> {
    if json || session.printer.json_mode() {
        return session.printer.json(report);
    }
    for recorded in &report.recorded {
        session.printer.status(&format!(
            "Maintenance {}: recorded the {} notice.",
            recorded.window,
            recorded.stage.trim_start_matches("maintenance-")
        ));
    }
    if !report.sent.is_empty() {
        let header = ["WINDOW", "UPDATE", "STAGE", "TARGET", "STATE"].map(String::from);
        let rows: Vec<[String; 5]> = report
            .sent
            .iter()
            .map(|sent| {
                [
                    sent.window.clone(),
                    sent.update.to_string(),
                    sent.stage.trim_start_matches("maintenance-").to_string(),
                    sent.target.clone(),
                    if sent.published {
                        "published"
                    } else {
                        "failed"
                    }
                    .to_string(),
                ]
            })
            .collect();
        session.printer.out(&table(&header, &rows))?;
    }
    for held in &report.held {
        session.printer.warn(&format!(
            "maintenance {} update {} ({}) was not sent: the checks found {}",
            held.window,
            held.update,
            held.stage.trim_start_matches("maintenance-"),
            plural(held.findings.len(), "error")
        ));
        session
            .printer
            .status_styled(describe(&held.findings, true).trim_end());
    }
    for busy in &report.busy {
        session.printer.status(&format!(
            "Maintenance {busy} is being published by another run; left to it."
        ));
    }
    let zone = config.org.timezone;
    for overdue in &report.overdue {
        session.printer.warn(&format!(
            "incident {} ({}) promised an update by {}, {} ago",
            overdue.id,
            overdue.title,
            time::local_with_utc(overdue.next_update_at, zone),
            time::human_duration(chrono::Duration::seconds(overdue.overdue_seconds))
        ));
    }
    if report.recorded.is_empty()
        && report.sent.is_empty()
        && report.held.is_empty()
        && report.overdue.is_empty()
    {
        session.printer.status("Nothing due.");
    }
    Ok(())
}
