//! Crash safety of the event log: an update reported written survives `kill -9`, a torn last
//! line from a power loss is reported and skipped without hiding earlier events, and events
//! of unknown kinds stay on disk untouched.

use std::collections::HashSet;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::{Output, TestEnv, read};

/// A xorshift64 generator: enough randomness for kill delays, with no extra crate.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> XorShift {
        // Zero is the one state xorshift never leaves.
        XorShift(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Lines holding a whole event: parsed as JSON with the envelope every event has.
fn whole_event_lines(log: &str) -> Vec<serde_json::Value> {
    log.split_inclusive('\n')
        .filter(|line| line.ends_with('\n'))
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line.trim_end()).ok())
        .filter(|event| event["id"].is_string() && event["kind"].is_string())
        .collect()
}

fn messages(shown: &serde_json::Value) -> Vec<String> {
    shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|update| update["message"].as_str().map(str::to_string))
        .collect()
}

fn warnings(out: &Output) -> Vec<&str> {
    out.stderr
        .lines()
        .filter(|line| line.starts_with("warning:"))
        .collect()
}

#[test]
fn updates_reported_written_survive_kill_9() {
    let env = TestEnv::new();
    let id = env.open("Killed writers", &[]);
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut random = XorShift::new(seed);
    let mut written = Vec::new();
    let mut killed = 0;
    // How long a whole `update` takes here, measured on the runs left to finish (the first
    // is one), so kills land anywhere in a run, the append included, on any machine.
    let mut slowest = Duration::ZERO;
    for n in 0..60 {
        let message = format!("crash-{n}");
        let mut child = env
            .command()
            .args([
                "-q",
                "update",
                &id,
                "--message",
                &message,
                "--next-update",
                "30m",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // One in four runs to the end; the others are killed at an even random moment up
        // to a little past the slowest whole run seen so far.
        let started = std::time::Instant::now();
        let run_to_end = n % 4 == 0;
        if !run_to_end {
            let window = (slowest.as_micros() as u64 * 6 / 5).max(1);
            std::thread::sleep(Duration::from_micros(random.next() % window));
            // An error means it has already exited; `wait` below says how.
            let _ = child.kill();
        }
        let out = child.wait_with_output().unwrap();
        if run_to_end {
            slowest = slowest.max(started.elapsed());
        }
        if out.status.success() {
            written.push(message);
        } else {
            killed += 1;
            assert!(
                !run_to_end && out.status.code().is_none(),
                "seed {seed}: `update` {n} failed by itself, not by SIGKILL ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    let show = env.run(&["show", &id]);
    assert_eq!(show.code, 0, "seed {seed}: `show` after kills:\n{show}");
    let shown = env.show_json(&id);
    let shown_messages = messages(&shown);
    for message in &written {
        assert!(
            shown_messages.contains(message),
            "seed {seed}: `{message}` was reported written but is missing; {killed} killed; shown: {shown_messages:?}"
        );
    }
    let unique: HashSet<&String> = shown_messages.iter().collect();
    assert_eq!(
        unique.len(),
        shown_messages.len(),
        "seed {seed}: an update is shown twice: {shown_messages:?}"
    );

    let log = env.events(&id);
    let lines = whole_event_lines(&log);
    let updates = shown["updates"].as_array().unwrap();
    assert_eq!(
        updates.len(),
        lines.len(),
        "seed {seed}: every whole line is one update, and only those are; log:\n{log}"
    );
    let line_ids: HashSet<&str> = lines
        .iter()
        .map(|event| event["id"].as_str().unwrap())
        .collect();
    for update in updates {
        assert!(line_ids.contains(update["event_id"].as_str().unwrap()));
    }
    let seqs: Vec<u64> = updates
        .iter()
        .map(|update| update["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=updates.len() as u64).collect::<Vec<_>>());
}

#[test]
fn torn_last_line_is_reported_skipped_and_then_left_behind() {
    let env = TestEnv::new();
    let id = env.open("Power cut", &[]);
    env.ok(&[
        "update",
        &id,
        "--message",
        "before-1",
        "--next-update",
        "30m",
    ]);
    env.ok(&[
        "update",
        &id,
        "--message",
        "before-2",
        "--next-update",
        "30m",
    ]);
    let path = env.events_path(&id);
    let intact = read(&path);
    assert_eq!(intact.lines().count(), 3);
    // What a power cut halfway through writing a fourth event leaves: no newline.
    let last = intact.lines().last().unwrap();
    let torn = &last[..last.len() / 2];
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(torn.as_bytes())
        .unwrap();
    let place = format!("incidents/{id}/events.jsonl:4:");

    let show = env.run(&["show", &id]);
    assert_eq!(show.code, 0, "{show}");
    let warned = warnings(&show);
    assert_eq!(warned.len(), 1, "{show}");
    assert!(warned[0].contains(&place), "{show}");
    assert!(warned[0].contains("torn last line"), "{show}");
    assert!(show.stdout.contains("before-1"), "{show}");
    assert!(show.stdout.contains("before-2"), "{show}");
    assert_eq!(
        messages(&env.show_json(&id)),
        ["before-1", "before-2"],
        "the acknowledgement has no message; both updates are kept"
    );

    let update = env.run(&["update", &id, "--message", "after", "--next-update", "30m"]);
    assert_eq!(update.code, 0, "{update}");
    let warned = warnings(&update);
    assert_eq!(warned.len(), 1, "warned once per command:\n{update}");
    assert!(warned[0].contains(&place), "{update}");
    assert!(warned[0].contains("torn last line"), "{update}");

    let log = read(&path);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 5, "{log}");
    assert!(log.starts_with(&intact), "earlier lines untouched:\n{log}");
    assert_eq!(lines[3], torn, "the torn line stays as it was:\n{log}");
    assert!(log.ends_with('\n'));
    assert!(serde_json::from_str::<serde_json::Value>(lines[4]).is_ok());

    let show = env.run(&["show", &id]);
    assert_eq!(show.code, 0, "{show}");
    let warned = warnings(&show);
    assert_eq!(warned.len(), 1, "{show}");
    assert!(warned[0].contains(&place), "{show}");
    assert!(warned[0].contains("unreadable line"), "{show}");
    assert!(show.stdout.contains("after"), "{show}");
    let shown = env.show_json(&id);
    assert_eq!(messages(&shown), ["before-1", "before-2", "after"]);
    let seqs: Vec<u64> = shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|update| update["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
}

#[test]
fn unknown_event_kind_is_kept_on_disk_and_warned_about() {
    let env = TestEnv::new();
    let id = env.open("From the future", &[]);
    env.ok(&["update", &id, "--message", "before", "--next-update", "30m"]);
    let newer = r#"{"id":"01JD00000000000000000000ZZ","at":"2026-11-24T08:30:00Z","author":"x","kind":"escalated","data":{"to":"ceo"}}"#;
    let path = env.events_path(&id);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(format!("{newer}\n").as_bytes())
        .unwrap();
    let before = read(&path);
    let place = format!("incidents/{id}/events.jsonl:3:");

    for n in 0..2 {
        let update = env.run(&[
            "update",
            &id,
            "--message",
            &format!("after-{n}"),
            "--next-update",
            "30m",
        ]);
        assert_eq!(update.code, 0, "{update}");
        let warned = warnings(&update);
        assert_eq!(warned.len(), 1, "{update}");
        assert!(warned[0].contains("newer version"), "{update}");
    }

    let show = env.run(&["show", &id]);
    assert_eq!(show.code, 0, "{show}");
    let warned = warnings(&show);
    assert_eq!(warned.len(), 1, "{show}");
    assert!(warned[0].contains(&place), "{show}");
    assert!(warned[0].contains("newer version"), "{show}");
    assert!(warned[0].contains("escalated"), "{show}");

    let log = read(&path);
    assert!(
        log.starts_with(&before),
        "lines before are untouched:\n{log}"
    );
    assert_eq!(log.lines().nth(2), Some(newer), "{log}");
    assert_eq!(log.lines().count(), 5, "{log}");
    assert_eq!(
        messages(&env.show_json(&id)),
        ["before", "after-0", "after-1"]
    );
}
