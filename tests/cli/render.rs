//! Rendering: every channel of every stage of the example, template overrides and their
//! errors, and people's text treated as data (never template source, escaped in HTML).

use crate::support::{Output, TestEnv, example_command, output};

fn render_example(args: &[&str]) -> Output {
    let mut command = example_command();
    command.args(["render", "k7m2q9p"]).args(args);
    output(&mut command)
}

#[test]
fn every_channel_of_every_stage_of_the_example() {
    for (seq, stage) in [
        (1, "acknowledge"),
        (2, "explain"),
        (3, "apologize"),
        (4, "promise"),
        (5, "resolve"),
    ] {
        let out = render_example(&["--update", &seq.to_string()]);
        assert_eq!(out.code, 0, "{out}");
        assert_eq!(out.stderr, "");
        insta::assert_snapshot!(format!("example_{seq}_{stage}"), out.stdout);
    }
}

#[test]
fn blog_html_and_email_subject_as_json() {
    let out = render_example(&["--update", "2", "--json"]);
    assert_eq!(out.code, 0, "{out}");
    let drafts: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let channels: Vec<&str> = drafts
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["channel"].as_str().unwrap())
        .collect();
    assert_eq!(
        channels,
        ["status", "blog", "social", "chat", "email", "banner"]
    );
    insta::assert_snapshot!("example_2_blog_html", drafts[1]["html"].as_str().unwrap());
    assert_eq!(
        drafts[4]["subject"],
        "[Acme Photos] Identified: Some people were shown other people's photos"
    );
    let out = render_example(&["--update", "9"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: incident k7m2q9p has no update 9\n"),
        "{out}"
    );
}

#[test]
fn an_override_replaces_the_embedded_template() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &["--component", "api"]);
    env.write(
        "templates/banner.txt",
        "{{ org.name }} says: {{ incident.title | upper }} ({{ update.stage }})\n",
    );
    let out = env.ok(&["render", &id, "--channel", "banner"]);
    assert_eq!(
        out.stdout,
        "Acme Photos says: UPLOADS FAILING (acknowledge)\n"
    );
    // Other channels still use the embedded templates.
    let out = env.ok(&["render", &id, "--channel", "social"]);
    assert!(
        out.stdout.starts_with("Investigating: Uploads failing."),
        "{out}"
    );
}

#[test]
fn a_broken_override_names_the_file_and_line() {
    let env = TestEnv::new();
    let id = env.open("Uploads failing", &[]);
    env.write(
        "templates/social.txt",
        "fine line\n{% if update.stage %}\nnever closed\n",
    );
    let out = env.run(&["render", &id]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr.lines().next().unwrap(),
        "error: template `templates/social.txt` line 3: syntax error: unexpected end of input, expected end of block",
        "{out}"
    );

    env.write(
        "templates/social.txt",
        "line one\n{{ incident.no_such_field }}\n",
    );
    let out = env.run(&["render", &id, "--channel", "social"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(
        out.stderr.lines().next().unwrap(),
        "error: template `templates/social.txt` line 2: undefined value: `incident.no_such_field` is undefined",
        "{out}"
    );
}

#[test]
fn typed_text_is_data_and_html_is_escaped() {
    let env = TestEnv::new();
    let title = "Login {{ org.name }} broken <script>alert(1)</script>";
    let id = env.open(
        title,
        &[
            "--summary",
            "We see {% if true %}errors{% endif %} & timeouts.",
        ],
    );
    let out = env.ok(&["render", &id, "--json"]);
    let drafts: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    for draft in &drafts {
        let text = draft["text"].as_str().unwrap();
        assert!(
            text.contains("{{ org.name }}"),
            "{} rendered the title as a template: {text}",
            draft["channel"]
        );
        if draft["channel"] != "banner" {
            assert!(
                text.contains("{% if true %}errors{% endif %}"),
                "{}: {text}",
                draft["channel"]
            );
        }
    }
    let html = drafts[1]["html"].as_str().unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("{{ org.name }}"), "{html}");
    assert!(html.contains("errors{% endif %} &amp; timeouts"), "{html}");
}

#[test]
fn edit_stores_the_text_and_render_uses_it() {
    let env = TestEnv::new();
    let id = env.open(
        "Uploads failing",
        &["--summary", "We are looking into failed uploads."],
    );
    let edit = |editor: &str| {
        output(
            env.command()
                .env("EDITOR", editor)
                .args(["edit", &id, "--channel", "social"]),
        )
    };

    // An editor that changes nothing, and one that fails, store nothing.
    let out = edit("true");
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("No changes; nothing was stored."),
        "{out}"
    );
    let out = edit("false");
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .starts_with("error: the editor `false` failed (exit 1); nothing was stored"),
        "{out}"
    );
    let lines = || env.events(&id).lines().count();
    assert_eq!(lines(), 1);

    let out = edit(
        "sed -i 's/We are looking into failed uploads./Uploads fail for some people; we are on it./'",
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(lines(), 2);
    let out = env.ok(&["render", &id, "--channel", "social"]);
    assert!(
        out.stdout
            .contains("Uploads fail for some people; we are on it."),
        "{out}"
    );
    assert!(!out.stdout.contains("looking into"), "{out}");
    let out = env.ok(&["render", &id]);
    assert!(out.stdout.contains("── social (edited) "), "{out}");
    // Other channels keep the template's text.
    let out = env.ok(&["render", &id, "--channel", "status"]);
    assert!(
        out.stdout.contains("We are looking into failed uploads."),
        "{out}"
    );
    let shown = env.show_json(&id);
    assert_eq!(
        shown["timeline"].as_array().unwrap().last().unwrap()["kind"],
        "edited"
    );

    let out = output(env.command().args(["edit", &id, "--channel", "social"]));
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.starts_with(
            "error: no editor: `$VISUAL` and `$EDITOR` are unset and there is no terminal"
        ),
        "{out}"
    );
}
