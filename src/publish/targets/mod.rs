//! The kinds of target that can publish, and how each is built from its checked settings.
//! Adding a kind means one module here and one arm in `build_kind`.

mod chat_text;
mod discord;
mod email;
mod file;
mod ghost;
mod mastodon;
mod mattermost;
mod shared;
mod slack;
mod static_site;
mod statuspage;
mod teams;
mod webhook;
mod wordpress;

use super::{PublishError, Publisher, Secrets};
use crate::config::{Config, Settings, Target, UrlSetting};

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
        _post: &crate::publish::Post,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, PublishError> {
        Err(self.0.clone())
    }

    fn deliver<'a>(
        &'a self,
        _context: &'a crate::publish::Context,
        _post: crate::publish::Post<'a>,
        _policy: crate::publish::Policy,
    ) -> crate::publish::Delivery<'a> {
        Box::pin(async move { crate::publish::Delivered::refused(self.0.clone()) })
    }
}

fn build_kind(
    target: &Target,
    config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    // A chat webhook's URL, or a webhook's `url_env`, from the environment.
    let url_from_env = |variable: &str| -> Result<crate::publish::Url, PublishError> {
        match secrets.lookup(target, "url_env", variable)? {
            Some(secret) => {
                let value = secret.expose();
                // A URL from the environment gets the same check as one in the file,
                // without repeating it: it holds a credential.
                crate::config::check_url(value, target.allow_insecure).map_err(|_| {
                    PublishError::bad_setting(format!(
                        "`{variable}` (`url_env` of target `{}`) must be an `https://` URL (plain `http://` only to loopback, or with `allow_insecure = true`)",
                        target.name
                    ))
                })?;
                Ok(crate::publish::Url::secret(value, variable))
            }
            None => Ok(crate::publish::Url::secret(
                &format!("${variable}"),
                variable,
            )),
        }
    };
    Ok(match &target.settings {
        Settings::File(settings) => Box::new(file::File::new(settings, config)),
        Settings::Webhook(settings) => {
            let url = match &settings.url {
                UrlSetting::Plain(url) => crate::publish::Url::plain(url),
                UrlSetting::Env(variable) => url_from_env(variable)?,
            };
            let secret = match &settings.secret_env {
                Some(variable) => secrets.lookup(target, "secret_env", variable)?,
                None => None,
            };
            Box::new(webhook::Webhook::new(url, secret, secrets)?)
        }
        Settings::Slack(chat) => Box::new(slack::Slack::new(
            url_from_env(&chat.url_env)?,
            chat.mention.clone(),
        )),
        Settings::Discord(chat) => Box::new(discord::Discord::new(
            url_from_env(&chat.url_env)?,
            chat.mention.clone(),
        )),
        Settings::Teams(chat) => Box::new(teams::Teams::new(url_from_env(&chat.url_env)?)),
        Settings::Mattermost(chat) => Box::new(mattermost::Mattermost::new(
            url_from_env(&chat.url_env)?,
            chat.mention.clone(),
        )),
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
