//! `Secrets`: the values of the environment variables targets name, read once, and
//! remembered so that no output and no record ever shows them.

use std::cell::RefCell;

use super::error::PublishError;
use crate::config::Target;

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
