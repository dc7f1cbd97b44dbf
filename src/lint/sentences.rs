//! Sentences and the parts of them that are not ours to judge: a phrase is matched within one
//! sentence, and text inside quotation marks (a customer's words quoted back) or a code span
//! is skipped by the judging rules.

use std::ops::Range;

/// Words that end in a full stop without ending a sentence ("3 p.m. today", "e.g. logins").
const ABBREVIATIONS: &[&str] = &[
    "a.m", "p.m", "e.g", "i.e", "etc", "vs", "approx", "mr", "mrs", "ms", "dr", "st", "inc", "ltd",
    "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "est", "min", "mins", "hr", "hrs",
];

/// Returns the byte ranges of the sentences of `text`.
///
/// A sentence ends at `.`, `!` or `?` followed by white space (or the end), unless the word
/// before the stop is an abbreviation; a blank or bulleted line also ends one. A stop inside
/// a word ("v2.3.1", "status.acme.com") never does.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let end = match byte {
            b'.' | b'!' | b'?' => {
                let next = bytes.get(index + 1).copied();
                let at_break = next.is_none_or(|next| next.is_ascii_whitespace());
                (at_break && !(byte == b'.' && is_abbreviation(&text[start..index])))
                    .then_some(index + 1)
            }
            b'\n' => {
                let rest = &text[index + 1..];
                let line = rest.trim_start_matches([' ', '\t']);
                let blank = line.starts_with('\n') || line.is_empty();
                let bullet = line.starts_with(['-', '*', '•', '#']);
                (blank || bullet).then_some(index)
            }
            _ => None,
        };
        if let Some(end) = end {
            push_trimmed(text, start..end, &mut found);
            start = end;
        }
        index += 1;
    }
    push_trimmed(text, start..text.len(), &mut found);
    found
}

fn push_trimmed(text: &str, range: Range<usize>, found: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let leading = piece.len() - piece.trim_start().len();
    let trailing = piece.len() - piece.trim_end().len();
    if leading + trailing < piece.len() {
        found.push(range.start + leading..range.end - trailing);
    }
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    // A single letter ("J. Smith") or a number with a stop inside ("3.5") ends nothing.
    let single = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    single || ABBREVIATIONS.contains(&word.as_str())
}

/// Returns the byte ranges of `text` inside quotation marks or backticks, marks included.
///
/// Straight double quotes pair up; curly quotes pair open with close; an apostrophe is never
/// a quotation mark, so "we're" and "customers' data" stay judged.
pub fn quoted(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (index, c) in text.char_indices() {
        match open {
            None => {
                if matches!(c, '"' | '“' | '`' | '«') {
                    open = Some((index, c));
                }
            }
            Some((start, mark)) => {
                let closes = match mark {
                    '“' => c == '”',
                    '«' => c == '»',
                    _ => c == mark,
                };
                if closes {
                    found.push(start..index + c.len_utf8());
                    open = None;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn abbreviations_times_and_versions_do_not_end_a_sentence() {
        assert_eq!(
            split("We rolled back v2.3.1 at 3 p.m. today. Logins work, e.g. on the web app! Next?"),
            [
                "We rolled back v2.3.1 at 3 p.m. today.",
                "Logins work, e.g. on the web app!",
                "Next?"
            ]
        );
        assert_eq!(
            split("See status.acme.com. Thanks"),
            ["See status.acme.com.", "Thanks"]
        );
    }

    #[test]
    fn blank_lines_and_bullets_end_a_sentence() {
        assert_eq!(
            split("What happened\n\n- logins failed\n- sync lagged"),
            ["What happened", "- logins failed", "- sync lagged"]
        );
        assert_eq!(split("one line\nwraps on"), ["one line\nwraps on"]);
    }

    #[test]
    fn quotes_and_code_spans_are_found_but_apostrophes_are_not() {
        let text = "A customer said \"user error\" and `db-1` but we're sure, “quite”.";
        let found: Vec<&str> = quoted(text).into_iter().map(|range| &text[range]).collect();
        assert_eq!(found, ["\"user error\"", "`db-1`", "“quite”"]);
        assert!(quoted("it's the customers' data").is_empty());
    }
}
