//! A promised fix time, in any phrasing: a sentence that says the service will be restored
//! (or fixed, back, resolved, live, working again) at or within some time. Promise the next
//! update instead: a missed fix time is a second broken promise.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::playbook::ascii_regex;

/// Saying it will happen: future tense, expectation or an estimate.
static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:will|'ll|’ll|shall|should|expect\w*|anticipat\w*|estimat\w*|eta|going\s+to|aim\w*|hope\w*|plan\w*|on\s+track|target)\b",
    )
});
/// Restoration: the thing the fix time is about.
static RESTORED: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:fix(?:ed)?|resolv\w*|resolution|restor\w*|recover\w*|back(?:\s+(?:up|online|to\s+normal|in\s+service))?|working\s+(?:again|normally)|work\s+again|available\s+again|fully\s+available|resum\w*|live|complete|up\s+and\s+running|operational|normal\s+service|full\s+service|clear(?:ed)?|sorted|done)\b",
    )
});
/// When: a clock time, a span of time, or a word for soon.
static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:(?:within|in|by|before|from|after|around|about)\s+(?:the\s+next\s+|about\s+|around\s+|roughly\s+|approximately\s+|under\s+|less\s+than\s+)?(?:\d+|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty|sixty|a\s+few|few|a\s+couple\s+of|several|the)\s*(?:-\s*)?(?:minutes?|mins?|hours?|hrs?|days?|weeks?|moments?|hour)\b|\d+\s*(?:minutes?|mins?|hours?|hrs?)\b|(?:[01]?\d|2[0-3]):[0-5]\d|\d{1,2}\s*[ap]\.?m\b|shortly|soon|momentarily|in\s+a\s+moment|tonight|today|tomorrow(?:\s+morning)?|this\s+(?:morning|afternoon|evening|week)|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week|month)|noon|midnight|first\s+thing|later\s+today|(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening))?)",
    )
});
/// A sentence about the next update promises news, which is what it should promise.
static ABOUT_UPDATES: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:update|updates|updated|post|posting|news|report|check\s+back|let\s+you\s+know|tell\s+you|share|say\s+more|write\s+again)\b",
    )
});

/// Whether `sentence` is about the next update, which is the promise to make.
pub fn about_updates(sentence: &str) -> bool {
    ABOUT_UPDATES.is_match(sentence)
}

/// Returns the range, within `sentence`, of a promised fix time: from the restoration word
/// to the end of the time, or `None`.
pub fn promised(sentence: &str) -> Option<Range<usize>> {
    if ABOUT_UPDATES.is_match(sentence) || !FUTURE.is_match(sentence) {
        return None;
    }
    let restored = RESTORED.find(sentence)?;
    let when = WHEN.find(sentence)?;
    let start = restored.start().min(when.start());
    let end = restored.end().max(when.end());
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_time_in_any_phrasing_but_not_a_next_update() {
        for promise in [
            "A fix will be live within two hours.",
            "Expected resolution: 17:00 UTC.",
            "We'll be back in a moment!",
            "Service should be restored shortly.",
            "ETA for full recovery is 30 minutes.",
            "We expect everything to be working again by this evening.",
        ] {
            assert!(promised(promise).is_some(), "{promise}");
        }
        for fine in [
            "Next update by 15:30 UTC.",
            "We'll post again within 30 minutes, even if there is no news.",
            "We fixed it at 08:02 UTC.",
            "We'll check back in here by 3:15 p.m. PT with what we know.",
        ] {
            assert!(promised(fine).is_none(), "{fine}");
        }
    }
}
