//! A stage's question: what is asked, how the answer is checked, and the stored form.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// One question of a stage. The answer is stored in the update's fields under `key`.
#[derive(Debug, Clone)]
pub struct Question {
    pub key: String,
    pub prompt: String,
    pub guidance: String,
    pub required: bool,
    pub kind: QuestionKind,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionKind {
    Text,
    /// One of a fixed list; the stored answer is the choice's value.
    Choice(Vec<Choice>),
    /// A DUR such as `30m`; stored as written.
    Duration,
    /// A TIME such as `2026-11-21 17:00` or `2h`; stored as RFC 3339 UTC.
    Time,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl QuestionKind {
    /// Returns the kind's name as written in `incident.toml`.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Text => "text",
            QuestionKind::Choice(_) => "choice",
            QuestionKind::Duration => "duration",
            QuestionKind::Time => "time",
        }
    }
}

impl Question {
    /// Checks an answer and returns the form it is stored in, or why it is not an answer.
    pub fn accept(&self, answer: &str, now: DateTime<Utc>, zone: Tz) -> Result<String, String> {
        let answer = answer.trim();
        if answer.is_empty() {
            return Err(format!("`{}` needs an answer", self.key));
        }
        match &self.kind {
            QuestionKind::Text => Ok(answer.to_string()),
            QuestionKind::Choice(choices) => choices
                .iter()
                .find(|choice| choice.value.eq_ignore_ascii_case(answer))
                .map(|choice| choice.value.clone())
                .ok_or_else(|| {
                    let values: Vec<String> = choices
                        .iter()
                        .map(|choice| format!("`{}`", choice.value))
                        .collect();
                    format!(
                        "`{}` is one of {}, not `{answer}`",
                        self.key,
                        values.join(", ")
                    )
                }),
            QuestionKind::Duration => crate::time::parse_duration(answer)
                .map(|_| answer.to_string())
                .map_err(|error| format!("`{}`: {error}", self.key)),
            QuestionKind::Time => {
                // A bare duration means "this long from now": a promise of when.
                let at = match crate::time::parse_duration(answer) {
                    Ok(duration) => Ok(now + duration),
                    Err(_) => crate::time::parse_time(answer, now, zone),
                };
                at.map(crate::time::rfc3339)
                    .map_err(|error| format!("`{}`: {error}", self.key))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: QuestionKind) -> Question {
        Question {
            key: "k".to_string(),
            prompt: "p".to_string(),
            guidance: "g".to_string(),
            required: false,
            kind,
        }
    }

    #[test]
    fn answers_are_checked_by_kind() {
        let now: DateTime<Utc> = "2026-11-24T08:00:00Z".parse().unwrap();
        let zone = chrono_tz::America::New_York;
        let choice = question(QuestionKind::Choice(vec![Choice {
            value: "none".to_string(),
            label: "None".to_string(),
        }]));
        assert_eq!(choice.accept("NONE", now, zone).unwrap(), "none");
        assert!(
            choice
                .accept("some", now, zone)
                .unwrap_err()
                .contains("one of `none`")
        );
        let time = question(QuestionKind::Time);
        assert_eq!(
            time.accept("2026-11-24 17:00", now, zone).unwrap(),
            "2026-11-24T22:00:00Z"
        );
        assert_eq!(
            time.accept("2h", now, zone).unwrap(),
            "2026-11-24T10:00:00Z"
        );
        assert!(time.accept("friday", now, zone).is_err());
        assert!(
            question(QuestionKind::Duration)
                .accept("3 weeks", now, zone)
                .is_err()
        );
        assert!(
            question(QuestionKind::Text)
                .accept("  ", now, zone)
                .is_err()
        );
    }
}
