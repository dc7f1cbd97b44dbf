//! The default playbook: what a good incident communicator asks at each stage.

use std::collections::BTreeMap;

use super::{Choice, Playbook, Question, QuestionKind, Stage};
use crate::vocab::Status;
use crate::vocab::{ACKNOWLEDGE, RESOLVE};

fn text(key: &str, prompt: &str, guidance: &str) -> Question {
    Question {
        key: key.to_string(),
        prompt: prompt.to_string(),
        guidance: guidance.to_string(),
        required: false,
        kind: QuestionKind::Text,
    }
}

fn stage(
    name: &str,
    title: &str,
    status: Status,
    guidance: &str,
    message_prompt: &str,
    questions: Vec<Question>,
) -> Stage {
    Stage {
        name: name.to_string(),
        title: title.to_string(),
        status,
        guidance: guidance.to_string(),
        message_prompt: message_prompt.to_string(),
        questions,
        templates: BTreeMap::new(),
    }
}

pub fn playbook() -> Playbook {
    let choice = |value: &str, label: &str| Choice {
        value: value.to_string(),
        label: label.to_string(),
    };
    Playbook {
        stages: vec![
            stage(
                ACKNOWLEDGE,
                "What we know",
                Status::Investigating,
                "Say that you know, who is affected and when you will update; don't guess at the cause.",
                "What can you say right now?",
                vec![text(
                    "impact",
                    "Impact",
                    "Who or what is affected, in plain words: \"Some people cannot upload photos\". Enter to skip.",
                )],
            ),
            stage(
                "explain",
                "What happened",
                Status::Identified,
                "Say what happened and what you are doing, in plain words; own it, blame no one.",
                "What happened, and what are you doing about it?",
                vec![
                    text(
                        "cause",
                        "Cause",
                        "What caused it, in words a customer understands; no internal names. Enter to skip.",
                    ),
                    text(
                        "workaround",
                        "Workaround",
                        "Anything people can do meanwhile. Enter to skip.",
                    ),
                ],
            ),
            stage(
                "apologize",
                "We are sorry",
                Status::Monitoring,
                "Apologize plainly for the effect on people; no \"any inconvenience\", no \"a few users\".",
                "Your apology",
                vec![text(
                    "affected",
                    "Who was affected",
                    "Who exactly was affected, and how many, as far as you know. Enter to skip.",
                )],
            ),
            stage(
                "promise",
                "What we will change",
                Status::Monitoring,
                "Say what will change so this does not happen again, and when people will hear more.",
                "What will you change?",
                vec![Question {
                    kind: QuestionKind::Time,
                    ..text(
                        "postmortem_by",
                        "Postmortem by",
                        "When the full postmortem will be published (a time, or e.g. `3d`). Enter to skip.",
                    )
                }],
            ),
        ],
        resolve: stage(
            RESOLVE,
            "Resolved",
            Status::Resolved,
            "Say it is fixed, since when, and whether any data was lost.",
            "Resolution",
            vec![Question {
                kind: QuestionKind::Choice(vec![
                    choice("none", "No data was lost or corrupted"),
                    choice("some", "Some data was lost or corrupted"),
                    choice("unknown", "We are still checking"),
                ]),
                // Answered by a person every time: nothing may say "no data was lost" for them.
                required: true,
                ..text(
                    "data_loss",
                    "Was any data lost or corrupted?",
                    "People need to know whether their data is safe; say so plainly.",
                )
            }],
        ),
        rules: super::Rules::default(),
    }
}
