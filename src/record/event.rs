//! `Event`: one line of an incident's `events.jsonl`, and how a line is read and written.
//!
//! A line is `{"id":…,"at":…,"author":…,"kind":…,"data":{…}}`. The envelope is the same
//! for every kind, so a reader can date, order and deduplicate an event it does not
//! understand; `data` is parsed only for kinds this version knows. One event per line keeps
//! `git log -p` readable and lets git's union merge combine two clones' appends.

use std::collections::BTreeMap;

use crate::vocab::Status;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// One recorded event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// A ULID: unique across clones, sortable by creation time.
    pub id: String,
    /// When it happened, as the tool's clock said.
    pub at: DateTime<Utc>,
    pub author: String,
    pub body: EventBody,
}

/// What happened. New kinds are added here and to [`EventBody::kind`] and [`parse_body`].
#[derive(Debug, Clone, PartialEq)]
pub enum EventBody {
    Opened(Opened),
    Updated(UpdateBody),
    Resolved(Resolved),
    Edited(Edited),
    PublishStarted(PublishStarted),
    PublishFinished(PublishFinished),
    Approved(Approved),
}

impl EventBody {
    /// Returns the `kind` written on the line.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Opened(_) => "opened",
            EventBody::Updated(_) => "updated",
            EventBody::Resolved(_) => "resolved",
            EventBody::Edited(_) => "edited",
            EventBody::PublishStarted(_) => "publish_started",
            EventBody::PublishFinished(_) => "publish_finished",
            EventBody::Approved(_) => "approved",
        }
    }

    /// Returns the update this event carries; every kind so far carries one.
    pub fn update(&self) -> Option<&UpdateBody> {
        match self {
            EventBody::Opened(opened) => Some(&opened.update),
            EventBody::Updated(update) => Some(update),
            EventBody::Resolved(resolved) => Some(&resolved.update),
            EventBody::Edited(_)
            | EventBody::PublishStarted(_)
            | EventBody::PublishFinished(_)
            | EventBody::Approved(_) => None,
        }
    }
}

/// The incident was declared; carries the acknowledgement as its first update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opened {
    pub title: String,
    pub severity: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// When the problem started or was detected, which may be before the incident was opened.
    pub started_at: DateTime<Utc>,
    pub update: UpdateBody,
}

/// One update of the incident: a playbook stage's answers and the status it sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// The number this update had when written, for people reading the log. Readers number
    /// updates by time order instead, because two clones can both write the same number.
    pub seq: u32,
    pub stage: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Answers to the stage's questions and `--field KEY=VALUE` pairs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update_at: Option<DateTime<Utc>>,
}

/// Whether a publication makes a new post or changes one made before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishAction {
    Create,
    Edit,
}

/// A publication to one target is about to be sent. It is on disk before any request
/// goes out, so a crash mid-request leaves a trace the next run resolves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishStarted {
    /// The id of the event that recorded the update.
    pub update: String,
    pub target: String,
    pub action: PublishAction,
    /// The idempotency key (or `webhook-id`) every try of this publication carries.
    pub key: String,
    /// SHA-256 of the text sent, to notice a later edit.
    pub text_hash: String,
    /// The remote post an edit changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    /// Error-level findings of the checks that `--force` published past.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridden: Vec<String>,
}

/// How a publication ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishFinished {
    /// The id of the `publish_started` event.
    pub attempt: String,
    pub update: String,
    pub target: String,
    pub published: bool,
    /// How many requests it took, retries included.
    pub tries: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Why it failed, or what went wrong on tries before it succeeded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// A person approved the texts of an update for publishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approved {
    pub update: String,
    /// SHA-256 of each channel's text as approved.
    pub texts: BTreeMap<crate::vocab::Channel, String>,
}

/// The incident was declared over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolved {
    pub resolved_at: DateTime<Utc>,
    pub update: UpdateBody,
}

/// A person replaced the rendered text of one update for one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edited {
    /// The id of the event that recorded the update.
    pub update: String,
    pub channel: crate::vocab::Channel,
    pub text: String,
}

#[derive(Serialize)]
struct LineOut<'a, T: Serialize> {
    id: &'a str,
    at: String,
    author: &'a str,
    kind: &'a str,
    data: &'a T,
}

#[derive(Deserialize)]
struct LineIn<'a> {
    id: String,
    at: DateTime<Utc>,
    author: String,
    #[serde(borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    data: &'a RawValue,
}

impl Event {
    /// Returns the event as one JSON line, without the trailing newline.
    pub fn to_line(&self) -> String {
        fn line<T: Serialize>(event: &Event, data: &T) -> String {
            serde_json::to_string(&LineOut {
                id: &event.id,
                at: crate::time::rfc3339(event.at),
                author: &event.author,
                kind: event.body.kind(),
                data,
            })
            .expect("events hold only strings, maps and times, which always serialize")
        }
        match &self.body {
            EventBody::Opened(opened) => line(self, opened),
            EventBody::Updated(update) => line(self, update),
            EventBody::Resolved(resolved) => line(self, resolved),
            EventBody::Edited(edited) => line(self, edited),
            EventBody::PublishStarted(started) => line(self, started),
            EventBody::PublishFinished(finished) => line(self, finished),
            EventBody::Approved(approved) => line(self, approved),
        }
    }
}

/// What a line turned out to hold.
#[derive(Debug)]
pub enum ParsedLine {
    Event(Event),
    /// A well-formed event of a kind this version does not know (written by a newer one).
    UnknownKind {
        id: String,
        kind: String,
    },
    /// Not an event: a torn write, a merge accident or a hand edit. Carries the cause.
    Invalid(String),
}

/// Parses one line of `events.jsonl`. Never panics, whatever the input.
pub fn parse_line(line: &str) -> ParsedLine {
    let envelope: LineIn = match serde_json::from_str(line) {
        Ok(envelope) => envelope,
        Err(error) => return ParsedLine::Invalid(error.to_string()),
    };
    match parse_body(&envelope.kind, envelope.data.get()) {
        Some(Ok(body)) => ParsedLine::Event(Event {
            id: envelope.id,
            at: envelope.at,
            author: envelope.author,
            body,
        }),
        Some(Err(error)) => ParsedLine::Invalid(format!("bad `{}` event: {error}", envelope.kind)),
        None => ParsedLine::UnknownKind {
            id: envelope.id,
            kind: envelope.kind.into_owned(),
        },
    }
}

fn parse_body(kind: &str, data: &str) -> Option<Result<EventBody, serde_json::Error>> {
    Some(match kind {
        "opened" => serde_json::from_str(data).map(EventBody::Opened),
        "updated" => serde_json::from_str(data).map(EventBody::Updated),
        "resolved" => serde_json::from_str(data).map(EventBody::Resolved),
        "edited" => serde_json::from_str(data).map(EventBody::Edited),
        "publish_started" => serde_json::from_str(data).map(EventBody::PublishStarted),
        "publish_finished" => serde_json::from_str(data).map(EventBody::PublishFinished),
        "approved" => serde_json::from_str(data).map(EventBody::Approved),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn update() -> UpdateBody {
        UpdateBody {
            seq: 2,
            stage: "explain".to_string(),
            status: Status::Identified,
            message: Some("A cache served \"other\" users' photos.\nFixed.".to_string()),
            fields: BTreeMap::from([("cause".to_string(), "cache key".to_string())]),
            next_update_at: Some("2026-11-24T09:00:00Z".parse().unwrap()),
        }
    }

    #[test]
    fn round_trips() {
        let event = Event {
            id: "01JD0000000000000000000000".to_string(),
            at: "2026-11-24T08:00:00Z".parse().unwrap(),
            author: "Dana".to_string(),
            body: EventBody::Updated(update()),
        };
        let line = event.to_line();
        assert!(!line.contains('\n'));
        assert!(line.starts_with(r#"{"id":"01JD0000000000000000000000","at":"2026-11-24T08:00:00Z","author":"Dana","kind":"updated","data":{"seq":2,"#));
        match parse_line(&line) {
            ParsedLine::Event(parsed) => assert_eq!(parsed, event),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_kinds_and_garbage() {
        let line = r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":{"to":"ceo"}}"#;
        assert!(
            matches!(parse_line(line), ParsedLine::UnknownKind { kind, .. } if kind == "escalated")
        );
        assert!(matches!(
            parse_line(r#"{"id":"01JD","at":"2026-11-24T08:0"#),
            ParsedLine::Invalid(_)
        ));
        let bad_data = r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"updated","data":{"seq":1}}"#;
        assert!(
            matches!(parse_line(bad_data), ParsedLine::Invalid(cause) if cause.contains("bad `updated` event"))
        );
    }

    proptest! {
        #[test]
        fn line_reader_never_panics(line in ".{0,200}") {
            let _ = parse_line(&line);
        }

        #[test]
        fn truncated_lines_never_panic(cut in 0usize..400) {
            let event = Event {
                id: "01JD0000000000000000000000".to_string(),
                at: "2026-11-24T08:00:00Z".parse().unwrap(),
                author: "Dana".to_string(),
                body: EventBody::Updated(update()),
            };
            let line = event.to_line();
            let cut = line.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(line.len());
            let parsed = parse_line(&line[..cut]);
            if cut < line.len() {
                prop_assert!(matches!(parsed, ParsedLine::Invalid(_)));
            }
        }
    }
}
