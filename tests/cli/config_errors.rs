//! Bad input of every kind: a one-line error naming the file, line and column or the flag,
//! a hint, exit code 2, and nothing written.

use crate::support::{CONFIG, Output, TestEnv, output};

/// Runs `open` against `incident.toml` holding `config` and returns what it printed.
fn open_with_config(config: &str) -> (TestEnv, Output) {
    let env = TestEnv::new();
    env.write("incident.toml", config);
    let out = env.run(&["open", "--title", "x"]);
    (env, out)
}

/// Returns the 1-based number of the first line of `config` that starts with `start`.
fn line_of(config: &str, start: &str) -> usize {
    config
        .lines()
        .position(|line| line.starts_with(start))
        .unwrap()
        + 1
}

fn assert_config_error(config: &str, expected: &str) {
    let (env, out) = open_with_config(config);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, expected, "{out}");
    assert_eq!(
        std::fs::read_dir(env.root().join("incidents"))
            .unwrap()
            .count(),
        0,
        "a bad config must not write anything"
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    assert_config_error(
        &CONFIG.replace("update_every = \"1h\"", "update_evry = \"1h\""),
        "error: `incident.toml` line 15, column 1: unknown key `update_evry`\nhint: did you mean `update_every`?\n",
    );
    assert_config_error(
        &CONFIG.replace("[components]", "[component]"),
        "error: `incident.toml` line 22, column 2: unknown key `component`\nhint: did you mean `components`?\n",
    );
}

#[test]
fn bad_time_zone() {
    assert_config_error(
        &CONFIG.replace("America/New_York", "America/NewYork"),
        "error: `incident.toml` line 3, column 12: unknown time zone `America/NewYork`\nhint: did you mean `America/New_York`?\n",
    );
}

#[test]
fn bad_duration() {
    assert_config_error(
        &CONFIG.replace(
            "acknowledge_within = \"15m\"",
            "acknowledge_within = \"15 mins-ish\"",
        ),
        "error: `incident.toml` line 9, column 22: bad duration `15 mins-ish` for `acknowledge_within` in `[severities.sev1]`\nhint: use a duration like `15m`, `1h30m` or `2h`\n",
    );
}

#[test]
fn literal_secret_names_the_env_key() {
    let config = format!(
        "{CONFIG}\n[targets.status-blog]\nkind = \"wordpress\"\nurl = \"https://blog.acme.example\"\nusername = \"comms-bot\"\npassword = \"abcd efgh ijkl\"\n"
    );
    let (_, out) = open_with_config(&config);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr,
        format!(
            "error: `incident.toml` line {}, column 12: `password` in `[targets.status-blog]` would keep a secret in the file; secrets come only from the environment\nhint: remove it and write `password_env = \"STATUS_BLOG_PASSWORD\"`, then export that variable\n",
            line_of(&config, "password")
        )
    );
    assert!(
        !out.stderr.contains("abcd"),
        "the secret must not be echoed"
    );
}

#[test]
fn plain_http_to_a_public_host_is_refused() {
    let config = format!(
        "{CONFIG}\n[targets.hook]\nkind = \"webhook\"\nurl = \"http://hooks.acme.example/incident\"\n"
    );
    assert_config_error(
        &config,
        &format!(
            "error: `incident.toml` line {}, column 7: plain `http://` to `hooks.acme.example` is refused in `[targets.hook]`\nhint: use `https://`; if this really must go unencrypted, set `allow_insecure = true` on the target\n",
            line_of(&config, "url =")
        ),
    );
    let allowed = config.replace(
        "kind = \"webhook\"",
        "kind = \"webhook\"\nallow_insecure = true",
    );
    let (_, out) = open_with_config(&allowed);
    assert_eq!(out.code, 0, "{out}");
    let loopback = config.replace("hooks.acme.example", "127.0.0.1:9000");
    let (_, out) = open_with_config(&loopback);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn unknown_target_kind_and_references() {
    let config =
        format!("{CONFIG}\n[targets.hook]\nkind = \"webhooks\"\nurl = \"https://x.example\"\n");
    assert_config_error(
        &config,
        &format!(
            "error: `incident.toml` line {}, column 8: unknown target kind `webhooks` in `[targets.hook]`\nhint: did you mean `webhook`?\n",
            line_of(&config, "kind = \"webhooks\"")
        ),
    );
    let config = CONFIG.replace("default_severity = \"sev2\"", "default_severity = \"sev9\"");
    let (_, out) = open_with_config(&config);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.starts_with("error: `incident.toml` line 5, column 20: `default_severity` names unknown severity `sev9`\n"), "{out}");
    let config = format!(
        "{CONFIG}\n[targets.chat]\nkind = \"slack\"\nurl_env = \"SLACK_URL\"\nstages = [\"acknowledge\", \"apologise\"]\n"
    );
    let (_, out) = open_with_config(&config);
    assert_eq!(out.code, 2, "{out}");
    let expected = format!(
        "error: `incident.toml` line {}, column 26: unknown stage `apologise` in `[targets.chat]`\n",
        line_of(&config, "stages")
    );
    assert!(out.stderr.starts_with(&expected), "{out}");
}

#[test]
fn invalid_toml() {
    let (_, out) =
        open_with_config(&CONFIG.replace("name = \"Acme Photos\"", "name = \"Acme Photos"));
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: `incident.toml` line 2, column "),
        "{out}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {out}");
}

#[test]
fn missing_or_unreadable_config() {
    let env = TestEnv::empty();
    let out = env.run(&["list"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: no `incident.toml` found in `"),
        "{out}"
    );
    assert!(out.stderr.contains("hint: run `incident init`"), "{out}");

    let out = env.run(&["--config", "elsewhere.toml", "list"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: cannot read `elsewhere.toml`\ncaused by: "),
        "{out}"
    );

    let out = output_with_env(&env, "INCIDENT_CONFIG", "from-env.toml", &["list"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: cannot read `from-env.toml`\ncaused by: "),
        "{out}"
    );
}

fn output_with_env(env: &TestEnv, key: &str, value: &str, args: &[&str]) -> Output {
    output(env.command().env(key, value).args(args))
}

#[test]
fn config_is_found_from_a_subfolder() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    std::fs::create_dir_all(env.root().join("a/b")).unwrap();
    let out = output(
        env.command()
            .current_dir(env.root().join("a/b"))
            .args(["show", &id]),
    );
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn bad_ids_and_ambiguous_prefixes() {
    let env = TestEnv::new();
    let out = env.run(&["open", "--title", "x", "--id", "Not An Id"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.starts_with("error: invalid id `Not An Id`\n"),
        "{out}"
    );

    env.open("First", &["--id", "cache-1"]);
    env.open("Second", &["--id", "cache-2"]);
    let out = env.run(&["open", "--title", "again", "--id", "cache-1"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: incident `cache-1` already exists\n"),
        "{out}"
    );

    let out = env.run(&["show", "cache"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr,
        "error: `cache` matches 2 incidents: cache-1, cache-2\nhint: type more characters of the id\n"
    );
    let out = env.run(&["update", "zzz", "--message", "x"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr,
        "error: no incident matches `zzz`\nhint: `incident list --all` shows every incident\n"
    );
    assert_eq!(env.show_json("cache-2")["title"], "Second");
}

#[test]
fn bad_times_durations_and_choices() {
    let env = TestEnv::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &["open", "--title", "x", "--started-at", "yesterday"],
            "error: invalid time `yesterday`\nhint: use RFC 3339",
        ),
        (
            &["open", "--title", "x", "--started-at", "2026-03-08 02:30"],
            "error: `2026-03-08 02:30` does not exist in America/New_York",
        ),
        (
            &["open", "--title", "x", "--next-update", "soon"],
            "error: invalid duration `soon`\nhint: use a number with a unit",
        ),
        (
            &["open", "--title", "x", "--severity", "sev4"],
            "error: unknown severity `sev4`\nhint: severities are `sev1`, `sev2`, `sev3`",
        ),
        (
            &["open", "--title", "x", "--component", "photo"],
            "error: unknown component `photo`\nhint: did you mean `photos`?",
        ),
        (
            &["open", "--title", " "],
            "error: the title cannot be empty",
        ),
    ];
    for (args, expected) in cases {
        let out = env.run(args);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.starts_with(expected), "{args:?}:\n{out}");
    }
    assert_eq!(
        std::fs::read_dir(env.root().join("incidents"))
            .unwrap()
            .count(),
        0
    );

    let id = env.open("Uploads failing", &[]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["update", &id, "--message", "m", "--status", "fixed"],
            "error: unknown status `fixed`",
        ),
        (
            &["update", &id, "--message", "m", "--stage", "explian"],
            "error: unknown stage `explian`\nhint: did you mean `explain`?",
        ),
        (
            &["update", &id, "--message", "m", "--stage", "resolve"],
            "error: `resolve` is not an update stage",
        ),
        (
            &["update", &id, "--message", "m", "--field", "oops"],
            "error: `--field` takes KEY=VALUE, got `oops`",
        ),
        (
            &["update", &id, "--message", "m", "--next-update", "0m"],
            "error: the next update must be promised some time from now",
        ),
        (
            &[
                "resolve",
                &id,
                "--data-loss",
                "none",
                "--resolved-at",
                "2030-01-01T00:00:00Z",
            ],
            "error: `--resolved-at` is in the future",
        ),
    ];
    for (args, expected) in cases {
        let out = env.run(args);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.starts_with(expected), "{args:?}:\n{out}");
    }
    assert_eq!(
        env.show_json(&id)["updates"].as_array().unwrap().len(),
        1,
        "nothing was appended"
    );

    let out = output(env.command().env("INCIDENT_NOW", "tomorrow").args(["list"]));
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: `INCIDENT_NOW` is not an RFC 3339 time: `tomorrow`"),
        "{out}"
    );
}

#[test]
fn target_names_are_plain_words() {
    let config = format!(
        "{CONFIG}\n[targets.\"ops.hook\"]\nkind = \"webhook\"\nurl = \"https://x.example\"\n"
    );
    let (_, out) = open_with_config(&config);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("target name `ops.hook` must be lowercase letters, digits and `-`"),
        "{out}"
    );
}

#[test]
fn a_webhook_url_from_the_environment_must_be_https() {
    let env = TestEnv::new();
    env.write(
        "incident.toml",
        &format!("{CONFIG}\n[targets.chat]\nkind = \"slack\"\nurl_env = \"CHAT_URL\"\n"),
    );
    let id = env.open(
        "Uploads failing",
        &["--summary", "Uploads fail for everyone."],
    );
    let mut command = env.command();
    command
        .env("CHAT_URL", "http://hooks.example/services/s3cr3t-token")
        .args(["publish", &id, "--yes"]);
    let out = output(&mut command);
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stdout
            .contains("`CHAT_URL` (`url_env` of target `chat`) must be an `https://` URL"),
        "{out}"
    );
    assert!(
        !out.stdout.contains("s3cr3t") && !out.stderr.contains("s3cr3t"),
        "{out}"
    );
}

/// Issue 11: a bad `tls`, `flavor`, `mode` or `visibility` is refused when the config is
/// read, naming the file, line and column and the values it takes, before any command runs
/// (here `open`, which publishes nothing), not when a publisher gets to it.
#[test]
fn a_bad_choice_of_each_kind_names_its_line_and_the_allowed_values() {
    let cases = [
        (
            "[targets.mail]\nkind = \"email\"\nhost = \"127.0.0.1\"\ntls = \"ssl\"\nfrom = \"status@acme.example\"\nto = [\"ops@acme.example\"]\n",
            "tls = ",
            7,
            "unknown tls `ssl` in `[targets.mail]`\nhint: `tls` is one of `starttls`, `implicit`, `none`",
        ),
        (
            "[targets.site]\nkind = \"static\"\npath = \"site\"\nflavor = \"gatsby\"\n",
            "flavor = ",
            10,
            "unknown flavor `gatsby` in `[targets.site]`\nhint: `flavor` is one of `cstate`, `hugo`, `jekyll`",
        ),
        (
            "[targets.blog]\nkind = \"wordpress\"\nurl = \"https://blog.acme.example\"\nusername = \"bot\"\npassword_env = \"WP_PASSWORD\"\nmode = \"post-per-day\"\n",
            "mode = ",
            8,
            "unknown mode `post-per-day` in `[targets.blog]`\nhint: `mode` is one of `post-per-incident`, `post-per-update`",
        ),
        (
            "[targets.social]\nkind = \"mastodon\"\nurl = \"https://mastodon.example\"\ntoken_env = \"MASTODON_TOKEN\"\nvisibility = \"friends\"\n",
            "visibility = ",
            14,
            "unknown visibility `friends` in `[targets.social]`\nhint: `visibility` is one of `public`, `unlisted`, `private`, `direct`",
        ),
    ];
    for (target, key, column, expected) in cases {
        let config = format!("{CONFIG}\n{target}");
        assert_config_error(
            &config,
            &format!(
                "error: `incident.toml` line {}, column {column}: {expected}\n",
                line_of(&config, key)
            ),
        );
    }
}

/// Issue 11: an email address that does not parse is a config error on its line, not a
/// failed delivery.
#[test]
fn a_bad_email_address_is_a_config_error() {
    let config = format!(
        "{CONFIG}\n[targets.mail]\nkind = \"email\"\nhost = \"127.0.0.1\"\nfrom = \"status at acme\"\nto = [\"ops@acme.example\"]\n"
    );
    let (env, out) = open_with_config(&config);
    assert_eq!(out.code, 2, "{out}");
    let expected = format!(
        "error: `incident.toml` line {}, column 8: `from` of `[targets.mail]` is not an email address (`status at acme`)",
        line_of(&config, "from = ")
    );
    assert!(out.stderr.starts_with(&expected), "{out}");
    assert!(
        out.stderr
            .contains("hint: write it like `status@example.com`"),
        "{out}"
    );
    let out = env.run(&["list"]);
    assert_eq!(out.code, 2, "every command reads the config: {out}");
}
