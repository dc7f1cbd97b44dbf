//! `teams`: a Workflows webhook taking an Adaptive Card (version 1.4, the newest Workflows
//! renders). It answers 202 with no id, so a post cannot be edited later.
//!
//! A TextBlock reads Markdown, where one line break joins lines into one paragraph, so
//! every line of the text becomes its own paragraph (`\n\n`). Teams refuses messages over
//! about 28 KB: a longer text is cut at a word boundary with "…" and a link to the status
//! page so that the whole request stays within it.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::chat::{self, PlainChatKeys};
use super::chat_text::{close, cut, defuse_mentions, markdown_more};
use super::shared::headline;
use crate::config::{Config, DeliveryRule, Kind, Target, fields_of};
use crate::publish::Secrets;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Url};
use crate::vocab::Channel;

/// Teams' limit for a message, in bytes of the request body ("about 28 KB"; kept under
/// 28,000 to leave room for what the flow adds).
const MESSAGE_LIMIT: usize = 28_000;
/// A headline longer than this is cut: it is a title, not the story.
const HEADLINE_LIMIT: usize = 500;

#[derive(Debug)]
pub struct Teams {
    url: Url,
}

pub static KIND: Kind = Kind {
    name: "teams",
    channel: Channel::Chat,
    delivery: DeliveryRule::Blind,
    keys: fields_of::<PlainChatKeys>,
    required: &[&["url_env"]],
    url_is_secret: true,
    settings: chat::plain_settings,
};

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let (url, _) = chat::endpoint(target, secrets)?;
    Ok(Box::new(Teams { url }))
}

impl Publisher for Teams {
    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        Ok(Outgoing::new(reqwest::Method::POST, &self.url)
            .status_only()
            .json(&message(post)))
    }
}

/// The message with the card, its text cut to keep the body within [`MESSAGE_LIMIT`].
pub fn message(post: &Post) -> serde_json::Value {
    // Teams notifies only `<at>` mentions listed in the card's entities, which we never
    // send; typed `@channel`-style words are made inert all the same, as on every chat.
    let text = paragraphs(&defuse_mentions(post.draft.text.trim_end()));
    let whole = card(post, &text);
    if size(&whole) <= MESSAGE_LIMIT {
        return whole;
    }
    // The longest start of the text (in characters) whose card fits.
    let more = markdown_more(post.config.org.status_url.as_deref());
    let (mut fits, mut too_long) = (0, text.chars().count());
    while fits + 1 < too_long {
        let middle = (fits + too_long) / 2;
        if size(&card(post, &close(&text, middle, &more))) <= MESSAGE_LIMIT {
            fits = middle;
        } else {
            too_long = middle;
        }
    }
    card(post, &close(&text, fits, &more))
}

fn size(value: &serde_json::Value) -> usize {
    serde_json::to_vec(value).map_or(usize::MAX, |bytes| bytes.len())
}

/// Each line its own paragraph; blank lines between paragraphs are not doubled.
fn paragraphs(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn card(post: &Post, text: &str) -> serde_json::Value {
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
            {"type": "TextBlock", "text": cut(&defuse_mentions(&headline(post)), HEADLINE_LIMIT, ""), "weight": "Bolder", "size": "Medium", "wrap": true},
            {"type": "TextBlock", "text": text, "wrap": true},
            {"type": "FactSet", "facts": facts},
        ],
    });
    if let Some(status_url) = &post.config.org.status_url {
        card["actions"] = json!([
            {"type": "Action.OpenUrl", "title": "Status page", "url": status_url}
        ]);
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_paragraphs() {
        assert_eq!(paragraphs("a\nb\n\nc\n"), "a\n\nb\n\nc");
    }
}
