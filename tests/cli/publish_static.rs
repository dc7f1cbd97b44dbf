//! The static-site target on the example incident: the exact cState, Hugo and Jekyll files
//! (reviewed snapshots), written the same way every time.

use std::path::{Path, PathBuf};

use crate::support::{Output, binary, copy, example_dir, output, read};

const SITES: &str = r#"
[targets.hugo-site]
kind = "static"
flavor = "hugo"
path = "hugo/content/incidents"

[targets.jekyll-site]
kind = "static"
flavor = "jekyll"
path = "jekyll/_posts"
"#;

/// A copy of the example with Hugo and Jekyll targets beside its cState one.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = read(&example_dir().join("incident.toml"));
    std::fs::write(dir.path().join("incident.toml"), format!("{config}{SITES}")).unwrap();
    let events = "incidents/k7m2q9p/events.jsonl";
    copy(&example_dir().join(events), &dir.path().join(events));
    dir
}

/// Runs `incident ARGS` in `dir` as the example's comms lead.
fn incident(dir: &Path, args: &[&str]) -> Output {
    output(
        binary()
            .env("INCIDENT_AUTHOR", "Marcus Bell")
            .current_dir(dir)
            .args(args),
    )
}

/// Publishes every update of the example, in order, to the three sites; returns the files.
fn publish_all(dir: &Path) -> Vec<PathBuf> {
    for update in ["1", "2", "3", "4", "5"] {
        let out = incident(
            dir,
            &[
                "publish",
                "k7m2",
                "--update",
                update,
                "--yes",
                "--target",
                "status-site",
                "--target",
                "hugo-site",
                "--target",
                "jekyll-site",
            ],
        );
        assert_eq!(out.code, 0, "update {update}: {out}");
    }
    let mut files: Vec<PathBuf> = [
        "status-site/content/issues",
        "hugo/content/incidents",
        "jekyll/_posts",
    ]
    .iter()
    .flat_map(|folder| std::fs::read_dir(dir.join(folder)).unwrap())
    .map(|entry| entry.unwrap().path())
    .collect();
    files.sort();
    files
}

#[test]
fn the_example_as_cstate_hugo_and_jekyll_pages() {
    let first = example_copy();
    let files = publish_all(first.path());
    assert_eq!(files.len(), 3, "{files:?}");
    for file in &files {
        let name = file
            .strip_prefix(first.path())
            .unwrap()
            .display()
            .to_string();
        let text = read(file);
        insta::assert_snapshot!(name.replace('/', "__"), text);
    }

    // A second copy published from scratch writes the very same bytes.
    let second = example_copy();
    let again = publish_all(second.path());
    for (one, other) in files.iter().zip(&again) {
        assert_eq!(
            std::fs::read(one).unwrap(),
            std::fs::read(other).unwrap(),
            "{}",
            one.display()
        );
    }
    // Publishing again changes nothing.
    let before: Vec<Vec<u8>> = again
        .iter()
        .map(|file| std::fs::read(file).unwrap())
        .collect();
    let out = incident(
        second.path(),
        &[
            "publish",
            "k7m2",
            "--yes",
            "--target",
            "status-site",
            "--target",
            "hugo-site",
            "--target",
            "jekyll-site",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout.matches("already published").count(), 3, "{out}");
    let after: Vec<Vec<u8>> = again
        .iter()
        .map(|file| std::fs::read(file).unwrap())
        .collect();
    assert_eq!(before, after);
}
