//! The `email` target against a real SMTP server: aiosmtpd, started by `.ci/run` with
//! `shared/scripts/smtp-up.sh`, which exports `SMTP_HOST`, `SMTP_PORT` and `SMTP_MAILDIR`
//! (and `SMTP_USER`/`SMTP_PASSWORD` when it requires a login, `SMTP_TLS` and
//! `SMTP_CA_CERT` when it speaks TLS) and stores every message it accepts as `.eml` plus a
//! `.json` envelope in `SMTP_MAILDIR`.
//!
//! Every test that needs the server is `#[ignore]`d: a plain `cargo test` lists them as
//! ignored; `cargo test -- --include-ignored` runs them, and fails them, saying how to
//! start the server, when it is not running. `.ci/run` starts it and runs them.
//!
//! The mail folder is shared by every test, so each test sends to recipients tagged with
//! its own name and process id, reads back only messages to them, and removes only them.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use base64::Engine as _;

use crate::support::{
    CONFIG, Output, TestEnv, optional_env, output, read, server_env, wait_while_running,
};

/// The SMTP server the environment names.
#[derive(Debug, Clone)]
struct Smtp {
    host: String,
    port: u16,
    maildir: PathBuf,
    /// `none`, `starttls` or `implicit`: what the server speaks, and so what the target says.
    tls: String,
    /// The server's self-signed certificate, trusted through `SSL_CERT_FILE`.
    ca_cert: Option<String>,
    /// The one login the server accepts, when it requires one.
    login: Option<(String, String)>,
}

/// The server the environment names; fails the test, saying how to start one, when none
/// was started.
fn smtp() -> Smtp {
    let [host, port, maildir]: [String; 3] = server_env(
        "SMTP",
        &["SMTP_HOST", "SMTP_PORT", "SMTP_MAILDIR"],
        "eval \"$(../shared/scripts/smtp-up.sh)\"",
    )
    .try_into()
    .unwrap();
    Smtp {
        host,
        port: port.parse().expect("SMTP_PORT is a port number"),
        maildir: PathBuf::from(maildir),
        tls: optional_env("SMTP_TLS").unwrap_or_else(|| "none".to_string()),
        ca_cert: optional_env("SMTP_CA_CERT"),
        login: optional_env("SMTP_USER").zip(optional_env("SMTP_PASSWORD")),
    }
}

/// Recipients only this test (and this run) sends to, and the messages sent to them.
struct Mailbox {
    tag: String,
    maildir: PathBuf,
}

impl Mailbox {
    fn new(smtp: &Smtp, test: &str) -> Mailbox {
        Mailbox {
            tag: format!("{test}-{}", std::process::id()),
            maildir: smtp.maildir.clone(),
        }
    }

    fn ops(&self) -> String {
        format!("{}-ops@acme.example", self.tag)
    }

    fn list(&self) -> String {
        format!("{}-list@acme.example", self.tag)
    }

    /// The stems (`NAME` of `NAME.json` and `NAME.eml`) of messages to this test's
    /// recipients, in arrival order.
    fn stems(&self) -> Vec<PathBuf> {
        stems(&self.maildir, &self.tag)
    }

    /// The messages to this test's recipients, in arrival order.
    fn messages(&self) -> Vec<Mail> {
        self.stems().iter().map(|stem| Mail::read(stem)).collect()
    }
}

impl Drop for Mailbox {
    /// Removes this test's messages, and only them; a failed test leaves them to look at.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        for stem in self.stems() {
            let _ = std::fs::remove_file(stem.with_extension("eml"));
            let _ = std::fs::remove_file(stem.with_extension("json"));
        }
    }
}

/// The stems of the messages in `maildir` to `tag`'s recipients, oldest first.
fn stems(maildir: &Path, tag: &str) -> Vec<PathBuf> {
    // Quoted and whole, so `crash-12` never matches `crash-123`.
    let recipient = format!("\"{tag}-ops@acme.example\"");
    let mut stems: Vec<PathBuf> = std::fs::read_dir(maildir)
        .unwrap()
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter(|path| std::fs::read_to_string(path).is_ok_and(|text| text.contains(&recipient)))
        .map(|path| path.with_extension(""))
        .collect();
    stems.sort();
    stems
}

/// One stored message: its envelope, its headers (unfolded) and its decoded body.
#[derive(Debug)]
struct Mail {
    envelope: serde_json::Value,
    headers: Vec<(String, String)>,
    body: String,
}

impl Mail {
    fn read(stem: &Path) -> Mail {
        let envelope = serde_json::from_str(&read(&stem.with_extension("json"))).unwrap();
        let raw = String::from_utf8(std::fs::read(stem.with_extension("eml")).unwrap())
            .expect("the message is ASCII on the wire");
        let (head, body) = raw.split_once("\r\n\r\n").expect("headers, then a body");
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                headers
                    .last_mut()
                    .expect("a folded line continues a header")
                    .1 += line;
            } else {
                let (name, value) = line.split_once(':').expect("a header line");
                headers.push((name.to_string(), value.trim_start().to_string()));
            }
        }
        let mut mail = Mail {
            envelope,
            headers,
            body: String::new(),
        };
        mail.body = match mail.header("Content-Transfer-Encoding") {
            Some("quoted-printable") => decode_quoted_printable(body),
            Some("base64") => String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(body.replace("\r\n", ""))
                    .unwrap(),
            )
            .unwrap(),
            _ => body.to_string(),
        }
        .replace("\r\n", "\n");
        mail
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(have, _)| have.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn recipients(&self) -> Vec<&str> {
        self.envelope["rcpt_tos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|to| to.as_str().unwrap())
            .collect()
    }
}

fn decode_quoted_printable(text: &str) -> String {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'='
            && let Some(hex) = text.get(index + 1..index + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).unwrap()
}

/// A project with the test config plus `[targets.mail]` sending to `port` (the server's, or
/// a relay's) as `login` (user name and the variable holding the password).
fn project(smtp: &Smtp, port: u16, mailbox: &Mailbox, login: Option<&str>) -> TestEnv {
    let env = TestEnv::new();
    write_config(&env, smtp, port, mailbox, login);
    env
}

fn write_config(env: &TestEnv, smtp: &Smtp, port: u16, mailbox: &Mailbox, login: Option<&str>) {
    let mut target = format!(
        "\n[targets.mail]\nkind = \"email\"\nhost = \"{}\"\nport = {port}\ntls = \"{}\"\nfrom = \"Acme Status <status@acme.example>\"\nto = [\"{}\", \"Customers <{}>\"]\ntimeout = \"30s\"\n",
        smtp.host,
        smtp.tls,
        mailbox.ops(),
        mailbox.list()
    );
    if let Some(user) = login {
        target.push_str(&format!(
            "username = \"{user}\"\npassword_env = \"MAIL_PASSWORD\"\n"
        ));
    }
    env.write("incident.toml", &format!("{CONFIG}{target}"));
}

/// `incident publish ARGS` with the password in `MAIL_PASSWORD` and the server's
/// certificate trusted.
fn publish_command(env: &TestEnv, smtp: &Smtp, password: Option<&str>, args: &[&str]) -> Command {
    let mut command = env.command();
    if let Some(password) = password {
        command.env("MAIL_PASSWORD", password);
    }
    if let Some(ca_cert) = &smtp.ca_cert {
        command.env("SSL_CERT_FILE", ca_cert);
    }
    command.arg("publish").args(args);
    command
}

fn publish(env: &TestEnv, smtp: &Smtp, args: &[&str]) -> Output {
    let password = smtp.login.as_ref().map(|(_, password)| password.as_str());
    output(&mut publish_command(env, smtp, password, args))
}

fn login(smtp: &Smtp) -> Option<&str> {
    smtp.login.as_ref().map(|(user, _)| user.as_str())
}

#[test]
#[ignore = "needs SMTP: run with eval \"$(../shared/scripts/smtp-up.sh)\" and cargo test -- --include-ignored"]
fn two_updates_arrive_as_one_thread() {
    let smtp = smtp();
    let mailbox = Mailbox::new(&smtp, "thread");
    let env = project(&smtp, smtp.port, &mailbox, login(&smtp));
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let out = publish(&env, &smtp, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    env.ok(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A storage node ran out of disk space.",
        "--field",
        "cause=a full disk",
    ]);
    let out = publish(&env, &smtp, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .lines()
            .any(|line| line.starts_with("mail ") && line.contains(" published ")),
        "{out}"
    );

    let messages = mailbox.messages();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    let (first, second) = (&messages[0], &messages[1]);
    let shown = env.show_json(&id);
    for (mail, update) in [(first, 0), (second, 1)] {
        assert_eq!(mail.envelope["mail_from"], "status@acme.example");
        assert_eq!(mail.recipients(), [mailbox.ops(), mailbox.list()]);
        assert_eq!(mail.envelope["tls"], smtp.tls != "none", "{mail:#?}");
        if let Some((user, _)) = &smtp.login {
            assert_eq!(mail.envelope["auth_user"], user.as_str());
        }
        assert_eq!(
            mail.header("From"),
            Some("\"Acme Status\" <status@acme.example>")
        );
        assert_eq!(
            mail.header("To"),
            Some(format!("{}, Customers <{}>", mailbox.ops(), mailbox.list()).as_str())
        );
        assert_eq!(
            mail.header("Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        // The Message-ID comes from the publication's key, and is its remote id.
        let event_id = shown["updates"][update]["event_id"]
            .as_str()
            .unwrap()
            .to_lowercase();
        let message_id = format!("<{event_id}-mail@incident.acme.example>");
        assert_eq!(mail.header("Message-ID"), Some(message_id.as_str()));
        let publications = env.publications_to(&id, update + 1, "mail");
        assert_eq!(publications.len(), 1);
        assert_eq!(publications[0]["remote_id"], message_id.as_str());
        assert_eq!(publications[0]["state"], "published");
    }

    assert_eq!(
        first.header("Subject"),
        Some("[Acme Photos] Investigating: Uploads failing")
    );
    assert!(
        first
            .body
            .starts_with("Investigating: Uploads failing\n\nUploads fail for everyone.\n"),
        "{}",
        first.body
    );
    // The transport's own line ends follow the text.
    assert!(
        first.body.trim_end().ends_with("\n— Acme Photos"),
        "{}",
        first.body
    );
    assert_eq!(first.header("In-Reply-To"), None);
    assert_eq!(first.header("References"), None);

    assert_eq!(
        second.header("Subject"),
        Some("[Acme Photos] Identified: Uploads failing")
    );
    assert!(
        second
            .body
            .contains("A storage node ran out of disk space."),
        "{}",
        second.body
    );
    let root = first.header("Message-ID");
    assert_eq!(second.header("In-Reply-To"), root);
    assert_eq!(second.header("References"), root);

    // Published is published: a re-run sends nothing.
    let out = publish(&env, &smtp, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("already published"), "{out}");
    assert_eq!(mailbox.stems().len(), 2);
}

/// A TCP relay between the tool and the server that passes everything through until the
/// server has stored this test's message, then holds back the server's reply to it — the
/// reply a tool waits for after the end of DATA — as a server or network that goes silent
/// at the worst moment would. Works the same over TLS, which it never looks into.
struct Relay {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Relay {
    fn start(smtp: &Smtp, mailbox: &Mailbox) -> Relay {
        let listener = TcpListener::bind((smtp.host.as_str(), 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let server = (smtp.host.clone(), smtp.port);
        let (maildir, tag) = (mailbox.maildir.clone(), mailbox.tag.clone());
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            let (mut client, _) = listener.accept().unwrap();
            let mut upstream = TcpStream::connect(&server).unwrap();
            let (mut client_in, mut upstream_out) =
                (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut client_in, &mut upstream_out);
            });
            let mut buffer = [0; 8192];
            while let Ok(read) = upstream.read(&mut buffer) {
                // The server stores the message before it replies, so the reply that
                // finds it stored is the one to hold back.
                if read == 0 || !stems(&maildir, &tag).is_empty() {
                    break;
                }
                if client.write_all(&buffer[..read]).is_err() {
                    break;
                }
            }
            // Keep the tool's connection open and silent until the test is done.
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = client.shutdown(Shutdown::Both);
            let _ = upstream.shutdown(Shutdown::Both);
        });
        Relay { port, stop }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[test]
#[ignore = "needs SMTP: run with eval \"$(../shared/scripts/smtp-up.sh)\" and cargo test -- --include-ignored"]
fn a_resend_after_a_crash_carries_the_same_message_id() {
    let smtp = smtp();
    let mailbox = Mailbox::new(&smtp, "crash");
    let relay = Relay::start(&smtp, &mailbox);
    let env = project(&smtp, relay.port, &mailbox, login(&smtp));
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );

    // The server takes the message; its answer never comes back; the tool is killed while
    // it waits, so the record says the try started and never says how it ended.
    let password = smtp.login.as_ref().map(|(_, password)| password.as_str());
    let mut child = publish_command(&env, &smtp, password, &[&id, "--yes", "--target", "mail"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stored = wait_while_running(&mut child, || !mailbox.stems().is_empty());
    assert!(
        stored,
        "the publisher ended before the server stored the message"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    drop(relay);
    let publications = env.publications_to(&id, 1, "mail");
    assert_eq!(publications.len(), 1, "{publications:#?}");
    assert_eq!(publications[0]["state"], "in_flight", "{publications:#?}");

    // SMTP cannot say whether it arrived, so a plain re-run stops and says so.
    write_config(&env, &smtp, smtp.port, &mailbox, login(&smtp));
    let out = publish(&env, &smtp, &[&id, "--yes"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("uncertain"), "{out}");
    assert!(out.stdout.contains("--target mail --resend"), "{out}");
    assert_eq!(mailbox.stems().len(), 1, "nothing is sent on a guess");

    // A person resends: the copy carries the same Message-ID, so a receiver can drop it.
    let out = publish(&env, &smtp, &[&id, "--yes", "--target", "mail", "--resend"]);
    assert_eq!(out.code, 0, "{out}");
    let messages = mailbox.messages();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    let first = messages[0].header("Message-ID").unwrap();
    assert_eq!(messages[1].header("Message-ID"), Some(first));
    let publications = env.publications_to(&id, 1, "mail");
    assert_eq!(publications.last().unwrap()["state"], "published");
    assert_eq!(publications.last().unwrap()["remote_id"], first);
}

#[test]
#[ignore = "needs SMTP with a login: run with SMTP_USER=u SMTP_PASSWORD=p eval \"$(../shared/scripts/smtp-up.sh)\" and cargo test -- --include-ignored"]
fn a_wrong_password_is_a_clear_recorded_failure_that_never_shows_it() {
    let smtp = smtp();
    let Some((user, _)) = &smtp.login else {
        panic!(
            "this test needs an SMTP server that requires a login: export SMTP_USER and \
             SMTP_PASSWORD before eval \"$(../shared/scripts/smtp-up.sh)\" (`bash .ci/run` does)"
        );
    };
    let mailbox = Mailbox::new(&smtp, "badpass");
    let env = project(&smtp, smtp.port, &mailbox, Some(user));
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let wrong = format!("not-the-password-{}", std::process::id());
    let out = output(&mut publish_command(
        &env,
        &smtp,
        Some(&wrong),
        &[&id, "--yes"],
    ));
    assert_eq!(out.code, 3, "{out}");
    let expected = format!(
        "{}:{} refused the login as `{user}`: 535 ",
        smtp.host, smtp.port
    );
    let line = out
        .stdout
        .lines()
        .find(|line| line.starts_with("mail "))
        .unwrap_or_default();
    assert!(line.contains(" failed "), "{out}");
    assert!(line.contains(&expected), "{out}");
    // Not in the output, nor in any file of the project (the record above all).
    env.assert_no_secret(&out, &[&wrong]);

    let publications = env.publications_to(&id, 1, "mail");
    assert_eq!(publications.len(), 1, "{publications:#?}");
    assert_eq!(publications[0]["state"], "failed");
    assert_eq!(
        publications[0]["tries"], 1,
        "a refused login is not retried"
    );
    let error = publications[0]["error"].as_str().unwrap();
    assert!(error.starts_with(&expected), "{error}");
    assert!(!error.contains('\n'), "{error}");
    assert!(mailbox.stems().is_empty(), "nothing was sent");

    // With the right password the next run retries it, and it goes through.
    let out = publish(&env, &smtp, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(mailbox.stems().len(), 1);
}

#[test]
fn a_dry_run_shows_envelope_and_message_without_the_password() {
    // Needs no server: nothing is sent.
    let env = TestEnv::with_config(
        "[targets.mail]\nkind = \"email\"\nhost = \"smtp.acme.example\"\nusername = \"status@acme.example\"\npassword_env = \"MAIL_PASSWORD\"\nfrom = \"Acme Status <status@acme.example>\"\nto = [\"customers@lists.acme.example\"]\n",
    );
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let mut command = env.command();
    command
        .env("MAIL_PASSWORD", "correct-horse-battery-staple")
        .args(["publish", &id, "--dry-run", "--target", "mail"]);
    let out = output(&mut command);
    assert_eq!(out.code, 0, "{out}");
    env.assert_no_secret(&out, &["correct-horse-battery-staple"]);
    let event_id = env.show_json(&id)["updates"][0]["event_id"]
        .as_str()
        .unwrap()
        .to_lowercase();
    for line in [
        "SMTP smtp.acme.example:587 (STARTTLS required)",
        "AUTH as status@acme.example (password from $MAIL_PASSWORD, redacted)",
        "MAIL FROM:<status@acme.example>",
        "RCPT TO:<customers@lists.acme.example>",
        "DATA",
        "From: \"Acme Status\" <status@acme.example>",
        "To: customers@lists.acme.example",
        "Subject: [Acme Photos] Investigating: Uploads failing",
        &format!("Message-ID: <{event_id}-mail@incident.acme.example>"),
        "Uploads fail for everyone.",
        "Dry run: nothing was sent.",
    ] {
        assert!(
            out.stdout.lines().any(|shown| shown == line),
            "{line}\n{out}"
        );
    }
}

#[test]
#[ignore = "needs SMTP: run with eval \"$(../shared/scripts/smtp-up.sh)\" and cargo test -- --include-ignored"]
fn a_correction_is_a_reply_in_the_incident_thread() {
    let smtp = smtp();
    let mailbox = Mailbox::new(&smtp, "correction");
    let env = project(&smtp, smtp.port, &mailbox, login(&smtp));
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail since 07:50 UTC."],
    );
    assert_eq!(publish(&env, &smtp, &[&id, "--yes"]).code, 0);
    env.ok(&[
        "correct",
        &id,
        "--update",
        "1",
        "--message",
        "Uploads fail since 07:30 UTC.",
    ]);
    let out = publish(&env, &smtp, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    // A rerun sends nothing.
    assert_eq!(publish(&env, &smtp, &[&id, "--yes"]).code, 0);

    let messages = mailbox.messages();
    assert_eq!(
        messages.len(),
        2,
        "one mail, then one correction: {messages:#?}"
    );
    let root = messages[0].header("Message-ID").unwrap().to_string();
    let correction = &messages[1];
    assert_eq!(correction.header("In-Reply-To"), Some(root.as_str()));
    assert_eq!(correction.header("References"), Some(root.as_str()));
    assert!(
        correction
            .body
            .contains("Correction to our update of 2026-11-24 03:00 EST (08:00 UTC): Uploads fail since 07:30 UTC."),
        "{}",
        correction.body
    );
}
