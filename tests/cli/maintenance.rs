//! Maintenance windows through `incident tick`, with the clock stepped through a window.

use serde_json::Value;
use wiremock::ResponseTemplate;

use crate::support::{LocalServer, TestEnv, json_body};

fn project(server: &LocalServer) -> TestEnv {
    TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\n",
        server.uri()
    ))
}

fn tick(env: &TestEnv, now: &str) -> Value {
    let out = env.ok_at(now, &["tick", "--json"]);
    serde_json::from_str(&out.stdout).unwrap()
}

fn sent(report: &Value) -> Vec<(String, String)> {
    report["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|sent| {
            (
                sent["stage"].as_str().unwrap().to_string(),
                sent["target"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(stage: &str, target: &str) -> (String, String) {
    (format!("maintenance-{stage}"), target.to_string())
}

#[test]
fn a_window_is_announced_reminded_started_and_completed_by_tick_once() {
    let server = LocalServer::start();
    server.answer("/hook", ResponseTemplate::new(200));
    let env = project(&server);
    let out = env.ok_at(
        "2026-11-20T09:00:00Z",
        &[
            "maintenance",
            "schedule",
            "--title",
            "Database upgrade",
            "--starts",
            "2026-11-24T10:00:00Z",
            "--ends",
            "2026-11-24T12:00:00Z",
            "--component",
            "api",
            "--auto-start",
            "--auto-complete",
        ],
    );
    let id = out.stdout.trim().to_string();
    // The window stays out of the incidents.
    assert!(
        env.ok_at("2026-11-20T09:01:00Z", &["list", "--json"])
            .stdout
            .trim()
            == "[]"
    );

    let report = tick(&env, "2026-11-20T09:02:00Z");
    assert_eq!(
        sent(&report),
        [pair("announce", "hook"), pair("announce", "local")]
    );
    assert_eq!(sent(&tick(&env, "2026-11-21T09:00:00Z")), []);
    // A gap past both reminder times sends only the latest one.
    let report = tick(&env, "2026-11-24T09:30:00Z");
    assert_eq!(report["recorded"][0]["stage"], "remind");
    assert_eq!(
        sent(&report),
        [pair("remind", "hook"), pair("remind", "local")]
    );
    let report = tick(&env, "2026-11-24T10:00:00Z");
    assert_eq!(
        sent(&report),
        [pair("start", "hook"), pair("start", "local")]
    );
    let report = tick(&env, "2026-11-24T12:01:00Z");
    assert_eq!(
        sent(&report),
        [pair("complete", "hook"), pair("complete", "local")]
    );
    for minute in 0..60 {
        let report = tick(&env, &format!("2026-11-24T13:{minute:02}:00Z"));
        assert_eq!(sent(&report), [], "tick {minute}");
        assert_eq!(report["recorded"], serde_json::json!([]));
    }

    let requests = server.requests_to("/hook");
    let types: Vec<String> = requests
        .iter()
        .map(|request| json_body(request)["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        types,
        [
            "maintenance.scheduled",
            "maintenance.reminder",
            "maintenance.started",
            "maintenance.completed"
        ]
    );
    let mut payloads: Vec<Value> = requests.iter().map(json_body).collect();
    for payload in &mut payloads {
        payload["data"]["incident"]["id"] = "[id]".into();
    }
    insta::assert_json_snapshot!("maintenance_webhook_payloads", payloads);
    let list: Value = serde_json::from_str(
        &env.ok_at("2026-11-24T14:00:00Z", &["maintenance", "list", "--json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["state"], "completed");
    assert_eq!(list[0]["reminded"], serde_json::json!([60]));
}

#[test]
fn a_window_moves_only_forward_by_hand() {
    let env = TestEnv::new();
    let out = env.ok(&[
        "maintenance",
        "schedule",
        "--title",
        "Rack move",
        "--starts",
        "2026-12-24T10:00:00Z",
        "--ends",
        "2026-12-24T11:00:00Z",
    ]);
    let id = out.stdout.trim().to_string();
    let out = env.run(&["maintenance", "complete", &id]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("is scheduled, so it cannot be completed"),
        "{out}"
    );
    env.ok(&["maintenance", "cancel", &id, "--message", "Postponed"]);
    let out = env.run(&["maintenance", "start", &id]);
    assert_eq!(out.code, 2, "{out}");
    let out = env.run(&[
        "maintenance",
        "schedule",
        "--title",
        "x",
        "--starts",
        "2026-12-24T10:00:00Z",
        "--ends",
        "2026-12-24T09:00:00Z",
    ]);
    assert_eq!(out.code, 2, "{out}");
}

#[test]
fn a_notice_the_receiver_refused_is_sent_again_by_the_next_tick_with_the_same_id() {
    let server = LocalServer::start();
    server.answer("/hook", ResponseTemplate::new(500));
    let env = TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\nattempts = 1\n",
        server.uri()
    ));
    env.ok_at(
        "2026-11-20T09:00:00Z",
        &[
            "maintenance",
            "schedule",
            "--title",
            "Database upgrade",
            "--starts",
            "2026-11-24T10:00:00Z",
            "--ends",
            "2026-11-24T12:00:00Z",
            "--no-remind",
        ],
    );
    let out = env.run_at("2026-11-20T09:02:00Z", &["tick", "--json"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr.contains("1 maintenance notice did not go out"),
        "{out}"
    );
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let failed: Vec<&Value> = report["sent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|sent| sent["published"] == false)
        .collect();
    assert_eq!(failed.len(), 1, "{report:#}");
    assert_eq!(failed[0]["target"], "hook");

    let webhook_id = |request: &wiremock::Request| {
        crate::support::header(request, "webhook-id")
            .expect("a webhook-id header")
            .to_string()
    };
    let refused: Vec<String> = server.requests_to("/hook").iter().map(webhook_id).collect();
    assert_eq!(refused.len(), 1);

    server.reset();
    server.answer("/hook", ResponseTemplate::new(200));
    let report = tick(&env, "2026-11-20T09:03:00Z");
    assert_eq!(sent(&report), [pair("announce", "hook")]);
    assert_eq!(sent(&tick(&env, "2026-11-20T09:04:00Z")), []);
    let taken: Vec<String> = server.requests_to("/hook").iter().map(webhook_id).collect();
    assert_eq!(
        taken, refused,
        "sent once more, with the id the receiver dedupes on"
    );
}
