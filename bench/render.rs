//! `cargo bench --bench render`: times `incident render` of the example incident's last
//! update for every channel, as a real process. Aim: under 10 ms median, start-up included.

// A bench reports on stdout and may stop at the first surprise.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/acme/incident.toml");
const WARMUP: usize = 5;
const RUNS: usize = 51;

fn main() {
    let started = Instant::now();
    println!("{WARMUP} warm-up runs, then {RUNS} timed runs; every run must exit 0");
    common::print_header();
    let render = common::measure(&["--config", CONFIG, "render", "k7m2q9p"], WARMUP, RUNS);
    for channel in ["status", "blog", "social", "chat", "email", "banner"] {
        assert!(
            render.stdout.contains(&format!("── {channel}")),
            "no {channel} draft in:\n{}",
            render.stdout
        );
    }
    common::print_row(
        "render k7m2q9p (all channels)",
        &render,
        Duration::from_millis(10),
        50.0,
    );
    println!(
        "\npeak RSS: the largest of the timed runs, each child measured alone (wait4)\n\
         whole bench: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
