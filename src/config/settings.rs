//! The kind-specific settings of a target as the rest of the tool trusts them: one variant
//! per kind, every value present and checked once here (choices such as `tls` or `flavor`
//! as enums, email addresses parsed), so that no publisher reads a string setting again.
//!
//! Checks every kind shares (which keys a kind takes, the required ones, URLs, `*_env`
//! names) run in `target.rs` first, driven by its `KINDS` table; each kind's function here
//! turns what is left into its variant. Email addresses are parsed with lettre's `Mailbox`,
//! the type the email publisher sends with: a pure parser, no network.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use lettre::message::Mailbox;
use serde::{Serialize, Serializer};
use toml::Spanned;

use super::raw::RawTarget;
use super::target::{TargetKind, TargetProblem, is_loopback};
use crate::vocab::backticked;

/// What a target of each kind is configured with.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Settings {
    Webhook(WebhookSettings),
    Slack(ChatSettings),
    Discord(ChatSettings),
    Teams(ChatSettings),
    Mattermost(ChatSettings),
    Wordpress(WordpressSettings),
    Ghost(GhostSettings),
    Mastodon(MastodonSettings),
    Statuspage(StatuspageSettings),
    Static(StaticSettings),
    File(FileSettings),
    Email(EmailSettings),
}

/// A URL written in the file, or the name of the environment variable that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlSetting {
    /// `url`: checked like every URL in the file.
    Plain(String),
    /// `url_env`: the variable's value is checked when it is read, at publish time.
    Env(String),
}

/// `webhook`: a signed JSON POST.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookSettings {
    pub url: UrlSetting,
    /// The variable holding the `whsec_` signing secret, if requests are signed.
    pub secret_env: Option<String>,
}

/// `slack`, `discord`, `teams`, `mattermost`: an incoming-webhook URL, which is a secret,
/// and the one deliberate mention its posts may carry.
#[derive(Debug, Clone, Serialize)]
pub struct ChatSettings {
    pub url_env: String,
    /// `mention` (with `mention_severities`): who is notified. Text people type never
    /// notifies anyone; only this does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mention: Option<Mention>,
}

/// A mention a chat target puts at the top of its posts, already written the way its
/// service reads one (`<!subteam^S0123>` for Slack, `@oncall` for Mattermost, `<@&123>` for
/// Discord).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The mentions as sent, separated by spaces.
    pub text: String,
    /// The severities whose updates carry it; `None` for every severity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severities: Option<Vec<String>>,
}

impl Mention {
    /// Returns the mention an update of `severity` carries, if any.
    pub fn for_severity(&self, severity: &str) -> Option<&str> {
        self.severities
            .as_ref()
            .is_none_or(|severities| severities.iter().any(|name| name == severity))
            .then_some(self.text.as_str())
    }
}

/// `wordpress`: the core REST API with an application password.
#[derive(Debug, Clone, Serialize)]
pub struct WordpressSettings {
    pub url: String,
    pub username: String,
    pub password_env: String,
    pub mode: WordpressMode,
}

/// `ghost`: the Admin API with an Admin API key.
#[derive(Debug, Clone, Serialize)]
pub struct GhostSettings {
    pub url: String,
    pub key_env: String,
}

/// `mastodon`: statuses through the REST API.
#[derive(Debug, Clone, Serialize)]
pub struct MastodonSettings {
    pub url: String,
    pub token_env: String,
    /// How many characters a status may have (the instance's default when not written).
    pub limit: usize,
    pub visibility: Visibility,
}

/// `statuspage`: Atlassian Statuspage incidents.
#[derive(Debug, Clone, Serialize)]
pub struct StatuspageSettings {
    /// The API base, when not the public one.
    pub url: Option<String>,
    pub page_id: String,
    pub api_key_env: String,
    /// Our component id to the Statuspage component id.
    pub components: BTreeMap<String, String>,
}

/// `static`: incident pages written into a static site generator's content folder.
#[derive(Debug, Clone, Serialize)]
pub struct StaticSettings {
    pub path: PathBuf,
    pub flavor: Flavor,
}

/// `file`: every draft written to a folder.
#[derive(Debug, Clone, Serialize)]
pub struct FileSettings {
    pub path: PathBuf,
}

/// `email`: plain-text mail over SMTP.
#[derive(Debug, Clone, Serialize)]
pub struct EmailSettings {
    /// The host as written, without the brackets around an IPv6 address.
    pub host: String,
    /// As written, or the usual port of `tls`.
    pub port: u16,
    pub tls: Tls,
    pub login: Option<Login>,
    #[serde(serialize_with = "display")]
    pub from: Mailbox,
    #[serde(serialize_with = "display_all")]
    pub to: Vec<Mailbox>,
}

/// An SMTP login: `username` and the variable holding its password, always both.
#[derive(Debug, Clone, Serialize)]
pub struct Login {
    pub username: String,
    pub password_env: String,
}

fn display<S: Serializer>(value: &Mailbox, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

fn display_all<S: Serializer>(values: &[Mailbox], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(values.iter().map(ToString::to_string))
}

/// A setting that takes one of a few words.
pub trait Choice: Copy + PartialEq + 'static {
    /// The key it is written under.
    const KEY: &'static str;
    /// Every word, with what it means.
    const CHOICES: &'static [(&'static str, Self)];

    /// Returns the word as written in the file (and, where a service takes it, as sent).
    fn name(self) -> &'static str {
        Self::CHOICES
            .iter()
            .find(|(_, choice)| *choice == self)
            .map(|(name, _)| *name)
            .expect("every choice has a name")
    }
}

macro_rules! choice_serialize {
    ($($kind:ty),*) => {$(
        impl Serialize for $kind {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }
    )*};
}
choice_serialize!(Tls, Flavor, WordpressMode, Visibility);

/// How an SMTP connection is protected (`tls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Plain connect, then `STARTTLS`, required: no upgrade, no login, no mail.
    StartTls,
    /// TLS from the first byte (port 465, RFC 8314).
    Implicit,
    /// No TLS at all: only to loopback (or with `allow_insecure`).
    None,
}

impl Choice for Tls {
    const KEY: &'static str = "tls";
    const CHOICES: &'static [(&'static str, Tls)] = &[
        ("starttls", Tls::StartTls),
        ("implicit", Tls::Implicit),
        ("none", Tls::None),
    ];
}

impl Tls {
    /// Returns the port a server usually listens on for this kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            Tls::StartTls => 587,
            Tls::Implicit => 465,
            Tls::None => 25,
        }
    }
}

/// Which static site generator a `static` target writes for (`flavor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Cstate,
    Hugo,
    Jekyll,
}

impl Choice for Flavor {
    const KEY: &'static str = "flavor";
    const CHOICES: &'static [(&'static str, Flavor)] = &[
        ("cstate", Flavor::Cstate),
        ("hugo", Flavor::Hugo),
        ("jekyll", Flavor::Jekyll),
    ];
}

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

/// One `[targets.NAME]` table whose shared checks passed, as each kind's settings read it.
pub struct Fields<'a> {
    pub name: &'a str,
    pub kind: TargetKind,
    pub raw: &'a Spanned<RawTarget>,
    pub allow_insecure: bool,
    pub component_ids: &'a [&'a str],
    pub severity_names: &'a [&'a str],
}

impl<'a> Fields<'a> {
    fn table(&self) -> &'a RawTarget {
        self.raw.get_ref()
    }

    /// Returns the error for a table that lacks every key of `group`.
    pub fn missing(&self, group: &[&str]) -> TargetProblem {
        TargetProblem {
            span: self.raw.span(),
            message: format!(
                "`[targets.{}]` ({} target) needs `{}`",
                self.name,
                self.kind,
                group.join("` or `")
            ),
            hint: None,
        }
    }

    /// Returns a key the kind cannot do without (the `KINDS` table checked it is there).
    fn required<T: Clone>(
        &self,
        value: &Option<Spanned<T>>,
        key: &str,
    ) -> Result<T, TargetProblem> {
        value
            .as_ref()
            .map(|value| value.get_ref().clone())
            .ok_or_else(|| self.missing(&[key]))
    }

    /// Returns the choice written under `C::KEY`, or `default` when there is none.
    fn choice<C: Choice>(
        &self,
        value: &Option<Spanned<String>>,
        default: Option<C>,
    ) -> Result<C, TargetProblem> {
        let Some(value) = value else {
            return default.ok_or_else(|| self.missing(&[C::KEY]));
        };
        let words: Vec<&str> = C::CHOICES.iter().map(|(name, _)| *name).collect();
        C::CHOICES
            .iter()
            .find(|(name, _)| *name == value.get_ref())
            .map(|(_, choice)| *choice)
            .ok_or_else(|| TargetProblem {
                span: value.span(),
                message: format!(
                    "unknown {} `{}` in `[targets.{}]`",
                    C::KEY,
                    value.get_ref(),
                    self.name
                ),
                hint: Some(format!("`{}` is one of {}", C::KEY, backticked(&words))),
            })
    }

    fn at(&self, span: Range<usize>, message: String, hint: Option<String>) -> TargetProblem {
        TargetProblem {
            span,
            message,
            hint,
        }
    }
}

pub fn webhook(fields: &Fields) -> Result<Settings, TargetProblem> {
    let table = fields.table();
    let url = match (&table.url, &table.url_env) {
        (Some(url), _) => UrlSetting::Plain(url.get_ref().clone()),
        (None, Some(variable)) => UrlSetting::Env(variable.get_ref().clone()),
        (None, None) => return Err(fields.missing(&["url", "url_env"])),
    };
    Ok(Settings::Webhook(WebhookSettings {
        url,
        secret_env: table.secret_env.as_ref().map(|v| v.get_ref().clone()),
    }))
}

fn chat(fields: &Fields) -> Result<ChatSettings, TargetProblem> {
    Ok(ChatSettings {
        url_env: fields.required(&fields.table().url_env, "url_env")?,
        mention: mention(fields)?,
    })
}

/// Reads `mention` and `mention_severities`: each mention in the one form its service
/// notifies by, so that a typo is an error here rather than a silent non-ping at 3 a.m.
fn mention(fields: &Fields) -> Result<Option<Mention>, TargetProblem> {
    let table = fields.table();
    let Some(written) = &table.mention else {
        if let Some(severities) = &table.mention_severities {
            return Err(fields.at(
                severities.span(),
                format!(
                    "`mention_severities` in `[targets.{}]` needs a `mention`",
                    fields.name
                ),
                Some("add `mention = \"…\"`, or remove `mention_severities`".to_string()),
            ));
        }
        return Ok(None);
    };
    let mut sent = Vec::new();
    for word in written.get_ref().split_whitespace() {
        let form = match fields.kind {
            TargetKind::Slack => slack_mention(word),
            TargetKind::Mattermost => mattermost_mention(word),
            TargetKind::Discord => discord_mention(word),
            _ => None,
        };
        let Some(form) = form else {
            let service = match fields.kind {
                TargetKind::Slack => "Slack",
                TargetKind::Mattermost => "Mattermost",
                _ => "Discord",
            };
            let hint = match fields.kind {
                TargetKind::Slack => {
                    "Slack notifies a user group by its id, `<!subteam^S0123ABCD>` (or `<!subteam^S0123ABCD|@oncall>`), a person as `<@U0123ABCD>`, and everyone as `@here` or `@channel`"
                }
                TargetKind::Mattermost => {
                    "Mattermost notifies `@username` (lowercase letters, digits, `.`, `-`, `_`), `@here`, `@channel` or `@all`"
                }
                _ => {
                    "Discord notifies a role as `<@&123456789>`, a person as `<@123456789>`, and everyone as `@here` or `@everyone`"
                }
            };
            return Err(fields.at(
                written.span(),
                format!(
                    "`{word}` in `[targets.{}]` is not a {service} mention",
                    fields.name
                ),
                Some(hint.to_string()),
            ));
        };
        sent.push(form);
    }
    if sent.is_empty() {
        return Err(fields.at(
            written.span(),
            format!("`mention` in `[targets.{}]` is empty", fields.name),
            Some("remove it, or name who to notify".to_string()),
        ));
    }
    let severities = match &table.mention_severities {
        None => None,
        Some(list) => {
            if list.get_ref().is_empty() {
                return Err(fields.at(
                    list.span(),
                    format!("`mention_severities` in `[targets.{}]` is empty", fields.name),
                    Some("list the severities that notify, like `[\"sev1\"]`, or remove it to notify for every severity".to_string()),
                ));
            }
            for severity in list.get_ref() {
                if !fields.severity_names.contains(&severity.get_ref().as_str()) {
                    return Err(fields.at(
                        severity.span(),
                        format!(
                            "unknown severity `{}` in `mention_severities` of `[targets.{}]`",
                            severity.get_ref(),
                            fields.name
                        ),
                        Some(crate::vocab::suggestion(
                            severity.get_ref(),
                            "severities",
                            fields.severity_names,
                        )),
                    ));
                }
            }
            Some(list.get_ref().iter().map(|s| s.get_ref().clone()).collect())
        }
    };
    Ok(Some(Mention {
        text: sent.join(" "),
        severities,
    }))
}

/// Slack's forms: `<!subteam^ID>` or `<!subteam^ID|@handle>`, `<@ID>`, and the special
/// mentions written `@here` or as Slack writes them, `<!here>`.
fn slack_mention(word: &str) -> Option<String> {
    let special = |name: &str| ["here", "channel", "everyone"].contains(&name);
    if let Some(name) = word.strip_prefix('@')
        && special(name)
    {
        return Some(format!("<!{name}>"));
    }
    let inner = word.strip_prefix('<')?.strip_suffix('>')?;
    let id_ok = |id: &str| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    let handle_ok = |handle: &str| {
        handle.strip_prefix('@').is_some_and(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        })
    };
    let ok = if let Some(group) = inner.strip_prefix("!subteam^") {
        match group.split_once('|') {
            Some((id, handle)) => id_ok(id) && handle_ok(handle),
            None => id_ok(group),
        }
    } else if let Some(user) = inner.strip_prefix('@') {
        id_ok(user)
    } else if let Some(name) = inner.strip_prefix('!') {
        special(name)
    } else {
        false
    };
    ok.then(|| word.to_string())
}

/// Mattermost's: `@username`, and `@here`, `@channel`, `@all`.
fn mattermost_mention(word: &str) -> Option<String> {
    let name = word.strip_prefix('@')?;
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.as_bytes()[0].is_ascii_alphabetic()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    ok.then(|| word.to_string())
}

/// Discord's: `<@ID>` (a person), `<@&ID>` (a role), `@here`, `@everyone`.
fn discord_mention(word: &str) -> Option<String> {
    if word == "@here" || word == "@everyone" {
        return Some(word.to_string());
    }
    let inner = word.strip_prefix("<@")?.strip_suffix('>')?;
    let id = inner.strip_prefix('&').unwrap_or(inner);
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| word.to_string())
}

pub fn slack(fields: &Fields) -> Result<Settings, TargetProblem> {
    chat(fields).map(Settings::Slack)
}

pub fn discord(fields: &Fields) -> Result<Settings, TargetProblem> {
    chat(fields).map(Settings::Discord)
}

pub fn teams(fields: &Fields) -> Result<Settings, TargetProblem> {
    chat(fields).map(Settings::Teams)
}

pub fn mattermost(fields: &Fields) -> Result<Settings, TargetProblem> {
    chat(fields).map(Settings::Mattermost)
}

pub fn wordpress(fields: &Fields) -> Result<Settings, TargetProblem> {
    let table = fields.table();
    Ok(Settings::Wordpress(WordpressSettings {
        url: fields.required(&table.url, "url")?,
        username: fields.required(&table.username, "username")?,
        password_env: fields.required(&table.password_env, "password_env")?,
        mode: fields.choice(&table.mode, Some(WordpressMode::PostPerIncident))?,
    }))
}

pub fn ghost(fields: &Fields) -> Result<Settings, TargetProblem> {
    let table = fields.table();
    Ok(Settings::Ghost(GhostSettings {
        url: fields.required(&table.url, "url")?,
        key_env: fields.required(&table.key_env, "key_env")?,
    }))
}

pub fn mastodon(fields: &Fields) -> Result<Settings, TargetProblem> {
    let table = fields.table();
    let visibility = fields.choice(&table.visibility, Some(Visibility::Public))?;
    let limit = match &table.limit {
        Some(limit) if *limit.get_ref() == 0 => {
            return Err(fields.at(limit.span(), "`limit` must be at least 1".to_string(), None));
        }
        Some(limit) => *limit.get_ref() as usize,
        None => fields
            .kind
            .social_limit()
            .expect("a Mastodon target has a default social limit"),
    };
    Ok(Settings::Mastodon(MastodonSettings {
        url: fields.required(&table.url, "url")?,
        token_env: fields.required(&table.token_env, "token_env")?,
        limit,
        visibility,
    }))
}

pub fn statuspage(fields: &Fields) -> Result<Settings, TargetProblem> {
    let table = fields.table();
    if let Some(components) = &table.components
        && let Some(unknown) = components
            .get_ref()
            .keys()
            .find(|id| !fields.component_ids.contains(&id.as_str()))
    {
        return Err(fields.at(
            components.span(),
            format!(
                "unknown component `{unknown}` in `[targets.{}].components`",
                fields.name
            ),
            Some(format!(
                "components are {}",
                backticked(fields.component_ids)
            )),
        ));
    }
    Ok(Settings::Statuspage(StatuspageSettings {
        url: table.url.as_ref().map(|url| url.get_ref().clone()),
        page_id: fields.required(&table.page_id, "page_id")?,
        api_key_env: fields.required(&table.api_key_env, "api_key_env")?,
        components: table
            .components
            .as_ref()
            .map(|map| map.get_ref().clone())
            .unwrap_or_default(),
    }))
}

pub fn static_site(fields: &Fields) -> Result<Settings, TargetProblem> {
    let table = fields.table();
    let flavor = fields.choice(&table.flavor, None)?;
    Ok(Settings::Static(StaticSettings {
        path: PathBuf::from(fields.required(&table.path, "path")?),
        flavor,
    }))
}

pub fn file(fields: &Fields) -> Result<Settings, TargetProblem> {
    Ok(Settings::File(FileSettings {
        path: PathBuf::from(fields.required(&fields.table().path, "path")?),
    }))
}

pub fn email(fields: &Fields) -> Result<Settings, TargetProblem> {
    let table = fields.table();
    let name = fields.name;
    let tls = fields.choice(&table.tls, Some(Tls::StartTls))?;
    let host_value = table
        .host
        .as_ref()
        .ok_or_else(|| fields.missing(&["host"]))?;
    let host = host_value
        .get_ref()
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    if host.is_empty() {
        return Err(fields.at(
            host_value.span(),
            format!("`host` of `[targets.{name}]` is empty"),
            Some("name the SMTP server, like `smtp.example.com`".to_string()),
        ));
    }
    if let Some(written) = &table.tls
        && tls == Tls::None
        && !is_loopback(&host)
        && !fields.allow_insecure
    {
        return Err(fields.at(
            written.span(),
            format!("`tls = \"none\"` sends mail in the clear to `{}` (`[targets.{name}]`)", host_value.get_ref()),
            Some("use `starttls` or `implicit`; plain SMTP is only for loopback, or set `allow_insecure = true`".to_string()),
        ));
    }
    let login = match (&table.username, &table.password_env) {
        (Some(username), Some(variable)) => Some(Login {
            username: username.get_ref().clone(),
            password_env: variable.get_ref().clone(),
        }),
        (None, None) => None,
        (Some(username), None) => {
            return Err(fields.at(
                username.span(),
                format!("`[targets.{name}]` has a `username` but no `password_env`"),
                Some("add `password_env` naming the variable that holds its password".to_string()),
            ));
        }
        (None, Some(variable)) => {
            return Err(fields.at(
                variable.span(),
                format!("`[targets.{name}]` has a `password_env` but no `username` to log in as"),
                None,
            ));
        }
    };
    let mailbox = |text: &str, key: &str, span: Range<usize>| {
        text.trim().parse::<Mailbox>().map_err(|error| {
            fields.at(
                span,
                format!(
                    "`{key}` of `[targets.{name}]` is not an email address (`{text}`): {error}"
                ),
                Some(
                    "write it like `status@example.com` or `Example Status <status@example.com>`"
                        .to_string(),
                ),
            )
        })
    };
    let from = table
        .from
        .as_ref()
        .ok_or_else(|| fields.missing(&["from"]))?;
    let from = mailbox(from.get_ref(), "from", from.span())?;
    let to_list = table.to.as_ref().ok_or_else(|| fields.missing(&["to"]))?;
    if to_list.get_ref().is_empty() {
        return Err(fields.at(
            to_list.span(),
            format!("`to` of `[targets.{name}]` has no addresses"),
            None,
        ));
    }
    let to = to_list
        .get_ref()
        .iter()
        .map(|to| mailbox(to.get_ref(), "to", to.span()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Settings::Email(EmailSettings {
        host,
        port: table
            .port
            .as_ref()
            .map_or_else(|| tls.default_port(), |port| *port.get_ref()),
        tls,
        login,
        from,
        to,
    }))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{Config, ConfigError};

    const BASE: &str = r#"
[org]
name = "Acme"
timezone = "UTC"
[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"
[targets.mail]
kind = "email"
"#;

    fn email(keys: &str) -> Result<EmailSettings, (usize, String)> {
        match Config::parse(Path::new("incident.toml"), &format!("{BASE}{keys}")) {
            Ok(config) => match &config.targets[0].settings {
                Settings::Email(email) => Ok(email.clone()),
                other => panic!("not email settings: {other:?}"),
            },
            Err(ConfigError::Invalid { line, message, .. }) => Err((line, message)),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn email_defaults_follow_tls() {
        let settings =
            email("host = \"[::1]\"\nfrom = \"s@acme.example\"\nto = [\"o@acme.example\"]\n")
                .unwrap();
        assert_eq!(
            (settings.host.as_str(), settings.tls, settings.port),
            ("::1", Tls::StartTls, 587)
        );
        assert!(settings.login.is_none());
        let settings = email(
            "host = \"smtp.acme.example\"\ntls = \"implicit\"\nusername = \"bot\"\npassword_env = \"SMTP_PASSWORD\"\nfrom = \"Acme <s@acme.example>\"\nto = [\"o@acme.example\"]\n",
        )
        .unwrap();
        assert_eq!((settings.tls, settings.port), (Tls::Implicit, 465));
        assert_eq!(settings.from.email.to_string(), "s@acme.example");
        assert_eq!(settings.login.unwrap().password_env, "SMTP_PASSWORD");
    }

    #[test]
    fn email_mistakes_are_config_errors_on_their_line() {
        let cases = [
            (
                "host = \"mail.example.com\"\ntls = \"none\"\nfrom = \"s@acme.example\"\nto = [\"o@acme.example\"]\n",
                12,
                "`tls = \"none\"` sends mail in the clear to `mail.example.com` (`[targets.mail]`)",
            ),
            (
                "host = \"127.0.0.1\"\nusername = \"bot\"\nfrom = \"s@acme.example\"\nto = [\"o@acme.example\"]\n",
                12,
                "`[targets.mail]` has a `username` but no `password_env`",
            ),
            (
                "host = \"127.0.0.1\"\nfrom = \"s@acme.example\"\nto = [\"o@acme.example\",\n  \"not an address\"]\n",
                14,
                "`to` of `[targets.mail]` is not an email address (`not an address`)",
            ),
            (
                "host = \"127.0.0.1\"\nfrom = \"s@acme.example\"\nto = []\n",
                13,
                "`to` of `[targets.mail]` has no addresses",
            ),
            (
                "host = \"  \"\nfrom = \"s@acme.example\"\nto = [\"o@acme.example\"]\n",
                11,
                "`host` of `[targets.mail]` is empty",
            ),
        ];
        for (keys, line, start) in cases {
            let (at, message) = email(keys).unwrap_err();
            assert!(message.starts_with(start), "{message}");
            assert_eq!(at, line, "{message}");
        }
    }

    #[test]
    fn choices_have_names_both_ways() {
        for (name, choice) in Visibility::CHOICES {
            assert_eq!(choice.name(), *name);
        }
        assert_eq!(WordpressMode::PostPerUpdate.name(), "post-per-update");
        assert_eq!(Flavor::Cstate.name(), "cstate");
    }
}
