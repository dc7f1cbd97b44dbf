//! `publish` against a local wiremock server that speaks each target's protocol: the exact
//! requests, Standard Webhooks signatures, retries, timeouts, edits in place, and secrets
//! that never show. Every publish runs through [`publish`], which fails the test if a secret
//! appears in the output or anywhere in the project folder.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::support::{
    self, LocalServer, Output, TestEnv, json_body, output, pairs, publish_states,
    wait_while_running,
};

// Where each target's webhook lives on the local server. The chat webhooks carry their
// credential in the URL, as the real ones do; every secret holds the marker `s3cr3t`.
const SLACK: &str = "/slack/services/T0001/B0001/s3cr3t-slack-token";
const DISCORD: &str = "/discord/api/webhooks/1234/s3cr3t-discord-token";
const TEAMS: &str = "/teams/workflows/a1b2/triggers/manual/paths/invoke";
const TEAMS_QUERY: &str = "api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sig=s3cr3t-teams-sig";
const MATTERMOST: &str = "/mattermost/hooks/s3cr3t-mattermost-key";
/// The generic webhook's URL is not secret; its signing secret is.
const HOOK: &str = "/hook";
/// base64 of "incident-test s3cr3t signing key".
const WHSEC: &str = "whsec_aW5jaWRlbnQtdGVzdCBzM2NyM3Qgc2lnbmluZyBrZXk=";
const MARKER: &str = "s3cr3t";

/// The id Discord gives the posted message.
const MESSAGE_ID: &str = "1310000000000000001";

const SLACK_TARGET: &str = "[targets.slack]\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\n";
const DISCORD_TARGET: &str = "[targets.discord]\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\n";
const TEAMS_TARGET: &str = "[targets.teams]\nkind = \"teams\"\nurl_env = \"TEAMS_URL\"\n";
const MATTERMOST_TARGET: &str =
    "[targets.mattermost]\nkind = \"mattermost\"\nurl_env = \"MATTERMOST_URL\"\n";
/// `{uri}` stands for the local server.
const HOOK_TARGET: &str =
    "[targets.hook]\nkind = \"webhook\"\nurl = \"{uri}/hook\"\nsecret_env = \"HOOK_SECRET\"\n";

/// What each secret environment variable holds, with `server` standing in for every target.
fn secrets(server: &LocalServer) -> Vec<(&'static str, String)> {
    let uri = server.uri();
    vec![
        ("SLACK_URL", format!("{uri}{SLACK}")),
        ("DISCORD_URL", format!("{uri}{DISCORD}")),
        ("TEAMS_URL", format!("{uri}{TEAMS}?{TEAMS_QUERY}")),
        ("MATTERMOST_URL", format!("{uri}{MATTERMOST}")),
        ("HOOK_SECRET", WHSEC.to_string()),
    ]
}

fn secret(server: &LocalServer, variable: &str) -> String {
    secrets(server)
        .into_iter()
        .find(|(name, _)| *name == variable)
        .unwrap()
        .1
}

/// Answers the usual success of each chat target and of the generic webhook.
fn answer_all_ok(server: &LocalServer) {
    server.answer(SLACK, ok_text());
    server.answer(DISCORD, discord_message("posted"));
    server.answer(TEAMS, ResponseTemplate::new(202));
    server.answer(MATTERMOST, ok_text());
    server.answer(HOOK, ResponseTemplate::new(200));
}

/// Answers each request with the next of its replies (the last one repeats).
#[derive(Clone)]
struct Script {
    replies: Arc<Vec<ResponseTemplate>>,
    answered: Arc<AtomicUsize>,
}

impl Script {
    fn new(replies: Vec<ResponseTemplate>) -> Script {
        Script {
            replies: Arc::new(replies),
            answered: Arc::default(),
        }
    }
}

impl Respond for Script {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let index = self.answered.fetch_add(1, Ordering::SeqCst);
        self.replies[index.min(self.replies.len() - 1)].clone()
    }
}

fn ok_text() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string("ok")
}

/// Discord's answer to an execute with `wait=true` or to an edit: the message object.
fn discord_message(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": MESSAGE_ID,
        "type": 0,
        "content": content,
        "channel_id": "1300000000000000002",
        "author": {"bot": true, "id": "1234", "username": "Status", "discriminator": "0000"},
        "attachments": [],
        "embeds": [],
        "mentions": [],
        "mention_roles": [],
        "pinned": false,
        "mention_everyone": false,
        "tts": false,
        "timestamp": "2026-11-24T08:01:00.000000+00:00",
        "edited_timestamp": null,
        "flags": 0,
        "webhook_id": "1234"
    }))
}

/// Returns a project whose `incident.toml` adds `targets` (with `{uri}` standing for the
/// server) to the shared config, and the id of an incident opened in it.
fn project(server: &LocalServer, targets: &str) -> (TestEnv, String) {
    let env = TestEnv::with_config(&targets.replace("{uri}", &server.uri()));
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for some people."],
    );
    (env, id)
}

/// `incident publish ARGS` with every target's secret in its environment.
fn publish_command(env: &TestEnv, server: &LocalServer, args: &[&str]) -> Command {
    let mut command = env.command();
    command.envs(secrets(server)).arg("publish").args(args);
    command
}

/// Runs `incident publish ARGS` with every secret set, and fails the test if any secret
/// shows in its output or in any file of the project (the record above all).
fn publish(env: &TestEnv, server: &LocalServer, args: &[&str]) -> Output {
    let out = output(&mut publish_command(env, server, args));
    assert_no_secret(env, server, &out);
    out
}

fn assert_no_secret(env: &TestEnv, server: &LocalServer, out: &Output) {
    let mut secrets: Vec<String> = secrets(server)
        .into_iter()
        .map(|(_, value)| value)
        .collect();
    secrets.push(MARKER.to_string());
    secrets.push(WHSEC.trim_start_matches("whsec_").to_string());
    env.assert_no_secret(out, &secrets);
}

/// The target of each request the server saw, in the order it saw them: the first part of
/// its path (`/slack/…` is `slack`).
fn targets_seen(server: &LocalServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|request| request.url.path().split('/').nth(1).unwrap().to_string())
        .collect()
}

/// The header `name` of `request`, which it must have.
fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    support::header(request, name).unwrap_or_else(|| panic!("no `{name}` header"))
}

/// The chat draft of update 1 (the only one here), as `render` shows it and the targets
/// send it.
fn chat_text(env: &TestEnv, id: &str) -> String {
    env.draft(id, 1, "chat")["text"]
        .as_str()
        .unwrap()
        .trim_end()
        .to_string()
}

// ---------------------------------------------------------------------------------------
// Standard Webhooks, verified the way a receiver would, written from the spec.

/// Whether `signatures` (the `webhook-signature` header: space-separated `v1,<base64>`)
/// holds the HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the base64-decoded part
/// of the `whsec_` secret.
fn signature_is_valid(
    secret: &str,
    id: &str,
    timestamp: &str,
    body: &[u8],
    signatures: &str,
) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    signatures
        .split(' ')
        .any(|signature| signature.strip_prefix("v1,") == Some(expected.as_str()))
}

fn request_is_signed(secret: &str, request: &Request) -> bool {
    signature_is_valid(
        secret,
        header(request, "webhook-id"),
        header(request, "webhook-timestamp"),
        &request.body,
        header(request, "webhook-signature"),
    )
}

#[test]
fn the_receiver_checks_the_spec_test_vector() {
    let secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let id = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    let body = br#"{"email":"test@example.com","username":"test_user"}"#;
    let signature = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";
    assert!(signature_is_valid(
        secret,
        id,
        "1649367553",
        body,
        signature
    ));
    // One of several signatures (secret rotation) is enough.
    assert!(signature_is_valid(
        secret,
        id,
        "1649367553",
        body,
        &format!("v1,AAAA {signature}")
    ));
    let tampered = br#"{"email":"test@example.com","username":"test_usr"}"#;
    assert!(!signature_is_valid(
        secret,
        id,
        "1649367553",
        tampered,
        signature
    ));
    assert!(!signature_is_valid(
        secret,
        id,
        "1649367554",
        body,
        signature
    ));
}

#[test]
fn the_webhook_is_signed_and_keeps_its_id_across_retries() {
    let server = LocalServer::start();
    let script = Script::new(vec![
        ResponseTemplate::new(500),
        ResponseTemplate::new(503),
        ResponseTemplate::new(200),
    ]);
    server.answer(HOOK, script.clone());
    let (env, id) = project(&server, &format!("{HOOK_TARGET}attempts = 2\n"));

    // Two tries, both failing: recorded as failed, exit 3.
    let out = publish(&env, &server, &[&id, "--yes", "--target", "hook"]);
    assert_eq!(out.code, 3, "{out}");
    let failed = env.publications_to(&id, 1, "hook");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["state"], "failed");
    assert_eq!(failed[0]["tries"], 2);
    assert_eq!(failed[0]["error"], "HTTP 503 Service Unavailable");

    // The next publish retries it, and the server takes it.
    let out = publish(&env, &server, &[&id, "--yes", "--target", "hook"]);
    assert_eq!(out.code, 0, "{out}");
    let records = env.publications_to(&id, 1, "hook");
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["state"], "published");

    let requests = server.requests_to(HOOK);
    assert_eq!(requests.len(), 3);
    let key = records[0]["key"].as_str().unwrap();
    assert_eq!(records[1]["key"], key, "a retry carries the same key");
    for request in &requests {
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(header(request, "content-type"), "application/json");
        // The same id on every try, so the receiver can drop duplicates.
        assert_eq!(header(request, "webhook-id"), key);
        assert!(!key.contains('.'), "ids may not hold `.`: {key}");
        assert!(header(request, "webhook-timestamp").parse::<i64>().is_ok());
        assert!(
            request_is_signed(WHSEC, request),
            "bad signature: {:?}",
            request.headers
        );
    }
    // The timestamp is that of each try; the pinned clock moved between the two commands.
    let second: i64 = header(&requests[1], "webhook-timestamp").parse().unwrap();
    let third: i64 = header(&requests[2], "webhook-timestamp").parse().unwrap();
    assert!(third > second, "{second} {third}");

    // The receiver can fail: a changed body, timestamp or secret does not verify.
    let mut tampered = requests[2].clone();
    tampered.body = String::from_utf8(tampered.body)
        .unwrap()
        .replace("Uploads fail", "Uploads work")
        .into_bytes();
    assert_ne!(tampered.body, requests[2].body);
    assert!(!request_is_signed(WHSEC, &tampered));
    assert!(!signature_is_valid(
        WHSEC,
        key,
        &(third + 1).to_string(),
        &requests[2].body,
        header(&requests[2], "webhook-signature")
    ));
    assert!(!request_is_signed(
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        &requests[2]
    ));

    // The body is the documented event.
    let event = json_body(&requests[2]);
    assert_eq!(event["type"], "incident.opened");
    assert_eq!(event["timestamp"], "2026-11-24T08:00:00Z");
    assert_eq!(event["data"]["incident"]["id"], id.as_str());
    assert_eq!(event["data"]["incident"]["title"], "Uploads failing");
    assert_eq!(event["data"]["incident"]["status"], "investigating");
    assert_eq!(event["data"]["update"]["seq"], 1);
    assert_eq!(event["data"]["update"]["stage"], "acknowledge");
    assert_eq!(
        event["data"]["update"]["message"],
        "Uploads fail for some people."
    );
    assert_eq!(event["data"]["channel"], "status");
    assert_eq!(event["data"]["org"]["name"], "Acme Photos");
    assert_eq!(event["data"]["text"], env.draft(&id, 1, "status")["text"]);
    assert_eq!(
        json_body(&requests[0]),
        event,
        "every try sends the same body"
    );
}

// ---------------------------------------------------------------------------------------
// The chat targets' requests.

#[test]
fn each_chat_target_gets_its_own_protocol() {
    let server = LocalServer::start();
    answer_all_ok(&server);
    let (env, id) = project(
        &server,
        &[
            SLACK_TARGET,
            DISCORD_TARGET,
            TEAMS_TARGET,
            MATTERMOST_TARGET,
        ]
        .join("\n"),
    );
    let text = chat_text(&env, &id);

    let out = publish(&env, &server, &[&id, "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        publish_states(&out),
        pairs(&[
            ("discord", "published"),
            ("local", "published"),
            ("mattermost", "published"),
            ("slack", "published"),
            ("teams", "published"),
        ])
    );
    assert_eq!(server.requests().len(), 4, "one request per chat target");

    let only = |prefix: &str| {
        let requests = server.requests_to(prefix);
        assert_eq!(requests.len(), 1, "{prefix}");
        let request = requests.into_iter().next().unwrap();
        assert_eq!(request.method.as_str(), "POST", "{prefix}");
        assert_eq!(
            header(&request, "content-type"),
            "application/json",
            "{prefix}"
        );
        assert!(request.headers.get("authorization").is_none(), "{prefix}");
        request
    };

    // Slack: `text` (the notification fallback) and Block Kit sections of mrkdwn, where
    // bold is `*x*` rather than Markdown's `**x**`.
    let slack = only("/slack/");
    assert_eq!(slack.url.path(), SLACK);
    assert_eq!(slack.url.query(), None);
    let mrkdwn = text.replace("**", "*");
    assert_eq!(
        json_body(&slack),
        json!({
            "text": mrkdwn,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}],
        })
    );

    // Discord: `wait=true` to get the message back, and no pings from typed text.
    let discord = only("/discord/");
    assert_eq!(discord.url.path(), DISCORD);
    assert_eq!(discord.url.query(), Some("wait=true"));
    assert_eq!(
        json_body(&discord),
        json!({"content": text, "allowed_mentions": {"parse": []}})
    );

    // Teams (Workflows): an Adaptive Card 1.4 in a `message`; the URL's query is kept.
    // A TextBlock joins lines into one paragraph, so each line is its own (issue 12).
    let paragraphs = text
        .lines()
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let teams = only("/teams/");
    assert_eq!(teams.url.path(), TEAMS);
    assert_eq!(teams.url.query(), Some(TEAMS_QUERY));
    assert_eq!(
        json_body(&teams),
        json!({
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": null,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {"type": "TextBlock", "text": "Investigating: Uploads failing",
                         "weight": "Bolder", "size": "Medium", "wrap": true},
                        {"type": "TextBlock", "text": paragraphs, "wrap": true},
                        {"type": "FactSet", "facts": [
                            {"title": "Status", "value": "investigating"},
                            {"title": "Severity", "value": "sev2"},
                            {"title": "Next update", "value": "2026-11-24 04:00 EST (09:00 UTC)"},
                        ]},
                    ],
                    "actions": [{"type": "Action.OpenUrl", "title": "Status page",
                                 "url": "https://status.acme.example"}],
                },
            }],
        })
    );

    // Mattermost: Markdown `text`.
    let mattermost = only("/mattermost/");
    assert_eq!(mattermost.url.path(), MATTERMOST);
    assert_eq!(json_body(&mattermost), json!({"text": text}));

    // The record: Discord's message id is kept for edits; the others give none.
    let discord = env.publications_to(&id, 1, "discord");
    assert_eq!(discord.len(), 1);
    assert_eq!(discord[0]["state"], "published");
    assert_eq!(discord[0]["tries"], 1);
    assert_eq!(discord[0]["remote_id"], MESSAGE_ID);
    for target in ["slack", "teams", "mattermost"] {
        let records = env.publications_to(&id, 1, target);
        assert_eq!(records.len(), 1, "{target}");
        assert_eq!(records[0]["state"], "published", "{target}");
        assert_eq!(records[0]["remote_id"], Value::Null, "{target}");
    }

    // Published once: publishing again sends nothing.
    let out = publish(&env, &server, &[&id, "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        publish_states(&out)
            .iter()
            .all(|(_, state)| state == "already published"),
        "{out}"
    );
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_dry_run_prints_the_exact_requests_and_sends_nothing() {
    let server = LocalServer::start();
    answer_all_ok(&server);
    let (env, id) = project(
        &server,
        &[
            SLACK_TARGET,
            DISCORD_TARGET,
            TEAMS_TARGET,
            MATTERMOST_TARGET,
            HOOK_TARGET,
        ]
        .join("\n"),
    );
    let text = chat_text(&env, &id);

    let out = publish(&env, &server, &[&id, "--dry-run"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(server.requests().is_empty(), "a dry run sent a request");
    assert!(
        out.stdout.ends_with("Dry run: nothing was sent.\n"),
        "{out}"
    );
    let mrkdwn = text.replace("**", "*");
    let slack_body = json!({
        "text": mrkdwn,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}],
    });
    assert!(
        out.stdout.contains("── slack (slack, chat): will post ─"),
        "{out}"
    );
    assert!(
        out.stdout.contains(&format!(
            "POST $SLACK_URL\ncontent-type: application/json\n\n{slack_body}\n"
        )),
        "{out}"
    );
    for line in [
        "POST $DISCORD_URL?wait=true\ncontent-type: application/json\n",
        "POST $TEAMS_URL\ncontent-type: application/json\n",
        "POST $MATTERMOST_URL\ncontent-type: application/json\n",
        "webhook-signature: [redacted]\n",
    ] {
        assert!(out.stdout.contains(line), "no {line:?} in\n{out}");
    }
    assert!(
        out.stdout.contains(&format!(
            "POST {}/hook\ncontent-type: application/json\nwebhook-id: ",
            server.uri()
        )),
        "{out}"
    );

    // `--json` gives each request, which is exactly what a real publish then sends.
    let out = publish(&env, &server, &[&id, "--dry-run", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    let previews: Vec<(String, String)> = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            assert_eq!(row["state"], "will post", "{row}");
            (
                row["target"].as_str().unwrap().to_string(),
                row["request"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(server.requests().is_empty(), "a dry run sent a request");
    assert!(env.event_kinds(&id).iter().all(|kind| kind == "opened"));

    // Without the secrets a dry run still shows the requests, by variable name, unsigned.
    let out = output(env.command().args(["publish", &id, "--dry-run"]));
    assert_eq!(out.code, 0, "{out}");
    assert_no_secret(&env, &server, &out);
    assert!(out.stdout.contains("POST $SLACK_URL\n"), "{out}");
    assert!(!out.stdout.contains("webhook-signature"), "{out}");
    assert!(server.requests().is_empty(), "a dry run sent a request");

    let out = publish(&env, &server, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    for (target, preview) in previews {
        let prefix = match target.as_str() {
            "slack" => "/slack/",
            "discord" => "/discord/",
            "teams" => "/teams/",
            "mattermost" => "/mattermost/",
            "hook" => HOOK,
            _ => continue,
        };
        let sent = server.requests_to(prefix);
        assert_eq!(sent.len(), 1, "{target}");
        let (head, shown_body) = preview.split_once("\n\n").unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(shown_body).unwrap(),
            json_body(&sent[0]),
            "{target}"
        );
        assert!(
            head.starts_with(&format!("{} ", sent[0].method)),
            "{target}: {head}"
        );
    }

    let out = publish(&env, &server, &[&id, "--dry-run"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout.matches(": already published ─").count(),
        6,
        "{out}"
    );
}

#[test]
fn without_a_terminal_publish_needs_yes() {
    let server = LocalServer::start();
    answer_all_ok(&server);
    let (env, id) = project(&server, SLACK_TARGET);

    let out = publish(&env, &server, &[&id]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("`--yes`"), "{out}");
    assert!(server.requests().is_empty());
    assert_eq!(env.event_kinds(&id), ["opened"], "nothing was recorded");

    let out = publish(&env, &server, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(server.requests_to("/slack/").len(), 1);
    assert_eq!(
        env.publications_to(&id, 1, "slack")[0]["state"],
        "published"
    );
}

// ---------------------------------------------------------------------------------------
// Faults.

#[test]
fn server_errors_are_retried_until_one_post_gets_through() {
    let server = LocalServer::start();
    let script = Script::new(vec![
        ResponseTemplate::new(500).set_body_string("rollup_error"),
        ResponseTemplate::new(502),
        ok_text(),
    ]);
    server.answer(SLACK, script.clone());
    let (env, id) = project(&server, SLACK_TARGET);

    let out = publish(&env, &server, &[&id, "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        publish_states(&out),
        pairs(&[("local", "published"), ("slack", "published")])
    );
    assert_eq!(server.requests_to("/slack/").len(), 3);
    let records = env.publications_to(&id, 1, "slack");
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["state"], "published");
    assert_eq!(records[0]["tries"], 3);
    assert_eq!(records[0]["error"], serde_json::Value::Null, "{records:?}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["targets"][1]["tries"], 3);
}

#[test]
fn the_wait_a_server_asks_for_is_honoured() {
    let server = LocalServer::start();
    // Teams: a 503 that asks for nothing, so the tool's own first backoff (0.25–0.5 s).
    let teams = Script::new(vec![ResponseTemplate::new(503), ResponseTemplate::new(202)]);
    // Slack: 429 with `Retry-After` in seconds.
    let slack = Script::new(vec![
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        ok_text(),
    ]);
    // Discord: the wait in the JSON body only.
    let discord = Script::new(vec![
        ResponseTemplate::new(429).set_body_json(json!({
            "message": "You are being rate limited.",
            "retry_after": 2.0,
            "global": false
        })),
        discord_message("posted"),
    ]);
    // Mattermost: 503 with `Retry-After` as an HTTP date, three seconds after the (pinned)
    // now.
    let mattermost = Script::new(vec![
        ResponseTemplate::new(503).insert_header("retry-after", "Tue, 24 Nov 2026 12:00:03 GMT"),
        ok_text(),
    ]);
    server.answer(TEAMS, teams);
    server.answer(SLACK, slack);
    server.answer(DISCORD, discord);
    server.answer(MATTERMOST, mattermost);
    let (env, id) = project(
        &server,
        &[
            TEAMS_TARGET,
            SLACK_TARGET,
            DISCORD_TARGET,
            MATTERMOST_TARGET,
        ]
        .join("\n"),
    );

    let out = output(
        publish_command(&env, &server, &[&id, "--yes"]).env("INCIDENT_NOW", "2026-11-24T12:00:00Z"),
    );
    assert_no_secret(&env, &server, &out);
    assert_eq!(out.code, 0, "{out}");
    // What the server saw, in the order it saw it: no clock is read. The waits ran side by
    // side: every first try came before any second one (one target after the other, Slack
    // would have tried twice before Discord tried once). And each retry came after the
    // wait it was asked for: the one that was asked for nothing first, then 1 s, 2 s, 3 s.
    let seen = targets_seen(&server);
    let mut firsts = seen[..4].to_vec();
    firsts.sort_unstable();
    assert_eq!(
        firsts,
        ["discord", "mattermost", "slack", "teams"],
        "{seen:?}"
    );
    assert_eq!(
        seen[4..],
        ["teams", "slack", "discord", "mattermost"],
        "{seen:?}"
    );
    for target in ["teams", "slack", "discord", "mattermost"] {
        let records = env.publications_to(&id, 1, target);
        assert_eq!(records.len(), 1, "{target}");
        assert_eq!(records[0]["state"], "published", "{target}");
        assert_eq!(records[0]["tries"], 2, "{target}");
    }
}

#[test]
fn a_client_error_is_not_retried_and_what_the_server_said_is_recorded() {
    let server = LocalServer::start();
    server.answer(
        SLACK,
        ResponseTemplate::new(400).set_body_string("invalid_payload"),
    );
    // A server that echoes the secret URL back, or just its token: the record must keep
    // neither.
    let echo = format!(
        "Invalid Form Body for {} (token s3cr3t-discord-token)",
        secret(&server, "DISCORD_URL")
    );
    server.answer(
        DISCORD,
        ResponseTemplate::new(400).set_body_json(json!({"code": 50035, "message": echo})),
    );
    let (env, id) = project(&server, &[SLACK_TARGET, DISCORD_TARGET].join("\n"));

    let out = publish(&env, &server, &[&id, "--yes"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr
            .contains("2 of 3 targets did not get update 1: discord, slack"),
        "{out}"
    );
    assert!(out.stdout.contains("invalid_payload"), "{out}");
    assert_eq!(
        server.requests_to("/slack/").len(),
        1,
        "a 400 is not retried"
    );
    assert_eq!(
        server.requests_to("/discord/").len(),
        1,
        "a 400 is not retried"
    );

    let slack = env.publications_to(&id, 1, "slack");
    assert_eq!(slack.len(), 1);
    assert_eq!(slack[0]["state"], "failed");
    assert_eq!(slack[0]["tries"], 1);
    assert_eq!(slack[0]["error"], "HTTP 400 Bad Request: invalid_payload");
    let discord = env.publications_to(&id, 1, "discord");
    assert_eq!(discord[0]["state"], "failed");
    assert_eq!(
        discord[0]["error"],
        "HTTP 400 Bad Request: Invalid Form Body for **** (token ****)"
    );
    // The local target was not held back by the failures.
    assert_eq!(
        env.publications_to(&id, 1, "local")[0]["state"],
        "published"
    );
}

#[test]
fn a_dead_target_times_out_without_holding_up_the_others_and_is_retried_alone() {
    let server = LocalServer::start();
    server.answer(SLACK, ok_text());
    // The webhook never answers within the target's timeout, twice; later it is back. It
    // is keyed (its `webhook-id` lets the receiver drop a repeat), so a try that may have
    // arrived is tried again; a blind kind would be uncertain instead (see
    // `publish_faults`).
    server.mount(
        Mock::given(method("POST"))
            .and(path(HOOK))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
            .up_to_n_times(2),
    );
    server.answer(HOOK, ResponseTemplate::new(200));
    // The webhook first, so a tool that went through the targets one by one would reach
    // Slack only after both of the webhook's tries.
    let (env, id) = project(
        &server,
        &format!("{HOOK_TARGET}timeout = \"1s\"\nattempts = 2\n\n{SLACK_TARGET}"),
    );

    let mut child = publish_command(&env, &server, &[&id, "--yes", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Slack's result reaches the record while the webhook is still waiting for its answer.
    let slack_done = wait_while_running(&mut child, || env.finished(&id, "slack"));
    assert!(slack_done, "slack's result was never recorded");
    assert!(
        !env.finished(&id, "hook"),
        "the webhook finished before slack was recorded"
    );
    let out = Output::from(child.wait_with_output().unwrap());
    assert_no_secret(&env, &server, &out);
    assert_eq!(out.code, 3, "{out}");
    // The server saw Slack's one post before the webhook's second try.
    let seen = targets_seen(&server);
    let slack_at = seen.iter().position(|name| name == "slack").unwrap();
    let hook_again = seen.iter().rposition(|name| name == "hook").unwrap();
    assert!(slack_at < hook_again, "{seen:?}");
    assert_eq!(
        publish_states(&out),
        pairs(&[
            ("hook", "failed"),
            ("local", "published"),
            ("slack", "published"),
        ])
    );
    let hook = env.publications_to(&id, 1, "hook");
    assert_eq!(hook[0]["state"], "failed");
    assert_eq!(hook[0]["tries"], 2);
    assert_eq!(hook[0]["error"], "no answer within 1s");
    assert_eq!(
        env.publications_to(&id, 1, "slack")[0]["state"],
        "published"
    );
    assert_eq!(server.requests_to(HOOK).len(), 2);

    // The next publish retries the webhook only, with the same key.
    let out = publish(&env, &server, &[&id, "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        publish_states(&out),
        pairs(&[
            ("hook", "published"),
            ("local", "already published"),
            ("slack", "already published"),
        ])
    );
    assert_eq!(
        server.requests_to("/slack/").len(),
        1,
        "slack got a second post"
    );
    assert_eq!(server.requests_to(HOOK).len(), 3);
    let hook = env.publications_to(&id, 1, "hook");
    assert_eq!(hook.len(), 2);
    assert_eq!(hook[1]["state"], "published");
    assert_eq!(hook[1]["key"], hook[0]["key"]);
    assert_eq!(env.publications_to(&id, 1, "slack").len(), 1);
}

// ---------------------------------------------------------------------------------------
// Edits after publishing.

#[test]
fn a_changed_text_edits_the_discord_message_in_place() {
    let server = LocalServer::start();
    server.mount(
        Mock::given(method("PATCH"))
            .and(path(format!("{DISCORD}/messages/{MESSAGE_ID}")))
            .respond_with(discord_message("edited")),
    );
    answer_all_ok(&server);
    let (env, id) = project(&server, &[DISCORD_TARGET, SLACK_TARGET].join("\n"));

    let out = publish(&env, &server, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(server.requests().len(), 2);

    let new_text = "Uploads fail for some people; we are rolling back the last release.\nNext update: 09:00 UTC";
    env.edit(new_text, &[&id, "--channel", "chat"]);
    assert_eq!(chat_text(&env, &id), new_text);

    let out = publish(&env, &server, &[&id, "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        publish_states(&out),
        pairs(&[
            ("discord", "edited"),
            ("local", "already published"),
            ("slack", "published; cannot edit"),
        ])
    );
    let discord = server.requests_to("/discord/");
    let methods: Vec<&str> = discord
        .iter()
        .map(|request| request.method.as_str())
        .collect();
    assert_eq!(methods, ["POST", "PATCH"], "one post, then one edit");
    let patch = &discord[1];
    assert_eq!(patch.url.path(), format!("{DISCORD}/messages/{MESSAGE_ID}"));
    assert_eq!(header(patch, "content-type"), "application/json");
    assert_eq!(
        json_body(patch),
        json!({"content": new_text, "allowed_mentions": {"parse": []}})
    );
    assert_eq!(
        server.requests_to("/slack/").len(),
        1,
        "slack cannot edit, so it is not posted again"
    );

    let records = env.publications_to(&id, 1, "discord");
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["action"], "edit");
    assert_eq!(records[1]["state"], "published");
    assert_eq!(records[1]["remote_id"], MESSAGE_ID);

    // The edit is done: a third publish sends nothing.
    let out = publish(&env, &server, &[&id, "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        publish_states(&out),
        pairs(&[
            ("discord", "already published"),
            ("local", "already published"),
            ("slack", "published; cannot edit"),
        ])
    );
}

#[test]
fn a_missing_secret_fails_that_target_without_a_request() {
    let server = LocalServer::start();
    answer_all_ok(&server);
    let (env, id) = project(&server, &[SLACK_TARGET, MATTERMOST_TARGET].join("\n"));
    let mut command = publish_command(&env, &server, &[&id, "--yes"]);
    command.env_remove("MATTERMOST_URL");
    let out = output(&mut command);
    assert_no_secret(&env, &server, &out);
    assert_eq!(out.code, 3, "{out}");
    assert!(server.requests_to("/mattermost/").is_empty());
    assert_eq!(server.requests_to("/slack/").len(), 1);
    let mattermost = env.publications_to(&id, 1, "mattermost");
    assert_eq!(mattermost[0]["state"], "failed");
    assert_eq!(mattermost[0]["tries"], 0);
    assert_eq!(
        mattermost[0]["error"],
        "environment variable `MATTERMOST_URL` is not set (`url_env` of target `mattermost`)"
    );
}
