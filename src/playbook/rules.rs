//! The catalog of playbook checks: each rule's stable id, default level, default phrases or
//! patterns, and the hint shown with its findings.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// How serious a finding is. Error-level findings make `lint` exit 1 and block `publish`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One check. The ids are stable: configs and scripts refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum Rule {
    AffectedUnsaid,
    ApologyMissing,
    NextUpdateMissing,
    Minimising,
    BlameShifting,
    VendorBlame,
    SocialLimit,
    AcknowledgeLate,
    FixTimePromised,
    InternalDetail,
    DataLossUnsaid,
    DataLossUnknown,
    Placeholder,
    EditLost,
}

/// What a rule's phrases mean: text that must not appear, or text that shows the rule is
/// satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseUse {
    /// The rule has no phrases.
    None,
    /// Any match is a finding.
    Forbidden,
    /// A match anywhere satisfies the rule.
    Required,
}

impl Rule {
    pub const ALL: [Rule; 14] = [
        Rule::AffectedUnsaid,
        Rule::ApologyMissing,
        Rule::NextUpdateMissing,
        Rule::Minimising,
        Rule::BlameShifting,
        Rule::VendorBlame,
        Rule::SocialLimit,
        Rule::AcknowledgeLate,
        Rule::FixTimePromised,
        Rule::InternalDetail,
        Rule::DataLossUnsaid,
        Rule::DataLossUnknown,
        Rule::Placeholder,
        Rule::EditLost,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::AffectedUnsaid => "affected-unsaid",
            Rule::ApologyMissing => "apology-missing",
            Rule::NextUpdateMissing => "next-update-missing",
            Rule::Minimising => "minimising",
            Rule::BlameShifting => "blame-shifting",
            Rule::VendorBlame => "vendor-blame",
            Rule::SocialLimit => "social-limit",
            Rule::AcknowledgeLate => "acknowledge-late",
            Rule::FixTimePromised => "fix-time-promised",
            Rule::InternalDetail => "internal-detail",
            Rule::DataLossUnsaid => "data-loss-unsaid",
            Rule::DataLossUnknown => "data-loss-unknown",
            Rule::Placeholder => "placeholder",
            Rule::EditLost => "edit-lost",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.id() == id)
    }

    pub fn default_level(self) -> Level {
        match self {
            Rule::AffectedUnsaid | Rule::AcknowledgeLate | Rule::DataLossUnknown => Level::Warning,
            _ => Level::Error,
        }
    }

    pub fn phrase_use(self) -> PhraseUse {
        match self {
            Rule::AffectedUnsaid | Rule::ApologyMissing | Rule::DataLossUnsaid => {
                PhraseUse::Required
            }
            Rule::Minimising
            | Rule::BlameShifting
            | Rule::VendorBlame
            | Rule::FixTimePromised
            | Rule::InternalDetail
            | Rule::Placeholder => PhraseUse::Forbidden,
            Rule::NextUpdateMissing
            | Rule::SocialLimit
            | Rule::AcknowledgeLate
            | Rule::DataLossUnknown
            | Rule::EditLost => PhraseUse::None,
        }
    }

    /// Phrases matched case- and whitespace-insensitively, on word boundaries;
    /// punctuation between words is optional.
    pub fn default_phrases(self) -> &'static [&'static str] {
        match self {
            Rule::AffectedUnsaid => &[
                "affected",
                "affects",
                "affecting",
                "impacted",
                "users",
                "customers",
                "people",
                "everyone",
                "accounts",
                "your",
            ],
            Rule::ApologyMissing => &[
                "sorry",
                "apologize",
                "apologise",
                "apologies",
                "apology",
                "we regret",
            ],
            Rule::Minimising => &[
                "only a few users",
                "only a few customers",
                "only a few people",
                "only a small number",
                "a small number of users",
                "a handful of users",
                "a feature, not a bug",
                "working as intended",
                "works as intended",
                "working as designed",
                "works as designed",
                "minor inconvenience",
                "slight inconvenience",
                "minor hiccup",
                "minor glitch",
                "any inconvenience this may have caused",
            ],
            Rule::BlameShifting => &[
                "user error",
                "your fault",
                "not our fault",
                "on your end",
                "on your side",
                "you should have",
                "customers who failed to",
                "users who failed to",
            ],
            Rule::VendorBlame => &[
                "third party",
                "third-party provider",
                "our vendor",
                "a vendor",
                "our provider",
                "our hosting provider",
                "our cloud provider",
                "upstream provider",
                "outside our control",
                "out of our control",
                "beyond our control",
            ],
            Rule::FixTimePromised => &[
                "within the hour",
                "within the next hour",
                "within an hour",
                "in the next hour",
            ],
            Rule::DataLossUnsaid => &[
                "data loss",
                "data was lost",
                "no data",
                "lost",
                "corrupted",
                "corruption",
                "deleted",
                "intact",
            ],
            // What `incident init` writes until someone replaces it.
            Rule::Placeholder => &["Example Org"],
            Rule::InternalDetail
            | Rule::NextUpdateMissing
            | Rule::SocialLimit
            | Rule::AcknowledgeLate
            | Rule::DataLossUnknown
            | Rule::EditLost => &[],
        }
    }

    /// Regular expressions (Rust `regex` syntax) matched as written.
    pub fn default_patterns(self) -> &'static [&'static str] {
        match self {
            Rule::FixTimePromised => &[
                r"(?i)\b(?:fixed|resolved|restored|repaired|back(?:\s+(?:up|online|to\s+normal))?|working\s+again|fully\s+operational|up\s+and\s+running)\s+(?:by|before|within|in(?:\s+the\s+next)?)\s+(?:\d+(?:\s*(?:minutes?|mins?|hours?|hrs?|days?)\b|(?:[:.]\d{2})?(?:\s*[ap]\.?m\b)?)|an?\s+(?:hour|few\s+\w+)|half\s+an\s+hour|the\s+(?:next\s+)?hour|(?:the\s+)?end\s+of|tonight|today|tomorrow|noon|midnight|this\s+(?:morning|afternoon|evening))",
            ],
            Rule::InternalDetail => &[
                // Host names like db-prod-03, web-12, payments-prod, stg-cache-2.
                r"(?i)\b(?:[a-z0-9]+-)*(?:db|cache|redis|pg|postgres|mysql|mongo|kafka|es|web|api|app|worker|node|host|srv|server|lb|proxy|k8s|vm|prod|prd|stg|staging|dev|qa)(?:-[a-z0-9]+)*-\d+[a-z]?\b",
                r"(?i)\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:prod|prd|stg)\b",
                r"(?i)\b(?:prod|prd|stg)-[a-z0-9]+(?:-[a-z0-9]+)*\b",
                // Names in internal DNS zones.
                r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:internal|local|lan|corp|intranet)\b",
                // Private IPv4 addresses (RFC 1918).
                r"\b(?:10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2})\b",
                // Ticket ids like OPS-1234 or INC-42.
                r"\b[A-Z][A-Z0-9]{1,9}-\d{1,6}\b",
            ],
            // The documentation domains (RFC 2606), which `init` writes as the status page.
            Rule::Placeholder => &[r"(?i)\b(?:[a-z0-9-]+\.)*example\.(?:com|org|net)\b"],
            _ => &[],
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Rule::AffectedUnsaid => {
                "say who or what is affected: record `--field impact=...` or name the people, accounts or components"
            }
            Rule::ApologyMissing => {
                "apologise plainly before resolving: say you are sorry and what for (the `apologize` stage)"
            }
            Rule::NextUpdateMissing => {
                "promise when the next update comes, even if there is no news (`--next-update 30m`)"
            }
            Rule::Minimising => {
                "say plainly what happened and to how many people; let readers judge how bad it was"
            }
            Rule::BlameShifting => "own the outcome: say what we got wrong, not what others did",
            Rule::VendorBlame => {
                "if a supplier failed, say so and also that the outcome is ours (\"this is on us\")"
            }
            Rule::SocialLimit => {
                "shorten the message, or `incident edit ID --channel social` to write a shorter post"
            }
            Rule::AcknowledgeLate => {
                "acknowledge first and fast, fully templated, then explain; note the delay in the postmortem"
            }
            Rule::FixTimePromised => {
                "promise the next update, not the fix: \"next update by 15:30\""
            }
            Rule::InternalDetail => {
                "describe systems the way customers know them; keep host names, addresses and tickets internal"
            }
            Rule::DataLossUnsaid => {
                "say whether any data was lost or corrupted, or clearly that none was (`--field data_loss=none`)"
            }
            Rule::DataLossUnknown => {
                "when the check is done, say what was found: `incident update ID --field data_loss=none` (or `some`, with what)"
            }
            Rule::Placeholder => {
                "replace what `incident init` wrote: `[org] name` and `status_url` in `incident.toml`"
            }
            Rule::EditLost => {
                "carry the earlier edit into this update's story: `incident edit ID --update N --channel blog`"
            }
        }
    }
}

impl From<Rule> for &'static str {
    fn from(rule: Rule) -> &'static str {
        rule.id()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A rule as configured: defaults with `[playbook.rules.ID]` applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    pub enabled: bool,
    pub level: Level,
    pub phrases: Vec<String>,
    pub patterns: Vec<String>,
}

impl RuleSettings {
    pub fn default_for(rule: Rule) -> RuleSettings {
        RuleSettings {
            enabled: true,
            level: rule.default_level(),
            phrases: rule
                .default_phrases()
                .iter()
                .map(ToString::to_string)
                .collect(),
            patterns: rule
                .default_patterns()
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

/// Every rule's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    settings: BTreeMap<Rule, RuleSettings>,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            settings: Rule::ALL
                .into_iter()
                .map(|rule| (rule, RuleSettings::default_for(rule)))
                .collect(),
        }
    }
}

impl Rules {
    pub fn get(&self, rule: Rule) -> &RuleSettings {
        self.settings
            .get(&rule)
            .expect("every rule has settings from the start")
    }

    pub fn set(&mut self, rule: Rule, settings: RuleSettings) {
        self.settings.insert(rule, settings);
    }
}
