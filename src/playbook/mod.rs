//! The crisis-communication playbook: its stages in order, the status each implies, the
//! one-line guidance shown to the person answering, each stage's questions, and which
//! templates it renders.
//!
//! The default playbook (in `defaults.rs`) is acknowledge → explain → apologize → promise,
//! plus the resolution stage [`RESOLVE`], which only `incident resolve` records. The
//! `[playbook]` section of `incident.toml` replaces or extends it (validated in `config`).

mod defaults;
mod matcher;
mod question;
mod rules;

use std::collections::BTreeMap;

use crate::vocab::Channel;
use crate::vocab::Status;

pub use matcher::{Matcher, Span, ascii_classes, ascii_regex, phrase_pattern};
pub use question::{Choice, Question, QuestionKind};
pub use rules::{Level, PhraseUse, Rule, RuleSettings, Rules};

/// The social limit when no routed target sets one: Mastodon's default.
pub const DEFAULT_SOCIAL_LIMIT: usize = 500;
use crate::vocab::RESOLVE;

/// One stage of the playbook.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: String,
    /// The heading of this stage's part of a long-form post.
    pub title: String,
    /// The status an update of this stage sets unless told otherwise.
    pub status: Status,
    /// What the stage is for, in one line.
    pub guidance: String,
    /// The prompt for the stage's main message.
    pub message_prompt: String,
    /// Questions asked after the message; answers are stored as the update's fields.
    pub questions: Vec<Question>,
    /// Templates this stage renders instead of the channel's default, by channel.
    pub templates: BTreeMap<Channel, String>,
}

/// The ordered stages, the resolution stage, and the checks drafts must pass.
#[derive(Debug, Clone)]
pub struct Playbook {
    pub stages: Vec<Stage>,
    pub resolve: Stage,
    pub rules: Rules,
}

impl Default for Playbook {
    fn default() -> Playbook {
        defaults::playbook()
    }
}

impl Playbook {
    /// Returns the stage names in order, plus [`RESOLVE`], which targets may also route.
    pub fn stage_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .stages
            .iter()
            .map(|stage| stage.name.as_str())
            .collect();
        names.push(RESOLVE);
        names
    }

    /// Returns each stage's heading by name, resolution included.
    pub fn stage_titles(&self) -> BTreeMap<&str, &str> {
        self.stages
            .iter()
            .chain(std::iter::once(&self.resolve))
            .map(|stage| (stage.name.as_str(), stage.title.as_str()))
            .collect()
    }

    /// Returns a walkable stage (not the resolution) by name.
    pub fn stage(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|stage| stage.name == name)
    }

    /// Returns any stage by name, the resolution included.
    pub fn any_stage(&self, name: &str) -> Option<&Stage> {
        if name == RESOLVE {
            Some(&self.resolve)
        } else {
            self.stage(name)
        }
    }

    /// Returns the stage that follows `latest` (the stage of the latest update): the next one
    /// in order, or the last stage once the playbook has been walked through.
    pub fn next_stage(&self, latest: &str) -> &Stage {
        let last = self
            .stages
            .last()
            .expect("a playbook has at least one stage");
        match self.stages.iter().position(|stage| stage.name == latest) {
            Some(index) => self.stages.get(index + 1).unwrap_or(last),
            None if latest == RESOLVE => last,
            None => self.stages.get(1).unwrap_or(last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_the_stages_in_order() {
        let playbook = Playbook::default();
        assert_eq!(playbook.next_stage("acknowledge").name, "explain");
        assert_eq!(playbook.next_stage("explain").name, "apologize");
        assert_eq!(playbook.next_stage("apologize").name, "promise");
        assert_eq!(playbook.next_stage("promise").name, "promise");
        assert_eq!(playbook.next_stage(RESOLVE).name, "promise");
        assert_eq!(
            playbook.stage_names(),
            ["acknowledge", "explain", "apologize", "promise", "resolve"]
        );
        assert_eq!(
            playbook.any_stage(RESOLVE).unwrap().status,
            Status::Resolved
        );
        assert!(playbook.stage(RESOLVE).is_none());
    }
}
