//! What templates see: the organisation, the incident as it stood at the update being
//! rendered, that update, the updates before it, and the stage's titles.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::record::{Incident, Update};
use crate::vocab::Status;

#[derive(Debug, Serialize)]
pub struct Context<'a> {
    pub org: OrgView<'a>,
    pub incident: IncidentView<'a>,
    pub update: &'a Update,
    /// The updates before this one, oldest first.
    pub previous: &'a [Update],
    /// Stage name to the heading it gets in long-form posts.
    pub stage_titles: BTreeMap<&'a str, &'a str>,
    pub channel: &'a str,
}

#[derive(Debug, Serialize)]
pub struct OrgView<'a> {
    pub name: &'a str,
    pub status_url: Option<&'a str>,
    pub timezone: &'a str,
}

#[derive(Debug, Serialize)]
pub struct IncidentView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub status: Status,
    pub severity: SeverityView<'a>,
    pub components: Vec<ComponentView<'a>>,
    pub impact: Option<&'a str>,
    pub started_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub next_update_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct SeverityView<'a> {
    pub name: &'a str,
    pub label: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ComponentView<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

impl<'a> Context<'a> {
    /// Returns the context for update `index` (0-based) of `incident`, as things stood then.
    pub fn new(
        config: &'a Config,
        incident: &'a Incident,
        index: usize,
        channel: &'a str,
    ) -> Context<'a> {
        let update = &incident.updates[index];
        let previous = &incident.updates[..index];
        let impact = incident.updates[..=index]
            .iter()
            .rev()
            .find_map(|update| update.fields.get("impact"))
            .map(String::as_str);
        let severity = config.severity(&incident.severity);
        Context {
            org: OrgView {
                name: &config.org.name,
                status_url: config.org.status_url.as_deref(),
                timezone: config.org.timezone.name(),
            },
            incident: IncidentView {
                id: &incident.id,
                title: &incident.title,
                status: update.status,
                severity: SeverityView {
                    name: &incident.severity,
                    label: severity.map_or(incident.severity.as_str(), |severity| &severity.label),
                },
                components: incident
                    .components
                    .iter()
                    .map(|id| ComponentView {
                        id,
                        name: config
                            .components
                            .get(id)
                            .map_or(id.as_str(), String::as_str),
                    })
                    .collect(),
                impact,
                started_at: incident.started_at,
                acknowledged_at: incident.acknowledged_at,
                resolved_at: incident
                    .resolved_at
                    .filter(|_| update.status == Status::Resolved),
                next_update_at: update.next_update_at,
            },
            update,
            previous,
            stage_titles: config.playbook.stage_titles(),
            channel,
        }
    }
}
