//! `cargo bench --bench site`: times `incident site build` as a real process on generated
//! records of 1,000 and 5,000 incidents of six updates each (every tenth still open).
//!
//! Each size is timed twice: a fresh build into an empty folder every run (every file
//! written), and a rebuild over the previous one (every file compared, none written).
//! Aims: a fresh build of 1,000 incidents under 1 s (median), 5,000 under 5 s (linear
//! growth), peak memory under 100 MB for both (pages are written as they are made, so
//! memory must not grow with the record).

// A bench reports on stdout and may stop at the first surprise.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::fixture::{CONFIG, Ids, SHORT_INCIDENTS};

const SIZES: [usize; 2] = [1_000, 5_000];
const RUNS: usize = 5;
const AIM_RSS_MB: f64 = 100.0;

fn main() {
    let started = Instant::now();
    println!(
        "`incident site build` on generated records; {RUNS} timed runs per row, every run must \
         exit 0 with nothing on stderr"
    );
    common::print_header();
    let mut fresh_medians = Vec::new();
    for incidents in SIZES {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("incident.toml"), CONFIG).unwrap();
        // The tests' generator: six updates each, every severity and component.
        SHORT_INCIDENTS.generate(
            &dir.path().join("incidents"),
            incidents,
            &mut Ids::default(),
        );
        let config = dir.path().join("incident.toml");
        let config = config.to_str().unwrap();
        let aim = Duration::from_millis(incidents as u64);

        // A fresh build every run: a new, empty folder each time.
        let mut runs = Vec::new();
        for run in 0..=RUNS {
            let out = dir.path().join(format!("fresh-{run}"));
            // Each run starts with nothing left to write back from the one before, which
            // would otherwise throttle its writes on a slow disk and time the previous run.
            common::settle();
            let args = ["--config", config, "-q", "site", "build", "--out"];
            let summary = common::measure(&[&args[..], &[out.to_str().unwrap()]].concat(), 0, 1);
            check(&out, incidents);
            // The first run warms the page cache and is not counted.
            if run > 0 {
                runs.push(summary);
            }
        }
        // Deleted only now: on a disk mounted with `discard`, deleting thousands of files
        // keeps it busy for a while, which would land on the next run's time.
        for run in 0..=RUNS {
            std::fs::remove_dir_all(dir.path().join(format!("fresh-{run}"))).unwrap();
        }
        let fresh = combine(runs);
        fresh_medians.push(fresh.median);
        common::print_row(
            &format!("site build, {incidents} incidents"),
            &fresh,
            aim,
            AIM_RSS_MB,
        );

        // A rebuild over an unchanged site: every file is compared, none is written.
        let out = dir.path().join("site");
        let out = out.to_str().unwrap();
        common::settle();
        let rebuild = common::measure(
            &["--config", config, "-q", "site", "build", "--out", out],
            1,
            RUNS,
        );
        check(Path::new(out), incidents);
        assert_eq!(rebuild.stdout, "", "`-q` prints nothing");
        common::print_row(
            &format!("  rebuild, {incidents} unchanged"),
            &rebuild,
            aim,
            AIM_RSS_MB,
        );
    }
    let ratio = fresh_medians[1].as_secs_f64() / fresh_medians[0].as_secs_f64();
    let size_ratio = SIZES[1] as f64 / SIZES[0] as f64;
    println!(
        "\ngrowth: {size_ratio:.0}x the incidents took {ratio:.2}x the time ({})",
        if ratio <= size_ratio * 1.2 {
            "linear or better: met"
        } else {
            "worse than linear: MISSED"
        }
    );
    println!(
        "peak RSS: the largest of the timed runs, each child measured alone (wait4)\n\
         whole bench: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Returns one summary over single-run summaries: their median, 90th percentile, minimum
/// and largest peak memory.
fn combine(runs: Vec<common::Summary>) -> common::Summary {
    let mut times: Vec<Duration> = runs.iter().map(|run| run.median).collect();
    times.sort_unstable();
    let rank = |fraction: f64| times[((fraction * times.len() as f64).ceil() as usize).max(1) - 1];
    common::Summary {
        median: rank(0.5),
        p90: rank(0.9),
        min: times[0],
        max_rss_kib: runs.iter().map(|run| run.max_rss_kib).max().unwrap(),
        stdout: String::new(),
    }
}

/// Checks that the build made every page and a full feed, so the bench cannot time a
/// build that quietly left things out.
fn check(out: &Path, incidents: usize) {
    let pages = std::fs::read_dir(out.join("incidents")).unwrap().count();
    assert_eq!(pages, incidents, "one page per incident");
    let feed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("feed.json")).unwrap()).unwrap();
    assert_eq!(
        feed["items"].as_array().unwrap().len(),
        incident::site::FEED_ENTRIES
    );
    let status: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("status.json")).unwrap()).unwrap();
    assert_eq!(
        status["incidents"].as_array().unwrap().len(),
        incidents.div_ceil(SHORT_INCIDENTS.open_every)
    );
    assert_eq!(status["status"]["indicator"], "critical");
}
