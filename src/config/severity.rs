//! Severities as configured, and the scale that turns a severity into what a status page
//! shows: the first severity in `incident.toml` is a major outage, the second a partial
//! outage, any other degraded performance. The site, Statuspage and cState all read it here.

use chrono::Duration;
use serde::Serialize;

use super::serialize_duration;

/// One `[severities.NAME]` table.
#[derive(Debug, Clone, Serialize)]
pub struct Severity {
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    #[serde(serialize_with = "serialize_duration")]
    pub acknowledge_within: Duration,
    #[serde(serialize_with = "serialize_duration")]
    pub update_every: Duration,
}

/// A component's status, in Statuspage's words, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Operational,
    /// A maintenance window runs on it: planned, so below any outage.
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl ComponentStatus {
    /// Returns the status an open incident of `severity` gives the components it names.
    pub fn of_severity(config: &super::Config, severity: &str) -> ComponentStatus {
        match config
            .severities
            .iter()
            .position(|known| known.name == severity)
        {
            Some(0) => ComponentStatus::MajorOutage,
            Some(1) => ComponentStatus::PartialOutage,
            // A severity since removed from the config still means something is wrong.
            _ => ComponentStatus::DegradedPerformance,
        }
    }

    /// Returns the machine name, as `status.json` spells it.
    pub fn name(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::UnderMaintenance => "under_maintenance",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
        }
    }

    /// Returns the words people read.
    pub fn label(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "Operational",
            ComponentStatus::UnderMaintenance => "Under maintenance",
            ComponentStatus::DegradedPerformance => "Degraded performance",
            ComponentStatus::PartialOutage => "Partial outage",
            ComponentStatus::MajorOutage => "Major outage",
        }
    }

    /// Returns the page indicator this status amounts to.
    pub fn indicator(self) -> Indicator {
        match self {
            ComponentStatus::Operational => Indicator::None,
            ComponentStatus::UnderMaintenance => Indicator::Maintenance,
            ComponentStatus::DegradedPerformance => Indicator::Minor,
            ComponentStatus::PartialOutage => Indicator::Major,
            ComponentStatus::MajorOutage => Indicator::Critical,
        }
    }
}

/// The page-wide status indicator of Statuspage's public summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Indicator {
    None,
    Maintenance,
    Minor,
    Major,
    Critical,
}

impl Indicator {
    /// Returns the machine name, as `status.json` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Indicator::None => "none",
            Indicator::Maintenance => "maintenance",
            Indicator::Minor => "minor",
            Indicator::Major => "major",
            Indicator::Critical => "critical",
        }
    }

    /// Returns Statuspage's description of the indicator.
    pub fn description(self) -> &'static str {
        match self {
            Indicator::None => "All Systems Operational",
            Indicator::Maintenance => "Service Under Maintenance",
            Indicator::Minor => "Minor Service Outage",
            Indicator::Major => "Partial System Outage",
            Indicator::Critical => "Major Service Outage",
        }
    }
}
