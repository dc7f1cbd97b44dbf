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
