//! The picture of an incident: an SVG timeline of when it was detected, each update, each
//! promised next-update time beside when the update came, and the resolution. Drawn by hand
//! (it is a few shapes), deterministic, with a text alternative for people who cannot see it.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::promises::{Outcome, Promise, promises};
use crate::config::Config;
use crate::record::Incident;
use crate::render::html::escape;
use crate::time::{human_duration, local_time_with_utc, local_with_utc};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 680.0;
const AXIS: f64 = 80.0;
const PROMISES: f64 = 115.0;

const INK: &str = "#1f2933";
const UPDATE: &str = "#1f4e99";
const BAD: &str = "#b00020";
const GOOD: &str = "#1b7a3a";

/// Returns the timeline of `incident` as a standalone `<svg>` element. `now` ends the
/// picture of an incident that is still open.
pub fn timeline(incident: &Incident, config: &Config, now: DateTime<Utc>) -> String {
    let zone = config.org.timezone;
    let promises = promises(incident, now);
    let start = incident.started_at.min(incident.opened_at);
    let mut end = incident.resolved_at.unwrap_or(now);
    for update in &incident.updates {
        end = end.max(update.at);
    }
    for promise in &promises {
        end = end
            .max(promise.due)
            .max(promise.next_at.unwrap_or(promise.due));
    }
    let span = (end - start).num_seconds().max(60) as f64;
    let x = |at: DateTime<Utc>| LEFT + (at - start).num_seconds() as f64 / span * (RIGHT - LEFT);

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="timeline-title-{id} timeline-desc-{id}" font-family="system-ui, sans-serif" font-size="11" fill="{INK}">"#,
        id = incident.id
    );
    let _ = write!(
        svg,
        r#"<title id="timeline-title-{}">Timeline of “{}”</title><desc id="timeline-desc-{}">{}</desc>"#,
        incident.id,
        escape(&incident.title),
        incident.id,
        escape(&description(incident, &promises, zone))
    );
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" y1="{AXIS}" x2="{RIGHT}" y2="{AXIS}" stroke="{INK}" stroke-width="2"/>"#
    );
    let detected = x(incident.started_at);
    let _ = write!(
        svg,
        r#"<circle cx="{detected:.1}" cy="{AXIS}" r="6" fill="{BAD}"/><text x="{detected:.1}" y="{:.1}" text-anchor="start">Detected</text>"#,
        AXIS - 38.0
    );
    for update in &incident.updates {
        let at = x(update.at);
        let _ = write!(
            svg,
            r#"<circle cx="{at:.1}" cy="{AXIS}" r="5" fill="{UPDATE}"><title>{}</title></circle><text x="{at:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            escape(&format!(
                "Update {} ({}, {}) at {}",
                update.seq,
                update.stage,
                update.status,
                local_time_with_utc(update.at, zone)
            )),
            AXIS - 12.0,
            update.seq
        );
    }
    if let Some(resolved) = incident.resolved_at {
        let at = x(resolved);
        let _ = write!(
            svg,
            r#"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="{GOOD}"/><text x="{at:.1}" y="{:.1}" text-anchor="end">Resolved</text>"#,
            at - 5.0,
            AXIS - 5.0,
            AXIS - 26.0
        );
    }
    for promise in &promises {
        let due = x(promise.due);
        let (color, label) = match promise.outcome {
            Outcome::Kept => (GOOD, None),
            Outcome::Pending => (UPDATE, None),
            Outcome::Missed | Outcome::Overdue => (
                BAD,
                promise
                    .late_by()
                    .map(|late| format!("missed by {}", human_duration(late))),
            ),
        };
        let came = promise.next_at.map_or(due, x);
        let (from, to) = if came < due { (came, due) } else { (due, came) };
        let _ = write!(
            svg,
            r#"<line x1="{from:.1}" y1="{PROMISES}" x2="{to:.1}" y2="{PROMISES}" stroke="{color}" stroke-width="3"/><path d="M{due:.1} {:.1} l5 7 l-5 7 l-5 -7 z" fill="white" stroke="{color}" stroke-width="2"/>"#,
            PROMISES - 7.0
        );
        if let Some(label) = label {
            let _ = write!(
                svg,
                r#"<text x="{due:.1}" y="{:.1}" text-anchor="middle" fill="{BAD}">{}</text>"#,
                PROMISES + 22.0,
                escape(&label)
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="{:.1}" text-anchor="start">{}</text><text x="{RIGHT}" y="{:.1}" text-anchor="end">{}</text></svg>"#,
        HEIGHT - 8.0,
        escape(&local_with_utc(start, zone)),
        HEIGHT - 8.0,
        escape(&local_with_utc(end, zone)),
    );
    svg
}

/// The text alternative: what the picture shows, in order.
pub fn description(incident: &Incident, promises: &[Promise], zone: Tz) -> String {
    let mut parts = vec![format!(
        "Detected {}",
        local_with_utc(incident.started_at, zone)
    )];
    for update in &incident.updates {
        let mut part = format!(
            "update {} ({}, {}) at {}",
            update.seq,
            update.stage,
            update.status,
            local_time_with_utc(update.at, zone)
        );
        if let Some(promise) = promises
            .iter()
            .find(|promise| promise.made_by == update.seq)
        {
            let due = local_time_with_utc(promise.due, zone);
            let _ = match promise.outcome {
                Outcome::Pending => write!(part, ", next update promised by {due}"),
                _ => write!(
                    part,
                    ", next update promised by {due}: {}",
                    promise.outcome_text()
                ),
            };
        }
        parts.push(part);
    }
    if let Some(resolved) = incident.resolved_at {
        parts.push(format!("resolved {}", local_with_utc(resolved, zone)));
    }
    parts.join("; ") + "."
}
