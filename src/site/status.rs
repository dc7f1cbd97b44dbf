//! What the status site says about the service as a whole and each component, derived from
//! the open incidents alone: nobody sets a component's status by hand.
//!
//! An open incident puts each component it names into the status its severity implies (the
//! scale lives beside `Severity` in `config`). A component named by several open incidents
//! shows the worst. One rule for the whole page: its status is the worst row it shows, so an
//! incident that names no component yet gets a row of its own ([`UNATTRIBUTED`]) instead of
//! a headline that every row below contradicts.

use crate::config::{ComponentStatus, Config};
use crate::record::Summary;

/// The id of the row for open incidents that name no component yet.
pub const UNATTRIBUTED: &str = "unattributed";

/// One component and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentState {
    pub id: String,
    pub name: String,
    pub status: ComponentStatus,
}

/// The whole page's status and each component's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// The worst status of any row in `components`.
    pub status: ComponentStatus,
    /// Every configured component (by id), then any other component an open incident names.
    pub components: Vec<ComponentState>,
}

impl Overview {
    /// Returns the statuses that the `open` incidents imply.
    pub fn of<'a>(config: &Config, open: impl IntoIterator<Item = &'a Summary>) -> Overview {
        let mut components: Vec<ComponentState> = config
            .components
            .iter()
            .map(|(id, name)| ComponentState {
                id: id.clone(),
                name: name.clone(),
                status: ComponentStatus::Operational,
            })
            .collect();
        let configured = components.len();
        let mut unattributed: Option<ComponentStatus> = None;
        for incident in open {
            let implied = ComponentStatus::of_severity(config, &incident.severity);
            if incident.components.is_empty() {
                unattributed = Some(unattributed.map_or(implied, |worst| worst.max(implied)));
            }
            for id in &incident.components {
                match components.iter_mut().find(|component| component.id == *id) {
                    Some(component) => component.status = component.status.max(implied),
                    // Named by an incident but no longer (or never) in `[components]`: still
                    // shown, under its id, so the page does not claim all is well.
                    None => components.push(ComponentState {
                        id: id.clone(),
                        name: id.clone(),
                        status: implied,
                    }),
                }
            }
        }
        components[configured..].sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(implied) = unattributed {
            components.push(ComponentState {
                id: UNATTRIBUTED.to_string(),
                name: "Not yet known which part".to_string(),
                status: implied,
            });
        }
        let status = worst(&components);
        Overview { status, components }
    }

    /// Marks the components of running maintenance windows under maintenance, unless an
    /// incident already shows them worse.
    pub fn with_maintenance<'a>(
        mut self,
        config: &Config,
        components: impl IntoIterator<Item = &'a String>,
    ) -> Overview {
        for id in components {
            match self
                .components
                .iter_mut()
                .find(|component| component.id == *id)
            {
                Some(component) => {
                    component.status = component.status.max(ComponentStatus::UnderMaintenance)
                }
                None => self.components.push(ComponentState {
                    id: id.clone(),
                    name: config.components.get(id).unwrap_or(id).clone(),
                    status: ComponentStatus::UnderMaintenance,
                }),
            }
        }
        self.status = worst(&self.components);
        self
    }
}

fn worst(components: &[ComponentState]) -> ComponentStatus {
    components
        .iter()
        .map(|component| component.status)
        .max()
        .unwrap_or(ComponentStatus::Operational)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Indicator;
    use crate::vocab::Status;
    use std::path::Path;

    const CONFIG: &str = r#"[org]
name = "Acme"
timezone = "UTC"

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
web = "Website"
api = "Public API"
photos = "Photos"
"#;

    fn open(severity: &str, components: &[&str]) -> Summary {
        Summary {
            id: "abc1234".to_string(),
            title: "Broken".to_string(),
            status: Status::Investigating,
            severity: severity.to_string(),
            components: components.iter().map(ToString::to_string).collect(),
            started_at: "2026-11-24T08:00:00Z".parse().unwrap(),
            acknowledged_at: None,
            resolved_at: None,
            next_update_at: None,
            updates: 1,
            retracted_at: None,
            sent: Vec::new(),
        }
    }

    fn statuses(overview: &Overview) -> Vec<(&str, &str)> {
        overview
            .components
            .iter()
            .map(|component| (component.id.as_str(), component.status.name()))
            .collect()
    }

    #[test]
    fn severities_map_to_component_statuses() {
        let config = Config::parse(
            Path::new("incident.toml"),
            CONFIG,
            &crate::publish::targets::kinds(),
        )
        .unwrap();
        let quiet = Overview::of(&config, &[]);
        assert_eq!(quiet.status, ComponentStatus::Operational);
        assert_eq!(
            quiet.status.indicator().description(),
            "All Systems Operational"
        );
        assert_eq!(
            statuses(&quiet),
            [
                ("api", "operational"),
                ("photos", "operational"),
                ("web", "operational")
            ]
        );

        let incidents = [
            open("sev3", &["api", "web"]),
            open("sev2", &["web"]),
            open("gone", &["legacy"]),
        ];
        let overview = Overview::of(&config, &incidents);
        assert_eq!(overview.status, ComponentStatus::PartialOutage);
        assert_eq!(overview.status.indicator(), Indicator::Major);
        assert_eq!(
            statuses(&overview),
            [
                ("api", "degraded_performance"),
                ("photos", "operational"),
                ("web", "partial_outage"),
                ("legacy", "degraded_performance"),
            ]
        );

        // An incident that names no component says so in a row of its own, so the
        // headline and the rows agree.
        let worst = Overview::of(&config, &[open("sev1", &[])]);
        assert_eq!(worst.status, ComponentStatus::MajorOutage);
        assert_eq!(worst.status.indicator().name(), "critical");
        assert_eq!(
            statuses(&worst),
            [
                ("api", "operational"),
                ("photos", "operational"),
                ("web", "operational"),
                (UNATTRIBUTED, "major_outage"),
            ]
        );
        let rows_worst = worst.components.iter().map(|row| row.status).max();
        assert_eq!(rows_worst, Some(worst.status));
    }
}
