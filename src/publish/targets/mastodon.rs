//! `mastodon`: a status posted with `POST /api/v1/statuses` as form data, carrying the
//! publication's key as `Idempotency-Key` (Mastodon answers a repeat with the original
//! status), so an interrupted try is safe to send again. Later updates of an incident reply
//! to the status of its first published update, making a thread; a changed text edits the
//! status in place with `PUT /api/v1/statuses/{id}`. Its delivery rule is *keyed*.

use chrono::{DateTime, Utc};
use unicode_segmentation::UnicodeSegmentation;

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    Choice, Config, DeliveryRule, Kind, KindSettings, KindTable, Secret, Target, TargetProblem,
    fields_of,
};
use crate::publish::Secrets;
use crate::publish::http::encode_segment;
use crate::publish::{Outgoing, Post, PublishError, Publisher, Remote, Reply, Url};
use crate::record::PublishAction;
use crate::vocab::Channel;

pub static KIND: Kind = Kind {
    name: "mastodon",
    channel: Channel::Social,
    delivery: DeliveryRule::Keyed,
    keys: fields_of::<Keys>,
    required: &[&["url"], &["token_env"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    url: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    limit: Option<Spanned<u32>>,
    visibility: Option<Spanned<String>>,
}

/// A Mastodon target's settings: statuses through the REST API.
#[derive(Debug, Clone)]
pub struct MastodonSettings {
    pub url: String,
    pub token_env: String,
    /// How many characters a status may have (the instance's default when not written).
    pub limit: usize,
    pub visibility: Visibility,
}

impl KindSettings for MastodonSettings {
    fn social_limit(&self) -> Option<usize> {
        Some(self.limit)
    }
}

/// Who sees a Mastodon status (`visibility`), in Mastodon's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Choice for Visibility {
    const KEY: &'static str = "visibility";
    const CHOICES: &'static [(&'static str, Visibility)] = &[
        ("public", Visibility::Public),
        ("unlisted", Visibility::Unlisted),
        ("private", Visibility::Private),
        ("direct", Visibility::Direct),
    ];
}

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    let visibility = table.choice(&keys.visibility, Some(Visibility::Public))?;
    let limit = match &keys.limit {
        Some(limit) if *limit.get_ref() == 0 => {
            return Err(table.problem(
                limit.span(),
                "`limit` must be at least 1".to_string(),
                None,
            ));
        }
        Some(limit) => *limit.get_ref() as usize,
        None => crate::playbook::DEFAULT_SOCIAL_LIMIT,
    };
    Ok(Arc::new(MastodonSettings {
        url: table.required(&keys.url, "url")?,
        token_env: table.required(&keys.token_env, "token_env")?,
        limit,
        visibility,
    }))
}

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    Ok(Box::new(Mastodon::new(target, target.settings(), secrets)?))
}

/// How many characters Mastodon counts for any URL, however long.
const URL_LENGTH: usize = 23;

#[derive(Debug)]
pub struct Mastodon {
    target: String,
    /// The instance, e.g. `https://mastodon.example`.
    instance: Url,
    /// `Bearer {token}`, registered for scrubbing when made.
    authorization: Secret,
    visibility: Visibility,
    limit: usize,
}

impl Mastodon {
    fn new(
        target: &Target,
        settings: &MastodonSettings,
        secrets: &Secrets,
    ) -> Result<Mastodon, PublishError> {
        Ok(Mastodon {
            target: target.name.clone(),
            instance: Url::plain(&settings.url),
            authorization: secrets.derive(
                &secrets.get(target, "token_env", &settings.token_env)?,
                |token| format!("Bearer {token}"),
            ),
            visibility: settings.visibility,
            limit: settings.limit,
        })
    }
}

impl Publisher for Mastodon {
    fn can_edit(&self) -> bool {
        true
    }

    fn request(&self, post: &Post, _now: DateTime<Utc>) -> Result<Outgoing, PublishError> {
        let text = post.draft.text.trim();
        let length = status_length(text);
        if length > self.limit {
            return Err(PublishError::unsendable(format!(
                "the {} text is {length} characters as Mastodon counts them; `{}` allows {}: shorten it with `incident edit`",
                post.draft.channel, self.target, self.limit
            )));
        }
        let outgoing = match (post.action, post.remote_id) {
            (PublishAction::Edit, Some(id)) => Outgoing::new(
                reqwest::Method::PUT,
                &self
                    .instance
                    .join(&format!("api/v1/statuses/{}", encode_segment(id))),
            )
            .form(&[("status", text)]),
            (PublishAction::Edit, None) => {
                return Err(PublishError::unsendable(
                    "the Mastodon status to edit has no id in the record",
                ));
            }
            (PublishAction::Create, _) => {
                let thread = super::shared::incident_remote(post, &self.target);
                let mut fields = vec![("status", text), ("visibility", self.visibility.name())];
                if let Some(first) = &thread {
                    fields.push(("in_reply_to_id", first.as_str()));
                }
                Outgoing::new(
                    reqwest::Method::POST,
                    &self.instance.join("api/v1/statuses"),
                )
                .header("Idempotency-Key", post.key)
                .form(&fields)
            }
        };
        Ok(outgoing.secret_header("Authorization", &self.authorization))
    }

    fn remote(&self, _post: &Post, reply: &Reply) -> Result<Remote, PublishError> {
        let status: serde_json::Value = serde_json::from_str(&reply.body)
            .map_err(|_| PublishError::unreadable("Mastodon did not answer with the status"))?;
        let id = status["id"]
            .as_str()
            .ok_or_else(|| PublishError::unreadable("Mastodon's answer has no status id"))?
            .to_string();
        let url = status["url"]
            .as_str()
            .or_else(|| status["uri"].as_str())
            .map(str::to_string);
        Ok(Remote { id: Some(id), url })
    }
}

/// Returns the length of a status as Mastodon counts it: grapheme clusters, with every URL
/// counting as 23 however long it is.
pub fn status_length(text: &str) -> usize {
    let mut length = 0;
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        length += rest[..start].graphemes(true).count() + URL_LENGTH;
        rest = &rest[start + url_end(&rest[start..])..];
    }
    length + rest.graphemes(true).count()
}

/// The byte offset of the next `http://` or `https://` that starts a word.
fn find_url(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let start = from + found;
        let tail = &text[start..];
        let at_word_start = text[..start]
            .chars()
            .next_back()
            .is_none_or(|before| before.is_whitespace() || matches!(before, '(' | '<' | '"'));
        if at_word_start && (tail.starts_with("http://") || tail.starts_with("https://")) {
            return Some(start);
        }
        from = start + "http".len();
    }
    None
}

/// The length of the URL at the start of `text`: up to the next space, without trailing
/// punctuation, which Mastodon does not count as part of the link.
fn url_end(text: &str) -> usize {
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    text[..end]
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '>', '"', '\''])
        .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_graphemes_and_every_url_as_23() {
        assert_eq!(status_length("abc"), 3);
        assert_eq!(status_length("👩‍👩‍👧 é"), 3);
        let long = format!("See https://status.example/{} now.", "x".repeat(100));
        assert_eq!(status_length(&long), "See ".len() + 23 + " now.".len());
        assert_eq!(status_length("at http://a.b."), 3 + 23 + 1);
        assert_eq!(status_length("xhttp://a.b"), 11);
    }
}
