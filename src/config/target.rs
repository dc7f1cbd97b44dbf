//! Publish targets as configured: the checks every kind shares, made before anything is sent
//! (secrets only through `*_env`, no plain `http://` to a public host, keys the kind takes,
//! required keys present), then the kind's own settings.

use std::any::Any;
use std::ops::Range;
use std::sync::Arc;

use chrono::Duration;
use toml::Spanned;
use toml::de::DeValue;

use super::kind::{Kind, KindSettings, KindTable, fields_of};
use super::raw::RawTarget;
use crate::vocab::{Channel, backticked};

/// A validated target. Secrets are held as the names of environment variables, never values.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub kind: &'static Kind,
    pub channel: Channel,
    /// The stages this target receives; `None` means every stage.
    pub stages: Option<Vec<String>>,
    pub timeout: Duration,
    pub attempts: u32,
    pub require_approval: bool,
    pub allow_insecure: bool,
    /// The kind's own settings, of the kind's own type.
    settings: Arc<dyn KindSettings>,
}

impl Target {
    /// Returns whether this target receives updates of `stage`.
    pub fn receives(&self, stage: &str) -> bool {
        self.stages
            .as_ref()
            .is_none_or(|stages| stages.iter().any(|routed| routed == stage))
    }

    /// Returns how many characters a social post to this target may have, if it counts.
    pub fn social_limit(&self) -> Option<usize> {
        self.settings.social_limit()
    }

    /// Returns the kind's settings, as the kind's module built them.
    ///
    /// # Panics
    ///
    /// When `S` is not the type the target's kind builds: a kind reads only its own targets.
    pub fn settings<S: KindSettings>(&self) -> &S {
        (self.settings.as_ref() as &dyn Any)
            .downcast_ref()
            .unwrap_or_else(|| {
                panic!(
                    "target `{}` holds the settings of a `{}` target",
                    self.name, self.kind
                )
            })
    }
}

/// A target problem located in the file; `config/mod.rs` turns the span into line and column.
#[derive(Debug)]
pub struct TargetProblem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl TargetProblem {
    fn at<T>(spanned: &Spanned<T>, message: String, hint: Option<String>) -> TargetProblem {
        TargetProblem {
            span: spanned.span(),
            message,
            hint,
        }
    }
}

const DEFAULT_TIMEOUT_SECONDS: i64 = 20;
const DEFAULT_ATTEMPTS: u32 = 3;

/// What a target is checked against: the kinds there are, and the names it may refer to.
pub struct Known<'a> {
    pub kinds: &'a [&'static Kind],
    pub stages: &'a [&'a str],
    pub components: &'a [&'a str],
    pub severities: &'a [&'a str],
}

/// Checks one `[targets.NAME]` table against its kind and returns the trusted target.
/// `raw` holds the keys every kind shares, `table` the whole table as written.
pub fn validate(
    name: &str,
    raw: &Spanned<RawTarget>,
    table: &Spanned<DeValue<'_>>,
    known: &Known,
) -> Result<Target, TargetProblem> {
    let shared = raw.get_ref();
    reject_literal_secrets(name, shared)?;
    let kind_name = shared.kind.get_ref().as_str();
    let kind = *known
        .kinds
        .iter()
        .find(|kind| kind.name == kind_name)
        .ok_or_else(|| {
            let names: Vec<&str> = known.kinds.iter().map(|kind| kind.name).collect();
            TargetProblem::at(
                &shared.kind,
                format!("unknown target kind `{kind_name}` in `[targets.{name}]`"),
                Some(crate::vocab::suggestion(kind_name, "kinds", &names)),
            )
        })?;

    let allow_insecure = shared
        .allow_insecure
        .as_ref()
        .is_some_and(|flag| *flag.get_ref());
    let kind_table = KindTable {
        name,
        kind,
        span: raw.span(),
        own: own_keys(table),
        allow_insecure,
        component_ids: known.components,
        severity_names: known.severities,
    };
    let mut present: Vec<(&str, &Spanned<DeValue>)> = match kind_table.own.get_ref() {
        DeValue::Table(keys) => keys
            .iter()
            .map(|(key, value)| (key.get_ref().as_ref(), value))
            .collect(),
        _ => Vec::new(),
    };
    // In the order of the file, so the first mistake is the one reported.
    present.sort_by_key(|(_, value)| value.span().start);
    let keys = (kind.keys)();
    for (key, value) in &present {
        if *key == "url" && kind.url_is_secret {
            return Err(TargetProblem {
                span: value.span(),
                message: format!(
                    "a {} webhook URL is a secret and cannot be written in the file",
                    kind.name
                ),
                hint: Some(format!(
                    "put it in an environment variable and name it: `url_env = \"{}_WEBHOOK_URL\"`",
                    env_stem(name)
                )),
            });
        }
        if !keys.contains(key) {
            return Err(TargetProblem {
                span: value.span(),
                message: format!(
                    "`{key}` is not a setting of {} target (`[targets.{name}]`)",
                    kind.quoted_with_article()
                ),
                hint: Some(format!(
                    "{} target takes {}",
                    kind.quoted_with_article(),
                    backticked(keys)
                )),
            });
        }
    }
    for group in kind.required {
        if !group
            .iter()
            .any(|key| present.iter().any(|(have, _)| have == key))
        {
            return Err(kind_table.missing(group));
        }
    }

    let channel = match &shared.channel {
        None => kind.channel,
        Some(channel) => channel.get_ref().parse().map_err(|()| {
            let names: Vec<&str> = Channel::ALL.iter().map(|channel| channel.name()).collect();
            TargetProblem::at(
                channel,
                format!(
                    "unknown channel `{}` in `[targets.{name}]`",
                    channel.get_ref()
                ),
                Some(format!("channels are {}", backticked(&names))),
            )
        })?,
    };
    let stage_names = known.stages;
    let stages = match &shared.stages {
        None => None,
        Some(stages) => {
            for stage in stages.get_ref() {
                if !stage_names.contains(&stage.get_ref().as_str()) {
                    return Err(TargetProblem::at(
                        stage,
                        format!("unknown stage `{}` in `[targets.{name}]`", stage.get_ref()),
                        Some(format!("stages are {}", backticked(stage_names))),
                    ));
                }
            }
            Some(
                stages
                    .get_ref()
                    .iter()
                    .map(|stage| stage.get_ref().clone())
                    .collect(),
            )
        }
    };
    let timeout = match &shared.timeout {
        None => Duration::seconds(DEFAULT_TIMEOUT_SECONDS),
        Some(text) => crate::time::parse_duration(text.get_ref())
            .ok()
            .filter(|timeout| *timeout > Duration::zero())
            .ok_or_else(|| {
                TargetProblem::at(
                    text,
                    format!("invalid timeout `{}` in `[targets.{name}]`", text.get_ref()),
                    Some("use a duration like `20s` or `1m`".to_string()),
                )
            })?,
    };
    let attempts = match &shared.attempts {
        None => DEFAULT_ATTEMPTS,
        Some(attempts) if (1..=20).contains(attempts.get_ref()) => *attempts.get_ref(),
        Some(attempts) => {
            return Err(TargetProblem::at(
                attempts,
                format!(
                    "`attempts` must be between 1 and 20, not {}",
                    attempts.get_ref()
                ),
                None,
            ));
        }
    };

    for (key, value) in &present {
        let DeValue::String(text) = value.get_ref() else {
            // A value of the wrong type is the kind's keys struct's to report.
            continue;
        };
        if *key == "url" {
            check_url(text, allow_insecure).map_err(|(message, hint)| TargetProblem {
                span: value.span(),
                message: format!("{message} in `[targets.{name}]`"),
                hint,
            })?;
        }
        if key.ends_with("_env") && !is_env_name(text) {
            return Err(TargetProblem {
                span: value.span(),
                message: format!("`{}` is not an environment variable name", mask(text)),
                hint: Some("`*_env` keys name the variable that holds the secret, like `WP_APP_PASSWORD`; the secret itself never goes in the file".to_string()),
            });
        }
    }
    let settings = (kind.settings)(&kind_table)?;

    Ok(Target {
        name: name.to_string(),
        kind,
        channel,
        stages,
        timeout,
        attempts,
        require_approval: shared
            .require_approval
            .as_ref()
            .is_some_and(|flag| *flag.get_ref()),
        allow_insecure,
        settings,
    })
}

/// Returns the table without the keys every kind shares: what the kind's keys struct reads.
fn own_keys<'i>(table: &Spanned<DeValue<'i>>) -> Spanned<DeValue<'i>> {
    let shared = fields_of::<RawTarget>();
    let DeValue::Table(keys) = table.get_ref() else {
        return table.clone();
    };
    let own = keys
        .iter()
        .filter(|(key, _)| !shared.contains(&key.get_ref().as_ref()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    Spanned::new(table.span(), DeValue::Table(own))
}

fn reject_literal_secrets(name: &str, table: &RawTarget) -> Result<(), TargetProblem> {
    let literals = [
        ("password", &table.password),
        ("secret", &table.secret),
        ("token", &table.token),
        ("key", &table.key),
        ("api_key", &table.api_key),
    ];
    for (key, value) in literals {
        if let Some(value) = value {
            return Err(TargetProblem::at(
                value,
                format!(
                    "`{key}` in `[targets.{name}]` would keep a secret in the file; secrets come only from the environment"
                ),
                Some(format!(
                    "remove it and write `{key}_env = \"{}_{}\"`, then export that variable",
                    env_stem(name),
                    key.to_ascii_uppercase()
                )),
            ));
        }
    }
    Ok(())
}

/// Checks that `url` is http(s) and refuses plain `http://` to anything but loopback.
///
/// Returns the message and hint on failure.
pub fn check_url(url: &str, allow_insecure: bool) -> Result<(), (String, Option<String>)> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        (
            format!("`{url}` is not a URL"),
            Some("write it like `https://blog.example.com`".to_string()),
        )
    })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err((format!("`{url}` has no host"), None));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if allow_insecure || is_loopback(host) => Ok(()),
        "http" => Err((
            format!("plain `http://` to `{host}` is refused"),
            Some("use `https://`; if this really must go unencrypted, set `allow_insecure = true` on the target".to_string()),
        )),
        other => Err((
            format!("`{other}://` is not supported"),
            Some("use an `https://` URL".to_string()),
        )),
    }
}

/// Returns whether `host` names this machine: `localhost`, `127.0.0.0/8` or `::1`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Shows a value that might be a secret pasted into the wrong key without revealing it.
fn mask(value: &str) -> String {
    let shown: String = value.chars().take(3).collect();
    if value.chars().count() > 3 {
        format!("{shown}…")
    } else {
        shown
    }
}

fn env_stem(target_name: &str) -> String {
    target_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(check_url("https://blog.example.com/x", false).is_ok());
        assert!(check_url("http://127.0.0.1:8081", false).is_ok());
        assert!(check_url("http://localhost/hook", false).is_ok());
        assert!(check_url("http://[::1]:9000/", false).is_ok());
        assert!(check_url("http://user:pw@127.0.0.1/", false).is_ok());
        assert!(check_url("http://blog.example.com", false).is_err());
        assert!(check_url("http://127.0.0.1.example.com", false).is_err());
        assert!(check_url("http://blog.example.com", true).is_ok());
        assert!(check_url("ftp://example.com", true).is_err());
        assert!(check_url("blog.example.com", false).is_err());
        assert!(check_url("https:///path", false).is_err());
    }

    #[test]
    fn env_names() {
        assert!(is_env_name("WP_APP_PASSWORD"));
        assert!(is_env_name("_x1"));
        assert!(!is_env_name("1X"));
        assert!(!is_env_name("abc def"));
        assert!(!is_env_name(""));
        assert_eq!(mask("xoxb-123456"), "xox…");
    }
}
