//! `ghost`: one post per incident through the Ghost Admin API, rewritten by each later
//! update (the blog text already tells the whole story so far).
//!
//! Every request carries a fresh JWT made from the Admin API key (`{id}:{secret}`, the
//! secret hex-decoded as the HMAC-SHA256 key, at most five minutes old). The post's slug
//! is `incident-{id}`: before creating, the post is looked up by slug, so a retry after a
//! lost answer rewrites the post rather than making a second one. A rewrite reads the post
//! first and sends back its `updated_at`, which Ghost requires to detect a collision.
//!
//! Its delivery rule is *findable*: a create that may have arrived (a timeout, a reset, an
//! answer that cannot be read) is not repeated blindly; the post is looked for by slug
//! again, rewritten if it is there and created only if it is not. Every JWT is registered
//! for scrubbing as it is made.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;

use super::shared::{Tally, incident_remote};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    Config, DeliveryRule, Kind, KindSettings, KindTable, Secret, Target, TargetProblem, fields_of,
};
use crate::publish::Secrets;
use crate::publish::http::encode_segment;
use crate::publish::{
    Context, Delivery, Outgoing, Policy, Post, PublishError, Publisher, Reach, Remote, Reply, Url,
};
use crate::record::PublishAction;
use crate::vocab::Channel;

pub static KIND: Kind = Kind {
    name: "ghost",
    channel: Channel::Blog,
    delivery: DeliveryRule::Findable,
    keys: fields_of::<Keys>,
    required: &[&["url"], &["key_env"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    url: Option<Spanned<String>>,
    key_env: Option<Spanned<String>>,
}

/// A Ghost target's settings: the Admin API with an Admin API key.
#[derive(Debug, Clone)]
pub struct GhostSettings {
    pub url: String,
    pub key_env: String,
}

impl KindSettings for GhostSettings {}

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    Ok(Arc::new(GhostSettings {
        url: table.required(&keys.url, "url")?,
        key_env: table.required(&keys.key_env, "key_env")?,
    }))
}

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    Ok(Box::new(Ghost::new(target, target.settings(), secrets)?))
}

/// How long a token lives; Ghost refuses any older than five minutes.
const TOKEN_SECONDS: i64 = 300;
/// The Admin API version asked for.
const ACCEPT_VERSION: &str = "v5.0";

#[derive(Debug)]
pub struct Ghost {
    target: String,
    /// `{url}/ghost/api/admin`
    admin: Url,
    /// `None` in a dry run without the key: nothing is signed or sent.
    key: Option<AdminKey>,
    /// Where each token is registered as it is made.
    secrets: Secrets,
}

struct AdminKey {
    id: String,
    secret: Vec<u8>,
    /// The key as the environment gave it, which tokens are derived from.
    source: Secret,
}

impl std::fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AdminKey({}, {:?})", self.id, self.source)
    }
}

impl Ghost {
    fn new(
        target: &Target,
        settings: &GhostSettings,
        secrets: &Secrets,
    ) -> Result<Ghost, PublishError> {
        let url = &settings.url;
        let variable = &settings.key_env;
        let key = secrets
            .lookup(target, "key_env", variable)?
            .map(|key| parse_key(&key, variable))
            .transpose()?;
        if let Some(key) = &key {
            // A server may echo the secret half alone.
            secrets.derive(&key.source, |value| {
                value.split_once(':').map_or("", |(_, hex)| hex).to_string()
            });
        }
        Ok(Ghost {
            target: target.name.clone(),
            admin: Url::plain(url).join("ghost/api/admin"),
            key,
            secrets: secrets.clone(),
        })
    }

    fn posts(&self) -> Url {
        self.admin.join("posts/")
    }

    fn post_url(&self, id: &str) -> Url {
        self.admin.join(&format!("posts/{}/", encode_segment(id)))
    }

    fn slug_url(&self, slug: &str) -> Url {
        self.admin
            .join(&format!("posts/slug/{}/", encode_segment(slug)))
    }

    /// A request with the headers every Admin API call carries, signed at `now`.
    fn outgoing(&self, method: reqwest::Method, url: &Url, now: DateTime<Utc>) -> Outgoing {
        let authorization = match &self.key {
            Some(key) => self.secrets.derive(&key.source, |_| {
                format!("Ghost {}", token(&key.id, &key.secret, now.timestamp()))
            }),
            None => Secret::placeholder("no key"),
        };
        Outgoing::new(method, url)
            .header("Accept-Version", ACCEPT_VERSION)
            .secret_header("Authorization", &authorization)
    }

    /// The post the update goes to, if one is known: the one an edit changes, or the one an
    /// earlier update of the incident made.
    fn known_post(&self, post: &Post) -> Option<String> {
        match (post.action, post.remote_id) {
            (PublishAction::Edit, Some(id)) => Some(id.to_string()),
            _ => incident_remote(post, &self.target),
        }
    }

    /// Sends one request (a fresh token each try), adding its tries and errors to the tally.
    async fn send(
        &self,
        context: &Context,
        policy: Policy,
        tally: &mut Tally,
        build: impl Fn(DateTime<Utc>) -> Outgoing,
    ) -> Result<Reply, PublishError> {
        tally.send(context, policy, build).await.result
    }

    /// Finds the post the update goes to: the one the record knows (read for its
    /// `updated_at`), else the one with the incident's slug, else none.
    async fn find(
        &self,
        context: &Context,
        post: &Post<'_>,
        policy: Policy,
        tally: &mut Tally,
    ) -> Result<Option<(String, String)>, PublishError> {
        // Reads are harmless to repeat whatever the kind.
        let policy = policy.repeatable();
        if let Some(id) = self.known_post(post) {
            let url = self.post_url(&id);
            let reply = self
                .send(context, policy, tally, |now| {
                    self.outgoing(reqwest::Method::GET, &url, now)
                })
                .await
                .map_err(|error| error.during(format!("reading Ghost post {id}")))?;
            return current(&reply).map(Some);
        }
        let url = self.slug_url(&slug(post));
        let read = self
            .send(context, policy, tally, |now| {
                self.outgoing(reqwest::Method::GET, &url, now)
            })
            .await;
        match read {
            Ok(reply) => current(&reply).map(Some),
            // The usual case: no post has this slug yet.
            Err(error) if error.reply().is_some_and(|reply| reply.status == 404) => {
                tally.errors.pop();
                Ok(None)
            }
            Err(error) => Err(error.during("looking up the post by slug")),
        }
    }

    async fn publish(
        &self,
        context: &Context,
        post: &Post<'_>,
        policy: Policy,
        tally: &mut Tally,
    ) -> Result<Remote, PublishError> {
        if self.key.is_none() {
            return Err(PublishError::bad_setting(
                "the Ghost Admin API key is not set",
            ));
        }
        let mut creates = 0;
        let reply = loop {
            let found = self.find(context, post, policy, tally).await?;
            let creating = found.is_none();
            let reply = match found {
                Some((id, updated_at)) => {
                    let url = self.post_url(&id).query("source", "html");
                    let body = json!({"posts": [{
                        "title": post.incident.title,
                        "html": super::shared::blog_html(post),
                        "status": "published",
                        "updated_at": updated_at,
                    }]});
                    // Setting a known post to one text is harmless to repeat.
                    self.send(context, policy.repeatable(), tally, |now| {
                        self.outgoing(reqwest::Method::PUT, &url, now).json(&body)
                    })
                    .await
                }
                None => {
                    creates += 1;
                    let url = self.posts().query("source", "html");
                    let body = create_body(post);
                    self.send(context, policy.findable(), tally, |now| {
                        self.outgoing(reqwest::Method::POST, &url, now).json(&body)
                    })
                    .await
                }
            };
            let reply = reply.and_then(|reply| current(&reply).map(|_| reply));
            match reply {
                // The create may have made the post: look for it before another.
                Err(error)
                    if creating
                        && error.reach() == Reach::MayHaveArrived
                        && creates < policy.attempts =>
                {
                    continue;
                }
                reply => break reply?,
            }
        };
        let (id, _) = current(&reply)?;
        let url = serde_json::from_str::<serde_json::Value>(&reply.body)
            .ok()
            .and_then(|value| value["posts"][0]["url"].as_str().map(str::to_string));
        Ok(Remote { id: Some(id), url })
    }
}

impl Publisher for Ghost {
    fn can_edit(&self) -> bool {
        true
    }

    fn preview(&self, post: &Post, now: DateTime<Utc>) -> Result<String, PublishError> {
        let shown = match self.known_post(post) {
            Some(id) => {
                let body = json!({"posts": [{
                    "title": post.incident.title,
                    "html": super::shared::blog_html(post),
                    "status": "published",
                    "updated_at": "(as the GET above answers)",
                }]});
                [
                    self.outgoing(reqwest::Method::GET, &self.post_url(&id), now),
                    self.outgoing(
                        reqwest::Method::PUT,
                        &self.post_url(&id).query("source", "html"),
                        now,
                    )
                    .json(&body),
                ]
            }
            None => [
                self.outgoing(reqwest::Method::GET, &self.slug_url(&slug(post)), now),
                self.outgoing(
                    reqwest::Method::POST,
                    &self.posts().query("source", "html"),
                    now,
                )
                .json(&create_body(post)),
            ],
        };
        let [read, write] = shown;
        let between = match self.known_post(post) {
            Some(_) => "then, with its `updated_at`:",
            None => "then, if no post has that slug (else a PUT of the one found):",
        };
        Ok(format!("{}\n{between}\n\n{}", read.shown(), write.shown()))
    }

    fn deliver<'a>(&'a self, context: &'a Context, post: Post<'a>, policy: Policy) -> Delivery<'a> {
        Box::pin(async move {
            let mut tally = Tally::default();
            let result = self.publish(context, &post, policy, &mut tally).await;
            tally.delivered(result)
        })
    }
}

/// `incident-{id}`: stable, so the post can be found again.
fn slug(post: &Post) -> String {
    format!("incident-{}", post.incident.id)
}

fn create_body(post: &Post) -> serde_json::Value {
    json!({"posts": [{
        "title": post.incident.title,
        "html": super::shared::blog_html(post),
        "status": "published",
        "slug": slug(post),
    }]})
}

/// Reads a post's `id` and `updated_at` from an answer.
fn current(reply: &Reply) -> Result<(String, String), PublishError> {
    let value: serde_json::Value = serde_json::from_str(&reply.body)
        .map_err(|_| PublishError::unreadable("Ghost did not answer with a post"))?;
    let post = &value["posts"][0];
    match (post["id"].as_str(), post["updated_at"].as_str()) {
        (Some(id), Some(updated_at)) => Ok((id.to_string(), updated_at.to_string())),
        _ => Err(PublishError::unreadable(
            "Ghost's answer has no post id and `updated_at`",
        )),
    }
}

/// Splits an Admin API key `{id}:{secret}` (from `variable`) and hex-decodes the secret.
/// Errors never repeat the key.
fn parse_key(source: &Secret, variable: &str) -> Result<AdminKey, PublishError> {
    let key = source.expose();
    let malformed = || {
        PublishError::bad_setting(format!(
            "the Ghost Admin API key is not `{{id}}:{{hex secret}}` (`{variable}`)"
        ))
    };
    let (id, secret) = key.trim().split_once(':').ok_or_else(malformed)?;
    if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
        return Err(malformed());
    }
    Ok(AdminKey {
        id: id.to_string(),
        secret: hex_decode(secret).ok_or_else(malformed)?,
        source: source.clone(),
    })
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

/// Returns the Admin API JWT for key `id` signed with `secret` (the decoded bytes), issued
/// at `iat` (Unix seconds): HS256, `kid` in the header, `aud` `/admin/`, five minutes long.
pub fn token(id: &str, secret: &[u8], iat: i64) -> String {
    let header = format!(
        r#"{{"alg":"HS256","typ":"JWT","kid":{}}}"#,
        serde_json::Value::from(id)
    );
    let payload = format!(
        r#"{{"iat":{iat},"exp":{},"aud":"/admin/"}}"#,
        iat + TOKEN_SECONDS
    );
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6489a3b1c2d4e5f60718293a";
    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn secret(value: &str) -> Secret {
        let value = value.to_string();
        Secret::placeholder("GHOST_KEY").derive(|_| value)
    }

    #[test]
    fn signs_the_token_ghost_expects() {
        let key = parse_key(&secret(&format!("{ID}:{SECRET}")), "GHOST_KEY").unwrap();
        let jwt = token(&key.id, &key.secret, 1_795_507_200);
        // Computed independently (Python's hmac and base64) from the same key and claims.
        assert_eq!(
            jwt,
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjY0ODlhM2IxYzJkNGU1ZjYwNzE4MjkzYSJ9.eyJpYXQiOjE3OTU1MDcyMDAsImV4cCI6MTc5NTUwNzUwMCwiYXVkIjoiL2FkbWluLyJ9.tk0yaC7yvA7rZJFZDhBwlU7LaXb7UeAqQkMoxr1OxiI"
        );

        // And taken apart: the claims Ghost checks, and an HMAC over the first two parts
        // keyed with the secret's bytes, not its hex text.
        let parts: Vec<&str> = jwt.split('.').collect();
        let decode = |part: &str| -> serde_json::Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
        };
        assert_eq!(
            decode(parts[0]),
            json!({"alg": "HS256", "typ": "JWT", "kid": ID})
        );
        assert_eq!(
            decode(parts[1]),
            json!({"iat": 1_795_507_200, "exp": 1_795_507_500, "aud": "/admin/"})
        );
        let bytes: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&SECRET[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        let mut mac = Hmac::<Sha256>::new_from_slice(&bytes).unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .unwrap();
        let mut wrong = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        wrong.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        assert!(
            wrong
                .verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
                .is_err()
        );
    }

    #[test]
    fn a_bad_key_is_refused_without_repeating_it() {
        for key in ["no-colon", "id:not-hex!", "id:abc", ":00", "i d:00"] {
            let error = parse_key(&secret(key), "GHOST_KEY")
                .map(|_| ())
                .unwrap_err();
            assert_eq!(
                error.to_string(),
                "the Ghost Admin API key is not `{id}:{hex secret}` (`GHOST_KEY`)"
            );
        }
        assert_eq!(
            parse_key(&secret("ab:00ff"), "GHOST_KEY").unwrap().secret,
            [0, 255]
        );
    }
}
