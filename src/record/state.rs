//! `Incident`: the current state of an incident as a pure fold over its ordered events.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::event::{
    Approved, Edited, Event, EventBody, PublishAction, PublishFinished, PublishStarted, Reopened,
    UpdateBody,
};
use super::fields::Fields;
use super::revision::Revision;
use super::text::Shared;
use super::timestamp;
use crate::vocab::Status;

/// An incident as its events describe it. This is also the shape of `show --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub severity: String,
    pub components: Vec<String>,
    /// Who or what is affected: the latest `impact` answer of any update.
    pub impact: Option<String>,
    #[serde(serialize_with = "timestamp::serialize")]
    pub started_at: DateTime<Utc>,
    #[serde(serialize_with = "timestamp::serialize")]
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    #[serde(serialize_with = "timestamp::serialize_option")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "timestamp::serialize_option")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// The promise of the latest update, while the incident is open.
    #[serde(serialize_with = "timestamp::serialize_option")]
    pub next_update_at: Option<DateTime<Utc>>,
    pub updates: Vec<Update>,
    pub timeline: Vec<TimelineEntry>,
    /// The retraction of the whole incident (a false alarm), if one was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted: Option<Box<Revision>>,
}

/// One update, numbered by its place in time order.
#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub seq: usize,
    /// The id of the event that recorded it.
    pub event_id: String,
    pub stage: String,
    pub status: Status,
    #[serde(serialize_with = "timestamp::serialize")]
    pub at: DateTime<Utc>,
    pub author: String,
    pub message: Option<Shared>,
    pub fields: Fields,
    #[serde(serialize_with = "timestamp::serialize_option")]
    pub next_update_at: Option<DateTime<Utc>>,
    pub publications: Vec<Publication>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
    /// Texts a person edited, by channel; the latest edit wins.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub edits: BTreeMap<crate::vocab::Channel, String>,
    /// The latest correction of this update: `message` is then its corrected text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<Box<Revision>>,
    /// The retraction of this update, if one was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted: Option<Box<Revision>>,
}

/// Where an update was published, and how that went: one per `publish_started` event.
#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    pub target: String,
    pub state: PublicationState,
    pub action: PublishAction,
    /// The id of the `publish_started` event.
    pub attempt: String,
    pub key: String,
    pub text_hash: String,
    #[serde(serialize_with = "timestamp::serialize")]
    pub started_at: DateTime<Utc>,
    #[serde(serialize_with = "timestamp::serialize_option")]
    pub finished_at: Option<DateTime<Utc>>,
    pub tries: u32,
    pub remote_id: Option<String>,
    pub url: Option<String>,
    pub error: Option<String>,
    /// Error-level findings `--force` published past.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overridden: Vec<String>,
}

/// Where a publication stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationState {
    /// Started and never finished: the process died mid-request, or is still running.
    InFlight,
    Published,
    Failed,
    /// Finished without an answer that says whether it arrived, at a target that cannot
    /// tell: not sent again until a person checks.
    Uncertain,
}

impl PublicationState {
    pub fn name(self) -> &'static str {
        match self {
            PublicationState::InFlight => "in flight",
            PublicationState::Published => "published",
            PublicationState::Failed => "failed",
            PublicationState::Uncertain => "uncertain",
        }
    }
}

impl std::fmt::Display for PublicationState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Who approved an update's texts, and which texts (by hash, per channel).
#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub by: String,
    #[serde(serialize_with = "timestamp::serialize")]
    pub at: DateTime<Utc>,
    pub texts: BTreeMap<crate::vocab::Channel, String>,
}

/// Whether a text may go out to a target that requires approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalState {
    /// Someone approved exactly this text for its channel.
    Approved,
    /// Nobody approved the update yet.
    NotApproved,
    /// The update was approved, but not this text (it was edited or re-rendered since).
    Changed,
}

/// One line of the incident's history, for people.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    #[serde(serialize_with = "timestamp::serialize")]
    pub at: DateTime<Utc>,
    /// The kind of the event it comes from.
    pub kind: &'static str,
    pub author: String,
    pub text: Said,
}

/// What a timeline entry says: a head ("explain update (identified)"), then for an update
/// its message as first written, shared with the update rather than copied.
#[derive(Debug, Clone)]
pub struct Said {
    head: String,
    message: Option<Shared>,
}

impl Said {
    fn new(head: String) -> Said {
        Said {
            head,
            message: None,
        }
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.head)?;
        match &self.message {
            Some(message) => write!(f, ": {message}"),
            None => Ok(()),
        }
    }
}

/// A JSON string, written in pieces as [`fmt::Display`] shows it.
impl Serialize for Said {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why events could not be folded into an incident.
#[derive(Debug, thiserror::Error)]
pub enum FoldError {
    #[error("incident `{id}` has no `opened` event, so its title and severity are unknown")]
    NotOpened { id: String },
}

impl Incident {
    /// Folds ordered, deduplicated events (as [`super::store::parse_log`] returns them).
    /// [`Incident::from_events`] does the same without copying them.
    pub fn fold(id: &str, events: &[Event]) -> Result<Incident, FoldError> {
        Incident::from_events(id, events.to_vec())
    }

    /// Folds ordered, deduplicated events by consuming them: messages, answers and texts
    /// move into the incident rather than being copied.
    pub fn from_events(id: &str, events: Vec<Event>) -> Result<Incident, FoldError> {
        let (opening, opened_event, opened) = events
            .iter()
            .enumerate()
            .find_map(|(index, event)| match &event.body {
                EventBody::Opened(opened) => Some((index, event, opened)),
                _ => None,
            })
            .ok_or_else(|| FoldError::NotOpened { id: id.to_string() })?;

        // The title, severity and components move in when the opening event is applied.
        let mut incident = Incident {
            id: id.to_string(),
            title: String::new(),
            status: opened.update.status,
            severity: String::new(),
            components: Vec::new(),
            impact: None,
            started_at: opened.started_at,
            opened_at: opened_event.at,
            opened_by: opened_event.author.clone(),
            acknowledged_at: None,
            resolved_at: None,
            next_update_at: None,
            updates: Vec::with_capacity(
                events
                    .iter()
                    .filter(|event| event.body.update().is_some())
                    .count(),
            ),
            timeline: Vec::with_capacity(events.len() + 1),
            retracted: None,
        };
        if opened.started_at < opened_event.at {
            incident.timeline.push(TimelineEntry {
                at: opened.started_at,
                kind: "started",
                author: opened_event.author.clone(),
                text: Said::new("The problem started".to_string()),
            });
        }
        // Events that refer to an update (edits, approvals, publications) are applied after
        // every update, and a publication's finish after every start: an update recorded
        // by a clock that runs ahead sorts after its publications from a clock that is
        // behind, and those still belong to it. The timeline keeps the record's order.
        let mut later = Vec::new();
        let mut last = Vec::new();
        let mut order = Vec::with_capacity(events.len() + 1);
        order.resize(incident.timeline.len(), 0);
        for (index, event) in events.into_iter().enumerate() {
            match event.body {
                EventBody::PublishFinished(_) => last.push((index, event)),
                EventBody::Edited(_) | EventBody::Approved(_) | EventBody::PublishStarted(_) => {
                    later.push((index, event));
                }
                _ => {
                    incident.apply(event, index == opening);
                    order.resize(incident.timeline.len(), index + 1);
                }
            }
        }
        let reordered = !later.is_empty() || !last.is_empty();
        for (index, event) in later.into_iter().chain(last) {
            incident.apply(event, false);
            order.resize(incident.timeline.len(), index + 1);
        }
        if reordered {
            let mut timeline: Vec<(usize, TimelineEntry)> =
                order.into_iter().zip(incident.timeline).collect();
            timeline.sort_by_key(|(index, _)| *index);
            incident.timeline = timeline.into_iter().map(|(_, entry)| entry).collect();
        }
        super::revision::apply_all(&mut incident);
        // The latest promise stands: the last update's, or the reopening's when that came
        // after it (`apply_reopen` keeps it).
        let reopened_at = incident
            .timeline
            .iter()
            .rev()
            .find(|entry| entry.kind == "reopened")
            .map(|entry| entry.at);
        incident.next_update_at = match (incident.updates.last(), reopened_at) {
            _ if incident.status == Status::Resolved => None,
            (Some(last), Some(reopened)) if reopened >= last.at => incident.next_update_at,
            (Some(last), _) => last.next_update_at,
            (None, _) => None,
        };
        Ok(incident)
    }

    /// A reopened incident is being investigated again and no longer has an end.
    fn apply_reopen(&mut self, at: DateTime<Utc>, author: String, reopened: Reopened) {
        if self.status != Status::Resolved {
            return;
        }
        self.status = Status::Investigating;
        self.resolved_at = None;
        self.next_update_at = reopened.next_update_at;
        self.timeline.push(TimelineEntry {
            at,
            kind: "reopened",
            author,
            text: Said::new(format!("Reopened: {}", reopened.reason)),
        });
    }

    fn apply(&mut self, event: Event, is_opening: bool) {
        let Event {
            id,
            at,
            author,
            body,
        } = event;
        let kind = body.kind();
        // The update the event carries, when it was resolved if it says, and the start of
        // its timeline text if not the usual "STAGE update (STATUS)".
        let (body, resolved_at, head) = match body {
            EventBody::Edited(edited) => return self.apply_edit(at, author, edited),
            EventBody::PublishStarted(started) => {
                return self.apply_publish_started(id, at, *started);
            }
            EventBody::PublishFinished(finished) => {
                return self.apply_publish_finished(at, author, *finished);
            }
            EventBody::Approved(approved) => return self.apply_approval(at, author, approved),
            EventBody::Reopened(reopened) => return self.apply_reopen(at, author, reopened),
            EventBody::Opened(opened) if is_opening => {
                let mut text = format!("Opened \"{}\" ({})", opened.title, opened.severity);
                if !opened.components.is_empty() {
                    text.push_str(&format!(", affecting {}", opened.components.join(", ")));
                }
                self.title = opened.title;
                self.severity = opened.severity;
                self.components = opened.components;
                (opened.update, None, Some(text))
            }
            // A second `opened` (the same id chosen in two clones) counts as an update.
            EventBody::Opened(opened) => (opened.update, None, None),
            EventBody::Updated(update) => (update, None, None),
            EventBody::Resolved(resolved) => (
                resolved.update,
                Some(resolved.resolved_at),
                Some("Resolved".to_string()),
            ),
        };
        let was_resolved = self.status == Status::Resolved && !self.updates.is_empty();
        // Only a `reopened` event takes an incident out of `resolved`: an update that sorts
        // after the resolution (a merged clone, a clock running ahead) does not.
        self.status = if was_resolved {
            Status::Resolved
        } else {
            body.status
        };
        if body.stage == crate::vocab::ACKNOWLEDGE && self.acknowledged_at.is_none() {
            self.acknowledged_at = Some(at);
        }
        if let Some(impact) = body
            .fields
            .get("impact")
            .filter(|text| !text.trim().is_empty())
        {
            self.impact = Some(impact.clone());
        }
        self.resolved_at = match (resolved_at, body.status) {
            (Some(resolved_at), _) => Some(resolved_at),
            (None, _) if was_resolved => self.resolved_at,
            (None, Status::Resolved) => Some(at),
            _ => None,
        };
        let head = head.unwrap_or_else(|| {
            // Built by hand: `format!` is a good part of folding a long incident.
            let mut head = String::with_capacity(body.stage.len() + 24);
            head.push_str(&body.stage);
            head.push_str(" update (");
            head.push_str(body.status.name());
            head.push(')');
            head
        });
        self.timeline.push(TimelineEntry {
            at,
            kind,
            author: author.clone(),
            text: Said {
                head,
                message: body.message.clone(),
            },
        });
        let seq = self.updates.len() + 1;
        self.updates.push(Update::new(seq, id, at, author, body));
    }
}

impl Incident {
    /// Returns the update an event refers to by its event id; `None` for one this clone has
    /// not seen yet (it arrives with a merge). Ids are unique, and events mostly refer to a
    /// recent update, so the search starts from the latest.
    fn update_mut(&mut self, event_id: &str) -> Option<&mut Update> {
        self.updates
            .iter_mut()
            .rev()
            .find(|update| update.event_id == event_id)
    }

    fn apply_edit(&mut self, at: DateTime<Utc>, author: String, edited: Edited) {
        // An edit of an update this clone has not seen yet (before a merge) has nowhere to go.
        let Some(update) = self.update_mut(&edited.update) else {
            return;
        };
        update.edits.insert(edited.channel, edited.text);
        let text = format!(
            "Edited the {} text of update {}",
            edited.channel, update.seq
        );
        self.timeline.push(TimelineEntry {
            at,
            kind: "edited",
            author,
            text: Said::new(text),
        });
    }

    fn apply_publish_started(&mut self, id: String, at: DateTime<Utc>, started: PublishStarted) {
        let Some(update) = self.update_mut(&started.update) else {
            return;
        };
        update.publications.push(Publication {
            target: started.target,
            state: PublicationState::InFlight,
            action: started.action,
            attempt: id,
            key: started.key,
            text_hash: started.text_hash,
            started_at: at,
            finished_at: None,
            tries: 0,
            remote_id: started.remote_id,
            url: None,
            error: None,
            overridden: started.overridden,
        });
    }

    fn apply_publish_finished(
        &mut self,
        at: DateTime<Utc>,
        author: String,
        mut finished: PublishFinished,
    ) {
        let Some(update) = self.update_mut(&finished.update) else {
            return;
        };
        let Some(publication) = update
            .publications
            .iter_mut()
            .find(|publication| publication.attempt == finished.attempt)
        else {
            return;
        };
        let seq = update.seq;
        let text = match (finished.published, &finished.url) {
            (true, Some(url)) => format!("Published update {seq} to {}: {url}", finished.target),
            (true, None) => format!("Published update {seq} to {}", finished.target),
            (false, _) if finished.uncertain => format!(
                "Publishing update {seq} to {} is uncertain: {}",
                finished.target,
                finished.errors.last().map_or("", String::as_str)
            ),
            (false, _) => format!(
                "Publishing update {seq} to {} failed: {}",
                finished.target,
                finished.errors.last().map_or("", String::as_str)
            ),
        };
        publication.state = if finished.published {
            PublicationState::Published
        } else if finished.uncertain {
            PublicationState::Uncertain
        } else {
            PublicationState::Failed
        };
        publication.finished_at = Some(at);
        publication.tries = finished.tries;
        if finished.remote_id.is_some() {
            publication.remote_id = finished.remote_id;
        }
        publication.url = finished.url;
        // Errors of tries before a success are history, not the publication's state.
        publication.error = if finished.published {
            None
        } else {
            finished.errors.pop()
        };
        self.timeline.push(TimelineEntry {
            at,
            kind: "publish_finished",
            author,
            text: Said::new(text),
        });
    }

    fn apply_approval(&mut self, at: DateTime<Utc>, author: String, approved: Approved) {
        let Some(update) = self.update_mut(&approved.update) else {
            return;
        };
        update.approvals.push(Approval {
            by: author.clone(),
            at,
            texts: approved.texts,
        });
        let seq = update.seq;
        self.timeline.push(TimelineEntry {
            at,
            kind: "approved",
            author,
            text: Said::new(format!("Approved update {seq} for publishing")),
        });
    }
}

impl Update {
    /// Returns the latest publication of this update to `target`.
    pub fn latest_publication(&self, target: &str) -> Option<&Publication> {
        self.publications
            .iter()
            .rev()
            .find(|publication| publication.target == target)
    }

    /// Returns the latest published post of this update on `target`: the one an edit
    /// changes.
    pub fn published_on(&self, target: &str) -> Option<&Publication> {
        self.publications.iter().rev().find(|publication| {
            publication.target == target && publication.state == PublicationState::Published
        })
    }

    /// Returns whether the text whose hash is `text_hash` is approved for `channel`. An
    /// approval counts only for the texts it saw: the same hash, for the same channel.
    pub fn approval_of(&self, channel: crate::vocab::Channel, text_hash: &str) -> ApprovalState {
        if self
            .approvals
            .iter()
            .any(|approval| approval.texts.get(&channel).map(String::as_str) == Some(text_hash))
        {
            ApprovalState::Approved
        } else if self.approvals.is_empty() {
            ApprovalState::NotApproved
        } else {
            ApprovalState::Changed
        }
    }

    fn new(
        seq: usize,
        event_id: String,
        at: DateTime<Utc>,
        author: String,
        body: UpdateBody,
    ) -> Update {
        Update {
            seq,
            event_id,
            stage: body.stage,
            status: body.status,
            at,
            author,
            message: body.message,
            fields: body.fields,
            next_update_at: body.next_update_at,
            publications: Vec::new(),
            approvals: Vec::new(),
            edits: BTreeMap::new(),
            corrected: None,
            retracted: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::event::{Opened, Resolved};

    fn body(stage: &str, status: Status, message: &str) -> UpdateBody {
        UpdateBody {
            seq: 0,
            stage: stage.to_string(),
            status,
            message: Some(message.into()),
            fields: Fields::new(),
            next_update_at: Some("2026-11-24T09:00:00Z".parse().unwrap()),
        }
    }

    fn event(id: &str, at: &str, body: EventBody) -> Event {
        Event {
            id: id.to_string(),
            at: at.parse().unwrap(),
            author: "Dana".to_string(),
            body,
        }
    }

    #[test]
    fn said_is_written_as_the_one_string_it_shows() {
        let message: Shared = "Uploads \"fail\"\n\u{1b}[31m <@here> \\ done".into();
        let said = Said {
            head: "explain update (identified)".to_string(),
            message: Some(message),
        };
        let whole = said.to_string();
        assert_eq!(
            whole,
            "explain update (identified): Uploads \"fail\"\n\u{1b}[31m <@here> \\ done"
        );
        assert_eq!(
            serde_json::to_string(&said).unwrap(),
            serde_json::to_string(&whole).unwrap()
        );
        assert_eq!(
            serde_json::to_string_pretty(&Said::new("Resolved".to_string())).unwrap(),
            "\"Resolved\""
        );
    }

    #[test]
    fn folds_a_whole_incident() {
        let mut ack = body("acknowledge", Status::Investigating, "Looking into it");
        ack.fields.insert(
            "impact".to_string(),
            "Some users see others' photos".to_string(),
        );
        let events = vec![
            event(
                "01A",
                "2026-11-24T08:10:00Z",
                EventBody::Opened(Box::new(Opened {
                    title: "Wrong photos".to_string(),
                    severity: "sev1".to_string(),
                    components: vec!["photos".to_string()],
                    started_at: "2026-11-24T08:00:00Z".parse().unwrap(),
                    update: ack,
                })),
            ),
            event(
                "01B",
                "2026-11-24T08:40:00Z",
                EventBody::Updated(body("explain", Status::Identified, "A cache bug")),
            ),
            event(
                "01C",
                "2026-11-24T09:30:00Z",
                EventBody::Resolved(Resolved {
                    resolved_at: "2026-11-24T09:20:00Z".parse().unwrap(),
                    update: UpdateBody {
                        next_update_at: None,
                        ..body("resolve", Status::Resolved, "Fixed")
                    },
                }),
            ),
        ];
        let incident = Incident::fold("abc", &events).unwrap();
        assert_eq!(incident.status, Status::Resolved);
        assert_eq!(
            incident.acknowledged_at,
            Some("2026-11-24T08:10:00Z".parse().unwrap())
        );
        assert_eq!(
            incident.resolved_at,
            Some("2026-11-24T09:20:00Z".parse().unwrap())
        );
        assert_eq!(incident.next_update_at, None);
        assert_eq!(
            incident.impact.as_deref(),
            Some("Some users see others' photos")
        );
        let seqs: Vec<usize> = incident.updates.iter().map(|u| u.seq).collect();
        assert_eq!(seqs, [1, 2, 3]);
        let kinds: Vec<&str> = incident.timeline.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, ["started", "opened", "updated", "resolved"]);

        // An update after the resolution (a merged clone) leaves it resolved ...
        let late = event(
            "01D",
            "2026-11-24T10:00:00Z",
            EventBody::Updated(body("explain", Status::Investigating, "It is back")),
        );
        let mut more = events.clone();
        more.push(late);
        let incident = Incident::fold("abc", &more).unwrap();
        assert_eq!(incident.status, Status::Resolved);
        assert!(incident.resolved_at.is_some());
        // ... and only a reopening takes it out.
        more.push(event(
            "01E",
            "2026-11-24T10:05:00Z",
            EventBody::Reopened(Reopened {
                reason: "It is back".to_string(),
                next_update_at: None,
            }),
        ));
        more.push(event(
            "01F",
            "2026-11-24T10:10:00Z",
            EventBody::Updated(body("explain", Status::Investigating, "Looking again")),
        ));
        let incident = Incident::fold("abc", &more).unwrap();
        assert_eq!(incident.status, Status::Investigating);
        assert_eq!(incident.resolved_at, None);
        assert!(incident.next_update_at.is_some());
    }

    #[test]
    fn an_approval_counts_for_the_texts_it_saw() {
        use crate::vocab::Channel;
        let opened = event(
            "01A",
            "2026-11-24T08:10:00Z",
            EventBody::Opened(Box::new(Opened {
                title: "Wrong photos".to_string(),
                severity: "sev1".to_string(),
                components: Vec::new(),
                started_at: "2026-11-24T08:00:00Z".parse().unwrap(),
                update: body("acknowledge", Status::Investigating, "Looking"),
            })),
        );
        let approved = event(
            "01B",
            "2026-11-24T08:20:00Z",
            EventBody::Approved(Approved {
                update: "01A".to_string(),
                texts: BTreeMap::from([(Channel::Status, "aa".to_string())]),
            }),
        );
        let incident = Incident::fold("abc", std::slice::from_ref(&opened)).unwrap();
        assert_eq!(
            incident.updates[0].approval_of(Channel::Status, "aa"),
            ApprovalState::NotApproved
        );
        let incident = Incident::from_events("abc", vec![opened, approved]).unwrap();
        let update = &incident.updates[0];
        assert_eq!(
            update.approval_of(Channel::Status, "aa"),
            ApprovalState::Approved
        );
        assert_eq!(
            update.approval_of(Channel::Status, "bb"),
            ApprovalState::Changed
        );
        assert_eq!(
            update.approval_of(Channel::Email, "aa"),
            ApprovalState::Changed
        );
    }

    #[test]
    fn needs_an_opening() {
        let events = vec![event(
            "01B",
            "2026-11-24T08:40:00Z",
            EventBody::Updated(body("explain", Status::Identified, "x")),
        )];
        assert!(matches!(
            Incident::fold("abc", &events),
            Err(FoldError::NotOpened { .. })
        ));
    }

    /// Issue 12: an update recorded by a clock ten minutes ahead, published by one that is
    /// behind, keeps its publications, and the timeline stays in the record's order.
    #[test]
    fn publications_belong_to_their_update_whatever_the_clocks() {
        use crate::record::event::{PublishAction, PublishFinished, PublishStarted};
        let opened = event(
            "01A",
            "2026-11-24T08:00:00Z",
            EventBody::Opened(Box::new(Opened {
                title: "Wrong photos".to_string(),
                severity: "sev1".to_string(),
                components: Vec::new(),
                started_at: "2026-11-24T08:00:00Z".parse().unwrap(),
                update: body("acknowledge", Status::Investigating, "Looking"),
            })),
        );
        let ahead = event(
            "01B",
            "2026-11-24T08:15:00Z",
            EventBody::Updated(body("explain", Status::Identified, "A cache bug")),
        );
        let started = event(
            "01C",
            "2026-11-24T08:05:00Z",
            EventBody::PublishStarted(Box::new(PublishStarted {
                update: "01B".to_string(),
                target: "chat".to_string(),
                action: PublishAction::Create,
                key: "01b-chat".to_string(),
                text_hash: "h".to_string(),
                remote_id: None,
                overridden: Vec::new(),
            })),
        );
        // Its own clock stepped back between start and finish.
        let finished = event(
            "01D",
            "2026-11-24T08:04:00Z",
            EventBody::PublishFinished(Box::new(PublishFinished {
                attempt: "01C".to_string(),
                update: "01B".to_string(),
                target: "chat".to_string(),
                published: true,
                uncertain: false,
                tries: 1,
                remote_id: Some("m1".to_string()),
                url: None,
                errors: Vec::new(),
            })),
        );
        // In the order the store hands them over: by time, then id.
        let events = vec![opened, finished, started, ahead];
        let incident = Incident::from_events("abc", events).unwrap();
        let update = &incident.updates[1];
        assert_eq!(update.publications.len(), 1);
        assert_eq!(update.publications[0].state, PublicationState::Published);
        assert_eq!(update.publications[0].remote_id.as_deref(), Some("m1"));
        let kinds: Vec<&str> = incident.timeline.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, ["opened", "publish_finished", "updated"]);
    }
}
