//! Prompts as a person meets them, through a real pseudo-terminal; and the promise that
//! without a terminal nothing ever waits for input.

use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

use crate::support::{AUTHOR, BIN, TestEnv, output};

/// Returns a command run on a terminal: the test environment plus `TERM`, without `CI`.
fn terminal_command(env: &TestEnv, program: &str) -> Command {
    let mut command = env.program(program);
    command.env("TERM", "xterm-256color");
    command
}

fn spawn(command: Command) -> PtySession {
    // A broken prompt fails the test after 10 s instead of hanging it.
    spawn_command(command, Some(10_000)).unwrap()
}

fn key(session: &mut PtySession, keys: &str) {
    session.send(keys).unwrap();
    session.flush().unwrap();
}

fn answer(session: &mut PtySession, prompt: &str, text: &str) {
    session.exp_string(prompt).unwrap();
    key(session, text);
    key(session, "\r");
}

const DOWN: &str = "\x1b[B";

/// Says no (Enter) at the walk-through's last question and checks what the tool then says
/// was not sent, and how to send it.
fn decline_publishing(session: &mut PtySession, id: &str) {
    session.exp_string("Publish now to 1 target?").unwrap();
    key(session, "\r");
    session.exp_string("Not published: update").unwrap();
    session
        .exp_string(&format!("Send it with `incident publish {id}"))
        .unwrap();
}

/// Waits for the command to end and returns its exit code.
fn exit_code(session: &mut PtySession) -> i32 {
    session.exp_eof().unwrap();
    match session.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("the command did not exit: {other:?}"),
    }
}

/// What `open` asks after the title, in order.
const OPEN_PROMPTS_AFTER_TITLE: [&str; 6] = [
    "Severity",
    "Affected components",
    "When did it start?",
    "Impact",
    "What can you say right now?",
    "Next update in",
];
const UP: &str = "\x1b[A";

fn only_incident(env: &TestEnv) -> String {
    let mut ids: Vec<String> = std::fs::read_dir(env.root().join("incidents"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    ids.pop().unwrap()
}

#[test]
fn open_walks_a_person_through_the_acknowledgement() {
    let env = TestEnv::new();
    let mut command = terminal_command(&env, BIN);
    command.arg("open");
    let mut session = spawn(command);

    session.exp_string("Acknowledge").unwrap();
    session.exp_string("A short public name").unwrap();
    answer(
        &mut session,
        "Title",
        "Some people see other people's photos",
    );
    // The list starts on the configured default, sev2; one step up is sev1.
    session.exp_string("How bad is it").unwrap();
    session.exp_string("Severity").unwrap();
    key(&mut session, UP);
    key(&mut session, "\r");
    // Components are listed by id: api, photos, web. Pick photos and web.
    session.exp_string("Space selects").unwrap();
    session.exp_string("Affected components").unwrap();
    key(&mut session, DOWN);
    key(&mut session, " ");
    key(&mut session, DOWN);
    key(&mut session, " ");
    key(&mut session, "\r");
    // "Now" is offered; the person says when it really began, as people do: relatively.
    session.exp_string("When did it start?").unwrap();
    answer(&mut session, "(now)", "-20m");
    answer(
        &mut session,
        "Impact",
        "Signed-in users may see photos from other accounts",
    );
    answer(
        &mut session,
        "What can you say right now?",
        "We have turned off the photo cache while we investigate.",
    );
    // Enter keeps the default promise: sev1 updates every 30 minutes.
    answer(&mut session, "Next update in", "");
    session.exp_string("Opened").unwrap();
    let id = only_incident(&env);
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);

    let shown = env.show_json(&id);
    assert_eq!(shown["title"], "Some people see other people's photos");
    assert_eq!(shown["severity"], "sev1");
    assert_eq!(shown["components"], serde_json::json!(["photos", "web"]));
    assert_eq!(
        shown["impact"],
        "Signed-in users may see photos from other accounts"
    );
    let acknowledgement = &shown["updates"][0];
    assert_eq!(acknowledgement["stage"], "acknowledge");
    assert_eq!(acknowledgement["status"], "investigating");
    assert_eq!(acknowledgement["author"], AUTHOR);
    assert_eq!(
        acknowledgement["message"],
        "We have turned off the photo cache while we investigate."
    );
    let at = chrono::DateTime::parse_from_rfc3339(acknowledgement["at"].as_str().unwrap()).unwrap();
    let next =
        chrono::DateTime::parse_from_rfc3339(acknowledgement["next_update_at"].as_str().unwrap())
            .unwrap();
    assert_eq!(next - at, chrono::Duration::minutes(30));
    let started =
        chrono::DateTime::parse_from_rfc3339(shown["started_at"].as_str().unwrap()).unwrap();
    assert_eq!(at - started, chrono::Duration::minutes(20));
}

#[test]
fn a_title_and_enter_through_the_rest_is_a_complete_acknowledgement() {
    let env = TestEnv::new();
    let mut command = terminal_command(&env, BIN);
    command.arg("open");
    let mut session = spawn(command);
    answer(&mut session, "Title", "Uploads failing");
    for prompt in OPEN_PROMPTS_AFTER_TITLE {
        answer(&mut session, prompt, "");
    }
    session.exp_string("Opened").unwrap();
    // Recording is not sending: the last question asks, Enter says no, and that is a
    // normal answer naming what stays unsent.
    session.exp_string("goes to:").unwrap();
    session.exp_string("local  (file, status)").unwrap();
    let id = only_incident(&env);
    // dialoguer's way of saying [y/N]: the answer Enter gives is shown.
    session.exp_string("Publish now to 1 target?").unwrap();
    session.exp_string("(y/n)").unwrap();
    key(&mut session, "\r");
    session
        .exp_string(&format!(
            "Not published: update 1 of {id} is recorded, but was not sent to local."
        ))
        .unwrap();
    session
        .exp_string(&format!("Send it with `incident publish {id}`."))
        .unwrap();
    assert_eq!(exit_code(&mut session), 0);
    assert!(!env.root().join("published").exists());

    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "investigating");
    assert_eq!(
        shown["started_at"], shown["updates"][0]["at"],
        "Enter at the start time is now"
    );
    assert_eq!(shown["severity"], "sev2");
    assert_eq!(shown["components"], serde_json::json!([]));
    assert!(shown["acknowledged_at"].is_string());
    // sev2 promises an update every hour.
    assert!(shown["next_update_at"].is_string());
    let at =
        chrono::DateTime::parse_from_rfc3339(shown["updates"][0]["at"].as_str().unwrap()).unwrap();
    let next =
        chrono::DateTime::parse_from_rfc3339(shown["next_update_at"].as_str().unwrap()).unwrap();
    assert_eq!(next - at, chrono::Duration::hours(1));
}

#[test]
fn update_offers_the_next_stage_and_asks_for_the_message() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    let mut command = terminal_command(&env, BIN);
    command.args(["update", &id]);
    let mut session = spawn(command);
    // The next stage after the acknowledgement is `explain`; Enter takes it.
    answer(&mut session, "Stage", "");
    answer(&mut session, "What happened", "A storage node filled up.");
    answer(
        &mut session,
        "Cause",
        "We ran out of disk space on one storage node",
    );
    answer(&mut session, "Workaround", "");
    // The status stays as it is unless chosen: the stage's suggestion is one key down.
    session
        .exp_string("what the `explain` stage suggests")
        .unwrap();
    key(&mut session, DOWN);
    key(&mut session, "\r");
    answer(&mut session, "Next update in", "45m");
    session.exp_string("Recorded update 2").unwrap();
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);
    let shown = env.show_json(&id);
    assert_eq!(shown["updates"][1]["stage"], "explain");
    assert_eq!(shown["updates"][1]["status"], "identified");
    assert_eq!(shown["updates"][1]["message"], "A storage node filled up.");
    assert_eq!(
        shown["updates"][1]["fields"],
        serde_json::json!({"cause": "We ran out of disk space on one storage node"})
    );
}

#[test]
fn errors_found_before_recording_are_edited_away_or_recorded_by_choice() {
    let env = TestEnv::new();
    let bad = "Uploads over 2 GB fail on db-prod-03; the limit is working as intended.";
    let write_bad_update = |id: &str| {
        let mut command = terminal_command(&env, BIN);
        command.args(["update", id]);
        let mut session = spawn(command);
        answer(&mut session, "Stage", "");
        answer(&mut session, "What happened", bad);
        answer(&mut session, "Cause", "A size limit");
        answer(&mut session, "Workaround", "");
        answer(&mut session, "Status", "");
        answer(&mut session, "Next update in", "45m");
        // Checked before anything is written.
        session
            .exp_string("Checks before recording update 2: 2 error-level findings")
            .unwrap();
        session
            .exp_string("\"db-prod-03\" is an internal detail in a public post")
            .unwrap();
        session
            .exp_string("\"working as intended\" dismisses what people saw")
            .unwrap();
        session.exp_string("What now?").unwrap();
        session
    };

    // Enter edits: the message is asked again, and the mended text is what is recorded.
    let id = env.open("Uploads failing", &[]);
    let mut session = write_bad_update(&id);
    key(&mut session, "\r");
    let mended = "Uploads over 2 GB fail: we set the size limit too low.";
    answer(&mut session, "What happened", mended);
    session.exp_string("Recorded update 2").unwrap();
    session.exp_string("Drafts of update 2").unwrap();
    session.exp_string("we set the size limit too low").unwrap();
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);
    assert_eq!(env.show_json(&id)["updates"][1]["message"], mended);

    // Recording anyway is a choice, one key down; the findings are shown again after.
    let id = env.open("Uploads failing", &[]);
    let mut session = write_bad_update(&id);
    key(&mut session, DOWN);
    key(&mut session, "\r");
    session.exp_string("Recorded update 2").unwrap();
    session.exp_string("Checks: 2 errors").unwrap();
    session.exp_string("incident edit").unwrap();
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);
    assert_eq!(env.show_json(&id)["updates"][1]["message"], bad);

    // Enter at every prompt never records an error: keeping the text says so and asks again.
    let id = env.open("Uploads failing", &[]);
    let mut session = write_bad_update(&id);
    key(&mut session, "\r");
    answer(&mut session, "What happened", "");
    session
        .exp_string("The message is unchanged, so the checks find the same.")
        .unwrap();
    session
        .exp_string("Checks before recording update 2: 2 error-level findings")
        .unwrap();
    session.exp_string("What now?").unwrap();
    key(&mut session, "\x03");
    session.exp_eof().unwrap();
    assert_eq!(env.show_json(&id)["updates"].as_array().unwrap().len(), 1);
}

#[test]
fn an_update_written_while_someone_resolves_keeps_the_incident_resolved() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    // The resolve runs while the update waits for its answers, but the update is written
    // after it (a later clock), as happens when a colleague resolves mid-prompt.
    let mut resolve = env.command();
    resolve.args([
        "resolve",
        &id,
        "--data-loss",
        "none",
        "--message",
        "Fixed; we are sorry. No data was lost.",
    ]);
    let mut command = terminal_command(&env, BIN);
    command.args(["update", &id, "--stage", "explain", "--field", "cause=disk"]);
    let mut session = spawn(command);
    session.exp_string("What happened").unwrap();
    let resolved = output(&mut resolve);
    assert_eq!(resolved.code, 0, "{resolved}");
    key(&mut session, "Storage was full.\r");
    answer(&mut session, "Workaround", "");
    answer(&mut session, "Next update in", "45m");
    session.exp_string("Recorded update").unwrap();
    decline_publishing(&mut session, &id);
    session.exp_eof().unwrap();
    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "resolved", "{shown:#}");
    let last = shown["updates"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["message"], "Storage was full.");
    assert_eq!(last["status"], "resolved");
}

#[test]
fn without_a_terminal_open_fails_at_once_naming_the_flag() {
    let env = TestEnv::new();
    let out = env.run(&["open"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with("error: missing `--title` (no terminal to prompt on)\n"),
        "{out}"
    );
    assert!(
        !env.root()
            .join("incidents")
            .read_dir()
            .unwrap()
            .any(|_| true),
        "nothing is written"
    );

    let out = env.run(&["update", "nope"]);
    assert_eq!(out.code, 2, "{out}");
}

#[test]
fn update_without_a_terminal_names_the_message_flag() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    let out = env.run(&["update", &id]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("missing `--message`"), "{out}");
    assert_eq!(env.show_json(&id)["updates"].as_array().unwrap().len(), 1);
}

/// dialoguer would read keys from `/dev/tty` when stdin is piped but stderr is a terminal;
/// the tool must notice the missing stdin terminal and refuse instead of waiting.
#[test]
fn piped_stdin_with_a_terminal_on_stderr_never_waits() {
    let env = TestEnv::new();
    let mut command = terminal_command(&env, "sh");
    command.args(["-c", &format!("'{BIN}' open </dev/null; echo \"exit=$?\"")]);
    let mut session = spawn(command);
    session.exp_string("missing `--title`").unwrap();
    session.exp_string("exit=2").unwrap();
    session.exp_eof().unwrap();
}

#[test]
fn no_input_and_ci_never_prompt_on_a_terminal() {
    let env = TestEnv::new();
    for (flag, ci) in [(Some("--no-input"), None), (None, Some("true"))] {
        let mut command = terminal_command(&env, "sh");
        let flag = flag.unwrap_or("");
        command.args(["-c", &format!("'{BIN}' open {flag}; echo \"exit=$?\"")]);
        if let Some(ci) = ci {
            command.env("CI", ci);
        }
        let mut session = spawn(command);
        session.exp_string("missing `--title`").unwrap();
        session.exp_string("exit=2").unwrap();
        session.exp_eof().unwrap();
    }
}

#[test]
fn publish_on_a_terminal_lists_the_targets_and_asks_first() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let publish = |answer: &str| {
        let mut command = terminal_command(&env, BIN);
        command.args(["publish", &id]);
        let mut session = spawn(command);
        session
            .exp_string("Publish update 1 (acknowledge)")
            .unwrap();
        session
            .exp_string("local  (file, status)  new post")
            .unwrap();
        session.exp_string("Publish now?").unwrap();
        key(&mut session, answer);
        session
    };
    // No is an answer, not an error: exit 0, saying what stays unsent.
    let mut declined = publish("n");
    declined
        .exp_string(&format!(
            "Not published: update 1 of {id} is recorded, but was not sent to local."
        ))
        .unwrap();
    assert_eq!(exit_code(&mut declined), 0);
    assert!(!env.root().join("published").exists());

    let mut accepted = publish("y");
    accepted.exp_string("published").unwrap();
    accepted.exp_eof().unwrap();
    assert!(env.root().join("published").exists());
}

#[test]
fn ctrl_c_in_a_list_gives_the_cursor_back() {
    let env = TestEnv::new();
    let mut command = terminal_command(&env, BIN);
    command.arg("open");
    let mut session = spawn(command);
    answer(&mut session, "Title", "Uploads failing");
    session.exp_string("Severity").unwrap();
    key(&mut session, "\x03");
    // The cursor is shown again (dialoguer hid it for the list), and nothing is recorded.
    session.exp_string("\x1b[?25h").unwrap();
    session.exp_eof().unwrap();
    assert!(
        !env.root().join("incidents").exists()
            || std::fs::read_dir(env.root().join("incidents"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn enter_everywhere_through_three_updates_never_moves_the_status() {
    // Issue 14: a tired person types a message and presses Enter at every other prompt.
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    for message in [
        "Still failing.",
        "Still failing, sorry.",
        "Still failing, more soon.",
    ] {
        let mut command = terminal_command(&env, BIN);
        command.args(["update", &id]);
        let mut session = spawn(command);
        answer(&mut session, "Stage", "");
        // The stage's message prompt comes next, whatever the stage.
        session.exp_string("?").unwrap();
        key(&mut session, message);
        key(&mut session, "\r");
        let mut prompts = 0;
        loop {
            // Each new question starts with dialoguer's yellow `?`.
            let (_, found) = session
                .exp_regex(r"Recorded update \d+|\x1b\[33m\?")
                .unwrap();
            if found.starts_with("Recorded") {
                break;
            }
            prompts += 1;
            assert!(prompts < 20, "more prompts than any stage has");
            key(&mut session, "\r");
        }
        decline_publishing(&mut session, &id);
        assert_eq!(exit_code(&mut session), 0);
    }
    let shown = env.show_json(&id);
    let updates = shown["updates"].as_array().unwrap();
    let stages: Vec<&str> = updates
        .iter()
        .map(|u| u["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["acknowledge", "explain", "apologize", "promise"]);
    for update in updates {
        assert_eq!(update["status"], "investigating", "{shown}");
    }
}

#[test]
fn enter_at_resolve_does_not_say_no_data_was_lost() {
    // Issue 14: the data-loss question has no answer chosen in advance.
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    let mut command = terminal_command(&env, BIN);
    command.args(["resolve", &id]);
    let mut session = spawn(command);
    answer(
        &mut session,
        "Resolution",
        "Uploads work again. We are sorry.",
    );
    answer(&mut session, "When did it end?", "");
    session.exp_string("Nothing is chosen for you").unwrap();
    session
        .exp_string("Was any data lost or corrupted?")
        .unwrap();
    // Enter alone picks nothing; the last answer, one key up, is the honest one.
    key(&mut session, "\r");
    key(&mut session, UP);
    key(&mut session, "\r");
    session.exp_string("Recorded update 2").unwrap();
    // Still being checked is honest, and the checks keep saying so.
    session.exp_string("data-loss-unknown").unwrap();
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);
    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "resolved");
    assert_eq!(
        shown["updates"][1]["fields"]["data_loss"], "unknown",
        "{shown}"
    );
}

#[test]
fn enter_at_a_required_prompt_says_it_is_required() {
    let env = TestEnv::new();
    let mut command = terminal_command(&env, BIN);
    command.arg("open");
    let mut session = spawn(command);
    answer(&mut session, "Title", "");
    session.exp_string("required: type an answer").unwrap();
    key(&mut session, "Uploads failing\r");
    for prompt in OPEN_PROMPTS_AFTER_TITLE {
        answer(&mut session, prompt, "");
    }
    session.exp_string("Opened").unwrap();
    let id = only_incident(&env);
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);
    assert_eq!(env.show_json(&id)["title"], "Uploads failing");
}

#[test]
fn init_on_a_terminal_asks_for_the_organisation() {
    let env = TestEnv::empty();
    let mut command = terminal_command(&env, BIN);
    command.args(["init", "acme"]);
    let mut session = spawn(command);
    answer(&mut session, "Organisation name", "Acme Photos");
    // A zone that does not exist is refused at the prompt, and asked again.
    answer(&mut session, "Time zone", "Mars/Base");
    session.exp_string("not an IANA time zone").unwrap();
    key(&mut session, "\x15Europe/Berlin\r");
    answer(
        &mut session,
        "Status page address",
        "https://status.acme.test",
    );
    session.exp_string("Created").unwrap();
    assert_eq!(exit_code(&mut session), 0);
    let config = env.read("acme/incident.toml");
    assert!(config.contains("name = \"Acme Photos\""), "{config}");
    assert!(config.contains("timezone = \"Europe/Berlin\""), "{config}");
    assert!(
        config.contains("status_url = \"https://status.acme.test\""),
        "{config}"
    );
}

/// The security preset `incident init` writes.
const SECURITY_PRESET: &str = include_str!("../../src/cli/init_presets/security.toml");

#[test]
fn open_with_the_security_preset_offers_its_answers_and_asks_what_was_exposed() {
    let env = TestEnv::new();
    env.write("presets/security.toml", SECURITY_PRESET);
    let mut command = terminal_command(&env, BIN);
    command.args([
        "open",
        "--preset",
        "security",
        "--title",
        "Private albums shown to other people",
    ]);
    let mut session = spawn(command);
    session.exp_string("Preset `security`").unwrap();
    // The preset's severity is the one chosen: Enter keeps sev1, where the config's
    // default is sev2.
    session.exp_string("Severity").unwrap();
    key(&mut session, "\r");
    session.exp_string("Affected components").unwrap();
    key(&mut session, DOWN);
    key(&mut session, " ");
    key(&mut session, "\r");
    answer(&mut session, "When did it start?", "-10m");
    answer(
        &mut session,
        "Impact",
        "Signed-in people saw previews of other people's private albums",
    );
    // The question only the security preset asks, with its guidance.
    session
        .exp_string("\"Still being checked\" is an honest answer.")
        .unwrap();
    answer(
        &mut session,
        "What data may have been exposed, and to whom?",
        "Private album previews, seen by other signed-in people",
    );
    // The preset's acknowledgement and promise are offered; Enter keeps both.
    session
        .exp_string("(Our service showed account data to people it does not belong to.")
        .unwrap();
    key(&mut session, "\r");
    session.exp_string("Next update in").unwrap();
    answer(&mut session, "(30m)", "");
    session.exp_string("Opened").unwrap();
    let id = only_incident(&env);
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);

    let shown = env.show_json(&id);
    assert_eq!(shown["title"], "Private albums shown to other people");
    assert_eq!(shown["severity"], "sev1");
    assert_eq!(shown["components"], serde_json::json!(["photos"]));
    let acknowledgement = &shown["updates"][0];
    assert_eq!(acknowledgement["fields"]["preset"], "security");
    assert_eq!(
        acknowledgement["fields"]["exposure"],
        "Private album previews, seen by other signed-in people"
    );
    assert!(
        acknowledgement["message"]
            .as_str()
            .unwrap()
            .starts_with("Our service showed account data to people it does not belong to."),
        "{acknowledgement:#}"
    );
    let at = chrono::DateTime::parse_from_rfc3339(acknowledgement["at"].as_str().unwrap()).unwrap();
    let next =
        chrono::DateTime::parse_from_rfc3339(acknowledgement["next_update_at"].as_str().unwrap())
            .unwrap();
    assert_eq!(next - at, chrono::Duration::minutes(30));
    // Every draft says what was answered.
    for channel in ["status", "blog", "social", "chat", "email"] {
        let text = env.draft(&id, 1, channel)["text"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            text.contains("Private album previews, seen by other signed-in people"),
            "{channel}: {text}"
        );
    }
}

#[test]
fn a_correction_with_errors_is_edited_on_a_terminal_before_it_is_recorded() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    env.ok(&["publish", &id, "--yes"]);
    let mut command = terminal_command(&env, BIN);
    command.args([
        "correct",
        &id,
        "--update",
        "1",
        "--message",
        "Only a handful of users are affected.",
    ]);
    let mut session = spawn(command);
    session
        .exp_string("Checks before recording update 2: 1 error-level finding")
        .unwrap();
    session.exp_string("minimises what happened").unwrap();
    session.exp_string("What now?").unwrap();
    key(&mut session, "\r");
    let mended = "Uploads fail for everyone on the mobile app.";
    answer(&mut session, "Text", mended);
    session.exp_string("Recorded update 2").unwrap();
    session.exp_string("Correction to our update of").unwrap();
    decline_publishing(&mut session, &id);
    assert_eq!(exit_code(&mut session), 0);
    let shown = env.show_json(&id);
    assert_eq!(shown["updates"][0]["message"], mended);
    assert_eq!(shown["updates"][1]["stage"], "correction");
}
