//! Presets: what the team already knows about a kind of incident (its title, severity,
//! components, who is affected, the first words, when to update, what else to ask), from
//! `[presets.NAME]` in `incident.toml` or a file `presets/NAME.toml` beside it. `open
//! --preset NAME` offers them as the defaults of its prompts; flags override them.
//!
//! Everything a preset names is checked here, once, against the rest of the config: its
//! severity and components exist, its duration parses, its messages name stages, and its
//! answers are for questions that can be answered ahead. A choice question (data loss, say)
//! cannot be: nobody may assume its answer, a preset no more than a default.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::playbook::parse_question;
use super::raw::RawPreset;
use crate::playbook::{Playbook, Question, QuestionKind};
use crate::vocab::ACKNOWLEDGE;

/// The folder beside `incident.toml` whose `NAME.toml` files are presets.
pub const PRESETS_DIR: &str = "presets";

/// One preset, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    pub name: String,
    pub description: Option<String>,
    pub title: Option<String>,
    pub severity: Option<String>,
    pub components: Vec<String>,
    pub impact: Option<String>,
    /// What the acknowledgement says.
    pub summary: Option<String>,
    /// The promise of the first update, as written (`30m`).
    pub next_update: Option<String>,
    /// Answers to the acknowledge stage's questions, by key.
    pub fields: BTreeMap<String, String>,
    /// A default message per later stage, by stage name.
    pub messages: BTreeMap<String, String>,
    /// Questions asked beyond the acknowledge stage's own, by key.
    #[serde(serialize_with = "question_keys")]
    pub questions: Vec<Question>,
    /// Where it is defined: `incident.toml` or its file under `presets/`.
    pub source: PathBuf,
}

fn question_keys<S: serde::Serializer>(
    questions: &[Question],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(
        questions
            .iter()
            .map(|question| (&question.key, &question.prompt))
            .map(|(key, prompt)| serde_json::json!({ "key": key, "prompt": prompt })),
    )
}

/// A preset problem located in its file.
pub struct PresetProblem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// What a preset is checked against.
pub struct Known<'a> {
    pub severities: &'a [&'a str],
    pub components: &'a [&'a str],
    pub playbook: &'a Playbook,
}

/// Checks the preset `name` as written in `raw`, defined in `source`.
pub fn build(
    name: &str,
    raw: &RawPreset,
    at: Range<usize>,
    source: &Path,
    known: &Known,
) -> Result<Preset, PresetProblem> {
    let located = |span: Range<usize>, message: String, hint: Option<String>| PresetProblem {
        span,
        message,
        hint,
    };
    if !crate::vocab::is_valid_name(name) {
        return Err(located(
            at,
            format!("preset name `{name}` must be lowercase letters, digits and `-`"),
            None,
        ));
    }
    let table = format!("presets.{name}");
    if let Some(severity) = &raw.severity
        && !known.severities.contains(&severity.get_ref().as_str())
    {
        return Err(located(
            severity.span(),
            format!(
                "`severity` in `[{table}]` names unknown severity `{}`",
                severity.get_ref()
            ),
            Some(crate::vocab::suggestion(
                severity.get_ref(),
                "severities",
                known.severities,
            )),
        ));
    }
    let mut components = Vec::new();
    for component in raw.components.iter().flatten() {
        if !known.components.contains(&component.get_ref().as_str()) {
            return Err(located(
                component.span(),
                format!(
                    "`components` in `[{table}]` names unknown component `{}`",
                    component.get_ref()
                ),
                Some(crate::vocab::suggestion(
                    component.get_ref(),
                    "components",
                    known.components,
                )),
            ));
        }
        components.push(component.get_ref().clone());
    }
    if let Some(next) = &raw.next_update {
        let positive = crate::time::parse_duration(next.get_ref())
            .is_ok_and(|duration| duration > chrono::Duration::zero());
        if !positive {
            return Err(located(
                next.span(),
                format!(
                    "bad duration `{}` for `next_update` in `[{table}]`",
                    next.get_ref()
                ),
                Some("use a duration like `15m`, `1h30m` or `2h`".to_string()),
            ));
        }
    }
    let mut questions: Vec<Question> = Vec::new();
    for raw_question in raw.questions.iter().flatten() {
        let question = parse_question(raw_question.get_ref())
            .map_err(|problem| located(problem.span, problem.message, problem.hint))?;
        if questions.iter().any(|other| other.key == question.key) {
            return Err(located(
                raw_question.get_ref().key.span(),
                format!("`[{table}]` asks `{}` twice", question.key),
                None,
            ));
        }
        questions.push(question);
    }
    let acknowledge = known
        .playbook
        .stage(ACKNOWLEDGE)
        .expect("every playbook has an acknowledge stage");
    let mut fields = BTreeMap::new();
    for (key, value) in raw.fields.iter().flatten() {
        let question = acknowledge
            .questions
            .iter()
            .chain(&questions)
            .find(|question| question.key == *key);
        match question {
            None => {
                let keys: Vec<&str> = acknowledge
                    .questions
                    .iter()
                    .chain(&questions)
                    .map(|question| question.key.as_str())
                    .collect();
                return Err(located(
                    value.span(),
                    format!("`fields` in `[{table}]` answers `{key}`, which `open` does not ask"),
                    Some(crate::vocab::suggestion(key, "questions", &keys)),
                ));
            }
            Some(question) if matches!(question.kind, QuestionKind::Choice(_)) => {
                return Err(located(
                    value.span(),
                    format!(
                        "`fields` in `[{table}]` answers the choice question `{key}` ahead of time"
                    ),
                    Some("nobody may assume a choice's answer; leave it to be asked".to_string()),
                ));
            }
            Some(_) => {
                fields.insert(key.clone(), value.get_ref().clone());
            }
        }
    }
    let mut messages = BTreeMap::new();
    let stage_names = known.playbook.stage_names();
    for (stage, message) in raw.messages.iter().flatten() {
        if known.playbook.any_stage(stage).is_none() {
            return Err(located(
                message.span(),
                format!("`messages` in `[{table}]` names unknown stage `{stage}`"),
                Some(crate::vocab::suggestion(stage, "stages", &stage_names)),
            ));
        }
        messages.insert(stage.clone(), message.get_ref().clone());
    }
    Ok(Preset {
        name: name.to_string(),
        description: raw.description.clone(),
        title: raw.title.clone(),
        severity: raw.severity.as_ref().map(|value| value.get_ref().clone()),
        components,
        impact: raw.impact.clone(),
        summary: raw.summary.clone(),
        next_update: raw
            .next_update
            .as_ref()
            .map(|value| value.get_ref().clone()),
        fields,
        messages,
        questions,
        source: source.to_path_buf(),
    })
}

/// The preset files in `dir`: `(name, path)` for each `NAME.toml`, by name. A folder that
/// does not exist holds none.
pub fn files(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "toml")
            && let Some(stem) = path.file_stem().and_then(|stem| stem.to_str())
        {
            found.push((stem.to_string(), path));
        }
    }
    found.sort();
    Ok(found)
}
