//! `webhook`: a JSON event signed per Standard Webhooks v1. The `webhook-id` is the
//! publication's key, the same on every retry, so receivers can drop duplicates; the
//! timestamp and signature are made fresh for each try. Its delivery rule is *keyed*: a
//! try that may have arrived is sent again with the same `webhook-id`. A success's body is
//! never read: the status says all a webhook answers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::shared::url_from_env;
use crate::config::{
    Config, DeliveryRule, Kind, KindSettings, KindTable, Secret, Target, TargetProblem, fields_of,
};
use crate::publish::{Outgoing, Post, PublishError, Publisher, Remote, Reply, Secrets, Url};
use crate::record::{PublishAction, maintenance};
use crate::vocab::{Channel, Status};

pub static KIND: Kind = Kind {
    name: "webhook",
    channel: Channel::Status,
    delivery: DeliveryRule::Keyed,
    keys: fields_of::<Keys>,
    required: &[&["url", "url_env"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    url: Option<Spanned<String>>,
    url_env: Option<Spanned<String>>,
    secret_env: Option<Spanned<String>>,
}

/// A webhook's settings.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub url: UrlSetting,
    /// The variable holding the `whsec_` signing secret, if requests are signed.
    pub secret_env: Option<String>,
}

impl KindSettings for WebhookSettings {}

/// A URL written in the file, or the name of the environment variable that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSetting {
    /// `url`: checked like every URL in the file.
    Plain(String),
    /// `url_env`: the variable's value is checked when it is read, at publish time.
    Env(String),
}

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    let url = match (keys.url, keys.url_env) {
        (Some(url), _) => UrlSetting::Plain(url.into_inner()),
        (None, Some(variable)) => UrlSetting::Env(variable.into_inner()),
        (None, None) => return Err(table.missing(&["url", "url_env"])),
    };
    Ok(Arc::new(WebhookSettings {
        url,
        secret_env: keys.secret_env.map(Spanned::into_inner),
    }))
}

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let settings: &WebhookSettings = target.settings();
    let url = match &settings.url {
        UrlSetting::Plain(url) => Url::plain(url),
        UrlSetting::Env(variable) => url_from_env(target, secrets, variable)?,
    };
    let secret = match &settings.secret_env {
        Some(variable) => secrets.lookup(target, "secret_env", variable)?,
        None => None,
    };
    Ok(Box::new(Webhook::new(url, secret, secrets)?))
}

#[derive(Debug)]
pub struct Webhook {
    url: Url,
    /// The `whsec_` secret, checked to decode when the target was built.
    secret: Option<Secret>,
    /// Where each signature is registered as it is made.
    secrets: Secrets,
}

impl Webhook {
    /// `secret` is `None` for an unsigned webhook, or in a dry run without the secret.
    fn new(url: Url, secret: Option<Secret>, secrets: &Secrets) -> Result<Webhook, PublishError> {
        if let Some(secret) = &secret {
            decode_secret(secret.expose())?;
            // A server may echo the key without its `whsec_` prefix.
            secrets.derive(secret, |value| {
                value.strip_prefix("whsec_").unwrap_or(value).to_string()
            });
        }
        Ok(Webhook {
            url,
            secret,
            secrets: secrets.clone(),
        })
    }
}

/// Decodes a `whsec_<base64>` secret (a bare base64 key is accepted too).
fn decode_secret(secret: &str) -> Result<Vec<u8>, PublishError> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    STANDARD.decode(encoded.trim()).map_err(|_| {
        PublishError::bad_setting("the webhook secret is not `whsec_` followed by base64")
    })
}

/// Returns the `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The event type: what happened to the incident in this update.
fn event_type(post: &Post) -> &'static str {
    if let Some(stage) = maintenance::Stage::from_name(&post.update.stage)
        && post.incident.severity == maintenance::SEVERITY
    {
        return match (post.action, stage) {
            (PublishAction::Edit, _) => "maintenance.update_edited",
            (_, maintenance::Stage::Announce) => "maintenance.scheduled",
            (_, maintenance::Stage::Remind) => "maintenance.reminder",
            (_, maintenance::Stage::Start) => "maintenance.started",
            (_, maintenance::Stage::Verify) => "maintenance.verifying",
            (_, maintenance::Stage::Complete) => "maintenance.completed",
            (_, maintenance::Stage::Cancel) => "maintenance.cancelled",
        };
    }
    match (post.action, post.update.seq, post.update.status) {
        // A correction or retraction mends the post it revises: say which.
        (PublishAction::Edit, _, _) if post.incident.retracted.is_some() => "incident.retracted",
        (PublishAction::Edit, _, _) if post.update.retracted.is_some() => {
            "incident.update_retracted"
        }
        (PublishAction::Edit, _, _) if post.update.corrected.is_some() => {
            "incident.update_corrected"
        }
        (PublishAction::Edit, _, _) => "incident.update_edited",
        (_, 1, _) => "incident.opened",
        (_, _, Status::Resolved) => "incident.resolved",
        _ => "incident.updated",
    }
}

/// The JSON body, documented in the README.
pub fn payload(post: &Post) -> serde_json::Value {
    let mut payload = base_payload(post);
    // What revised them, only when something did: receivers that never see a revision
    // get the payload they always got.
    let data = &mut payload["data"];
    if let Some(retracted) = &post.incident.retracted {
        data["incident"]["retracted"] = json!(retracted);
    }
    if let Some(corrected) = &post.update.corrected {
        data["update"]["corrected"] = json!(corrected);
    }
    if let Some(retracted) = &post.update.retracted {
        data["update"]["retracted"] = json!(retracted);
    }
    payload
}

fn base_payload(post: &Post) -> serde_json::Value {
    let incident = post.incident;
    let update = post.update;
    let components: Vec<serde_json::Value> = incident
        .components
        .iter()
        .map(|id| {
            json!({
                "id": id,
                "name": post.config.components.get(id).unwrap_or(id),
            })
        })
        .collect();
    json!({
        "type": event_type(post),
        "timestamp": crate::time::rfc3339(update.at),
        "data": {
            "incident": {
                "id": incident.id,
                "title": incident.title,
                "status": incident.status,
                "severity": incident.severity,
                "components": components,
                "impact": incident.impact,
                "started_at": crate::time::rfc3339(incident.started_at),
                "resolved_at": incident.resolved_at.map(crate::time::rfc3339),
            },
            "update": {
                "seq": update.seq,
                "stage": update.stage,
                "status": update.status,
                "at": crate::time::rfc3339(update.at),
                "message": update.message,
                "fields": update.fields,
                "next_update_at": update.next_update_at.map(crate::time::rfc3339),
            },
            "channel": post.draft.channel,
            "subject": post.draft.subject,
            "text": post.draft.text,
            "edited": post.draft.edited,
            "org": {
                "name": post.config.org.name,
                "status_url": post.config.org.status_url,
            },
        }
    })
}

impl Publisher for Webhook {
    fn can_edit(&self) -> bool {
        true
    }

    fn request(&self, post: &Post, now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let outgoing = Outgoing::new(reqwest::Method::POST, &self.url).json(&payload(post));
        let timestamp = now.timestamp();
        let body = &outgoing
            .body
            .as_ref()
            .expect("a JSON body was just set")
            .text;
        let signature = match &self.secret {
            Some(secret) => {
                let key = decode_secret(secret.expose())?;
                Some(
                    self.secrets
                        .derive(secret, |_| sign(&key, post.key, timestamp, body)),
                )
            }
            None => None,
        };
        let outgoing = outgoing
            .header("webhook-id", post.key)
            .header("webhook-timestamp", timestamp.to_string())
            .status_only();
        Ok(match signature {
            // Derived from the secret, and useless to show from a dry run without it.
            Some(signature) => outgoing.secret_header("webhook-signature", &signature),
            None => outgoing,
        })
    }

    fn remote(&self, post: &Post, _reply: &Reply) -> Result<Remote, PublishError> {
        Ok(Remote {
            id: Some(post.key.to_string()),
            url: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_standard_webhooks_test_vector() {
        let key = decode_secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert_eq!(
            sign(
                &key,
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1_649_367_553,
                r#"{"email":"test@example.com","username":"test_user"}"#
            ),
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        );
    }

    #[test]
    fn a_bad_secret_is_an_error_that_does_not_echo_it() {
        let error = decode_secret("whsec_not base64!").unwrap_err().to_string();
        assert!(!error.contains("not base64!"), "{error}");
    }
}
