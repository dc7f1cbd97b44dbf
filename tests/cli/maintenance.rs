//! Maintenance windows through `incident tick`, with the clock stepped through a window.

use serde_json::Value;
use wiremock::ResponseTemplate;

use crate::support::{LocalServer, TestEnv, json_body, output};

const STATUSPAGE_KEY: &str = "s3cr3t-statuspage-key";

/// A project publishing maintenance to a webhook, Statuspage, a cState folder and the
/// `local` file target.
fn project(server: &LocalServer) -> TestEnv {
    TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{uri}/hook\"\n\n\
         [targets.statuspage]\nkind = \"statuspage\"\nurl = \"{uri}/v1\"\npage_id = \"pg1\"\n\
         api_key_env = \"STATUSPAGE_KEY\"\ncomponents = {{ api = \"cmp_api\" }}\n\n\
         [targets.status-site]\nkind = \"static\"\nflavor = \"cstate\"\npath = \"cstate/content/issues\"\n",
        uri = server.uri()
    ))
}

/// Schedules "Database upgrade", 2026-11-24 10:00 to 12:00 UTC, on 2026-11-20 at 09:00 UTC,
/// with `extra` flags.
fn schedule_upgrade(env: &TestEnv, extra: &[&str]) -> crate::support::Output {
    let mut args = vec![
        "maintenance",
        "schedule",
        "--title",
        "Database upgrade",
        "--starts",
        "2026-11-24T10:00:00Z",
        "--ends",
        "2026-11-24T12:00:00Z",
    ];
    args.extend_from_slice(extra);
    env.ok_at("2026-11-20T09:00:00Z", &args)
}

fn tick(env: &TestEnv, now: &str) -> Value {
    let out = output(
        env.command_at(now)
            .env("STATUSPAGE_KEY", STATUSPAGE_KEY)
            .args(["tick", "--json"]),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(!out.stdout.contains(STATUSPAGE_KEY) && !out.stderr.contains(STATUSPAGE_KEY));
    serde_json::from_str(&out.stdout).unwrap()
}

/// What `stage` sends to every target of [`project`], in the order tick reports it.
fn everywhere(stage: &str) -> Vec<(String, String)> {
    ["hook", "local", "status-site", "statuspage"]
        .map(|target| pair(stage, target))
        .to_vec()
}

/// The cState file of the window: its one Markdown file.
fn cstate_file(env: &TestEnv) -> String {
    let folder = env.root().join("cstate/content/issues");
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert_eq!(files.len(), 1, "one file per window");
    std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap()
}

fn statuspage_incident(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(serde_json::json!({
        "id": "mnt9k2x4",
        "name": "Database upgrade",
        "status": status,
        "impact": "maintenance",
        "shortlink": "https://stspg.io/mnt9k2x4",
        "page_id": "pg1",
    }))
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
    server.answer_to(
        "POST",
        "/v1/pages/pg1/incidents",
        statuspage_incident("scheduled"),
    );
    server.answer_to(
        "PATCH",
        "/v1/pages/pg1/incidents/mnt9k2x4",
        statuspage_incident("in_progress"),
    );
    let env = project(&server);
    let out = schedule_upgrade(
        &env,
        &["--component", "api", "--auto-start", "--auto-complete"],
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
    assert_eq!(sent(&report), everywhere("announce"));
    let announced = cstate_file(&env);
    assert!(
        announced.contains("informational: true\npin: true"),
        "{announced}"
    );
    assert!(
        announced.contains("date: 2026-11-24T10:00:00Z"),
        "{announced}"
    );
    assert_eq!(sent(&tick(&env, "2026-11-21T09:00:00Z")), []);
    // A gap past both reminder times sends only the latest one.
    let report = tick(&env, "2026-11-24T09:30:00Z");
    assert_eq!(report["recorded"][0]["stage"], "maintenance-remind");
    assert_eq!(sent(&report), everywhere("remind"));
    let report = tick(&env, "2026-11-24T10:00:00Z");
    assert_eq!(sent(&report), everywhere("start"));
    let running = cstate_file(&env);
    assert!(
        running.contains("resolved: false") && running.contains("informational: false"),
        "{running}"
    );
    let report = tick(&env, "2026-11-24T12:01:00Z");
    assert_eq!(sent(&report), everywhere("complete"));
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

    let statuspage: Vec<Value> = server
        .requests_to("/v1/")
        .iter()
        .map(|request| {
            serde_json::json!({
                "method": request.method.as_str(),
                "path": request.url.path(),
                "authorization": crate::support::header(request, "authorization")
                    .map(|value| value.replace(STATUSPAGE_KEY, "[key]")),
                "body": json_body(request),
            })
        })
        .collect();
    insta::assert_json_snapshot!("maintenance_statuspage_requests", statuspage);
    insta::assert_snapshot!("maintenance_cstate_file", cstate_file(&env));
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
    schedule_upgrade(&env, &["--no-remind"]);
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

#[test]
fn a_notice_that_denies_downtime_on_components_under_maintenance_is_refused_unless_forced() {
    let server = LocalServer::start();
    server.answer("/hook", ResponseTemplate::new(200));
    let env = TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\n",
        server.uri()
    ));
    let schedule = |extra: &[&str]| {
        let mut args = vec![
            "maintenance",
            "schedule",
            "--title",
            "Database upgrade",
            "--starts",
            "2026-11-24T10:00:00Z",
            "--ends",
            "2026-11-24T12:00:00Z",
            "--message",
            "No downtime expected. The work starts at 22:00.",
        ];
        args.extend_from_slice(extra);
        env.run_at("2026-11-20T09:00:00Z", &args)
    };
    let out = schedule(&["--component", "api"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("downtime-denied"), "{out}");
    assert!(
        out.stderr
            .contains("\"No downtime\" while the window puts its components under maintenance"),
        "{out}"
    );
    // The time without a zone is a warning beside it.
    assert!(out.stderr.contains("\"22:00\" has no time zone"), "{out}");
    assert!(out.stderr.contains("--force"), "{out}");
    let listed = env.ok(&["maintenance", "list", "--json"]).stdout;
    assert_eq!(listed.trim(), "[]", "nothing recorded");

    // With no component under maintenance, the claim contradicts nothing.
    let out = schedule(&[]);
    assert_eq!(out.code, 0, "{out}");
    let forced = schedule(&["--component", "api", "--force"]);
    assert_eq!(forced.code, 0, "{forced}");
    let forced_id = forced.stdout.trim().to_string();
    let report = tick(&env, "2026-11-20T09:02:00Z");
    let windows: Vec<&str> = report["sent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|sent| sent["target"] == "hook")
        .map(|sent| sent["window"].as_str().unwrap())
        .collect();
    assert_eq!(windows.len(), 2, "{report:#}");
    assert!(
        windows.contains(&forced_id.as_str()),
        "a forced notice is sent as it is"
    );

    // A notice recorded by hand is checked too.
    let out = env.run_at(
        "2026-11-24T10:00:00Z",
        &[
            "maintenance",
            "start",
            &forced_id,
            "--message",
            "You won't notice a thing.",
        ],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("\"won't notice\""), "{out}");
}

#[test]
fn tick_holds_a_notice_whose_template_the_checks_refuse() {
    let server = LocalServer::start();
    server.answer("/hook", ResponseTemplate::new(200));
    let env = TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\n",
        server.uri()
    ));
    let id = schedule_upgrade(&env, &["--component", "api", "--no-remind", "--auto-start"])
        .stdout
        .trim()
        .to_string();
    assert_eq!(sent(&tick(&env, "2026-11-20T09:01:00Z")).len(), 2);
    // An override of the start notice says what the window contradicts.
    env.write(
        "templates/maintenance/start.md",
        "**Maintenance started: {{ incident.title }}.** There is no downtime.\n",
    );
    let out = env.run_at("2026-11-24T10:00:00Z", &["tick", "--json"]);
    assert_eq!(out.code, 1, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        report["recorded"][0]["stage"], "maintenance-start",
        "recorded by time"
    );
    assert_eq!(
        report["held"][0]["stage"], "maintenance-start",
        "{report:#}"
    );
    assert_eq!(report["held"][0]["findings"][0]["rule"], "downtime-denied");
    assert_eq!(
        server.requests_to("/hook").len(),
        1,
        "only the announcement went out"
    );
    // Mended by editing the held notice's draft, it goes out with the next tick.
    env.edit(
        "**Maintenance started: Database upgrade.** API requests fail until 12:00 UTC.\n",
        &[&id, "--update", "2", "--channel", "status"],
    );
    let report = tick(&env, "2026-11-24T10:05:00Z");
    assert_eq!(report["held"], serde_json::json!([]), "{report:#}");
    assert_eq!(
        sent(&report),
        [pair("start", "hook"), pair("start", "local")]
    );
    let started = json_body(&server.requests_to("/hook")[1]);
    assert!(
        started["data"]["text"]
            .as_str()
            .unwrap()
            .contains("API requests fail until 12:00 UTC."),
        "{started:#}"
    );
}

/// The events of the site's `maintenance.ics`, read by the `ical` crate: per UID, its
/// properties by name.
fn calendar_events(env: &TestEnv) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = env.read("site/maintenance.ics");
    assert!(
        text.split_inclusive('\n')
            .all(|line| line.ends_with("\r\n")),
        "every line ends in CRLF"
    );
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("it parses");
    assert!(calendars.next().is_none());
    calendar
        .events
        .iter()
        .map(|event| {
            event
                .properties
                .iter()
                .map(|property| {
                    (
                        property.name.clone(),
                        property.value.clone().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect()
}

fn build_site(env: &TestEnv, now: &str) -> Value {
    env.ok_at(now, &["site", "build"]);
    serde_json::from_str(&env.read("site/status.json")).unwrap()
}

#[test]
fn the_site_shows_a_window_upcoming_then_under_maintenance_then_past_and_the_calendar_follows() {
    let env = TestEnv::new();
    let schedule = |title: &str, starts: &str, ends: &str| {
        env.ok_at(
            "2026-11-20T09:00:00Z",
            &[
                "maintenance",
                "schedule",
                "--title",
                title,
                "--starts",
                starts,
                "--ends",
                ends,
                "--component",
                "api",
                "--auto-start",
                "--auto-complete",
                "--message",
                "API requests will fail while we switch databases.",
            ],
        )
        .stdout
        .trim()
        .to_string()
    };
    let upgrade = schedule(
        "Database upgrade",
        "2026-11-24T10:00:00Z",
        "2026-11-24T12:00:00Z",
    );
    let rack = schedule("Rack move", "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z");

    // Ahead: listed as upcoming, nothing under maintenance yet.
    let status = build_site(&env, "2026-11-20T09:05:00Z");
    let index = env.read("site/index.html");
    assert!(index.contains("Upcoming maintenance"), "{index}");
    assert!(index.contains(&format!("maintenance/{upgrade}.html")));
    assert!(!index.contains("Maintenance in progress"));
    assert_eq!(status["status"]["indicator"], "none");
    let scheduled = status["scheduled_maintenances"].as_array().unwrap();
    assert_eq!(scheduled.len(), 2);
    assert_eq!(scheduled[0]["id"], upgrade.as_str());
    assert_eq!(scheduled[0]["status"], "scheduled");
    assert_eq!(scheduled[0]["impact"], "maintenance");
    assert_eq!(scheduled[0]["scheduled_for"], "2026-11-24T10:00:00Z");
    assert_eq!(scheduled[0]["scheduled_until"], "2026-11-24T12:00:00Z");
    assert_eq!(scheduled[0]["components"][0]["status"], "operational");
    let page = env.read(&format!("site/maintenance/{upgrade}.html"));
    assert!(page.contains("API requests will fail while we switch databases."));

    let events = calendar_events(&env);
    assert_eq!(events.len(), 2);
    let uid = |id: &str| format!("{id}.maintenance@status.acme.example");
    let event_of = |events: &[std::collections::BTreeMap<String, String>], id: &str| {
        events
            .iter()
            .find(|event| event["UID"] == uid(id))
            .unwrap_or_else(|| panic!("no event for {id}: {events:#?}"))
            .clone()
    };
    let first = event_of(&events, &upgrade);
    assert_eq!(first["DTSTART"], "20261124T100000Z");
    assert_eq!(first["DTEND"], "20261124T120000Z");
    assert_eq!(first["SEQUENCE"], "0");
    assert_eq!(first["STATUS"], "CONFIRMED");
    assert_eq!(first["SUMMARY"], "Maintenance: Database upgrade");
    assert!(
        first["DESCRIPTION"].starts_with("Affects: Public API"),
        "{first:?}"
    );
    assert_eq!(
        first["URL"],
        format!("https://status.acme.example/maintenance/{upgrade}.html")
    );

    // A cancel: the same UID, a higher SEQUENCE, and CANCELLED.
    env.ok_at(
        "2026-11-21T09:00:00Z",
        &[
            "maintenance",
            "cancel",
            &rack,
            "--message",
            "Postponed to January.",
        ],
    );
    build_site(&env, "2026-11-21T09:01:00Z");
    let cancelled = event_of(&calendar_events(&env), &rack);
    assert_eq!(cancelled["STATUS"], "CANCELLED");
    assert_eq!(cancelled["SEQUENCE"], "1");
    assert_eq!(cancelled["DTSTAMP"], "20261121T090000Z");

    // Running: its component is under maintenance, and so is the page.
    tick(&env, "2026-11-24T10:00:00Z");
    let status = build_site(&env, "2026-11-24T10:01:00Z");
    let index = env.read("site/index.html");
    assert!(index.contains("Maintenance in progress"), "{index}");
    assert!(
        !index.contains("Upcoming maintenance"),
        "the cancelled one is past"
    );
    assert!(index.contains("Under maintenance"));
    assert_eq!(status["status"]["indicator"], "maintenance");
    let api = status["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|component| component["id"] == "api")
        .unwrap();
    assert_eq!(api["status"], "under_maintenance");
    let scheduled = status["scheduled_maintenances"].as_array().unwrap();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0]["status"], "in_progress");
    assert_eq!(scheduled[0]["incident_updates"][0]["status"], "in_progress");
    assert_eq!(event_of(&calendar_events(&env), &upgrade)["SEQUENCE"], "1");

    // Over: in the history, everything operational again, SEQUENCE up once more.
    tick(&env, "2026-11-24T12:00:00Z");
    let status = build_site(&env, "2026-11-24T12:01:00Z");
    assert_eq!(status["status"]["indicator"], "none");
    assert_eq!(status["scheduled_maintenances"], serde_json::json!([]));
    let history = env.read("site/history.html");
    assert!(history.contains("Past maintenance"), "{history}");
    assert!(history.contains(&format!("maintenance/{upgrade}.html")));
    assert!(history.contains(&format!("maintenance/{rack}.html")));
    let done = event_of(&calendar_events(&env), &upgrade);
    assert_eq!(done["SEQUENCE"], "2");
    assert_eq!(done["STATUS"], "CONFIRMED");

    // The feeds carry every notice, each under its own id.
    let atom = feed_rs::parser::parse(env.read("site/feed.xml").as_bytes()).unwrap();
    let titles: Vec<String> = atom
        .entries
        .iter()
        .map(|entry| entry.title.as_ref().unwrap().content.clone())
        .collect();
    for expected in [
        "Maintenance completed: Database upgrade",
        "Maintenance in progress: Database upgrade",
        "Maintenance cancelled: Rack move",
        "Maintenance scheduled: Database upgrade",
    ] {
        assert!(titles.iter().any(|title| title == expected), "{titles:#?}");
    }
    let json_feed: Value = serde_json::from_str(&env.read("site/feed.json")).unwrap();
    assert_eq!(json_feed["items"].as_array().unwrap().len(), titles.len());
}

#[test]
fn an_email_notice_is_plain_text_with_a_maintenance_subject() {
    let env = TestEnv::with_config(
        "[targets.mail-archive]\nkind = \"file\"\npath = \"mail\"\nchannel = \"email\"\n",
    );
    let id = schedule_upgrade(&env, &["--component", "api"])
        .stdout
        .trim()
        .to_string();
    tick(&env, "2026-11-20T09:01:00Z");
    let folder = env.root().join("mail").join(&id);
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let mail = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        mail.starts_with("Subject: [Acme Photos] Maintenance scheduled: Database upgrade\n"),
        "{mail}"
    );
    assert!(
        !mail.contains("**"),
        "no Markdown in a plain-text mail: {mail}"
    );
    assert!(
        mail.contains("Scheduled maintenance: Database upgrade, 2026-11-24 05:00 EST (10:00 UTC)")
    );
}

#[test]
fn a_target_that_requires_approval_gets_a_notice_through_approve_and_publish() {
    let server = LocalServer::start();
    server.answer("/hook", ResponseTemplate::new(200));
    let env = TestEnv::with_config(&format!(
        "[targets.hook]\nkind = \"webhook\"\nurl = \"{}/hook\"\nrequire_approval = true\n",
        server.uri()
    ));
    let id = schedule_upgrade(&env, &["--no-remind"])
        .stdout
        .trim()
        .to_string();
    // The timer leaves it to a person.
    assert_eq!(
        sent(&tick(&env, "2026-11-20T09:01:00Z")),
        [pair("announce", "local")]
    );
    assert!(server.requests_to("/hook").is_empty());
    // A window's notices render, and are approved and published, like an update.
    let drafts = env
        .ok_at("2026-11-20T09:02:00Z", &["render", &id, "--json"])
        .stdout;
    assert!(
        drafts.contains("Scheduled maintenance: Database upgrade"),
        "{drafts}"
    );
    let out = env.run_at("2026-11-20T09:03:00Z", &["publish", &id, "--yes"]);
    assert_eq!(out.code, 2, "not approved yet: {out}");
    assert!(out.stderr.contains("requires approval"), "{out}");
    env.ok_at("2026-11-20T09:04:00Z", &["approve", &id]);
    env.ok_at("2026-11-20T09:05:00Z", &["publish", &id, "--yes"]);
    let types: Vec<String> = server
        .requests_to("/hook")
        .iter()
        .map(|request| json_body(request)["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, ["maintenance.scheduled"]);
    assert_eq!(sent(&tick(&env, "2026-11-20T09:06:00Z")), []);
}
