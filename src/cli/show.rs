//! `incident show`: one incident's record, updates, publications and timeline.

use std::fmt::Write;

use clap::Args;

use super::output::next_update_text;
use super::session::{Session, store_of};
use crate::config::Config;
use crate::error::CommandError;
use crate::record::{Holder, Incident, PublicationState, PublishLock};
use crate::time;

/// Show an incident: its state, every update and the timeline
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Incident id, or a unique prefix of it
    id: String,
}

pub fn run(args: ShowArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = store_of(&config, &args.id);
    let incident = session.load_incident(&store, &args.id)?;
    if session.printer.json_mode() {
        let unpublished = incident
            .unpublished(&config.targets)
            .into_iter()
            .map(|missing| UnpublishedJson {
                update: missing.seq,
                targets: missing.targets,
            })
            .collect();
        let printed = session.printer.json(&ShowJson {
            incident: &incident,
            unpublished,
        });
        // The process ends next: freeing a long incident piece by piece is wasted time.
        std::mem::forget(incident);
        return printed;
    }
    // A try in flight is still running only while a live publisher holds the lock.
    let live = PublishLock::is_held(&store.publish_lock_path(&incident.id))?;
    session
        .printer
        .out(&describe(&incident, &config, session.clock.now(), live))
}

/// `show --json`: the incident as the record folds it, and which updates a receiving
/// target has not published.
#[derive(serde::Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    incident: &'a crate::record::Incident,
    unpublished: Vec<UnpublishedJson<'a>>,
}

#[derive(serde::Serialize)]
struct UnpublishedJson<'a> {
    update: usize,
    targets: Vec<&'a str>,
}

/// Characters of each timeline entry shown; the updates above carry the whole text.
const TIMELINE_WIDTH: usize = 90;

/// Returns `text` cut to `width` characters at a word boundary, with `…` when cut.
fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > width / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '.']))
}

/// Returns the human-readable description of an incident.
/// `live` is who is publishing the incident right now, if anyone (`Some(None)`: a publisher
/// that has not said who it is).
fn describe(
    incident: &Incident,
    config: &Config,
    now: chrono::DateTime<chrono::Utc>,
    live: Option<Option<Holder>>,
) -> String {
    let zone = config.org.timezone;
    let at = |time| time::local_with_utc(time, zone);
    let mut text = String::new();
    let severity = config
        .severity(&incident.severity)
        .map_or(incident.severity.clone(), |severity| {
            format!("{} ({})", severity.name, severity.label)
        });
    let components: Vec<String> = incident
        .components
        .iter()
        .map(|id| match config.components.get(id) {
            Some(name) => format!("{id} ({name})"),
            None => id.clone(),
        })
        .collect();
    let _ = writeln!(text, "{}  {}", incident.id, incident.title);
    let mut field = |label: &str, value: String| {
        let _ = writeln!(text, "  {:<14}{value}", format!("{label}:"));
    };
    field("Status", incident.status.to_string());
    field("Severity", severity);
    if !components.is_empty() {
        field("Components", components.join(", "));
    }
    if let Some(impact) = &incident.impact {
        field("Impact", impact.clone());
    }
    field("Started", at(incident.started_at));
    if let Some(acknowledged) = incident.acknowledged_at {
        field(
            "Acknowledged",
            format!(
                "{}, {} after it started",
                at(acknowledged),
                time::human_duration(acknowledged - incident.started_at)
            ),
        );
    }
    if let Some(resolved) = incident.resolved_at {
        field(
            "Resolved",
            format!(
                "{}, {} after it started",
                at(resolved),
                time::human_duration(resolved - incident.started_at)
            ),
        );
    }
    if incident.next_update_at.is_some() {
        field(
            "Next update",
            format!(
                "{} ({})",
                incident.next_update_at.map(at).unwrap_or_default(),
                next_update_text(incident.next_update_at, now)
            ),
        );
    }

    let unpublished = incident.unpublished(&config.targets);
    let _ = writeln!(text, "\nUpdates");
    for update in &incident.updates {
        let _ = writeln!(
            text,
            "  #{} {} · {} · {} · {}",
            update.seq,
            update.stage,
            update.status,
            at(update.at),
            update.author
        );
        if let Some(message) = &update.message {
            for line in message.lines() {
                let _ = writeln!(text, "      {line}");
            }
        }
        for (key, value) in &update.fields {
            let _ = writeln!(text, "      {key}: {value}");
        }
        if let Some(next) = update.next_update_at {
            let _ = writeln!(text, "      next update promised by {}", at(next));
        }
        for publication in &update.publications {
            let place = publication
                .url
                .as_deref()
                .or(publication.error.as_deref())
                .unwrap_or_default();
            let state = match (publication.state, &live) {
                (PublicationState::InFlight, Some(Some(holder))) => {
                    format!("in flight (being published by {holder})")
                }
                (PublicationState::InFlight, Some(None)) => {
                    "in flight (a publish is running)".to_string()
                }
                (PublicationState::InFlight, None) => {
                    "interrupted (may or may not have arrived)".to_string()
                }
                (state, _) => state.to_string(),
            };
            let _ = writeln!(
                text,
                "      published to {}: {state} {place}",
                publication.target
            );
        }
        if let Some(missing) = unpublished.iter().find(|missing| missing.seq == update.seq) {
            let _ = writeln!(
                text,
                "      NOT PUBLISHED to {} (`incident publish {} --update {}` sends it)",
                missing.targets.join(", "),
                incident.id,
                update.seq
            );
        }
    }

    let _ = writeln!(text, "\nTimeline");
    for entry in &incident.timeline {
        let summary = shorten(
            entry.text.to_string().lines().next().unwrap_or_default(),
            TIMELINE_WIDTH,
        );
        let _ = writeln!(text, "  {}  {}  {summary}", at(entry.at), entry.author);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_at_words() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(shorten("abcdefghijklmnop", 10), "abcdefghij…");
    }
}
