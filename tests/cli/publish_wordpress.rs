//! The `wordpress` target against a real WordPress (Debian's package, started by
//! `.ci/run` with `shared/scripts/wordpress-up.sh`, which exports `WP_URL`, `WP_USER` and
//! `WP_APP_PASSWORD`).
//!
//! Every test here is `#[ignore]`d: a plain `cargo test` lists them as ignored;
//! `cargo test -- --include-ignored` runs them, and fails them, saying how to start
//! WordPress, when it is not running. `.ci/run` starts it and runs them.

use crate::support::{Output, TestEnv, copy, output, server_env};

/// The server's address and credentials; fails the test, saying how to start WordPress,
/// when none was started.
fn wordpress() -> (String, String, String) {
    let [url, user, password]: [String; 3] = server_env(
        "WordPress",
        &["WP_URL", "WP_USER", "WP_APP_PASSWORD"],
        "eval \"$(../shared/scripts/wordpress-up.sh)\"",
    )
    .try_into()
    .unwrap();
    (url, user, password)
}

fn project(url: &str, user: &str) -> TestEnv {
    TestEnv::with_config(&format!(
        "[targets.blog]\nkind = \"wordpress\"\nurl = \"{url}\"\nusername = \"{user}\"\npassword_env = \"BLOG_PASSWORD\"\n"
    ))
}

fn publish(env: &TestEnv, password: &str, args: &[&str]) -> Output {
    let mut command = env.command();
    command
        .env("BLOG_PASSWORD", password)
        .arg("publish")
        .args(args);
    let out = output(&mut command);
    // Not in the output, nor in any file of the project (the record above all).
    env.assert_no_secret(&out, &[password]);
    out
}

/// Fetches JSON from WordPress's public REST API, as any reader could.
fn fetch(url: &str) -> serde_json::Value {
    let output = std::process::Command::new("curl")
        .args(["-sf", url])
        .output()
        .expect("curl runs");
    assert!(output.status.success(), "GET {url} failed");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
#[ignore = "needs WordPress: run with eval \"$(../shared/scripts/wordpress-up.sh)\" and cargo test -- --include-ignored"]
fn one_post_per_incident_edited_as_the_story_grows() {
    let (url, user, password) = wordpress();
    let env = project(&url, &user);
    let id = env.open(
        "Uploads failing",
        &[
            "--summary",
            "Uploads fail for everyone; we are looking into it.",
        ],
    );
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    let first = env.publications_to(&id, 1, "blog");
    let post_id = first[0]["remote_id"].as_str().unwrap().to_string();
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    assert_eq!(post["title"]["rendered"], "Uploads failing");
    assert_eq!(post["slug"], format!("incident-{id}"));
    assert!(
        post["content"]["rendered"]
            .as_str()
            .unwrap()
            .contains("Uploads fail for everyone; we are looking into it."),
        "{post}"
    );
    assert_eq!(first[0]["url"], post["link"]);

    // A person edits the blog draft: the same post changes, no second one appears.
    env.edit(
        "Uploads fail for everyone. A storage node is full; we are moving data off it.",
        &[&id, "--channel", "blog"],
    );
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("edited"), "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    assert!(
        post["content"]["rendered"]
            .as_str()
            .unwrap()
            .contains("A storage node is full"),
        "{post}"
    );
    let same_slug = fetch(&format!("{url}/wp-json/wp/v2/posts?slug=incident-{id}"));
    assert_eq!(
        same_slug.as_array().unwrap().len(),
        1,
        "one post per incident"
    );

    // A later update goes into the same post.
    env.ok(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A storage node filled up and uploads to it failed; we moved the data.",
        "--field",
        "cause=a full storage node",
    ]);
    // The story is rendered again from the record, which would drop the person's edit of
    // update 1: publish says so and sends nothing (issue 12) ...
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("error[edit-lost] blog"), "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    assert!(
        !post["content"]["rendered"]
            .as_str()
            .unwrap()
            .contains("we moved the data")
    );
    // ... until the edit is carried into the new story, which then goes out whole.
    env.edit(
        "Uploads fail for everyone. A storage node is full; we are moving data off it.\n\nA storage node filled up and uploads to it failed; we moved the data.",
        &[&id, "--update", "2", "--channel", "blog"],
    );
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    let content = post["content"]["rendered"].as_str().unwrap();
    assert!(content.contains("we moved the data"), "{post}");
    assert!(content.contains("A storage node is full"), "{post}");

    // Nothing new to send: nothing is sent.
    let modified = post["modified_gmt"].clone();
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("already published"), "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    assert_eq!(post["modified_gmt"], modified);
    assert!(!env.events(&id).contains(&password));
}

#[test]
#[ignore = "needs WordPress: run with eval \"$(../shared/scripts/wordpress-up.sh)\" and cargo test -- --include-ignored"]
fn another_clone_finds_the_post_by_slug() {
    let (url, user, password) = wordpress();
    let env = project(&url, &user);
    let id = env.open(
        "Search is slow",
        &["--summary", "Search takes seconds for everyone."],
    );
    // Two responders with their own clones, before either has pulled the other's record.
    let other = TestEnv::new();
    copy(
        &env.root().join("incident.toml"),
        &other.root().join("incident.toml"),
    );
    copy(&env.events_path(&id), &other.events_path(&id));

    assert_eq!(publish(&env, &password, &[&id, "--yes"]).code, 0);
    let out = publish(&other, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    let mine = env.publications_to(&id, 1, "blog");
    let theirs = other.publications_to(&id, 1, "blog");
    assert_eq!(mine[0]["remote_id"], theirs[0]["remote_id"]);
    let posts = fetch(&format!("{url}/wp-json/wp/v2/posts?slug=incident-{id}"));
    assert_eq!(posts.as_array().unwrap().len(), 1);
}

#[test]
#[ignore = "needs WordPress: run with eval \"$(../shared/scripts/wordpress-up.sh)\" and cargo test -- --include-ignored"]
fn a_wrong_password_is_one_clear_line_and_recorded() {
    let (url, user, _) = wordpress();
    let env = project(&url, &user);
    let id = env.open("Login errors", &["--summary", "Some people cannot log in."]);
    let wrong = "abcd efgh ijkl mnop qrst uvwx";
    let out = publish(&env, wrong, &[&id, "--yes"]);
    assert_eq!(out.code, 3, "{out}");
    let expected = format!("WordPress rejected the application password for user {user}");
    assert!(out.stdout.contains(&expected), "{out}");
    let recorded = env.publications_to(&id, 1, "blog");
    assert_eq!(recorded[0]["state"], "failed");
    assert!(
        recorded[0]["error"]
            .as_str()
            .unwrap()
            .starts_with(&expected),
        "{recorded:?}"
    );
    assert!(!env.events(&id).contains(wrong));
}

#[test]
#[ignore = "needs WordPress: run with eval \"$(../shared/scripts/wordpress-up.sh)\" and cargo test -- --include-ignored"]
fn a_correction_rewrites_the_story_in_place_with_its_note() {
    let (url, user, password) = wordpress();
    let env = project(&url, &user);
    let wrong = "Uploads fail for everyone since 07:50 UTC.";
    let right = "Uploads fail for everyone since 07:30 UTC.";
    let id = env.open("Uploads failing (correction)", &["--summary", wrong]);
    assert_eq!(publish(&env, &password, &[&id, "--yes"]).code, 0);
    env.ok(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A storage node filled up; we are moving data off it.",
    ]);
    assert_eq!(publish(&env, &password, &[&id, "--yes"]).code, 0);
    let post_id = env.publications_to(&id, 1, "blog")[0]["remote_id"]
        .as_str()
        .unwrap()
        .to_string();

    env.ok(&["correct", &id, "--update", "1", "--message", right]);
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("edited"), "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    let content = post["content"]["rendered"].as_str().unwrap();
    assert!(content.contains(right), "{content}");
    assert!(content.contains("Corrected at "), "{content}");
    assert!(content.contains("this update first said"), "{content}");
    assert!(
        content.contains("we are moving data off it"),
        "the later update stays in the story: {content}"
    );
    let same_slug = fetch(&format!("{url}/wp-json/wp/v2/posts?slug=incident-{id}"));
    assert_eq!(same_slug.as_array().unwrap().len(), 1, "still one post");

    // A rerun sends nothing.
    let modified = post["modified_gmt"].clone();
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("already published"), "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    assert_eq!(post["modified_gmt"], modified);
}
