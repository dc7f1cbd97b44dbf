//! `teams`: a Workflows webhook taking an Adaptive Card (version 1.4, the newest Workflows
//! renders). It answers 202 with no id, so a post cannot be edited later.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::shared::headline;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Url};

#[derive(Debug)]
pub struct Teams {
    url: Url,
}

impl Teams {
    pub fn new(url: Url) -> Teams {
        Teams { url }
    }
}

impl Publisher for Teams {
    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let update = post.update;
        let zone = post.config.org.timezone;
        let mut facts = vec![
            json!({"title": "Status", "value": update.status.name()}),
            json!({"title": "Severity", "value": post.incident.severity}),
        ];
        if let Some(next) = update.next_update_at {
            facts.push(json!({
                "title": "Next update",
                "value": crate::time::local_with_utc(next, zone),
            }));
        }
        let mut card = json!({
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": headline(post), "weight": "Bolder", "size": "Medium", "wrap": true},
                {"type": "TextBlock", "text": post.draft.text.trim_end(), "wrap": true},
                {"type": "FactSet", "facts": facts},
            ],
        });
        if let Some(status_url) = &post.config.org.status_url {
            card["actions"] = json!([
                {"type": "Action.OpenUrl", "title": "Status page", "url": status_url}
            ]);
        }
        Ok(Outgoing::new(reqwest::Method::POST, &self.url)
            .status_only()
            .json(&json!({
                "type": "message",
                "attachments": [{
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": null,
                    "content": card,
                }],
            })))
    }
}
