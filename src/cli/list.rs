//! `incident list`: the open incidents (or all of them) in a table or as JSON.

use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::Session;
use crate::error::CommandError;
use crate::record::store::in_parallel;
use crate::record::{Status, Store, Summary};
use crate::time;

/// List open incidents, newest first
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include resolved incidents
    #[arg(long)]
    all: bool,
}

/// One row of `list --json`.
#[derive(Debug, Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    overdue: bool,
}

pub fn run(args: ListArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let now = session.clock.now();
    let incidents = load_summaries(session, &store, args.all)?;

    if session.printer.json_mode() {
        let items: Vec<ListItem> = incidents
            .iter()
            .map(|summary| ListItem {
                summary,
                overdue: summary.next_update_at.is_some_and(|next| next < now),
            })
            .collect();
        return session.printer.json(&items);
    }
    if incidents.is_empty() {
        session.printer.status(if args.all {
            "No incidents yet."
        } else {
            "No open incidents. (`--all` shows resolved ones too.)"
        });
        return Ok(());
    }
    let zone = config.org.timezone;
    let header = [
        "ID",
        "SEVERITY",
        "STATUS",
        "STARTED",
        "NEXT UPDATE",
        "TITLE",
    ]
    .map(String::from);
    let rows: Vec<[String; 6]> = incidents
        .iter()
        .map(|incident| {
            [
                incident.id.clone(),
                incident.severity.clone(),
                incident.status.to_string(),
                incident
                    .started_at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string(),
                next_update_text(incident.next_update_at, now),
                incident.title.clone(),
            ]
        })
        .collect();
    session.printer.out(&table(&header, &rows))
}

/// Says when the next update is due relative to now: "in 12 minutes", "overdue by 5 minutes".
pub fn next_update_text(next: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match next {
        None => "-".to_string(),
        Some(next) if next >= now => format!("in {}", time::human_duration(next - now)),
        Some(next) => format!("OVERDUE by {}", time::human_duration(now - next)),
    }
}

/// Lays out rows in columns separated by two spaces; the last column is not padded.
pub fn table<const N: usize>(header: &[String; N], rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in std::iter::once(header).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(console::measure_text_width(cell));
        }
    }
    let mut text = String::new();
    for row in std::iter::once(header).chain(rows) {
        for (index, cell) in row.iter().enumerate() {
            if index + 1 == N {
                text.push_str(cell);
            } else {
                let pad = widths[index] - console::measure_text_width(cell);
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        text.push('\n');
    }
    text
}

/// Reads every incident's summary (only the open ones unless `include_resolved`), newest
/// first. Unreadable lines and incidents are warned about and skipped.
pub fn load_summaries(
    session: &Session,
    store: &Store,
    include_resolved: bool,
) -> Result<Vec<Summary>, CommandError> {
    let ids = store.ids()?;
    // Each thread folds as it reads, keeping no events.
    let results: Vec<_> = in_parallel(&ids, |id, read: &mut Vec<_>| {
        read.push(
            store
                .read_bytes(id)
                .map(|(path, bytes)| Summary::read(id, &path, &bytes)),
        );
        Ok::<_, std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {})
    .into_iter()
    .flatten()
    .collect();
    let mut summaries = Vec::new();
    for result in results {
        let (summary, warnings) = result?;
        session.warn_skipped(&warnings);
        match summary {
            Ok(summary) if include_resolved || summary.status != Status::Resolved => {
                summaries.push(summary);
            }
            Ok(_) => {}
            Err(error) => session.printer.warn(&error.to_string()),
        }
    }
    summaries.sort_by(|a, b| {
        b.started_at
            .cmp(&a.started_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_update_wording() {
        let now: DateTime<Utc> = "2026-11-24T08:00:00Z".parse().unwrap();
        let later = "2026-11-24T08:12:00Z".parse().unwrap();
        let earlier = "2026-11-24T07:55:00Z".parse().unwrap();
        assert_eq!(next_update_text(Some(later), now), "in 12 minutes");
        assert_eq!(next_update_text(Some(earlier), now), "OVERDUE by 5 minutes");
        assert_eq!(next_update_text(None, now), "-");
    }

    #[test]
    fn table_aligns() {
        let header = ["A".to_string(), "B".to_string()];
        let rows = [["long".to_string(), "x".to_string()]];
        assert_eq!(table(&header, &rows), "A     B\nlong  x\n");
    }
}
