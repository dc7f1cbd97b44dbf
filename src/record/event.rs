//! `Event`: one line of an incident's `events.jsonl`, and how a line is read and written.
//!
//! A line is `{"id":…,"at":…,"author":…,"kind":…,"data":{…}}`. The envelope is the same
//! for every kind, so a reader can date, order and deduplicate an event it does not
//! understand; `data` is parsed only for kinds this version knows. One event per line keeps
//! `git log -p` readable and lets git's union merge combine two clones' appends.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::fields::Fields;
use super::text::{self, Shared};
use super::timestamp;
use crate::vocab::Status;

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
    // The large, rarer kinds are boxed: every event in a long log is as large as the
    // largest kind held inline, and an update is most events.
    Opened(Box<Opened>),
    Updated(UpdateBody),
    Resolved(Resolved),
    Edited(Edited),
    PublishStarted(Box<PublishStarted>),
    PublishFinished(Box<PublishFinished>),
    Approved(Approved),
    Reopened(Reopened),
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
            EventBody::Reopened(_) => "reopened",
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
            | EventBody::Approved(_)
            | EventBody::Reopened(_) => None,
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
    #[serde(deserialize_with = "timestamp::deserialize")]
    pub started_at: DateTime<Utc>,
    pub update: UpdateBody,
}

/// The number the first update (the one `opened` carries) is written with.
pub const FIRST_SEQ: u32 = 1;

/// One update of the incident: a playbook stage's answers and the status it sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// The number this update had when written, for people reading the log. Readers number
    /// updates by time order instead, because two clones can both write the same number.
    pub seq: u32,
    pub stage: String,
    pub status: Status,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "text::deserialize_option"
    )]
    pub message: Option<Shared>,
    /// Answers to the stage's questions and `--field KEY=VALUE` pairs.
    #[serde(default, skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "timestamp::deserialize_option"
    )]
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
    /// Not published, and a try may still have arrived at a target that cannot tell: it
    /// is not sent again until a person checks (`publish --resend`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncertain: bool,
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
    #[serde(deserialize_with = "timestamp::deserialize")]
    pub resolved_at: DateTime<Utc>,
    pub update: UpdateBody,
}

/// A resolved incident was found not to be over: updates may follow again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reopened {
    pub reason: String,
    /// The next update promised on reopening, so the silence after it is watched too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update_at: Option<DateTime<Utc>>,
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
    kind: Cow<'a, str>,
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
            EventBody::Reopened(reopened) => line(self, reopened),
        }
    }
}

/// What a line turned out to hold.
#[derive(Debug, PartialEq)]
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
///
/// The line is read in one pass, straight into its event. Only a line that pass cannot take
/// (broken, a newer kind's data before its `kind`, …) is read again the slow way, so what a
/// skipped line is called and why stays the same.
pub fn parse_line(line: &str) -> ParsedLine {
    match read_line::<EventBody>(line) {
        Ok(read) => match read.body {
            Body::Known(body) => ParsedLine::Event(Event {
                id: read.id.into_owned(),
                at: read.at,
                author: read.author.into_owned(),
                body,
            }),
            Body::Skipped | Body::Unknown => ParsedLine::UnknownKind {
                id: read.id.into_owned(),
                kind: read.kind.into_owned(),
            },
        },
        Err(_) => parse_line_twice(line),
    }
}

/// Parses a line in two passes: the envelope, then its data by kind. Slow, but it words
/// every way a line can be wrong.
fn parse_line_twice(line: &str) -> ParsedLine {
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

/// The bodies a line reader knows, and how it reads one kind's `data`.
pub(crate) trait Bodies: Sized {
    /// Reads the `data` of a `kind` event. A kind the reader skips or does not know must
    /// still be consumed (as [`serde::de::IgnoredAny`]).
    fn read<'de, D: serde::Deserializer<'de>>(kind: &str, data: D) -> Result<Body<Self>, D::Error>;
}

/// What a reader made of one event's `data`.
pub(crate) enum Body<B> {
    Known(B),
    /// A kind the reader knows but does not need.
    Skipped,
    /// A kind the reader does not know.
    Unknown,
}

impl Bodies for EventBody {
    fn read<'de, D: serde::Deserializer<'de>>(kind: &str, data: D) -> Result<Body<Self>, D::Error> {
        Ok(Body::Known(match kind {
            "opened" => EventBody::Opened(Box::new(Opened::deserialize(data)?)),
            "updated" => EventBody::Updated(UpdateBody::deserialize(data)?),
            "resolved" => EventBody::Resolved(Resolved::deserialize(data)?),
            "edited" => EventBody::Edited(Edited::deserialize(data)?),
            "publish_started" => {
                EventBody::PublishStarted(Box::new(PublishStarted::deserialize(data)?))
            }
            "publish_finished" => {
                EventBody::PublishFinished(Box::new(PublishFinished::deserialize(data)?))
            }
            "approved" => EventBody::Approved(Approved::deserialize(data)?),
            "reopened" => EventBody::Reopened(Reopened::deserialize(data)?),
            _ => {
                serde::de::IgnoredAny::deserialize(data)?;
                return Ok(Body::Unknown);
            }
        }))
    }
}

/// One line read in one pass: the envelope, borrowed from the line where it can be, and the
/// body.
pub(crate) struct ReadLine<'a, B> {
    pub id: Cow<'a, str>,
    pub at: DateTime<Utc>,
    pub author: Cow<'a, str>,
    pub kind: Cow<'a, str>,
    pub body: Body<B>,
}

/// Reads a line in one pass: the envelope's fields as they come and `data` straight into
/// the body its `kind` names.
///
/// It accepts a subset of what [`parse_line_twice`] accepts and reads it the same way; on
/// anything else (a broken line, `data` before `kind`, an envelope written as an array) it
/// fails, and the caller reads the line again the slow way to say what is wrong with it.
pub(crate) fn read_line<B: Bodies>(line: &str) -> Result<ReadLine<'_, B>, serde_json::Error> {
    use serde::Deserializer as _;
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let read = deserializer.deserialize_map(LineVisitor(std::marker::PhantomData))?;
    deserializer.end()?;
    Ok(read)
}

/// The envelope's keys; others are ignored, as the derived envelope ignores them.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Key {
    Id,
    At,
    Author,
    Kind,
    Data,
    #[serde(other)]
    Other,
}

/// A string borrowed from the line unless it holds escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

struct LineVisitor<B>(std::marker::PhantomData<B>);

impl<'de, B: Bodies> serde::de::Visitor<'de> for LineVisitor<B> {
    type Value = ReadLine<'de, B>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        fn once<T, E: Error>(slot: &Option<T>, name: &'static str) -> Result<(), E> {
            match slot {
                Some(_) => Err(E::duplicate_field(name)),
                None => Ok(()),
            }
        }
        let (mut id, mut at, mut author, mut kind, mut body) = (None, None, None, None, None);
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id => {
                    once(&id, "id")?;
                    id = Some(map.next_value::<Text>()?.0);
                }
                Key::At => {
                    once(&at, "at")?;
                    at = Some(map.next_value::<timestamp::Rfc3339>()?.0);
                }
                Key::Author => {
                    once(&author, "author")?;
                    author = Some(map.next_value::<Text>()?.0);
                }
                Key::Kind => {
                    once(&kind, "kind")?;
                    kind = Some(map.next_value::<Text>()?.0);
                }
                Key::Data => {
                    once(&body, "data")?;
                    let Some(kind) = &kind else {
                        return Err(A::Error::custom("`data` before `kind`"));
                    };
                    body =
                        Some(map.next_value_seed(DataSeed::<B>(kind, std::marker::PhantomData))?);
                }
                Key::Other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(ReadLine {
            id: id.ok_or_else(|| A::Error::missing_field("id"))?,
            at: at.ok_or_else(|| A::Error::missing_field("at"))?,
            author: author.ok_or_else(|| A::Error::missing_field("author"))?,
            kind: kind.ok_or_else(|| A::Error::missing_field("kind"))?,
            body: body.ok_or_else(|| A::Error::missing_field("data"))?,
        })
    }
}

/// Reads `data` as the body of kind `.0`.
struct DataSeed<'k, B>(&'k str, std::marker::PhantomData<B>);

impl<'de, B: Bodies> serde::de::DeserializeSeed<'de> for DataSeed<'_, B> {
    type Value = Body<B>;

    fn deserialize<D: serde::Deserializer<'de>>(self, data: D) -> Result<Body<B>, D::Error> {
        B::read(self.0, data)
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
        "reopened" => serde_json::from_str(data).map(EventBody::Reopened),
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
            message: Some("A cache served \"other\" users' photos.\nFixed.".into()),
            fields: Fields::from([("cause".to_string(), "cache key".to_string())]),
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

    /// One event of every kind this version knows.
    fn every_kind() -> Vec<Event> {
        let at: DateTime<Utc> = "2026-11-24T08:00:00Z".parse().unwrap();
        let bodies = [
            EventBody::Opened(Box::new(Opened {
                title: "Wrong photos".to_string(),
                severity: "sev1".to_string(),
                components: vec!["photos".to_string()],
                started_at: "2026-11-24T07:50:00.250Z".parse().unwrap(),
                update: update(),
            })),
            EventBody::Updated(update()),
            EventBody::Resolved(Resolved {
                resolved_at: at,
                update: UpdateBody {
                    message: None,
                    fields: Fields::new(),
                    next_update_at: None,
                    ..update()
                },
            }),
            EventBody::Edited(Edited {
                update: "01JA".to_string(),
                channel: crate::vocab::Channel::Status,
                text: "Edited \u{2014} by hand".to_string(),
            }),
            EventBody::PublishStarted(Box::new(PublishStarted {
                update: "01JA".to_string(),
                target: "site".to_string(),
                action: PublishAction::Edit,
                key: "k".to_string(),
                text_hash: "ab".to_string(),
                remote_id: Some("42".to_string()),
                overridden: vec!["too long".to_string()],
            })),
            EventBody::PublishFinished(Box::new(PublishFinished {
                attempt: "01JB".to_string(),
                update: "01JA".to_string(),
                target: "site".to_string(),
                published: false,
                uncertain: true,
                tries: 3,
                remote_id: None,
                url: Some("https://x.example/1".to_string()),
                errors: vec!["timed out".to_string()],
            })),
            EventBody::Approved(Approved {
                update: "01JA".to_string(),
                texts: BTreeMap::from([(crate::vocab::Channel::Email, "cd".to_string())]),
            }),
        ];
        bodies
            .into_iter()
            .enumerate()
            .map(|(index, body)| Event {
                id: format!("01JD{index:022}"),
                at,
                author: "Dana \"D\" Ortiz".to_string(),
                body,
            })
            .collect()
    }

    #[test]
    fn one_pass_reads_every_kind_as_two_passes_do() {
        for event in every_kind() {
            let line = event.to_line();
            assert!(read_line::<EventBody>(&line).is_ok(), "{line}");
            assert_eq!(parse_line(&line), ParsedLine::Event(event.clone()));
            assert_eq!(parse_line_twice(&line), ParsedLine::Event(event));
        }
    }

    #[test]
    fn lines_the_one_pass_does_not_take_read_as_before() {
        let cases = [
            // `data` before `kind`: the slow way still reads it.
            r#"{"data":{"seq":1,"stage":"explain","status":"identified"},"kind":"updated","id":"01JD","at":"2026-11-24T08:00:00Z","author":"x"}"#,
            // Escapes in the envelope, extra keys, spaces.
            r#" { "id" : "01J\u0044", "extra": [1, {"a": null}], "at":"2026-11-24T08:00:00Z","author":"\u00e9","kind":"upd\u0061ted","data":{"seq":1,"stage":"explain","status":"identified"}} "#,
            // A newer kind with any data, or data before its kind.
            r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":[1,2,{"to":"ceo"}]}"#,
            r#"{"data":{"to":"ceo"},"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated"}"#,
            // Broken in the envelope, in the data, twice a key, trailing text, an array.
            r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"updated","data":{"seq":1}}"#,
            r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"updated","data":{"seq":1,"stage":"explain","status":"identified","mood":"sad"}}"#,
            r#"{"id":"01JD","id":"01JE","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":{}}"#,
            r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","kind":"updated","data":{}}"#,
            r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":{},"data":{}}"#,
            r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":{}} x"#,
            r#"{"id":"01JD","at":"2026-11-24","author":"x","kind":"escalated","data":{}}"#,
            r#"{"id":"01JD","author":"x","kind":"escalated","data":{}}"#,
            r#"["01JD","2026-11-24T08:00:00Z","x","escalated",{}]"#,
            r#"{"id":"01JD","at":"2026-11-24T08:00:00Z","author":"x","kind":"updated","data":{"seq":1,"stage":"explain","status":"identif"#,
            "",
            "null",
        ];
        for line in cases {
            assert_eq!(parse_line(line), parse_line_twice(line), "{line}");
        }
        assert!(matches!(parse_line(cases[0]), ParsedLine::Event(_)));
        assert!(
            matches!(parse_line(cases[1]), ParsedLine::Event(event) if event.id == "01JD" && event.author == "é")
        );
        assert!(matches!(
            parse_line(cases[3]),
            ParsedLine::UnknownKind { .. }
        ));
        assert!(
            matches!(parse_line(cases[6]), ParsedLine::Invalid(cause) if cause.contains("duplicate field `id`"))
        );
    }

    proptest! {
        #[test]
        fn line_reader_never_panics(line in ".{0,200}") {
            let _ = parse_line(&line);
        }

        /// Whatever a line turns into by a cut, a lost or an added character, the one-pass
        /// reader makes of it what the two-pass one does.
        #[test]
        fn one_pass_agrees_with_two_passes(
            kind in 0usize..7,
            at in 0usize..1000,
            edit in 0u8..3,
            added in proptest::sample::select(vec!['"', '{', '}', '[', ']', ',', ':', '\\', ' ', 'x', '0', 'n']),
        ) {
            let line = every_kind()[kind].to_line();
            let at = line.char_indices().map(|(i, _)| i).nth(at % line.len()).unwrap_or(0);
            let mut edited = line.clone();
            match edit {
                0 => edited.truncate(at),
                1 => {
                    edited.remove(at);
                }
                _ => edited.insert(at, added),
            }
            prop_assert_eq!(parse_line(&edited), parse_line_twice(&edited), "{}", edited);
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
