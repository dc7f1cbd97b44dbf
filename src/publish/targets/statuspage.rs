//! `statuspage`: Atlassian Statuspage's management API. The first update of an incident
//! creates a Statuspage incident (`POST /pages/{page_id}/incidents`), whose id is recorded;
//! each later update adds an incident update to it (`PATCH …/incidents/{incident_id}` with
//! the new status and body). Affected components are mapped through the target's
//! `components` table and set to a status that follows the severity.
//!
//! Statuspage takes no idempotency key and an incident update cannot be changed through
//! the incident: its delivery rule is *blind*, so a try that may have arrived (interrupted,
//! unanswered, or answered with a success that cannot be read) is *uncertain*, and an
//! edited text is not re-sent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::shared::incident_remote;
use crate::config::{ComponentStatus, Config, Secret, StatuspageSettings, Target};
use crate::publish::Secrets;
use crate::publish::http::encode_segment;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Remote, Reply, Url};
use crate::record::Incident;
use crate::vocab::Status;

/// The management API, when the target does not name another.
pub const DEFAULT_API: &str = "https://api.statuspage.io/v1";

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
    pub fn new(
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
        incident.insert("status".to_string(), json!(post.update.status.name()));
        incident.insert("body".to_string(), json!(post.draft.text.trim()));
        let affected: Vec<&String> = post
            .incident
            .components
            .iter()
            .filter_map(|id| self.components.get(id))
            .collect();
        if !affected.is_empty() {
            let state = component_status(post.config, post.incident, post.update.status);
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

/// The status of the affected components: `operational` once resolved, else by the
/// incident's severity, the most severe (first in the config) a major outage.
pub fn component_status(config: &Config, incident: &Incident, status: Status) -> &'static str {
    if status == Status::Resolved {
        return ComponentStatus::Operational.name();
    }
    ComponentStatus::of_severity(config, &incident.severity).name()
}
