//! `mattermost`: an incoming webhook taking Markdown `text`; it answers `ok` and no id.
//!
//! Mentions people typed (`@channel`, `@all`, `@here`, `@someone`) are made inert; only the
//! target's `mention` notifies. A text over one post's limit is cut at a word boundary with
//! "…" and a link to the status page, rather than split by Mattermost into several posts.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::chat_text::{cut, defuse_mentions, markdown_more};
use crate::config::Mention;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Url};

/// Mattermost splits longer posts; one post is clearer.
const POST_LIMIT: usize = 16_383;

#[derive(Debug)]
pub struct Mattermost {
    url: Url,
    mention: Option<Mention>,
}

impl Mattermost {
    pub fn new(url: Url, mention: Option<Mention>) -> Mattermost {
        Mattermost { url, mention }
    }
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
