//! Playbook checks: what an update's drafts say (and fail to say) before anything goes out.
//!
//! Text rules look at each draft as it would be sent; record rules look at the incident
//! (a promised next update, an apology by resolution, the time to acknowledge). The same
//! phrase found in several channels is one finding that lists them all.

mod clock;
mod fix_time;
mod jargon;
mod negation;
mod passive;
mod sentences;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::Duration;
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::config::Config;
use crate::record::{Incident, Update, maintenance};
use crate::render::Draft;
use crate::vocab::Channel;
use crate::vocab::Status;

use crate::playbook::{Level, Matcher, Rule, Rules, Span};

/// "For a few minutes" minimises anything recorded as lasting longer than this.
const A_FEW_MINUTES: i64 = 10;

/// Phrases that say "no impact" or "briefly", which dismiss or minimise only against what the
/// record says: impact recorded, or a longer duration.
const NO_IMPACT: &[&str] = &[
    "no impact",
    "zero impact",
    "no customer impact",
    "no user impact",
    "not impacted",
];
const BRIEFLY: &[&str] = &[
    "for a few minutes",
    "a few minutes",
    "a couple of minutes",
    "briefly",
    "a brief",
    "momentarily",
    "for a moment",
];
/// Words that own an outcome, which make naming a supplier honest rather than blame.
const OWNERSHIP: &[&str] = &[
    "on us",
    "we are responsible",
    "we're responsible",
    "we take responsibility",
    "we take full responsibility",
    "our responsibility",
    "our mistake",
    "our fault",
    "our failure",
    "our decision",
    "our choice",
    "our call",
    "our job",
    "we own this",
    "we own it",
    "we are accountable",
    "ours",
    "we chose",
    "we decided",
    "we built",
    "we designed",
    "we should have",
    "paid for that decision",
];
/// "No data was lost", and the like, said against a recorded loss.
const NO_DATA_LOST: &[&str] = &[
    "no data was lost",
    "no data has been lost",
    "no data loss",
    "no data was affected",
    "your data is safe",
    "all data is intact",
    "nothing was lost",
];
/// "No effect on security or privacy", said while the record says accounts or data were
/// involved.
const NO_SECURITY_EFFECT: &[&str] = &[
    "no effect on security",
    "no impact on security",
    "no security impact",
    "no effect on privacy",
    "no impact on privacy",
    "no privacy impact",
    "security was not affected",
    "privacy was not affected",
    "no security implications",
];
/// What in an incident's title, impact or components says that security or privacy is at
/// stake.
const SECURITY_WORDS: &[&str] = &[
    "security",
    "privacy",
    "private",
    "account",
    "accounts",
    "password",
    "passwords",
    "login",
    "data",
    "exposed",
    "leak",
    "leaked",
    "breach",
    "other people",
    "other users",
    "personal",
];

/// One problem found, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub level: Level,
    /// The channel whose draft has the problem; `None` for a problem of the record.
    pub channel: Option<Channel>,
    /// Other channels whose drafts have the same problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<Channel>,
    /// Where in the draft (as `render` prints it); `None` when the problem is something
    /// missing.
    pub span: Option<Span>,
    pub message: String,
    pub hint: &'static str,
    /// A rewrite that fixes it, where the rule has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<&'static str>,
}

/// Counts of findings by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let errors = findings
            .iter()
            .filter(|finding| finding.level == Level::Error)
            .count();
        Tally {
            errors,
            warnings: findings.len() - errors,
        }
    }
}

/// The configured rules, compiled.
pub struct Linter<'a> {
    config: &'a Config,
    matchers: Arc<BTreeMap<Rule, Matcher>>,
    /// Per rule, the phrases that never fire it.
    exceptions: Arc<BTreeMap<Rule, Matcher>>,
    no_impact: &'static Matcher,
    briefly: &'static Matcher,
    ownership: &'static Matcher,
    no_data_lost: &'static Matcher,
    no_security_effect: &'static Matcher,
    security_words: &'static Matcher,
}

/// The rules' matchers as compiled for one set of rule settings: compiling them is most of
/// what a check costs, and a command checks an update more than once (before recording,
/// after, and before publishing).
type Compiled = (Arc<BTreeMap<Rule, Matcher>>, Arc<BTreeMap<Rule, Matcher>>);
static COMPILED: Mutex<Vec<(Rules, Compiled)>> = Mutex::new(Vec::new());

/// The fixed phrase lists, compiled once.
static FIXED: LazyLock<[Matcher; 6]> = LazyLock::new(|| {
    [
        Matcher::of_phrases(NO_IMPACT),
        Matcher::of_phrases(BRIEFLY),
        Matcher::of_phrases(OWNERSHIP),
        Matcher::of_phrases(NO_DATA_LOST),
        Matcher::of_phrases(NO_SECURITY_EFFECT),
        Matcher::of_phrases(SECURITY_WORDS),
    ]
});

fn compile(rules: &Rules) -> Compiled {
    let mut cache = COMPILED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, compiled)) = cache.iter().find(|(seen, _)| seen == rules) {
        return compiled.clone();
    }
    let matchers = Rule::ALL
        .into_iter()
        .map(|rule| {
            let settings = rules.get(rule);
            let matcher = Matcher::new(&settings.phrases, &settings.patterns)
                .expect("patterns were checked when the config was read");
            (rule, matcher)
        })
        .collect();
    let exceptions = Rule::ALL
        .into_iter()
        .filter(|rule| !rules.get(*rule).exceptions.is_empty())
        .map(|rule| {
            let matcher =
                Matcher::new(&rules.get(rule).exceptions, &[]).expect("phrases always compile");
            (rule, matcher)
        })
        .collect();
    let compiled = (Arc::new(matchers), Arc::new(exceptions));
    cache.push((rules.clone(), compiled.clone()));
    compiled
}

impl<'a> Linter<'a> {
    pub fn new(config: &'a Config) -> Linter<'a> {
        let (matchers, exceptions) = compile(&config.playbook.rules);
        let [
            no_impact,
            briefly,
            ownership,
            no_data_lost,
            no_security_effect,
            security_words,
        ] = &*FIXED;
        Linter {
            config,
            matchers,
            exceptions,
            no_impact,
            briefly,
            ownership,
            no_data_lost,
            no_security_effect,
            security_words,
        }
    }

    /// Checks update `seq` (1-based) of `incident`, whose drafts for the routed channels are
    /// `drafts`.
    pub fn lint(&self, incident: &Incident, seq: usize, drafts: &[Draft]) -> Vec<Finding> {
        let Some(update) = seq
            .checked_sub(1)
            .and_then(|index| incident.updates.get(index))
        else {
            return Vec::new();
        };
        let mut found = Found::default();
        for draft in drafts {
            let text = draft.plain();
            self.check_text(incident, update, draft.channel, &text, &mut found);
        }
        // A maintenance notice's record asks only that `init`'s placeholders are gone: an
        // incident's record rules (a next update, an apology, data loss, the time to
        // acknowledge) do not apply to planned work.
        if is_window(incident) {
            self.check_placeholders(&mut found);
        } else {
            self.check_record(incident, update, drafts, &mut found);
        }
        let rules = &self.config.playbook.rules;
        let mut findings: Vec<Finding> = found
            .into_findings()
            .into_iter()
            .filter(|finding| rules.get(finding.rule).enabled)
            .map(|finding| Finding {
                level: rules.get(finding.rule).level,
                ..finding
            })
            .collect();
        findings.sort_by_key(|finding| {
            let at = finding.span.as_ref().map(|span| (span.line, span.column));
            (finding.level, finding.rule, finding.channel, at)
        });
        findings
    }

    fn check_text(
        &self,
        incident: &Incident,
        update: &Update,
        channel: Channel,
        text: &str,
        found: &mut Found,
    ) {
        let scope = Scope::of(text);
        let public = channel != Channel::Chat;
        let judge = |rule: Rule,
                     ranges: Vec<Range<usize>>,
                     found: &mut Found,
                     message: &dyn Fn(&str) -> String| {
            for range in ranges {
                if scope.judged(&range) && !self.excepted(rule, text, &range) {
                    found.at(rule, channel, text, range, message);
                }
            }
        };
        // A rule judged by its own phrases and patterns.
        let judge_own = |rule: Rule, found: &mut Found, message: &dyn Fn(&str) -> String| {
            judge(rule, self.matchers[&rule].find_all(text), found, message);
        };
        judge_own(Rule::Minimising, found, &|phrase| {
            format!("\"{phrase}\" minimises what happened")
        });
        if incident
            .impact
            .as_deref()
            .is_some_and(|impact| !impact.trim().is_empty())
        {
            judge(
                Rule::Dismissal,
                self.no_impact.find_all(text),
                found,
                &|phrase| format!("\"{phrase}\" while an impact is recorded"),
            );
        }
        let lasted = incident.resolved_at.unwrap_or(update.at) - incident.started_at;
        if lasted > Duration::minutes(A_FEW_MINUTES) {
            judge(
                Rule::Minimising,
                self.briefly.find_all(text),
                found,
                &|phrase| {
                    format!(
                        "\"{phrase}\" but the record says it lasted {}",
                        crate::time::human_duration(lasted)
                    )
                },
            );
        }
        judge_own(Rule::Dismissal, found, &|phrase| {
            format!("\"{phrase}\" dismisses what people saw")
        });
        if self.data_loss_recorded(incident, update) {
            judge(
                Rule::Dismissal,
                self.no_data_lost.find_all(text),
                found,
                &|phrase| format!("\"{phrase}\" but the resolution records that data was lost"),
            );
        }
        if self.security_at_stake(incident, update) {
            judge(
                Rule::Dismissal,
                self.no_security_effect.find_all(text),
                found,
                &|phrase| format!("\"{phrase}\" while the incident concerns accounts or data"),
            );
        }
        // A window that names components marks them under maintenance: saying nobody will
        // notice contradicts the page.
        if is_window(incident) && !incident.components.is_empty() {
            judge_own(Rule::DowntimeDenied, found, &|phrase| {
                format!("\"{phrase}\" while the window puts its components under maintenance")
            });
        }
        judge_own(Rule::BlameShifting, found, &|phrase| {
            format!("\"{phrase}\" shifts the blame")
        });
        if !self.ownership.is_match(text) {
            judge_own(Rule::VendorBlame, found, &|phrase| {
                format!("\"{phrase}\" blames a supplier without owning the outcome")
            });
        }
        let mut promises: Vec<Range<usize>> = self.matchers[&Rule::FixTimePromised]
            .find_all(text)
            .into_iter()
            .filter(|range| !fix_time::about_updates(scope.sentence_of(range.start).1))
            .collect();
        scope.add_per_sentence(&mut promises, |sentence| {
            fix_time::promised(sentence).into_iter().collect()
        });
        judge(Rule::FixTimePromised, promises, found, &|phrase| {
            format!("\"{phrase}\" promises when it will be fixed")
        });
        judge_own(Rule::NonApology, found, &|phrase| {
            format!("\"{phrase}\" regrets the reaction, not what happened")
        });
        if !cause_recorded(incident, update) {
            judge_own(Rule::Speculation, found, &|phrase| {
                format!("\"{phrase}\" guesses at the cause before one is recorded")
            });
        }
        let mut passive: Vec<Range<usize>> = self.matchers[&Rule::PassiveEvasion]
            .find_all(text)
            .into_iter()
            .filter(|range| {
                let (start, sentence) = scope.sentence_of(range.start);
                !passive::names_doer_or_denies(sentence, &(range.start - start..range.end - start))
            })
            .collect();
        scope.add_per_sentence(&mut passive, passive::evasive);
        judge(Rule::PassiveEvasion, passive, found, &|phrase| {
            format!("\"{phrase}\" says what was done but not who did it")
        });
        if public {
            let mut jargon = self.matchers[&Rule::Jargon].find_all(text);
            jargon.extend(jargon::unexplained_acronyms(text));
            judge(Rule::Jargon, jargon, found, &|term| {
                format!("\"{term}\" is jargon most readers will not know")
            });
            judge(
                Rule::TimeZoneMissing,
                clock::unzoned(text),
                found,
                &|time| format!("\"{time}\" has no time zone"),
            );
            for sentence in &scope.sentences {
                let words = jargon::word_count(&text[sentence.clone()]);
                if words > self.long_sentence_words() {
                    let trimmed = trim_range(text, sentence.clone());
                    found.at(Rule::Readability, channel, text, trimmed, |_| {
                        format!("a sentence of {words} words is hard to read in a hurry")
                    });
                }
            }
            for range in self.matchers[&Rule::InternalDetail].find_all(text) {
                if self.excepted(Rule::InternalDetail, text, &range) {
                    continue;
                }
                found.at(Rule::InternalDetail, channel, text, range, |detail| {
                    format!("\"{detail}\" is an internal detail in a public post")
                });
            }
        }
        for range in self.matchers[&Rule::Placeholder].find_all(text) {
            found.at(Rule::Placeholder, channel, text, range, |placeholder| {
                format!("\"{placeholder}\" is a placeholder `incident init` wrote")
            });
        }
        if channel != Channel::Banner && !self.says_who_is_affected(incident, text) {
            found.missing(
                Rule::AffectedUnsaid,
                Some(channel),
                "does not say who or what is affected".to_string(),
            );
        }
        if channel == Channel::Social {
            self.check_social_limit(update, text, found);
        }
    }

    /// Whether `range` of `text` lies in a phrase configured never to fire `rule`.
    fn excepted(&self, rule: Rule, text: &str, range: &Range<usize>) -> bool {
        self.exceptions.get(&rule).is_some_and(|exceptions| {
            exceptions
                .find_all(text)
                .iter()
                .any(|exception| exception.start <= range.start && range.end <= exception.end)
        })
    }

    fn long_sentence_words(&self) -> usize {
        self.config.playbook.rules.max_sentence_words
    }

    /// Whether an answer up to `update` says data was lost.
    fn data_loss_recorded(&self, incident: &Incident, update: &Update) -> bool {
        incident.updates[..update.seq].iter().any(|earlier| {
            earlier
                .fields
                .get("data_loss")
                .is_some_and(|answer| answer.trim().eq_ignore_ascii_case("some"))
        })
    }

    /// Whether the incident's title, impact or components speak of accounts, data or
    /// privacy, or someone was asked what data was exposed (the security preset asks it)
    /// and did not answer "none", so that "no effect on security" needs more than saying.
    fn security_at_stake(&self, incident: &Incident, update: &Update) -> bool {
        let exposure = incident.updates[..update.seq]
            .iter()
            .rev()
            .find_map(|earlier| earlier.fields.get(crate::render::view::EXPOSURE));
        if let Some(answer) = exposure {
            return !says_nothing_exposed(answer);
        }
        std::iter::once(incident.title.as_str())
            .chain(incident.impact.as_deref())
            .chain(incident.components.iter().map(String::as_str))
            .any(|text| self.security_words.is_match(text))
    }

    fn says_who_is_affected(&self, incident: &Incident, text: &str) -> bool {
        let lower = text.to_lowercase();
        let mentions = |needle: &str| {
            let needle = needle.trim().to_lowercase();
            !needle.is_empty() && lower.contains(&needle)
        };
        self.matchers[&Rule::AffectedUnsaid].is_match(text)
            || incident.impact.as_deref().is_some_and(mentions)
            || incident.components.iter().any(|id| {
                mentions(id)
                    || self
                        .config
                        .components
                        .get(id)
                        .is_some_and(|label| mentions(label))
            })
    }

    fn check_social_limit(&self, update: &Update, text: &str, found: &mut Found) {
        let limits = self
            .config
            .targets_for(&update.stage)
            .filter(|target| target.channel == Channel::Social)
            .filter_map(|target| Some((target.name.as_str(), target.social_limit()?)));
        let strictest = match limits.min_by_key(|(_, limit)| *limit) {
            Some(strictest) => Some(strictest),
            None if self.config.targets.is_empty() => {
                Some(("mastodon", crate::playbook::DEFAULT_SOCIAL_LIMIT))
            }
            None => None,
        };
        let Some((target, limit)) = strictest else {
            return;
        };
        let post = text.trim_end();
        let count = post.graphemes(true).count();
        if count <= limit {
            return;
        }
        let cut = post
            .grapheme_indices(true)
            .nth(limit)
            .map_or(post.len(), |(index, _)| index);
        found.at(
            Rule::SocialLimit,
            Channel::Social,
            post,
            cut..post.len(),
            |_| format!("social post is {count} characters; `{target}` allows {limit}"),
        );
    }

    /// What `init` wrote goes out in every draft that names the org or links its page, so
    /// it is a finding of the record even when this update's drafts do not show it.
    fn check_placeholders(&self, found: &mut Found) {
        let org = &self.config.org;
        let placeholders: Vec<String> = [Some(org.name.as_str()), org.status_url.as_deref()]
            .into_iter()
            .flatten()
            .filter(|value| self.matchers[&Rule::Placeholder].is_match(value))
            .map(|value| format!("\"{value}\""))
            .collect();
        if !placeholders.is_empty() {
            found.missing(
                Rule::Placeholder,
                None,
                format!(
                    "`incident.toml` still says {}, which `incident init` wrote as placeholders",
                    placeholders.join(" and ")
                ),
            );
        }
    }

    fn check_record(
        &self,
        incident: &Incident,
        update: &Update,
        drafts: &[Draft],
        found: &mut Found,
    ) {
        self.check_placeholders(found);
        // The blog draft is the whole story, rendered again from the record for every update:
        // an edit of an earlier update's story is not in it unless a person carries it over.
        if let Some(blog) = drafts.iter().find(|draft| draft.channel == Channel::Blog)
            && !blog.edited
        {
            let edited: Vec<String> = incident.updates[..update.seq.saturating_sub(1)]
                .iter()
                .filter(|earlier| earlier.edits.contains_key(&Channel::Blog))
                .map(|earlier| earlier.seq.to_string())
                .collect();
            if !edited.is_empty() {
                found.missing(
                    Rule::EditLost,
                    Some(Channel::Blog),
                    format!(
                        "the blog draft of update {} was edited, and this story renders it again without the edit",
                        edited.join(" and ")
                    ),
                );
            }
        }
        // Two clones can each resolve an incident; a union merge keeps both answers.
        let answers: Vec<(usize, &str, &str)> = incident.updates[..update.seq]
            .iter()
            .filter(|earlier| earlier.stage == crate::vocab::RESOLVE)
            .filter_map(|earlier| {
                let answer = earlier.fields.get("data_loss")?.trim();
                (!answer.is_empty()).then_some((earlier.seq, answer, earlier.author.as_str()))
            })
            .collect();
        if let Some((first, rest)) = answers.split_first()
            && let Some(other) = rest
                .iter()
                .find(|other| !other.1.eq_ignore_ascii_case(first.1))
        {
            found.missing(
                Rule::ResolutionConflict,
                None,
                format!(
                    "update {} ({}) answers data loss `{}` but update {} ({}) answers `{}`",
                    first.0, first.2, first.1, other.0, other.2, other.1
                ),
            );
        }
        // A retraction of a whole incident closes a false alarm: it is not a resolution that
        // owes an apology or a word on data loss.
        let resolved =
            update.status == Status::Resolved && !crate::record::revision::is_revision(update);
        if update.status != Status::Resolved && update.next_update_at.is_none() {
            found.missing(
                Rule::NextUpdateMissing,
                None,
                format!(
                    "update {} promises no next update while the incident is open",
                    update.seq
                ),
            );
        }
        let draft_texts = || drafts.iter().map(Draft::plain);
        if resolved {
            let apologised = incident.updates[..update.seq]
                .iter()
                .flat_map(said_by)
                .chain(draft_texts())
                .any(|text| self.matchers[&Rule::ApologyMissing].is_match(&text));
            if !apologised {
                found.missing(
                    Rule::ApologyMissing,
                    None,
                    "the incident is resolved and no update apologises".to_string(),
                );
            }
            let data_loss_said = update
                .fields
                .get("data_loss")
                .is_some_and(|answer| !answer.trim().is_empty())
                || said_by(update)
                    .chain(draft_texts())
                    .any(|text| self.matchers[&Rule::DataLossUnsaid].is_match(&text));
            if !data_loss_said {
                found.missing(
                    Rule::DataLossUnsaid,
                    None,
                    "the resolution does not say whether any data was lost or corrupted"
                        .to_string(),
                );
            }
        }
        // "Still being checked" is honest only while someone is checking: it stays a
        // warning until a later update answers.
        let latest_data_loss = incident.updates[..update.seq]
            .iter()
            .rev()
            .find_map(|earlier| earlier.fields.get("data_loss"));
        if latest_data_loss.is_some_and(|answer| answer.trim().eq_ignore_ascii_case("unknown")) {
            found.missing(
                Rule::DataLossUnknown,
                None,
                "whether any data was lost or corrupted is still being checked".to_string(),
            );
        }
        if update.seq == 1 {
            let within = self
                .config
                .severity(&incident.severity)
                .map(|severity| severity.acknowledge_within);
            let took = update.at - incident.started_at;
            if let Some(within) = within.filter(|within| took > *within) {
                found.missing(
                    Rule::AcknowledgeLate,
                    None,
                    format!(
                        "the first acknowledgement came {} after the start; {} asks for {}",
                        crate::time::human_duration(took),
                        incident.severity,
                        crate::time::human_duration(within)
                    ),
                );
            }
        }
    }
}

/// Whether an answer to "what data may have been exposed" says that none was.
fn says_nothing_exposed(answer: &str) -> bool {
    let answer = answer.trim().trim_end_matches('.').to_ascii_lowercase();
    ["none", "nothing", "no data", "no one", "nobody"]
        .iter()
        .any(|none| answer == *none)
        || answer.starts_with("no data was exposed")
        || answer.starts_with("nothing was exposed")
}

/// Whether `incident` is a maintenance window's record.
fn is_window(incident: &Incident) -> bool {
    incident.severity == maintenance::SEVERITY
}

/// Whether a cause is recorded by `update` or an earlier one: then naming it is no guess.
fn cause_recorded(incident: &Incident, update: &Update) -> bool {
    incident.updates[..update.seq].iter().any(|earlier| {
        earlier
            .fields
            .get("cause")
            .is_some_and(|cause| !cause.trim().is_empty())
    })
}

/// `range` without the white space at its ends.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.end - (piece.len() - piece.trim_end().len());
    start..end.max(start)
}

/// The texts a person typed for an update: its message, its answers and its edited drafts.
fn said_by(update: &Update) -> impl Iterator<Item = String> + '_ {
    update
        .message
        .iter()
        .map(|message| message.to_string())
        .chain(update.fields.values().cloned())
        .chain(update.edits.values().cloned())
}

/// Findings as they are found, merged so one problem in many channels is one finding.
#[derive(Default)]
struct Found {
    findings: Vec<Finding>,
}

impl Found {
    /// Records a text problem at `range` of `text` in `channel`.
    fn at(
        &mut self,
        rule: Rule,
        channel: Channel,
        text: &str,
        range: std::ops::Range<usize>,
        message: impl FnOnce(&str) -> String,
    ) {
        let span = Span::of(text, range);
        let same = |finding: &Finding| {
            finding.rule == rule
                && finding
                    .span
                    .as_ref()
                    .is_some_and(|seen| seen.text.to_lowercase() == span.text.to_lowercase())
        };
        if let Some(existing) = self.findings.iter_mut().find(|finding| same(finding)) {
            if existing.channel != Some(channel) && !existing.also_in.contains(&channel) {
                existing.also_in.push(channel);
            }
            return;
        }
        let message = message(&span.text);
        self.push(rule, Some(channel), Some(span), message);
    }

    /// Records something missing, from a channel's draft or (`None`) from the record.
    fn missing(&mut self, rule: Rule, channel: Option<Channel>, message: String) {
        let same = |finding: &Finding| finding.rule == rule && finding.span.is_none();
        if let Some(existing) = self.findings.iter_mut().find(|finding| same(finding)) {
            if let Some(channel) = channel.filter(|channel| existing.channel != Some(*channel)) {
                existing.also_in.push(channel);
            }
            return;
        }
        self.push(rule, channel, None, message);
    }

    fn push(&mut self, rule: Rule, channel: Option<Channel>, span: Option<Span>, message: String) {
        self.findings.push(Finding {
            rule,
            level: rule.default_level(),
            channel,
            also_in: Vec::new(),
            span,
            message,
            hint: rule.hint(),
            suggestion: rule.suggestion(),
        });
    }

    fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// Which parts of a draft the judging rules speak to: not a customer's words quoted back or
/// a code span, and not a phrase the sentence denies ("this was not user error").
struct Scope<'a> {
    text: &'a str,
    sentences: Vec<std::ops::Range<usize>>,
    quoted: Vec<std::ops::Range<usize>>,
}

impl<'a> Scope<'a> {
    fn of(text: &'a str) -> Self {
        Scope {
            text,
            sentences: sentences::sentences(text),
            quoted: sentences::quoted(text),
        }
    }

    /// Returns where the sentence that holds byte `at` starts, and its text.
    fn sentence_of(&self, at: usize) -> (usize, &'a str) {
        self.sentences
            .iter()
            .find(|sentence| sentence.start <= at && at < sentence.end)
            .map_or((at, ""), |sentence| {
                (sentence.start, &self.text[sentence.clone()])
            })
    }

    /// Adds to `ranges` what `find` finds in each sentence (ranges within the sentence),
    /// except where it overlaps a range already there.
    fn add_per_sentence(
        &self,
        ranges: &mut Vec<Range<usize>>,
        find: impl Fn(&str) -> Vec<Range<usize>>,
    ) {
        for sentence in &self.sentences {
            for found in find(&self.text[sentence.clone()]) {
                let found = sentence.start + found.start..sentence.start + found.end;
                if !ranges
                    .iter()
                    .any(|seen| seen.start < found.end && found.start < seen.end)
                {
                    ranges.push(found);
                }
            }
        }
    }

    /// Returns whether the phrase found at `range` is said by the draft itself.
    fn judged(&self, range: &std::ops::Range<usize>) -> bool {
        if self
            .quoted
            .iter()
            .any(|quote| quote.start <= range.start && range.end <= quote.end)
        {
            return false;
        }
        let sentence = self
            .sentences
            .iter()
            .find(|sentence| sentence.start <= range.start && range.start < sentence.end)
            .map_or(0, |sentence| sentence.start);
        !negation::negated(&self.text[sentence..], range.start - sentence)
    }
}
