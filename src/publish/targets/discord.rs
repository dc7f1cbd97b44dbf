//! `discord`: a webhook executed with `?wait=true`, which answers with the message, so its
//! id is kept and a changed text edits the message in place (`PATCH …/messages/{id}`).
//! Its delivery rule is *blind*. A success whose body cannot be read still posted the
//! message: it is delivered, without an id to edit it by later.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::publish::{Outgoing, Post, PublishError, Publisher, Remote, Reply, Url};
use crate::record::PublishAction;

/// Discord's limit for a message's `content`.
const CONTENT_LIMIT: usize = 2000;

#[derive(Debug)]
pub struct Discord {
    url: Url,
}

impl Discord {
    pub fn new(url: Url) -> Discord {
        Discord { url }
    }
}

impl Publisher for Discord {
    fn can_edit(&self) -> bool {
        true
    }

    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let text = post.draft.text.trim_end();
        let length = text.chars().count();
        if length > CONTENT_LIMIT {
            return Err(PublishError::unsendable(format!(
                "the {} text is {length} characters; Discord allows {CONTENT_LIMIT}: shorten it with `incident edit`",
                post.draft.channel
            )));
        }
        // Text people typed must not ping @everyone or a role.
        let body = json!({ "content": text, "allowed_mentions": { "parse": [] } });
        let outgoing = match (post.action, post.remote_id) {
            (PublishAction::Edit, Some(id)) => Outgoing::new(
                reqwest::Method::PATCH,
                &self.url.join(&format!("messages/{id}")),
            ),
            (PublishAction::Edit, None) => {
                return Err(PublishError::unsendable(
                    "the Discord message to edit has no id in the record",
                ));
            }
            (PublishAction::Create, _) => {
                Outgoing::new(reqwest::Method::POST, &self.url.query("wait", "true"))
            }
        };
        Ok(outgoing.json(&body))
    }

    fn remote(&self, _post: &Post, reply: &Reply) -> Result<Remote, PublishError> {
        // A 2xx means Discord took the message; not knowing its id only rules out edits.
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&reply.body) else {
            return Ok(Remote::default());
        };
        let Some(id) = message["id"].as_str().map(str::to_string) else {
            return Ok(Remote::default());
        };
        let url = match (message["guild_id"].as_str(), message["channel_id"].as_str()) {
            (Some(guild), Some(channel)) => Some(format!(
                "https://discord.com/channels/{guild}/{channel}/{id}"
            )),
            _ => None,
        };
        Ok(Remote { id: Some(id), url })
    }
}
