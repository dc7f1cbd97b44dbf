//! The walked-through example in `examples/acme/`: its record is what `record.sh` makes with
//! the tool today, and `show --json` of it is the reviewed snapshot.

use crate::support::{
    BIN, EXAMPLE_NOW, assert_no_secret, example_command, example_dir, on_example, output, read,
};

#[test]
fn show_json_of_the_example_matches_the_snapshot() {
    let out = on_example(&["show", "k7m2", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stderr, "");
    let shown: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    for key in [
        "id",
        "title",
        "status",
        "severity",
        "components",
        "started_at",
        "acknowledged_at",
        "resolved_at",
        "updates",
        "timeline",
    ] {
        assert!(shown.get(key).is_some(), "`show --json` lacks `{key}`");
    }
    for key in [
        "seq",
        "stage",
        "status",
        "at",
        "author",
        "next_update_at",
        "publications",
    ] {
        assert!(
            shown["updates"][0].get(key).is_some(),
            "updates lack `{key}`"
        );
    }
    insta::assert_json_snapshot!("example_show", shown);
}

/// Event ids are random, so they are masked before comparing.
fn masked(events: &str) -> String {
    events
        .lines()
        .map(|line| {
            let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["id"] = "ID".into();
            value.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_example_record_is_what_the_tool_writes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example_dir().join("incident.toml"),
        dir.path().join("incident.toml"),
    )
    .unwrap();
    let out = output(
        std::process::Command::new("bash")
            .arg(example_dir().join("record.sh"))
            .arg(BIN)
            .arg(dir.path())
            .env_remove("CI"),
    );
    assert_eq!(out.code, 0, "{out}");
    let relative = "incidents/k7m2q9p/events.jsonl";
    let fresh = read(&dir.path().join(relative));
    let committed = read(&example_dir().join(relative));
    assert_eq!(
        masked(&fresh),
        masked(&committed),
        "examples/acme is stale: run `rm -r examples/acme/incidents && examples/acme/record.sh`"
    );
}

#[test]
fn human_show_of_the_example() {
    let out = on_example(&["show", "k7m2q9p"]);
    assert_eq!(out.code, 0, "{out}");
    insta::assert_snapshot!("example_show_text", out.stdout);
}

#[test]
fn the_demo_publishes_to_the_archive_and_dry_runs_the_rest() {
    let scratch = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new("bash");
    command
        .arg(example_dir().join("demo.sh"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("INCIDENT_BIN", BIN)
        .env("INCIDENT_NOW", EXAMPLE_NOW)
        .env("NO_COLOR", "1")
        .env("TMPDIR", scratch.path());
    let out = output(&mut command);
    assert_eq!(out.code, 0, "{out}");
    for expected in [
        "✓ No findings in update 5 of k7m2q9p.",
        "archive  file  published",
        "── partner-hook (webhook, status): will post",
        "POST $ACME_SLACK_WEBHOOK_URL",
        // Issue 14: a dry run names what a real one would lack.
        "`ACME_SLACK_WEBHOOK_URL` is not set here: a real publish would fail",
        "Dry run: nothing was sent.",
    ] {
        assert!(
            out.stdout.contains(expected) || out.stderr.contains(expected),
            "missing {expected:?}:\n{out}"
        );
    }
    // The example itself is untouched: the demo works on a copy.
    assert!(!example_dir().join("published").exists());
    let published: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().collect();
    assert_eq!(published.len(), 1);
}

#[test]
fn a_dry_run_of_the_example_shows_every_target_s_request_without_secrets() {
    let config = read(&example_dir().join("incident.toml"));
    let mut kinds = std::collections::BTreeSet::new();
    // Every secret the example names, set, so a leak would show.
    let secrets = [
        ("ACME_WP_APP_PASSWORD", "s3cr3t wp pass word".to_string()),
        (
            "ACME_GHOST_ADMIN_KEY",
            format!("s3cr3t:{}", "ab".repeat(32)),
        ),
        ("ACME_MASTODON_TOKEN", "s3cr3t-mastodon-token".to_string()),
        ("ACME_STATUSPAGE_KEY", "s3cr3t-statuspage-key".to_string()),
        (
            "ACME_SLACK_WEBHOOK_URL",
            "https://hooks.slack.example/s3cr3t-slack".to_string(),
        ),
        (
            "ACME_DISCORD_WEBHOOK_URL",
            "https://discord.example/api/webhooks/1/s3cr3t-discord".to_string(),
        ),
        (
            "ACME_TEAMS_WEBHOOK_URL",
            "https://teams.example/workflows?sig=s3cr3t-teams".to_string(),
        ),
        (
            "ACME_MATTERMOST_WEBHOOK_URL",
            "https://chat.example/hooks/s3cr3t-mattermost".to_string(),
        ),
        (
            "ACME_WEBHOOK_SECRET",
            "whsec_czNjcjN0LXdlYmhvb2stc2VjcmV0".to_string(),
        ),
        ("ACME_SMTP_PASSWORD", "s3cr3t-smtp".to_string()),
    ];
    for update in ["1", "2", "3", "4", "5"] {
        let mut command = example_command();
        command
            .envs(secrets.iter().map(|(name, value)| (*name, value.as_str())))
            .args(["publish", "k7m2", "--update", update, "--dry-run", "--json"]);
        let out = output(&mut command);
        assert_no_secret(&out, None, &["s3cr3t"]);
        assert_eq!(out.code, 0, "{out}");
        let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        for target in report["targets"].as_array().unwrap() {
            let name = target["target"].as_str().unwrap();
            kinds.insert(target["kind"].as_str().unwrap().to_string());
            let request = target["request"].as_str().unwrap_or_default();
            assert!(!request.is_empty(), "{name} shows no request: {target}");
            assert!(config.contains(&format!("[targets.{name}]")));
            // Every secret comes from an environment variable, shown by name only.
            assert!(
                !request.contains("Bearer ey") && !request.contains("Basic "),
                "{request}"
            );
        }
    }
    assert_eq!(kinds.len(), 12, "one target of each kind: {kinds:?}");
}
