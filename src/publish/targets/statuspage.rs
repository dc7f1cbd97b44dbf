//! `statuspage`: Atlassian Statuspage's management API. The first update of an incident
//! creates a Statuspage incident (`POST /pages/{page_id}/incidents`), whose id is recorded;
//! each later update adds an incident update to it (`PATCH …/incidents/{incident_id}` with
//! the new status and body). Affected components are mapped through the target's
//! `components` table and set to a status that follows the severity.
//!
//! A maintenance window is a Statuspage *scheduled* incident: its announcement creates one
//! with `scheduled_for`, `scheduled_until`, whether Statuspage reminds subscribers, and the
//! window's automatic transitions; each later notice adds an update in Statuspage's
//! scheduled states (`scheduled`, `in_progress`, `verifying`, `completed`). While it runs its
//! components are `under_maintenance`, and `operational` once it is over. Statuspage has no
//! cancelled state, so a cancellation completes the scheduled incident with its notice.
//!
//! Statuspage takes no idempotency key and an incident update cannot be changed through
//! the incident: its delivery rule is *blind*, so a try that may have arrived (interrupted,
//! unanswered, or answered with a success that cannot be read) is *uncertain*, and an
//! edited text is not re-sent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::shared::incident_remote;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    ComponentStatus, Config, DeliveryRule, Kind, KindSettings, KindTable, Secret, Target,
    TargetProblem, fields_of,
};
use crate::publish::Secrets;
use crate::publish::http::encode_segment;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Remote, Reply, Url};
use crate::record::Incident;
use crate::record::maintenance::{self, Stage, Window};
use crate::vocab::{Channel, Status, backticked};

/// The management API, when the target does not name another.
pub const DEFAULT_API: &str = "https://api.statuspage.io/v1";

pub static KIND: Kind = Kind {
    name: "statuspage",
    channel: Channel::Status,
    delivery: DeliveryRule::Blind,
    keys: fields_of::<Keys>,
    required: &[&["page_id"], &["api_key_env"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    url: Option<Spanned<String>>,
    page_id: Option<Spanned<String>>,
    api_key_env: Option<Spanned<String>>,
    components: Option<Spanned<BTreeMap<String, String>>>,
}

/// A Statuspage target's settings.
#[derive(Debug, Clone)]
pub struct StatuspageSettings {
    /// The API base, when not the public one.
    pub url: Option<String>,
    pub page_id: String,
    pub api_key_env: String,
    /// Our component id to the Statuspage component id.
    pub components: BTreeMap<String, String>,
}

impl KindSettings for StatuspageSettings {}

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    if let Some(components) = &keys.components
        && let Some(unknown) = components
            .get_ref()
            .keys()
            .find(|id| !table.component_ids.contains(&id.as_str()))
    {
        return Err(table.problem(
            components.span(),
            format!(
                "unknown component `{unknown}` in `[targets.{}].components`",
                table.name
            ),
            Some(format!(
                "components are {}",
                backticked(table.component_ids)
            )),
        ));
    }
    Ok(Arc::new(StatuspageSettings {
        url: keys.url.map(Spanned::into_inner),
        page_id: table.required(&keys.page_id, "page_id")?,
        api_key_env: table.required(&keys.api_key_env, "api_key_env")?,
        components: keys.components.map(Spanned::into_inner).unwrap_or_default(),
    }))
}

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    Ok(Box::new(Statuspage::new(
        target,
        target.settings(),
        secrets,
    )?))
}

#[derive(Debug)]
pub struct Statuspage {
    target: String,
    /// `{base}/pages/{page_id}/incidents`
    incidents: Url,
    /// `OAuth {api key}`, registered for scrubbing when made.
    authorization: Secret,
    /// Our component id → the Statuspage component id.
    components: BTreeMap<String, String>,
}

impl Statuspage {
    fn new(
        target: &Target,
        settings: &StatuspageSettings,
        secrets: &Secrets,
    ) -> Result<Statuspage, PublishError> {
        let page_id = &settings.page_id;
        let variable = &settings.api_key_env;
        let base = Url::plain(settings.url.as_deref().unwrap_or(DEFAULT_API));
        Ok(Statuspage {
            target: target.name.clone(),
            incidents: base.join(&format!("pages/{}/incidents", encode_segment(page_id))),
            authorization: secrets.derive(&secrets.get(target, "api_key_env", variable)?, |key| {
                format!("OAuth {key}")
            }),
            components: settings.components.clone(),
        })
    }
}

impl Publisher for Statuspage {
    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let mut incident = serde_json::Map::new();
        let existing = incident_remote(post, &self.target);
        if existing.is_none() {
            incident.insert("name".to_string(), json!(post.incident.title));
        }
        let window = maintenance_of(post);
        let status = match &window {
            Some((_, stage)) => scheduled_status(*stage),
            None => post.update.status.name(),
        };
        incident.insert("status".to_string(), json!(status));
        incident.insert("body".to_string(), json!(post.draft.text.trim()));
        // Statuspage sends its own reminder to subscribers (`scheduled_remind_prior`): ours
        // shows on the page without notifying them a second time.
        if let Some((_, Stage::Remind)) = &window {
            incident.insert("deliver_notifications".to_string(), json!(false));
        }
        if let (Some((window, _)), None) = (&window, &existing) {
            incident.insert("impact_override".to_string(), json!("maintenance"));
            incident.insert(
                "scheduled_for".to_string(),
                json!(crate::time::rfc3339(window.starts_at)),
            );
            incident.insert(
                "scheduled_until".to_string(),
                json!(crate::time::rfc3339(window.ends_at)),
            );
            incident.insert(
                "scheduled_remind_prior".to_string(),
                json!(!window.remind_minutes.is_empty()),
            );
            incident.insert(
                "scheduled_auto_in_progress".to_string(),
                json!(window.auto_start),
            );
            incident.insert(
                "scheduled_auto_completed".to_string(),
                json!(window.auto_complete),
            );
            incident.insert(
                "auto_transition_to_maintenance_state".to_string(),
                json!(window.auto_start),
            );
            incident.insert(
                "auto_transition_to_operational_state".to_string(),
                json!(window.auto_complete),
            );
        }
        let affected: Vec<&String> = post
            .incident
            .components
            .iter()
            .filter_map(|id| self.components.get(id))
            .collect();
        // A window leaves its components as they are until it starts (and a cancelled one
        // never touched them).
        let sets_components = match &window {
            Some((_, stage)) => matches!(stage, Stage::Start | Stage::Verify | Stage::Complete),
            None => true,
        };
        if !affected.is_empty() && sets_components {
            let state = match &window {
                Some((window, _)) if window.is_running() => {
                    ComponentStatus::UnderMaintenance.name()
                }
                Some(_) => ComponentStatus::Operational.name(),
                None => component_status(post.config, post.incident, post.update.status),
            };
            incident.insert("component_ids".to_string(), json!(affected));
            incident.insert(
                "components".to_string(),
                affected
                    .iter()
                    .map(|id| ((*id).clone(), json!(state)))
                    .collect::<serde_json::Map<_, _>>()
                    .into(),
            );
        }
        let outgoing = match &existing {
            Some(id) => Outgoing::new(
                reqwest::Method::PATCH,
                &self.incidents.join(&encode_segment(id)),
            ),
            None => Outgoing::new(reqwest::Method::POST, &self.incidents),
        };
        Ok(outgoing
            .secret_header("Authorization", &self.authorization)
            .json(&json!({ "incident": incident })))
    }

    fn remote(&self, _post: &Post, reply: &Reply) -> Result<Remote, PublishError> {
        let incident: serde_json::Value = serde_json::from_str(&reply.body)
            .map_err(|_| PublishError::unreadable("Statuspage did not answer with the incident"))?;
        let id = incident["id"]
            .as_str()
            .ok_or_else(|| PublishError::unreadable("Statuspage's answer has no incident id"))?
            .to_string();
        Ok(Remote {
            id: Some(id),
            url: incident["shortlink"].as_str().map(str::to_string),
        })
    }
}

/// The window `post` belongs to, as of its notice (an early notice sent late still carries
/// its own state), and the notice's stage, when it is a maintenance notice.
fn maintenance_of(post: &Post) -> Option<(Window, Stage)> {
    if post.incident.severity != maintenance::SEVERITY {
        return None;
    }
    let stage = Stage::from_name(&post.update.stage)?;
    Some((Window::as_of(post.incident, post.update.seq)?, stage))
}

/// Statuspage's scheduled state after a notice of `stage`.
fn scheduled_status(stage: Stage) -> &'static str {
    match stage {
        Stage::Announce | Stage::Remind => "scheduled",
        Stage::Start => "in_progress",
        Stage::Verify => "verifying",
        Stage::Complete | Stage::Cancel => "completed",
    }
}

/// The status of the affected components: `operational` once resolved, else by the
/// incident's severity, the most severe (first in the config) a major outage.
pub fn component_status(config: &Config, incident: &Incident, status: Status) -> &'static str {
    if status == Status::Resolved {
        return ComponentStatus::Operational.name();
    }
    ComponentStatus::of_severity(config, &incident.severity).name()
}
