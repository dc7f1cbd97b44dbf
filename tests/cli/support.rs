//! The one test harness every test file uses.
//!
//! - [`TestEnv`]: a temporary project with [`CONFIG`], a cleared environment, a fixed
//!   author and a clock that advances one minute per command (or is pinned with
//!   [`TestEnv::run_at`]); `incident edit` through a scripted editor ([`TestEnv::edit`]);
//!   the record and its publications read back.
//! - The walked-through example in `examples/acme/`, run in place ([`on_example`]).
//! - Files ([`files`]) and secrets ([`assert_no_secret`]): nothing secret in the output or
//!   in any file of the project.
//! - [`LocalServer`]: a wiremock server speaking a remote's protocol.
//! - [`server_env`]: the real servers an `#[ignore]`d test needs, or a clear failure.
//!
//! No helper measures time: what happened in which order is read from what a server saw or
//! from the record; speed belongs in `bench/`.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub use crate::fixture::CONFIG;

pub const BIN: &str = env!("CARGO_BIN_EXE_incident");
pub const AUTHOR: &str = "Test Author";
/// The first command runs at this time; each later one a minute after the one before.
pub const START: i64 = 1_795_507_200; // 2026-11-24T08:00:00Z
/// The time the example is looked at (the morning after its incident).
pub const EXAMPLE_NOW: &str = "2026-11-24T08:00:00Z";

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

impl From<std::process::Output> for Output {
    fn from(out: std::process::Output) -> Output {
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
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

    /// Returns a project holding [`CONFIG`] followed by `more` (targets, sections).
    pub fn with_config(more: &str) -> TestEnv {
        let env = TestEnv::new();
        env.write("incident.toml", &format!("{CONFIG}\n{more}"));
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

    /// Writes `contents` to `relative` in the project, making its folders.
    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Returns the text of `relative` in the project.
    pub fn read(&self, relative: &str) -> String {
        read(&self.root().join(relative))
    }

    /// Returns the RFC 3339 time the next command will see, and advances the clock.
    pub fn tick(&self) -> String {
        let minute = self.minute.get();
        self.minute.set(minute + 1);
        let at = chrono::DateTime::from_timestamp(START + minute * 60, 0).unwrap();
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// Returns `program` with the project's environment: cleared but for `PATH`, `HOME`
    /// in the project, the fixed author and the next time; run in the project.
    pub fn program(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root())
            .env("INCIDENT_AUTHOR", AUTHOR)
            .env("INCIDENT_NOW", self.tick())
            .current_dir(self.root());
        command
    }

    /// Returns the binary as a command with the project's environment, no color and no
    /// stdin.
    pub fn command(&self) -> Command {
        let mut command = self.program(BIN);
        command.env("NO_COLOR", "1").stdin(Stdio::null());
        command
    }

    /// Returns the binary as [`TestEnv::command`] does, with the clock pinned at `now`.
    pub fn command_at(&self, now: &str) -> Command {
        let mut command = self.command();
        command.env("INCIDENT_NOW", now);
        command
    }

    /// Runs the binary with `args`, no stdin, and returns what it did.
    pub fn run(&self, args: &[&str]) -> Output {
        output(self.command().args(args))
    }

    /// Runs the binary at `now` (the clock pinned there) and returns what it did.
    pub fn run_at(&self, now: &str, args: &[&str]) -> Output {
        output(self.command_at(now).args(args))
    }

    /// Runs the binary and fails the test unless it exits 0.
    pub fn ok(&self, args: &[&str]) -> Output {
        assert_ok(args, self.run(args))
    }

    /// Runs the binary at `now` and fails the test unless it exits 0.
    pub fn ok_at(&self, now: &str, args: &[&str]) -> Output {
        assert_ok(args, self.run_at(now, args))
    }

    /// Opens an incident with `--title` and returns its id.
    pub fn open(&self, title: &str, extra: &[&str]) -> String {
        let mut args = vec!["open", "--title", title];
        args.extend_from_slice(extra);
        self.ok(&args).stdout.trim().to_string()
    }

    /// Runs `incident edit ARGS` with an editor that replaces the draft by `text` (plus a
    /// line end), and fails the test unless it exits 0.
    pub fn edit(&self, text: &str, args: &[&str]) -> Output {
        // A quoted here-document: the text reaches the file as it is, quotes and all.
        let script = self.write(
            "editor.sh",
            &format!("cat > \"$1\" <<'INCIDENT_TEST_TEXT'\n{text}\nINCIDENT_TEST_TEXT\n"),
        );
        let mut command = self.command();
        command
            .env("EDITOR", format!("sh {}", script.display()))
            .arg("edit")
            .args(args);
        let out = output(&mut command);
        assert_eq!(
            out.code,
            0,
            "`incident edit {}` failed:\n{out}",
            args.join(" ")
        );
        out
    }

    /// The `channel` draft of update `update` (from 1), as `render --json` shows it and the
    /// targets get it.
    pub fn draft(&self, id: &str, update: usize, channel: &str) -> Value {
        let update = update.to_string();
        let out = self.ok(&[
            "render",
            id,
            "--update",
            &update,
            "--channel",
            channel,
            "--json",
        ]);
        let drafts: Value = serde_json::from_str(&out.stdout).unwrap();
        drafts[0].clone()
    }

    /// Returns `show ID --json` parsed.
    pub fn show_json(&self, id: &str) -> Value {
        serde_json::from_str(&self.ok(&["show", id, "--json"]).stdout).unwrap()
    }

    pub fn events_path(&self, id: &str) -> PathBuf {
        self.root().join("incidents").join(id).join("events.jsonl")
    }

    /// The record of incident `id`, as it is on disk.
    pub fn events(&self, id: &str) -> String {
        read(&self.events_path(id))
    }

    /// The kinds of the events in the record of `id`, in the order they are on disk.
    pub fn event_kinds(&self, id: &str) -> Vec<String> {
        self.events(id)
            .lines()
            .map(|line| {
                serde_json::from_str::<Value>(line).unwrap()["kind"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    /// Whether the record of `id` holds a `publish_finished` event for `target`.
    pub fn finished(&self, id: &str, target: &str) -> bool {
        self.events(id)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .any(|event| event["kind"] == "publish_finished" && event["data"]["target"] == target)
    }

    /// The publications of update `update` (from 1) to every target, oldest first.
    pub fn publications(&self, id: &str, update: usize) -> Vec<Value> {
        self.show_json(id)["updates"][update - 1]["publications"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// The publications of update `update` (from 1) to `target`, oldest first.
    pub fn publications_to(&self, id: &str, update: usize, target: &str) -> Vec<Value> {
        self.publications(id, update)
            .into_iter()
            .filter(|publication| publication["target"] == target)
            .collect()
    }

    /// Fails the test if any of `secrets` shows in `out` or in any file of the project.
    pub fn assert_no_secret(&self, out: &Output, secrets: &[impl AsRef<str>]) {
        assert_no_secret(out, Some(self.root()), secrets);
    }
}

fn assert_ok(args: &[&str], out: Output) -> Output {
    assert_eq!(out.code, 0, "`incident {}` failed:\n{out}", args.join(" "));
    out
}

/// Runs `command` to the end and returns what it did.
pub fn output(command: &mut Command) -> Output {
    command.output().unwrap().into()
}

/// Polls `done` until it holds or `child` exits, and returns whether it held. Nothing here
/// reads a clock: a child that ends first is the answer "no".
pub fn wait_while_running(child: &mut Child, mut done: impl FnMut() -> bool) -> bool {
    loop {
        if done() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return done();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

// --- The example -------------------------------------------------------------------------

/// `examples/acme`, the walked-through example.
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme")
}

/// Returns the binary with a cleared environment, the clock at [`EXAMPLE_NOW`], no color
/// and no stdin: for projects other than a [`TestEnv`].
pub fn binary() -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("INCIDENT_NOW", EXAMPLE_NOW)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

/// Returns the [`binary`] on the example in place (`--config examples/acme/incident.toml`).
pub fn example_command() -> Command {
    let mut command = binary();
    command
        .arg("--config")
        .arg(example_dir().join("incident.toml"));
    command
}

/// Runs `incident ARGS` on the example and returns what it did.
pub fn on_example(args: &[&str]) -> Output {
    output(example_command().args(args))
}

// --- Files and secrets -------------------------------------------------------------------

/// Returns the text of the file at `path`.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Copies the file `from` to `to`, making `to`'s folders.
pub fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap_or_else(|error| panic!("{}: {error}", from.display()));
}

/// Every file under `dir` by its path relative to `dir` (`/`-separated), with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, found: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, found);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_str().unwrap();
                found.insert(relative.to_string(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(dir, dir, &mut found);
    found
}

/// Fails the test if any of `secrets` shows in `out`'s stdout or stderr or, given a `dir`,
/// in any file under it (the record above all).
pub fn assert_no_secret(out: &Output, dir: Option<&Path>, secrets: &[impl AsRef<str>]) {
    let mut places = vec![
        ("stdout".to_string(), out.stdout.clone()),
        ("stderr".to_string(), out.stderr.clone()),
    ];
    if let Some(dir) = dir {
        for (name, bytes) in files(dir) {
            places.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    for (place, text) in &places {
        for secret in secrets {
            let secret = secret.as_ref();
            assert!(!secret.is_empty(), "an empty secret matches everything");
            assert!(
                !text.contains(secret),
                "the secret `{secret}` shows in {place}:\n{text}\n\n{out}"
            );
        }
    }
}

// --- Publishing --------------------------------------------------------------------------

/// The `targets` of a `publish --json` report as (name, state), in the report's order.
pub fn publish_states(out: &Output) -> Vec<(String, String)> {
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|error| panic!("not a `--json` report ({error}):\n{out}"));
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["target"].as_str().unwrap().to_string(),
                row["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Owned copies of `list`, to compare with [`publish_states`].
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// A request's JSON body.
pub fn json_body(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

/// A request's header `name`, if it has one.
pub fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap())
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

    /// Answers every request to the path `at`, whatever its method, with `respond`.
    pub fn answer(&self, at: &str, respond: impl wiremock::Respond + 'static) {
        self.mount(wiremock::Mock::given(wiremock::matchers::path(at)).respond_with(respond));
    }

    /// Answers `verb` requests to exactly the path `at` with `respond`.
    pub fn answer_to(&self, verb: &str, at: &str, respond: impl wiremock::Respond + 'static) {
        self.mount(
            wiremock::Mock::given(wiremock::matchers::method(verb))
                .and(wiremock::matchers::path(at))
                .respond_with(respond),
        );
    }

    /// Forgets every answer and request so far.
    pub fn reset(&self) {
        self.runtime.block_on(self.server.reset());
    }

    /// Every request the server received, in the order they arrived.
    pub fn requests(&self) -> Vec<wiremock::Request> {
        self.runtime
            .block_on(self.server.received_requests())
            .unwrap()
    }

    /// The requests whose path starts with `prefix`, in the order they arrived.
    pub fn requests_to(&self, prefix: &str) -> Vec<wiremock::Request> {
        self.requests()
            .into_iter()
            .filter(|request| request.url.path().starts_with(prefix))
            .collect()
    }
}

// --- Real servers ------------------------------------------------------------------------

/// Returns the values of `names`, the environment a real `server` exports when it runs, or
/// fails the test saying which is unset and how to start the server. A test that calls this
/// is `#[ignore]`d, so it runs only when asked for (`cargo test -- --include-ignored`,
/// which `.ci/run` does after starting every server); asked for, it never passes quietly.
#[track_caller]
pub fn server_env(server: &str, names: &[&str], start: &str) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        match optional_env(name) {
            Some(value) => values.push(value),
            None => panic!(
                "this test needs {server}, but `{name}` is unset: start it with {start} \
                 (or run everything with `bash .ci/run`)"
            ),
        }
    }
    values
}

/// Returns `name`'s value, or `None` when it is unset or empty.
pub fn optional_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

// --- A raw HTTP server, for faults wiremock cannot make ------------------------------------

/// What a [`RawServer`] does with one request once it has read it.
#[derive(Debug, Clone)]
pub enum RawReply {
    /// Keeps the connection open and never says a word.
    Hold,
    /// Closes the connection with the request's body still unread, which makes the system
    /// reset it.
    Reset,
    /// Answers with these bytes (a whole HTTP response) and closes.
    Answer(String),
    /// Answers `200 OK` with a chunked body that never ends, until the client goes away.
    Endless,
}

/// A plain TCP server on loopback that reads each request's head and then does the next
/// thing in its script (the last one repeats), keeping every request head it read.
pub struct RawServer {
    port: u16,
    heads: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl RawServer {
    pub fn start(script: Vec<RawReply>) -> RawServer {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for (index, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { return };
                let reply = script[index.min(script.len() - 1)].clone();
                let seen = seen.clone();
                std::thread::spawn(move || {
                    // Byte by byte up to the blank line: the body stays unread.
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match stream.read(&mut byte) {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    seen.lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&head).into_owned());
                    match reply {
                        RawReply::Hold => {
                            std::thread::sleep(std::time::Duration::from_secs(120));
                        }
                        RawReply::Reset => drop(stream),
                        RawReply::Answer(response) => {
                            let _ = stream.write_all(response.as_bytes());
                        }
                        RawReply::Endless => {
                            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                            if stream.write_all(head.as_bytes()).is_err() {
                                return;
                            }
                            let chunk = format!("4000\r\n{}\r\n", "[".repeat(0x4000));
                            while stream.write_all(chunk.as_bytes()).is_ok() {}
                        }
                    }
                });
            }
        });
        RawServer { port, heads }
    }

    pub fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The head (request line and headers) of every request read so far.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// The value of header `name` in each request read so far.
    pub fn header_values(&self, name: &str) -> Vec<Option<String>> {
        self.heads()
            .iter()
            .map(|head| {
                head.lines().find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.trim()
                        .eq_ignore_ascii_case(name)
                        .then(|| value.trim().to_string())
                })
            })
            .collect()
    }
}

/// A complete HTTP response with `status` and a text body.
pub fn raw_response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Decodes an `application/x-www-form-urlencoded` body.
pub fn form(request: &wiremock::Request) -> Vec<(String, String)> {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'+' => out.push(b' '),
                b'%' => {
                    out.push(u8::from_str_radix(&text[at + 1..at + 3], 16).unwrap());
                    at += 2;
                }
                byte => out.push(byte),
            }
            at += 1;
        }
        String::from_utf8(out).unwrap()
    }
    let body = std::str::from_utf8(&request.body).unwrap();
    body.split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap();
            (decode(key), decode(value))
        })
        .collect()
}

/// Answers a status post with the next id, 1001 first, as Mastodon answers: the status.
pub struct Statuses(std::sync::atomic::AtomicUsize);

impl Statuses {
    pub fn new() -> Statuses {
        Statuses(std::sync::atomic::AtomicUsize::new(0))
    }
}

impl wiremock::Respond for Statuses {
    fn respond(&self, _request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let id = 1001 + self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        mastodon_status(&id.to_string())
    }
}

/// Mastodon's answer with status `id`: the status.
pub fn mastodon_status(id: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "id": id,
        "created_at": "2026-11-24T08:01:00.000Z",
        "uri": format!("https://social.acme.example/users/acme/statuses/{id}"),
        "url": format!("https://social.acme.example/@acme/{id}"),
        "visibility": "unlisted",
        "content": "<p>…</p>"
    }))
}
