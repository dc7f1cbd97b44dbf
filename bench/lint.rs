//! `cargo bench --bench lint`: times the checks of every channel of each of the example
//! incident's updates, in process (the drafts rendered once, the linter built and run each
//! time, as after a stage: the rules are compiled by the first check of a process and kept),
//! the first check on its own, and `incident lint` as a real process for the whole picture.
//!
//! Aim: checking every channel of one update under 5 ms (median).

// A bench reports on stdout and may stop at the first surprise.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use incident::config::Config;
use incident::lint::Linter;
use incident::record::{Incident, Store};
use incident::render::Renderer;

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/acme/incident.toml");
const WARMUP: usize = 20;
const RUNS: usize = 201;

fn main() {
    let started = Instant::now();
    let config = Config::load(Path::new(CONFIG), &incident::publish::targets::kinds()).unwrap();
    let loaded = Store::new(config.incidents_dir()).read("k7m2q9p").unwrap();
    let incident = Incident::fold("k7m2q9p", &loaded.events).unwrap();
    let renderer = Renderer::new(&config);
    let began = Instant::now();
    let linter = Linter::new(&config);
    println!(
        "building the linter (compiling every rule): {:.2} ms",
        began.elapsed().as_secs_f64() * 1e3
    );
    let drafts = renderer.render_all(&incident, 1).unwrap();
    let began = Instant::now();
    linter.lint(&incident, 1, &drafts);
    println!(
        "first check with it: {:.2} ms",
        began.elapsed().as_secs_f64() * 1e3
    );
    let began = Instant::now();
    linter.lint(&incident, 1, &drafts);
    println!(
        "second check with it: {:.2} ms",
        began.elapsed().as_secs_f64() * 1e3
    );
    println!("{WARMUP} warm-up runs, then {RUNS} timed runs of each update's checks, in process");
    println!(
        "{:<34} {:>9} {:>9} {:>9}",
        "update", "median", "p90", "findings"
    );
    let mut worst = Duration::ZERO;
    for seq in 1..=incident.updates.len() {
        let drafts = renderer.render_all(&incident, seq).unwrap();
        let mut times = Vec::with_capacity(RUNS);
        let mut findings = 0;
        for run in 0..WARMUP + RUNS {
            let began = Instant::now();
            let found = Linter::new(&config).lint(&incident, seq, &drafts);
            let took = began.elapsed();
            findings = found.len();
            if run >= WARMUP {
                times.push(took);
            }
        }
        times.sort_unstable();
        let median = times[times.len() / 2];
        let p90 = times[times.len() * 9 / 10];
        worst = worst.max(median);
        let label = format!(
            "{seq} ({}, {} channels)",
            incident.updates[seq - 1].stage,
            drafts.len()
        );
        println!(
            "{label:<34} {:>7.2}ms {:>7.2}ms {findings:>9}",
            median.as_secs_f64() * 1e3,
            p90.as_secs_f64() * 1e3
        );
    }
    let aim = Duration::from_millis(5);
    println!(
        "slowest update's median: {:.2} ms (aim under {} ms: {})",
        worst.as_secs_f64() * 1e3,
        aim.as_millis(),
        if worst < aim { "met" } else { "MISSED" }
    );

    println!("\nAs a real process, start-up, config and rendering included:");
    common::print_header();
    let lint = common::measure(&["--config", CONFIG, "-q", "lint", "k7m2q9p"], 5, 51);
    common::print_row(
        "lint k7m2q9p (latest update)",
        &lint,
        Duration::from_millis(10),
        50.0,
    );
    println!("\nwhole bench: {:.1} s", started.elapsed().as_secs_f64());
}
