//! `incident list`: the open incidents (or all of them) in a table or as JSON.

use clap::Args;
use serde::Serialize;

use super::output::{next_update_text, table};
use super::session::{Session, load_summaries};
use crate::error::CommandError;
use crate::record::{Store, Summary};

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
    /// The updates some receiving target never got.
    unpublished: Vec<usize>,
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
                unpublished: summary.unpublished(&config.targets),
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
        "UNPUBLISHED",
        "TITLE",
    ]
    .map(String::from);
    let rows: Vec<[String; 7]> = incidents
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
                unpublished_text(&incident.unpublished(&config.targets)),
                incident.title.clone(),
            ]
        })
        .collect();
    session.printer.out(&table(&header, &rows))
}

/// "update 2", "updates 2, 3", "12 updates, up to 40", or "-" when every update reached its
/// targets: a cell stays short however many updates went unsent (`show` lists them all).
fn unpublished_text(seqs: &[usize]) -> String {
    let numbers: Vec<String> = seqs.iter().map(ToString::to_string).collect();
    match numbers.as_slice() {
        [] => "-".to_string(),
        [one] => format!("update {one}"),
        [_, _] | [_, _, _] => format!("updates {}", numbers.join(", ")),
        [.., last] => format!("{} updates, up to {last}", numbers.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::unpublished_text;

    #[test]
    fn the_unpublished_cell_stays_short() {
        assert_eq!(unpublished_text(&[]), "-");
        assert_eq!(unpublished_text(&[2]), "update 2");
        assert_eq!(unpublished_text(&[1, 2, 3]), "updates 1, 2, 3");
        let many: Vec<usize> = (1..=10_000).collect();
        assert_eq!(unpublished_text(&many), "10000 updates, up to 10000");
    }
}
