//! The `wordpress` target against a real WordPress (Debian's package, started by
//! `.ci/run` with `shared/scripts/wordpress-up.sh`, which exports `WP_URL`, `WP_USER` and
//! `WP_APP_PASSWORD`).

use std::path::Path;

use crate::support::{CONFIG, Output, TestEnv};

/// The server's address and credentials, or `None` (with the reason printed) when no
/// WordPress was started. Under CI a missing WordPress is a failure, never a skip.
fn wordpress() -> Option<(String, String, String)> {
    let get = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    match (get("WP_URL"), get("WP_USER"), get("WP_APP_PASSWORD")) {
        (Some(url), Some(user), Some(password)) => Some((url, user, password)),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI must start WordPress: eval \"$(shared/scripts/wordpress-up.sh)\"")
        }
        _ => {
            // A skip says why, so a run without WordPress is never mistaken for a pass.
            skip_note(
                "skipped: WP_URL is unset; start WordPress with eval \"$(../shared/scripts/wordpress-up.sh)\"",
            );
            None
        }
    }
}

#[allow(clippy::print_stderr)]
fn skip_note(reason: &str) {
    eprintln!("{reason}");
}

fn project(url: &str, user: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "incident.toml",
        &format!(
            "{CONFIG}\n[targets.blog]\nkind = \"wordpress\"\nurl = \"{url}\"\nusername = \"{user}\"\npassword_env = \"BLOG_PASSWORD\"\n"
        ),
    );
    env
}

fn publish(env: &TestEnv, password: &str, args: &[&str]) -> Output {
    let mut command = env.command();
    command
        .env("BLOG_PASSWORD", password)
        .arg("publish")
        .args(args);
    let out = crate::support::output(&mut command);
    assert!(
        !out.stdout.contains(password) && !out.stderr.contains(password),
        "the password leaked:\n{out}"
    );
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

fn blog_publications(env: &TestEnv, id: &str) -> Vec<serde_json::Value> {
    env.show_json(id)["updates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|update| update["publications"].as_array().unwrap().clone())
        .filter(|publication| publication["target"] == "blog")
        .collect()
}

fn events(env: &TestEnv, id: &str) -> String {
    std::fs::read_to_string(env.events_path(id)).unwrap()
}

#[test]
fn one_post_per_incident_edited_as_the_story_grows() {
    let Some((url, user, password)) = wordpress() else {
        return;
    };
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
    let first = blog_publications(&env, &id);
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
    let script = env.write(
        "editor.sh",
        "printf 'Uploads fail for everyone. A storage node is full; we are moving data off it.\\n' > \"$1\"\n",
    );
    let mut edit = env.command();
    edit.env("EDITOR", format!("sh {}", script.display()))
        .args(["edit", &id, "--channel", "blog"]);
    assert_eq!(crate::support::output(&mut edit).code, 0);
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
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    assert!(
        post["content"]["rendered"]
            .as_str()
            .unwrap()
            .contains("we moved the data"),
        "{post}"
    );

    // Nothing new to send: nothing is sent.
    let modified = post["modified_gmt"].clone();
    let out = publish(&env, &password, &[&id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("already published"), "{out}");
    let post = fetch(&format!("{url}/wp-json/wp/v2/posts/{post_id}"));
    assert_eq!(post["modified_gmt"], modified);
    assert!(!events(&env, &id).contains(&password));
}

#[test]
fn another_clone_finds_the_post_by_slug() {
    let Some((url, user, password)) = wordpress() else {
        return;
    };
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
    let mine = blog_publications(&env, &id);
    let theirs = blog_publications(&other, &id);
    assert_eq!(mine[0]["remote_id"], theirs[0]["remote_id"]);
    let posts = fetch(&format!("{url}/wp-json/wp/v2/posts?slug=incident-{id}"));
    assert_eq!(posts.as_array().unwrap().len(), 1);
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

#[test]
fn a_wrong_password_is_one_clear_line_and_recorded() {
    let Some((url, user, _)) = wordpress() else {
        return;
    };
    let env = project(&url, &user);
    let id = env.open("Login errors", &["--summary", "Some people cannot log in."]);
    let wrong = "abcd efgh ijkl mnop qrst uvwx";
    let out = publish(&env, wrong, &[&id, "--yes"]);
    assert_eq!(out.code, 3, "{out}");
    let expected = format!("WordPress rejected the application password for user {user}");
    assert!(out.stdout.contains(&expected), "{out}");
    let recorded = blog_publications(&env, &id);
    assert_eq!(recorded[0]["state"], "failed");
    assert!(
        recorded[0]["error"]
            .as_str()
            .unwrap()
            .starts_with(&expected),
        "{recorded:?}"
    );
    assert!(!events(&env, &id).contains(wrong));
}
