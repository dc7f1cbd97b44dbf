//! Publishing that needs no remote protocol beyond a plain webhook: approvals, the file
//! target, and a `kill -9` in the middle of a request.

use std::process::Stdio;
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{CONFIG, LocalServer, TestEnv, output, read, wait_while_running};

#[test]
fn the_file_target_writes_once_and_rewrites_an_edit() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .lines()
            .any(|line| line.starts_with("local ") && line.contains(" published ")),
        "{out}"
    );
    let file = env
        .root()
        .join(format!("published/{id}/001-acknowledge.status.md"));
    let first = read(&file);
    assert!(first.contains("Uploads fail for everyone."), "{first}");

    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("already published"), "{out}");
    assert_eq!(env.publications(&id, 1).len(), 1);

    env.edit(
        "Uploads fail for everyone; we are on it.",
        &[&id, "--channel", "status"],
    );
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("edited"), "{out}");
    assert_eq!(read(&file), "Uploads fail for everyone; we are on it.\n");
    let states: Vec<(String, String)> = env
        .publications(&id, 1)
        .iter()
        .map(|publication| {
            (
                publication["action"].as_str().unwrap().to_string(),
                publication["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("create".to_string(), "published".to_string()),
            ("edit".to_string(), "published".to_string())
        ]
    );
}

#[test]
fn approval_is_required_and_an_edit_needs_a_new_one() {
    let env = TestEnv::with_config("[publishing]\nrequire_approval = true\n");
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.starts_with(&format!(
            "error: update 1 of {id} is not approved, and target `local` requires approval\n"
        )),
        "{out}"
    );
    assert!(!env.root().join("published").exists());

    let out = env.run(&["approve", &id]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stderr,
        format!("✓ Approved update 1 of {id} (status) as Test Author.\n")
    );
    let shown = env.show_json(&id);
    assert_eq!(shown["updates"][0]["approvals"][0]["by"], "Test Author");

    env.edit("Changed.", &[&id, "--channel", "status"]);
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("changed since it was approved"),
        "{out}"
    );

    env.ok(&["approve", &id]);
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(env.root().join("published").exists());
}

#[test]
fn error_findings_block_publishing_unless_forced() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Only a few users see errors."],
    );
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("error[minimising]"), "{out}");
    assert!(
        out.stderr
            .contains("has error-level findings; nothing was published"),
        "{out}"
    );
    assert!(!env.root().join("published").exists());
    let out = env.run(&["publish", &id, "--yes", "--force"]);
    assert_eq!(out.code, 0, "{out}");
}

const WEBHOOK_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/// A project whose incidents go to a signed webhook and a Discord webhook on `server`.
fn crash_env(server: &LocalServer) -> TestEnv {
    TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\nsecret_env = \"HOOK_SECRET\"\n\n[targets.discord]\nkind = \"discord\"\nurl_env = \"DISCORD_URL\"\n",
        server.uri()
    ))
}

fn publish_command(env: &TestEnv, server: &LocalServer, args: &[&str]) -> std::process::Command {
    let mut command = env.command();
    command
        .env("HOOK_SECRET", WEBHOOK_SECRET)
        .env(
            "DISCORD_URL",
            format!("{}/api/webhooks/1/token", server.uri()),
        )
        .args(["publish"])
        .args(args);
    command
}

fn mount_answers(server: &LocalServer, delay: Duration) {
    server.reset();
    server.mount(
        Mock::given(method("POST"))
            .and(path("/hook"))
            .respond_with(ResponseTemplate::new(204).set_delay(delay)),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path("/api/webhooks/1/token"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(
                        serde_json::json!({"id": "991", "channel_id": "7", "content": "x"}),
                    )
                    .set_delay(delay),
            ),
    );
}

#[test]
fn kill_9_mid_request_never_posts_twice() {
    let server = LocalServer::start();
    let env = crash_env(&server);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );

    // The targets take their time answering; the publisher dies while both wait.
    mount_answers(&server, Duration::from_secs(10));
    let mut child = publish_command(&env, &server, &[&id, "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let both_waiting = wait_while_running(&mut child, || server.requests().len() >= 2);
    assert!(
        both_waiting,
        "the publisher ended before both requests arrived"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let first = server.requests();
    let states = |env: &TestEnv| -> Vec<(String, String)> {
        let mut states: Vec<(String, String)> = env
            .publications(&id, 1)
            .iter()
            .map(|publication| {
                (
                    publication["target"].as_str().unwrap().to_string(),
                    publication["state"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        states.sort();
        states
    };
    let before = states(&env);
    assert!(
        before.contains(&("hook".to_string(), "in_flight".to_string())),
        "{before:?}"
    );
    assert!(
        before.contains(&("discord".to_string(), "in_flight".to_string())),
        "{before:?}"
    );

    // Now they answer at once. The webhook is sent again with the same `webhook-id`, which
    // its receiver uses to drop the duplicate; Discord has no such key, so the tool stops
    // and says so instead of posting again.
    mount_answers(&server, Duration::ZERO);
    let out = output(&mut publish_command(&env, &server, &[&id, "--yes"]));
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("uncertain"), "{out}");
    assert!(out.stdout.contains("--target discord --resend"), "{out}");
    let second = server.requests();
    let hook_ids: Vec<String> = first
        .iter()
        .chain(&second)
        .filter(|request| request.url.path() == "/hook")
        .map(|request| {
            request
                .headers
                .get("webhook-id")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(hook_ids.len(), 2, "sent again after the crash");
    assert_eq!(hook_ids[0], hook_ids[1], "with the same idempotency key");
    assert!(
        second
            .iter()
            .all(|request| request.url.path() != "/api/webhooks/1/token"),
        "Discord must not get the update twice"
    );

    // The person checked Discord and it is not there: resend on their word.
    let out = output(&mut publish_command(
        &env,
        &server,
        &[&id, "--yes", "--target", "discord", "--resend"],
    ));
    assert_eq!(out.code, 0, "{out}");
    let out = output(&mut publish_command(&env, &server, &[&id, "--yes"]));
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout.matches("already published").count(), 3, "{out}");
    let published: Vec<String> = env
        .publications(&id, 1)
        .iter()
        .filter(|publication| publication["state"] == "published")
        .map(|publication| publication["target"].as_str().unwrap().to_string())
        .collect();
    let mut published_sorted = published.clone();
    published_sorted.sort();
    assert_eq!(
        published_sorted,
        ["discord", "hook", "local"],
        "one success per target"
    );
}

#[test]
fn an_unreachable_wordpress_says_so() {
    // A port that was free a moment ago: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = TestEnv::with_config(&format!(
        "[targets.blog]\nkind = \"wordpress\"\nurl = \"http://127.0.0.1:{port}\"\nusername = \"comms\"\npassword_env = \"BLOG_PASSWORD\"\nattempts = 1\n"
    ));
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let mut command = env.command();
    command
        .env("BLOG_PASSWORD", "abcd efgh ijkl")
        .args(["publish", &id, "--yes", "--target", "blog"]);
    let out = output(&mut command);
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stdout.contains(&format!(
            "cannot reach the WordPress site http://127.0.0.1:{port}: "
        )),
        "{out}"
    );
    env.assert_no_secret(&out, &["abcd"]);
}

/// A WordPress-like server: the REST root in the `Link` header, and `users/me` answering
/// with `me` (a status and body).
fn mount_wordpress(server: &LocalServer, me: ResponseTemplate) {
    server.reset();
    server.mount(Mock::given(method("HEAD")).and(path("/")).respond_with(
        ResponseTemplate::new(200).insert_header(
            "link",
            format!("<{}/wp-json/>; rel=\"https://api.w.org/\"", server.uri()).as_str(),
        ),
    ));
    server.mount(
        Mock::given(method("GET"))
            .and(path("/wp-json/wp/v2/users/me"))
            .respond_with(me),
    );
    server.mount(
        Mock::given(method("GET"))
            .and(path("/wp-json/wp/v2/posts"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::json!([{"id": 42}])),
            ),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path("/wp-json/wp/v2/posts/42"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"id": 42, "link": "https://blog.example/incident"}),
            )),
    );
}

/// WordPress's refusal is explained in its own terms (the typed error keeps the answer for
/// it), and a post another clone made is found by slug and edited, not made twice.
#[test]
fn wordpress_explains_a_refusal_and_edits_the_post_it_finds() {
    let server = LocalServer::start();
    let env = TestEnv::new();
    env.write(
        "incident.toml",
        &format!(
            "{CONFIG}\n[targets.blog]\nkind = \"wordpress\"\nurl = \"{}\"\nusername = \"comms\"\npassword_env = \"BLOG_PASSWORD\"\nattempts = 1\n",
            server.uri()
        ),
    );
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let publish = || {
        let mut command = env.command();
        command
            .env("BLOG_PASSWORD", "abcd efgh ijkl")
            .args(["publish", &id, "--yes", "--target", "blog"]);
        crate::support::output(&mut command)
    };

    mount_wordpress(
        &server,
        ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "code": "rest_not_logged_in",
            "message": "You are not currently logged in."
        })),
    );
    let out = publish();
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stdout.contains(
            "WordPress rejected the application password for user comms (rest_not_logged_in)"
        ),
        "{out}"
    );
    let events =
        std::fs::read_to_string(env.root().join("incidents").join(&id).join("events.jsonl"))
            .unwrap();
    assert!(
        events.contains("WordPress rejected the application password for user comms"),
        "{events}"
    );
    assert!(
        !server
            .requests()
            .iter()
            .any(|request| request.method.as_str() == "POST")
    );

    mount_wordpress(
        &server,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 1})),
    );
    let out = publish();
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("https://blog.example/incident"),
        "{out}"
    );
    let posts: Vec<String> = server
        .requests()
        .iter()
        .filter(|request| request.method.as_str() == "POST")
        .map(|request| request.url.path().to_string())
        .collect();
    assert_eq!(posts, ["/wp-json/wp/v2/posts/42"]);
}
