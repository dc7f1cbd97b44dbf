//! Shared by the bench targets: runs the release binary as a real process (start-up
//! included, as a person would see it) and summarises the timings and memory; and, from
//! the tests, the project configuration and the record generator ([`fixture`]), so a bench
//! measures the very project the tests check.

// Each bench uses its own part of what is here.
#![allow(dead_code)]

use std::io::{Read, Seek};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

#[path = "../tests/cli/fixture.rs"]
pub mod fixture;

/// The binary under test, built in the bench (release) profile.
pub const BIN: &str = env!("CARGO_BIN_EXE_incident");

/// How one command did over its timed runs.
pub struct Summary {
    pub median: Duration,
    pub p90: Duration,
    pub min: Duration,
    /// Peak resident memory of the largest single run, in KiB.
    pub max_rss_kib: i64,
    /// What the last run printed on stdout, for the caller's sanity checks.
    pub stdout: String,
}

/// Runs `incident ARGS` `warmup` times untimed, then `runs` times timed. Every run must exit
/// 0 with nothing on stderr, so a bench cannot quietly measure an error or warning path.
pub fn measure(args: &[&str], warmup: usize, runs: usize) -> Summary {
    // Every run writes its stdout to this one file, as `> file` would: a pipe drained by
    // this process would time this process's reading (and its string growth) as well.
    let mut stdout = tempfile::tempfile().expect("create a file for stdout");
    let mut times = Vec::with_capacity(runs);
    let mut max_rss_kib = 0;
    for index in 0..warmup + runs {
        stdout.set_len(0).expect("empty the stdout file");
        stdout.rewind().expect("rewind the stdout file");
        let (elapsed, rss_kib) = run_once(args, &stdout);
        if index >= warmup {
            times.push(elapsed);
            max_rss_kib = max_rss_kib.max(rss_kib);
        }
    }
    times.sort_unstable();
    // Nearest-rank percentiles.
    let rank = |fraction: f64| times[((fraction * times.len() as f64).ceil() as usize).max(1) - 1];
    let mut printed = String::new();
    stdout.rewind().expect("rewind the stdout file");
    stdout
        .read_to_string(&mut printed)
        .expect("read the stdout file");
    Summary {
        median: rank(0.5),
        p90: rank(0.9),
        min: times[0],
        max_rss_kib,
        stdout: printed,
    }
}

/// Runs the binary once, its stdout written to `stdout`: returns the wall time and this
/// child's peak RSS (KiB).
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by `wait4`, which clippy does not see"
)]
fn run_once(args: &[&str], stdout: &std::fs::File) -> (Duration, i64) {
    let mut stderr = tempfile::tempfile().expect("create a file for stderr");
    let start = Instant::now();
    let child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout.try_clone().expect("clone the stdout file"))
        .stderr(stderr.try_clone().expect("clone the stderr file"))
        .spawn()
        .expect("start the incident binary");
    let (status, rss_kib) = wait_with_rusage(&child);
    let elapsed = start.elapsed();

    let mut errors = String::new();
    stderr.rewind().expect("rewind stderr");
    stderr.read_to_string(&mut errors).expect("read stderr");
    assert!(
        status.success() && errors.is_empty(),
        "`incident {}` exited with {status} and printed on stderr:\n{errors}",
        args.join(" ")
    );
    (elapsed, rss_kib)
}

/// Reaps `child` with `wait4`, which reports the resource use of that one child, unlike
/// `getrusage(RUSAGE_CHILDREN)`, the maximum over every child waited for so far.
fn wait_with_rusage(child: &Child) -> (ExitStatus, i64) {
    let pid = libc::pid_t::try_from(child.id()).expect("pids fit pid_t");
    let mut status = 0;
    // SAFETY: `rusage` is a plain C struct of integers, for which all zeroes is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped (std's `Child` is never waited on);
    // both pointers are to live locals.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    // On Linux `ru_maxrss` is in KiB.
    (ExitStatus::from_raw(status), usage.ru_maxrss)
}

/// Waits until the kernel has written every dirty page to disk: writing a freshly
/// generated record back while the runs are timed would be timed as the command's.
pub fn settle() {
    let status = Command::new("sync").status().expect("run sync");
    assert!(status.success(), "sync failed");
}

/// Prints the table's header.
pub fn print_header() {
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>10}  aim",
        "command", "median", "p90", "min", "peak RSS"
    );
}

/// Prints one row, with whether the median and memory meet the aim.
pub fn print_row(label: &str, summary: &Summary, aim_median: Duration, aim_rss_mb: f64) {
    let ms = |time: Duration| format!("{:.2} ms", time.as_secs_f64() * 1e3);
    // MB as in 10^6 bytes.
    let rss_mb = summary.max_rss_kib as f64 * 1024.0 / 1e6;
    let verdict = if summary.median < aim_median && rss_mb < aim_rss_mb {
        "met"
    } else {
        "MISSED"
    };
    println!(
        "{label:<34} {:>10} {:>10} {:>10} {:>10}  median < {} ms, RSS < {aim_rss_mb} MB: {verdict}",
        ms(summary.median),
        ms(summary.p90),
        ms(summary.min),
        format!("{rss_mb:.1} MB"),
        aim_median.as_millis(),
    );
}
