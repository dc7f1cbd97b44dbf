//! `incident maintenance`: schedule a maintenance window, move it through its states by
//! hand, and list the windows. Recording is not sending: `incident tick` publishes.

use clap::{Args, Subcommand};

use super::answers::check_component;
use super::output::{describe, table};
use super::session::{Session, load_windows, routed_drafts};
use super::walkthrough::{mendable_findings, show_before_recording};
use crate::error::CommandError;
use crate::record::Incident;
use crate::record::id::{new_event_id, new_incident_id};
use crate::record::maintenance::{
    self, DEFAULT_REMINDERS, Notice, Refused, SEVERITY, Stage, Window, field,
};
use crate::record::{Event, EventBody, FIRST_SEQ, Opened, UpdateBody};
use crate::time;

#[derive(Debug, Args)]
pub struct MaintenanceArgs {
    #[command(subcommand)]
    command: MaintenanceCommand,
}

#[derive(Debug, Subcommand)]
enum MaintenanceCommand {
    /// Record a new maintenance window and its announcement
    Schedule(ScheduleArgs),
    /// Mark a window in progress
    Start(ChangeArgs),
    /// Mark a window's work done and being verified
    Verify(ChangeArgs),
    /// Mark a window completed
    Complete(ChangeArgs),
    /// Cancel a window that has not started
    Cancel(ChangeArgs),
    /// List the maintenance windows
    List(ListArgs),
}

#[derive(Debug, Args)]
struct ScheduleArgs {
    #[arg(long)]
    title: String,
    /// When the window starts (TIME: RFC 3339, `YYYY-MM-DD HH:MM` in the configured zone, or
    /// from now: `+2h`, `in 2h`)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    starts: String,
    /// When the window ends (TIME)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    ends: String,
    /// A component the window puts under maintenance (repeatable)
    #[arg(long = "component", value_name = "C")]
    components: Vec<String>,
    /// What the announcement says, beyond the window's times and components
    #[arg(long, short)]
    message: Option<String>,
    /// Remind this long before the start (repeatable; default 24h and 1h)
    #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
    remind: Vec<String>,
    /// Send no reminders
    #[arg(long, conflicts_with = "remind")]
    no_remind: bool,
    /// Let `incident tick` start the window at its start time
    #[arg(long)]
    auto_start: bool,
    /// Let `incident tick` complete the window at its end time
    #[arg(long)]
    auto_complete: bool,
    /// Record the announcement even if the checks find errors in it
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct ChangeArgs {
    /// The window's id, or a unique prefix of it
    id: String,
    /// What the notice says
    #[arg(long, short)]
    message: Option<String>,
    /// Record the notice even if the checks find errors in it
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Print the windows as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(args: MaintenanceArgs, session: &Session) -> Result<(), CommandError> {
    match args.command {
        MaintenanceCommand::Schedule(args) => schedule(args, session),
        MaintenanceCommand::Start(args) => change(args, Stage::Start, session),
        MaintenanceCommand::Verify(args) => change(args, Stage::Verify, session),
        MaintenanceCommand::Complete(args) => change(args, Stage::Complete, session),
        MaintenanceCommand::Cancel(args) => change(args, Stage::Cancel, session),
        MaintenanceCommand::List(args) => list(args, session),
    }
}

fn schedule(args: ScheduleArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let now = session.clock.now();
    let zone = config.org.timezone;
    let starts = time::parse_time(&args.starts, now, zone)?;
    let ends = time::parse_time(&args.ends, now, zone)?;
    if ends <= starts {
        return Err(CommandError::usage(format!(
            "`--ends` ({}) is not after `--starts` ({})",
            time::local_with_utc(ends, zone),
            time::local_with_utc(starts, zone)
        )));
    }
    for component in &args.components {
        check_component(&config, component)?;
    }
    let reminders: Vec<String> = match (args.no_remind, args.remind.is_empty()) {
        (true, _) => Vec::new(),
        (false, true) => DEFAULT_REMINDERS.iter().map(|d| d.to_string()).collect(),
        (false, false) => args.remind,
    };
    let mut minutes = Vec::new();
    for text in &reminders {
        let before = time::parse_duration(text)?;
        if before.num_minutes() < 1 {
            return Err(CommandError::usage(format!(
                "`--remind {text}` is less than a minute before the start"
            )));
        }
        minutes.push(before.num_minutes().to_string());
    }
    let mut fields = maintenance::window_fields(starts, ends);
    fields.insert(field::REMIND.to_string(), minutes.join(","));
    fields.insert(field::AUTO_START.to_string(), args.auto_start.to_string());
    fields.insert(
        field::AUTO_COMPLETE.to_string(),
        args.auto_complete.to_string(),
    );
    let author = session.author(config.root());
    let id = new_incident_id();
    let mut event = Event {
        id: new_event_id(),
        at: now,
        author,
        body: EventBody::Opened(Box::new(Opened {
            title: args.title.clone(),
            severity: SEVERITY.to_string(),
            components: args.components,
            started_at: starts,
            update: UpdateBody {
                seq: FIRST_SEQ,
                stage: Stage::Announce.name().to_string(),
                status: Stage::Announce.status(),
                message: args.message.map(Into::into),
                fields: fields.into(),
                next_update_at: None,
            },
        })),
    };
    let announced = Incident::fold(&id, std::slice::from_ref(&event))?;
    if checked(session, &config, &announced, 1, args.force)?
        && let EventBody::Opened(opened) = &mut event.body
    {
        opened
            .update
            .fields
            .insert(field::FORCED.to_string(), "true".to_string());
    }
    let store = maintenance::store(&config.incidents_dir());
    store.create(&id, &event)?;
    if session.printer.json_mode() {
        return session.printer.json(&serde_json::json!({ "id": id }));
    }
    session.printer.out(&format!("{id}\n"))?;
    session.printer.success(&format!(
        "Scheduled maintenance {id}: {}, {} to {}.",
        args.title,
        time::local_with_utc(starts, zone),
        time::local_with_utc(ends, zone)
    ));
    session
        .printer
        .hint("recorded, not sent: `incident tick` publishes the announcement");
    Ok(())
}

fn change(args: ChangeArgs, stage: Stage, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = maintenance::store(&config.incidents_dir());
    let id = store.resolve(&args.id).map_err(|error| {
        CommandError::from(error).hint("`incident maintenance list` shows the windows")
    })?;
    let author = session.author(config.root());
    let mut notice = Notice {
        stage,
        message: args.message,
        reminder: None,
        at: session.clock.now(),
        author: &author,
        forced: false,
    };
    match maintenance::with_notice(&store, &id, &notice) {
        Ok((window, seq)) => notice.forced = checked(session, &config, &window, seq, args.force)?,
        Err(Refused::NotAllowed(window)) => return Err(not_allowed(&id, &window, stage)),
        Err(refused) => return Err(refused.into()),
    }
    match maintenance::append(&store, &id, notice, |_| true) {
        Ok(_) => {
            session.printer.success(&format!(
                "Maintenance {id} is {}.",
                stage.state().name().replace('_', " ")
            ));
            session
                .printer
                .hint("recorded, not sent: `incident tick` publishes the notice");
            Ok(())
        }
        Err(Refused::NotAllowed(window)) => Err(not_allowed(&id, &window, stage)),
        Err(refused) => Err(refused.into()),
    }
}

fn not_allowed(id: &str, window: &Window, stage: Stage) -> CommandError {
    CommandError::usage(format!(
        "maintenance {id} is {}, so it cannot be {}",
        window.state.name().replace('_', " "),
        past_tense(stage)
    ))
}

/// Checks the drafts of notice `seq` of `window` before it is recorded: a notice goes out
/// from a timer, with nobody there to read it first. Error-level findings refuse it (exit
/// 1, nothing recorded) unless `force`; returns whether it is recorded past them, which
/// `tick` then respects.
fn checked(
    session: &Session,
    config: &crate::config::Config,
    window: &Incident,
    seq: usize,
    force: bool,
) -> Result<bool, CommandError> {
    let drafts = routed_drafts(config, window, seq)?;
    let (errors, warnings) = mendable_findings(config, window, seq, &drafts);
    if !warnings.is_empty() && !session.printer.json_mode() {
        session
            .printer
            .status_styled(describe(&warnings, true).trim_end());
    }
    if errors.is_empty() {
        return Ok(false);
    }
    let count = crate::vocab::plural(errors.len(), "error-level finding");
    if force {
        session.printer.warn(&format!(
            "recording the notice with {count} (`--force`); `incident tick` sends it as it is"
        ));
        return Ok(true);
    }
    show_before_recording(session, "the notice", &count, &errors);
    Err(CommandError::findings(format!(
        "the notice of maintenance {} would have {count}; nothing was recorded",
        window.id
    ))
    .hint("change the text (`--message`), or pass `--force` to record it anyway"))
}

fn past_tense(stage: Stage) -> &'static str {
    match stage {
        Stage::Announce => "announced",
        Stage::Remind => "reminded of",
        Stage::Start => "started",
        Stage::Verify => "verified",
        Stage::Complete => "completed",
        Stage::Cancel => "cancelled",
    }
}

fn list(args: ListArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let windows = load_windows(session, &config)?;
    if args.json || session.printer.json_mode() {
        return session.printer.json(&windows);
    }
    if windows.is_empty() {
        session.printer.status("No maintenance windows.");
        return Ok(());
    }
    let zone = config.org.timezone;
    let header = ["ID", "STATE", "STARTS", "ENDS", "TITLE"].map(String::from);
    let rows: Vec<[String; 5]> = windows
        .iter()
        .map(|window: &Window| {
            [
                window.id.clone(),
                window.state.name().to_string(),
                time::local_with_utc(window.starts_at, zone),
                time::local_with_utc(window.ends_at, zone),
                window.title.clone(),
            ]
        })
        .collect();
    session.printer.out(&table(&header, &rows))
}
