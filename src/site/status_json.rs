//! `status.json`: the site's state shaped like Statuspage's public `summary.json` (page,
//! status indicator and description, components, unresolved incidents, scheduled
//! maintenances), so tools that read a Statuspage page can read this one.

use serde::Serialize;

use super::feeds::Links;
use super::maintenance::ReadWindow;
use super::pages::{IncidentView, UpdateView};
use super::status::Overview;
use crate::config::ComponentStatus;
use crate::config::Config;

#[derive(Debug, Serialize)]
pub struct StatusJson {
    pub page: Page,
    pub status: PageStatus,
    pub components: Vec<Component>,
    /// The open incidents, newest first.
    pub incidents: Vec<OpenIncident>,
    /// The maintenance windows ahead or running, soonest first, as Statuspage lists them.
    pub scheduled_maintenances: Vec<ScheduledMaintenance>,
}

/// A window as Statuspage lists a scheduled maintenance: an incident (its `status` one of
/// `scheduled`, `in_progress` or `verifying`, its `impact` always `maintenance`, its
/// `started_at` the window's start) with the window's times.
#[derive(Debug, Serialize)]
pub struct ScheduledMaintenance {
    #[serde(flatten)]
    pub incident: OpenIncident,
    pub scheduled_for: String,
    pub scheduled_until: String,
}

#[derive(Debug, Serialize)]
pub struct Page {
    pub name: String,
    pub url: Option<String>,
    pub time_zone: String,
    /// When the latest update was made; `null` before the first incident.
    pub updated_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PageStatus {
    pub indicator: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub status: ComponentStatus,
}

#[derive(Debug, Serialize)]
pub struct OpenIncident {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    /// `none`, `minor`, `major` or `critical`, from the severity.
    pub impact: &'static str,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: String,
    pub resolved_at: Option<String>,
    pub shortlink: String,
    pub components: Vec<Component>,
    /// Newest first, as Statuspage lists them.
    pub incident_updates: Vec<IncidentUpdate>,
}

#[derive(Debug, Serialize)]
pub struct IncidentUpdate {
    pub id: String,
    pub status: &'static str,
    /// The status channel's text, as published (Markdown).
    pub body: String,
    pub created_at: String,
    pub display_at: String,
}

/// An open incident as [`StatusJson`] needs it.
pub struct OpenSource<'a> {
    pub incident: &'a IncidentView,
    /// When the incident was opened (its `created_at`).
    pub opened_at: String,
    /// Newest first.
    pub updates: &'a [UpdateView],
}

impl StatusJson {
    /// Adds the windows of `windows` that are ahead or running.
    pub fn with_maintenance(mut self, links: &Links, windows: &[ReadWindow]) -> StatusJson {
        self.scheduled_maintenances = windows
            .iter()
            .filter(|read| !read.is_over())
            .map(|read| {
                let view = &read.view;
                ScheduledMaintenance {
                    scheduled_for: view.starts_at.clone(),
                    scheduled_until: view.ends_at.clone(),
                    incident: OpenIncident {
                        id: view.id.clone(),
                        name: view.title.clone(),
                        status: read.window.state.name(),
                        impact: "maintenance",
                        created_at: view.announced_at.clone(),
                        updated_at: read
                            .notices
                            .first()
                            .map_or_else(|| view.announced_at.clone(), |notice| notice.at.clone()),
                        started_at: view.starts_at.clone(),
                        resolved_at: None,
                        shortlink: links.url(&view.path),
                        components: view
                            .components
                            .iter()
                            .map(|component| Component {
                                id: component.id.clone(),
                                name: component.name.clone(),
                                status: if read.is_running() {
                                    ComponentStatus::UnderMaintenance
                                } else {
                                    ComponentStatus::Operational
                                },
                            })
                            .collect(),
                        incident_updates: read
                            .notices
                            .iter()
                            .map(|notice| IncidentUpdate {
                                id: notice.event_id.clone(),
                                status: crate::record::maintenance::Stage::from_name(&notice.stage)
                                    .map_or("scheduled", |stage| stage.state().name()),
                                body: notice.text.clone(),
                                created_at: notice.at.clone(),
                                display_at: notice.at.clone(),
                            })
                            .collect(),
                    },
                }
            })
            .collect();
        self
    }

    pub fn new(
        config: &Config,
        links: &Links,
        overview: &Overview,
        updated_at: Option<String>,
        open: &[OpenSource],
    ) -> StatusJson {
        let indicator = overview.status.indicator();
        StatusJson {
            page: Page {
                name: config.org.name.clone(),
                url: config.org.status_url.clone(),
                time_zone: config.org.timezone.name().to_string(),
                updated_at,
            },
            status: PageStatus {
                indicator: indicator.name(),
                description: indicator.description(),
            },
            components: overview
                .components
                .iter()
                .map(|component| Component {
                    id: component.id.clone(),
                    name: component.name.clone(),
                    status: component.status,
                })
                .collect(),
            incidents: open
                .iter()
                .map(|source| {
                    let incident = source.incident;
                    let implied = ComponentStatus::of_severity(config, &incident.severity.name);
                    OpenIncident {
                        id: incident.id.clone(),
                        name: incident.title.clone(),
                        status: incident.status.name(),
                        impact: implied.indicator().name(),
                        created_at: source.opened_at.clone(),
                        updated_at: source
                            .updates
                            .first()
                            .map_or_else(|| source.opened_at.clone(), |update| update.at.clone()),
                        started_at: crate::time::rfc3339(incident.started_at),
                        resolved_at: None,
                        shortlink: links.url(&incident.path),
                        // Each component as the page shows it: the worst any open incident
                        // implies, as on Statuspage, where a component has one status.
                        components: incident
                            .components
                            .iter()
                            .map(|component| Component {
                                id: component.id.clone(),
                                name: component.name.clone(),
                                status: overview
                                    .components
                                    .iter()
                                    .find(|shown| shown.id == component.id)
                                    .map_or(implied, |shown| shown.status),
                            })
                            .collect(),
                        incident_updates: source
                            .updates
                            .iter()
                            .map(|update| IncidentUpdate {
                                id: update.event_id.clone(),
                                status: update.status.name(),
                                body: update.text.clone(),
                                created_at: update.at.clone(),
                                display_at: update.at.clone(),
                            })
                            .collect(),
                    }
                })
                .collect(),
            scheduled_maintenances: Vec::new(),
        }
    }
}
