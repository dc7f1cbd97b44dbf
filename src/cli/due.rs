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

/// List open incidents whose promised next update is overdue; exit 1 if any
#[derive(Debug, Args)]
pub struct DueArgs {}

/// One overdue incident in `due --json`.
#[derive(Debug, Serialize)]
struct Overdue<'a> {
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
            let promised = incident.next_update_at.filter(|at| *at < now)?;
            Some(Overdue {
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

    if session.printer.json_mode() {
        session.printer.json(&overdue)?;
    } else if overdue.is_empty() {
        session.printer.success("No promised update is overdue.");
    } else {
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
