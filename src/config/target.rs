//! Publish targets as configured: which kinds exist, which keys each accepts, and the checks
//! that can be made before anything is sent (secrets only through `*_env`, no plain `http://`
//! to a public host, required keys present).

use std::fmt;
use std::ops::Range;

use chrono::Duration;
use serde::Serialize;
use toml::Spanned;

use super::raw::RawTarget;
use super::settings::{self, Fields, Settings};
use crate::vocab::{Channel, backticked};

/// Where a target publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Webhook,
    Slack,
    Discord,
    Teams,
    Mattermost,
    Wordpress,
    Ghost,
    Mastodon,
    Statuspage,
    Static,
    File,
    Email,
}

/// How a kind of target can be delivered safely, which decides what happens to a try that
/// may have reached it without our hearing back (a timeout or a reset after the request was
/// written, an answer we cannot read). A try that provably never left is retried for every
/// kind, and so is an explicit 408, 429 or 5xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryRule {
    /// The remote drops duplicates by a key we send (webhook `webhook-id`, Mastodon
    /// `Idempotency-Key`): such a try is simply sent again.
    Keyed,
    /// We can look up what an earlier try made (WordPress and Ghost by slug, file and
    /// static by path): such a try is looked for before it is made again.
    Findable,
    /// Nothing tells us whether it arrived (Slack, Discord, Teams, Mattermost, a
    /// Statuspage create, email): such a try is *uncertain* until a person checks.
    Blind,
}

impl DeliveryRule {
    pub fn name(self) -> &'static str {
        match self {
            DeliveryRule::Keyed => "keyed",
            DeliveryRule::Findable => "findable",
            DeliveryRule::Blind => "blind",
        }
    }

    /// Whether a try that may have arrived can be made again without posting twice.
    pub fn resend_is_safe(self) -> bool {
        !matches!(self, DeliveryRule::Blind)
    }
}

impl fmt::Display for DeliveryRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a kind accepts: its default channel, its own keys, and the keys it cannot do without.
struct KindSpec {
    kind: TargetKind,
    name: &'static str,
    channel: Channel,
    /// How a post can be delivered without making it twice.
    delivery: DeliveryRule,
    keys: &'static [&'static str],
    /// Each inner list is satisfied by any one of its keys.
    required: &'static [&'static [&'static str]],
    /// Chat webhook URLs carry their credential in the path, so they belong in the environment.
    url_is_secret: bool,
    /// Reads the kind's own settings once the shared checks passed.
    settings: fn(&Fields) -> Result<Settings, TargetProblem>,
}

const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: TargetKind::Webhook,
        delivery: DeliveryRule::Keyed,
        name: "webhook",
        channel: Channel::Status,
        keys: &["url", "url_env", "secret_env"],
        required: &[&["url", "url_env"]],
        url_is_secret: false,
        settings: settings::webhook,
    },
    KindSpec {
        kind: TargetKind::Slack,
        delivery: DeliveryRule::Blind,
        name: "slack",
        channel: Channel::Chat,
        keys: &["url_env", "mention", "mention_severities"],
        required: &[&["url_env"]],
        url_is_secret: true,
        settings: settings::slack,
    },
    KindSpec {
        kind: TargetKind::Discord,
        delivery: DeliveryRule::Blind,
        name: "discord",
        channel: Channel::Chat,
        keys: &["url_env", "mention", "mention_severities"],
        required: &[&["url_env"]],
        url_is_secret: true,
        settings: settings::discord,
    },
    KindSpec {
        kind: TargetKind::Teams,
        delivery: DeliveryRule::Blind,
        name: "teams",
        channel: Channel::Chat,
        keys: &["url_env"],
        required: &[&["url_env"]],
        url_is_secret: true,
        settings: settings::teams,
    },
    KindSpec {
        kind: TargetKind::Mattermost,
        delivery: DeliveryRule::Blind,
        name: "mattermost",
        channel: Channel::Chat,
        keys: &["url_env", "mention", "mention_severities"],
        required: &[&["url_env"]],
        url_is_secret: true,
        settings: settings::mattermost,
    },
    KindSpec {
        kind: TargetKind::Wordpress,
        delivery: DeliveryRule::Findable,
        name: "wordpress",
        channel: Channel::Blog,
        keys: &["url", "username", "password_env", "mode"],
        required: &[&["url"], &["username"], &["password_env"]],
        url_is_secret: false,
        settings: settings::wordpress,
    },
    KindSpec {
        kind: TargetKind::Ghost,
        delivery: DeliveryRule::Findable,
        name: "ghost",
        channel: Channel::Blog,
        keys: &["url", "key_env"],
        required: &[&["url"], &["key_env"]],
        url_is_secret: false,
        settings: settings::ghost,
    },
    KindSpec {
        kind: TargetKind::Mastodon,
        delivery: DeliveryRule::Keyed,
        name: "mastodon",
        channel: Channel::Social,
        keys: &["url", "token_env", "limit", "visibility"],
        required: &[&["url"], &["token_env"]],
        url_is_secret: false,
        settings: settings::mastodon,
    },
    KindSpec {
        kind: TargetKind::Statuspage,
        delivery: DeliveryRule::Blind,
        name: "statuspage",
        channel: Channel::Status,
        keys: &["url", "page_id", "api_key_env", "components"],
        required: &[&["page_id"], &["api_key_env"]],
        url_is_secret: false,
        settings: settings::statuspage,
    },
    KindSpec {
        kind: TargetKind::Static,
        delivery: DeliveryRule::Findable,
        name: "static",
        channel: Channel::Status,
        keys: &["path", "flavor"],
        required: &[&["path"], &["flavor"]],
        url_is_secret: false,
        settings: settings::static_site,
    },
    KindSpec {
        kind: TargetKind::File,
        delivery: DeliveryRule::Findable,
        name: "file",
        channel: Channel::Status,
        keys: &["path"],
        required: &[&["path"]],
        url_is_secret: false,
        settings: settings::file,
    },
    KindSpec {
        kind: TargetKind::Email,
        delivery: DeliveryRule::Blind,
        name: "email",
        channel: Channel::Email,
        keys: &[
            "host",
            "port",
            "tls",
            "username",
            "password_env",
            "from",
            "to",
        ],
        required: &[&["host"], &["from"], &["to"]],
        url_is_secret: false,
        settings: settings::email,
    },
];

impl TargetKind {
    fn spec(self) -> &'static KindSpec {
        KINDS
            .iter()
            .find(|spec| spec.kind == self)
            .expect("every kind has a spec")
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Returns how a post of this kind can be delivered safely.
    pub fn delivery(self) -> DeliveryRule {
        self.spec().delivery
    }

    /// Every kind, in the order of the table that declares them.
    pub fn all() -> impl Iterator<Item = TargetKind> {
        KINDS.iter().map(|spec| spec.kind)
    }

    /// Returns how many characters a social post may have when the target sets no `limit`.
    pub fn social_limit(self) -> Option<usize> {
        match self {
            TargetKind::Mastodon => Some(crate::playbook::DEFAULT_SOCIAL_LIMIT),
            _ => None,
        }
    }

    /// Returns the channel a target of this kind takes when the config does not say.
    pub fn default_channel(self) -> Channel {
        self.spec().channel
    }
}

impl fmt::Display for TargetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A validated target. Secrets are held as the names of environment variables, never values.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub name: String,
    pub kind: TargetKind,
    pub channel: Channel,
    /// The stages this target receives; `None` means every stage.
    pub stages: Option<Vec<String>>,
    #[serde(skip)]
    pub timeout: Duration,
    pub attempts: u32,
    pub require_approval: bool,
    pub allow_insecure: bool,
    pub settings: Settings,
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
        match &self.settings {
            Settings::Mastodon(mastodon) => Some(mastodon.limit),
            _ => None,
        }
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

/// Checks one `[targets.NAME]` table against its kind and returns the trusted target.
pub fn validate(
    name: &str,
    raw: &Spanned<RawTarget>,
    stage_names: &[&str],
    component_ids: &[&str],
    severity_names: &[&str],
) -> Result<Target, TargetProblem> {
    let table = raw.get_ref();
    reject_literal_secrets(name, table)?;
    let kind_name = table.kind.get_ref().as_str();
    let spec = KINDS
        .iter()
        .find(|spec| spec.name == kind_name)
        .ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|spec| spec.name).collect();
            TargetProblem::at(
                &table.kind,
                format!("unknown target kind `{kind_name}` in `[targets.{name}]`"),
                Some(crate::vocab::suggestion(kind_name, "kinds", &names)),
            )
        })?;

    let present = present_keys(table);
    for (key, span) in &present {
        if *key == "url" && spec.url_is_secret {
            return Err(TargetProblem {
                span: span.clone(),
                message: format!(
                    "a {} webhook URL is a secret and cannot be written in the file",
                    spec.name
                ),
                hint: Some(format!(
                    "put it in an environment variable and name it: `url_env = \"{}_WEBHOOK_URL\"`",
                    env_stem(name)
                )),
            });
        }
        if !spec.keys.contains(key) {
            return Err(TargetProblem {
                span: span.clone(),
                message: format!(
                    "`{key}` is not a setting of a `{}` target (`[targets.{name}]`)",
                    spec.name
                ),
                hint: Some(format!(
                    "a `{}` target takes {}",
                    spec.name,
                    backticked(spec.keys)
                )),
            });
        }
    }
    let allow_insecure = table
        .allow_insecure
        .as_ref()
        .is_some_and(|flag| *flag.get_ref());
    let fields = Fields {
        name,
        kind: spec.kind,
        raw,
        allow_insecure,
        component_ids,
        severity_names,
    };
    for group in spec.required {
        if !group
            .iter()
            .any(|key| present.iter().any(|(have, _)| have == key))
        {
            return Err(fields.missing(group));
        }
    }

    let channel = match &table.channel {
        None => spec.channel,
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
    let stages = match &table.stages {
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
    let timeout = match &table.timeout {
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
    let attempts = match &table.attempts {
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

    if let Some(url) = &table.url {
        check_url(url.get_ref(), allow_insecure).map_err(|(message, hint)| {
            TargetProblem::at(url, format!("{message} in `[targets.{name}]`"), hint)
        })?;
    }
    let env_keys = [
        &table.url_env,
        &table.password_env,
        &table.secret_env,
        &table.token_env,
        &table.key_env,
        &table.api_key_env,
    ];
    for variable in env_keys.into_iter().flatten() {
        if !is_env_name(variable.get_ref()) {
            return Err(TargetProblem::at(
                variable,
                format!("`{}` is not an environment variable name", mask(variable.get_ref())),
                Some("`*_env` keys name the variable that holds the secret, like `WP_APP_PASSWORD`; the secret itself never goes in the file".to_string()),
            ));
        }
    }
    let settings = (spec.settings)(&fields)?;

    Ok(Target {
        name: name.to_string(),
        kind: spec.kind,
        channel,
        stages,
        timeout,
        attempts,
        require_approval: table
            .require_approval
            .as_ref()
            .is_some_and(|flag| *flag.get_ref()),
        allow_insecure,
        settings,
    })
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

fn present_keys(table: &RawTarget) -> Vec<(&'static str, Range<usize>)> {
    fn span<T>(value: &Option<Spanned<T>>) -> Option<Range<usize>> {
        value.as_ref().map(Spanned::span)
    }
    [
        ("url", span(&table.url)),
        ("url_env", span(&table.url_env)),
        ("username", span(&table.username)),
        ("password_env", span(&table.password_env)),
        ("secret_env", span(&table.secret_env)),
        ("token_env", span(&table.token_env)),
        ("key_env", span(&table.key_env)),
        ("api_key_env", span(&table.api_key_env)),
        ("page_id", span(&table.page_id)),
        ("components", span(&table.components)),
        ("mode", span(&table.mode)),
        ("flavor", span(&table.flavor)),
        ("path", span(&table.path)),
        ("limit", span(&table.limit)),
        ("visibility", span(&table.visibility)),
        ("host", span(&table.host)),
        ("port", span(&table.port)),
        ("tls", span(&table.tls)),
        ("from", span(&table.from)),
        ("to", span(&table.to)),
        ("mention", span(&table.mention)),
        ("mention_severities", span(&table.mention_severities)),
    ]
    .into_iter()
    .filter_map(|(key, span)| span.map(|span| (key, span)))
    .collect()
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
