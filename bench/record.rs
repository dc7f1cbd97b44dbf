//! `cargo bench --bench record`: times `incident list` and `incident show --json` as real
//! processes on a generated record of 1,000 incidents of 50 events and one of 10,000 events.
//!
//! Aims: `list` under 100 ms and `show` under 50 ms (median), under 50 MB peak memory.

// A bench reports on stdout and may stop at the first surprise.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::fixture::{CONFIG, Ids, LONG_INCIDENTS};

const INCIDENTS: usize = 1_000;
const BIG_EVENTS: usize = 10_000;
const WARMUP: usize = 3;
const RUNS: usize = 31;

fn main() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("incident.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let big_id = generate(&dir.path().join("incidents"));
    common::settle();
    let open = INCIDENTS.div_ceil(LONG_INCIDENTS.open_every) + 1;
    println!(
        "generated {INCIDENTS} incidents of {} events ({open} open, counting the big one) \
         and one of {BIG_EVENTS} events in {:.1} s",
        LONG_INCIDENTS.events_each,
        started.elapsed().as_secs_f64()
    );

    let config = config.to_str().unwrap();
    let ms = Duration::from_millis;
    println!("\n{WARMUP} warm-up runs, then {RUNS} timed runs each; every run must exit 0");
    common::print_header();

    let list = common::measure(&["--config", config, "list"], WARMUP, RUNS);
    assert_eq!(
        list.stdout.lines().count(),
        1 + open,
        "a header, then one row per open incident"
    );
    assert!(list.stdout.contains(&big_id));
    common::print_row("list", &list, ms(100), 50.0);

    let all = common::measure(&["--config", config, "list", "--all"], WARMUP, RUNS);
    assert_eq!(
        all.stdout.lines().count(),
        1 + INCIDENTS + 1,
        "a header, then every incident"
    );
    common::print_row("list --all", &all, ms(100), 50.0);

    let show = common::measure(
        &["--config", config, "show", &big_id, "--json"],
        WARMUP,
        RUNS,
    );
    let shown: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(shown["updates"].as_array().map(Vec::len), Some(BIG_EVENTS));
    common::print_row(
        &format!("show {big_id} --json ({BIG_EVENTS})"),
        &show,
        ms(50),
        50.0,
    );

    println!(
        "\npeak RSS: the largest of the timed runs, each child measured alone (wait4)\n\
         whole bench: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Writes the record under `incidents` (the tests' generator, `LONG_INCIDENTS` shape) and
/// returns the big incident's id.
fn generate(incidents: &Path) -> String {
    let mut ids = Ids::default();
    LONG_INCIDENTS.generate(incidents, INCIDENTS, &mut ids);
    let big_id = ids.fresh();
    let opened_at = LONG_INCIDENTS.opened_at(0);
    LONG_INCIDENTS.write_incident(incidents, &big_id, INCIDENTS, opened_at, BIG_EVENTS, false);
    big_id
}
