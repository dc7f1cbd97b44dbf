//! The postmortem draft: the facts of an incident gathered from the record (timeline,
//! response times, promises kept and missed, what was published where, checks overridden),
//! as data for `--json` and for the `postmortem.md` template.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::promises::{Outcome, Promise, promises};
use crate::config::Config;
use crate::record::{Incident, PublicationState};
use crate::render::view::{IncidentView, OrgView, SeverityView};
use crate::time::{human_duration, local_with_utc, rfc3339};

/// Everything the postmortem says, in the order it says it.
#[derive(Debug, Serialize)]
pub struct Facts<'a> {
    pub draft: bool,
    pub org: OrgView<'a>,
    pub incident: IncidentView,
    pub severity: SeverityView,
    pub components: Vec<&'a str>,
    pub impact: Option<String>,
    pub started: String,
    pub resolved: Option<String>,
    pub summary: String,
    pub timeline: Vec<Entry>,
    pub acknowledge: Acknowledge,
    pub resolve_seconds: Option<i64>,
    pub resolve_text: String,
    pub promises: Vec<PromiseFacts>,
    pub promises_kept: usize,
    pub publications: Vec<PublicationFacts>,
    /// Updates that a target receiving their stage never got.
    pub unpublished: Vec<UnpublishedFacts>,
    pub overridden: Vec<Overridden>,
    /// Every correction and retraction, in time order.
    pub revisions: Vec<RevisionFacts>,
    /// The timeline picture's file name, when written beside the Markdown.
    pub picture: Option<String>,
    pub picture_alt: String,
}

/// One row of the timeline: the time in the org's zone with UTC, and what happened.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub at: String,
    pub time: String,
    pub text: String,
}

/// Time to acknowledge counts to the first update the public could see: a recorded update
/// that was never sent acknowledged nothing.
#[derive(Debug, Serialize)]
pub struct Acknowledge {
    pub seconds: Option<i64>,
    pub text: String,
    /// When the first update was recorded, and when one was first published.
    pub recorded_seconds: Option<i64>,
    pub published_at: Option<String>,
    pub target_seconds: Option<i64>,
    pub target: Option<String>,
    pub met: bool,
    pub missed_by: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PromiseFacts {
    #[serde(flatten)]
    pub promise: Promise,
    /// Local times and words for the template.
    #[serde(rename = "due_local")]
    pub due: String,
    pub next: String,
    #[serde(rename = "outcome_text")]
    pub outcome: String,
}

#[derive(Debug, Serialize)]
pub struct PublicationFacts {
    pub update: usize,
    pub target: String,
    pub state: PublicationState,
    pub at: String,
    pub time: String,
    pub url: Option<String>,
    pub error: Option<String>,
    pub result: String,
}

#[derive(Debug, Serialize)]
pub struct UnpublishedFacts {
    pub update: usize,
    pub time: String,
    pub targets: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct RevisionFacts {
    /// `correction` or `retraction`.
    pub kind: String,
    /// The update it records.
    pub update: usize,
    /// The update it revises; none for the retraction of the whole incident.
    pub revises: Option<usize>,
    pub time: String,
    pub author: String,
    /// A correction's new text, or a retraction's reason, fit for a list item.
    pub text: String,
    /// What a corrected update said before.
    pub original: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Overridden {
    pub update: usize,
    pub target: String,
    pub finding: String,
}

impl<'a> Facts<'a> {
    /// Gathers the facts of `incident`. `now` matters only while it is open.
    pub fn gather(incident: &'a Incident, config: &'a Config, now: DateTime<Utc>) -> Facts<'a> {
        let zone = config.org.timezone;
        let at = |time: DateTime<Utc>| local_with_utc(time, zone);
        let severity = config.severity(&incident.severity);
        let components: Vec<&str> = incident
            .components
            .iter()
            .map(|id| {
                config
                    .components
                    .get(id)
                    .map_or(id.as_str(), String::as_str)
            })
            .collect();

        let acknowledge = {
            let first_published = incident
                .updates
                .iter()
                .flat_map(|update| &update.publications)
                .filter(|publication| publication.state == PublicationState::Published)
                .filter_map(|publication| publication.finished_at)
                .min();
            let took = first_published.map(|published| published - incident.started_at);
            let recorded = incident
                .acknowledged_at
                .map(|ack| ack - incident.started_at);
            let target = severity.map(|severity| severity.acknowledge_within);
            let missed = match (took, target) {
                (Some(took), Some(target)) if took > target => Some(took - target),
                _ => None,
            };
            let text = match (took, recorded) {
                (Some(took), _) => human_duration(took),
                (None, Some(recorded)) => format!(
                    "never: nothing was published (the first update was recorded {} after the start)",
                    human_duration(recorded)
                ),
                (None, None) => "not acknowledged".to_string(),
            };
            Acknowledge {
                seconds: took.map(|took| took.num_seconds()),
                text,
                recorded_seconds: recorded.map(|recorded| recorded.num_seconds()),
                published_at: first_published.map(at),
                target_seconds: target.map(|target| target.num_seconds()),
                target: target.map(human_duration),
                met: took.is_some() && missed.is_none(),
                missed_by: missed.map(human_duration),
            }
        };
        let resolve = incident
            .resolved_at
            .map(|resolved| resolved - incident.started_at);

        let promises = promises(incident, now);
        let promises_kept = promises
            .iter()
            .filter(|promise| promise.outcome == Outcome::Kept)
            .count();
        let promise_facts = promises
            .into_iter()
            .map(|promise| {
                let next = match (promise.next_update, promise.next_at) {
                    (Some(seq), Some(next_at)) => format!("update {seq} at {}", at(next_at)),
                    _ => "none yet".to_string(),
                };
                let outcome = promise.outcome_text();
                PromiseFacts {
                    due: at(promise.due),
                    next,
                    outcome,
                    promise,
                }
            })
            .collect();

        let mut publications = Vec::new();
        let mut overridden = Vec::new();
        for update in &incident.updates {
            for publication in &update.publications {
                let when = publication.finished_at.unwrap_or(publication.started_at);
                let result = match publication.state {
                    PublicationState::Published => match &publication.url {
                        Some(url) => format!("published: {url}"),
                        None => "published".to_string(),
                    },
                    PublicationState::Failed => format!(
                        "failed: {}",
                        cell(publication.error.as_deref().unwrap_or("unknown error"))
                    ),
                    PublicationState::InFlight => "interrupted; may not have arrived".to_string(),
                    PublicationState::Uncertain => format!(
                        "uncertain: {}",
                        cell(
                            publication
                                .error
                                .as_deref()
                                .unwrap_or("may not have arrived")
                        )
                    ),
                };
                publications.push(PublicationFacts {
                    update: update.seq,
                    target: publication.target.clone(),
                    state: publication.state,
                    at: rfc3339(when),
                    time: at(when),
                    url: publication.url.clone(),
                    error: publication.error.clone(),
                    result,
                });
                for finding in &publication.overridden {
                    overridden.push(Overridden {
                        update: update.seq,
                        target: publication.target.clone(),
                        finding: cell(finding),
                    });
                }
            }
        }

        let unpublished = incident
            .unpublished(&config.targets)
            .into_iter()
            .map(|missing| UnpublishedFacts {
                update: missing.seq,
                time: at(missing.at),
                targets: missing.targets.into_iter().map(str::to_string).collect(),
            })
            .collect();

        let revisions = incident
            .updates
            .iter()
            .filter(|update| crate::record::revision::is_revision(update))
            .map(|update| {
                let revises = update
                    .fields
                    .get(crate::record::revision::field::REVISES)
                    .and_then(|event_id| {
                        incident
                            .updates
                            .iter()
                            .find(|revised| revised.event_id == *event_id)
                    });
                RevisionFacts {
                    kind: update.stage.clone(),
                    update: update.seq,
                    revises: revises.map(|revised| revised.seq),
                    time: at(update.at),
                    author: update.author.clone(),
                    text: cell(update.message.as_deref().unwrap_or_default()),
                    original: revises
                        .and_then(|revised| revised.corrected.as_ref())
                        .filter(|corrected| corrected.by_update == update.seq)
                        .and_then(|corrected| corrected.original.as_deref())
                        .map(cell),
                }
            })
            .collect();

        Facts {
            draft: incident.status != crate::vocab::Status::Resolved,
            org: OrgView::new(config),
            incident: IncidentView::of_incident(config, incident),
            severity: SeverityView::new(config, &incident.severity),
            components,
            // The template puts it in a table cell.
            impact: incident.impact.as_deref().map(cell),
            started: at(incident.started_at),
            resolved: incident.resolved_at.map(at),
            summary: summary(incident, &acknowledge, resolve),
            timeline: timeline(incident, config),
            acknowledge,
            resolve_seconds: resolve.map(|resolve| resolve.num_seconds()),
            resolve_text: resolve.map_or("not resolved yet".to_string(), human_duration),
            promises: promise_facts,
            promises_kept,
            publications,
            unpublished,
            overridden,
            revisions,
            picture: None,
            picture_alt: format!("Timeline of the incident: {}", incident.title),
        }
    }
}

fn summary(
    incident: &Incident,
    acknowledge: &Acknowledge,
    resolve: Option<chrono::Duration>,
) -> String {
    let mut text = match acknowledge.seconds {
        Some(_) => format!(
            "{} ({}). The first public acknowledgement came {} after the problem started",
            incident.title, incident.severity, acknowledge.text
        ),
        None => format!(
            "{} ({}). Nothing about it was ever published",
            incident.title, incident.severity
        ),
    };
    match resolve {
        Some(resolve) => text.push_str(&format!(
            "; it was resolved {} after it started, with {} updates.",
            human_duration(resolve),
            incident.updates.len()
        )),
        None => text.push_str(&format!(
            "; it is still open after {} updates.",
            incident.updates.len()
        )),
    }
    text
}

/// Detected, each update with its stage and status, resolved: in time order.
fn timeline(incident: &Incident, config: &Config) -> Vec<Entry> {
    let zone = config.org.timezone;
    let entry = |at: DateTime<Utc>, text: String| Entry {
        at: rfc3339(at),
        time: local_with_utc(at, zone),
        text: cell(&text),
    };
    let mut entries = vec![entry(
        incident.started_at,
        "Detected: the problem started".to_string(),
    )];
    for update in &incident.updates {
        let first_line = update
            .message
            .as_deref()
            .and_then(|message| message.lines().next())
            .unwrap_or_default();
        let what = if update.seq == 1 {
            format!("Acknowledged (update 1, {})", update.status)
        } else {
            format!(
                "Update {} ({}, {})",
                update.seq, update.stage, update.status
            )
        };
        // An update sent with the stage's default text has no message of its own.
        let text = match first_line.trim() {
            "" => format!("{what} by {}", update.author),
            said => format!("{what} by {}: {}", update.author, shorten(said, 120)),
        };
        entries.push(entry(update.at, text));
    }
    if let Some(resolved) = incident.resolved_at {
        entries.push(entry(resolved, "Resolved".to_string()));
    }
    entries.sort_by(|a, b| a.at.cmp(&b.at));
    entries
}

/// Makes text safe for one Markdown table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn shorten(text: &str, width: usize) -> String {
    match text.char_indices().nth(width) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}
