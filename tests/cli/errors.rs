//! Errors from deep inside, as a person reads them: the one line, the hints, then the
//! `caused by:` chain down to the system's own reason, and the exit code their kind picks.

use std::net::TcpListener;

use crate::support::{CONFIG, TestEnv};

/// The output with the incident id and the project's temporary path made stable.
fn stable(env: &TestEnv, out: &crate::support::Output, id: Option<&str>) -> String {
    let mut text = out.to_string();
    if let Some(id) = id {
        text = text.replace(id, "[ID]");
    }
    text.replace(&env.root().display().to_string(), "[ROOT]")
}

#[test]
fn a_config_path_that_is_a_folder_gives_the_system_reason() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.root().join("conf.toml")).unwrap();
    let out = env.run(&["--config", "conf.toml", "list"]);
    assert_eq!(out.code, 2, "{out}");
    insta::assert_snapshot!(stable(&env, &out, None));
}

#[test]
fn a_postmortem_written_under_a_file_is_a_local_failure() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    env.write("notes", "a file, not a folder\n");
    let out = env.run(&["postmortem", &id, "--draft", "--output", "notes/pm.md"]);
    assert_eq!(out.code, 4, "{out}");
    insta::assert_snapshot!(stable(&env, &out, Some(&id)));
}

#[test]
fn a_record_that_cannot_be_read_is_a_local_failure() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    // The log replaced by a folder: what a broken disk or a bad merge tool can leave.
    let log = env.events_path(&id);
    std::fs::remove_file(&log).unwrap();
    std::fs::create_dir(&log).unwrap();
    let out = env.run(&["show", &id]);
    assert_eq!(out.code, 4, "{out}");
    insta::assert_snapshot!(stable(&env, &out, Some(&id)));
}

#[test]
fn a_template_override_failing_for_one_update_names_it_and_shows_why() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    env.write("templates/status.md", "{{ update.fields.cause }}\n");
    let out = env.run(&["site", "build"]);
    assert_eq!(out.code, 2, "{out}");
    insta::assert_snapshot!(stable(&env, &out, Some(&id)));
}

#[test]
fn a_publish_to_an_unreachable_host_shows_the_connection_failure() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = TestEnv::empty();
    env.write(
        "incident.toml",
        &format!(
            "{CONFIG}\n[targets.hook]\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{port}/hook\"\nattempts = 1\n"
        ),
    );
    std::fs::create_dir_all(env.root().join("incidents")).unwrap();
    let id = env.open("Uploads failing", &["--summary", "Uploads fail."]);
    let out = env.run(&["publish", &id, "--target", "hook", "--yes"]);
    assert_eq!(out.code, 3, "{out}");
    let text = stable(&env, &out, Some(&id)).replace(&port.to_string(), "[PORT]");
    insta::assert_snapshot!(text);
}
