//! `lint`, `due` and the checks shown after each stage, through the binary.

use crate::support::{CONFIG, TestEnv, output};

const BAD: &str = "Only a few users see errors on db-prod-03. It should be fixed by 3 pm UTC.";

#[test]
fn lint_reports_rule_place_and_hint_and_exits_1() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &["--summary", BAD]);
    let out = env.run(&["lint", &id]);
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(
        out.stdout,
        "error[minimising] status:3:1: \"Only a few users\" minimises what happened\n  \
         hint: say plainly what happened and to how many people; let readers judge how bad it was\n  \
         try: say how many and who: \"about 1 in 20 uploads failed, for customers in the EU\"\n\
         error[fix-time-promised] status:3:57: \"fixed by 3 pm\" promises when it will be fixed\n  \
         hint: promise the next update, not the fix: \"next update by 15:30\"\n  \
         try: \"We are working on a fix. Next update by 15:30 UTC.\"\n\
         error[internal-detail] status:3:32: \"db-prod-03\" is an internal detail in a public post\n  \
         hint: describe systems the way customers know them; keep host names, addresses and tickets internal\n  \
         try: name the system as customers know it: \"our login service\"\n"
    );
    assert!(
        out.stderr.starts_with(&format!(
            "error: update 1 of {id} has 3 error-level findings\n"
        )),
        "{out}"
    );

    let out = env.run(&["lint", &id, "--json"]);
    assert_eq!(out.code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["incident"], id.as_str());
    assert_eq!(report["update"], 1);
    assert_eq!(report["errors"], 3);
    assert_eq!(report["warnings"], 0);
    assert_eq!(
        report["findings"][2],
        serde_json::json!({
            "rule": "internal-detail",
            "level": "error",
            "channel": "status",
            "span": {"line": 3, "column": 32, "text": "db-prod-03"},
            "message": "\"db-prod-03\" is an internal detail in a public post",
            "hint": "describe systems the way customers know them; keep host names, addresses and tickets internal",
            "suggestion": "name the system as customers know it: \"our login service\""
        })
    );
}

#[test]
fn a_clean_update_exits_0_and_an_edit_is_what_is_checked() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &["--summary", BAD]);
    assert_eq!(env.run(&["lint", &id]).code, 1);
    env.edit(
        "Uploads fail for some people. Next update by 9:00 UTC.",
        &[&id, "--channel", "status"],
    );
    let out = env.run(&["lint", &id]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, format!("✓ No findings in update 1 of {id}.\n"));
}

#[test]
fn warnings_alone_exit_0() {
    let env = TestEnv::new();
    let id = env.open(
        "Errors",
        &["--summary", "Something is broken.", "--started-at=-2h"],
    );
    let out = env.run(&["lint", &id]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("warning[acknowledge-late] record: the first acknowledgement came 2 hours"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("warning[affected-unsaid] status: does not say who or what is affected"),
        "{out}"
    );
    assert_eq!(out.stderr, "0 errors and 2 warnings\n");
}

#[test]
fn the_example_is_lint_clean_at_every_update() {
    let env = TestEnv::empty();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/acme/incident.toml");
    for update in ["1", "2", "3", "4", "5"] {
        let out = env.run(&["--config", config, "lint", "k7m2", "--update", update]);
        assert_eq!(out.code, 0, "update {update}: {out}");
        // Not even a warning.
        assert_eq!(out.stdout, "", "update {update}: {out}");
        assert_eq!(
            out.stderr,
            format!("✓ No findings in update {update} of k7m2q9p.\n")
        );
    }
}

#[test]
fn rules_are_configured_in_the_playbook() {
    let env = TestEnv::new();
    env.write(
        "incident.toml",
        &format!(
            "{CONFIG}\n[playbook.rules.minimising]\nlevel = \"warning\"\n\n[playbook.rules.fix-time-promised]\nenabled = false\n\n[playbook.rules.internal-detail]\nenabled = false\n"
        ),
    );
    let id = env.open("Uploads failing", &["--summary", BAD]);
    let out = env.run(&["lint", &id]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.starts_with("warning[minimising] status:3:1:"),
        "{out}"
    );
    assert_eq!(out.stdout.matches("hint:").count(), 1, "{out}");
    assert_eq!(out.stdout.matches("try:").count(), 1, "{out}");
}

#[test]
fn bad_rule_settings_are_config_errors() {
    // (the table, the start of the line the error names, the error)
    let cases = [
        (
            "[playbook.rules.minimizing]\nenabled = false\n",
            "[playbook.rules.minimizing]",
            "unknown rule `minimizing` in `[playbook.rules]`\nhint: did you mean `minimising`?",
        ),
        (
            "[playbook.rules.minimising]\nlevel = \"fatal\"\n",
            "level",
            "unknown level `fatal` for rule `minimising`\nhint: use `error` or `warning`",
        ),
        (
            "[playbook.rules.internal-detail]\npatterns = [\"db-(prod\"]\n",
            "patterns",
            "pattern `db-(prod` is not a valid regular expression: error: unclosed group",
        ),
        (
            "[playbook.rules.social-limit]\nphrases = [\"x\"]\n",
            "phrases",
            "rule `social-limit` takes no `phrases`",
        ),
    ];
    for (table, start, expected) in cases {
        let env = TestEnv::new();
        let config = format!("{CONFIG}\n{table}");
        env.write("incident.toml", &config);
        let out = env.run(&["open", "--title", "x"]);
        assert_eq!(out.code, 2, "{out}");
        let line = config
            .lines()
            .position(|line| line.starts_with(start))
            .unwrap()
            + 1;
        assert!(
            out.stderr
                .starts_with(&format!("error: `incident.toml` line {line}")),
            "{out}"
        );
        assert!(
            out.stderr.contains(expected),
            "expected {expected:?}: {out}"
        );
        assert_eq!(
            std::fs::read_dir(env.root().join("incidents"))
                .unwrap()
                .count(),
            0
        );
    }
}

#[test]
fn an_update_with_errors_is_refused_before_recording_unless_forced() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    let update = [
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "It is a feature, not a bug.",
        "--field",
        "cause=a full disk",
    ];
    // Without a terminal there is nobody to choose "record anyway": refused, nothing written.
    let out = env.run(&update);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "error: update 2 of {id} would have 1 error-level finding; nothing was recorded"
        )),
        "{out}"
    );
    assert!(out.stderr.contains("`--force`"), "{out}");
    assert_eq!(env.show_json(&id)["updates"].as_array().unwrap().len(), 1);

    let out = env.run(&[&update[..], &["--force"]].concat());
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("recording update 2 with 1 error-level finding (`--force`)"),
        "{out}"
    );
    let drafts = out
        .stderr
        .find("Drafts of update 2")
        .expect("drafts are shown");
    let checks = out
        .stderr
        .find("Checks: 1 error")
        .expect("findings are shown");
    assert!(drafts < checks, "{out}");
    assert!(
        out.stderr.contains(
            "error[dismissal] status:3:7: \"a feature, not a bug\" dismisses what people saw"
        ),
        "{out}"
    );
}

#[test]
fn due_names_the_overdue_incident_and_the_delay() {
    let env = TestEnv::new();
    // Opened at 08:00 UTC with the next update promised 30 minutes later.
    let id = env.open("Uploads failing", &["--next-update", "30m"]);
    // Published, so that only the promise is at stake here.
    env.ok(&["publish", &id, "--yes"]);
    let at = |time: &str| {
        let mut command = env.command();
        command.env("INCIDENT_NOW", time).arg("due");
        output(&mut command)
    };
    let out = at("2026-11-24T08:20:00Z");
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stderr, "✓ No promised update is overdue.\n");

    let out = at("2026-11-24T08:42:00Z");
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains(&id), "{out}");
    assert!(out.stdout.contains("12 minutes"), "{out}");
    assert_eq!(
        out.stderr,
        format!(
            "error: the next update of {id} is overdue by 12 minutes\nhint: post an update now, even with no news: `incident update {id}`\n"
        )
    );

    let mut command = env.command();
    command
        .env("INCIDENT_NOW", "2026-11-24T08:42:00Z")
        .args(["due", "--json"]);
    let out = output(&mut command);
    assert_eq!(out.code, 1, "{out}");
    let overdue: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(overdue[0]["id"], id.as_str());
    assert_eq!(overdue[0]["overdue_seconds"], 720);
    assert_eq!(overdue[0]["next_update_at"], "2026-11-24T08:30:00Z");

    // An update keeps the promise; a resolved incident owes nothing.
    let mut command = env.command();
    command.env("INCIDENT_NOW", "2026-11-24T08:43:00Z").args([
        "resolve",
        &id,
        "--data-loss",
        "none",
        "--message",
        "Fixed. We are sorry. No data was lost.",
    ]);
    assert_eq!(output(&mut command).code, 0);
    assert_eq!(at("2026-11-24T09:42:00Z").code, 0);
}
