//! One view of an incident for every template: channel drafts, the status site's pages and
//! the postmortem all show the organisation, the incident's facts, its severity and its
//! components through these shapes. They are the interface of anyone who overrides a
//! template, so they hold plain values: times as RFC 3339 (format them with the `local`,
//! `local_time` and `local_date` filters), names and labels ready to print.

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::config::Config;
use crate::record::{Incident, Summary};
use crate::vocab::Status;

/// The organisation.
#[derive(Debug, Clone, Serialize)]
pub struct OrgView<'a> {
    pub name: &'a str,
    pub status_url: Option<&'a str>,
    pub timezone: &'a str,
}

impl<'a> OrgView<'a> {
    pub fn new(config: &'a Config) -> OrgView<'a> {
        OrgView {
            name: &config.org.name,
            status_url: config.org.status_url.as_deref(),
            timezone: config.org.timezone.name(),
        }
    }
}

/// A severity by its name and the label people read; a severity since removed from the
/// config shows its name as its label.
#[derive(Debug, Clone, Serialize)]
pub struct SeverityView {
    pub name: String,
    pub label: String,
}

impl SeverityView {
    pub fn new(config: &Config, name: &str) -> SeverityView {
        SeverityView {
            name: name.to_string(),
            label: config
                .severity(name)
                .map_or_else(|| name.to_string(), |known| known.label.clone()),
        }
    }
}

/// A component by its id and its name in `incident.toml` (the id when it has none).
#[derive(Debug, Clone, Serialize)]
pub struct ComponentView {
    pub id: String,
    pub name: String,
}

impl ComponentView {
    /// Returns the views of `ids`, in their order.
    pub fn all(config: &Config, ids: &[String]) -> Vec<ComponentView> {
        ids.iter()
            .map(|id| ComponentView {
                id: id.clone(),
                name: config
                    .components
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.clone()),
            })
            .collect()
    }
}

/// An incident's facts, without its updates.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub status_label: &'static str,
    pub severity: SeverityView,
    pub components: Vec<ComponentView>,
    /// Who or what is affected, in the responders' words.
    pub impact: Option<String>,
    /// What data may have been exposed, and to whom, as last answered (the security
    /// preset asks it); absent when nobody was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<String>,
    #[serde(serialize_with = "rfc3339")]
    pub started_at: DateTime<Utc>,
    #[serde(serialize_with = "rfc3339_option")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "rfc3339_option")]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "rfc3339_option")]
    pub next_update_at: Option<DateTime<Utc>>,
    /// From start to resolution, in words ("1 hour 27 minutes"), once resolved.
    pub duration: Option<String>,
    /// The retraction of the whole incident (a false alarm); absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted: Option<RetractedView>,
}

/// When, and why, a whole incident was retracted.
#[derive(Debug, Clone, Serialize)]
pub struct RetractedView {
    #[serde(serialize_with = "rfc3339")]
    pub at: DateTime<Utc>,
    /// The reason, where the view is made from the record rather than a summary.
    pub reason: Option<String>,
}

/// What an incident view is made of, wherever it comes from.
struct Facts<'a> {
    id: &'a str,
    title: &'a str,
    status: Status,
    severity: &'a str,
    components: &'a [String],
    impact: Option<String>,
    exposure: Option<String>,
    retracted: Option<RetractedView>,
    started_at: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    next_update_at: Option<DateTime<Utc>>,
}

impl IncidentView {
    fn new(config: &Config, facts: Facts) -> IncidentView {
        IncidentView {
            id: facts.id.to_string(),
            title: facts.title.to_string(),
            status: facts.status,
            status_label: facts.status.label(),
            severity: SeverityView::new(config, facts.severity),
            components: ComponentView::all(config, facts.components),
            impact: facts.impact,
            exposure: facts.exposure,
            started_at: facts.started_at,
            acknowledged_at: facts.acknowledged_at,
            resolved_at: facts.resolved_at,
            next_update_at: facts.next_update_at,
            duration: facts
                .resolved_at
                .map(|resolved| crate::time::human_duration(resolved - facts.started_at)),
            retracted: facts.retracted,
        }
    }

    /// Returns the view of an incident as it stands now.
    pub fn of_incident(config: &Config, incident: &Incident) -> IncidentView {
        IncidentView::new(
            config,
            Facts {
                id: &incident.id,
                title: &incident.title,
                status: incident.status,
                severity: &incident.severity,
                components: &incident.components,
                impact: incident.impact.clone(),
                exposure: latest_field(&incident.updates, EXPOSURE),
                retracted: RetractedView::of(incident),
                started_at: incident.started_at,
                acknowledged_at: incident.acknowledged_at,
                resolved_at: incident.resolved_at,
                next_update_at: incident.next_update_at,
            },
        )
    }

    /// Returns the view of an incident as things stood at its update `index` (0-based):
    /// that update's status and promise, the impact recorded by then, and a resolution
    /// only once that update resolves it.
    pub fn at_update(config: &Config, incident: &Incident, index: usize) -> IncidentView {
        let update = &incident.updates[index];
        let impact = latest_field(&incident.updates[..=index], "impact");
        IncidentView::new(
            config,
            Facts {
                id: &incident.id,
                title: &incident.title,
                status: update.status,
                severity: &incident.severity,
                components: &incident.components,
                impact,
                exposure: latest_field(&incident.updates[..=index], EXPOSURE),
                retracted: RetractedView::of(incident),
                started_at: incident.started_at,
                acknowledged_at: incident.acknowledged_at,
                resolved_at: incident
                    .resolved_at
                    .filter(|_| update.status == Status::Resolved),
                next_update_at: update.next_update_at,
            },
        )
    }

    /// Returns the view of an incident from its summary (as `list` and the site read it),
    /// with the impact if the caller knows it.
    pub fn of_summary(config: &Config, summary: &Summary, impact: Option<String>) -> IncidentView {
        IncidentView::new(
            config,
            Facts {
                id: &summary.id,
                title: &summary.title,
                status: summary.status,
                severity: &summary.severity,
                components: &summary.components,
                impact,
                exposure: None,
                retracted: summary
                    .retracted_at
                    .map(|at| RetractedView { at, reason: None }),
                started_at: summary.started_at,
                acknowledged_at: summary.acknowledged_at,
                resolved_at: summary.resolved_at,
                next_update_at: summary.next_update_at,
            },
        )
    }
}

impl RetractedView {
    /// The retraction of the whole of `incident`, if one was recorded.
    pub fn of(incident: &Incident) -> Option<RetractedView> {
        incident.retracted.as_ref().map(|retraction| RetractedView {
            at: retraction.at,
            reason: Some(retraction.text.clone()),
        })
    }
}

/// The field an answer about exposed data is kept in.
pub const EXPOSURE: &str = "exposure";

/// The latest answer to `key` among `updates`.
fn latest_field(updates: &[crate::record::Update], key: &str) -> Option<String> {
    updates
        .iter()
        .rev()
        .find_map(|update| update.fields.get(key))
        .cloned()
}

fn rfc3339<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::time::rfc3339(*at))
}

fn rfc3339_option<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => rfc3339(at, serializer),
        None => serializer.serialize_none(),
    }
}
