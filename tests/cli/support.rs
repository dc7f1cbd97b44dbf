//! `TestEnv`: a temporary project with a known config, a cleared environment, a fixed author
//! and a clock that advances one minute per command.

use std::cell::Cell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_incident");
pub const AUTHOR: &str = "Test Author";
/// The first command runs at this time; each later one a minute after the one before.
pub const START: i64 = 1_795_507_200; // 2026-11-24T08:00:00Z

pub const CONFIG: &str = r#"[org]
name = "Acme Photos"
timezone = "America/New_York"
status_url = "https://status.acme.example"
default_severity = "sev2"

[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"

[severities.sev2]
label = "Major"
acknowledge_within = "30m"
update_every = "1h"

[severities.sev3]
label = "Minor"
acknowledge_within = "1h"
update_every = "2h"

[components]
photos = "Photo storage"
web = "Website"
api = "Public API"

[targets.local]
kind = "file"
path = "published"
"#;

pub struct TestEnv {
    dir: tempfile::TempDir,
    minute: Cell<i64>,
}

/// What a command did: its exit code and output.
#[derive(Debug, Clone)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl TestEnv {
    /// Returns a project holding [`CONFIG`] and an empty `incidents/`.
    pub fn new() -> TestEnv {
        let env = TestEnv::empty();
        env.write("incident.toml", CONFIG);
        std::fs::create_dir_all(env.root().join("incidents")).unwrap();
        env
    }

    /// Returns an empty folder.
    pub fn empty() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().unwrap(),
            minute: Cell::new(0),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Returns the RFC 3339 time the next command will see, and advances the clock.
    pub fn tick(&self) -> String {
        let minute = self.minute.get();
        self.minute.set(minute + 1);
        let at = chrono::DateTime::from_timestamp(START + minute * 60, 0).unwrap();
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// Returns the binary as a command with a cleared environment, run in the project.
    pub fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root())
            .env("INCIDENT_AUTHOR", AUTHOR)
            .env("INCIDENT_NOW", self.tick())
            .env("NO_COLOR", "1")
            .current_dir(self.root())
            .stdin(Stdio::null());
        command
    }

    /// Runs the binary with `args`, no stdin, and returns what it did.
    pub fn run(&self, args: &[&str]) -> Output {
        output(self.command().args(args))
    }

    /// Runs the binary and fails the test unless it exits 0.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_eq!(out.code, 0, "`incident {}` failed:\n{out}", args.join(" "));
        out
    }

    /// Opens an incident with `--title` and returns its id.
    pub fn open(&self, title: &str, extra: &[&str]) -> String {
        let mut args = vec!["open", "--title", title];
        args.extend_from_slice(extra);
        self.ok(&args).stdout.trim().to_string()
    }

    /// Returns `show ID --json` parsed.
    pub fn show_json(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["show", id, "--json"]).stdout).unwrap()
    }

    pub fn events_path(&self, id: &str) -> PathBuf {
        self.root().join("incidents").join(id).join("events.jsonl")
    }
}

/// Runs `command` to the end and returns what it did.
pub fn output(command: &mut Command) -> Output {
    let out = command.output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A local server speaking a remote's real protocol (wiremock). It serves on its own thread,
/// so it keeps answering while a test waits on the binary.
pub struct LocalServer {
    runtime: tokio::runtime::Runtime,
    server: wiremock::MockServer,
}

impl LocalServer {
    pub fn start() -> LocalServer {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(wiremock::MockServer::start());
        LocalServer { runtime, server }
    }

    pub fn uri(&self) -> String {
        self.server.uri()
    }

    pub fn mount(&self, mock: wiremock::Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    /// Forgets every answer and request so far.
    pub fn reset(&self) {
        self.runtime.block_on(self.server.reset());
    }

    /// Every request the server received, in order.
    pub fn requests(&self) -> Vec<wiremock::Request> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap()
    }
}
