//! The crisis-communication playbook: its stages in order, the status each implies, and the
//! one-line guidance shown to the person answering.
//!
//! The default playbook is acknowledge → explain → apologize → promise. Resolution is not a
//! playbook stage: `incident resolve` records it as an update of stage [`RESOLVE`].

use crate::record::Status;

pub const ACKNOWLEDGE: &str = "acknowledge";
/// The stage of the update `incident resolve` records.
pub const RESOLVE: &str = "resolve";

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
}

/// The ordered stages.
#[derive(Debug, Clone)]
pub struct Playbook {
    pub stages: Vec<Stage>,
}

impl Default for Playbook {
    fn default() -> Playbook {
        let stage = |name: &str, title: &str, status, guidance: &str, message_prompt: &str| Stage {
            name: name.to_string(),
            title: title.to_string(),
            status,
            guidance: guidance.to_string(),
            message_prompt: message_prompt.to_string(),
        };
        Playbook {
            stages: vec![
                stage(
                    ACKNOWLEDGE,
                    "What we know",
                    Status::Investigating,
                    "Say that you know, who is affected and when you will update; don't guess at the cause.",
                    "What can you say right now?",
                ),
                stage(
                    "explain",
                    "What happened",
                    Status::Identified,
                    "Say what happened and what you are doing, in plain words; own it, blame no one.",
                    "What happened, and what are you doing about it?",
                ),
                stage(
                    "apologize",
                    "We are sorry",
                    Status::Monitoring,
                    "Apologize plainly for the effect on people; no \"any inconvenience\", no \"a few users\".",
                    "Your apology",
                ),
                stage(
                    "promise",
                    "What we will change",
                    Status::Monitoring,
                    "Say what will change so this does not happen again, and when people will hear more.",
                    "What will you change?",
                ),
            ],
        }
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
    pub fn stage_titles(&self) -> std::collections::BTreeMap<&str, &str> {
        let mut titles: std::collections::BTreeMap<&str, &str> = self
            .stages
            .iter()
            .map(|stage| (stage.name.as_str(), stage.title.as_str()))
            .collect();
        titles.insert(RESOLVE, "Resolved");
        titles
    }

    pub fn stage(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|stage| stage.name == name)
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
    }
}
