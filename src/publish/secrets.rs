//! `Secrets`: the values of the environment variables targets name, read once as
//! [`Secret`]s, and every credential made from them (a `Basic` header, a JWT, an SMTP
//! `AUTH PLAIN` line, a signature) registered as it is made, so that no output and no
//! record ever shows one. Clones share what they know: each target keeps one to register
//! what it derives, and the engine scrubs with the same.

use std::cell::RefCell;
use std::rc::Rc;

use super::error::PublishError;
use crate::config::{Secret, Target};

/// Reads the secrets targets name, and remembers them so no output ever shows them.
/// `Debug` says how many it knows, never which.
#[derive(Default, Clone)]
pub struct Secrets {
    dry_run: bool,
    seen: Rc<RefCell<Vec<String>>>,
    /// In a dry run, the variables a target names that are not set: (target, variable).
    missing: Rc<RefCell<Vec<(String, String)>>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} known)", self.seen.borrow().len())
    }
}

impl Secrets {
    /// In a dry run a missing secret is not an error: nothing is sent.
    pub fn new(dry_run: bool) -> Secrets {
        Secrets {
            dry_run,
            seen: Rc::default(),
            missing: Rc::default(),
        }
    }

    /// Returns the secret in environment variable `variable`, which target `target` names
    /// in its `key`; in a dry run, `None` when it is not set.
    pub fn lookup(
        &self,
        target: &Target,
        key: &'static str,
        variable: &str,
    ) -> Result<Option<Secret>, PublishError> {
        match Secret::from_env(variable) {
            Some(secret) => {
                self.register(&secret);
                Ok(Some(secret))
            }
            None if self.dry_run => {
                self.missing
                    .borrow_mut()
                    .push((target.name.clone(), variable.to_string()));
                Ok(None)
            }
            None => Err(PublishError::MissingSecret {
                variable: variable.to_string(),
                key,
                target: target.name.clone(),
            }),
        }
    }

    /// Returns the variables `target` names that a dry run found unset: a real publish to
    /// it would fail on each.
    pub fn missing_for(&self, target: &str) -> Vec<String> {
        let mut missing: Vec<String> = self
            .missing
            .borrow()
            .iter()
            .filter(|(name, _)| name == target)
            .map(|(_, variable)| variable.clone())
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// Returns the secret as [`Secrets::lookup`] does, with `$VARIABLE` standing in for one
    /// a dry run lacks: for targets that only put it in a header a dry run redacts anyway.
    pub fn get(
        &self,
        target: &Target,
        key: &'static str,
        variable: &str,
    ) -> Result<Secret, PublishError> {
        Ok(self
            .lookup(target, key, variable)?
            .unwrap_or_else(|| Secret::placeholder(variable)))
    }

    /// Returns a credential made from `secret` by `make`, registered for scrubbing before
    /// it goes anywhere.
    pub fn derive(&self, secret: &Secret, make: impl FnOnce(&str) -> String) -> Secret {
        let derived = secret.derive(make);
        self.register(&derived);
        derived
    }

    /// Remembers a secret, its parts after a scheme word (`Basic …`, `Bearer …`), and for
    /// a URL also its path and its long path segments and query values: a server may echo
    /// just the token part of a webhook URL.
    pub fn register(&self, secret: &Secret) {
        let value = secret.expose();
        if value.is_empty() || *value == *Secret::placeholder(secret.variable()).expose() {
            return;
        }
        let mut seen = self.seen.borrow_mut();
        seen.push(value.to_string());
        if let Some((_, credential)) = value.split_once(' ') {
            seen.push(credential.trim().to_string());
        }
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
        seen.dedup();
    }

    /// Returns `text` with every secret known so far replaced by `****`: errors from
    /// servers and libraries must never carry one into output or the record.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in self.seen.borrow().iter().filter(|secret| secret.len() >= 4) {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "****");
            }
        }
        text
    }

    /// Returns `error` with every secret known so far replaced by `****`.
    pub fn scrub_error(&self, error: PublishError) -> PublishError {
        error.scrubbed(&|text: &str| self.scrub(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_what_they_know_and_derived_credentials_are_scrubbed() {
        let secrets = Secrets::new(false);
        let target_copy = secrets.clone();
        let password = Secret::placeholder("WP").derive(|_| "hunter2-password".to_string());
        let header = target_copy.derive(&password, |value| format!("Basic {value}=="));
        assert_eq!(header.expose(), "Basic hunter2-password==");
        assert_eq!(
            secrets.scrub("echo: authorization: Basic hunter2-password== (hunter2-password==)"),
            "echo: authorization: **** (****)"
        );
        // A placeholder is not secret, and an empty one would match everywhere.
        secrets.register(&Secret::placeholder("WP"));
        assert_eq!(secrets.scrub("$WP"), "$WP");
    }
}
