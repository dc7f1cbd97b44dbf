//! Jargon and hard reading in public posts: acronyms nobody explained, and sentences too long
//! to read while something is broken.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::playbook::ascii_regex;

/// Acronyms the public reads without help: time zones, places, the web's everyday words.
const EVERYDAY: &[&str] = &[
    "API", "APIs", "DNS", "URL", "URLs", "UTC", "GMT", "CET", "CEST", "EST", "EDT", "PST", "PDT",
    "PT", "ET", "CT", "MT", "BST", "IST", "JST", "AEDT", "AEST", "EU", "US", "USA", "UK", "UN",
    "SMS", "PIN", "ID", "IDs", "IT", "PDF", "FAQ", "OK", "TV", "ATM", "VPN", "AWS", "GPS", "CEO",
    "CTO", "HR", "ISP", "ISPs", "PC", "PCs", "USB", "WiFi", "AM", "PM", "SSO", "HTTP", "HTTPS",
    "SSL", "TLS", "IP", "VAT", "NHS", "BBC", "AI", "iOS", "RSS", "CSV",
];

static ACRONYM: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(r"\b[A-Z][A-Z0-9]{1,}(?:s\b|\b)|\b[1-5]\d\ds\b|\b[a-z]+[A-Z][A-Za-z]*Killed\b")
});

/// Returns the byte ranges of acronyms in `text` that are neither everyday words nor
/// explained in parentheses right after (or right before) them.
pub fn unexplained_acronyms(text: &str) -> Vec<Range<usize>> {
    ACRONYM
        .find_iter(text)
        .filter(|found| !EVERYDAY.contains(&found.as_str()))
        .filter(|found| {
            let after = text[found.end()..].trim_start();
            let before = text[..found.start()].trim_end();
            !(after.starts_with('(') || before.ends_with('('))
        })
        // A heading or a shout in capitals is not an acronym.
        .filter(|found| found.as_str().len() <= 8)
        .map(|found| found.range())
        .collect()
}

/// Returns the words of a sentence, for its length.
pub fn word_count(sentence: &str) -> usize {
    sentence
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        unexplained_acronyms(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn acronyms_the_public_knows_or_is_told_pass() {
        assert_eq!(
            found("BGP withdrawal caused NXDOMAIN responses and 403s."),
            ["BGP", "NXDOMAIN", "403s"]
        );
        assert!(found("Our DNS provider and the API failed at 14:00 UTC.").is_empty());
        assert!(found("Our content delivery network (CDN) failed.").is_empty());
        assert!(found("312 messages were delivered late.").is_empty());
    }
}
