//! `mattermost`: an incoming webhook taking Markdown `text`; it answers `ok` and no id.
//!
//! Mentions people typed (`@channel`, `@all`, `@here`, `@someone`) are made inert; only the
//! target's `mention` notifies. A text over one post's limit is cut at a word boundary with
//! "…" and a link to the status page, rather than split by Mattermost into several posts.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::chat::{self, ChatKeys, Mention, MentionForm};
use super::chat_text::{cut, defuse_mentions, markdown_more};
use crate::config::{Config, DeliveryRule, Kind, Target, fields_of};
use crate::publish::Secrets;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Url};
use crate::vocab::Channel;

/// Mattermost splits longer posts; one post is clearer.
const POST_LIMIT: usize = 16_383;

#[derive(Debug)]
pub struct Mattermost {
    url: Url,
    mention: Option<Mention>,
}

pub static KIND: Kind = Kind {
    name: "mattermost",
    channel: Channel::Chat,
    delivery: DeliveryRule::Blind,
    keys: fields_of::<ChatKeys>,
    required: &[&["url_env"]],
    url_is_secret: true,
    settings: |table| chat::settings(table, &MENTION),
};

const MENTION: MentionForm = MentionForm {
    service: "Mattermost",
    parse: mattermost_mention,
    hint: "Mattermost notifies `@username` (lowercase letters, digits, `.`, `-`, `_`), `@here`, `@channel` or `@all`",
};

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let (url, mention) = chat::endpoint(target, secrets)?;
    Ok(Box::new(Mattermost { url, mention }))
}

/// Mattermost's: `@username`, and `@here`, `@channel`, `@all`.
fn mattermost_mention(word: &str) -> Option<String> {
    let name = word.strip_prefix('@')?;
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.as_bytes()[0].is_ascii_alphabetic()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    ok.then(|| word.to_string())
}

impl Publisher for Mattermost {
    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let text = defuse_mentions(post.draft.text.trim_end());
        let more = markdown_more(post.config.org.status_url.as_deref());
        let mention = self
            .mention
            .as_ref()
            .and_then(|mention| mention.for_severity(&post.incident.severity));
        let text = match mention {
            Some(mention) => format!(
                "{mention}\n{}",
                cut(
                    &text,
                    POST_LIMIT.saturating_sub(mention.chars().count() + 1),
                    &more
                )
            ),
            None => cut(&text, POST_LIMIT, &more),
        };
        Ok(Outgoing::new(reqwest::Method::POST, &self.url)
            .status_only()
            .json(&json!({ "text": text })))
    }
}
