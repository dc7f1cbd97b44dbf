//! The shape of `incident.toml` as written, before validation.
//!
//! Every table denies unknown keys so a typo is an error with a suggestion, and every value
//! that needs a semantic check is `Spanned` so its error can name the line it is on. A
//! target is read twice: here for the keys every kind shares, and by its kind's own keys
//! struct (`config/kind.rs`), because serde's tagged enums and `flatten` lose the spans of
//! the keys inside them.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of settings")]
pub struct RawConfig {
    pub org: Spanned<RawOrg>,
    #[serde(default)]
    pub severities: BTreeMap<String, Spanned<RawSeverity>>,
    #[serde(default)]
    pub components: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub targets: BTreeMap<String, Spanned<RawTarget>>,
    #[serde(default)]
    pub playbook: RawPlaybook,
    #[serde(default)]
    pub publishing: RawPublishing,
    #[serde(default)]
    pub presets: BTreeMap<String, Spanned<RawPreset>>,
}

/// `[presets.NAME]`, or a file `presets/NAME.toml`: what the team already knows about a
/// kind of incident.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a `[presets.NAME]` table")]
pub struct RawPreset {
    pub description: Option<String>,
    pub title: Option<String>,
    pub severity: Option<Spanned<String>>,
    pub components: Option<Vec<Spanned<String>>>,
    pub impact: Option<String>,
    pub summary: Option<String>,
    pub next_update: Option<Spanned<String>>,
    /// Answers to the acknowledge stage's questions, by key.
    pub fields: Option<BTreeMap<String, Spanned<String>>>,
    /// A default message per stage, by stage name.
    pub messages: Option<BTreeMap<String, Spanned<String>>>,
    /// Questions `open` asks beyond the acknowledge stage's own.
    pub questions: Option<Vec<Spanned<RawQuestion>>>,
}

/// `[publishing]`: what holds for every target unless the target says otherwise.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a `[publishing]` table")]
pub struct RawPublishing {
    pub require_approval: Option<bool>,
    pub unpublished_after: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "an `[org]` table")]
pub struct RawOrg {
    pub name: String,
    pub timezone: Spanned<String>,
    pub status_url: Option<Spanned<String>>,
    pub default_severity: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a `[severities.NAME]` table")]
pub struct RawSeverity {
    pub label: String,
    pub description: Option<String>,
    pub acknowledge_within: Spanned<String>,
    pub update_every: Spanned<String>,
}

/// The keys of `[targets.NAME]` that every kind shares. The kind's own keys are left for
/// its keys struct, which denies what the kind does not take.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a `[targets.NAME]` table")]
pub struct RawTarget {
    pub kind: Spanned<String>,
    pub channel: Option<Spanned<String>>,
    pub stages: Option<Spanned<Vec<Spanned<String>>>>,
    pub timeout: Option<Spanned<String>>,
    pub attempts: Option<Spanned<u32>>,
    pub require_approval: Option<Spanned<bool>>,
    pub allow_insecure: Option<Spanned<bool>>,

    // Literal secrets are read here only so that the error can say which `*_env` key to
    // use instead of a bare "unknown key".
    pub password: Option<Spanned<toml::Value>>,
    pub secret: Option<Spanned<toml::Value>>,
    pub token: Option<Spanned<toml::Value>>,
    pub key: Option<Spanned<toml::Value>>,
    pub api_key: Option<Spanned<toml::Value>>,
}

/// `[playbook]`: changes to the default playbook.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a `[playbook]` table")]
pub struct RawPlaybook {
    /// The walkable stages in order; when given, exactly these stages are used.
    pub stages: Option<Spanned<Vec<Spanned<String>>>>,
    /// New stages, or changes to default ones (`resolve` included), by name.
    #[serde(default)]
    pub stage: BTreeMap<String, Spanned<RawStage>>,
    /// Changes to the checks, by rule id.
    #[serde(default)]
    pub rules: BTreeMap<String, Spanned<RawRule>>,
    /// The house's internal names (teams, projects, systems, people) that public posts
    /// must not carry.
    pub internal_names: Option<Vec<Spanned<String>>>,
    /// Sentences longer than this many words get a `readability` warning.
    pub max_sentence_words: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a `[playbook.rules.ID]` table")]
pub struct RawRule {
    pub enabled: Option<bool>,
    pub level: Option<Spanned<String>>,
    pub phrases: Option<Vec<Spanned<String>>>,
    pub patterns: Option<Vec<Spanned<String>>>,
    /// When true, `phrases` and `patterns` replace the rule's defaults instead of adding.
    pub replace_defaults: Option<bool>,
    /// Phrases that never fire the rule.
    pub exceptions: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a `[playbook.stage.NAME]` table")]
pub struct RawStage {
    pub title: Option<String>,
    pub status: Option<Spanned<String>>,
    pub guidance: Option<String>,
    pub message_prompt: Option<String>,
    pub questions: Option<Vec<Spanned<RawQuestion>>>,
    /// When true, `questions` replaces the stage's questions instead of adding to them.
    pub replace_questions: Option<bool>,
    /// Channel name to template name.
    pub templates: Option<BTreeMap<String, Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a question table (`key`, `prompt`, …)")]
pub struct RawQuestion {
    pub key: Spanned<String>,
    pub prompt: String,
    pub guidance: Option<String>,
    pub required: Option<bool>,
    pub kind: Option<Spanned<String>>,
    pub choices: Option<Spanned<Vec<String>>>,
}
