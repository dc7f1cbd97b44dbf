//! The records the benches generate (`tests/cli/fixture.rs`, shared with `bench/`) are
//! records the tool reads as it reads its own: no warning, every incident listed, every
//! update shown, a site built. A bench times only commands that exit 0 with nothing on
//! stderr, so a generator the tool no longer reads would stop it; this finds that first.

use crate::fixture::{Ids, LONG_INCIDENTS, SHORT_INCIDENTS, Shape};
use crate::support::{Output, TestEnv};

/// Generates `count` incidents of `shape` in a fresh project and returns it and the ids.
fn generated(shape: &Shape, count: usize) -> (TestEnv, Vec<String>) {
    let env = TestEnv::new();
    let ids = shape.generate(&env.root().join("incidents"), count, &mut Ids::default());
    (env, ids)
}

fn assert_clean(out: &Output) {
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stderr, "", "{out}");
}

#[test]
fn the_record_bench_s_incidents_read_cleanly() {
    let (env, ids) = generated(&LONG_INCIDENTS, 12);
    let all = env.run(&["-q", "list", "--all"]);
    assert_clean(&all);
    assert_eq!(all.stdout.lines().count(), 1 + ids.len(), "{all}");
    // The first and the eleventh are left open.
    let open = env.run(&["-q", "list"]);
    assert_clean(&open);
    assert_eq!(open.stdout.lines().count(), 1 + 2, "{open}");
    assert!(open.stdout.contains(&ids[0]) && open.stdout.contains(&ids[10]));

    let show = env.run(&["-q", "show", &ids[1], "--json"]);
    assert_clean(&show);
    let shown: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(shown["status"], "resolved");
    assert_eq!(shown["severity"], "sev1");
    assert_eq!(shown["updates"].as_array().unwrap().len(), 50);
    assert_eq!(
        shown["updates"][3]["fields"]["cause"],
        "image cache keys did not include the account"
    );

    // The bench's one big incident: many more events, written the same way, left open.
    let big = Ids::default().fresh();
    let opened_at = LONG_INCIDENTS.opened_at(0);
    LONG_INCIDENTS.write_incident(
        &env.root().join("incidents"),
        &big,
        12,
        opened_at,
        200,
        false,
    );
    let show = env.run(&["-q", "show", &big, "--json"]);
    assert_clean(&show);
    let shown: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(shown["updates"].as_array().unwrap().len(), 200);
    assert_ne!(shown["status"], "resolved");
}

#[test]
fn the_site_bench_s_incidents_build_a_site() {
    let (env, ids) = generated(&SHORT_INCIDENTS, 12);
    let out = env.run(&["-q", "site", "build", "--out", "site"]);
    assert_clean(&out);
    let pages = std::fs::read_dir(env.root().join("site/incidents"))
        .unwrap()
        .count();
    assert_eq!(pages, ids.len(), "one page per incident");
    let severities: Vec<String> = ids[..3]
        .iter()
        .map(|id| env.show_json(id)["severity"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(severities, ["sev1", "sev2", "sev3"]);
}
