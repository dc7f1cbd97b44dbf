//! Every default rule against a text that breaks it and one that does not, through the real
//! templates, with the span checked against the rendered draft.

use crate::record::Fields;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};

mod corpus;

use super::*;
use crate::playbook::DEFAULT_SOCIAL_LIMIT;
use crate::record::{Event, EventBody, Opened, Resolved, UpdateBody};
use crate::render::Renderer;

const CONFIG: &str = r#"
[org]
name = "Acme"
timezone = "UTC"
status_url = "https://status.acme.example"

[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"

[components]
photos = "Photo storage"
"#;

fn config(extra: &str) -> Config {
    Config::parse(
        Path::new("incident.toml"),
        &format!("{CONFIG}{extra}"),
        &crate::publish::targets::kinds(),
    )
    .unwrap()
}

fn at(minute: i64) -> DateTime<Utc> {
    "2026-11-24T08:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minute)
}

/// An incident under construction: the acknowledgement and the updates after it.
struct Story {
    started: i64,
    impact: Option<&'static str>,
    components: Vec<String>,
    updates: Vec<(i64, UpdateBody)>,
    resolved_at: Option<i64>,
}

fn body(stage: &str, status: Status, message: &str, next_update: Option<i64>) -> UpdateBody {
    UpdateBody {
        seq: 0,
        stage: stage.to_string(),
        status,
        message: Some(message.into()),
        fields: Fields::new(),
        next_update_at: next_update.map(at),
    }
}

impl Story {
    /// An acknowledgement at minute 0 of a problem that started at minute -5, with impact
    /// recorded and a next update promised.
    fn new(message: &str) -> Story {
        let mut first = body(ACK, Status::Investigating, message, Some(30));
        first
            .fields
            .insert("impact".to_string(), "People uploading photos".to_string());
        Story {
            started: -5,
            impact: Some("People uploading photos"),
            components: vec!["photos".to_string()],
            updates: vec![(0, first)],
            resolved_at: None,
        }
    }

    fn then(mut self, minute: i64, update: UpdateBody) -> Story {
        self.updates.push((minute, update));
        self
    }

    fn resolve(mut self, minute: i64, message: &str, fields: &[(&str, &str)]) -> Story {
        let mut update = body("resolve", Status::Resolved, message, None);
        for (key, value) in fields {
            update.fields.insert(key.to_string(), value.to_string());
        }
        self.resolved_at = Some(minute);
        self.updates.push((minute, update));
        self
    }

    fn incident(&self) -> Incident {
        let mut events = Vec::new();
        for (index, (minute, update)) in self.updates.iter().enumerate() {
            let mut update = update.clone();
            if index == 0 && self.impact.is_none() {
                update.fields.remove("impact");
            }
            let body = match (index, self.resolved_at) {
                (0, _) => EventBody::Opened(Box::new(Opened {
                    title: "Uploads failing".to_string(),
                    severity: "sev1".to_string(),
                    components: self.components.clone(),
                    started_at: at(self.started),
                    update,
                })),
                (_, Some(resolved)) if resolved == *minute => EventBody::Resolved(Resolved {
                    resolved_at: at(resolved),
                    update,
                }),
                _ => EventBody::Updated(update),
            };
            events.push(Event {
                id: format!("01JTEST{index:05}"),
                at: at(*minute),
                author: "Dana".to_string(),
                body,
            });
        }
        Incident::fold("abc1234", &events).unwrap()
    }
}

const ACK: &str = "acknowledge";

/// Lints the latest update through every channel's template.
fn lint(config: &Config, story: &Story) -> (Vec<Finding>, Vec<Draft>) {
    let incident = story.incident();
    let seq = incident.updates.len();
    let drafts = Renderer::new(config).render_all(&incident, seq).unwrap();
    (Linter::new(config).lint(&incident, seq, &drafts), drafts)
}

fn of_rule(findings: &[Finding], rule: Rule) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|finding| finding.rule == rule)
        .collect()
}

/// Checks that the finding's span points at its text in the channel's draft.
fn assert_span_is_right(finding: &Finding, drafts: &[Draft]) {
    let span = finding.span.as_ref().expect("a text finding has a span");
    let channel = finding.channel.expect("a text finding has a channel");
    let draft = drafts
        .iter()
        .find(|draft| draft.channel == channel)
        .unwrap();
    let plain = draft.plain();
    let line = plain.lines().nth(span.line - 1).unwrap();
    let from_column: String = line.chars().skip(span.column - 1).collect();
    assert!(
        from_column.starts_with(span.text.split('\n').next().unwrap_or_default()),
        "{finding:?} does not point at its text in:\n{plain}"
    );
}

#[test]
fn text_rules_fire_on_bad_text_with_the_right_span_and_stay_quiet_on_good_text() {
    let config = config("");
    // (rule, bad message, the span text expected, a good message)
    let table: &[(Rule, &str, &str, &str)] = &[
        (
            Rule::Minimising,
            "Uploads fail, but only a few users are affected.",
            "only a few users",
            "Uploads fail for about 1 in 20 people.",
        ),
        (
            Rule::Dismissal,
            "Uploads fail. This is a FEATURE,  not a\nbug.",
            "a FEATURE,  not a\nbug",
            "Uploads fail. This is a bug in our upload service.",
        ),
        (
            Rule::Dismissal,
            "The new limit is working as intended.",
            "working as intended",
            "The new limit stopped uploads that should have worked.",
        ),
        (
            Rule::Dismissal,
            "There is no impact on uploads.",
            "no impact",
            "Uploads fail for people on the mobile app.",
        ),
        (
            Rule::Minimising,
            "Uploads failed for a few minutes.",
            "for a few minutes",
            "Uploads failed from 07:55 until now.",
        ),
        (
            Rule::Minimising,
            "We apologize for any inconvenience this may have caused.",
            "any inconvenience this may have caused",
            "We are sorry for the inconvenience and the worry this caused.",
        ),
        (
            Rule::Dismissal,
            "There is no cause for concern: uploads are behaving as designed.",
            "no cause for concern",
            "Uploads fail for everyone; we do not know why yet.",
        ),
        (
            Rule::NonApology,
            "We are sorry if you experienced any trouble uploading.",
            "sorry if you experienced any trouble",
            "We are sorry: nobody could upload photos for an hour.",
        ),
        (
            Rule::Speculation,
            "It appears to be related to last night's release.",
            "appears to be related",
            "We are checking whether last night's release is involved.",
        ),
        (
            Rule::PassiveEvasion,
            "A change was made that broke uploads.",
            "was made",
            "We made a change that broke uploads.",
        ),
        (
            Rule::Jargon,
            "Elevated p99 latency on the upload API after an HPA scale-down.",
            "p99",
            "Uploads are slow, and some fail.",
        ),
        (
            Rule::TimeZoneMissing,
            "We will post again at 3:15.",
            "3:15",
            "We will post again at 15:15 UTC.",
        ),
        (
            Rule::FixTimePromised,
            "A fix will be live within two hours.",
            "fix will be live within two hours",
            "We are working on a fix.",
        ),
        (
            Rule::BlameShifting,
            "The failures were caused by user error.",
            "user error",
            "The failures were caused by our upload change.",
        ),
        (
            Rule::VendorBlame,
            "A third party storage provider failed.",
            "third party",
            "A third party storage provider failed; choosing it was our decision, and this is on us.",
        ),
        (
            Rule::FixTimePromised,
            "Uploads should be fixed by 3 pm.",
            "fixed by 3 pm",
            "We will post the next update by 3 pm.",
        ),
        (
            Rule::FixTimePromised,
            "Uploads will be back within the hour.",
            "back within the hour",
            "We will post an update within the hour.",
        ),
        (
            Rule::InternalDetail,
            "The database db-prod-03 is full.",
            "db-prod-03",
            "Our photo database is full.",
        ),
        (
            Rule::InternalDetail,
            "Traffic to 10.20.0.7 is dropped.",
            "10.20.0.7",
            "Traffic to our upload servers is dropped.",
        ),
        (
            Rule::InternalDetail,
            "Tracked in OPS-1234.",
            "OPS-1234",
            "We are tracking it closely.",
        ),
    ];
    for (rule, bad, span_text, good) in table {
        let story = Story::new("Uploads are failing.")
            .then(10, body("explain", Status::Identified, bad, Some(40)));
        // "For a few minutes" minimises only a longer recorded duration: it is 15 minutes here.
        let (findings, drafts) = lint(&config, &story);
        let found = of_rule(&findings, *rule);
        assert!(
            found.iter().any(|finding| finding
                .span
                .as_ref()
                .is_some_and(|span| span.text == *span_text)),
            "{rule} did not find `{span_text}` in {bad:?}: {findings:#?}"
        );
        for finding in &found {
            assert_span_is_right(finding, &drafts);
            assert_eq!(finding.level, rule.default_level());
            assert!(!finding.hint.is_empty());
            assert_eq!(finding.suggestion, rule.suggestion());
        }
        let story = Story::new("Uploads are failing.")
            .then(10, body("explain", Status::Identified, good, Some(40)));
        let (findings, _) = lint(&config, &story);
        assert!(
            of_rule(&findings, *rule).is_empty(),
            "{rule} fired on {good:?}: {findings:#?}"
        );
    }
}

#[test]
fn one_phrase_in_many_channels_is_one_finding() {
    let config = config("");
    let story = Story::new("Only a few users see errors.");
    let (findings, _) = lint(&config, &story);
    let found = of_rule(&findings, Rule::Minimising);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].channel, Some(Channel::Status));
    assert!(found[0].also_in.contains(&Channel::Social), "{found:#?}");
}

#[test]
fn internal_detail_is_allowed_in_chat() {
    let config = config(
        r#"
[targets.eng]
kind = "file"
path = "out"
channel = "chat"
"#,
    );
    let story = Story::new("db-prod-03 is full.");
    let incident = story.incident();
    let drafts = vec![
        Renderer::new(&config)
            .render(&incident, 1, Channel::Chat)
            .unwrap(),
    ];
    let findings = Linter::new(&config).lint(&incident, 1, &drafts);
    assert!(
        of_rule(&findings, Rule::InternalDetail).is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn brief_is_fine_when_it_was_brief() {
    let config = config("");
    let mut story = Story::new("Uploads failed for a few minutes.");
    story.started = -3;
    let (findings, _) = lint(&config, &story);
    assert!(
        of_rule(&findings, Rule::Minimising).is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn no_impact_is_fine_when_none_is_recorded() {
    let config = config("");
    let mut story =
        Story::new("We see errors in a background job, with no impact on anyone's photos.");
    story.impact = None;
    let (findings, _) = lint(&config, &story);
    assert!(
        of_rule(&findings, Rule::Dismissal).is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn affected_unsaid() {
    let config = config("");
    let mut story = Story::new("Something is broken.");
    story.impact = None;
    story.components.clear();
    let (findings, _) = lint(&config, &story);
    let found = of_rule(&findings, Rule::AffectedUnsaid);
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert_eq!(found[0].level, Level::Warning);
    assert!(found[0].span.is_none());

    // Each draft is checked: the recorded impact is in most templates, not in the short
    // social post, which has to say it itself.
    let (findings, _) = lint(&config, &Story::new("Something is broken."));
    let found = of_rule(&findings, Rule::AffectedUnsaid);
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert_eq!(found[0].channel, Some(Channel::Social));
    assert!(found[0].also_in.is_empty());

    let (findings, _) = lint(
        &config,
        &Story::new("Uploads fail for people on the mobile app."),
    );
    assert!(
        of_rule(&findings, Rule::AffectedUnsaid).is_empty(),
        "{findings:#?}"
    );
    let mut story = Story::new("Photo storage is down.");
    story.impact = None;
    let (findings, _) = lint(&config, &story);
    assert!(
        of_rule(&findings, Rule::AffectedUnsaid).is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn next_update_missing_while_open() {
    let config = config("");
    let story = Story::new("Uploads fail.").then(
        10,
        body("explain", Status::Identified, "A disk is full.", None),
    );
    let (findings, _) = lint(&config, &story);
    let found = of_rule(&findings, Rule::NextUpdateMissing);
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert_eq!(found[0].channel, None);

    let story = Story::new("Uploads fail.").then(
        10,
        body("explain", Status::Identified, "A disk is full.", Some(40)),
    );
    let (findings, _) = lint(&config, &story);
    assert!(of_rule(&findings, Rule::NextUpdateMissing).is_empty());
    // A resolved incident promises nothing more.
    let story =
        Story::new("Uploads fail.").resolve(20, "Fixed; we are sorry. No data was lost.", &[]);
    let (findings, _) = lint(&config, &story);
    assert!(of_rule(&findings, Rule::NextUpdateMissing).is_empty());
}

#[test]
fn apology_missing_by_resolution() {
    let config = config("");
    let story =
        Story::new("Uploads fail.").resolve(20, "Uploads work again.", &[("data_loss", "none")]);
    let (findings, _) = lint(&config, &story);
    assert_eq!(
        of_rule(&findings, Rule::ApologyMissing).len(),
        1,
        "{findings:#?}"
    );

    // An earlier apology counts, and "inconvenience" in it does not make it insincere.
    let story = Story::new("Uploads fail.")
        .then(
            10,
            body(
                "apologize",
                Status::Identified,
                "We are sorry for the inconvenience: you could not share your photos.",
                Some(40),
            ),
        )
        .resolve(20, "Uploads work again.", &[("data_loss", "none")]);
    let (findings, _) = lint(&config, &story);
    assert!(
        of_rule(&findings, Rule::ApologyMissing).is_empty(),
        "{findings:#?}"
    );
    assert!(
        of_rule(&findings, Rule::Minimising).is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn data_loss_unsaid_at_resolution() {
    let config = config("");
    let story = Story::new("Uploads fail.").resolve(20, "Uploads work again. We are sorry.", &[]);
    let (findings, _) = lint(&config, &story);
    assert_eq!(
        of_rule(&findings, Rule::DataLossUnsaid).len(),
        1,
        "{findings:#?}"
    );

    let said = Story::new("Uploads fail.").resolve(
        20,
        "Uploads work again and no photos were lost. We are sorry.",
        &[],
    );
    let (findings, _) = lint(&config, &said);
    assert!(
        of_rule(&findings, Rule::DataLossUnsaid).is_empty(),
        "{findings:#?}"
    );
    let answered = Story::new("Uploads fail.").resolve(
        20,
        "Uploads work again. We are sorry.",
        &[("data_loss", "none")],
    );
    let (findings, _) = lint(&config, &answered);
    assert!(
        of_rule(&findings, Rule::DataLossUnsaid).is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn acknowledge_late_against_the_severity() {
    let config = config("");
    let mut story = Story::new("Uploads fail.");
    story.started = -40;
    let (findings, _) = lint(&config, &story);
    let found = of_rule(&findings, Rule::AcknowledgeLate);
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert!(
        found[0].message.contains("40 minutes"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.contains("15 minutes"),
        "{}",
        found[0].message
    );

    let (findings, _) = lint(&config, &Story::new("Uploads fail."));
    assert!(of_rule(&findings, Rule::AcknowledgeLate).is_empty());
}

/// The length of the social draft for `message`, and its findings against `limit`.
fn social(message: &str, limit: Option<usize>) -> (usize, Vec<Finding>) {
    let extra = match limit {
        Some(limit) => format!(
            "[targets.toot]\nkind = \"mastodon\"\nurl = \"https://social.example\"\ntoken_env = \"TOOT\"\nlimit = {limit}\n"
        ),
        None => String::new(),
    };
    let config = config(&extra);
    let incident = Story::new(message).incident();
    let draft = Renderer::new(&config)
        .render(&incident, 1, Channel::Social)
        .unwrap();
    let length = draft.plain().trim_end().graphemes(true).count();
    let findings = Linter::new(&config).lint(&incident, 1, &[draft]);
    (
        length,
        of_rule(&findings, Rule::SocialLimit)
            .into_iter()
            .cloned()
            .collect(),
    )
}

#[test]
fn social_limit_counts_graphemes() {
    // A family emoji is seven code points joined by zero-width joiners; "é" here is an "e"
    // and a combining accent. Each is one character to a reader, and to the limit.
    let family = "👩\u{200d}👩\u{200d}👧\u{200d}👦";
    let accented = "e\u{301}";
    assert_eq!(family.graphemes(true).count(), 1);
    assert_eq!(accented.graphemes(true).count(), 1);
    let plain = "x".repeat(40);
    let fancy = format!("{}{}", family.repeat(20), accented.repeat(20));
    let (plain_length, _) = social(&plain, None);
    let (fancy_length, _) = social(&fancy, None);
    assert_eq!(plain_length, fancy_length);

    let (_, findings) = social(&fancy, Some(fancy_length));
    assert!(findings.is_empty(), "{findings:#?}");
    let (_, findings) = social(&fancy, Some(fancy_length - 1));
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].message.contains(&format!(
            "{fancy_length} characters; `toot` allows {}",
            fancy_length - 1
        )),
        "{}",
        findings[0].message
    );
    // The span starts at the first character past the limit.
    assert_eq!(
        findings[0]
            .span
            .as_ref()
            .unwrap()
            .text
            .graphemes(true)
            .count(),
        1
    );
}

#[test]
fn social_limit_defaults_to_mastodons() {
    let (length, findings) = social(&"word ".repeat(120), None);
    assert!(length > DEFAULT_SOCIAL_LIMIT);
    assert_eq!(findings.len(), 1);
    let (_, findings) = social("Short.", None);
    assert!(findings.is_empty());
}

#[test]
fn rules_are_configurable() {
    let story = Story::new("Only a few users see errors; it is a known quirk.");
    let configured = config(
        r#"
[playbook.rules.minimising]
level = "warning"
phrases = ["known quirk"]

[playbook.rules.affected-unsaid]
enabled = false
"#,
    );
    let (findings, _) = lint(&configured, &story);
    let found = of_rule(&findings, Rule::Minimising);
    let texts: Vec<&str> = found
        .iter()
        .map(|finding| finding.span.as_ref().unwrap().text.as_str())
        .collect();
    assert_eq!(texts, ["Only a few users", "known quirk"]);
    assert!(found.iter().all(|finding| finding.level == Level::Warning));

    let replaced = config(
        r#"
[playbook.rules.minimising]
phrases = ["known quirk"]
replace_defaults = true
"#,
    );
    let (findings, _) = lint(&replaced, &story);
    let texts: Vec<&str> = of_rule(&findings, Rule::Minimising)
        .iter()
        .map(|finding| finding.span.as_ref().unwrap().text.as_str())
        .collect();
    assert_eq!(texts, ["known quirk"]);

    let off = config("[playbook.rules.minimising]\nenabled = false\n");
    let (findings, _) = lint(&off, &story);
    assert!(of_rule(&findings, Rule::Minimising).is_empty());

    let patterns =
        config("[playbook.rules.internal-detail]\npatterns = ['\\b[Pp]roject [A-Z][a-z]+\\b']\n");
    let (findings, _) = lint(&patterns, &Story::new("Project Falcon broke uploads."));
    let texts: Vec<&str> = of_rule(&findings, Rule::InternalDetail)
        .iter()
        .map(|finding| finding.span.as_ref().unwrap().text.as_str())
        .collect();
    assert_eq!(texts, ["Project Falcon"]);
}

#[test]
fn judging_rules_stay_quiet_when_negated_or_quoted_and_fire_again_after_but() {
    let config = config("");
    // (rule, negated, quoted, said again after a scope end, the phrase said)
    let table: &[(Rule, &str, &str, &str, &str)] = &[
        (
            Rule::BlameShifting,
            "This was not user error; our code rejected valid logins.",
            "A customer asked whether it was \"user error\"; it was our code.",
            "It was not our code but user error.",
            "user error",
        ),
        (
            Rule::Dismissal,
            "Uploads are not working as intended for anyone.",
            "One reply said uploads were “working as intended”; they were not.",
            "We never changed the limit, however it is working as intended.",
            "working as intended",
        ),
        (
            Rule::VendorBlame,
            "No third party was involved: our upload change failed.",
            "We were asked about a `third party` cache; there is none.",
            "It was not our code but a third party storage provider.",
            "third party",
        ),
        (
            Rule::FixTimePromised,
            "Uploads will not be back within the hour, and we will say more at 3 pm.",
            "Someone wrote \"back within the hour\" on a forum; we cannot promise that.",
            "We cannot say yet, but uploads will be back within the hour.",
            "back within the hour",
        ),
        (
            Rule::Minimising,
            "This was not a small number of users: it was everyone.",
            "A reply called it \"a small number of users\"; it was everyone.",
            "It was not everyone, but a small number of users.",
            "a small number of users",
        ),
        (
            Rule::NonApology,
            "We will not say sorry for any inconvenience; we are sorry that uploads failed.",
            "We won't write \"sorry for any inconvenience\" here.",
            "We never meant to upset anyone, but we are sorry for any inconvenience.",
            "sorry for any inconvenience",
        ),
        (
            Rule::Speculation,
            "We will not say it looks like a network fault until we know.",
            "You asked whether it \"looks like a network fault\"; we don't know yet.",
            "It is not confirmed, but it looks like a network fault.",
            "looks like",
        ),
        (
            Rule::Jargon,
            "We won't bore you with p99 numbers: uploads are slow.",
            "Our logs say `p99 latency`; for you, uploads are slow.",
            "Not everything is slow, but p99 is up.",
            "p99",
        ),
    ];
    let found_in = |message: &str, rule: Rule| {
        let story = Story::new("Uploads are failing.")
            .then(10, body("explain", Status::Identified, message, Some(40)));
        let (findings, _) = lint(&config, &story);
        of_rule(&findings, rule)
            .iter()
            .filter_map(|finding| finding.span.as_ref().map(|span| span.text.clone()))
            .collect::<Vec<_>>()
    };
    for (rule, negated, quoted, again, phrase) in table {
        assert!(
            found_in(negated, *rule).is_empty(),
            "{rule} fired on a denial: {negated:?}"
        );
        assert!(
            found_in(quoted, *rule).is_empty(),
            "{rule} fired on words quoted back: {quoted:?}"
        );
        assert!(
            found_in(again, *rule).iter().any(|span| span == phrase),
            "{rule} missed `{phrase}` said after a scope end: {again:?}"
        );
    }
    // "Not only" denies nothing, and a sentence's denial does not reach the next sentence.
    assert_eq!(
        found_in(
            "Not only was this user error, it was bad luck.",
            Rule::BlameShifting
        ),
        ["user error"]
    );
    assert_eq!(
        found_in(
            "It was not the network. It was user error.",
            Rule::BlameShifting
        ),
        ["user error"]
    );
}

#[test]
fn claims_are_checked_against_the_record() {
    let config = config("");
    // "For a few minutes" against three hours on record is minimising; against two, true.
    let mut long = Story::new("Uploads failed for a few minutes.");
    long.started = -180;
    let (findings, _) = lint(&config, &long);
    let found = of_rule(&findings, Rule::Minimising);
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert!(found[0].message.contains("lasted 3 hours"), "{found:#?}");
    let mut short = Story::new("Uploads failed for a few minutes.");
    short.started = -2;
    let (findings, _) = lint(&config, &short);
    assert!(
        of_rule(&findings, Rule::Minimising).is_empty(),
        "{findings:#?}"
    );

    // "No data was lost" against a resolution that records a loss.
    let lost = Story::new("Uploads are failing.").resolve(
        30,
        "Uploads work again. We are sorry. No data was lost.",
        &[("data_loss", "some")],
    );
    let (findings, _) = lint(&config, &lost);
    let found = of_rule(&findings, Rule::Dismissal);
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert!(
        found[0].message.contains("records that data was lost"),
        "{found:#?}"
    );
    let kept = Story::new("Uploads are failing.").resolve(
        30,
        "Uploads work again. We are sorry. No data was lost.",
        &[("data_loss", "none")],
    );
    let (findings, _) = lint(&config, &kept);
    assert!(
        of_rule(&findings, Rule::Dismissal).is_empty(),
        "{findings:#?}"
    );

    // "No effect on security" while the record says other people's accounts were shown.
    let mut exposed = Story::new("There was no effect on security.");
    exposed.updates[0].1.fields.insert(
        "impact".to_string(),
        "Some people saw other people's accounts".to_string(),
    );
    let (findings, _) = lint(&config, &exposed);
    assert_eq!(
        of_rule(&findings, Rule::Dismissal).len(),
        1,
        "{findings:#?}"
    );

    // Two clones resolved it, and their answers disagree.
    let mut second = body("resolve", Status::Resolved, "Fixed; we are sorry.", None);
    second
        .fields
        .insert("data_loss".to_string(), "some".to_string());
    let merged = Story::new("Uploads are failing.")
        .resolve(
            30,
            "Uploads work again; we are sorry.",
            &[("data_loss", "none")],
        )
        .then(31, second);
    let (findings, _) = lint(&config, &merged);
    let conflict = of_rule(&findings, Rule::ResolutionConflict);
    assert_eq!(conflict.len(), 1, "{findings:#?}");
    assert!(
        conflict[0]
            .message
            .contains("answers data loss `none` but update 3 (Dana) answers `some`"),
        "{conflict:#?}"
    );
}

#[test]
fn exceptions_and_the_house_list_of_internal_names() {
    let config = config(
        r#"
[playbook]
internal_names = ["Project Lantern", "Marta Quinn"]

[playbook.rules.dismissal]
exceptions = ["working as intended for everyone else"]
"#,
    );
    let story = Story::new(
        "Marta Quinn rolled back Project Lantern; search is working as intended for everyone else.",
    );
    let (findings, _) = lint(&config, &story);
    let internal: Vec<&str> = of_rule(&findings, Rule::InternalDetail)
        .iter()
        .filter_map(|finding| finding.span.as_ref().map(|span| span.text.as_str()))
        .collect();
    assert_eq!(
        internal,
        ["Marta Quinn", "Project Lantern"],
        "{findings:#?}"
    );
    assert!(
        of_rule(&findings, Rule::Dismissal).is_empty(),
        "{findings:#?}"
    );
    // Without the exception, the same words are judged.
    let (findings, _) = lint(&super::tests::config(""), &story);
    assert_eq!(
        of_rule(&findings, Rule::Dismissal).len(),
        1,
        "{findings:#?}"
    );
}
