//! The 3 a.m. flow as a tired person types it (issue 14): relative times written the way
//! the README shows them, severities by any spelling, a title without `--title`, and a
//! postmortem that reads right.

use crate::support::TestEnv;

/// Runs `lint ID --json` and returns its exit code and the findings of `rule`.
fn findings_of(env: &TestEnv, id: &str, rule: &str) -> (i32, Vec<serde_json::Value>) {
    let out = env.run(&["lint", id, "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"] == rule)
        .cloned()
        .collect();
    (out.code, findings)
}

#[test]
fn every_time_and_duration_argument_takes_a_leading_minus() {
    let env = TestEnv::new();
    // The clock of the first command is 08:00 UTC; 45 minutes before is 07:15.
    let id = env.open("Uploads failing", &["--started-at", "-45m"]);
    let shown = env.show_json(&id);
    assert_eq!(shown["started_at"], "2026-11-24T07:15:00Z", "{shown}");

    // A DUR with a minus reaches the tool, which refuses it for what it says rather than
    // clap for how it looks.
    for args in [
        &[
            "update",
            &id,
            "--message",
            "Still failing.",
            "--next-update",
            "-30m",
        ][..],
        &["open", "--title", "x", "--next-update", "-30m"],
    ] {
        let out = env.run(args);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains("`-30m`"), "{out}");
        assert!(!out.stderr.contains("unexpected argument"), "{out}");
    }

    // `resolve --resolved-at -5m`: five minutes before the command's own clock.
    let out = env.ok(&[
        "resolve",
        &id,
        "--data-loss",
        "none",
        "--message",
        "Fixed; we are sorry. No data was lost.",
        "--resolved-at",
        "-5m",
    ]);
    let shown = env.show_json(&id);
    let resolved = shown["resolved_at"].as_str().unwrap().to_string();
    assert!(resolved.ends_with(":00Z"), "{out}\n{shown}");
    assert!(resolved.as_str() < "2026-11-24T08:03:00Z", "{resolved}");

    // A window is planned ahead (`+2h`), and its flags take a minus like any other.
    let out = env.ok_at(
        "2026-11-24T08:00:00Z",
        &[
            "maintenance",
            "schedule",
            "--title",
            "Database upgrade",
            "--starts",
            "+2h",
            "--ends",
            "in 3h",
            "--remind",
            "1h",
        ],
    );
    let window = out.stdout.trim();
    let listed = env.ok(&["maintenance", "list", "--json"]).stdout;
    assert!(
        listed.contains("2026-11-24T10:00:00Z"),
        "{window}: {listed}"
    );
    assert!(listed.contains("2026-11-24T11:00:00Z"), "{listed}");
    for (flag, value, said) in [
        ("--starts", "-1h", "`--ends`"),
        ("--remind", "-30m", "`-30m`"),
    ] {
        let mut args = vec![
            "maintenance",
            "schedule",
            "--title",
            "x",
            "--starts",
            "+2h",
            "--ends",
            "+1h30m",
        ];
        if flag == "--starts" {
            // An hour ago, ending two hours ago: refused for what it says.
            args[5] = value;
            args[7] = "-2h";
        } else {
            args[7] = "+3h";
            args.extend([flag, value]);
        }
        let out = env.run(&args);
        assert_eq!(out.code, 2, "{out}");
        assert!(!out.stderr.contains("unexpected argument"), "{out}");
        assert!(out.stderr.contains(said), "{flag} {value}: {out}");
    }
}

#[test]
fn a_severity_is_found_by_name_or_label_in_any_case() {
    let env = TestEnv::new();
    for (given, stored) in [("SEV1", "sev1"), ("Critical", "sev1"), ("major", "sev2")] {
        let id = env.open("Uploads failing", &["--severity", given]);
        assert_eq!(env.show_json(&id)["severity"], stored, "{given}");
    }
    let out = env.run(&["open", "--title", "x", "--severity", "sev9"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("unknown severity `sev9`"), "{out}");
}

#[test]
fn a_title_may_be_given_without_its_flag() {
    let env = TestEnv::new();
    let id = env.ok(&["open", "Login broken"]).stdout.trim().to_string();
    assert_eq!(env.show_json(&id)["title"], "Login broken");
    let out = env.run(&["open", "Login broken", "--title", "Other"]);
    assert_eq!(out.code, 2, "{out}");
}

#[test]
fn the_postmortem_ends_its_last_line_and_says_utc_once() {
    let env = TestEnv::with_config("");
    let utc = env.read("incident.toml").replace("America/New_York", "UTC");
    env.write("incident.toml", &utc);
    let id = env.open("Uploads failing", &[]);
    env.ok(&[
        "resolve",
        &id,
        "--data-loss",
        "none",
        "--message",
        "Fixed; we are sorry. No data was lost.",
    ]);
    let out = env.ok(&["postmortem", &id]);
    assert!(
        out.stdout.ends_with("_\n") || out.stdout.ends_with(".\n"),
        "{out}"
    );
    assert!(out.stdout.contains("Times are in UTC.\n"), "{out}");
    assert!(!out.stdout.contains("with UTC beside them"), "{out}");
    // The acknowledgement used the stage's default text: no empty quote after its author.
    assert!(
        out.stdout
            .contains("Acknowledged (update 1, investigating) by Test Author |"),
        "{out}"
    );
}

#[test]
fn message_only_updates_keep_the_status_and_a_resolved_incident_needs_reopen() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    for message in ["Uploads are still failing.", "Still failing; we are on it."] {
        env.ok(&["update", &id, "--message", message]);
    }
    let shown = env.show_json(&id);
    let statuses: Vec<&str> = shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|update| update["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["investigating"; 3], "{shown}");
    // An explicit stage or status moves it.
    env.ok(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A full disk.",
    ]);
    assert_eq!(env.show_json(&id)["status"], "identified");
    env.ok(&[
        "update",
        &id,
        "--status",
        "monitoring",
        "--message",
        "A fix is out.",
    ]);
    assert_eq!(env.show_json(&id)["status"], "monitoring");
    // Resolving is `resolve`'s: it asks the end time and whether data was lost.
    let out = env.run(&["update", &id, "--status", "resolved", "--message", "Done."]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(&format!("`incident resolve {id}`")),
        "{out}"
    );

    env.ok(&[
        "resolve",
        &id,
        "--data-loss",
        "none",
        "--message",
        "Fixed; we are sorry. No data was lost.",
    ]);
    let out = env.run(&["update", &id, "--message", "Uploads fail again."]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "error: incident `{id}` is resolved\nhint: if it is not over, `incident reopen {id} --reason"
        )),
        "{out}"
    );
    assert_eq!(env.event_kinds(&id).len(), 6, "nothing was recorded");

    let out = env.run(&["reopen", &id]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("`--reason`"), "{out}");
    env.ok_at(
        "2026-11-24T09:00:00Z",
        &[
            "reopen",
            &id,
            "--reason",
            "Uploads fail again for large files.",
            "--next-update",
            "20m",
        ],
    );
    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "investigating");
    assert_eq!(shown["resolved_at"], serde_json::Value::Null);
    // Reopening promises the next word, and the silence after it is watched.
    assert_eq!(shown["next_update_at"], "2026-11-24T09:20:00Z");
    let quiet = env.run_at("2026-11-24T09:25:00Z", &["due", "--json"]);
    assert_eq!(quiet.code, 1, "{quiet}");
    let items: serde_json::Value = serde_json::from_str(&quiet.stdout).unwrap();
    let overdue: Vec<&serde_json::Value> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["reason"] == "overdue")
        .collect();
    assert_eq!(overdue.len(), 1, "{items}");
    assert_eq!(overdue[0]["id"], id.as_str());
    assert_eq!(overdue[0]["overdue_seconds"], 300);
    let timeline = shown["timeline"].as_array().unwrap();
    assert_eq!(
        timeline.last().unwrap()["text"],
        "Reopened: Uploads fail again for large files."
    );
    let listed = env.ok(&["list", "--json"]).stdout;
    assert!(
        listed.contains(&id),
        "a reopened incident is open again: {listed}"
    );
    env.ok(&["update", &id, "--message", "Large uploads fail again."]);
    assert_eq!(env.show_json(&id)["status"], "investigating");
    // Reopening what is open says so.
    let out = env.run(&["reopen", &id, "--reason", "again"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("is not resolved (it is investigating)"),
        "{out}"
    );
}

#[test]
fn resolve_without_a_terminal_needs_the_data_loss_answer() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    let out = env.run(&[
        "resolve",
        &id,
        "--message",
        "Uploads work again; we are sorry.",
    ]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: missing `--data-loss` (no terminal to prompt on)"),
        "{out}"
    );
    assert_eq!(env.show_json(&id)["status"], "investigating");
    for (given, stored) in [("unknown", "unknown"), ("some", "some")] {
        let id = env.open("Uploads failing", &[]);
        env.ok(&[
            "resolve",
            &id,
            "--message",
            "Uploads work again; we are sorry.",
            "--data-loss",
            given,
        ]);
        assert_eq!(
            env.show_json(&id)["updates"][1]["fields"]["data_loss"],
            stored
        );
    }
}

#[test]
fn how_long_an_update_may_wait_unsent_is_configured() {
    let env = TestEnv::with_config("[publishing]\nunpublished_after = \"30m\"\n");
    let id = env.open("Uploads failing", &[]);
    let out = env.run_at("2026-11-24T08:20:00Z", &["due"]);
    assert_eq!(out.code, 0, "{out}");
    let out = env.run_at("2026-11-24T08:31:00Z", &["due", "--json"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains(&id), "{out}");

    let bad = TestEnv::with_config("[publishing]\nunpublished_after = \"soon\"\n");
    let out = bad.run(&["list"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("bad duration `soon` for `unpublished_after` in `[publishing]`"),
        "{out}"
    );
}

#[test]
fn publish_after_recording_sends_at_once_with_the_checks_of_publish() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone.", "--publish"],
    );
    assert!(env.finished(&id, "local"), "the acknowledgement went out");
    assert_eq!(env.show_json(&id)["unpublished"], serde_json::json!([]));

    let out = env.ok(&[
        "update",
        &id,
        "--message",
        "A full disk on one storage node; we are clearing it.",
        "--publish",
    ]);
    assert!(!out.stderr.contains("Not published"), "{out}");
    assert_eq!(env.publications_to(&id, 2, "local").len(), 1);

    // Recorded over its errors with `--force`, an update is not published by `--publish`:
    // that takes `incident publish --force`, a decision of its own.
    let out = env.run(&[
        "update",
        &id,
        "--message",
        "It is a feature, not a bug.",
        "--force",
        "--publish",
    ]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("nothing was published"), "{out}");
    assert_eq!(env.show_json(&id)["updates"].as_array().unwrap().len(), 3);
    assert!(env.publications_to(&id, 3, "local").is_empty());
}

#[test]
fn a_resolution_that_fails_the_checks_is_refused_and_the_incident_stays_open() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    let out = env.run(&["resolve", &id, "--message", "Fixed.", "--data-loss", "none"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("error[apology-missing]"), "{out}");
    assert!(out.stderr.contains("nothing was recorded"), "{out}");
    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "investigating");
    assert_eq!(shown["updates"].as_array().unwrap().len(), 1);
    // What the checks asked for, said, resolves it: nothing was lost to the refusal.
    env.ok(&[
        "resolve",
        &id,
        "--message",
        "Fixed. We are sorry: uploads failed for an hour.",
        "--data-loss",
        "none",
    ]);
    assert_eq!(env.show_json(&id)["status"], "resolved");
}

#[test]
fn an_unpublished_update_is_named_by_the_walkthrough_show_list_and_due() {
    let env = TestEnv::new();
    // Opened at 08:00; the `local` file target receives every stage.
    let id = env.open("Uploads failing", &[]);
    let out = env.ok(&["update", &id, "--message", "Uploads still fail."]);
    assert!(
        out.stderr.contains(&format!(
            "Not published: update 2 of {id} is recorded, but was not sent to local."
        )),
        "{out}"
    );
    assert!(
        out.stderr.contains(&format!("`incident publish {id}`")),
        "{out}"
    );
    let shown = env.ok(&["show", &id]).stdout;
    assert!(
        shown.contains(&format!(
            "NOT PUBLISHED to local (`incident publish {id} --update 2` sends it)"
        )),
        "{shown}"
    );
    let json = env.show_json(&id);
    assert_eq!(
        json["unpublished"],
        serde_json::json!([{"update": 1, "targets": ["local"]}, {"update": 2, "targets": ["local"]}]),
        "{json}"
    );
    let listed = env.ok(&["list"]).stdout;
    assert!(listed.contains("UNPUBLISHED"), "{listed}");
    assert!(listed.contains("updates 1, 2"), "{listed}");
    let listed: serde_json::Value =
        serde_json::from_str(&env.ok(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed[0]["unpublished"], serde_json::json!([1, 2]));
    // Within five minutes an update may still be on its way; after, `due` says so.
    let soon = env.run_at("2026-11-24T08:03:00Z", &["due"]);
    assert_eq!(soon.code, 0, "{soon}");
    let late = env.run_at("2026-11-24T08:10:00Z", &["due", "--json"]);
    assert_eq!(late.code, 1, "{late}");
    let items: serde_json::Value = serde_json::from_str(&late.stdout).unwrap();
    let unpublished: Vec<&serde_json::Value> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["reason"] == "unpublished")
        .collect();
    assert_eq!(unpublished.len(), 2, "{items}");
    assert_eq!(unpublished[1]["update"], 2);
    assert_eq!(unpublished[1]["targets"], serde_json::json!(["local"]));
    // Published, nothing is owed.
    env.ok(&["publish", &id, "--update", "1", "--yes"]);
    env.ok(&["publish", &id, "--update", "2", "--yes"]);
    let out = env.run_at("2026-11-24T08:10:00Z", &["due"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(!env.ok(&["show", &id]).stdout.contains("NOT PUBLISHED"));
    assert_eq!(env.show_json(&id)["unpublished"], serde_json::json!([]));
    let listed: serde_json::Value =
        serde_json::from_str(&env.ok(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed[0]["unpublished"], serde_json::json!([]));
}

#[test]
fn lint_on_a_fresh_init_reports_the_placeholder_organisation() {
    let env = TestEnv::empty();
    let out = env.ok(&["init"]);
    assert!(
        out.stderr.contains("the checks report it as an error"),
        "{out}"
    );
    let id = env.open("Login broken", &["--summary", "People cannot sign in."]);
    let (code, placeholders) = findings_of(&env, &id, "placeholder");
    assert_eq!(code, 1);
    assert!(!placeholders.is_empty());
    assert!(
        placeholders
            .iter()
            .all(|finding| finding["level"] == "error")
    );
    let said: Vec<&str> = placeholders
        .iter()
        .filter_map(|finding| finding["message"].as_str())
        .collect();
    assert!(
        said.iter()
            .any(|message| message.contains("\"Example Org\"")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|message| message.contains("\"https://status.example.com\"")),
        "{said:?}"
    );

    // Replaced, the finding goes.
    let config = env
        .read("incident.toml")
        .replace("Example Org", "Acme Photos")
        .replace("https://status.example.com", "https://status.acme.test");
    env.write("incident.toml", &config);
    let out = env.run(&["lint", &id, "--json"]);
    assert!(!out.stdout.contains("\"placeholder\""), "{out}");

    // Answered by flags, `init` writes no placeholder at all.
    let answered = TestEnv::empty();
    let out = answered.ok(&[
        "init",
        "--org",
        "Acme Photos",
        "--timezone",
        "Europe/Berlin",
        "--status-url",
        "https://status.acme.test",
    ]);
    assert!(!out.stderr.contains("warning"), "{out}");
    let id = answered.open("Login broken", &["--summary", "People cannot sign in."]);
    let (_, placeholders) = findings_of(&answered, &id, "placeholder");
    assert_eq!(placeholders, Vec::<serde_json::Value>::new());
}

#[test]
fn an_edit_of_an_earlier_blog_story_is_never_lost_in_silence() {
    // Issue 12: the blog draft is the whole story; a later update renders it again.
    let env = TestEnv::with_config(
        "[targets.blog]\nkind = \"file\"\npath = \"blog\"\nchannel = \"blog\"\n",
    );
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    env.ok(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A full disk on one node.",
    ]);
    let edited =
        "# Uploads failing\n\nOur own words about the full disk, for everyone who uploads.";
    env.edit(edited, &[&id, "--update", "2", "--channel", "blog"]);
    env.ok(&[
        "update",
        &id,
        "--message",
        "Uploads work for most people again.",
    ]);

    let (code, lost) = findings_of(&env, &id, "edit-lost");
    assert_eq!(code, 1);
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(lost[0]["channel"], "blog");
    assert!(
        lost[0]["message"]
            .as_str()
            .unwrap()
            .contains("the blog draft of update 2 was edited"),
        "{lost:?}"
    );
    // `publish` says so before it sends anything.
    let out = env.run(&["publish", &id, "--target", "blog", "--yes"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("edit-lost"), "{out}");
    assert!(!env.root().join("blog").exists(), "nothing was written");

    // Carried over by a person, the story goes out.
    env.edit(
        &format!("{edited}\n\nUploads work for most people again."),
        &[&id, "--update", "3", "--channel", "blog"],
    );
    let out = env.run(&["lint", &id, "--json"]);
    assert!(!out.stdout.contains("edit-lost"), "{out}");
}

#[test]
fn publish_with_no_targets_says_how_to_add_one() {
    let env = TestEnv::new();
    let bare = env.read("incident.toml").replace(
        "[targets.local]\nkind = \"file\"\npath = \"published\"\n",
        "",
    );
    env.write("incident.toml", &bare);
    let id = env.open("Uploads failing", &[]);
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("defines no targets"), "{out}");
    assert!(
        out.stderr.contains("hint: add a `[targets.NAME]` table"),
        "{out}"
    );

    // A target that does not receive the stage: nothing to do, and how to change that.
    env.write(
        "incident.toml",
        &format!(
            "{bare}\n[targets.blog]\nkind = \"file\"\npath = \"blog\"\nstages = [\"explain\"]\n"
        ),
    );
    let out = env.run(&["publish", &id, "--yes"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("No target receives the `acknowledge` stage"),
        "{out}"
    );
    assert!(
        out.stderr.contains("hint: a target receives a stage"),
        "{out}"
    );
}
