//! `incident postmortem`: the reviewed draft of the example, promises kept and missed in the
//! text and the picture, and refusing an open incident.

use crate::support::{TestEnv, on_example};

#[test]
fn the_example_postmortem_is_reviewed_and_the_same_every_time() {
    let first = on_example(&["postmortem", "k7m2"]);
    assert_eq!(first.code, 0, "{first}");
    insta::assert_snapshot!("example_postmortem", first.stdout);
    let second = on_example(&["postmortem", "k7m2"]);
    assert_eq!(first.stdout, second.stdout);

    let json = on_example(&["postmortem", "k7m2", "--json"]);
    assert_eq!(json.code, 0, "{json}");
    let facts: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(facts["incident"]["id"], "k7m2q9p");
    // The example's record was never published (the demo publishes a copy): recorded
    // after 11 minutes, acknowledged publicly never.
    assert_eq!(facts["acknowledge"]["seconds"], serde_json::Value::Null);
    assert_eq!(facts["acknowledge"]["recorded_seconds"], 660);
    assert_eq!(facts["acknowledge"]["target_seconds"], 900);
    assert_eq!(facts["acknowledge"]["met"], false);
    assert_eq!(facts["unpublished"].as_array().unwrap().len(), 5);
    assert_eq!(facts["resolve_seconds"], 27 * 60);
    assert_eq!(facts["promises"].as_array().unwrap().len(), 4);
    assert_eq!(facts["promises_kept"], 4);
    for key in [
        "timeline",
        "publications",
        "overridden",
        "severity",
        "components",
        "impact",
    ] {
        assert!(facts.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn an_open_incident_needs_draft() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let out = env.run(&["postmortem", &id]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr,
        format!(
            "error: incident {id} is still open; its postmortem is drafted once it is resolved\nhint: pass `--draft` to draft it now, or resolve it with `incident resolve {id}`\n"
        )
    );
    let out = env.run(&["postmortem", &id, "--draft"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("> **Draft.**"), "{out}");
}

#[test]
fn one_promise_kept_and_one_missed_by_12_minutes() {
    let env = TestEnv::new();
    // Acknowledged at 08:00 promising 08:30; updated at 08:20 promising 08:50; the next
    // word, the resolution, came at 09:02: twelve minutes late.
    let id = env
        .ok_at(
            "2026-11-24T08:00:00Z",
            &[
                "open",
                "--title",
                "Uploads failing",
                "--summary",
                "Uploads fail for everyone.",
                "--next-update",
                "30m",
                "--started-at",
                "2026-11-24T07:55:00Z",
                "--id",
                "kept12m",
            ],
        )
        .stdout
        .trim()
        .to_string();
    env.ok_at(
        "2026-11-24T08:20:00Z",
        &[
            "update",
            &id,
            "--stage",
            "explain",
            "--message",
            "A storage node is full.",
            "--field",
            "cause=a full disk",
            "--next-update",
            "30m",
        ],
    );
    env.ok_at(
        "2026-11-24T09:02:00Z",
        &[
            "resolve",
            &id,
            "--data-loss",
            "none",
            "--message",
            "Uploads work again. We are sorry. No data was lost.",
        ],
    );
    let out = env.ok_at(
        "2026-11-24T10:00:00Z",
        &["postmortem", &id, "--output", "pm/postmortem.md"],
    );
    assert!(
        out.stderr
            .contains("Wrote pm/postmortem.md and pm/postmortem-timeline.svg"),
        "{out}"
    );
    let markdown = env.read("pm/postmortem.md");
    assert!(markdown.contains("1 of 2 kept."), "{markdown}");
    assert!(markdown.contains("| update 1 | 2026-11-24 03:30 EST (08:30 UTC) | update 2 at 2026-11-24 03:20 EST (08:20 UTC) | kept |"), "{markdown}");
    assert!(markdown.contains("| update 2 | 2026-11-24 03:50 EST (08:50 UTC) | update 3 at 2026-11-24 04:02 EST (09:02 UTC) | missed by 12 minutes |"), "{markdown}");
    assert!(
        markdown.contains("![Timeline of the incident: Uploads failing](postmortem-timeline.svg)"),
        "{markdown}"
    );

    let svg = env.read("pm/postmortem-timeline.svg");
    let document = roxmltree::Document::parse(&svg).expect("the timeline is well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let texts: Vec<&str> = root
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .filter_map(|node| node.text())
        .collect();
    assert!(texts.contains(&"missed by 12 minutes"), "{texts:?}");
    let desc = root
        .descendants()
        .find(|node| node.has_tag_name("desc"))
        .and_then(|node| node.text())
        .unwrap();
    assert!(
        desc.contains("next update promised by 03:30 EST (08:30 UTC): kept"),
        "{desc}"
    );
    assert!(
        desc.contains("next update promised by 03:50 EST (08:50 UTC): missed by 12 minutes"),
        "{desc}"
    );
    insta::assert_snapshot!("kept_and_missed_timeline_svg", svg.replace("><", ">\n<"));
}

#[test]
fn what_was_published_and_what_the_checks_were_overridden_for() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Only a few users see errors."],
    );
    let out = env.run(&["publish", &id, "--yes", "--force"]);
    assert_eq!(out.code, 0, "{out}");
    let out = env.run(&["postmortem", &id, "--draft"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("| 1 | local | "), "{}", out.stdout);
    assert!(out.stdout.contains("published: file://"), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "- Update 1 to local: minimising (status): \"Only a few users\" minimises what happened"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn a_title_with_markup_and_control_characters_still_draws_valid_xml() {
    let env = TestEnv::new();
    let id = env.open(
        "Bad \u{1} <b>title</b> & more",
        &["--summary", "Uploads fail for everyone."],
    );
    let out = env.run(&["postmortem", &id, "--draft", "--output", "pm.md"]);
    assert_eq!(out.code, 0, "{out}");
    let svg = env.read("pm-timeline.svg");
    let document = roxmltree::Document::parse(&svg).expect("the timeline is well-formed XML");
    let title = document
        .descendants()
        .find(|node| node.has_tag_name("title"))
        .and_then(|node| node.text())
        .unwrap();
    assert_eq!(title, "Timeline of “Bad  <b>title</b> & more”");
}

#[test]
fn a_missing_template_and_a_table_breaking_impact() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &[
            "--summary",
            "Uploads fail.",
            "--impact",
            "People | on the\napp",
        ],
    );
    let out = env.run(&["postmortem", &id, "--draft", "--template", "nope.md"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: no template `nope.md` in `templates`\n"),
        "{out}"
    );
    assert!(out.stderr.contains("leave out `--template`"), "{out}");
    let out = env.run(&["postmortem", &id, "--draft"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("| Impact | People \\| on the app |"),
        "{}",
        out.stdout
    );
}

#[test]
fn time_to_acknowledge_counts_to_the_first_publication_and_unsent_updates_are_named() {
    let env = TestEnv::new();
    // Started 07:55, recorded 08:00, but published only at 08:12: the public waited 17
    // minutes, not 5.
    let id = env
        .ok_at(
            "2026-11-24T08:00:00Z",
            &[
                "open",
                "--title",
                "Uploads failing",
                "--summary",
                "Uploads fail for everyone.",
                "--started-at",
                "-5m",
            ],
        )
        .stdout
        .trim()
        .to_string();
    env.ok_at("2026-11-24T08:12:00Z", &["publish", &id, "--yes"]);
    env.ok_at(
        "2026-11-24T08:20:00Z",
        &["update", &id, "--message", "A storage node is full."],
    );
    let json = env.run_at(
        "2026-11-24T08:30:00Z",
        &["postmortem", &id, "--draft", "--json"],
    );
    assert_eq!(json.code, 0, "{json}");
    let facts: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(facts["acknowledge"]["seconds"], 17 * 60);
    assert_eq!(facts["acknowledge"]["recorded_seconds"], 5 * 60);
    assert_eq!(
        facts["unpublished"],
        serde_json::json!([{"update": 2, "time": "2026-11-24 03:20 EST (08:20 UTC)", "targets": ["local"]}])
    );
    let markdown = env
        .run_at("2026-11-24T08:30:00Z", &["postmortem", &id, "--draft"])
        .stdout;
    assert!(
        markdown.contains("came 17 minutes after the problem started"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "- Update 2 (recorded 2026-11-24 03:20 EST (08:20 UTC)) was not sent to local."
        ),
        "{markdown}"
    );
}
