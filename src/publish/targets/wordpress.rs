//! `wordpress`: the core REST API (`wp/v2`) with an Application Password.
//!
//! One post per incident tells the whole story so far (the blog channel), its slug made from
//! the incident id, so a responder in another clone who publishes the same incident first
//! is found by slug and the post is edited rather than made twice. With
//! `mode = "post-per-update"` each update gets its own post instead.
//!
//! Its delivery rule is *findable*: a create that may have arrived (a timeout, a reset, an
//! answer that cannot be read) is not repeated blindly; the post is looked for by slug
//! again and written to if it is there. The `Basic` header is a [`Secret`] registered for
//! scrubbing when it is made.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::shared::Tally;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    Choice, Config, DeliveryRule, Kind, KindSettings, KindTable, Secret, Target, TargetProblem,
    fields_of,
};
use crate::publish::Secrets;
use crate::publish::http::{Outgoing, Reply, Url};
use crate::publish::{Context, Delivery, Policy, Post, PublishError, Publisher, Reach, Remote};
use crate::record::PublishAction;
use crate::vocab::Channel;

pub static KIND: Kind = Kind {
    name: "wordpress",
    channel: Channel::Blog,
    delivery: DeliveryRule::Findable,
    keys: fields_of::<Keys>,
    required: &[&["url"], &["username"], &["password_env"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    url: Option<Spanned<String>>,
    username: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    mode: Option<Spanned<String>>,
}

/// A WordPress target's settings: the core REST API with an application password.
#[derive(Debug, Clone)]
pub struct WordpressSettings {
    pub url: String,
    pub username: String,
    pub password_env: String,
    pub mode: WordpressMode,
}

impl KindSettings for WordpressSettings {}

/// One WordPress post per incident, rewritten as it goes, or one per update (`mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordpressMode {
    PostPerIncident,
    PostPerUpdate,
}

impl Choice for WordpressMode {
    const KEY: &'static str = "mode";
    const CHOICES: &'static [(&'static str, WordpressMode)] = &[
        ("post-per-incident", WordpressMode::PostPerIncident),
        ("post-per-update", WordpressMode::PostPerUpdate),
    ];
}

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    Ok(Arc::new(WordpressSettings {
        url: table.required(&keys.url, "url")?,
        username: table.required(&keys.username, "username")?,
        password_env: table.required(&keys.password_env, "password_env")?,
        mode: table.choice(&keys.mode, Some(WordpressMode::PostPerIncident))?,
    }))
}

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    Ok(Box::new(Wordpress::new(
        target,
        target.settings(),
        secrets,
    )?))
}

#[derive(Debug)]
pub struct Wordpress {
    target: String,
    site: Url,
    username: String,
    /// `Basic base64(username:password)`, registered for scrubbing when made.
    authorization: Secret,
    per_update: bool,
}

/// Where the REST API lives: `/wp-json/` with pretty permalinks, `?rest_route=` without.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RestRoot {
    Path(String),
    Query(String),
}

impl RestRoot {
    /// Returns the URL of `route` (like `/wp/v2/posts`) with `query` pairs.
    fn url(&self, route: &str, query: &[(&str, &str)]) -> String {
        let query: String = query
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join("&");
        match self {
            RestRoot::Path(root) => {
                let mut url = format!("{}{route}", root.trim_end_matches('/'));
                if !query.is_empty() {
                    url.push('?');
                    url.push_str(&query);
                }
                url
            }
            RestRoot::Query(base) => {
                let mut url = format!("{base}?rest_route={route}");
                if !query.is_empty() {
                    url.push('&');
                    url.push_str(&query);
                }
                url
            }
        }
    }

    /// Reads the root from a `Link: <ROOT>; rel="https://api.w.org/"` header.
    fn from_link(link: &str) -> Option<RestRoot> {
        link.split(',').find_map(|part| {
            let (target, params) = part.split_once(';')?;
            params.contains("rel=\"https://api.w.org/\"").then(|| {
                let root = target.trim().trim_start_matches('<').trim_end_matches('>');
                match root.split_once("?rest_route=") {
                    Some((base, _)) => RestRoot::Query(base.to_string()),
                    None => RestRoot::Path(root.to_string()),
                }
            })
        })
    }
}

impl Wordpress {
    fn new(
        target: &Target,
        settings: &WordpressSettings,
        secrets: &Secrets,
    ) -> Result<Wordpress, PublishError> {
        let site = &settings.url;
        let username = &settings.username;
        let password = secrets.get(target, "password_env", &settings.password_env)?;
        Ok(Wordpress {
            target: target.name.clone(),
            site: Url::plain(site.trim_end_matches('/')),
            authorization: secrets.derive(&password, |password| {
                format!(
                    "Basic {}",
                    STANDARD.encode(format!("{username}:{password}"))
                )
            }),
            username: username.clone(),
            per_update: settings.mode == WordpressMode::PostPerUpdate,
        })
    }

    fn slug(&self, post: &Post) -> String {
        if self.per_update {
            format!("incident-{}-{}", post.incident.id, post.update.seq)
        } else {
            format!("incident-{}", post.incident.id)
        }
    }

    /// The post this publication changes, if the record knows it: the one being edited,
    /// or (one post per incident) the one an earlier update went to.
    fn known_post(&self, post: &Post) -> Option<String> {
        if post.action == PublishAction::Edit {
            return post.remote_id.map(str::to_string);
        }
        if self.per_update {
            return None;
        }
        super::shared::incident_remote(post, &self.target)
    }

    fn body(&self, post: &Post) -> serde_json::Value {
        json!({
            "title": post.incident.title,
            "content": super::shared::blog_html(post),
            "status": "publish",
            "slug": self.slug(post),
        })
    }

    fn request(&self, method: reqwest::Method, url: &str) -> Outgoing {
        Outgoing::new(method, &Url::plain(url))
            .secret_header("authorization", &self.authorization)
            .header("accept", "application/json")
    }

    /// Explains a refusal in WordPress's words; any 401 is the password, whatever code
    /// WordPress gives (Debian's 6.1 says `rest_not_logged_in` or `rest_cannot_create`).
    fn explain(&self, error: PublishError) -> PublishError {
        let Some(reply) = error.reply() else {
            return error;
        };
        let said: Option<serde_json::Value> = serde_json::from_str(&reply.body).ok();
        let code = said.as_ref().and_then(|said| field(said, "code"));
        let message = said.as_ref().and_then(|said| field(said, "message"));
        let message = match (reply.status, code, message) {
            (401, code, _) => format!(
                "WordPress rejected the application password for user {} ({})",
                self.username,
                code.unwrap_or("HTTP 401")
            ),
            (status, Some(code), Some(message)) => {
                format!("WordPress refused (HTTP {status}, {code}): {message}")
            }
            _ => return error,
        };
        PublishError::Refused {
            code: Some(reply.status),
            message,
        }
    }
}

fn field<'a>(value: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    value.get(key)?.as_str()
}

impl Wordpress {
    async fn send(
        &self,
        context: &Context,
        policy: Policy,
        tally: &mut Tally,
        outgoing: Outgoing,
    ) -> Result<Reply, PublishError> {
        let sent = tally.send(context, policy, |_| outgoing.clone()).await;
        sent.result
            .map_err(|error| tally.explain(self.explain(error)))
    }

    /// Finds the REST root: the `Link` header of the site, then `/wp-json/`, then
    /// `?rest_route=`. A site that cannot be reached, or fails, says so rather than
    /// "no REST API".
    async fn discover(
        &self,
        context: &Context,
        policy: Policy,
        tally: &mut Tally,
    ) -> Result<RestRoot, PublishError> {
        let site = &self.site.real;
        let home = Outgoing::new(reqwest::Method::HEAD, &Url::plain(&format!("{site}/")));
        let answer = tally.send(context, policy, |_| home.clone()).await;
        let reply = match (&answer.result, answer.refusal()) {
            (Ok(reply), _) => reply,
            // A 4xx (a login page, a 404 at the root) can still carry the header.
            (Err(_), Some(reply)) if reply.status < 500 => reply,
            (Err(error), _) => {
                let error = error
                    .clone()
                    .during(format!("cannot reach the WordPress site {site}"));
                return Err(tally.explain(error));
            }
        };
        if let Some(root) = reply.link.as_deref().and_then(RestRoot::from_link) {
            return Ok(root);
        }
        let once = Policy {
            attempts: 1,
            ..policy
        };
        for candidate in [
            RestRoot::Path(format!("{site}/wp-json/")),
            RestRoot::Query(format!("{site}/index.php")),
        ] {
            let probe = Outgoing::new(reqwest::Method::GET, &Url::plain(&candidate.url("/", &[])));
            let answer = tally.send(context, once, |_| probe.clone()).await;
            if answer
                .result
                .as_ref()
                .is_ok_and(|reply| reply.body.trim_start().starts_with('{'))
            {
                return Ok(candidate);
            }
        }
        Err(tally.explain(PublishError::unreadable(format!(
            "{site} answers, but no WordPress REST API was found there (tried its `Link` header, /wp-json/ and ?rest_route=); is `url` the blog's address?"
        ))))
    }

    /// Finds a post by slug, so a post made from another clone is edited, not repeated.
    async fn lookup(
        &self,
        context: &Context,
        policy: Policy,
        tally: &mut Tally,
        root: &RestRoot,
        slug: &str,
    ) -> Result<Option<String>, PublishError> {
        let url = root.url(
            "/wp/v2/posts",
            &[("slug", slug), ("status", "any"), ("context", "edit")],
        );
        let reply = self
            .send(
                context,
                policy,
                tally,
                self.request(reqwest::Method::GET, &url),
            )
            .await?;
        let found: serde_json::Value = serde_json::from_str(&reply.body).map_err(|_| {
            PublishError::unreadable(
                "WordPress answered the post lookup with something other than JSON",
            )
        })?;
        Ok(found
            .as_array()
            .and_then(|posts| posts.first())
            .and_then(|post| post.get("id"))
            .map(|id| id.to_string()))
    }

    async fn publish(
        &self,
        context: &Context,
        post: &Post<'_>,
        policy: Policy,
        tally: &mut Tally,
    ) -> Result<Remote, PublishError> {
        // Reads, and writes to a known post, are harmless to repeat whatever the kind.
        let repeatable = policy.repeatable();
        let root = self.discover(context, repeatable, tally).await?;
        let mut existing = match self.known_post(post) {
            // Writing to a known post answers a wrong password with a 401 by itself.
            Some(id) => Some(id),
            None => {
                // Without valid credentials WordPress answers the slug lookup with a
                // confusing 400; asking who we are first turns a wrong password into a 401.
                let me = self.request(reqwest::Method::GET, &root.url("/wp/v2/users/me", &[]));
                self.send(context, repeatable, tally, me).await?;
                self.lookup(context, repeatable, tally, &root, &self.slug(post))
                    .await?
            }
        };
        let mut creates = 0;
        let saved = loop {
            let (url, policy) = match &existing {
                Some(id) => (root.url(&format!("/wp/v2/posts/{id}"), &[]), repeatable),
                None => {
                    creates += 1;
                    (root.url("/wp/v2/posts", &[]), policy.findable())
                }
            };
            let outgoing = self
                .request(reqwest::Method::POST, &url)
                .json(&self.body(post));
            let saved = self
                .send(context, policy, tally, outgoing)
                .await
                .and_then(|reply| saved_post(&reply));
            match saved {
                // The create may have made the post: look for it by slug before another.
                Err(error)
                    if existing.is_none()
                        && error.reach() == Reach::MayHaveArrived
                        && creates < policy.attempts =>
                {
                    existing = self
                        .lookup(context, repeatable, tally, &root, &self.slug(post))
                        .await?;
                }
                saved => break saved?,
            }
        };
        let id = saved
            .get("id")
            .map(ToString::to_string)
            .ok_or_else(|| PublishError::unreadable("WordPress's answer has no post id"))?;
        Ok(Remote {
            id: Some(id),
            url: field(&saved, "link").map(str::to_string),
        })
    }
}

/// Reads the post WordPress answers a write with.
fn saved_post(reply: &Reply) -> Result<serde_json::Value, PublishError> {
    serde_json::from_str(&reply.body).map_err(|_| {
        PublishError::unreadable("WordPress answered with something other than the post")
    })
}

impl Publisher for Wordpress {
    fn can_edit(&self) -> bool {
        true
    }

    fn preview(&self, post: &Post, _now: DateTime<Utc>) -> Result<String, PublishError> {
        let root = RestRoot::Path(format!("{}/wp-json/", self.site.shown));
        let target = match self.known_post(post) {
            Some(id) => root.url(&format!("/wp/v2/posts/{id}"), &[]),
            None => root.url("/wp/v2/posts", &[]),
        };
        let lookup = root.url(
            "/wp/v2/posts",
            &[
                ("slug", &self.slug(post)),
                ("status", "any"),
                ("context", "edit"),
            ],
        );
        Ok(format!(
            "HEAD {}/  (finds the REST API; /wp-json/ shown)\nGET {}  (checks the password)\nGET {lookup}  (unless the record knows the post)\n\n{}",
            self.site.shown,
            root.url("/wp/v2/users/me", &[]),
            self.request(reqwest::Method::POST, &target)
                .json(&self.body(post))
                .shown()
        ))
    }

    fn deliver<'a>(&'a self, context: &'a Context, post: Post<'a>, policy: Policy) -> Delivery<'a> {
        Box::pin(async move {
            let mut tally = Tally::default();
            let result = self.publish(context, &post, policy, &mut tally).await;
            tally.delivered(result)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_rest_root_from_the_link_header() {
        assert_eq!(
            RestRoot::from_link(r#"<http://127.0.0.1:8081/wp-json/>; rel="https://api.w.org/""#),
            Some(RestRoot::Path("http://127.0.0.1:8081/wp-json/".to_string()))
        );
        assert_eq!(
            RestRoot::from_link(
                r#"<http://x/?p=1>; rel=shortlink, <http://x/index.php?rest_route=/>; rel="https://api.w.org/""#
            ),
            Some(RestRoot::Query("http://x/index.php".to_string()))
        );
        assert_eq!(RestRoot::from_link("<http://x/>; rel=shortlink"), None);
    }

    #[test]
    fn builds_routes_for_both_kinds_of_root() {
        let pretty = RestRoot::Path("http://x/wp-json/".to_string());
        assert_eq!(
            pretty.url("/wp/v2/posts", &[("slug", "incident-a")]),
            "http://x/wp-json/wp/v2/posts?slug=incident-a"
        );
        let plain = RestRoot::Query("http://x/index.php".to_string());
        assert_eq!(
            plain.url("/wp/v2/posts/7", &[("context", "edit")]),
            "http://x/index.php?rest_route=/wp/v2/posts/7&context=edit"
        );
    }
}
