//! The leaf words every layer shares: the channels a draft is rendered for, the public
//! status of an incident, the built-in stage names and the rule for names (incident ids,
//! stages, targets, components). It imports nothing of ours, so any layer may use it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The stage `incident open` records first.
pub const ACKNOWLEDGE: &str = "acknowledge";
/// The stage of the update `incident resolve` records.
pub const RESOLVE: &str = "resolve";
/// The stage of an update `incident correct` records: a corrected text for an earlier one.
pub const CORRECT: &str = "correction";
/// The stage of an update `incident retract` records: an earlier update, or the whole
/// incident, was wrong.
pub const RETRACT: &str = "retraction";
/// The field of an incident's first update that names the preset it was opened from.
pub const PRESET_FIELD: &str = "preset";

/// Longest name accepted from `--id`, a folder name or a config key.
const MAX_NAME_LENGTH: usize = 40;

/// Returns whether `name` can be an incident id or component id: lowercase ASCII letters,
/// digits and `-`, starting with a letter or digit, at most 40 characters.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_NAME_LENGTH
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'-')
}

/// The shape a rendered update takes for one kind of destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Status,
    Blog,
    Social,
    Chat,
    Email,
    Banner,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Status,
        Channel::Blog,
        Channel::Social,
        Channel::Chat,
        Channel::Email,
        Channel::Banner,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Channel::Status => "status",
            Channel::Blog => "blog",
            Channel::Social => "social",
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Banner => "banner",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Channel {
    type Err = ();
    fn from_str(text: &str) -> Result<Channel, ()> {
        Channel::ALL
            .into_iter()
            .find(|channel| channel.name() == text)
            .ok_or(())
    }
}

/// The public status of an incident, as status pages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Investigating,
        Status::Identified,
        Status::Monitoring,
        Status::Resolved,
    ];

    /// The status as people read it: "Investigating".
    pub fn label(self) -> &'static str {
        match self {
            Status::Investigating => "Investigating",
            Status::Identified => "Identified",
            Status::Monitoring => "Monitoring",
            Status::Resolved => "Resolved",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Investigating => "investigating",
            Status::Identified => "identified",
            Status::Monitoring => "monitoring",
            Status::Resolved => "resolved",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Status {
    type Err = ();
    fn from_str(text: &str) -> Result<Status, ()> {
        Status::ALL
            .into_iter()
            .find(|status| status.name().eq_ignore_ascii_case(text.trim()))
            .ok_or(())
    }
}

/// Returns names as people read them in a hint: "`a`, `b`, `c`".
pub fn backticked<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|name| format!("`{}`", name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the hint for an unknown name, in the one wording every "unknown X" uses:
/// "did you mean `x`?" when one known name is a likely typo of it, else "PLURAL are `a`,
/// `b`", or "there are no PLURAL".
pub fn suggestion(name: &str, plural: &str, known: &[&str]) -> String {
    match did_you_mean(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if known.is_empty() => format!("there are no {plural}"),
        None => format!("{plural} are {}", backticked(known)),
    }
}

/// Returns the candidate closest to `word`, if one is close enough to be a likely typo and
/// no other is as close (for `sev4` among `sev1`..`sev3` a guess would mislead).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    let mut tied = false;
    for candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score <= 0.8 {
            continue;
        }
        match best {
            Some((top, _)) if score < top => {}
            Some((top, _)) if score == top => tied = true,
            _ => {
                best = Some((score, candidate));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, candidate)| candidate)
}

/// Returns "1 error" or "2 errors".
pub fn plural<N: fmt::Display + PartialEq + From<u8>>(count: N, noun: &str) -> String {
    if count == N::from(1) {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name("photo-cache-2026"));
        assert!(!is_valid_name("-x"));
        assert!(!is_valid_name("Upper"));
        assert!(!is_valid_name("a/b"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name(&"a".repeat(41)));
    }

    #[test]
    fn suggestions() {
        let fields = ["org", "severities", "components", "targets"];
        assert_eq!(did_you_mean("severites", fields), Some("severities"));
        assert_eq!(did_you_mean("zzz", fields), None);
        assert_eq!(did_you_mean("sev4", ["sev1", "sev2", "sev3"]), None);
        assert_eq!(
            suggestion("sev4", "severities", &["sev1", "sev2"]),
            "severities are `sev1`, `sev2`"
        );
        assert_eq!(
            suggestion("stagez", "stages", &["stages"]),
            "did you mean `stages`?"
        );
        assert_eq!(
            suggestion("x", "components", &[]),
            "there are no components"
        );
    }
}
