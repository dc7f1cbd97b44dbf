//! Asking a stage's questions: answers given as `--field KEY=VALUE` are checked, the rest are
//! asked on a terminal; without one, a missing required answer names its flag.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Session;
use super::prompt::Question as Prompt;
use crate::error::CommandError;
use crate::playbook::{QuestionKind, Stage};

/// Fills `fields` with answers to `stage`'s questions, checking the ones already given.
pub fn ask_stage_questions(
    session: &Session,
    stage: &Stage,
    fields: &mut BTreeMap<String, String>,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<(), CommandError> {
    let prompter = &session.prompter;
    for question in &stage.questions {
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
        if !prompter.is_interactive() {
            if question.required {
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
                let picked = prompter.select(prompt, &items, 0)?;
                choices.get(picked).map(|choice| choice.value.clone())
            }
            _ => {
                let text = prompter.text(prompt, None, question.required, |text| {
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
