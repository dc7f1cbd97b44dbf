//! What the tests and the benches start from, written once: the project configuration
//! [`CONFIG`], and a generator of large records shaped like real incidents.
//!
//! Included by `tests/cli/main.rs` and, through `#[path]`, by `bench/common.rs`, so a bench
//! measures the very project the tests check.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use incident::record::id::{new_event_id, new_incident_id};
use incident::record::{Event, EventBody, Opened, Resolved, UpdateBody};
use incident::vocab::Status;

/// [`CONFIG`] without its target, as a literal, so both constants can be built from it.
macro_rules! config_base {
    () => {
        r#"[org]
name = "Acme Photos"
timezone = "America/New_York"
status_url = "https://status.acme.example"
default_severity = "sev2"

[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"

[severities.sev2]
label = "Major"
acknowledge_within = "30m"
update_every = "1h"

[severities.sev3]
label = "Minor"
acknowledge_within = "1h"
update_every = "2h"

[components]
photos = "Photo storage"
web = "Website"
api = "Public API"
"#
    };
}

/// The project every test and bench starts from: three severities, three components and
/// one local `file` target.
pub const CONFIG: &str = concat!(
    config_base!(),
    r#"
[targets.local]
kind = "file"
path = "published"
"#
);

/// [`CONFIG`] without the `local` target, for a project that brings targets of its own.
pub const CONFIG_BASE: &str = config_base!();

/// What a generated record looks like.
pub struct Shape {
    /// When the first incident opens; each later one opens six hours after the one before.
    pub start: &'static str,
    /// Events per incident: `opened`, then `updated`s, then `resolved` unless left open.
    pub events_each: usize,
    /// Minutes between two events of one incident.
    pub minutes_apart: i64,
    /// Every this-many-th incident (the first included) is left open.
    pub open_every: usize,
    /// The stage and status of the updates after the first, in turn.
    pub stages: &'static [(&'static str, Status)],
    /// The severity of incident `n` is `severities[n % len]`.
    pub severities: &'static [&'static str],
    /// The components of incident `n` are `components[n % len]`.
    pub components: &'static [&'static [&'static str]],
    /// Whether an `explain` update carries the `cause` and `detected_by` answers.
    pub explain_fields: bool,
}

/// The record bench's incidents: 50 events ten minutes apart, all sev1 on photos and web.
pub const LONG_INCIDENTS: Shape = Shape {
    start: "2026-01-05T08:00:00Z",
    events_each: 50,
    minutes_apart: 10,
    open_every: 10,
    stages: &[
        ("explain", Status::Identified),
        ("apologize", Status::Monitoring),
        ("promise", Status::Monitoring),
    ],
    severities: &["sev1"],
    components: &[&["photos", "web"]],
    explain_fields: true,
};

/// The site bench's incidents: six events 25 minutes apart, every severity and component.
pub const SHORT_INCIDENTS: Shape = Shape {
    start: "2024-01-05T08:00:00Z",
    events_each: 6,
    minutes_apart: 25,
    open_every: 10,
    stages: &[
        ("explain", Status::Identified),
        ("apologize", Status::Monitoring),
        ("promise", Status::Monitoring),
        ("explain", Status::Monitoring),
    ],
    severities: &["sev1", "sev2", "sev3"],
    components: &[&["photos", "web"], &["api"], &[]],
    explain_fields: false,
};

const AUTHORS: [&str; 3] = ["Priya Raman", "Marcus Bell", "Dana Ortiz"];

/// Hands out incident ids, never the same one twice.
#[derive(Default)]
pub struct Ids(HashSet<String>);

impl Ids {
    pub fn fresh(&mut self) -> String {
        loop {
            let id = new_incident_id();
            if self.0.insert(id.clone()) {
                return id;
            }
        }
    }
}

impl Shape {
    /// When incident `number` opens.
    pub fn opened_at(&self, number: usize) -> DateTime<Utc> {
        let start: DateTime<Utc> = self.start.parse().expect("the shape's start is RFC 3339");
        start + TimeDelta::hours(6 * number as i64)
    }

    /// Writes `count` incidents of this shape under `incidents` and returns their ids, in
    /// order.
    ///
    /// Lines are made by `Event::to_line`, exactly as the tool writes them, but each log is
    /// written in one go: appending through `Store` would fsync once per event.
    pub fn generate(&self, incidents: &Path, count: usize, ids: &mut Ids) -> Vec<String> {
        (0..count)
            .map(|number| {
                let id = ids.fresh();
                let resolved = number % self.open_every != 0;
                let opened_at = self.opened_at(number);
                self.write_incident(
                    incidents,
                    &id,
                    number,
                    opened_at,
                    self.events_each,
                    resolved,
                );
                id
            })
            .collect()
    }

    /// Writes incident `id` (the `number`th) of `count` events, opened at `opened_at`.
    pub fn write_incident(
        &self,
        incidents: &Path,
        id: &str,
        number: usize,
        opened_at: DateTime<Utc>,
        count: usize,
        resolved: bool,
    ) {
        let mut log = String::new();
        for index in 0..count {
            let at = opened_at + TimeDelta::minutes(self.minutes_apart * index as i64);
            let event = Event {
                id: new_event_id(),
                at,
                author: AUTHORS[index % AUTHORS.len()].to_string(),
                body: self.body(id, number, index, count, at, resolved),
            };
            log.push_str(&event.to_line());
            log.push('\n');
        }
        let folder = incidents.join(id);
        std::fs::create_dir_all(&folder).expect("create the incident's folder");
        std::fs::write(folder.join("events.jsonl"), log).expect("write the incident's record");
    }

    /// The event of update `index` (0-based) of the `count` of incident `number`.
    fn body(
        &self,
        id: &str,
        number: usize,
        index: usize,
        count: usize,
        at: DateTime<Utc>,
        resolved: bool,
    ) -> EventBody {
        let seq = u32::try_from(index + 1).expect("fewer than 2^32 updates");
        let (stage, status) = self.stages[index % self.stages.len()];
        let mut update = update_body(seq, stage, status, at, self.explain_fields);
        if index == 0 {
            update.stage = "acknowledge".to_string();
            update.status = Status::Investigating;
            update.fields.insert(
                "impact".to_string(),
                "Some signed-in people saw previews from other people's albums".to_string(),
            );
            return EventBody::Opened(Box::new(Opened {
                title: format!("Photo previews shown to the wrong people ({id})"),
                severity: self.severities[number % self.severities.len()].to_string(),
                components: self.components[number % self.components.len()]
                    .iter()
                    .map(|name| name.to_string())
                    .collect(),
                started_at: at - TimeDelta::minutes(11),
                update,
            }));
        }
        if resolved && index + 1 == count {
            update.stage = "resolve".to_string();
            update.status = Status::Resolved;
            update.next_update_at = None;
            update
                .fields
                .insert("data_loss".to_string(), "none".to_string());
            return EventBody::Resolved(Resolved {
                resolved_at: at - TimeDelta::minutes(5),
                update,
            });
        }
        EventBody::Updated(update)
    }
}

/// An update of about the length people write: a few sentences, some answers, a promise.
fn update_body(
    seq: u32,
    stage: &str,
    status: Status,
    at: DateTime<Utc>,
    explain_fields: bool,
) -> UpdateBody {
    let mut fields = BTreeMap::new();
    if explain_fields && stage == "explain" {
        fields.insert(
            "cause".to_string(),
            "image cache keys did not include the account".to_string(),
        );
        fields.insert("detected_by".to_string(), "customer reports".to_string());
    }
    let message = format!(
        "Update {seq}: a change to our image cache stored previews of private photos under \
         keys shared between accounts. We undid the change and emptied the cache; no photos \
         were changed or deleted. We are checking every account that may have been affected."
    );
    UpdateBody {
        seq,
        stage: stage.to_string(),
        status,
        message: Some(message.into()),
        fields: fields.into(),
        next_update_at: Some(at + TimeDelta::minutes(30)),
    }
}
