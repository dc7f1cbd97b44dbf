//! `cargo bench --bench record`: times `incident list` and `incident show --json` as real
//! processes on a generated record of 1,000 incidents of 50 events and one of 10,000 events.
//!
//! Aims: `list` under 100 ms and `show` under 50 ms (median), under 50 MB peak memory.

// A bench reports on stdout and may stop at the first surprise.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use incident::record::id::{new_event_id, new_incident_id};
use incident::record::{Event, EventBody, Opened, Resolved, UpdateBody};
use incident::vocab::Status;

const INCIDENTS: usize = 1_000;
const EVENTS_EACH: usize = 50;
/// Every this-many-th incident is left open, so `list` without `--all` shows some.
const OPEN_EVERY: usize = 10;
const BIG_EVENTS: usize = 10_000;
const WARMUP: usize = 3;
const RUNS: usize = 31;

/// The smallest useful configuration (the CLI tests' one).
const CONFIG: &str = r#"[org]
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

[components]
photos = "Photo storage"
web = "Website"

[targets.local]
kind = "file"
path = "published"
"#;

const AUTHORS: [&str; 3] = ["Priya Raman", "Marcus Bell", "Dana Ortiz"];
const STAGES: [(&str, Status); 3] = [
    ("explain", Status::Identified),
    ("apologize", Status::Monitoring),
    ("promise", Status::Monitoring),
];

fn main() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("incident.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let big_id = generate(&dir.path().join("incidents"));
    let open = INCIDENTS.div_ceil(OPEN_EVERY) + 1;
    println!(
        "generated {INCIDENTS} incidents of {EVENTS_EACH} events ({open} open, counting the big one) \
         and one of {BIG_EVENTS} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let config = config.to_str().unwrap();
    let ms = Duration::from_millis;
    println!("\n{WARMUP} warm-up runs, then {RUNS} timed runs each; every run must exit 0");
    common::print_header();

    let list = common::measure(&["--config", config, "list"], WARMUP, RUNS);
    assert_eq!(
        list.stdout.lines().count(),
        1 + open,
        "a header, then one row per open incident"
    );
    assert!(list.stdout.contains(&big_id));
    common::print_row("list", &list, ms(100), 50.0);

    let all = common::measure(&["--config", config, "list", "--all"], WARMUP, RUNS);
    assert_eq!(
        all.stdout.lines().count(),
        1 + INCIDENTS + 1,
        "a header, then every incident"
    );
    common::print_row("list --all", &all, ms(100), 50.0);

    let show = common::measure(
        &["--config", config, "show", &big_id, "--json"],
        WARMUP,
        RUNS,
    );
    let shown: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(shown["updates"].as_array().map(Vec::len), Some(BIG_EVENTS));
    common::print_row(
        &format!("show {big_id} --json ({BIG_EVENTS})"),
        &show,
        ms(50),
        50.0,
    );

    println!(
        "\npeak RSS: the largest of the timed runs, each child measured alone (wait4)\n\
         whole bench: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Writes the record under `incidents` and returns the big incident's id.
///
/// Lines are made by `Event::to_line`, exactly as the tool writes them, but each log is
/// written in one go: appending through `Store` would fsync 60,000 times.
fn generate(incidents: &Path) -> String {
    let mut ids = HashSet::new();
    let mut fresh_id = || loop {
        let id = new_incident_id();
        if ids.insert(id.clone()) {
            return id;
        }
    };
    let base: DateTime<Utc> = "2026-01-05T08:00:00Z".parse().unwrap();
    for number in 0..INCIDENTS {
        let opened_at = base + TimeDelta::hours(6 * number as i64);
        let resolved = number % OPEN_EVERY != 0;
        write_log(incidents, &fresh_id(), opened_at, EVENTS_EACH, resolved);
    }
    let big_id = fresh_id();
    write_log(incidents, &big_id, base, BIG_EVENTS, false);
    big_id
}

/// Writes one incident of `count` events, ten minutes apart: `opened`, then `updated`s,
/// then `resolved` if `resolved`.
fn write_log(incidents: &Path, id: &str, opened_at: DateTime<Utc>, count: usize, resolved: bool) {
    let mut log = String::new();
    for index in 0..count {
        let at = opened_at + TimeDelta::minutes(10 * index as i64);
        let seq = u32::try_from(index + 1).unwrap();
        let (stage, status) = STAGES[index % STAGES.len()];
        let mut update = update_body(seq, stage, status, at);
        let body = if index == 0 {
            update.stage = "acknowledge".to_string();
            update.status = Status::Investigating;
            update.fields.insert(
                "impact".to_string(),
                "Some signed-in people saw previews from other people's albums".to_string(),
            );
            EventBody::Opened(Opened {
                title: format!("Photo previews shown to the wrong people ({id})"),
                severity: "sev1".to_string(),
                components: vec!["photos".to_string(), "web".to_string()],
                started_at: at - TimeDelta::minutes(11),
                update,
            })
        } else if resolved && index + 1 == count {
            update.stage = "resolve".to_string();
            update.status = Status::Resolved;
            update.next_update_at = None;
            update
                .fields
                .insert("data_loss".to_string(), "none".to_string());
            EventBody::Resolved(Resolved {
                resolved_at: at - TimeDelta::minutes(5),
                update,
            })
        } else {
            EventBody::Updated(update)
        };
        let event = Event {
            id: new_event_id(),
            at,
            author: AUTHORS[index % AUTHORS.len()].to_string(),
            body,
        };
        log.push_str(&event.to_line());
        log.push('\n');
    }
    let folder = incidents.join(id);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("events.jsonl"), log).unwrap();
}

/// An update of about the length people write: a few sentences, some answers, a promise.
fn update_body(seq: u32, stage: &str, status: Status, at: DateTime<Utc>) -> UpdateBody {
    let mut fields = BTreeMap::new();
    if stage == "explain" {
        fields.insert(
            "cause".to_string(),
            "image cache keys did not include the account".to_string(),
        );
        fields.insert("detected_by".to_string(), "customer reports".to_string());
    }
    UpdateBody {
        seq,
        stage: stage.to_string(),
        status,
        message: Some(format!(
            "Update {seq}: a change to our image cache stored previews of private photos under \
             keys shared between accounts. We undid the change and emptied the cache; no photos \
             were changed or deleted. We are checking every account that may have been affected."
        )),
        fields,
        next_update_at: Some(at + TimeDelta::minutes(30)),
    }
}
