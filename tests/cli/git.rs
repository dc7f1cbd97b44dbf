//! Git as the shared record: two clones that each add updates to one incident merge with no
//! conflict (the `merge=union` attribute `init` writes), and both sides' updates show once, in
//! time order, whichever way the merge goes.

use std::path::Path;
use std::process::Command;

use crate::support::{CONFIG, Output, TestEnv, output, read};

/// Runs git in `dir` with a cleared environment and a fixed identity; fails unless it exits 0.
fn git(env: &TestEnv, dir: &Path, args: &[&str]) -> Output {
    let out = output(
        Command::new("git")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.root())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test Author")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir),
    );
    assert_eq!(out.code, 0, "`git {}` failed:\n{out}", args.join(" "));
    out
}

/// Runs `incident` in `dir` as `author` at `now`; fails unless it exits 0.
fn incident(env: &TestEnv, dir: &Path, author: &str, now: &str, args: &[&str]) -> Output {
    let out = output(
        env.command()
            .env("INCIDENT_AUTHOR", author)
            .env("INCIDENT_NOW", now)
            .current_dir(dir)
            .args(args),
    );
    assert_eq!(out.code, 0, "`incident {}` failed:\n{out}", args.join(" "));
    out
}

fn show(env: &TestEnv, dir: &Path, id: &str) -> serde_json::Value {
    let out = incident(
        env,
        dir,
        "Reader",
        "2026-11-24T10:00:00Z",
        &["show", id, "--json"],
    );
    assert!(
        !out.stderr.contains("warning:"),
        "a clean merge reads without warnings:\n{out}"
    );
    serde_json::from_str(&out.stdout).unwrap()
}

/// Returns each update as (seq, at, author, message, event id).
fn update_list(shown: &serde_json::Value) -> Vec<(u64, String, String, String, String)> {
    shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|update| {
            (
                update["seq"].as_u64().unwrap(),
                update["at"].as_str().unwrap().to_string(),
                update["author"].as_str().unwrap().to_string(),
                update["message"].as_str().unwrap_or("").to_string(),
                update["event_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assert_no_conflict_markers(path: &Path) {
    let log = read(path);
    for marker in ["<<<<<<<", "=======", ">>>>>>>"] {
        assert!(
            !log.contains(marker),
            "`{marker}` in {}:\n{log}",
            path.display()
        );
    }
}

#[test]
fn two_clones_merge_their_updates_both_ways() {
    let env = TestEnv::empty();
    let a = env.root().join("a");
    let b = env.root().join("b");
    incident(
        &env,
        env.root(),
        "Ana",
        "2026-11-24T07:00:00Z",
        &["init", "a"],
    );
    let attributes = read(&a.join(".gitattributes"));
    assert!(
        attributes
            .lines()
            .any(|line| line.trim() == "incidents/*/events.jsonl merge=union"),
        "{attributes}"
    );
    // The publish lock is this machine's, never part of the shared record.
    let ignored = read(&a.join(".gitignore"));
    assert!(
        ignored
            .lines()
            .any(|line| line.trim() == "incidents/*/.publish.lock"),
        "{ignored}"
    );
    std::fs::write(a.join("incident.toml"), CONFIG).unwrap();
    git(&env, &a, &["init", "-q"]);
    let out = incident(
        &env,
        &a,
        "Ana",
        "2026-11-24T08:00:00Z",
        &["open", "--title", "Photos shown to the wrong people"],
    );
    let id = out.stdout.trim().to_string();
    git(&env, &a, &["add", "-A"]);
    git(&env, &a, &["commit", "-q", "-m", "Open the incident"]);
    git(&env, env.root(), &["clone", "-q", "a", "b"]);
    let events = |dir: &Path| dir.join("incidents").join(&id).join("events.jsonl");

    // The two responders' updates interleave in time.
    let update = |dir: &Path, author: &str, now: &str, message: &str| {
        let args = ["update", &id, "--message", message, "--next-update", "30m"];
        incident(&env, dir, author, now, &args);
    };
    update(&a, "Ana", "2026-11-24T08:10:00Z", "ana-1");
    update(&b, "Ben", "2026-11-24T08:20:00Z", "ben-1");
    update(&a, "Ana", "2026-11-24T08:30:00Z", "ana-2");
    update(&b, "Ben", "2026-11-24T08:40:00Z", "ben-2");
    for (dir, message) in [(&a, "Ana's updates"), (&b, "Ben's updates")] {
        git(&env, dir, &["commit", "-q", "-a", "-m", message]);
    }
    // Keep A as it was before the merge, for B to merge from.
    git(&env, &a, &["branch", "before-merge"]);

    git(
        &env,
        &a,
        &["pull", "-q", "--no-rebase", "--no-edit", "../b", "HEAD"],
    );
    assert_no_conflict_markers(&events(&a));
    let merged = update_list(&show(&env, &a, &id));
    let expected = [
        (1, "2026-11-24T08:00:00Z", "Ana", ""),
        (2, "2026-11-24T08:10:00Z", "Ana", "ana-1"),
        (3, "2026-11-24T08:20:00Z", "Ben", "ben-1"),
        (4, "2026-11-24T08:30:00Z", "Ana", "ana-2"),
        (5, "2026-11-24T08:40:00Z", "Ben", "ben-2"),
    ];
    let summary: Vec<(u64, &str, &str, &str)> = merged
        .iter()
        .map(|(seq, at, author, message, _)| (*seq, at.as_str(), author.as_str(), message.as_str()))
        .collect();
    assert_eq!(summary, expected);
    let mut event_ids: Vec<&String> = merged.iter().map(|update| &update.4).collect();
    event_ids.sort();
    event_ids.dedup();
    assert_eq!(event_ids.len(), 5, "no update is shown twice");

    // The other way round: union merge puts B's lines first, and the reader sorts them.
    git(
        &env,
        &b,
        &[
            "pull",
            "-q",
            "--no-rebase",
            "--no-edit",
            "../a",
            "before-merge",
        ],
    );
    assert_no_conflict_markers(&events(&b));
    let log_a = read(&events(&a));
    let log_b = read(&events(&b));
    let mut lines_a: Vec<&str> = log_a.lines().collect();
    let mut lines_b: Vec<&str> = log_b.lines().collect();
    assert_eq!(lines_a.len(), 5, "{log_a}");
    lines_a.sort_unstable();
    lines_b.sort_unstable();
    assert_eq!(lines_a, lines_b, "both merges keep the same lines");
    assert_eq!(update_list(&show(&env, &b, &id)), merged);

    // And once B has A's merge too, the clones agree.
    git(
        &env,
        &b,
        &["pull", "-q", "--no-rebase", "--no-edit", "../a", "HEAD"],
    );
    assert_no_conflict_markers(&events(&b));
    assert_eq!(update_list(&show(&env, &b, &id)), merged);
}

#[test]
fn a_line_repeated_by_a_merge_is_shown_once() {
    let env = TestEnv::new();
    let id = env.open("Twice told", &[]);
    env.ok(&["update", &id, "--message", "once", "--next-update", "30m"]);
    env.ok(&["update", &id, "--message", "later", "--next-update", "30m"]);
    let before = update_list(&env.show_json(&id));
    assert_eq!(before.len(), 3);

    // What a union merge of two branches that both carry the same appended lines can leave.
    let path = env.events_path(&id);
    let log = read(&path);
    let lines: Vec<&str> = log.lines().collect();
    let repeated = format!("{log}{}\n{}\n", lines[1], lines[0]);
    std::fs::write(&path, repeated).unwrap();

    let out = env.ok(&["show", &id, "--json"]);
    assert!(!out.stderr.contains("warning:"), "{out}");
    let shown: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(update_list(&shown), before);
    let timeline = shown["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 3, "{timeline:?}");

    // Numbering after the duplicate still counts each update once.
    env.ok(&["update", &id, "--message", "after", "--next-update", "30m"]);
    let after = update_list(&env.show_json(&id));
    assert_eq!(after.len(), 4);
    assert_eq!(after[3].0, 4);
    assert_eq!(after[3].3, "after");
}
