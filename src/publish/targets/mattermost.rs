//! `mattermost`: an incoming webhook taking Markdown `text`; it answers `ok` and no id.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::publish::{Outgoing, Post, PublishError, Publisher, Url};

/// Mattermost splits longer posts; one post is clearer.
const POST_LIMIT: usize = 16_383;

#[derive(Debug)]
pub struct Mattermost {
    url: Url,
}

impl Mattermost {
    pub fn new(url: Url) -> Mattermost {
        Mattermost { url }
    }
}

impl Publisher for Mattermost {
    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let text = post.draft.text.trim_end();
        if text.chars().count() > POST_LIMIT {
            return Err(PublishError::unsendable(format!(
                "the {} text is longer than Mattermost's {POST_LIMIT} characters",
                post.draft.channel
            )));
        }
        Ok(Outgoing::new(reqwest::Method::POST, &self.url)
            .status_only()
            .json(&json!({ "text": text })))
    }
}
