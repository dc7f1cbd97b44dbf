//! Phrase and pattern matching for the checks: one regular expression per rule, built from
//! its phrases (case- and whitespace-insensitive, whole words, punctuation between words
//! optional) and its patterns (as written), with spans reported as line and column.

use std::ops::Range;

use regex::Regex;
use serde::Serialize;

/// Where a finding is: 1-based line and column (in characters) and the text found there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub text: String,
}

impl Span {
    /// Returns the span of `range` in `text`.
    pub fn of(text: &str, range: Range<usize>) -> Span {
        let before = &text[..range.start];
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        Span {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            text: text[range].to_string(),
        }
    }
}

/// Returns the regular expression for a phrase, or `None` when it has no words.
///
/// "A feature, not a bug" matches "a FEATURE not\na bug"; "isn't" matches "isn’t".
pub fn phrase_pattern(phrase: &str) -> Option<String> {
    let words: Vec<String> = phrase
        .replace('’', "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| regex::escape(word).replace('\'', "['’]"))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(format!(r"(?:\b{}\b)", words.join(r"\W+")))
}

/// Returns `pattern` with its word classes and boundaries (`\w`, `\W`, `\d`, `\b`) made
/// ASCII. Unicode's word class is hundreds of ranges, and with `(?i)` compiling every rule's
/// expression took a tenth of a second per command; the texts judged are English, and a
/// letter outside ASCII still matches wherever a pattern names it.
pub fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('W') => out.push_str("[^0-9A-Za-z_]"),
            Some('d') => out.push_str("[0-9]"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Compiles one of the checks' fixed expressions, written in Rust `regex` syntax, with its
/// word classes made ASCII as [`ascii_classes`] says.
pub fn ascii_regex(pattern: &str) -> Regex {
    Regex::new(&ascii_classes(pattern)).expect("the checks' own expressions are valid")
}

/// A rule's phrases and patterns compiled: the phrases into one case-sensitive expression
/// matched against the text lowercased (ASCII letters only, so every byte stays in place),
/// the patterns into another, as written. Case-insensitive phrases would each be expanded
/// into every casing of every letter, which made compiling the rules the slowest part of a
/// check.
#[derive(Debug, Clone)]
pub struct Matcher {
    phrases: Option<Regex>,
    patterns: Option<Regex>,
}

impl Matcher {
    /// Compiles phrases and patterns; a pattern that is not a valid expression is an error.
    pub fn new(phrases: &[String], patterns: &[String]) -> Result<Matcher, regex::Error> {
        let phrases: Vec<String> = phrases
            .iter()
            .filter_map(|phrase| phrase_pattern(&phrase.to_lowercase()))
            .collect();
        let patterns: Vec<String> = patterns
            .iter()
            .map(|pattern| format!("(?:{pattern})"))
            .collect();
        let compile = |alternatives: &[String]| -> Result<Option<Regex>, regex::Error> {
            if alternatives.is_empty() {
                return Ok(None);
            }
            Regex::new(&ascii_classes(&alternatives.join("|"))).map(Some)
        };
        Ok(Matcher {
            phrases: compile(&phrases)?,
            patterns: compile(&patterns)?,
        })
    }

    /// Returns a matcher of the given phrases, which are known to be valid.
    pub fn of_phrases(phrases: &[&str]) -> Matcher {
        let phrases: Vec<String> = phrases.iter().map(ToString::to_string).collect();
        Matcher::new(&phrases, &[]).expect("phrases are escaped, so always compile")
    }

    /// Returns the byte ranges of every match, leftmost first; of two that overlap, the one
    /// that starts first (or, starting together, the longer) is kept.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        let mut found: Vec<Range<usize>> = Vec::new();
        if let Some(phrases) = &self.phrases {
            let lower = text.to_ascii_lowercase();
            found.extend(phrases.find_iter(&lower).map(|found| found.range()));
        }
        if let Some(patterns) = &self.patterns {
            found.extend(patterns.find_iter(text).map(|found| found.range()));
        }
        found.retain(|range| !range.is_empty());
        found.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
        let mut kept: Vec<Range<usize>> = Vec::with_capacity(found.len());
        for range in found {
            if kept.last().is_none_or(|last| last.end <= range.start) {
                kept.push(range);
            }
        }
        kept
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.patterns
            .as_ref()
            .is_some_and(|patterns| patterns.is_match(text))
            || self
                .phrases
                .as_ref()
                .is_some_and(|phrases| phrases.is_match(&text.to_ascii_lowercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(phrase: &str, text: &str) -> Vec<String> {
        let matcher = Matcher::new(&[phrase.to_string()], &[]).unwrap();
        matcher
            .find_all(text)
            .into_iter()
            .map(|range| text[range].to_string())
            .collect()
    }

    #[test]
    fn phrases_ignore_case_whitespace_and_punctuation_between_words() {
        assert_eq!(
            matches("a feature, not a bug", "It is A Feature  not\na bug."),
            ["A Feature  not\na bug"]
        );
        assert_eq!(matches("isn't", "It isn’t ours"), ["isn’t"]);
        assert_eq!(matches("user error", "a user-error"), ["user-error"]);
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(matches("lost", "the cost was lostness").is_empty());
        assert!(matches("only a few", "commonly a few").is_empty());
        assert_eq!(phrase_pattern(" , "), None);
    }

    #[test]
    fn spans_count_lines_and_characters() {
        let text = "first\nsé only a few";
        let range = text.find("only").unwrap()..text.len();
        assert_eq!(
            Span::of(text, range),
            Span {
                line: 2,
                column: 4,
                text: "only a few".to_string()
            }
        );
    }

    #[test]
    fn a_bad_pattern_is_an_error() {
        assert!(Matcher::new(&[], &["(unclosed".to_string()]).is_err());
    }
}
