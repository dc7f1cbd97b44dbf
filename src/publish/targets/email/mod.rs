//! `email`: the email channel's subject and plain-text body, sent over SMTP (lettre's async
//! client on tokio) with STARTTLS, implicit TLS, or — to loopback only — in the clear.
//!
//! SMTP has no idempotency key, so its delivery rule is *blind*: a crashed run is reported
//! as uncertain, and so is a try that sent the message and then heard nothing back (a
//! timeout or a dropped connection while waiting for the reply to the end of DATA), which
//! is not tried again. Tries go through the one retry loop like every target's: 4xx
//! replies, and network or TLS failures before the message was written, are retried up to
//! `attempts`; 5xx replies are not. The password is held as a [`Secret`], and the `AUTH`
//! lines made from it are registered for scrubbing before the first try.
//! Every try of one update carries the same `Message-ID`, derived from the publication's
//! key, so a receiver (or a person) can tell a resend from a new message.
//! Later updates of an incident thread onto its first email: `In-Reply-To` and
//! `References` name the `Message-ID` recorded as the remote id of the first one.

use std::cell::Cell;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

mod settings;

pub use settings::{EmailSettings, KIND, Tls};

use crate::config::{Config, Secret, Target};
use crate::publish::Secrets;
use crate::publish::retry::{self, Attempt};
use crate::publish::{Context, Delivered, Delivery, Policy, Post, PublishError, Publisher, Remote};
use crate::record::PublishAction;

/// How a connection protected by `tls` is described to people.
fn describe_tls(tls: Tls) -> &'static str {
    match tls {
        Tls::StartTls => "STARTTLS required",
        Tls::Implicit => "implicit TLS",
        Tls::None => "no TLS",
    }
}

/// The connection as a try makes it.
enum Wire {
    Plain,
    StartTls(TlsParameters),
    Implicit(TlsParameters),
}

/// The login, if the target has one.
#[derive(Debug)]
struct Login {
    username: String,
    password: Secret,
    /// The environment variable the password came from, which is all a dry run shows.
    variable: String,
}

#[derive(Debug)]
pub struct Email {
    target: String,
    /// The host name as written, without brackets around an IPv6 address.
    host: String,
    port: u16,
    security: Tls,
    login: Option<Login>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

pub fn build(
    target: &Target,
    _config: &Config,
    secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    Ok(Box::new(Email::new(target, target.settings(), secrets)?))
}

impl Email {
    fn new(
        target: &Target,
        settings: &EmailSettings,
        secrets: &Secrets,
    ) -> Result<Email, PublishError> {
        let login = match &settings.login {
            Some(login) => {
                let password = secrets.get(target, "password_env", &login.password_env)?;
                let username = login.username.clone();
                // What `AUTH PLAIN` and `AUTH LOGIN` put on the wire, which a server may
                // echo back in a refusal.
                secrets.derive(&password, |password| {
                    STANDARD.encode(format!("\0{username}\0{password}"))
                });
                secrets.derive(&password, |password| STANDARD.encode(password));
                Some(Login {
                    username,
                    password,
                    variable: login.password_env.clone(),
                })
            }
            None => None,
        };
        Ok(Email {
            target: target.name.clone(),
            host: settings.host.clone(),
            port: settings.port,
            security: settings.tls,
            login,
            from: settings.from.clone(),
            to: settings.to.clone(),
        })
    }

    /// `<{key}@incident.{from-domain}>`: the same for every try of one publication.
    fn message_id(&self, key: &str) -> String {
        let local: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let domain = self.from.email.domain();
        let plain_domain = !domain.is_empty()
            && domain.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if plain_domain {
            format!("<{local}@incident.{}>", domain.to_ascii_lowercase())
        } else {
            format!("<{local}@incident.invalid>")
        }
    }

    /// The message as sent at `now`: headers and the plain-text body.
    fn message(&self, post: &Post, now: DateTime<Utc>) -> Result<Message, PublishError> {
        if post.action == PublishAction::Edit {
            return Err(PublishError::unsendable(
                "an email cannot be changed once sent",
            ));
        }
        let subject = match &post.draft.subject {
            Some(subject) if !subject.trim().is_empty() => subject.trim().to_string(),
            _ => format!(
                "[{}] {}",
                post.config.org.name,
                super::shared::headline(post)
            ),
        };
        let mut body = post.draft.text.clone();
        if !body.ends_with('\n') {
            body.push('\n');
        }
        let id = self.message_id(post.key);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .date(SystemTime::from(now))
            .message_id(Some(id.clone()))
            .user_agent(concat!("incident/", env!("CARGO_PKG_VERSION")).to_string());
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        // Later updates reply to the incident's first email on this target.
        if let Some(root) = super::shared::incident_remote(post, &self.target) {
            builder = builder.in_reply_to(root.clone()).references(root);
        }
        builder
            .singlepart(SinglePart::plain(body))
            .map_err(|error| PublishError::unsendable(format!("cannot build the email: {error}")))
    }

    /// How to protect the connection, with the TLS settings (the system's roots) ready.
    fn wire(&self) -> Result<Wire, PublishError> {
        let tls = || {
            TlsParameters::new(self.host.clone()).map_err(|error| PublishError::NeverSent {
                detail: format!(
                    "cannot set up TLS for `{}`: {}",
                    self.host,
                    one_line(&error.to_string())
                ),
            })
        };
        Ok(match self.security {
            Tls::None => Wire::Plain,
            Tls::StartTls => Wire::StartTls(tls()?),
            Tls::Implicit => Wire::Implicit(tls()?),
        })
    }

    /// One try: connect, protect, log in, send. `stage` says how far it got, so a failure
    /// (or the timeout around this) can tell whether the message may have arrived.
    async fn try_once(
        &self,
        message: &Message,
        wire: &Wire,
        timeout: Duration,
        stage: &Cell<Stage>,
    ) -> Result<(), Failure> {
        let hello = ClientId::default();
        stage.set(Stage::Connect);
        let implicit = match wire {
            Wire::Implicit(tls) => Some(tls.clone()),
            Wire::StartTls(_) | Wire::Plain => None,
        };
        let mut connection = AsyncSmtpConnection::connect_tokio1(
            (self.host.as_str(), self.port),
            Some(timeout),
            &hello,
            implicit,
            None,
        )
        .await
        .map_err(Failure::Smtp)?;
        if let Wire::StartTls(tls) = wire {
            stage.set(Stage::StartTls);
            if !connection.can_starttls() {
                connection.abort().await;
                return Err(Failure::NoStartTls);
            }
            connection
                .starttls(tls.clone(), &hello)
                .await
                .map_err(Failure::Smtp)?;
        }
        if let Some(login) = &self.login {
            stage.set(Stage::Auth);
            let credentials =
                Credentials::new(login.username.clone(), login.password.expose().to_string());
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .await
                .map_err(Failure::Smtp)?;
        }
        let envelope = message.envelope();
        let email = message.formatted();
        let mut options = Vec::new();
        let ascii_envelope = envelope
            .from()
            .into_iter()
            .chain(envelope.to())
            .all(|address| AsRef::<str>::as_ref(address).is_ascii());
        if !ascii_envelope
            && connection
                .server_info()
                .supports_feature(Extension::SmtpUtfEight)
        {
            options.push(MailParameter::SmtpUtfEight);
        }
        if !email.is_ascii()
            && connection
                .server_info()
                .supports_feature(Extension::EightBitMime)
        {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        stage.set(Stage::Mail);
        connection
            .command(Mail::new(envelope.from().cloned(), options))
            .await
            .map_err(Failure::Smtp)?;
        for (index, to) in envelope.to().iter().enumerate() {
            stage.set(Stage::Rcpt(index));
            connection
                .command(Rcpt::new(to.clone(), Vec::new()))
                .await
                .map_err(Failure::Smtp)?;
        }
        stage.set(Stage::Data);
        connection.command(Data).await.map_err(Failure::Smtp)?;
        // From here until the server's reply, the message may have arrived whatever happens.
        stage.set(Stage::Message);
        connection.message(&email).await.map_err(Failure::Smtp)?;
        stage.set(Stage::Sent);
        // The message is accepted; a failed goodbye changes nothing.
        let _ = connection.quit().await;
        Ok(())
    }

    /// The one-line description of a failed try, as far as it got: whether another try
    /// is worth it follows from that ([`PublishError::reach`]) and the delivery rule.
    fn failure(&self, error: Failure, stage: Stage, message_id: &str) -> PublishError {
        let never_sent = |detail: String| PublishError::NeverSent { detail };
        let no_answer = |detail: String| PublishError::NoAnswer { detail };
        let at = format!("{}:{}", self.host, self.port);
        let doing = match stage {
            Stage::Connect => format!("cannot connect to {at} ({})", describe_tls(self.security)),
            Stage::StartTls => format!("STARTTLS with {at} failed"),
            Stage::Auth => format!(
                "{at} refused the login as `{}`",
                self.login
                    .as_ref()
                    .map_or("", |login| login.username.as_str())
            ),
            Stage::Mail => format!("{at} refused the sender <{}>", self.from.email),
            Stage::Rcpt(index) => format!(
                "{at} refused the recipient <{}>",
                self.to
                    .get(index)
                    .map_or(String::new(), |to| to.email.to_string())
            ),
            Stage::Data => format!("{at} refused to take the message"),
            Stage::Message | Stage::Sent => format!("{at} did not accept the message"),
        };
        match error {
            Failure::NoStartTls => PublishError::Refused {
                code: None,
                message: format!(
                    "{at} does not offer STARTTLS, which `tls = \"starttls\"` requires: nothing was sent (a port-465 server wants `tls = \"implicit\"`)"
                ),
            },
            Failure::Timeout(timeout) => {
                let text = format!("no answer within {}s", timeout.as_secs_f64());
                let waiting = match stage {
                    Stage::Connect => format!("connecting ({})", describe_tls(self.security)),
                    Stage::StartTls => "starting TLS".to_string(),
                    Stage::Auth => "logging in".to_string(),
                    Stage::Mail => format!("giving the sender <{}>", self.from.email),
                    Stage::Rcpt(index) => format!(
                        "giving the recipient <{}>",
                        self.to
                            .get(index)
                            .map_or(String::new(), |to| to.email.to_string())
                    ),
                    Stage::Data | Stage::Message | Stage::Sent => "sending the message".to_string(),
                };
                if stage == Stage::Message {
                    no_answer(format!(
                        "{at}: {text} after the message was sent as {message_id}"
                    ))
                } else {
                    // The server went quiet; it refused nothing.
                    never_sent(format!("{at}: {text} while {waiting}"))
                }
            }
            Failure::Smtp(error) => {
                let detail = describe(&error);
                let code = error
                    .status()
                    .and_then(|code| code.to_string().parse().ok());
                let refused = |message: String| PublishError::Refused { code, message };
                if error.is_transient() {
                    return PublishError::Busy {
                        code,
                        message: format!("{doing}: {detail}"),
                    };
                }
                if error.is_permanent() {
                    let hint = match (&self.login, stage) {
                        (Some(login), Stage::Auth) => format!(
                            " (check `username` and the password in `${}`)",
                            login.variable
                        ),
                        _ => String::new(),
                    };
                    return refused(format!("{doing}: {detail}{hint}"));
                }
                if error.is_client() {
                    return refused(format!("{doing}: {detail}"));
                }
                // A failed TLS handshake sent nothing, and neither did anything before it.
                if error.is_tls() || is_tls_failure(&error) || stage != Stage::Message {
                    return never_sent(format!("{doing}: {detail}"));
                }
                // A network error, a dropped connection or a garbled reply after the message.
                no_answer(format!(
                    "{at}: the connection failed after the message was sent as {message_id} ({detail})"
                ))
            }
        }
    }
}

/// How far a try got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Connect,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    /// The message is (being) written and its reply awaited.
    Message,
    Sent,
}

enum Failure {
    Smtp(lettre::transport::smtp::Error),
    Timeout(Duration),
    /// `tls = "starttls"` and the server does not offer it.
    NoStartTls,
}

impl Publisher for Email {
    fn can_edit(&self) -> bool {
        false
    }

    fn preview(&self, post: &Post, now: DateTime<Utc>) -> Result<String, PublishError> {
        let message = self.message(post, now)?;
        let mut text = format!(
            "SMTP {}:{} ({})\n",
            self.host,
            self.port,
            describe_tls(self.security)
        );
        if let Some(login) = &self.login {
            let _ = writeln!(
                text,
                "AUTH as {} (password from ${}, redacted)",
                login.username, login.variable
            );
        }
        let envelope = message.envelope();
        let _ = writeln!(
            text,
            "MAIL FROM:<{}>",
            envelope.from().map_or(String::new(), ToString::to_string)
        );
        for to in envelope.to() {
            let _ = writeln!(text, "RCPT TO:<{to}>");
        }
        text.push_str("DATA\n");
        let formatted = String::from_utf8_lossy(&message.formatted()).replace("\r\n", "\n");
        let headers = formatted
            .split_once("\n\n")
            .map_or(formatted.as_str(), |(headers, _)| headers);
        let _ = writeln!(text, "{headers}\n");
        // The body as people read it; the header above says how it is encoded on the wire.
        text.push_str(&post.draft.text);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }

    fn deliver<'a>(&'a self, context: &'a Context, post: Post<'a>, policy: Policy) -> Delivery<'a> {
        Box::pin(async move {
            let message = match self.message(&post, context.clock.current()) {
                Ok(message) => message,
                Err(error) => return Delivered::refused(error),
            };
            let wire = match self.wire() {
                Ok(wire) => wire,
                Err(error) => return Delivered::refused(error),
            };
            let message_id = self.message_id(post.key);
            let tried = retry::retrying(policy.attempts, |_| async {
                let stage = Cell::new(Stage::Connect);
                let tried = tokio::time::timeout(
                    policy.timeout,
                    self.try_once(&message, &wire, policy.timeout, &stage),
                )
                .await;
                let failure = match tried {
                    Ok(Ok(())) => return Attempt::Done(()),
                    Ok(Err(failure)) => failure,
                    // Accepted, then the goodbye hung: it arrived.
                    Err(_) if stage.get() == Stage::Sent => return Attempt::Done(()),
                    Err(_) => Failure::Timeout(policy.timeout),
                };
                Attempt::failed(
                    policy.rule,
                    self.failure(failure, stage.get(), &message_id),
                    None,
                )
            })
            .await;
            Delivered {
                result: tried.result.map(|()| remote(&message_id)),
                tries: tried.tries,
                errors: tried.errors,
            }
        })
    }
}

/// The remote id is the `Message-ID`; the URL names the message as RFC 2392 does
/// (`mid:`), for a person to search a mailbox with.
fn remote(message_id: &str) -> Remote {
    Remote {
        id: Some(message_id.to_string()),
        url: Some(format!(
            "mid:{}",
            message_id.trim_start_matches('<').trim_end_matches('>')
        )),
    }
}

/// Describes a lettre error on one line: the reply code and what the server said, or the
/// chain of causes.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    if let Some(code) = error.status() {
        let said = std::error::Error::source(error)
            .map(ToString::to_string)
            .unwrap_or_default();
        return one_line(&format!("{code} {said}"));
    }
    if error.is_timeout() {
        return "timed out".to_string();
    }
    // lettre's own text already ends with its immediate cause; add the deeper ones.
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error).and_then(std::error::Error::source);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    // lettre wraps a TLS failure in two connection errors that say the same.
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split(": ") {
        if parts.last() != Some(&part) {
            parts.push(part);
        }
    }
    one_line(&parts.join(": "))
}

/// Whether a TLS handshake failed (an untrusted certificate, a server that does not speak
/// TLS on this port): trying again will not help. lettre reports these as connection
/// errors, with rustls's error inside an `io::Error` somewhere down the chain.
fn is_tls_failure(error: &lettre::transport::smtp::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        let inner = current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        if current.is::<rustls::Error>() || inner.is_some_and(|inner| inner.is::<rustls::Error>()) {
            return true;
        }
        cause = current.source();
    }
    false
}

/// Collapses whitespace, line breaks included. Long server text is cut when the error is
/// shown, after secrets are scrubbed from all of it.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::publish::Reach;
    use crate::record::Incident;
    use crate::render::Draft;
    use crate::vocab::Channel;

    const CONFIG: &str = r#"
[org]
name = "Acme Photos"
timezone = "UTC"
[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"
[targets.mail]
kind = "email"
host = "127.0.0.1"
port = 2525
tls = "none"
from = "Acme Status <status@acme.example>"
to = ["ops@acme.example", "Customers <list@acme.example>"]
"#;

    fn config() -> Config {
        Config::parse(
            Path::new("incident.toml"),
            CONFIG,
            &crate::publish::targets::kinds(),
        )
        .unwrap()
    }

    /// The publisher of target `mail`, in a dry run (no password needed).
    fn built(config: &Config) -> Email {
        let target = config.target("mail").unwrap();
        Email::new(target, target.settings(), &Secrets::new(true)).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    const OPENED: &str = "01JF0000000000000000000001";
    const UPDATED: &str = "01JF0000000000000000000009";

    /// An incident folded from its log, as the record reads it: opened, its first update
    /// emailed (and posted elsewhere), then a second update.
    fn incident(with_second_update: bool) -> Incident {
        let mut log = vec![format!(
            r#"{{"id":"{OPENED}","at":"2026-11-24T08:00:00Z","author":"Dana","kind":"opened","data":{{"title":"Uploads failing","severity":"sev1","started_at":"2026-11-24T07:55:00Z","update":{{"seq":1,"stage":"acknowledge","status":"investigating","message":"Uploads fail."}}}}}}"#
        )];
        if with_second_update {
            for (n, target, remote_id) in [
                (2, "other", "<unrelated@example>"),
                (
                    4,
                    "mail",
                    "<01jf0000000000000000000001-mail@incident.acme.example>",
                ),
            ] {
                log.push(format!(
                    r#"{{"id":"01JF000000000000000000000{n}","at":"2026-11-24T08:01:00Z","author":"Dana","kind":"publish_started","data":{{"update":"{OPENED}","target":"{target}","action":"create","key":"k-{target}","text_hash":"h"}}}}"#
                ));
                log.push(format!(
                    r#"{{"id":"01JF000000000000000000000{}","at":"2026-11-24T08:01:01Z","author":"Dana","kind":"publish_finished","data":{{"attempt":"01JF000000000000000000000{n}","update":"{OPENED}","target":"{target}","published":true,"tries":1,"remote_id":"{remote_id}"}}}}"#,
                    n + 1
                ));
            }
            log.push(format!(
                r#"{{"id":"{UPDATED}","at":"2026-11-24T08:30:00Z","author":"Dana","kind":"updated","data":{{"seq":2,"stage":"explain","status":"identified","message":"A disk filled up."}}}}"#
            ));
        }
        let text = log.join("\n") + "\n";
        let loaded = crate::record::store::parse_log(Path::new("events.jsonl"), text.as_bytes());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let incident = Incident::fold("k7m2q9p", &loaded.events).unwrap();
        assert_eq!(incident.updates.len(), 1 + usize::from(with_second_update));
        incident
    }

    fn draft(subject: &str, text: &str) -> Draft {
        Draft {
            channel: Channel::Email,
            text: text.to_string(),
            subject: Some(subject.to_string()),
            html: None,
            edited: false,
        }
    }

    fn headers(message: &Message) -> String {
        let formatted = String::from_utf8(message.formatted()).unwrap();
        formatted.split_once("\r\n\r\n").unwrap().0.to_string()
    }

    fn header<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
        headers.split("\r\n").find_map(|line| {
            let (key, value) = line.split_once(": ")?;
            key.eq_ignore_ascii_case(name).then_some(value)
        })
    }

    #[test]
    fn the_first_email_starts_a_thread_and_later_ones_reply_to_it() {
        let config = config();
        let email = built(&config);
        let now = at("2026-11-24T08:05:00Z");

        let first = incident(false);
        let text = draft(
            "[Acme Photos] Investigating: Uploads failing",
            "Uploads fail.",
        );
        let post = Post {
            config: &config,
            incident: &first,
            update: &first.updates[0],
            draft: &text,
            action: PublishAction::Create,
            remote_id: None,
            key: "01jf0000000000000000000001-mail",
        };
        let message = email.message(&post, now).unwrap();
        let shown = headers(&message);
        assert_eq!(
            header(&shown, "Message-ID"),
            Some("<01jf0000000000000000000001-mail@incident.acme.example>"),
            "{shown}"
        );
        assert_eq!(
            header(&shown, "Subject"),
            Some("[Acme Photos] Investigating: Uploads failing")
        );
        assert_eq!(
            header(&shown, "From"),
            Some("\"Acme Status\" <status@acme.example>")
        );
        assert_eq!(
            header(&shown, "To"),
            Some("ops@acme.example, Customers <list@acme.example>")
        );
        assert_eq!(
            header(&shown, "Date"),
            Some("Tue, 24 Nov 2026 08:05:00 +0000")
        );
        assert_eq!(
            header(&shown, "Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(header(&shown, "In-Reply-To"), None);
        assert_eq!(header(&shown, "References"), None);
        let envelope = message.envelope();
        assert_eq!(envelope.from().unwrap().to_string(), "status@acme.example");
        let to: Vec<String> = envelope.to().iter().map(ToString::to_string).collect();
        assert_eq!(to, ["ops@acme.example", "list@acme.example"]);

        // A try of the same publication carries the same Message-ID.
        let again = email.message(&post, at("2026-11-24T08:09:00Z")).unwrap();
        assert_eq!(
            header(&headers(&again), "Message-ID"),
            header(&shown, "Message-ID")
        );

        let root = "<01jf0000000000000000000001-mail@incident.acme.example>";
        let both = incident(true);
        let post = Post {
            incident: &both,
            update: &both.updates[1],
            key: "01jf0000000000000000000009-mail",
            ..post
        };
        let shown = headers(&email.message(&post, now).unwrap());
        assert_eq!(
            header(&shown, "Message-ID"),
            Some("<01jf0000000000000000000009-mail@incident.acme.example>")
        );
        assert_eq!(header(&shown, "In-Reply-To"), Some(root), "{shown}");
        assert_eq!(header(&shown, "References"), Some(root), "{shown}");
    }

    #[test]
    fn a_dry_run_shows_the_envelope_and_message_but_never_the_password() {
        let config = config();
        let mut email = built(&config);
        email.login = Some(Login {
            username: "incident".to_string(),
            password: Secret::placeholder("SMTP_PASSWORD").derive(|_| "hunter2-very-secret".into()),
            variable: "SMTP_PASSWORD".to_string(),
        });
        let only = incident(false);
        let text = draft(
            "[Acme Photos] Investigating: Uploads failing",
            "Uploads fail — for all.",
        );
        let post = Post {
            config: &config,
            incident: &only,
            update: &only.updates[0],
            draft: &text,
            action: PublishAction::Create,
            remote_id: None,
            key: "01jfirst-mail",
        };
        let shown = email.preview(&post, at("2026-11-24T08:05:00Z")).unwrap();
        assert!(!shown.contains("hunter2"), "{shown}");
        for line in [
            "SMTP 127.0.0.1:2525 (no TLS)",
            "AUTH as incident (password from $SMTP_PASSWORD, redacted)",
            "MAIL FROM:<status@acme.example>",
            "RCPT TO:<ops@acme.example>",
            "RCPT TO:<list@acme.example>",
            "Message-ID: <01jfirst-mail@incident.acme.example>",
            "Subject: [Acme Photos] Investigating: Uploads failing",
            "Content-Transfer-Encoding: quoted-printable",
            "Uploads fail — for all.",
        ] {
            assert!(shown.lines().any(|shown| shown == line), "{line}\n{shown}");
        }
    }

    #[test]
    fn message_ids_are_valid_whatever_the_target_is_called() {
        let config = config();
        let email = built(&config);
        assert_eq!(
            email.message_id("01jx-status mail.é"),
            "<01jx-status-mail--@incident.acme.example>"
        );
    }

    #[test]
    fn only_a_silence_after_the_message_stops_the_retries() {
        let config = config();
        let email = built(&config);
        let id = "<01jfirst-mail@incident.acme.example>";
        let timeout = Duration::from_secs(5);
        let error = email.failure(Failure::Timeout(timeout), Stage::Rcpt(0), id);
        assert_eq!(error.reach(), Reach::NeverSent);
        assert_eq!(
            error.to_string(),
            "127.0.0.1:2525: no answer within 5s while giving the recipient <ops@acme.example>"
        );
        let error = email.failure(Failure::Timeout(timeout), Stage::Message, id);
        assert_eq!(error.reach(), Reach::MayHaveArrived);
        assert!(error.to_string().contains(id), "{error}");
        let error = email.failure(Failure::NoStartTls, Stage::StartTls, id);
        assert_eq!(error.reach(), Reach::Refused);
    }
}
