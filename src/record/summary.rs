//! `Summary`: what `list` and `due` show of an incident, read without its texts.
//!
//! A thousand incidents are tens of thousands of events; parsing every message and folding
//! whole timelines only to print one row each is most of `list`'s time and memory. This
//! reader skips messages, answers and publication attempts, and folds the same way as
//! [`Incident::fold`] for the fields it keeps (a property test holds the two together).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::event::{Bodies, Body, read_line};
use super::lines::{Dated, Line, Warning, parse_lines};
use super::state::PublicationState;
use super::state::{FoldError, Incident};
use super::timestamp;
use crate::config::Target;
use crate::vocab::Status;

/// One incident as a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub severity: String,
    pub components: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The promise of the latest update, while the incident is open.
    pub next_update_at: Option<DateTime<Utc>>,
    /// How many updates there are.
    pub updates: usize,
    /// When the whole incident was retracted as a false alarm, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted_at: Option<DateTime<Utc>>,
    /// Each update's stage and the targets that published it, in order: what `list` needs
    /// to say which updates went unsent.
    #[serde(skip)]
    pub sent: Vec<Sent>,
}

/// What deciding who receives a correction or retraction needs of each update.
struct Revisable<'e> {
    event_id: &'e str,
    at: DateTime<Utc>,
    /// The event id of the update it revises, for a correction or retraction of one.
    revises: Option<&'e str>,
    /// Each target that published it, and when that finished.
    published: Vec<(&'e str, DateTime<Utc>)>,
}

fn is_revision(stage: &str) -> bool {
    stage == crate::vocab::CORRECT || stage == crate::vocab::RETRACT
}

/// One update's stage and the targets that published it, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub stage: String,
    pub targets: Vec<String>,
    /// For a correction or retraction, the targets that carried what it revises: the only
    /// ones that receive it.
    pub carriers: Option<Vec<String>>,
}

impl Summary {
    /// The promised time of the next update when `now` is past it: what `due` and `tick`
    /// report.
    pub fn overdue_promise(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_update_at.filter(|at| *at < now)
    }

    /// The numbers of the updates that some target in `targets` receives but has not
    /// published, as [`Incident::unpublished`] counts them.
    pub fn unpublished(&self, targets: &[Target]) -> Vec<usize> {
        self.sent
            .iter()
            .enumerate()
            .filter(|(_, sent)| {
                targets.iter().any(|target| {
                    let receives = match &sent.carriers {
                        Some(carriers) => carriers.binary_search(&target.name).is_ok(),
                        None => target.receives(&sent.stage),
                    };
                    receives && sent.targets.binary_search(&target.name).is_err()
                })
            })
            .map(|(index, _)| index + 1)
            .collect()
    }

    /// Fills in who receives each correction and retraction: the targets that published
    /// what it revises before it was recorded, as [`super::revision::revised_on`] decides.
    fn with_carriers(mut self, updates: &[Revisable]) -> Summary {
        for (index, update) in updates.iter().enumerate() {
            if !is_revision(&self.sent[index].stage) {
                continue;
            }
            let before = |published: &[(&str, DateTime<Utc>)]| -> Vec<String> {
                published
                    .iter()
                    .filter(|(_, at)| *at <= update.at)
                    .map(|(target, _)| target.to_string())
                    .collect()
            };
            let mut carriers: Vec<String> = match update.revises {
                Some(revised) => updates
                    .iter()
                    .find(|other| other.event_id == revised)
                    .map(|other| before(&other.published))
                    .unwrap_or_default(),
                None => updates
                    .iter()
                    .zip(&self.sent)
                    .filter(|(_, sent)| !is_revision(&sent.stage))
                    .flat_map(|(other, _)| before(&other.published))
                    .collect(),
            };
            carriers.sort_unstable();
            carriers.dedup();
            self.sent[index].carriers = Some(carriers);
        }
        self
    }

    /// Returns the summary of a fully folded incident.
    pub fn of(incident: &Incident) -> Summary {
        let summary = Summary {
            id: incident.id.clone(),
            title: incident.title.clone(),
            status: incident.status,
            severity: incident.severity.clone(),
            components: incident.components.clone(),
            started_at: incident.started_at,
            acknowledged_at: incident.acknowledged_at,
            resolved_at: incident.resolved_at,
            next_update_at: incident.next_update_at,
            updates: incident.updates.len(),
            retracted_at: incident.retracted.as_ref().map(|retraction| retraction.at),
            sent: incident
                .updates
                .iter()
                .map(|update| {
                    let mut targets: Vec<String> = update
                        .publications
                        .iter()
                        .filter(|publication| publication.state == PublicationState::Published)
                        .map(|publication| publication.target.clone())
                        .collect();
                    targets.sort_unstable();
                    targets.dedup();
                    Sent {
                        stage: update.stage.clone(),
                        targets,
                        carriers: None,
                    }
                })
                .collect(),
        };
        if !incident.updates.iter().any(super::revision::is_revision) {
            return summary;
        }
        let revisable: Vec<Revisable> = incident
            .updates
            .iter()
            .map(|update| Revisable {
                event_id: &update.event_id,
                at: update.at,
                revises: update
                    .fields
                    .get(super::revision::field::REVISES)
                    .map(String::as_str),
                published: update
                    .publications
                    .iter()
                    .filter(|publication| publication.state == PublicationState::Published)
                    .filter_map(|publication| {
                        Some((publication.target.as_str(), publication.finished_at?))
                    })
                    .collect(),
            })
            .collect();
        summary.with_carriers(&revisable)
    }

    /// Reads an incident's log, returning its summary and the lines it skipped.
    pub fn read(id: &str, path: &Path, bytes: &[u8]) -> (Result<Summary, FoldError>, Vec<Warning>) {
        let (events, warnings) = parse_lines(path, bytes, parse_light);
        (Summary::fold(id, &events), warnings)
    }

    fn fold(id: &str, events: &[LightEvent]) -> Result<Summary, FoldError> {
        let opened = events
            .iter()
            .find_map(|event| match &event.body {
                LightBody::Opened(opened) => Some(opened),
                _ => None,
            })
            .ok_or_else(|| FoldError::NotOpened { id: id.to_string() })?;
        let mut summary = Summary {
            id: id.to_string(),
            title: opened.title.clone(),
            status: opened.update.status,
            severity: opened.severity.clone(),
            components: opened.components.clone(),
            started_at: opened.started_at,
            acknowledged_at: None,
            resolved_at: None,
            next_update_at: None,
            updates: 0,
            retracted_at: None,
            sent: Vec::new(),
        };
        let mut latest_promise = None;
        // Each update's place by its event id, and every (update, target) published.
        let mut update_index: HashMap<&str, usize> = HashMap::new();
        let mut published: Vec<(&str, &str, DateTime<Utc>)> = Vec::new();
        for event in events {
            let (update, resolved_at) = match &event.body {
                LightBody::Published(finished) => {
                    if finished.published {
                        published.push((&finished.update, &finished.target, event.at));
                    }
                    continue;
                }
                LightBody::Opened(opened) => (&opened.update, None),
                LightBody::Updated(update) => (update, None),
                LightBody::Resolved(resolved) => (&resolved.update, Some(resolved.resolved_at)),
                // As `Incident::fold` reads it: investigated again, with no end yet.
                LightBody::Reopened(reopened) => {
                    if summary.status == Status::Resolved {
                        summary.status = Status::Investigating;
                        summary.resolved_at = None;
                        latest_promise = reopened.next_update_at;
                    }
                    continue;
                }
            };
            let was_resolved = summary.status == Status::Resolved && summary.updates > 0;
            // As `Incident::fold` reads it: only `reopened` ends a resolution.
            summary.status = if was_resolved {
                Status::Resolved
            } else {
                update.status
            };
            if update.stage == crate::vocab::ACKNOWLEDGE && summary.acknowledged_at.is_none() {
                summary.acknowledged_at = Some(event.at);
            }
            summary.resolved_at = match (resolved_at, update.status) {
                (Some(at), _) => Some(at),
                (None, _) if was_resolved => summary.resolved_at,
                (None, Status::Resolved) => Some(event.at),
                _ => None,
            };
            summary.updates += 1;
            latest_promise = update.next_update_at;
            update_index.insert(&event.id, summary.sent.len());
            summary.sent.push(Sent {
                stage: update.stage.clone(),
                targets: Vec::new(),
                carriers: None,
            });
            if update.stage == crate::vocab::RETRACT
                && update.fields.revises.is_none()
                && summary.retracted_at.is_none()
            {
                summary.retracted_at = Some(event.at);
            }
        }
        // Only an incident with a correction or retraction needs the times of its
        // publications; most have none.
        let revised = summary.sent.iter().any(|sent| is_revision(&sent.stage));
        let mut revisable: Vec<Revisable> = Vec::new();
        if revised {
            revisable = events
                .iter()
                .filter_map(|event| {
                    let update = match &event.body {
                        LightBody::Opened(opened) => &opened.update,
                        LightBody::Updated(update) => update,
                        LightBody::Resolved(resolved) => &resolved.update,
                        LightBody::Reopened(_) | LightBody::Published(_) => return None,
                    };
                    Some(Revisable {
                        event_id: &event.id,
                        at: event.at,
                        revises: update.fields.revises.as_deref(),
                        published: Vec::new(),
                    })
                })
                .collect();
        }
        for (update, target, at) in published {
            if let Some(&index) = update_index.get(update) {
                summary.sent[index].targets.push(target.to_string());
                if revised {
                    revisable[index].published.push((target, at));
                }
            }
        }
        for sent in &mut summary.sent {
            sent.targets.sort_unstable();
            sent.targets.dedup();
        }
        if summary.status != Status::Resolved {
            summary.next_update_at = latest_promise;
        }
        if revised {
            summary = summary.with_carriers(&revisable);
        }
        Ok(summary)
    }
}

/// An event as this reader sees it: only the kinds that carry an update.
struct LightEvent {
    id: String,
    at: DateTime<Utc>,
    body: LightBody,
}

enum LightBody {
    Opened(LightOpened),
    Updated(LightUpdate),
    Resolved(LightResolved),
    Reopened(LightReopened),
    Published(LightFinished),
}

/// What a finished publication says that a summary needs: which update reached which
/// target.
#[derive(serde::Deserialize)]
struct LightFinished {
    update: String,
    target: String,
    published: bool,
}

/// What a reopening says that a summary needs: the promise made with it.
#[derive(serde::Deserialize)]
struct LightReopened {
    #[serde(default)]
    next_update_at: Option<DateTime<Utc>>,
}

impl Dated for LightEvent {
    fn id(&self) -> &str {
        &self.id
    }
    fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    id: String,
    at: DateTime<Utc>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    data: &'a RawValue,
}

/// An update's fields that matter here; its message and answers are skipped unread.
#[derive(Deserialize)]
struct LightUpdate {
    stage: String,
    status: Status,
    #[serde(default, deserialize_with = "timestamp::deserialize_option")]
    next_update_at: Option<DateTime<Utc>>,
    #[serde(default)]
    fields: LightFields,
}

/// The one answer a summary reads: what a correction or retraction revises.
#[derive(Default, Deserialize)]
struct LightFields {
    revises: Option<String>,
}

#[derive(Deserialize)]
struct LightOpened {
    title: String,
    severity: String,
    #[serde(default)]
    components: Vec<String>,
    #[serde(deserialize_with = "timestamp::deserialize")]
    started_at: DateTime<Utc>,
    update: LightUpdate,
}

#[derive(Deserialize)]
struct LightResolved {
    #[serde(deserialize_with = "timestamp::deserialize")]
    resolved_at: DateTime<Utc>,
    update: LightUpdate,
}

impl Bodies for LightBody {
    fn read<'de, D: serde::Deserializer<'de>>(kind: &str, data: D) -> Result<Body<Self>, D::Error> {
        Ok(Body::Known(match kind {
            "opened" => LightBody::Opened(LightOpened::deserialize(data)?),
            "updated" => LightBody::Updated(LightUpdate::deserialize(data)?),
            "resolved" => LightBody::Resolved(LightResolved::deserialize(data)?),
            "reopened" => LightBody::Reopened(LightReopened::deserialize(data)?),
            "publish_finished" => LightBody::Published(LightFinished::deserialize(data)?),
            other => {
                serde::de::IgnoredAny::deserialize(data)?;
                return Ok(if SKIPPED.contains(&other) {
                    Body::Skipped
                } else {
                    Body::Unknown
                });
            }
        }))
    }
}

/// The kinds this reader knows but does not need.
const SKIPPED: [&str; 3] = ["edited", "publish_started", "approved"];

/// Reads one line in one pass, or again the slow way when that fails (see
/// [`super::event::parse_line`]).
fn parse_light(text: &str) -> Line<LightEvent> {
    let Ok(read) = read_line::<LightBody>(text) else {
        return parse_light_twice(text);
    };
    match read.body {
        Body::Known(body) => Line::Item(LightEvent {
            id: read.id.into_owned(),
            at: read.at,
            body,
        }),
        Body::Skipped => Line::Skipped {
            id: read.id.into_owned(),
        },
        Body::Unknown => Line::UnknownKind {
            id: read.id.into_owned(),
            kind: read.kind.into_owned(),
        },
    }
}

fn parse_light_twice(text: &str) -> Line<LightEvent> {
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        Err(error) => return Line::Invalid(error.to_string()),
    };
    let data = envelope.data.get();
    let body = match envelope.kind.as_ref() {
        "opened" => serde_json::from_str(data).map(LightBody::Opened),
        "updated" => serde_json::from_str(data).map(LightBody::Updated),
        "resolved" => serde_json::from_str(data).map(LightBody::Resolved),
        "reopened" => serde_json::from_str(data).map(LightBody::Reopened),
        "publish_finished" => serde_json::from_str(data).map(LightBody::Published),
        kind if SKIPPED.contains(&kind) => {
            return Line::Skipped { id: envelope.id };
        }
        _ => {
            return Line::UnknownKind {
                id: envelope.id,
                kind: envelope.kind.into_owned(),
            };
        }
    };
    match body {
        Ok(body) => Line::Item(LightEvent {
            id: envelope.id,
            at: envelope.at,
            body,
        }),
        Err(error) => Line::Invalid(format!("bad `{}` event: {error}", envelope.kind)),
    }
}

#[cfg(test)]
mod tests {
    use crate::record::Fields;

    use proptest::prelude::*;

    use super::*;
    use crate::record::event::{Edited, Event, EventBody, Opened, Resolved, UpdateBody};
    use crate::record::store::parse_log;

    fn update(stage: &str, status: Status, promise: Option<i64>) -> UpdateBody {
        UpdateBody {
            seq: 0,
            stage: stage.to_string(),
            status,
            message: Some("A message with \"quotes\" and\nlines".into()),
            fields: Fields::from([("impact".to_string(), "some".to_string())]),
            next_update_at: promise.map(at),
        }
    }

    fn at(minute: i64) -> DateTime<Utc> {
        "2026-11-24T08:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::minutes(minute)
    }

    /// One event from generated numbers: a kind, a minute, a stage and a status.
    fn event(index: usize, (kind, minute, stage, status): (u8, i64, u8, u8)) -> Event {
        let stage = ["acknowledge", "explain", "apologize", "resolve"][usize::from(stage % 4)];
        let status = Status::ALL[usize::from(status % 4)];
        let promise = (minute % 3 != 0).then_some(minute + 30);
        let body = match kind % 5 {
            0 => EventBody::Opened(Box::new(Opened {
                title: format!("Title {index}"),
                severity: "sev1".to_string(),
                components: vec!["api".to_string()],
                started_at: at(minute - 5),
                update: update(stage, status, promise),
            })),
            1 | 2 => EventBody::Updated(update(stage, status, promise)),
            3 => EventBody::Resolved(Resolved {
                resolved_at: at(minute - 1),
                update: update("resolve", Status::Resolved, None),
            }),
            _ => EventBody::Edited(Edited {
                update: "01JNOSUCHUPDATE".to_string(),
                channel: crate::vocab::Channel::Status,
                text: "edited".to_string(),
            }),
        };
        Event {
            id: format!("01JEVENT{index:05}"),
            at: at(minute),
            author: "Dana".to_string(),
            body,
        }
    }

    #[test]
    fn what_was_published_is_read_as_the_full_fold_reads_it() {
        use crate::record::event::{PublishAction, PublishFinished, PublishStarted};
        let make = |id: &str, minute: i64, body: EventBody| Event {
            id: id.to_string(),
            at: at(minute),
            author: "Dana".to_string(),
            body,
        };
        let started = |target: &str| {
            EventBody::PublishStarted(Box::new(PublishStarted {
                update: "01JA".to_string(),
                target: target.to_string(),
                action: PublishAction::Create,
                key: "key".to_string(),
                text_hash: "hash".to_string(),
                remote_id: None,
                overridden: Vec::new(),
            }))
        };
        let finished = |attempt: &str, target: &str, published: bool| {
            EventBody::PublishFinished(Box::new(PublishFinished {
                attempt: attempt.to_string(),
                update: "01JA".to_string(),
                target: target.to_string(),
                published,
                uncertain: false,
                tries: 1,
                remote_id: None,
                url: None,
                errors: Vec::new(),
            }))
        };
        let events = [
            make(
                "01JA",
                0,
                EventBody::Opened(Box::new(Opened {
                    title: "Broken".to_string(),
                    severity: "sev1".to_string(),
                    components: Vec::new(),
                    started_at: at(0),
                    update: update("acknowledge", Status::Investigating, Some(30)),
                })),
            ),
            make("01JB", 1, started("status-site")),
            make("01JC", 2, finished("01JB", "status-site", true)),
            make("01JD", 3, started("chat")),
            make("01JE", 4, finished("01JD", "chat", false)),
            make(
                "01JF",
                5,
                EventBody::Updated(update("explain", Status::Identified, Some(60))),
            ),
        ];
        let bytes = events
            .iter()
            .map(Event::to_line)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        let path = Path::new("events.jsonl");
        let full = Incident::fold("abc1234", &parse_log(path, bytes.as_bytes()).events).unwrap();
        let (light, _) = Summary::read("abc1234", path, bytes.as_bytes());
        let light = light.unwrap();
        assert_eq!(Summary::of(&full), light);
        assert_eq!(
            light.sent,
            [
                Sent {
                    stage: "acknowledge".to_string(),
                    targets: vec!["status-site".to_string()],
                    carriers: None,
                },
                Sent {
                    stage: "explain".to_string(),
                    targets: Vec::new(),
                    carriers: None,
                },
            ]
        );
    }

    proptest! {
        #[test]
        fn summaries_match_the_full_fold(
            specs in proptest::collection::vec((0u8..5, 0i64..120, 0u8..4, 0u8..4), 1..40),
            duplicate in 0usize..40,
        ) {
            let events: Vec<Event> = specs.into_iter().enumerate().map(|(index, spec)| event(index, spec)).collect();
            let mut log: Vec<String> = events.iter().map(Event::to_line).collect();
            // A union merge can repeat a line; both readers must drop it.
            let repeated = log[duplicate % log.len()].clone();
            log.push(repeated);
            let bytes = log.join("\n") + "\n";
            let path = Path::new("events.jsonl");
            let full = Incident::fold("abc1234", &parse_log(path, bytes.as_bytes()).events);
            let (light, _) = Summary::read("abc1234", path, bytes.as_bytes());
            match (full, light) {
                (Ok(full), Ok(light)) => prop_assert_eq!(Summary::of(&full), light),
                (Err(_), Err(_)) => {}
                (full, light) => prop_assert!(false, "{:?} vs {:?}", full.map(|i| i.id), light),
            }
        }
    }
}
