//! Answers, from flags or a terminal: a stage's questions (answers given as `--field
//! KEY=VALUE` are checked, the rest are asked; without a terminal, a missing required answer
//! names its flag), and the parsers of the flags several commands share.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::prompt::Question as Prompt;
use super::session::Session;
use crate::config::Config;
use crate::error::CommandError;
use crate::playbook::{Question, QuestionKind, Stage};
use crate::record::Incident;
use crate::time;
use crate::vocab::{Channel, PRESET_FIELD, Status};

/// Fills `fields` with answers to `stage`'s questions, checking the ones already given.
pub fn ask_stage_questions(
    session: &Session,
    stage: &Stage,
    fields: &mut BTreeMap<String, String>,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<(), CommandError> {
    ask_questions(
        session,
        &stage.questions,
        &BTreeMap::new(),
        fields,
        now,
        zone,
    )
}

/// Fills `fields` with answers to `questions`, checking the ones already given. A text
/// answer in `defaults` (a preset's) is offered at the prompt, and taken as the answer
/// without a terminal; choice questions never have one.
pub fn ask_questions(
    session: &Session,
    questions: &[Question],
    defaults: &BTreeMap<String, String>,
    fields: &mut BTreeMap<String, String>,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<(), CommandError> {
    let prompter = &session.prompter;
    for question in questions {
        if let Some(given) = fields.get(&question.key) {
            let stored = question.accept(given, now, zone).map_err(|reason| {
                CommandError::usage(format!("`--field {}`: {reason}", question.key))
            })?;
            fields.insert(question.key.clone(), stored);
            continue;
        }
        let flag = format!("--field {}=…", question.key);
        let prompt = Prompt {
            prompt: &question.prompt,
            guidance: &question.guidance,
            flag: &flag,
        };
        let default = match question.kind {
            QuestionKind::Choice(_) => None,
            _ => defaults.get(&question.key).map(String::as_str),
        };
        if !prompter.is_interactive() {
            if let Some(default) = default {
                let stored = question.accept(default, now, zone).map_err(|reason| {
                    CommandError::usage(format!("the preset's `{}`: {reason}", question.key))
                })?;
                fields.insert(question.key.clone(), stored);
            } else if question.required {
                return Err(CommandError::missing(&flag));
            }
            continue;
        }
        let answer = match &question.kind {
            QuestionKind::Choice(choices) => {
                let mut items: Vec<String> =
                    choices.iter().map(|choice| choice.label.clone()).collect();
                if !question.required {
                    items.push("Skip for now".to_string());
                }
                // No answer is preselected: Enter alone must not tell the public, say, that
                // no data was lost.
                let picked = prompter.choose(prompt, &items)?;
                choices.get(picked).map(|choice| choice.value.clone())
            }
            _ => {
                let text = prompter.text(prompt, default, question.required, |text| {
                    if text.is_empty() {
                        return Ok(());
                    }
                    question.accept(text, now, zone).map(drop)
                })?;
                if text.is_empty() {
                    None
                } else {
                    Some(
                        question
                            .accept(&text, now, zone)
                            .map_err(CommandError::usage)?,
                    )
                }
            }
        };
        if let Some(answer) = answer {
            fields.insert(question.key.clone(), answer);
        }
    }
    Ok(())
}

/// Returns the message the preset `incident` was opened from gives `stage`, if any: the
/// default of its message prompt, and its text without a terminal.
pub fn preset_message<'a>(config: &'a Config, incident: &Incident, stage: &str) -> Option<&'a str> {
    let name = incident.updates.first()?.fields.get(PRESET_FIELD)?;
    config.preset(name)?.messages.get(stage).map(String::as_str)
}

/// Parses `--field KEY=VALUE` pairs; keys are lowercase words.
pub fn parse_fields(pairs: &[String]) -> Result<BTreeMap<String, String>, CommandError> {
    let mut fields = BTreeMap::new();
    for pair in pairs {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            CommandError::usage(format!("`--field` takes KEY=VALUE, got `{pair}`"))
                .hint("for example `--field cause=\"a cache key bug\"`")
        })?;
        let key = key.trim();
        let valid = !key.is_empty()
            && key
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
        if !valid {
            return Err(CommandError::usage(format!(
                "invalid field name `{key}` in `--field {pair}`"
            ))
            .hint("field names are lowercase letters, digits and `_`"));
        }
        if fields
            .insert(key.to_string(), value.trim().to_string())
            .is_some()
        {
            return Err(CommandError::usage(format!(
                "`--field {key}` is given twice"
            )));
        }
    }
    Ok(fields)
}

/// Parses `--status`.
pub fn parse_status(text: &str) -> Result<Status, CommandError> {
    text.parse().map_err(|()| {
        CommandError::usage(format!("unknown status `{text}`"))
            .hint("statuses are `investigating`, `identified`, `monitoring` and `resolved`")
    })
}

/// Parses a next-update promise: a positive DUR.
pub fn parse_promise(text: &str) -> Result<Duration, CommandError> {
    let duration = time::parse_duration(text)?;
    if duration <= Duration::zero() {
        return Err(
            CommandError::usage("the next update must be promised some time from now")
                .hint("use a duration like `30m` or `1h`"),
        );
    }
    Ok(duration)
}

/// Parses `--channel`; clap shows the reason under the flag.
pub fn parse_channel(text: &str) -> Result<Channel, String> {
    text.parse().map_err(|()| {
        let names: Vec<&str> = Channel::ALL.iter().map(|channel| channel.name()).collect();
        format!("channels are {}", names.join(", "))
    })
}

/// Returns the severity's name if the config defines it, else an error listing the choices.
/// A severity is matched whatever its case, by its name (`sev1`) or its label (`Critical`).
pub fn check_severity(config: &Config, name: &str) -> Result<String, CommandError> {
    let wanted = name.trim();
    if let Some(known) = config.severities.iter().find(|severity| {
        severity.name.eq_ignore_ascii_case(wanted) || severity.label.eq_ignore_ascii_case(wanted)
    }) {
        return Ok(known.name.clone());
    }
    let names: Vec<&str> = config.severities.iter().map(|s| s.name.as_str()).collect();
    Err(unknown("severity", "severities", name, &names))
}

/// Checks that the config defines the component.
pub fn check_component(config: &Config, component: &str) -> Result<(), CommandError> {
    if config.components.contains_key(component) {
        return Ok(());
    }
    let names: Vec<&str> = config.components.keys().map(String::as_str).collect();
    Err(unknown("component", "components", component, &names))
}

/// Returns the error for a name `incident.toml` does not define.
fn unknown(what: &str, plural: &str, name: &str, known: &[&str]) -> CommandError {
    CommandError::usage(format!("unknown {what} `{name}`"))
        .hint(crate::vocab::suggestion(name, plural, known))
}
