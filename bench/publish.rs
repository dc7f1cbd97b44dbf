//! `cargo bench --bench publish`: `incident publish` to 20 local webhook targets that each
//! take 300 ms to answer, and to 19 such targets beside one that never answers (2 s
//! timeout). Aims: the first under 1.5 × 300 ms wall time; in the second, the 19 healthy
//! results recorded within 1 s.

// A bench reports on stdout and may stop at the first surprise.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::BIN;
use common::fixture::CONFIG_BASE;

const TARGETS: usize = 20;
const ANSWER_AFTER: Duration = Duration::from_millis(300);
const RUNS: usize = 11;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(async {
        Mock::given(method("POST"))
            .and(wiremock::matchers::path("/dead"))
            .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_secs(30)))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(204).set_delay(ANSWER_AFTER))
            .mount(&server)
            .await;
    });

    let healthy = project(&server.uri(), false);
    let walls: Vec<Duration> = (0..RUNS)
        .map(|run| publish(healthy.path(), run).0)
        .collect();
    let with_dead = project(&server.uri(), true);
    let runs: Vec<(Duration, Duration)> = (0..RUNS)
        .map(|run| publish(with_dead.path(), run))
        .collect();
    let healthy_done: Vec<Duration> = runs.iter().map(|(_, healthy)| *healthy).collect();
    let dead_walls: Vec<Duration> = runs.iter().map(|(wall, _)| *wall).collect();

    println!(
        "{RUNS} runs each; every target answers after {} ms",
        ANSWER_AFTER.as_millis()
    );
    report("20 targets: wall time", &walls, ANSWER_AFTER.mul_f64(1.5));
    report(
        "19 + 1 dead (2 s timeout): 19 results recorded",
        &healthy_done,
        Duration::from_secs(1),
    );
    report(
        "19 + 1 dead (2 s timeout): wall time",
        &dead_walls,
        Duration::from_secs(3),
    );
}

/// A project with an open incident and 20 webhook targets on `server`; one of them dead.
fn project(server: &str, one_dead: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // The tests' project, with these targets in place of its local one.
    let mut config = CONFIG_BASE.to_string();
    for index in 0..TARGETS {
        let path = if one_dead && index == 0 {
            "dead".to_string()
        } else {
            format!("hook-{index}")
        };
        let _ = write!(
            config,
            "\n[targets.hook-{index}]\nkind = \"webhook\"\nurl = \"{server}/{path}\"\ntimeout = \"2s\"\nattempts = 1\n"
        );
    }
    std::fs::write(dir.path().join("incident.toml"), config).unwrap();
    let out = run(
        dir.path(),
        &[
            "open",
            "--title",
            "Bench",
            "--summary",
            "Everyone sees errors.",
            "--id",
            "bench01",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("INCIDENT_AUTHOR", "Bench")
        .env("CI", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Adds an update and publishes it; returns the wall time, and when the last healthy
/// target's result was on disk.
fn publish(dir: &Path, run_index: usize) -> (Duration, Duration) {
    let message = format!("Everyone sees errors; update {run_index}.");
    let out = run(
        dir,
        &[
            "-q",
            "update",
            "bench01",
            "--stage",
            "explain",
            "--message",
            &message,
            "--field",
            "cause=bench",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = dir.join("incidents/bench01/events.jsonl");
    let finished_before = count_finished(&events);
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .args(["-q", "publish", "bench01", "--yes"])
        .current_dir(dir)
        .env("INCIDENT_AUTHOR", "Bench")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let healthy = TARGETS - usize::from(dir_has_dead(dir));
    let mut healthy_at = None;
    loop {
        if healthy_at.is_none() && count_finished(&events) - finished_before >= healthy {
            healthy_at = Some(started.elapsed());
        }
        if let Some(status) = child.try_wait().unwrap() {
            let wall = started.elapsed();
            let expected = if healthy == TARGETS { Some(0) } else { Some(3) };
            assert_eq!(status.code(), expected, "publish exit code");
            // Only the dead target may have failed: never time an error path.
            assert_eq!(
                count_finished(&events) - finished_before,
                healthy,
                "every healthy target published"
            );
            // Seen only once the run ended: its wall time bounds it.
            return (wall, healthy_at.unwrap_or(wall));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn dir_has_dead(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("incident.toml"))
        .unwrap()
        .contains("/dead\"")
}

/// Counts successful `publish_finished` events.
fn count_finished(events: &Path) -> usize {
    std::fs::read_to_string(events)
        .unwrap_or_default()
        .lines()
        .filter(|line| {
            line.contains("\"kind\":\"publish_finished\"") && line.contains("\"published\":true")
        })
        .count()
}

fn report(label: &str, times: &[Duration], aim: Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let verdict = if median < aim { "met" } else { "MISSED" };
    println!(
        "{label:<48} median {:>8.1} ms  min {:>8.1} ms  max {:>8.1} ms  aim < {} ms: {verdict}",
        ms(median),
        ms(sorted[0]),
        ms(sorted[sorted.len() - 1]),
        aim.as_millis()
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
