//! `slack`: an incoming webhook with Block Kit sections and the text as the notification
//! fallback. Incoming webhooks return no message id, so a post cannot be edited later.
//!
//! The text people typed is escaped for mrkdwn (`&`, `<`, `>`), so `<!channel>`, `<@U123>`
//! and `<url|label>` show as typed, and `@here`-style words are made inert; only the
//! target's `mention` notifies. Sections are cut at word boundaries within Slack's 3,000
//! characters, at most 50 blocks; what does not fit ends with "…" and a link to the status
//! page.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::chat::{self, ChatKeys, Mention, MentionForm};
use super::chat_text::{chunks, close, cut, defuse_mentions, slack_escape};
use crate::config::{Config, DeliveryRule, Kind, Target, fields_of};
use crate::publish::Secrets;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Url};
use crate::vocab::Channel;

/// Slack's limit for the text of one section block.
const SECTION_LIMIT: usize = 3000;
/// Slack's limit for the blocks of one message.
const BLOCK_LIMIT: usize = 50;
/// Slack truncates `text` at 40,000 characters; its docs ask for under 4,000.
const FALLBACK_LIMIT: usize = 4000;

#[derive(Debug)]
pub struct Slack {
    url: Url,
    mention: Option<Mention>,
}

pub static KIND: Kind = Kind {
    name: "slack",
    channel: Channel::Chat,
    delivery: DeliveryRule::Blind,
    keys: fields_of::<ChatKeys>,
    required: &[&["url_env"]],
    url_is_secret: true,
    settings: |table| chat::settings(table, &MENTION),
};

const MENTION: MentionForm = MentionForm {
    service: "Slack",
    parse: slack_mention,
    hint: "Slack notifies a user group by its id, `<!subteam^S0123ABCD>` (or `<!subteam^S0123ABCD|@oncall>`), a person as `<@U0123ABCD>`, and everyone as `@here` or `@channel`",
};

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let (url, mention) = chat::endpoint(target, secrets)?;
    Ok(Box::new(Slack { url, mention }))
}

/// Slack's forms: `<!subteam^ID>` or `<!subteam^ID|@handle>`, `<@ID>`, and the special
/// mentions written `@here` or as Slack writes them, `<!here>`.
fn slack_mention(word: &str) -> Option<String> {
    let special = |name: &str| ["here", "channel", "everyone"].contains(&name);
    if let Some(name) = word.strip_prefix('@')
        && special(name)
    {
        return Some(format!("<!{name}>"));
    }
    let inner = word.strip_prefix('<')?.strip_suffix('>')?;
    let id_ok = |id: &str| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    let handle_ok = |handle: &str| {
        handle.strip_prefix('@').is_some_and(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        })
    };
    let ok = if let Some(group) = inner.strip_prefix("!subteam^") {
        match group.split_once('|') {
            Some((id, handle)) => id_ok(id) && handle_ok(handle),
            None => id_ok(group),
        }
    } else if let Some(user) = inner.strip_prefix('@') {
        id_ok(user)
    } else if let Some(name) = inner.strip_prefix('!') {
        special(name)
    } else {
        false
    };
    ok.then(|| word.to_string())
}

impl Publisher for Slack {
    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        Ok(Outgoing::new(reqwest::Method::POST, &self.url)
            .status_only()
            .json(&body(post, &self.mention)))
    }
}

/// The message: the mention (if this update's severity carries one), the sections, and
/// the fallback text.
fn body(post: &Post, mention: &Option<Mention>) -> serde_json::Value {
    let text = slack_escape(&defuse_mentions(&mrkdwn(post.draft.text.trim_end())));
    let more = post
        .config
        .org
        .status_url
        .as_deref()
        .map_or_else(String::new, |url| {
            format!("<{url}|Read the full update on the status page>")
        });
    let mention = mention
        .as_ref()
        .and_then(|mention| mention.for_severity(&post.incident.severity));
    let room = BLOCK_LIMIT - usize::from(mention.is_some());
    let mut sections = chunks(&text, SECTION_LIMIT);
    if sections.len() > room {
        sections.truncate(room);
        let last = sections.pop().unwrap_or_default();
        sections.push(close(&last, SECTION_LIMIT, &more));
    }
    let blocks: Vec<serde_json::Value> = mention
        .into_iter()
        .map(str::to_string)
        .chain(sections)
        .map(|chunk| json!({"type": "section", "text": {"type": "mrkdwn", "text": chunk}}))
        .collect();
    let fallback = match mention {
        Some(mention) => format!(
            "{mention} {}",
            cut(
                &text,
                FALLBACK_LIMIT.saturating_sub(mention.chars().count() + 1),
                &more
            )
        ),
        None => cut(&text, FALLBACK_LIMIT, &more),
    };
    json!({ "text": fallback, "blocks": blocks })
}

/// Turns Markdown's `**bold**` (which the chat template writes, and Discord, Teams and
/// Mattermost read) into Slack's `*bold*`.
pub fn mrkdwn(text: &str) -> String {
    text.replace("**", "*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_becomes_mrkdwn() {
        assert_eq!(mrkdwn("**[SEV1] Down**\nmore"), "*[SEV1] Down*\nmore");
    }
}
