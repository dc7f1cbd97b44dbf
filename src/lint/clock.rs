//! Clock times without a zone: "back after 3:15" means a different moment to every reader,
//! and a wrong time is the complaint status pages hear most.
//!
//! A time is zoned when a zone follows it, or follows the time that ends its range
//! ("from 10:03 to 10:50 UTC").

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::playbook::ascii_regex;

/// `14:00`, `3:15 p.m.`, `8am`, `9:40 pm`.
/// Times in words or with a stop, which need a word before them to be times at all:
/// "by half past four", "from 13.20 until 14.05", "from 6 until 10 in the morning".
static SPOKEN: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:half\s+past|quarter\s+past|quarter\s+to)\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\b|\b(?:at|from|until|till|to|by|since|before|after|around)\s+((?:[01]?\d|2[0-3])\.[0-5]\d)\b|\b(?:at|from|until|till|by|since|before|after)\s+((?:1[0-2]|[1-9]))\s+(?:o'clock|in\s+the\s+(?:morning|afternoon|evening)|until|till|to)\b",
    )
});
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*[ap](?:\.\s?m\.|\s?m\b))?|\b(?:1[0-2]|0?[1-9])\s*[ap](?:\.\s?m\.|\s?m\b)",
    )
});
/// A zone right after a time: an abbreviation, an offset, or a zone's name in words.
static ZONE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"^\s*(?:\(?\s*(?:UTC|GMT|Z)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|\(?[A-Z]{1,4}[SD]?T\b|[+-]\d{2}:?\d{2}\b|(?i:(?:noon\s+|midnight\s+)?(?:Eastern|Central|Mountain|Pacific|Atlantic|British|Central\s+European|Eastern\s+European|Western\s+European|Indian|Japan|Australian\s+\w+)(?:\s+(?:Standard\s+|Daylight\s+|Summer\s+)?Time)?\b|(?:local\s+time|your\s+time|in\s+your\s+(?:local\s+)?time\s+zone)\b)|[A-Z][a-z]+/[A-Z][a-z_]+)",
    )
});
/// What joins the two ends of a range.
static RANGE_JOIN: LazyLock<Regex> =
    LazyLock::new(|| ascii_regex(r"(?i)^\s*(?:to|until|till|through|and|-|–|—)\s*$"));

/// Returns the byte ranges of the clock times in `text` that have no zone.
pub fn unzoned(text: &str) -> Vec<Range<usize>> {
    let mut times: Vec<Range<usize>> = CLOCK.find_iter(text).map(|found| found.range()).collect();
    for spoken in SPOKEN.captures_iter(text) {
        // The time itself, not the word that marks it as one.
        let time = spoken
            .get(1)
            .or_else(|| spoken.get(2))
            .or_else(|| spoken.get(0))
            .map(|found| found.range());
        if let Some(time) = time
            && !times
                .iter()
                .any(|seen| seen.start < time.end && time.start < seen.end)
        {
            times.push(time);
        }
    }
    times.sort_by_key(|time| time.start);
    let zoned = |time: &Range<usize>| ZONE.is_match(&text[time.end..]);
    let mut missing = Vec::new();
    for (index, time) in times.iter().enumerate() {
        if zoned(time) {
            continue;
        }
        // The start of a range takes the zone of its end.
        let range_end = times
            .get(index + 1)
            .filter(|next| RANGE_JOIN.is_match(&text[time.end..next.start]));
        if range_end.is_some_and(zoned) {
            continue;
        }
        missing.push(time.clone());
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        unzoned(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn times_need_a_zone_of_their_own_or_of_their_range() {
        assert_eq!(found("Next update at 3:15."), ["3:15"]);
        assert_eq!(found("Back at 9:40 pm, we hope."), ["9:40 pm"]);
        assert_eq!(found("Fixed by 3 pm."), ["3 pm"]);
        assert_eq!(found("Fixed by 3 p.m. today."), ["3 p.m."]);
        assert_eq!(found("We reopen at 8am tomorrow."), ["8am"]);
        assert_eq!(
            found("From 22:00 to 02:00 the app is down."),
            ["22:00", "02:00"]
        );
        assert!(found("Next update at 15:30 UTC.").is_empty());
        assert!(found("from 10:03 to 10:50 UTC").is_empty());
        assert!(found("by 3:15 p.m. PT with news").is_empty());
        assert!(found("13:20 to 14:05 Eastern Time").is_empty());
        assert!(found("from about 04:05 AEDT").is_empty());
        assert!(found("at 09:45 CET and 11:00 UTC+1").is_empty());
        assert_eq!(
            found("We'll post again by half past four."),
            ["half past four"]
        );
        assert_eq!(
            found("Down from 13.20 until 14.05 on Friday."),
            ["13.20", "14.05"]
        );
        assert!(found("Down from 13.20 until 14.05 BST.").is_empty());
        // Prices, versions and file lines are not times.
        assert!(found("£0.00 shown; v2.3.1; Auth.java:88").is_empty());
    }
}
