//! Issue 12: one publisher per incident at a time, and publications told apart by what was
//! sent, never by clocks.
//!
//! - Four `publish` processes of one incident started at once: each (update, target)
//!   reaches its server once; twenty rounds.
//! - An update recorded by a clock ten minutes ahead, published three times by one that is
//!   behind (pinned, or the real clock): one delivery per target.
//! - A publish holding the lock (its webhook answers late): a second one with `--no-wait`
//!   leaves it to the running one and says who holds it (and `show` says the try is in flight, not interrupted);
//!   without it, it waits, says who it waits for, and goes on once the holder is killed
//!   with -9.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{LocalServer, Output, TestEnv, output, publish_states, wait_while_running};

const SLACK: &str = "/slack/services/T0001/B0001/lock-test";
const HOOK: &str = "/hook";
const HOOK_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/// A project with a Slack webhook and a signed webhook on `server`, besides the `local`
/// file target every test project has.
fn project(server: &LocalServer) -> TestEnv {
    TestEnv::with_config(&format!(
        "[targets.slack]\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\n\n[targets.hook]\nkind = \"webhook\"\nurl = \"{}{HOOK}\"\nsecret_env = \"HOOK_SECRET\"\n",
        server.uri()
    ))
}

/// Both remotes answer, after `delay`.
fn answer(server: &LocalServer, delay: Duration) {
    server.reset();
    server.mount(
        Mock::given(method("POST")).and(path(SLACK)).respond_with(
            ResponseTemplate::new(200)
                .set_body_string("ok")
                .set_delay(delay),
        ),
    );
    server.mount(
        Mock::given(method("POST"))
            .and(path(HOOK))
            .respond_with(ResponseTemplate::new(204).set_delay(delay)),
    );
}

/// `incident publish ARGS` with the remotes' secrets; `now` pins its clock.
fn publish(env: &TestEnv, server: &LocalServer, now: Option<&str>, args: &[&str]) -> Command {
    let mut command = match now {
        Some(now) => env.command_at(now),
        None => env.command(),
    };
    command
        .env("SLACK_URL", format!("{}{SLACK}", server.uri()))
        .env("HOOK_SECRET", HOOK_SECRET)
        .arg("publish")
        .args(args);
    command
}

/// The update event ids each `publish_started` in the record names for `target`.
fn starts(env: &TestEnv, id: &str, target: &str) -> Vec<String> {
    env.events(id)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|event| event["kind"] == "publish_started" && event["data"]["target"] == target)
        .map(|event| event["data"]["update"].as_str().unwrap().to_string())
        .collect()
}

fn lock_path(env: &TestEnv, id: &str) -> PathBuf {
    env.root().join("incidents").join(id).join(".publish.lock")
}

/// Whether the lock file says process `pid` holds it.
fn lock_names(env: &TestEnv, id: &str, pid: u32) -> bool {
    std::fs::read_to_string(lock_path(env, id))
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(text.trim()).ok())
        .is_some_and(|holder| holder["pid"] == pid)
}

fn finish(child: Child) -> Output {
    let out = child.wait_with_output().unwrap();
    out.into()
}

#[test]
fn four_publishers_at_once_deliver_each_update_once() {
    const ROUNDS: usize = 20;
    const PUBLISHERS: usize = 4;
    let server = LocalServer::start();
    // A short wait in each answer keeps the first publisher sending while the others start.
    answer(&server, Duration::from_millis(50));
    let env = project(&server);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    for round in 1..=ROUNDS {
        if round > 1 {
            let message = format!("Still looking, round {round}.");
            env.ok(&["update", &id, "--message", &message, "--next-update", "30m"]);
        }
        // Every command made first (each with its own clock), then all started at once.
        let mut commands: Vec<Command> = (0..PUBLISHERS)
            .map(|_| publish(&env, &server, None, &[&id, "--yes", "--json"]))
            .collect();
        let children: Vec<Child> = commands
            .iter_mut()
            .map(|command| {
                command
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<Output> = children.into_iter().map(finish).collect();
        let mut sent = 0;
        for out in &outs {
            assert_eq!(out.code, 0, "round {round}:\n{out}");
            let states = publish_states(out);
            assert_eq!(states.len(), 3, "round {round}:\n{out}");
            for (target, state) in states {
                match state.as_str() {
                    "published" => sent += 1,
                    "already published" => {}
                    other => panic!("round {round}: `{target}` is {other}:\n{out}"),
                }
            }
        }
        assert_eq!(sent, 3, "round {round}: one publisher sent to each target");
        assert_eq!(server.requests_to(SLACK).len(), round, "round {round}");
        assert_eq!(server.requests_to(HOOK).len(), round, "round {round}");
        let shown = env.show_json(&id);
        let update = shown["updates"][round - 1]["event_id"]
            .as_str()
            .unwrap()
            .to_string();
        for target in ["slack", "hook", "local"] {
            let tries = starts(&env, &id, target);
            assert_eq!(
                tries.iter().filter(|each| **each == update).count(),
                1,
                "round {round}: update `{update}` started once on `{target}`"
            );
            assert_eq!(tries.len(), round, "round {round}: `{target}`");
            let publications: Vec<&Value> = shown["updates"][round - 1]["publications"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|publication| publication["target"] == target)
                .collect();
            assert_eq!(publications.len(), 1, "round {round}: {publications:?}");
            assert_eq!(publications[0]["state"], "published");
        }
    }
    // Every webhook delivery was a different message.
    let mut ids: Vec<String> = server
        .requests_to(HOOK)
        .iter()
        .map(|request| request.headers["webhook-id"].to_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), ROUNDS);
    assert!(
        !lock_path(&env, &id).exists()
            || std::fs::read_to_string(lock_path(&env, &id))
                .unwrap()
                .is_empty(),
        "the last publisher left the lock file empty"
    );
}

#[test]
fn an_update_from_a_clock_ahead_is_delivered_once() {
    // The responder's clock runs ten minutes ahead of the publisher's.
    let behind = [
        "2026-11-24T08:20:00Z",
        "2026-11-24T08:21:00Z",
        "2026-11-24T08:22:00Z",
    ];
    delivered_once("2026-11-24T08:30:00Z", behind.map(Some));
}

#[test]
fn an_update_from_a_clock_ahead_of_the_real_one_is_delivered_once() {
    let ahead = chrono::Utc::now() + chrono::TimeDelta::minutes(10);
    let ahead = ahead.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    delivered_once(&ahead, [None; 3]);
}

/// Records an update at `update_at`, publishes it at each of `publish_at` (`None`: the real
/// clock) and checks it reached each target once.
fn delivered_once(update_at: &str, publish_at: [Option<&str>; 3]) {
    let server = LocalServer::start();
    answer(&server, Duration::ZERO);
    let env = project(&server);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    env.ok_at(
        update_at,
        &[
            "update",
            &id,
            "--message",
            "A cache bug; rolling back.",
            "--next-update",
            "30m",
        ],
    );
    for (run, now) in publish_at.into_iter().enumerate() {
        let mut command = publish(&env, &server, now, &[&id, "--yes", "--json"]);
        if now.is_none() {
            command.env_remove("INCIDENT_NOW");
        }
        let out = output(&mut command);
        assert_eq!(out.code, 0, "run {}:\n{out}", run + 1);
        let expected = if run == 0 {
            "published"
        } else {
            "already published"
        };
        for (target, state) in publish_states(&out) {
            assert_eq!(state, expected, "run {}: `{target}`\n{out}", run + 1);
        }
    }
    assert_eq!(server.requests_to(SLACK).len(), 1);
    assert_eq!(server.requests_to(HOOK).len(), 1);
    for target in ["slack", "hook", "local"] {
        let publications = env.publications_to(&id, 2, target);
        assert_eq!(publications.len(), 1, "`{target}`: {publications:?}");
        assert_eq!(publications[0]["state"], "published");
    }
    // The timeline still reads in the record's order.
    let kinds: Vec<String> = env.show_json(&id)["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("updated"),
        "{kinds:?}"
    );
}

/// Starts a publish whose webhook answers late and returns it once it holds the lock and
/// its webhook request has arrived: it is mid-send, holding the lock.
fn holding_publisher(env: &TestEnv, server: &LocalServer, id: &str) -> Child {
    answer(server, Duration::from_secs(30));
    let mut child = publish(env, server, None, &[id, "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let holding = wait_while_running(&mut child, || {
        lock_names(env, id, pid) && server.requests_to(HOOK).len() == 1 && env.finished(id, "local")
    });
    assert!(holding, "the first publisher ended before it was mid-send");
    child
}

#[test]
fn no_wait_leaves_the_update_to_the_publish_holding_the_lock() {
    let server = LocalServer::start();
    let env = project(&server);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let mut first = holding_publisher(&env, &server, &id);
    let pid = first.id();
    let before = env.events(&id);

    let out = output(&mut publish(
        &env,
        &server,
        None,
        &[&id, "--yes", "--no-wait"],
    ));
    assert_eq!(
        out.code, 0,
        "leaving it to the running publish is not a failure:\n{out}"
    );
    assert_eq!(out.stdout, "", "{out}");
    assert!(
        out.stderr.contains(&format!(
            "left to the publish of {id} already running (held by Test Author (pid {pid} on "
        )),
        "{out}"
    );
    assert!(out.stderr.contains("this run sent nothing"), "{out}");
    let out = output(&mut publish(
        &env,
        &server,
        None,
        &[&id, "--yes", "--no-wait", "--json"],
    ));
    assert_eq!(out.code, 0, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["deferred"], true, "{out}");
    assert_eq!(report["incident"], id.as_str());
    assert_eq!(report["held_by"]["pid"], pid);
    assert_eq!(report["held_by"]["author"], "Test Author");
    assert_eq!(
        env.events(&id),
        before,
        "the deferred publishes recorded nothing"
    );
    assert_eq!(server.requests_to(HOOK).len(), 1);
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first still holds it"
    );
    // `show` tells a try still being sent from one whose publisher died.
    let shown = env.ok(&["show", &id]).stdout;
    assert!(
        shown.contains(&format!(
            "published to hook: in flight (being published by Test Author (pid {pid} on "
        )),
        "{shown}"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    let shown = env.ok(&["show", &id]).stdout;
    assert!(
        shown.contains("published to hook: interrupted (may or may not have arrived)"),
        "{shown}"
    );
}

#[test]
fn a_waiting_publish_says_who_holds_the_lock_and_goes_on_when_it_dies() {
    let server = LocalServer::start();
    let env = project(&server);
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let mut first = holding_publisher(&env, &server, &id);
    let pid = first.id();

    let mut second = publish(&env, &server, None, &[&id, "--yes", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Its first words: whom it waits for. It says them before it blocks.
    let mut stderr = BufReader::new(second.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.starts_with(&format!(
            "Waiting for another publish of {id} to finish (held by Test Author (pid {pid} on "
        )),
        "{line}"
    );
    assert!(second.try_wait().unwrap().is_none(), "it waits");
    assert_eq!(
        server.requests_to(HOOK).len(),
        1,
        "and sends nothing meanwhile"
    );

    // The holder dies mid-send; the system frees its lock, and the waiter plans from what
    // the dead one recorded: its webhook try was interrupted, so it is sent again under the
    // same key; Slack, which cannot drop a duplicate, is left uncertain.
    answer(&server, Duration::ZERO);
    first.kill().unwrap();
    first.wait().unwrap();
    let out = second.wait_with_output().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let out = Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: format!("{line}{rest}"),
    };
    assert_eq!(out.code, 3, "{out}");
    let mut states = publish_states(&out);
    states.sort();
    assert_eq!(
        states,
        crate::support::pairs(&[
            ("hook", "published"),
            ("local", "already published"),
            ("slack", "uncertain")
        ]),
        "{out}"
    );
    let hooks = server.requests_to(HOOK);
    assert_eq!(hooks.len(), 1, "the server was reset: one more webhook");
    assert_eq!(starts(&env, &id, "hook").len(), 2);
    assert_eq!(
        env.publications_to(&id, 1, "slack").len(),
        1,
        "Slack was not tried again"
    );
}
