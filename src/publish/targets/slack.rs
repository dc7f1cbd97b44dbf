//! `slack`: an incoming webhook with Block Kit sections and the text as the notification
//! fallback. Incoming webhooks return no message id, so a post cannot be edited later.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::publish::{Outgoing, Post, PublishError, Publisher, Url};

/// Slack's limit for the text of one section block.
const SECTION_LIMIT: usize = 3000;
/// Slack truncates `text` at 40,000 characters; its docs ask for under 4,000.
const FALLBACK_LIMIT: usize = 4000;

#[derive(Debug)]
pub struct Slack {
    url: Url,
}

impl Slack {
    pub fn new(url: Url) -> Slack {
        Slack { url }
    }
}

impl Publisher for Slack {
    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let text = mrkdwn(post.draft.text.trim_end());
        let text = text.as_str();
        let blocks: Vec<serde_json::Value> = chunks(text, SECTION_LIMIT)
            .into_iter()
            .map(|chunk| json!({"type": "section", "text": {"type": "mrkdwn", "text": chunk}}))
            .collect();
        Ok(Outgoing::new(reqwest::Method::POST, &self.url)
            .status_only()
            .json(&json!({
                "text": truncate(text, FALLBACK_LIMIT),
                "blocks": blocks,
            })))
    }
}

/// Turns Markdown's `**bold**` (which the chat template writes, and Discord, Teams and
/// Mattermost read) into Slack's `*bold*`.
pub fn mrkdwn(text: &str) -> String {
    text.replace("**", "*")
}

/// Splits `text` into pieces of at most `limit` characters, at paragraph or line breaks
/// where it can.
pub fn chunks(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if current.chars().count() + line.chars().count() > limit && !current.is_empty() {
            pieces.push(current.trim_end().to_string());
            current.clear();
        }
        let mut line = line;
        while line.chars().count() > limit {
            let cut = line
                .char_indices()
                .nth(limit)
                .map_or(line.len(), |(index, _)| index);
            pieces.push(line[..cut].to_string());
            line = &line[cut..];
        }
        current.push_str(line);
    }
    if !current.trim().is_empty() {
        pieces.push(current.trim_end().to_string());
    }
    pieces
}

/// Shortens `text` to `limit` characters, ending with "…" when it cut.
pub fn truncate(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit.saturating_sub(1)) {
        Some((cut, _)) if text.chars().count() > limit => format!("{}…", &text[..cut]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_at_line_breaks_within_the_limit() {
        assert_eq!(chunks("ab\ncd\nef", 5), ["ab", "cd\nef"]);
        assert_eq!(chunks("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(mrkdwn("**[SEV1] Down**\nmore"), "*[SEV1] Down*\nmore");
    }
}
