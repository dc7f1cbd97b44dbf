//! `incident due`: open incidents whose promised next update is overdue.

use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::output::table;
use super::session::Session;
use super::session::load_summaries;
use crate::error::CommandError;
use crate::record::Store;
use crate::time;

/// List open incidents whose promised next update is overdue, or whose recorded update a
/// target has not published for `[publishing] unpublished_after` (default 5m); exit 1 if any
#[derive(Debug, Args)]
pub struct DueArgs {}

/// One update of an open incident that receiving targets have not published, in
/// `due --json`, beside the overdue promises.
#[derive(Debug, Serialize)]
struct Unsent<'a> {
    reason: &'static str,
    id: &'a str,
    title: &'a str,
    update: usize,
    targets: Vec<String>,
    unpublished_seconds: i64,
    unpublished_for: String,
}

/// One overdue incident in `due --json`.
#[derive(Debug, Serialize)]
struct Overdue<'a> {
    reason: &'static str,
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    next_update_at: DateTime<Utc>,
    overdue_seconds: i64,
    overdue_by: String,
}

pub fn run(_args: DueArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let now = session.clock.now();
    let incidents = load_summaries(session, &store, false)?;
    let mut overdue: Vec<Overdue> = incidents
        .iter()
        .filter_map(|incident| {
            let promised = incident.overdue_promise(now)?;
            Some(Overdue {
                reason: "overdue",
                id: &incident.id,
                title: &incident.title,
                severity: &incident.severity,
                next_update_at: promised,
                overdue_seconds: (now - promised).num_seconds(),
                overdue_by: time::human_duration(now - promised),
            })
        })
        .collect();
    overdue.sort_by_key(|item| std::cmp::Reverse(item.overdue_seconds));
    let open: Vec<_> = incidents
        .iter()
        .map(|summary| session.load_incident(&store, &summary.id))
        .collect::<Result<_, _>>()?;
    let mut unsent: Vec<Unsent> = Vec::new();
    for (summary, incident) in incidents.iter().zip(&open) {
        for missing in incident.unpublished(&config.targets) {
            let waited = now - missing.at;
            if waited >= config.unpublished_after {
                unsent.push(Unsent {
                    reason: "unpublished",
                    id: &summary.id,
                    title: &summary.title,
                    update: missing.seq,
                    targets: missing
                        .targets
                        .iter()
                        .map(|name| name.to_string())
                        .collect(),
                    unpublished_seconds: waited.num_seconds(),
                    unpublished_for: time::human_duration(waited),
                });
            }
        }
    }

    if session.printer.json_mode() {
        let mut items: Vec<serde_json::Value> = Vec::new();
        for item in &overdue {
            items.push(serde_json::to_value(item).expect("plain data serializes"));
        }
        for item in &unsent {
            items.push(serde_json::to_value(item).expect("plain data serializes"));
        }
        session.printer.json(&items)?;
    } else if overdue.is_empty() && unsent.is_empty() {
        session.printer.success("No promised update is overdue.");
    } else if !overdue.is_empty() {
        let zone = config.org.timezone;
        let header = ["ID", "SEVERITY", "PROMISED", "OVERDUE BY", "TITLE"].map(String::from);
        let rows: Vec<[String; 5]> = overdue
            .iter()
            .map(|item| {
                [
                    item.id.to_string(),
                    item.severity.to_string(),
                    time::local_time_with_utc(item.next_update_at, zone),
                    item.overdue_by.clone(),
                    item.title.to_string(),
                ]
            })
            .collect();
        session.printer.out(&table(&header, &rows))?;
    }
    if !unsent.is_empty() && !session.printer.json_mode() {
        let header = ["ID", "UPDATE", "NOT SENT TO", "FOR", "TITLE"].map(String::from);
        let rows: Vec<[String; 5]> = unsent
            .iter()
            .map(|item| {
                [
                    item.id.to_string(),
                    item.update.to_string(),
                    item.targets.join(", "),
                    item.unpublished_for.clone(),
                    item.title.to_string(),
                ]
            })
            .collect();
        session.printer.out(&table(&header, &rows))?;
    }
    if overdue.is_empty()
        && let Some(first) = unsent.first()
    {
        return Err(CommandError::findings(format!(
            "update {} of {} was recorded {} ago and is not published",
            first.update, first.id, first.unpublished_for
        ))
        .hint(format!(
            "send it: `incident publish {} --update {}`",
            first.id, first.update
        )));
    }
    match overdue.first() {
        None => Ok(()),
        Some(worst) => Err(CommandError::findings(match overdue.len() {
            1 => format!(
                "the next update of {} is overdue by {}",
                worst.id, worst.overdue_by
            ),
            count => format!(
                "{count} incidents are overdue for an update; {} by {}",
                worst.id, worst.overdue_by
            ),
        })
        .hint(format!(
            "post an update now, even with no news: `incident update {}`",
            worst.id
        ))),
    }
}
