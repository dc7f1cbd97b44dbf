//! Passive evasion: an action told with nobody doing it ("the settings were changed in error,
//! so…"). A passive that names its doer ("by our team"), that denies ("no data was exposed"),
//! or that tells an outcome ("312 were delivered late") is fine; what is flagged is a passive
//! action in a sentence that also says it went wrong or what it caused.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::playbook::ascii_regex;

/// An auxiliary, perhaps an adverb, then a participle (regular, or one of the common
/// irregular ones), perhaps with its particle.
static PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:was|were|had\s+been|has\s+been|have\s+been|got|is\s+being|are\s+being)\s+(?:\w+ly\s+)?(\w+ed|set|sent|run|shut|left|put|broadcast|cut|built|made|spread|kept|hit|taken|given|done|shown|thrown|written|chosen|overwritten|undone|broken|switched|turned)\b(?:\s+(?:up|down|off|out|on|in|back|over))?",
    )
});
/// The sentence says the action went wrong, or what it caused.
static WENT_WRONG: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:wrong|wrongly|incorrect\w*|in\s+error|by\s+mistake|mistaken\w*|accidental\w*|inadvertent\w*|unintentional\w*|instead\s+of|too\s+(?:broadly|widely|early|soon|many|much|late)|without\s+(?:review|approval|testing|checks?|warning|notice)|faulty|bad|broken|before|older|caus\w+|result\w*|so|which|erasing|cutting|leaving|letting|making|taking|stopping|breaking|exposing|deleting|wiping|locking|knocking)\b",
    )
});
/// Participles that tell what happened to people or what was put right, not who acted.
const OUTCOMES: &[&str] = &[
    "affected",
    "impacted",
    "delayed",
    "delivered",
    "logged",
    "charged",
    "refunded",
    "notified",
    "emailed",
    "contacted",
    "informed",
    "unaffected",
    "lost",
    "restored",
    "resolved",
    "fixed",
    "completed",
    "recovered",
    "reported",
    "received",
    "asked",
    "told",
    "shown",
    "seen",
    "required",
    "expected",
    "scheduled",
    "planned",
    "based",
    "located",
    "caused",
    "needed",
    "allowed",
    "stranded",
    "disconnected",
    "declined",
    "rejected",
    "cancelled",
    "canceled",
    "redirected",
    "locked",
    "prevented",
    "blocked",
    "stopped",
    "interrupted",
    "disrupted",
    "degraded",
    "unavailable",
    "queued",
    "processed",
    "confirmed",
    "reverted",
    "rolled",
    "replaced",
    "repaired",
];

/// Whether the passive at `range` of `sentence` says who did it ("was made by our team") or
/// denies it happened at all ("No payment data was exposed").
pub fn names_doer_or_denies(sentence: &str, range: &Range<usize>) -> bool {
    let after = sentence[range.end..].trim_start().to_ascii_lowercase();
    if after.starts_with("by ") {
        return true;
    }
    // The sentence's own clause: a denial earlier in it, after a `;`, still denies.
    let clause_start = sentence[..range.start]
        .rfind(';')
        .map_or(0, |index| index + 1);
    let subject = sentence[clause_start..range.start]
        .trim_start()
        .to_ascii_lowercase();
    ["no ", "none ", "nothing ", "neither "]
        .iter()
        .any(|denial| subject.starts_with(denial))
}

/// Returns the passive actions in `sentence` that hide who did them.
pub fn evasive(sentence: &str) -> Vec<Range<usize>> {
    if !WENT_WRONG.is_match(sentence) {
        return Vec::new();
    }
    PASSIVE
        .captures_iter(sentence)
        .filter_map(|found| {
            let whole = found.get(0)?;
            let participle = found.get(1)?.as_str().to_ascii_lowercase();
            if OUTCOMES.contains(&participle.as_str()) {
                return None;
            }
            (!names_doer_or_denies(sentence, &whole.range())).then(|| whole.range())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sentence: &str) -> Vec<&str> {
        evasive(sentence)
            .into_iter()
            .map(|range| &sentence[range])
            .collect()
    }

    #[test]
    fn a_passive_action_that_went_wrong_with_nobody_doing_it() {
        assert_eq!(
            found("The alerts were turned off in error, so nobody was told."),
            ["were turned off"]
        );
        assert_eq!(
            found("The old servers were shut down before the new ones were ready."),
            ["were shut down"]
        );
        assert!(found("No payment data was exposed, so you need do nothing.").is_empty());
        assert!(found("312 were delivered up to 20 minutes late.").is_empty());
        assert!(found("The change was made by our team, which broke logins.").is_empty());
        assert!(found("The settings were changed on Monday.").is_empty());
    }
}
