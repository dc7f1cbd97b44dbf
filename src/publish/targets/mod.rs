//! The kinds of target that can publish, and how each is built from its checked settings.
//! Adding a kind means one module here and one arm in `build_kind`.

mod discord;
mod email;
mod file;
mod ghost;
mod mastodon;
mod mattermost;
mod slack;
mod static_site;
mod statuspage;
mod teams;
mod webhook;
mod wordpress;

use std::cell::RefCell;

use super::{PublishError, Publisher};
use crate::config::{Config, Settings, Target, UrlSetting};

/// Reads the secrets targets name, and remembers them so no output ever shows them.
#[derive(Debug, Default)]
pub struct Secrets {
    dry_run: bool,
    seen: RefCell<Vec<String>>,
}

impl Secrets {
    /// In a dry run a missing secret is not an error: nothing is sent.
    pub fn new(dry_run: bool) -> Secrets {
        Secrets {
            dry_run,
            seen: RefCell::default(),
        }
    }

    /// Returns the value of environment variable `variable`, which target `target` names
    /// in its `key`; in a dry run, `None` when it is not set.
    pub fn lookup(
        &self,
        target: &Target,
        key: &'static str,
        variable: &str,
    ) -> Result<Option<String>, PublishError> {
        match crate::env::Env::secret(variable) {
            Some(value) => {
                self.remember(&value);
                Ok(Some(value))
            }
            None if self.dry_run => Ok(None),
            None => Err(PublishError::MissingSecret {
                variable: variable.to_string(),
                key,
                target: target.name.clone(),
            }),
        }
    }

    /// Returns the secret as [`Secrets::lookup`] does, with `$VARIABLE` standing in for one
    /// a dry run lacks: for targets that only put it in a header a dry run redacts anyway.
    pub fn get(
        &self,
        target: &Target,
        key: &'static str,
        variable: &str,
    ) -> Result<String, PublishError> {
        Ok(self
            .lookup(target, key, variable)?
            .unwrap_or_else(|| format!("${variable}")))
    }

    /// Remembers a secret, and for a URL also its path and its long path segments and
    /// query values: a server may echo just the token part of a webhook URL.
    fn remember(&self, value: &str) {
        let mut seen = self.seen.borrow_mut();
        seen.push(value.to_string());
        if let Some((_, rest)) = value.split_once("://")
            && let Some((_, path)) = rest.split_once('/')
        {
            seen.push(path.to_string());
            seen.extend(
                path.split(['/', '?', '&', '='])
                    .filter(|part| part.len() >= 12)
                    .map(str::to_string),
            );
        }
        // Longest first, so a whole secret is replaced before a part of it.
        seen.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    }

    /// Returns `text` with every secret read so far replaced by `****`: errors from servers
    /// and libraries must never carry one into output or the record.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in self.seen.borrow().iter().filter(|secret| secret.len() >= 4) {
            text = text.replace(secret.as_str(), "****");
        }
        text
    }

    /// Returns `error` with every secret read so far replaced by `****`.
    pub fn scrub_error(&self, error: PublishError) -> PublishError {
        error.scrubbed(&|text: &str| self.scrub(text))
    }
}

/// Builds the publisher of `target`. One that cannot be built (a secret missing from the
/// environment, a kind this version cannot publish to) fails every delivery with the
/// reason, so the failure is recorded and retried like any other.
pub fn build(target: &Target, config: &Config, secrets: &Secrets) -> Box<dyn Publisher> {
    build_kind(target, config, secrets).unwrap_or_else(|reason| Box::new(Unavailable(reason)))
}

/// A target that cannot publish, and why.
struct Unavailable(PublishError);

impl Publisher for Unavailable {
    fn preview(
        &self,
        _post: &super::Post,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, PublishError> {
        Err(self.0.clone())
    }

    fn deliver<'a>(
        &'a self,
        _context: &'a super::Context,
        _post: super::Post<'a>,
        _policy: super::Policy,
    ) -> super::Delivery<'a> {
        Box::pin(async move { super::Delivered::refused(self.0.clone()) })
    }
}

fn build_kind(
    target: &Target,
    config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    // A chat webhook's URL, or a webhook's `url_env`, from the environment.
    let url_from_env = |variable: &str| -> Result<super::Url, PublishError> {
        match secrets.lookup(target, "url_env", variable)? {
            Some(value) => {
                // A URL from the environment gets the same check as one in the file,
                // without repeating it: it holds a credential.
                crate::config::check_url(&value, target.allow_insecure).map_err(|_| {
                    PublishError::bad_setting(format!(
                        "`{variable}` (`url_env` of target `{}`) must be an `https://` URL (plain `http://` only to loopback, or with `allow_insecure = true`)",
                        target.name
                    ))
                })?;
                Ok(super::Url::secret(&value, variable))
            }
            None => Ok(super::Url::secret(&format!("${variable}"), variable)),
        }
    };
    Ok(match &target.settings {
        Settings::File(settings) => Box::new(file::File::new(settings, config)),
        Settings::Webhook(settings) => {
            let url = match &settings.url {
                UrlSetting::Plain(url) => super::Url::plain(url),
                UrlSetting::Env(variable) => url_from_env(variable)?,
            };
            let secret = match &settings.secret_env {
                Some(variable) => secrets.lookup(target, "secret_env", variable)?,
                None => None,
            };
            Box::new(webhook::Webhook::new(url, secret.as_deref())?)
        }
        Settings::Slack(chat) => Box::new(slack::Slack::new(url_from_env(&chat.url_env)?)),
        Settings::Discord(chat) => Box::new(discord::Discord::new(url_from_env(&chat.url_env)?)),
        Settings::Teams(chat) => Box::new(teams::Teams::new(url_from_env(&chat.url_env)?)),
        Settings::Mattermost(chat) => {
            Box::new(mattermost::Mattermost::new(url_from_env(&chat.url_env)?))
        }
        Settings::Wordpress(settings) => {
            Box::new(wordpress::Wordpress::new(target, settings, secrets)?)
        }
        Settings::Mastodon(settings) => {
            Box::new(mastodon::Mastodon::new(target, settings, secrets)?)
        }
        Settings::Statuspage(settings) => {
            Box::new(statuspage::Statuspage::new(target, settings, secrets)?)
        }
        Settings::Ghost(settings) => Box::new(ghost::Ghost::new(target, settings, secrets)?),
        Settings::Static(settings) => {
            Box::new(static_site::StaticSite::new(target, settings, config))
        }
        Settings::Email(settings) => Box::new(email::Email::new(target, settings, secrets)?),
    })
}

/// The tries and errors of a publication that takes several requests (a lookup, then a
/// write), so the record counts them all.
#[derive(Debug, Default)]
pub struct Tally {
    tries: u32,
    errors: Vec<PublishError>,
}

impl Tally {
    /// Sends one request through the shared client, with retries, counting its tries and
    /// noting what went wrong.
    pub async fn send(
        &mut self,
        context: &super::Context,
        policy: super::Policy,
        build: impl Fn(chrono::DateTime<chrono::Utc>) -> super::Outgoing,
    ) -> super::http::Sent {
        let sent = context
            .http
            .send(policy, || context.clock.current(), build)
            .await;
        self.tries += sent.tries;
        self.errors.extend(sent.errors.iter().cloned());
        sent
    }

    /// Notes a failure the target explains in its own words, in place of the last error.
    pub fn explain(&mut self, error: PublishError) -> PublishError {
        match self.errors.last_mut() {
            Some(last) => *last = error.clone(),
            None => self.errors.push(error.clone()),
        }
        error
    }

    pub fn delivered(self, result: Result<super::Remote, PublishError>) -> super::Delivered {
        super::Delivered {
            result,
            tries: self.tries,
            errors: self.errors,
        }
    }
}

/// The remote id this target recorded for the incident's first published update other
/// than this one: the status a later update replies to, the Statuspage incident it adds
/// to, the post it rewrites, the email it threads onto.
pub fn incident_remote(post: &super::Post, target: &str) -> Option<String> {
    post.incident
        .updates
        .iter()
        .filter(|update| update.event_id != post.update.event_id)
        .find_map(|update| update.published_on(target)?.remote_id.clone())
}

/// The HTML of a blog post: the draft's (Markdown made HTML for a channel without it),
/// without the heading repeating the title, which the blog shows on its own.
pub fn blog_html(post: &super::Post) -> String {
    let html = post
        .draft
        .html
        .clone()
        .unwrap_or_else(|| crate::render::html::markdown_to_html(&post.draft.text));
    let title = crate::render::html::markdown_to_html(&format!("# {}", post.incident.title));
    match html.strip_prefix(title.trim_end()) {
        Some(rest) => rest.trim_start().to_string(),
        None => html,
    }
}

/// Where a post written to a file is: its path, and a `file://` URL to it.
pub fn file_remote(path: &std::path::Path) -> super::Remote {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    super::Remote {
        id: Some(path.display().to_string()),
        url: Some(format!("file://{}", absolute.display())),
    }
}

/// The headline of a post: "Investigating: Uploads failing".
pub fn headline(post: &super::Post) -> String {
    format!("{}: {}", post.update.status.label(), post.incident.title)
}
