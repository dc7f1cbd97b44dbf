//! The on-call flow wired end to end: open, update, resolve, list, show, init.

use crate::support::TestEnv;

#[test]
fn open_update_resolve_show() {
    let env = TestEnv::new();
    let id = env.open(
        "Photos shown to the wrong people",
        &["--severity", "sev1", "--component", "photos"],
    );
    assert_eq!(id.len(), 7, "{id}");
    env.ok(&[
        "update",
        &id[..3],
        "--message",
        "A cache served pages across accounts.",
        "--field",
        "cause=cache key",
    ]);
    env.ok(&[
        "resolve",
        &id,
        "--data-loss",
        "none",
        "--message",
        "Fixed; we are sorry for the mix-up. No data was lost.",
    ]);
    let shown = env.show_json(&id);
    assert_eq!(shown["status"], "resolved");
    assert_eq!(shown["severity"], "sev1");
    let stages: Vec<&str> = shown["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["acknowledge", "explain", "resolve"]);
    assert_eq!(shown["updates"][1]["fields"]["cause"], "cache key");
    assert_eq!(
        env.event_kinds(&id),
        ["opened", "updated", "resolved"],
        "one line per event"
    );
}

#[test]
fn completions_and_the_manual_page() {
    let env = TestEnv::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.ok(&["completions", shell]);
        assert!(out.stdout.contains("publish"), "{shell}: {out}");
        assert!(out.stdout.contains("postmortem"), "{shell}: {out}");
    }
    let script = env.write("incident.bash", &env.ok(&["completions", "bash"]).stdout);
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(
        checked.success(),
        "the bash completion script does not parse"
    );
    let page = env.ok(&["man"]).stdout;
    assert!(page.contains(".TH incident 1"), "{page}");
    assert!(page.contains("publish"), "{page}");
    assert_eq!(env.run(&["completions", "tcsh"]).code, 2);
}
