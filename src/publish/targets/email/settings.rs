//! What an `email` target is configured with, checked once: the SMTP server and how the
//! connection is protected, the login, and the addresses, parsed with lettre's `Mailbox`
//! (the type the message is sent with; a pure parser, no network).

use std::ops::Range;
use std::sync::Arc;

use lettre::message::Mailbox;
use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    Choice, DeliveryRule, Kind, KindSettings, KindTable, TargetProblem, fields_of, is_loopback,
};
use crate::vocab::Channel;

pub static KIND: Kind = Kind {
    name: "email",
    channel: Channel::Email,
    delivery: DeliveryRule::Blind,
    keys: fields_of::<Keys>,
    required: &[&["host"], &["from"], &["to"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    host: Option<Spanned<String>>,
    port: Option<Spanned<u16>>,
    tls: Option<Spanned<String>>,
    username: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<Vec<Spanned<String>>>>,
}

/// An email target's settings: plain-text mail over SMTP.
#[derive(Debug, Clone)]
pub struct EmailSettings {
    /// The host as written, without the brackets around an IPv6 address.
    pub host: String,
    /// As written, or the usual port of `tls`.
    pub port: u16,
    pub tls: Tls,
    pub login: Option<Login>,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
}

impl KindSettings for EmailSettings {}

/// An SMTP login: `username` and the variable holding its password, always both.
#[derive(Debug, Clone)]
pub struct Login {
    pub username: String,
    pub password_env: String,
}

/// How an SMTP connection is protected (`tls`).
// `StartTls` is the protocol's own name, not a repeat of the enum's.
#[allow(clippy::enum_variant_names)]
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

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    let name = table.name;
    let tls = table.choice(&keys.tls, Some(Tls::StartTls))?;
    let host_value = keys.host.as_ref().ok_or_else(|| table.missing(&["host"]))?;
    let host = host_value
        .get_ref()
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    if host.is_empty() {
        return Err(table.problem(
            host_value.span(),
            format!("`host` of `[targets.{name}]` is empty"),
            Some("name the SMTP server, like `smtp.example.com`".to_string()),
        ));
    }
    if let Some(written) = &keys.tls
        && tls == Tls::None
        && !is_loopback(&host)
        && !table.allow_insecure
    {
        return Err(table.problem(
            written.span(),
            format!("`tls = \"none\"` sends mail in the clear to `{}` (`[targets.{name}]`)", host_value.get_ref()),
            Some("use `starttls` or `implicit`; plain SMTP is only for loopback, or set `allow_insecure = true`".to_string()),
        ));
    }
    let login = match (&keys.username, &keys.password_env) {
        (Some(username), Some(variable)) => Some(Login {
            username: username.get_ref().clone(),
            password_env: variable.get_ref().clone(),
        }),
        (None, None) => None,
        (Some(username), None) => {
            return Err(table.problem(
                username.span(),
                format!("`[targets.{name}]` has a `username` but no `password_env`"),
                Some("add `password_env` naming the variable that holds its password".to_string()),
            ));
        }
        (None, Some(variable)) => {
            return Err(table.problem(
                variable.span(),
                format!("`[targets.{name}]` has a `password_env` but no `username` to log in as"),
                None,
            ));
        }
    };
    let mailbox = |text: &str, key: &str, span: Range<usize>| {
        text.trim().parse::<Mailbox>().map_err(|error| {
            table.problem(
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
    let from = keys.from.as_ref().ok_or_else(|| table.missing(&["from"]))?;
    let from = mailbox(from.get_ref(), "from", from.span())?;
    let to_list = keys.to.as_ref().ok_or_else(|| table.missing(&["to"]))?;
    if to_list.get_ref().is_empty() {
        return Err(table.problem(
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
    Ok(Arc::new(EmailSettings {
        host,
        port: keys
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
        match Config::parse(
            Path::new("incident.toml"),
            &format!("{BASE}{keys}"),
            &crate::publish::targets::kinds(),
        ) {
            Ok(config) => Ok(config.targets[0].settings::<EmailSettings>().clone()),
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
}
