//! `[playbook]`: the default playbook with the file's changes applied, checked so that every
//! mistake names its line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::raw::{RawPlaybook, RawQuestion, RawStage};
use crate::playbook::{Choice, Playbook, Question, QuestionKind, Stage};
use crate::vocab::ACKNOWLEDGE;
use crate::vocab::Channel;
use crate::vocab::RESOLVE;
use crate::vocab::Status;

/// A playbook problem located in the file.
pub struct PlaybookProblem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

pub(super) fn problem<T>(
    at: &Spanned<T>,
    message: String,
    hint: Option<String>,
) -> PlaybookProblem {
    PlaybookProblem {
        span: at.span(),
        message,
        hint,
    }
}

/// Returns the default playbook changed by `raw`; `templates_dir` is where overrides live.
pub fn build(raw: &RawPlaybook, templates_dir: &Path) -> Result<Playbook, PlaybookProblem> {
    let mut playbook = Playbook::default();
    let mut defined: Vec<(usize, String)> = Vec::new();
    for (name, table) in &raw.stage {
        if !crate::vocab::is_valid_name(name) {
            return Err(problem(
                table,
                format!("stage name `{name}` must be lowercase letters, digits and `-`"),
                None,
            ));
        }
        let stage = if name == RESOLVE {
            &mut playbook.resolve
        } else if let Some(index) = playbook.stages.iter().position(|stage| stage.name == *name) {
            &mut playbook.stages[index]
        } else {
            let status = table.get_ref().status.as_ref().ok_or_else(|| {
                problem(
                    table,
                    format!("new stage `[playbook.stage.{name}]` needs a `status`"),
                    Some(
                        "one of `investigating`, `identified`, `monitoring`, `resolved`"
                            .to_string(),
                    ),
                )
            })?;
            playbook.stages.push(Stage {
                name: name.clone(),
                title: capitalized(name),
                status: parse_status(status)?,
                guidance: String::new(),
                message_prompt: "Your update".to_string(),
                questions: Vec::new(),
                templates: BTreeMap::new(),
            });
            defined.push((table.span().start, name.clone()));
            playbook.stages.last_mut().expect("a stage was just added")
        };
        apply(stage, table.get_ref(), templates_dir)?;
    }

    match &raw.stages {
        Some(order) => {
            let mut ordered = Vec::new();
            for name in order.get_ref() {
                if name.get_ref() == RESOLVE {
                    return Err(problem(
                        name,
                        "`resolve` is not listed in `playbook.stages`: `incident resolve` records it".to_string(),
                        Some("change it in `[playbook.stage.resolve]` instead".to_string()),
                    ));
                }
                let index = playbook
                    .stages
                    .iter()
                    .position(|stage| stage.name == *name.get_ref())
                    .ok_or_else(|| {
                        problem(
                            name,
                            format!("unknown stage `{}` in `playbook.stages`", name.get_ref()),
                            Some(format!(
                                "define it in `[playbook.stage.{}]` with at least a `status`",
                                name.get_ref()
                            )),
                        )
                    })?;
                if ordered
                    .iter()
                    .any(|stage: &Stage| stage.name == *name.get_ref())
                {
                    return Err(problem(
                        name,
                        format!("stage `{}` is listed twice", name.get_ref()),
                        None,
                    ));
                }
                ordered.push(playbook.stages[index].clone());
            }
            if let Some((_, unlisted)) = defined
                .iter()
                .find(|(_, name)| !ordered.iter().any(|stage| stage.name == *name))
            {
                return Err(problem(
                    order,
                    format!("stage `{unlisted}` is defined but not listed in `playbook.stages`"),
                    None,
                ));
            }
            if !ordered.iter().any(|stage| stage.name == ACKNOWLEDGE) {
                return Err(problem(
                    order,
                    "`playbook.stages` must include `acknowledge`: `incident open` records it"
                        .to_string(),
                    None,
                ));
            }
            playbook.stages = ordered;
        }
        None => {
            // New stages follow the defaults in the order the file defines them.
            let defaults = playbook.stages.len() - defined.len();
            defined.sort();
            let mut added: Vec<Stage> = playbook.stages.split_off(defaults);
            added.sort_by_key(|stage| defined.iter().position(|(_, name)| *name == stage.name));
            playbook.stages.extend(added);
        }
    }
    playbook.rules = super::rules::build(raw)?;
    Ok(playbook)
}

fn apply(stage: &mut Stage, raw: &RawStage, templates_dir: &Path) -> Result<(), PlaybookProblem> {
    if let Some(title) = &raw.title {
        stage.title = title.clone();
    }
    if let Some(status) = &raw.status {
        stage.status = parse_status(status)?;
    }
    if let Some(guidance) = &raw.guidance {
        stage.guidance = guidance.clone();
    }
    if let Some(prompt) = &raw.message_prompt {
        stage.message_prompt = prompt.clone();
    }
    if let Some(questions) = &raw.questions {
        if raw.replace_questions.unwrap_or(false) {
            stage.questions.clear();
        }
        let mut seen: Vec<&str> = Vec::new();
        for question in questions {
            let key = question.get_ref().key.get_ref();
            if seen.contains(&key.as_str()) {
                return Err(problem(
                    &question.get_ref().key,
                    format!("question `{key}` is asked twice in stage `{}`", stage.name),
                    None,
                ));
            }
            seen.push(key);
            let question = parse_question(question.get_ref())?;
            match stage
                .questions
                .iter_mut()
                .find(|existing| existing.key == question.key)
            {
                Some(existing) => *existing = question,
                None => stage.questions.push(question),
            }
        }
    }
    if let Some(templates) = &raw.templates {
        for (channel, name) in templates {
            let channel: Channel = channel.parse().map_err(|()| {
                problem(
                    name,
                    format!(
                        "unknown channel `{channel}` in the templates of stage `{}`",
                        stage.name
                    ),
                    Some(
                        "channels are `status`, `blog`, `social`, `chat`, `email`, `banner`"
                            .to_string(),
                    ),
                )
            })?;
            let exists = crate::templates::EMBEDDED
                .iter()
                .any(|(embedded, _)| embedded == name.get_ref())
                || templates_dir.join(name.get_ref()).is_file();
            if !exists || name.get_ref().contains("..") {
                return Err(problem(
                    name,
                    format!("template `{}` not found", name.get_ref()),
                    Some(format!("put it in `{}`", templates_dir.display())),
                ));
            }
            stage.templates.insert(channel, name.get_ref().clone());
        }
    }
    Ok(())
}

pub(super) fn parse_question(raw: &RawQuestion) -> Result<Question, PlaybookProblem> {
    let key = raw.key.get_ref();
    let valid_key = !key.is_empty()
        && key
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
    if !valid_key {
        return Err(problem(
            &raw.key,
            format!("question key `{key}` must be lowercase letters, digits and `_`"),
            None,
        ));
    }
    let kind_name = raw
        .kind
        .as_ref()
        .map_or("text", |kind| kind.get_ref().as_str());
    let kind = match (kind_name, &raw.choices) {
        ("choice", Some(choices)) if !choices.get_ref().is_empty() => QuestionKind::Choice(
            choices
                .get_ref()
                .iter()
                .map(|value| Choice {
                    value: value.clone(),
                    label: value.clone(),
                })
                .collect(),
        ),
        ("choice", _) => {
            return Err(problem(
                &raw.key,
                format!("choice question `{key}` needs a non-empty `choices` list"),
                None,
            ));
        }
        (_, Some(choices)) => {
            return Err(problem(
                choices,
                format!("`choices` only goes with `kind = \"choice\"` (question `{key}`)"),
                None,
            ));
        }
        ("text", None) => QuestionKind::Text,
        ("duration", None) => QuestionKind::Duration,
        ("time", None) => QuestionKind::Time,
        (other, None) => {
            let at = raw
                .kind
                .as_ref()
                .expect("only a written kind can be unknown");
            return Err(problem(
                at,
                format!("unknown question kind `{other}`"),
                Some("kinds are `text`, `choice`, `duration` and `time`".to_string()),
            ));
        }
    };
    Ok(Question {
        key: key.clone(),
        prompt: raw.prompt.clone(),
        guidance: raw.guidance.clone().unwrap_or_default(),
        required: raw.required.unwrap_or(false),
        kind,
    })
}

fn parse_status(status: &Spanned<String>) -> Result<Status, PlaybookProblem> {
    status.get_ref().parse().map_err(|()| {
        problem(
            status,
            format!("unknown status `{}`", status.get_ref()),
            Some("one of `investigating`, `identified`, `monitoring`, `resolved`".to_string()),
        )
    })
}

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace('-', " "),
        None => String::new(),
    }
}
