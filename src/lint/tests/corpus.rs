//! The checks measured on public incident statements (paraphrased, each with its source):
//! recall per kind of bad statement, and false alarms on good ones. `corpus.toml` is what the
//! rules were built against; `heldout.toml` was written apart and is only measured, so a rule
//! tuned to its own examples shows as a gap between the two.

// The measurements are the point of these tests: they are printed for `--nocapture`.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;

const CORPUS: &[&str] = &[
    include_str!("../../../tests/fixtures/lint_corpus/corpus.toml"),
    include_str!("../../../tests/fixtures/lint_corpus/corpus_more.toml"),
    // Written apart, but its misses were read once while the rules were being built, so it
    // counts as tuning data now.
    include_str!("../../../tests/fixtures/lint_corpus/heldout.toml"),
];
/// Written apart and never read while building the rules: only its numbers are printed.
const HELD_OUT: &str = include_str!("../../../tests/fixtures/lint_corpus/unseen.toml");

/// The house list the corpus's internal names come from.
const HOUSE: &str = r#"
[playbook]
internal_names = ["Team Falcon", "Project Bluebird", "the Hydra cluster", "Dana Whitfield", "Raj Patel", "the Core-Infra squad"]
"#;

#[derive(Deserialize)]
struct Corpus {
    statement: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    kind: String,
    text: String,
    source: String,
}

/// What the checks made of one set of statements.
#[derive(Default)]
struct Measured {
    /// Per kind: statements, and how many the kind's rule caught.
    caught: BTreeMap<String, (usize, usize)>,
    missed: Vec<String>,
    good: usize,
    false_alarms: Vec<String>,
}

impl Measured {
    fn recall(&self) -> f64 {
        let (total, caught) = self
            .caught
            .values()
            .fold((0, 0), |(total, caught), (t, c)| (total + t, caught + c));
        caught as f64 / total as f64
    }

    fn false_alarm_rate(&self) -> f64 {
        self.false_alarms.len() as f64 / self.good as f64
    }

    /// The numbers only: what the held-out statements say stays unread while rules change.
    fn summary(&self, name: &str) -> String {
        let mut text = format!(
            "{name}: recall {:.1}%, false alarms {:.1}% ({} of {} good)\n",
            self.recall() * 100.0,
            self.false_alarm_rate() * 100.0,
            self.false_alarms.len(),
            self.good
        );
        for (kind, (total, caught)) in &self.caught {
            text.push_str(&format!("  {kind:<18} {caught:>3} of {total:<3}\n"));
        }
        text
    }

    fn report(&self, name: &str) -> String {
        let mut text = self.summary(name);
        for missed in &self.missed {
            text.push_str(&format!("  missed {missed}\n"));
        }
        for alarm in &self.false_alarms {
            text.push_str(&format!("  false alarm {alarm}\n"));
        }
        text
    }
}

/// Runs every statement through the real checks, as the message of an `explain` update
/// rendered by the real templates, on an incident with impact recorded and no cause yet.
fn measure(sources: &[&str]) -> Measured {
    let statements: Vec<Statement> = sources
        .iter()
        .flat_map(|source| {
            let corpus: Corpus = toml::from_str(source).expect("the corpus parses");
            corpus.statement
        })
        .collect();
    let config = config(HOUSE);
    let linter = Linter::new(&config);
    let renderer = Renderer::new(&config);
    let mut measured = Measured::default();
    for statement in &statements {
        assert!(!statement.source.trim().is_empty(), "{}", statement.text);
        let story = Story::new("Uploads are failing.").then(
            10,
            body("explain", Status::Identified, &statement.text, Some(40)),
        );
        let incident = story.incident();
        let seq = incident.updates.len();
        let drafts = renderer.render_all(&incident, seq).unwrap();
        let findings = linter.lint(&incident, seq, &drafts);
        let fired: Vec<Rule> = findings
            .iter()
            .filter(|finding| finding.channel == Some(Channel::Status) || finding.channel.is_none())
            .map(|finding| finding.rule)
            .filter(|rule| Rule::JUDGING.contains(rule))
            .collect();
        if statement.kind == "good" {
            measured.good += 1;
            if !fired.is_empty() {
                let said: Vec<String> = findings
                    .iter()
                    .filter(|finding| fired.contains(&finding.rule))
                    .map(|finding| finding.message.clone())
                    .collect();
                measured
                    .false_alarms
                    .push(format!("{:?}: {}", said, statement.text));
            }
            continue;
        }
        let rule = Rule::from_id(&statement.kind)
            .unwrap_or_else(|| panic!("unknown kind `{}`", statement.kind));
        let entry = measured.caught.entry(statement.kind.clone()).or_default();
        entry.0 += 1;
        if fired.contains(&rule) {
            entry.1 += 1;
        } else {
            measured
                .missed
                .push(format!("{}: {}", statement.kind, statement.text));
        }
    }
    measured
}

#[test]
fn the_checks_catch_nine_in_ten_bad_statements_and_flag_few_good_ones() {
    let corpus = measure(CORPUS);
    let report = corpus.report("corpus");
    println!("{report}");
    assert!(
        corpus.caught.len() == Rule::JUDGING.len(),
        "every kind is in the corpus"
    );
    assert!(corpus.good >= 60 && corpus.caught.values().map(|(t, _)| t).sum::<usize>() >= 100);
    assert!(corpus.recall() >= 0.90, "{report}");
    assert!(corpus.false_alarm_rate() <= 0.05, "{report}");
}

#[test]
fn the_checks_are_measured_on_statements_kept_apart() {
    let held_out = measure(&[HELD_OUT]);
    let report = held_out.summary("held out");
    println!("{report}");
    // Reported, not tuned against: a floor that catches a collapse, not a target.
    assert!(held_out.recall() >= 0.40, "{report}");
    assert!(held_out.false_alarm_rate() <= 0.20, "{report}");
}
