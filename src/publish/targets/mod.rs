//! The kinds of target that can publish. Each kind is one module: how config reads its
//! table (its `KIND`) and how its publisher is built from the checked settings (`build`).
//! Adding a kind means that module and one line in [`KINDS`].

mod chat;
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
use crate::config::{Config, Kind, Target};

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

/// How a publisher of a kind is made from a target of that kind.
type Build = fn(&Target, &Config, &Secrets) -> Result<Box<dyn Publisher>, PublishError>;

/// A kind of target: what config reads, and how its publisher is built.
struct Publishable(&'static Kind, Build);

/// Every kind there is, in the order `incident` lists them.
const KINDS: &[Publishable] = &[
    Publishable(&webhook::KIND, webhook::build),
    Publishable(&slack::KIND, slack::build),
    Publishable(&discord::KIND, discord::build),
    Publishable(&teams::KIND, teams::build),
    Publishable(&mattermost::KIND, mattermost::build),
    Publishable(&wordpress::KIND, wordpress::build),
    Publishable(&ghost::KIND, ghost::build),
    Publishable(&mastodon::KIND, mastodon::build),
    Publishable(&statuspage::KIND, statuspage::build),
    Publishable(&static_site::KIND, static_site::build),
    Publishable(&file::KIND, file::build),
    Publishable(&email::KIND, email::build),
];

/// Returns every kind, for `Config::load` to read targets with.
pub fn kinds() -> Vec<&'static Kind> {
    KINDS.iter().map(|Publishable(kind, _)| *kind).collect()
}

fn build_kind(
    target: &Target,
    config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let Publishable(_, build) = KINDS
        .iter()
        .find(|Publishable(kind, _)| *kind == target.kind)
        .ok_or_else(|| {
            PublishError::bad_setting(format!(
                "this version cannot publish to a `{}` target",
                target.kind
            ))
        })?;
    build(target, config, secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_requires_only_keys_it_takes() {
        let mut names: Vec<&str> = kinds().iter().map(|kind| kind.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len(), "{names:?}");
        for kind in kinds() {
            let keys = (kind.keys)();
            assert!(!keys.is_empty(), "`{kind}` lists no keys");
            for key in kind.required.iter().copied().flatten() {
                assert!(
                    keys.contains(key),
                    "`{kind}` requires `{key}`, which it does not take"
                );
            }
            assert_eq!(
                kind.url_is_secret,
                !keys.contains(&"url") && keys.contains(&"url_env"),
                "`{kind}`: a kind whose URL is a secret takes it only from the environment"
            );
        }
    }

    #[test]
    fn kinds_are_named_with_the_article_english_wants() {
        let named: Vec<String> = [&email::KIND, &file::KIND]
            .iter()
            .map(|kind| kind.quoted_with_article())
            .collect();
        assert_eq!(named, ["an `email`", "a `file`"]);
    }
}
