//! Presets: `[presets.NAME]` and `presets/NAME.toml`, `incident presets`, and `open --preset`
//! without a terminal (the terminal walk-through is in `prompts.rs`).

use serde_json::Value;

use crate::support::TestEnv;

const OUTAGE: &str = include_str!("../../src/cli/init_presets/outage.toml");
const SECURITY: &str = include_str!("../../src/cli/init_presets/security.toml");

fn with_presets() -> TestEnv {
    let env = TestEnv::with_config(
        r#"
[presets.photos-down]
description = "Photo storage is failing"
title = "Photos not loading"
severity = "sev2"
components = ["photos"]
impact = "Everyone viewing or uploading photos."
next_update = "45m"
"#,
    );
    env.write("presets/outage.toml", OUTAGE);
    env.write("presets/security.toml", SECURITY);
    env
}

#[test]
fn presets_lists_both_kinds_of_definition() {
    let env = with_presets();
    let listed: Value = serde_json::from_str(&env.ok(&["presets", "--json"]).stdout).unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|preset| preset["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["outage", "photos-down", "security"]);
    assert_eq!(listed[1]["components"], serde_json::json!(["photos"]));
    assert_eq!(listed[2]["questions"][0]["key"], "exposure");
    assert!(
        listed[0]["source"]
            .as_str()
            .unwrap()
            .ends_with("presets/outage.toml")
    );
    let table = env.ok(&["presets"]).stdout;
    assert!(table.contains("photos-down  sev2"), "{table}");
}

#[test]
fn without_a_terminal_the_preset_answers_and_flags_override_it() {
    let env = with_presets();
    let id = env.open("Photos fail in Europe", &["--preset", "photos-down"]);
    let shown = env.show_json(&id);
    assert_eq!(shown["title"], "Photos fail in Europe", "the flag wins");
    assert_eq!(shown["severity"], "sev2");
    assert_eq!(shown["components"], serde_json::json!(["photos"]));
    assert_eq!(shown["impact"], "Everyone viewing or uploading photos.");
    let at =
        chrono::DateTime::parse_from_rfc3339(shown["updates"][0]["at"].as_str().unwrap()).unwrap();
    let next =
        chrono::DateTime::parse_from_rfc3339(shown["next_update_at"].as_str().unwrap()).unwrap();
    assert_eq!(next - at, chrono::Duration::minutes(45));

    let id = env.open(
        "Photos slow",
        &[
            "--preset",
            "photos-down",
            "--severity",
            "sev3",
            "--component",
            "web",
            "--impact",
            "Some people in Europe.",
            "--next-update",
            "2h",
        ],
    );
    let shown = env.show_json(&id);
    assert_eq!(shown["severity"], "sev3");
    assert_eq!(shown["components"], serde_json::json!(["web"]));
    assert_eq!(shown["impact"], "Some people in Europe.");

    // A preset with a title needs no `--title`; its stage messages are the defaults later.
    let id = env
        .ok(&["open", "--preset", "outage"])
        .stdout
        .trim()
        .to_string();
    assert_eq!(env.show_json(&id)["title"], "Service unavailable");
    env.ok(&["update", &id, "--stage", "apologize"]);
    let shown = env.show_json(&id);
    assert_eq!(
        shown["updates"][1]["message"],
        "We are sorry. You could not use the service, and that is on us."
    );
}

#[test]
fn an_unknown_preset_is_a_usage_error_with_a_suggestion() {
    let env = with_presets();
    let out = env.run(&["open", "--preset", "securty", "--title", "x"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr,
        "error: unknown preset `securty`\nhint: did you mean `security`?\n"
    );
    assert_eq!(
        std::fs::read_dir(env.root().join("incidents"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn the_security_preset_needs_its_answer_and_guards_the_no_effect_claim() {
    let env = with_presets();
    let out = env.run(&["open", "--preset", "security"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("missing `--field exposure=…`"), "{out}");

    let id = env.open(
        "Albums shown to others",
        &[
            "--preset",
            "security",
            "--field",
            "exposure=Album previews, seen by other signed-in people",
        ],
    );
    let out = env.run(&[
        "update",
        &id,
        "--stage",
        "explain",
        "--message",
        "A cache served previews to the wrong accounts. There was no effect on security.",
    ]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr
            .contains("\"no effect on security\" while the incident concerns accounts or data"),
        "{out}"
    );
    // Once the answer is that nothing was exposed, saying so is honest.
    let calm = env.open(
        "Sign-in page slow",
        &["--preset", "security", "--field", "exposure=None"],
    );
    env.ok(&[
        "update",
        &calm,
        "--stage",
        "explain",
        "--message",
        "The sign-in page was slow for everyone. There was no effect on security.",
    ]);
}

#[test]
fn a_bad_preset_is_an_error_naming_its_file_and_line() {
    let env = TestEnv::new();
    env.write(
        "presets/slow.toml",
        "title = \"Slow\"\nseverity = \"sev9\"\n",
    );
    let out = env.run(&["presets"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr,
        "error: `presets/slow.toml` line 2, column 12: `severity` in `[presets.slow]` names unknown severity `sev9`\nhint: severities are `sev1`, `sev2`, `sev3`\n"
    );

    let env = TestEnv::with_config(
        "[presets.quiet]\nfields = { data_loss = \"none\" }\n[presets.quiet.messages]\nexplian = \"x\"\n",
    );
    let out = env.run(&["presets"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("answers `data_loss`, which `open` does not ask"),
        "{out}"
    );
    let env = TestEnv::with_config("[presets.quiet.messages]\nexplian = \"x\"\n");
    let out = env.run(&["presets"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("names unknown stage `explian`")
            && out.stderr.contains("did you mean `explain`?"),
        "{out}"
    );
}

#[test]
fn init_writes_presets_that_pass_the_checks() {
    let env = TestEnv::empty();
    env.ok(&[
        "init",
        "--org",
        "Pics Ltd",
        "--timezone",
        "UTC",
        "--status-url",
        "https://status.pics.test",
    ]);
    let listed: Value = serde_json::from_str(&env.ok(&["presets", "--json"]).stdout).unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|preset| preset["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["degraded", "outage", "security", "third-party"]);
    for name in names {
        let out = env.run(&[
            "open",
            "--preset",
            name,
            "--field",
            "exposure=Album previews, seen by other signed-in people",
        ]);
        assert_eq!(out.code, 0, "{name}: {out}");
        assert!(!out.stderr.contains("error["), "{name}: {out}");
    }
}
