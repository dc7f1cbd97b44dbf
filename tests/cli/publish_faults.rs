//! `publish` when the answer is lost after the remote may have got the request (issue 12):
//! what each kind's delivery rule makes of it. A blind chat webhook is *uncertain* and
//! never posted again on a guess; a keyed webhook is tried again with the same
//! `webhook-id`; a findable Ghost is looked up by slug before a second post. Also: answers
//! that never end, and servers that echo our credentials back in their errors.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::support::{
    LocalServer, Output, RawReply, RawServer, TestEnv, output, pairs, publish_states, raw_response,
};

const SLACK_PATH: &str = "/services/T0001/B0001/s3cr3t-slack-token";

/// A project with a Slack-like target at `server` (one-second timeout, three attempts)
/// and an incident opened in it.
fn slack_project(server: &RawServer) -> (TestEnv, String, Vec<(&'static str, String)>) {
    let env = TestEnv::with_config(
        "[targets.slack]\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\ntimeout = \"1s\"\nattempts = 3\n",
    );
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    let secrets = vec![("SLACK_URL", format!("{}{SLACK_PATH}", server.uri()))];
    (env, id, secrets)
}

fn publish(env: &TestEnv, secrets: &[(&str, String)], args: &[&str]) -> Output {
    let mut command = env.command();
    command
        .envs(secrets.iter().map(|(name, value)| (*name, value)))
        .arg("publish")
        .args(args);
    let out = output(&mut command);
    let values: Vec<&str> = secrets.iter().map(|(_, value)| value.as_str()).collect();
    env.assert_no_secret(&out, &values);
    env.assert_no_secret(&out, &["s3cr3t"]);
    out
}

#[test]
fn a_blind_target_that_may_have_the_post_is_uncertain_and_posted_once_over_two_runs() {
    for fault in [RawReply::Hold, RawReply::Reset] {
        // The fault on the first request; a person's `--resend` later gets an answer.
        let server = RawServer::start(vec![
            fault.clone(),
            RawReply::Answer(raw_response("200 OK", "ok")),
        ]);
        let (env, id, secrets) = slack_project(&server);

        for run in 1..=2 {
            let out = publish(&env, &secrets, &[&id, "--yes", "--json"]);
            assert_eq!(out.code, 3, "{fault:?}, run {run}: {out}");
            assert_eq!(
                publish_states(&out),
                pairs(&[
                    (
                        "local",
                        if run == 1 {
                            "published"
                        } else {
                            "already published"
                        }
                    ),
                    ("slack", "uncertain")
                ]),
                "{fault:?}, run {run}"
            );
            assert_eq!(
                server.heads().len(),
                1,
                "{fault:?}: posted again in run {run}"
            );
        }
        let slack = env.publications_to(&id, 1, "slack");
        assert_eq!(slack.len(), 1, "{fault:?}: {slack:?}");
        assert_eq!(slack[0]["state"], "uncertain", "{fault:?}");
        assert_eq!(slack[0]["tries"], 1, "{fault:?}");
        let error = slack[0]["error"].as_str().unwrap();
        assert!(
            error.ends_with("; it may have arrived, so it was not sent again"),
            "{fault:?}: {error}"
        );

        // The plain report says what to do.
        let out = publish(&env, &secrets, &[&id, "--yes"]);
        assert_eq!(out.code, 3, "{out}");
        assert!(out.stdout.contains("uncertain"), "{out}");
        assert!(out.stdout.contains("--target slack --resend"), "{out}");
        assert_eq!(server.heads().len(), 1);

        // A person checked: it is not there. `--resend` sends it once more.
        let out = publish(
            &env,
            &secrets,
            &[&id, "--yes", "--json", "--target", "slack", "--resend"],
        );
        assert_eq!(out.code, 0, "{fault:?}: {out}");
        assert_eq!(publish_states(&out), pairs(&[("slack", "published")]));
        assert_eq!(server.heads().len(), 2);
        let out = publish(&env, &secrets, &[&id, "--yes", "--json"]);
        assert_eq!(out.code, 0, "{out}");
        assert_eq!(server.heads().len(), 2, "published once is enough");
    }
}

#[test]
fn a_keyed_webhook_is_tried_again_with_the_same_webhook_id() {
    // A reset, then silence, then an answer: each try may have arrived, and each carries
    // the one key the receiver drops repeats by.
    let server = RawServer::start(vec![
        RawReply::Reset,
        RawReply::Hold,
        RawReply::Answer(raw_response("200 OK", "")),
    ]);
    let env = TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\ntimeout = \"1s\"\nattempts = 3\n",
        server.uri()
    ));
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    let out = publish(&env, &[], &[&id, "--yes", "--json", "--target", "hook"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(publish_states(&out), pairs(&[("hook", "published")]));
    let ids = server.header_values("webhook-id");
    assert_eq!(ids.len(), 3, "{:?}", server.heads());
    let hook = env.publications_to(&id, 1, "hook");
    assert_eq!(hook[0]["tries"], 3);
    for seen in &ids {
        assert_eq!(seen.as_deref(), hook[0]["key"].as_str());
    }
}

/// A Ghost Admin API that keeps its posts, creates one on `POST` and answers the create
/// only after `late` (longer than the target's timeout).
#[derive(Clone)]
struct SlowGhost {
    posts: Arc<Mutex<Vec<Value>>>,
    late: Duration,
}

impl Respond for SlowGhost {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut posts = self.posts.lock().unwrap();
        let path = request.url.path();
        let answer =
            |post: &Value| ResponseTemplate::new(200).set_body_json(json!({"posts": [post]}));
        match request.method.as_str() {
            "GET" if path.starts_with("/ghost/api/admin/posts/slug/") => {
                let slug = path.trim_end_matches('/').rsplit('/').next().unwrap();
                match posts.iter().find(|post| post["slug"] == slug) {
                    Some(post) => answer(post),
                    None => ResponseTemplate::new(404).set_body_json(json!({"errors": [{"message": "Post not found.", "type": "NotFoundError"}]})),
                }
            }
            "POST" => {
                let sent: Value = serde_json::from_slice(&request.body).unwrap();
                let id = format!("post{:020}", posts.len() + 1);
                let post = json!({
                    "id": id,
                    "slug": sent["posts"][0]["slug"],
                    "title": sent["posts"][0]["title"],
                    "url": format!("https://blog.acme.example/{id}/"),
                    "updated_at": "2026-11-24T08:01:00.000Z",
                });
                posts.push(post.clone());
                answer(&post).set_delay(self.late)
            }
            "PUT" => {
                let id = path.trim_end_matches('/').rsplit('/').next().unwrap();
                match posts.iter_mut().find(|post| post["id"] == id) {
                    Some(post) => {
                        post["updated_at"] = json!("2026-11-24T08:02:00.000Z");
                        answer(post)
                    }
                    None => ResponseTemplate::new(404),
                }
            }
            _ => ResponseTemplate::new(405),
        }
    }
}

#[test]
fn a_ghost_that_creates_the_post_and_answers_late_ends_with_one_post() {
    let server = LocalServer::start();
    let ghost = SlowGhost {
        posts: Arc::default(),
        late: Duration::from_secs(3),
    };
    server.mount(
        wiremock::Mock::given(wiremock::matchers::path_regex("^/ghost/api/admin/posts/"))
            .respond_with(ghost.clone()),
    );
    let env = TestEnv::with_config(&format!(
        "[targets.blog]\nkind = \"ghost\"\nurl = \"{}\"\nkey_env = \"GHOST_KEY\"\ntimeout = \"1s\"\nattempts = 3\n",
        server.uri()
    ));
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    let key =
        "65f0c0ffee0ddba11c0ffee1:5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2";
    let secrets = vec![("GHOST_KEY", key.to_string())];
    let out = publish(
        &env,
        &secrets,
        &[&id, "--yes", "--json", "--target", "blog"],
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(publish_states(&out), pairs(&[("blog", "published")]));
    let methods: Vec<String> = server
        .requests()
        .iter()
        .map(|request| request.method.to_string())
        .collect();
    // Looked up, created (the answer lost), looked up again: found, and rewritten.
    assert_eq!(methods, ["GET", "POST", "GET", "PUT"]);
    let posts = ghost.posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 1, "{posts:?}");
    let blog = env.publications_to(&id, 1, "blog");
    assert_eq!(blog[0]["remote_id"], posts[0]["id"]);
    assert_eq!(blog[0]["url"], posts[0]["url"]);

    // And the next run leaves it alone.
    let out = publish(
        &env,
        &secrets,
        &[&id, "--yes", "--json", "--target", "blog"],
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(ghost.posts.lock().unwrap().len(), 1);
}

#[test]
fn an_endless_answer_is_cut_at_the_limit_with_a_clear_error() {
    // Mastodon reads its answer (the status it made); this one never ends.
    let server = RawServer::start(vec![RawReply::Endless]);
    let env = TestEnv::with_config(&format!(
        "[targets.social]\nkind = \"mastodon\"\nurl = \"{}\"\ntoken_env = \"MASTODON_TOKEN\"\nattempts = 2\n",
        server.uri()
    ));
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    let secrets = vec![("MASTODON_TOKEN", "s3cr3t-mastodon-token".to_string())];
    let out = publish(
        &env,
        &secrets,
        &[&id, "--yes", "--json", "--target", "social"],
    );
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(publish_states(&out), pairs(&[("social", "failed")]));
    let social = env.publications_to(&id, 1, "social");
    assert_eq!(
        social[0]["error"],
        "the answer is longer than 1 MiB, the most read; it was not read further"
    );
    // Keyed: the same `Idempotency-Key` again, and then no more.
    assert_eq!(social[0]["tries"], 2);
    let keys = server.header_values("idempotency-key");
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
}

// ---------------------------------------------------------------------------------------
// Servers that echo what we sent.

/// Answers every request with a 400 whose text is the request itself: its credentials
/// first (so no cut hides them), then its request line, headers and body. A `HEAD /`
/// gets WordPress's pointer to its REST API, so the WordPress target gets as far as
/// sending its password.
struct Echo {
    uri: String,
}

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.method.as_str() == "HEAD" && request.url.path() == "/" {
            return ResponseTemplate::new(200).insert_header(
                "link",
                format!("<{}/wp-json/>; rel=\"https://api.w.org/\"", self.uri).as_str(),
            );
        }
        let mut text = String::new();
        for name in ["authorization", "webhook-signature"] {
            if let Some(value) = request.headers.get(name) {
                text.push_str(&format!("{name}: {}\n", value.to_str().unwrap()));
            }
        }
        text.push_str(&format!("{} {}\n", request.method, request.url));
        for (name, value) in &request.headers {
            text.push_str(&format!("{name}: {}\n", value.to_str().unwrap_or("?")));
        }
        text.push_str(&String::from_utf8_lossy(&request.body));
        ResponseTemplate::new(400).set_body_string(text)
    }
}

/// A fake SMTP server that refuses every login, quoting the `AUTH` line it got. Keeps
/// the lines it was sent.
fn echoing_smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let _ = stream.write_all(b"220 fake.example ESMTP\r\n");
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|read| read > 0) {
                    let said = line.trim_end().to_string();
                    seen.lock().unwrap().push(said.clone());
                    let verb = said.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let reply = match verb.as_str() {
                        "EHLO" => "250-fake.example\r\n250 AUTH PLAIN LOGIN\r\n".to_string(),
                        "AUTH" => format!("535 5.7.8 not with `{said}`\r\n"),
                        "QUIT" => "221 bye\r\n".to_string(),
                        _ => "250 ok\r\n".to_string(),
                    };
                    if stream.write_all(reply.as_bytes()).is_err() || verb == "QUIT" {
                        return;
                    }
                    line.clear();
                }
            });
        }
    });
    (port, lines)
}

#[test]
fn no_secret_or_credential_made_from_one_shows_when_servers_echo_them_back() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    let server = LocalServer::start();
    let uri = server.uri();
    server.mount(
        wiremock::Mock::given(wiremock::matchers::any()).respond_with(Echo { uri: uri.clone() }),
    );
    let (smtp_port, smtp_lines) = echoing_smtp();
    let ghost_key =
        "65f0c0ffee0ddba11c0ffee1:5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2";
    let secrets: Vec<(&str, String)> = vec![
        (
            "SLACK_URL",
            format!("{uri}/slack/services/T1/B1/s3cr3t-slack-token"),
        ),
        (
            "DISCORD_URL",
            format!("{uri}/discord/api/webhooks/1/s3cr3t-discord-token"),
        ),
        (
            "TEAMS_URL",
            format!("{uri}/teams/invoke?api-version=1&sig=s3cr3t-teams-sig"),
        ),
        (
            "MATTERMOST_URL",
            format!("{uri}/mattermost/hooks/s3cr3t-mattermost-key"),
        ),
        (
            "HOOK_SECRET",
            "whsec_aW5jaWRlbnQtdGVzdCBzM2NyM3Qgc2lnbmluZyBrZXk=".to_string(),
        ),
        ("WP_PASSWORD", "s3cr3t wp app pass".to_string()),
        ("GHOST_KEY", ghost_key.to_string()),
        ("MASTODON_TOKEN", "s3cr3t-mastodon-token".to_string()),
        ("STATUSPAGE_KEY", "s3cr3t-statuspage-key".to_string()),
        ("SMTP_PASSWORD", "s3cr3t-smtp-password".to_string()),
    ];
    let targets = [
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{uri}/hook\"\nsecret_env = \"HOOK_SECRET\"",
        "[targets.slack]\nkind = \"slack\"\nurl_env = \"SLACK_URL\"",
        "[targets.discord]\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"",
        "[targets.teams]\nkind = \"teams\"\nurl_env = \"TEAMS_URL\"",
        "[targets.mattermost]\nkind = \"mattermost\"\nurl_env = \"MATTERMOST_URL\"",
        "[targets.wp]\nkind = \"wordpress\"\nurl = \"{uri}\"\nusername = \"comms-bot\"\npassword_env = \"WP_PASSWORD\"",
        "[targets.ghost]\nkind = \"ghost\"\nurl = \"{uri}\"\nkey_env = \"GHOST_KEY\"",
        "[targets.social]\nkind = \"mastodon\"\nurl = \"{uri}\"\ntoken_env = \"MASTODON_TOKEN\"",
        "[targets.statuspage]\nkind = \"statuspage\"\nurl = \"{uri}/v1\"\npage_id = \"pg1\"\napi_key_env = \"STATUSPAGE_KEY\"",
        "[targets.site]\nkind = \"static\"\npath = \"site/content/issues\"\nflavor = \"cstate\"",
        &format!("[targets.mail]\nkind = \"email\"\nhost = \"127.0.0.1\"\nport = {smtp_port}\ntls = \"none\"\nusername = \"incident\"\npassword_env = \"SMTP_PASSWORD\"\nfrom = \"status@acme.example\"\nto = [\"ops@acme.example\"]"),
    ]
    .join("\n\n")
    .replace("{uri}", &uri);
    let env = TestEnv::with_config(&targets);
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);

    let mut outs = vec![
        publish(&env, &secrets, &[&id, "--yes", "--json"]),
        publish(&env, &secrets, &[&id, "--yes"]),
    ];
    for out in &outs {
        assert_eq!(out.code, 3, "{out}");
    }
    outs.push(env.ok(&["show", &id, "--json"]));
    outs.push(env.ok(&["show", &id]));
    outs.push(env.run(&["postmortem", &id, "--draft"]));

    // What the wire carried, as the servers saw it: every credential made from a secret.
    let mut carried: Vec<String> = secrets.iter().map(|(_, value)| value.clone()).collect();
    carried.push(STANDARD.encode("comms-bot:s3cr3t wp app pass"));
    for request in server.requests() {
        for name in ["authorization", "webhook-signature"] {
            if let Some(value) = request.headers.get(name) {
                let value = value.to_str().unwrap().to_string();
                if let Some((_, credential)) = value.split_once(' ') {
                    carried.push(credential.to_string());
                }
                carried.push(value);
            }
        }
    }
    let auth: Vec<String> = smtp_lines
        .lock()
        .unwrap()
        .iter()
        .filter_map(|line| line.strip_prefix("AUTH PLAIN ").map(str::to_string))
        .collect();
    assert_eq!(
        auth.len(),
        2,
        "one login per run: {:?}",
        smtp_lines.lock().unwrap()
    );
    carried.extend(auth);
    carried.push("s3cr3t".to_string());
    for expected in ["Basic ", "Ghost ", "Bearer ", "OAuth "] {
        assert!(
            carried
                .iter()
                .any(|credential| credential.starts_with(expected)),
            "no `{expected}` credential was sent: {carried:?}"
        );
    }
    for out in &outs {
        env.assert_no_secret(out, &carried);
    }

    // The echoes did reach the record, scrubbed.
    for target in [
        "hook",
        "slack",
        "discord",
        "teams",
        "mattermost",
        "wp",
        "ghost",
        "social",
        "statuspage",
        "mail",
    ] {
        let publications = env.publications_to(&id, 1, target);
        let error = publications[0]["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{target}: {publications:?}"));
        assert!(error.contains("****"), "{target}: {error}");
    }
}

#[test]
fn the_readme_states_the_delivery_rule_of_every_kind() {
    let readme =
        crate::support::read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let publishing = readme
        .split("\n## Publishing\n")
        .nth(1)
        .expect("a Publishing section")
        .split("\n## ")
        .next()
        .unwrap();
    assert!(
        publishing.contains("| kind | channel | delivery |"),
        "{publishing}"
    );
    for kind in incident::publish::targets::kinds() {
        let row = format!("| `{kind}` | ");
        let line = publishing
            .lines()
            .find(|line| line.starts_with(&row))
            .unwrap_or_else(|| panic!("no row for `{kind}`"));
        let delivery = line.split(" | ").nth(2).unwrap();
        assert_eq!(delivery, kind.delivery.name(), "{line}");
    }
}

/// The WordPress REST API, keeping its posts, answering a create only after `late`.
#[derive(Clone)]
struct SlowWordpress {
    uri: String,
    posts: Arc<Mutex<Vec<Value>>>,
    late: Duration,
}

impl Respond for SlowWordpress {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut posts = self.posts.lock().unwrap();
        let path = request.url.path();
        match (request.method.as_str(), path) {
            ("HEAD", "/") => ResponseTemplate::new(200).insert_header(
                "link",
                format!("<{}/wp-json/>; rel=\"https://api.w.org/\"", self.uri).as_str(),
            ),
            ("GET", "/wp-json/wp/v2/users/me") => {
                ResponseTemplate::new(200).set_body_json(json!({"id": 1, "name": "comms-bot"}))
            }
            ("GET", "/wp-json/wp/v2/posts") => {
                let slug = request
                    .url
                    .query_pairs()
                    .find(|(key, _)| key == "slug")
                    .map(|(_, value)| value.to_string());
                let found: Vec<&Value> = posts
                    .iter()
                    .filter(|post| post["slug"].as_str() == slug.as_deref())
                    .collect();
                ResponseTemplate::new(200).set_body_json(json!(found))
            }
            ("POST", "/wp-json/wp/v2/posts") => {
                let sent: Value = serde_json::from_slice(&request.body).unwrap();
                let id = posts.len() + 41;
                let post = json!({
                    "id": id,
                    "slug": sent["slug"],
                    "link": format!("https://blog.acme.example/?p={id}"),
                });
                posts.push(post.clone());
                ResponseTemplate::new(201)
                    .set_body_json(post)
                    .set_delay(self.late)
            }
            ("POST", _) => {
                let id: u64 = path.rsplit('/').next().unwrap().parse().unwrap();
                match posts.iter().find(|post| post["id"] == id) {
                    Some(post) => ResponseTemplate::new(200).set_body_json(post),
                    None => ResponseTemplate::new(404),
                }
            }
            _ => ResponseTemplate::new(405),
        }
    }
}

#[test]
fn a_wordpress_that_creates_the_post_and_answers_late_ends_with_one_post() {
    let server = LocalServer::start();
    let wordpress = SlowWordpress {
        uri: server.uri(),
        posts: Arc::default(),
        late: Duration::from_secs(3),
    };
    server.mount(wiremock::Mock::given(wiremock::matchers::any()).respond_with(wordpress.clone()));
    let env = TestEnv::with_config(&format!(
        "[targets.wp]\nkind = \"wordpress\"\nurl = \"{}\"\nusername = \"comms-bot\"\npassword_env = \"WP_PASSWORD\"\ntimeout = \"1s\"\nattempts = 3\n",
        server.uri()
    ));
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    let secrets = vec![("WP_PASSWORD", "s3cr3t wp app pass".to_string())];
    let out = publish(&env, &secrets, &[&id, "--yes", "--json", "--target", "wp"]);
    assert_eq!(out.code, 0, "{out}");
    let seen: Vec<String> = server
        .requests()
        .iter()
        .map(|request| format!("{} {}", request.method, request.url.path()))
        .collect();
    assert_eq!(
        seen,
        [
            "HEAD /",
            "GET /wp-json/wp/v2/users/me",
            "GET /wp-json/wp/v2/posts",
            "POST /wp-json/wp/v2/posts",
            // The create's answer was lost: looked for by slug, found, and written to.
            "GET /wp-json/wp/v2/posts",
            "POST /wp-json/wp/v2/posts/41",
        ]
    );
    assert_eq!(wordpress.posts.lock().unwrap().len(), 1);
    assert_eq!(env.publications_to(&id, 1, "wp")[0]["remote_id"], "41");
}

#[test]
fn a_discord_success_that_cannot_be_read_still_posted() {
    let server = LocalServer::start();
    server.answer(
        "/api/webhooks/1/s3cr3t-discord-token",
        ResponseTemplate::new(200).set_body_string("<html>proxy says hi</html>"),
    );
    let env =
        TestEnv::with_config("[targets.discord]\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\n");
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    let secrets = vec![(
        "DISCORD_URL",
        format!("{}/api/webhooks/1/s3cr3t-discord-token", server.uri()),
    )];
    for run in 1..=2 {
        let out = publish(
            &env,
            &secrets,
            &[&id, "--yes", "--json", "--target", "discord"],
        );
        assert_eq!(out.code, 0, "run {run}: {out}");
    }
    assert_eq!(server.requests().len(), 1, "posted again");
    let discord = env.publications_to(&id, 1, "discord");
    assert_eq!(discord[0]["state"], "published");
    assert_eq!(discord[0]["remote_id"], Value::Null);
}

/// A fake SMTP server that takes the whole message and then never answers its end. Counts
/// the messages it got.
fn silent_after_the_message_smtp() -> (u16, Arc<Mutex<usize>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = Arc::new(Mutex::new(0));
    let counted = messages.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let counted = counted.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let _ = stream.write_all(b"220 fake.example ESMTP\r\n");
                let mut in_data = false;
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|read| read > 0) {
                    let said = line.trim_end().to_ascii_uppercase();
                    line.clear();
                    if in_data {
                        if said == "." {
                            *counted.lock().unwrap() += 1;
                            std::thread::sleep(Duration::from_secs(120));
                            return;
                        }
                        continue;
                    }
                    let reply: &[u8] = if said.starts_with("EHLO") {
                        b"250-fake.example\r\n250 8BITMIME\r\n"
                    } else if said == "DATA" {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else {
                        b"250 ok\r\n"
                    };
                    if stream.write_all(reply).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, messages)
}

#[test]
fn an_email_whose_end_of_data_goes_unanswered_is_uncertain_and_sent_once() {
    let (port, messages) = silent_after_the_message_smtp();
    let env = TestEnv::with_config(&format!(
        "[targets.mail]\nkind = \"email\"\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\nfrom = \"status@acme.example\"\nto = [\"ops@acme.example\"]\ntimeout = \"1s\"\nattempts = 3\n"
    ));
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    for run in 1..=2 {
        let out = publish(&env, &[], &[&id, "--yes", "--json", "--target", "mail"]);
        assert_eq!(out.code, 3, "run {run}: {out}");
        assert_eq!(publish_states(&out), pairs(&[("mail", "uncertain")]));
        assert_eq!(*messages.lock().unwrap(), 1, "sent again in run {run}");
    }
    let mail = env.publications_to(&id, 1, "mail");
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["state"], "uncertain");
    assert_eq!(mail[0]["tries"], 1);
    let error = mail[0]["error"].as_str().unwrap();
    assert!(error.contains("after the message was sent as <"), "{error}");
    assert!(
        error.ends_with("it may have arrived, so it was not sent again"),
        "{error}"
    );
}
