//! Corrections and retractions: edited in place where a target can edit (the file, the
//! cState folder, Mastodon), a notice where it cannot (Slack), each once; the site keeps a
//! retracted incident, marked, and its feed entries change under the same ids. The real
//! WordPress half is in `publish_wordpress.rs`.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::support::{
    LocalServer, Output, Statuses, TestEnv, form, json_body, mastodon_status, output,
    publish_states,
};

const SLACK: &str = "/slack/services/T0001/B0001/s3cr3t-slack-token";
const MASTODON_TOKEN: &str = "s3cr3t-mastodon-token";

/// A project publishing to `local` (files), a cState folder, Mastodon and Slack.
fn project(server: &LocalServer) -> TestEnv {
    server.answer_to("POST", "/api/v1/statuses", Statuses::new());
    server.answer_to("PUT", "/api/v1/statuses/1001", mastodon_status("1001"));
    server.answer_to("PUT", "/api/v1/statuses/1002", mastodon_status("1002"));
    server.answer(SLACK, ResponseTemplate::new(200).set_body_string("ok"));
    TestEnv::with_config(&format!(
        "[targets.status-site]\nkind = \"static\"\nflavor = \"cstate\"\npath = \"cstate\"\n\n\
         [targets.social]\nkind = \"mastodon\"\nurl = \"{uri}\"\ntoken_env = \"MASTODON_TOKEN\"\n\n\
         [targets.chat]\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\n",
        uri = server.uri()
    ))
}

fn run(env: &TestEnv, server: &LocalServer, args: &[&str]) -> Output {
    let out = output(
        env.command()
            .env("MASTODON_TOKEN", MASTODON_TOKEN)
            .env("SLACK_URL", format!("{}{SLACK}", server.uri()))
            .args(args),
    );
    env.assert_no_secret(&out, &[MASTODON_TOKEN, "s3cr3t-slack-token"]);
    out
}

fn publish(env: &TestEnv, server: &LocalServer, id: &str) -> Vec<(String, String)> {
    let out = run(env, server, &["publish", id, "--yes", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    let mut states = publish_states(&out);
    states.sort();
    states
}

fn states(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut owned: Vec<(String, String)> = list
        .iter()
        .map(|(target, state)| (target.to_string(), state.to_string()))
        .collect();
    owned.sort();
    owned
}

/// The text of the one Mastodon edit among `sent`, which must change status `path`.
fn edited_status(sent: &[wiremock::Request], path: &str) -> String {
    let put = sent
        .iter()
        .find(|request| request.method.as_str() == "PUT")
        .expect("a status edit");
    assert_eq!(put.url.path(), path);
    form(put)
        .into_iter()
        .find(|(key, _)| key == "status")
        .expect("the status text")
        .1
}

/// The one cState file of the project.
fn cstate_file(env: &TestEnv) -> String {
    let files: Vec<_> = std::fs::read_dir(env.root().join("cstate"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    std::fs::read_to_string(&files[0]).unwrap()
}

#[test]
fn a_correction_edits_in_place_where_it_can_and_is_a_notice_where_it_cannot_once() {
    let server = LocalServer::start();
    let env = project(&server);
    let wrong = "Uploads fail for everyone since 07:50 UTC.";
    let right = "Uploads fail for everyone since 07:30 UTC.";
    let id = env.open(
        "Uploads failing",
        &["--component", "photos", "--summary", wrong],
    );
    let all_published = states(&[
        ("chat", "published"),
        ("local", "published"),
        ("social", "published"),
        ("status-site", "published"),
    ]);
    assert_eq!(publish(&env, &server, &id), all_published);

    let out = run(
        &env,
        &server,
        &["correct", &id, "--update", "1", "--message", right],
    );
    assert_eq!(out.code, 0, "{out}");
    let shown = env.show_json(&id);
    assert_eq!(shown["updates"][0]["message"], right);
    assert_eq!(shown["updates"][0]["corrected"]["original"], wrong);
    assert_eq!(shown["updates"][1]["stage"], "correction");
    assert_eq!(
        shown["status"], "investigating",
        "a correction moves nothing on"
    );
    assert_eq!(
        shown["next_update_at"], shown["updates"][0]["next_update_at"],
        "and keeps the promise"
    );

    let before = server.requests().len();
    assert_eq!(
        publish(&env, &server, &id),
        states(&[
            ("chat", "published"),
            ("local", "edited"),
            ("social", "edited"),
            ("status-site", "edited"),
        ])
    );
    let sent = &server.requests()[before..];
    assert_eq!(sent.len(), 2, "one edit and one notice");

    // Mastodon: the status itself now says the corrected text, with the note.
    let status_text = edited_status(sent, "/api/v1/statuses/1001");
    assert!(status_text.contains(right), "{status_text}");
    assert!(
        status_text.contains(&format!("this update first said \"{wrong}\"")),
        "{status_text}"
    );
    // Slack cannot edit: one notice, saying what it corrects.
    let notice = sent
        .iter()
        .find(|request| request.url.path() == SLACK)
        .unwrap();
    let text = json_body(notice)["text"].as_str().unwrap().to_string();
    assert!(
        text.contains("Correction to our update of 2026-11-24 03:00 EST (08:00 UTC)")
            && text.contains(right),
        "{text}"
    );
    // The file and the cState page are rewritten in place.
    let file = env.read(&format!("published/{id}/001-acknowledge.status.md"));
    assert!(
        file.contains(right) && file.contains("_Corrected at "),
        "{file}"
    );
    assert!(!file.contains(&format!("\n{wrong}")), "{file}");
    assert!(
        !env.root()
            .join(format!("published/{id}/002-correction.status.md"))
            .exists(),
        "an edit, not a second file"
    );
    let page = cstate_file(&env);
    assert!(
        page.contains(right) && page.contains("first said"),
        "{page}"
    );

    // A rerun sends nothing.
    let before = server.requests().len();
    assert_eq!(
        publish(&env, &server, &id),
        states(&[
            ("chat", "already published"),
            ("local", "already published"),
            ("social", "already published"),
            ("status-site", "already published"),
        ])
    );
    assert_eq!(server.requests().len(), before);

    // An update nobody published yet needs no correction anywhere, and nothing waits on it.
    let out = run(&env, &server, &["list", "--json"]);
    let listed: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(listed[0]["unpublished"], json!([]), "{listed:#}");
}

#[test]
fn a_retracted_incident_is_marked_everywhere_it_went_and_kept_on_the_site() {
    let server = LocalServer::start();
    let env = project(&server);
    let id = env.open(
        "Payments failing",
        &[
            "--component",
            "web",
            "--summary",
            "Card payments fail for everyone.",
        ],
    );
    publish(&env, &server, &id);
    env.ok(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A monitoring check reported the failures; we are confirming them.",
    ]);
    publish(&env, &server, &id);
    env.ok(&["site", "build"]);
    let feed_before = feed_rs::parser::parse(env.read("site/feed.xml").as_bytes()).unwrap();
    let ids_before: Vec<String> = feed_before.entries.iter().map(|e| e.id.clone()).collect();

    let out = run(
        &env,
        &server,
        &[
            "retract",
            &id,
            "--reason",
            "Payments worked throughout; a faulty monitoring check reported failures that did not happen.",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "resolved", "a false alarm is over");
    assert!(
        shown["retracted"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Payments worked")
    );
    assert_eq!(shown["next_update_at"], Value::Null);

    let before = server.requests().len();
    assert_eq!(
        publish(&env, &server, &id),
        states(&[
            ("chat", "published"),
            ("local", "edited"),
            ("social", "edited"),
            ("status-site", "edited"),
        ])
    );
    let sent = &server.requests()[before..];
    // Mastodon: the latest status of the thread shows the retraction.
    let status_text = edited_status(sent, "/api/v1/statuses/1002");
    assert!(status_text.contains("[Retracted]"), "{status_text}");
    assert!(status_text.contains("false alarm"), "{status_text}");
    let notice = sent
        .iter()
        .find(|request| request.url.path() == SLACK)
        .unwrap();
    let text = json_body(notice)["text"].as_str().unwrap().to_string();
    assert!(
        text.contains("Retraction: this incident was a false alarm."),
        "{text}"
    );
    // The file of the latest update, and the cState page with every update, struck.
    let file = env.read(&format!("published/{id}/002-explain.status.md"));
    assert!(file.contains("~~A monitoring check"), "{file}");
    let page = cstate_file(&env);
    assert!(
        page.contains("~~Card payments fail for everyone.~~"),
        "{page}"
    );
    assert!(page.contains("resolved: true"), "{page}");
    // Nothing twice.
    let before = server.requests().len();
    publish(&env, &server, &id);
    assert_eq!(server.requests().len(), before);

    // The site keeps the page, marked; the feed's entries keep their ids and change.
    env.ok(&["site", "build"]);
    let page = env.read(&format!("site/incidents/{id}.html"));
    assert!(page.contains("<strong>Retracted</strong>"), "{page}");
    assert!(
        page.contains("<del>Card payments fail for everyone.</del>"),
        "{page}"
    );
    let index = env.read("site/index.html");
    assert!(
        index.contains("Retracted</span>"),
        "listed in the history, marked"
    );
    let feed = feed_rs::parser::parse(env.read("site/feed.xml").as_bytes()).unwrap();
    for id_before in &ids_before {
        let entry = feed
            .entries
            .iter()
            .find(|entry| entry.id == *id_before)
            .unwrap_or_else(|| panic!("entry {id_before} is gone"));
        let old = feed_before
            .entries
            .iter()
            .find(|entry| entry.id == *id_before)
            .unwrap();
        assert!(entry.updated > old.updated, "{id_before} is marked updated");
        assert_eq!(entry.published, old.published);
        assert!(
            entry
                .title
                .as_ref()
                .unwrap()
                .content
                .starts_with("Retracted"),
            "{:?}",
            entry.title
        );
    }
}

#[test]
fn a_single_update_is_retracted_and_revisions_are_refused_where_they_make_no_sense() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    env.ok(&["publish", &id, "--yes"]);
    env.ok(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A storage node ran out of space.",
    ]);
    env.ok(&["publish", &id, "--yes"]);
    env.ok(&[
        "retract",
        &id,
        "--update",
        "2",
        "--reason",
        "The storage node had space; we are still looking for the cause.",
    ]);
    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "identified");
    assert!(shown["updates"][1]["retracted"]["text"].is_string());
    env.ok(&["publish", &id, "--yes"]);
    let file = env.read(&format!("published/{id}/002-explain.status.md"));
    assert!(
        file.contains("~~A storage node ran out of space.~~"),
        "{file}"
    );
    assert!(file.contains("Retracted at "), "{file}");
    let first = env.read(&format!("published/{id}/001-acknowledge.status.md"));
    assert!(!first.contains("Retracted"), "only update 2 is retracted");
    env.ok(&[
        "correct",
        &id,
        "--update",
        "1",
        "--message",
        "Uploads fail for everyone on the mobile app.",
    ]);
    let postmortem = env.ok(&["postmortem", &id, "--draft"]).stdout;
    assert!(
        postmortem
            .contains("Test Author retracted update 2 (update 3): The storage node had space"),
        "{postmortem}"
    );
    assert!(
        postmortem.contains("Test Author corrected update 1 (update 4): \"Uploads fail for everyone on the mobile app.\", where it first said \"Uploads fail for everyone.\""),
        "{postmortem}"
    );

    let refused = |args: &[&str], says: &str| {
        let out = env.run(args);
        assert_eq!(out.code, 2, "{args:?}: {out}");
        assert!(out.stderr.contains(says), "{out}");
    };
    refused(
        &["retract", &id, "--update", "2", "--reason", "again"],
        "is retracted",
    );
    refused(
        &["correct", &id, "--update", "9", "--message", "x"],
        "has no update 9",
    );
    refused(
        &["correct", &id, "--update", "3", "--message", "x"],
        "is itself a retraction",
    );
    refused(
        &[
            "correct",
            &id,
            "--update",
            "1",
            "--message",
            "Uploads fail for everyone on the mobile app.",
        ],
        "already says that",
    );
    // The checks read a correction like any update.
    let out = env.run(&[
        "correct",
        &id,
        "--update",
        "1",
        "--message",
        "Only a handful of users are affected.",
    ]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("minimising"), "{out}");
}

#[test]
fn a_webhook_is_told_what_kind_of_change_a_revision_is() {
    let server = LocalServer::start();
    server.answer("/hook", ResponseTemplate::new(200));
    let env = TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\n",
        server.uri()
    ));
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail since 07:50 UTC."],
    );
    env.ok(&["publish", &id, "--yes"]);
    env.ok(&[
        "correct",
        &id,
        "--update",
        "1",
        "--message",
        "Uploads fail since 07:30 UTC.",
    ]);
    env.ok(&["publish", &id, "--yes"]);
    env.ok(&[
        "retract",
        &id,
        "--reason",
        "Uploads worked; a test script reported failures.",
    ]);
    env.ok(&["publish", &id, "--yes"]);
    let bodies: Vec<Value> = server.requests_to("/hook").iter().map(json_body).collect();
    let types: Vec<&str> = bodies
        .iter()
        .map(|body| body["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "incident.opened",
            "incident.update_corrected",
            "incident.retracted"
        ]
    );
    assert_eq!(
        bodies[1]["data"]["update"]["corrected"]["original"],
        "Uploads fail since 07:50 UTC."
    );
    assert_eq!(
        bodies[1]["data"]["update"]["message"],
        "Uploads fail since 07:30 UTC."
    );
    assert!(bodies[2]["data"]["incident"]["retracted"]["text"].is_string());
    assert!(bodies[0]["data"]["update"].get("corrected").is_none());
}

#[test]
fn a_correction_recorded_before_anything_went_out_has_nothing_to_mend() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail since 07:50 UTC."],
    );
    env.ok(&[
        "correct",
        &id,
        "--update",
        "1",
        "--message",
        "Uploads fail since 07:30 UTC.",
    ]);
    let listed: Value = serde_json::from_str(&env.ok(&["list", "--json"]).stdout).unwrap();
    assert_eq!(
        listed[0]["unpublished"],
        json!([1]),
        "only the update itself waits"
    );
    let out = env.ok(&["publish", &id, "--update", "2", "--yes"]);
    assert!(out.stderr.contains("nothing to mend"), "{out}");
    // The update goes out already corrected, and the correction never follows it.
    env.ok(&["publish", &id, "--update", "1", "--yes"]);
    let file = env.read(&format!("published/{id}/001-acknowledge.status.md"));
    assert!(file.contains("since 07:30 UTC"), "{file}");
    let listed: Value = serde_json::from_str(&env.ok(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed[0]["unpublished"], json!([]));
    let out = env.ok(&["publish", &id, "--update", "2", "--yes"]);
    assert!(out.stderr.contains("nothing to mend"), "{out}");
    assert!(
        !env.root()
            .join(format!("published/{id}/002-correction.status.md"))
            .exists()
    );
}

#[test]
fn a_correction_from_a_clock_behind_the_publication_still_mends_it() {
    let env = TestEnv::new();
    let id = env
        .ok_at(
            "2026-11-24T08:00:00Z",
            &[
                "open",
                "--title",
                "Uploads failing",
                "--summary",
                "Uploads fail since 07:50 UTC.",
            ],
        )
        .stdout
        .trim()
        .to_string();
    env.ok_at("2026-11-24T08:10:00Z", &["publish", &id, "--yes"]);
    // Recorded by a machine whose clock is eight minutes behind the one that published.
    env.ok_at(
        "2026-11-24T08:02:00Z",
        &[
            "correct",
            &id,
            "--update",
            "1",
            "--message",
            "Uploads fail since 07:30 UTC.",
        ],
    );
    let out = env.ok_at(
        "2026-11-24T08:12:00Z",
        &["publish", &id, "--update", "2", "--yes"],
    );
    assert!(out.stdout.contains("edited"), "{out}");
    let file = env.read(&format!("published/{id}/001-acknowledge.status.md"));
    assert!(
        file.contains("since 07:30 UTC") && file.contains("first said"),
        "{file}"
    );
    let out = env.ok_at(
        "2026-11-24T08:13:00Z",
        &["publish", &id, "--update", "2", "--yes"],
    );
    assert!(out.stdout.contains("already published"), "{out}");
}

#[test]
fn a_correction_waits_for_approval_where_the_target_requires_it() {
    let env = TestEnv::with_config("[publishing]\nrequire_approval = true\n");
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail since 07:50 UTC."],
    );
    env.ok(&["approve", &id]);
    env.ok(&["publish", &id, "--yes"]);
    env.ok(&[
        "correct",
        &id,
        "--update",
        "1",
        "--message",
        "Uploads fail since 07:30 UTC.",
    ]);
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("requires approval"), "{out}");
    let file = env.read(&format!("published/{id}/001-acknowledge.status.md"));
    assert!(
        file.contains("07:50 UTC"),
        "not mended before approval: {file}"
    );
    env.ok(&["approve", &id]);
    let out = env.ok(&["publish", &id, "--yes"]);
    assert!(out.stdout.contains("edited"), "{out}");
    let file = env.read(&format!("published/{id}/001-acknowledge.status.md"));
    assert!(file.contains("07:30 UTC"), "{file}");
}
