//! `discord`: a webhook executed with `?wait=true`, which answers with the message, so its
//! id is kept and a changed text edits the message in place (`PATCH …/messages/{id}`).
//! Its delivery rule is *blind*. A success whose body cannot be read still posted the
//! message: it is delivered, without an id to edit it by later.
//!
//! `allowed_mentions` lets only the target's `mention` notify, and mentions people typed
//! are made inert as well (so a typed `<@&role>` cannot ride on a configured one). A text
//! over Discord's 2,000 characters is cut at a word boundary with "…" and a link to the
//! status page.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::chat::{self, ChatKeys, Mention, MentionForm};
use super::chat_text::{cut, defuse_mentions, markdown_more};
use crate::config::{Config, DeliveryRule, Kind, Target, fields_of};
use crate::publish::Secrets;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Remote, Reply, Url};
use crate::record::PublishAction;
use crate::vocab::Channel;

/// Discord's limit for a message's `content`.
const CONTENT_LIMIT: usize = 2000;

#[derive(Debug)]
pub struct Discord {
    url: Url,
    mention: Option<Mention>,
}

pub static KIND: Kind = Kind {
    name: "discord",
    channel: Channel::Chat,
    delivery: DeliveryRule::Blind,
    keys: fields_of::<ChatKeys>,
    required: &[&["url_env"]],
    url_is_secret: true,
    settings: |table| chat::settings(table, &MENTION),
};

const MENTION: MentionForm = MentionForm {
    service: "Discord",
    parse: discord_mention,
    hint: "Discord notifies a role as `<@&123456789>`, a person as `<@123456789>`, and everyone as `@here` or `@everyone`",
};

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let (url, mention) = chat::endpoint(target, secrets)?;
    Ok(Box::new(Discord { url, mention }))
}

/// Discord's: `<@ID>` (a person), `<@&ID>` (a role), `@here`, `@everyone`.
fn discord_mention(word: &str) -> Option<String> {
    if word == "@here" || word == "@everyone" {
        return Some(word.to_string());
    }
    let inner = word.strip_prefix("<@")?.strip_suffix('>')?;
    let id = inner.strip_prefix('&').unwrap_or(inner);
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| word.to_string())
}

impl Discord {
    /// The message: the mention this update's severity carries, if any, then the text;
    /// and `allowed_mentions` naming exactly who may be notified.
    fn body(&self, post: &Post) -> serde_json::Value {
        let text = defuse_mentions(post.draft.text.trim_end());
        let more = markdown_more(post.config.org.status_url.as_deref());
        let mention = self
            .mention
            .as_ref()
            .and_then(|mention| mention.for_severity(&post.incident.severity));
        let Some(mention) = mention else {
            return json!({
                "content": cut(&text, CONTENT_LIMIT, &more),
                "allowed_mentions": { "parse": [] },
            });
        };
        let content = format!(
            "{mention}\n{}",
            cut(
                &text,
                CONTENT_LIMIT.saturating_sub(mention.chars().count() + 1),
                &more
            )
        );
        let (mut parse, mut users, mut roles) = (Vec::new(), Vec::new(), Vec::new());
        for word in mention.split_whitespace() {
            match word.strip_prefix("<@").and_then(|id| id.strip_suffix('>')) {
                Some(id) => match id.strip_prefix('&') {
                    Some(role) => roles.push(role),
                    None => users.push(id),
                },
                // `@here` and `@everyone` are both allowed by "everyone".
                None => parse.push("everyone"),
            }
        }
        parse.dedup();
        json!({
            "content": content,
            "allowed_mentions": { "parse": parse, "users": users, "roles": roles },
        })
    }
}

impl Publisher for Discord {
    fn can_edit(&self) -> bool {
        true
    }

    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let body = self.body(post);
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
