//! NegEx-style negation scope: a judging phrase after "not", "never", "no longer", … in the
//! same clause is being denied, not said ("this was not user error"). The scope ends at a
//! word like "but" or "however", or at ";", and "not only" is no negation at all.

/// Words that open a negation scope.
const TRIGGERS: &[&str] = &[
    "not",
    "never",
    "isn't",
    "wasn't",
    "aren't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "can't",
    "cannot",
    "couldn't",
    "shouldn't",
    "wouldn't",
    "hasn't",
    "haven't",
    "hadn't",
    "rather",
    "instead",
];
/// Words that deny only the words right after them ("no user error", "no third party"),
/// not the clause: "no one could log in for a few minutes" still says "a few minutes".
const DETERMINERS: &[&str] = &["no", "none", "nothing", "neither", "nor"];
/// How many words a denying determiner reaches.
const DETERMINER_REACH: usize = 2;
/// Triggers followed by one of these are no negation ("not only", "no doubt").
const PSEUDO: &[&str] = &[
    "only", "just", "merely", "simply", "doubt", "longer", "matter",
];
/// Two-word triggers that would otherwise read as pseudo-negations.
const TWO_WORD_TRIGGERS: &[(&str, &str)] = &[
    ("no", "longer"),
    ("wrong", "to"),
    ("untrue", "that"),
    ("false", "that"),
];
/// Words that close a scope: what follows is said again.
const SCOPE_ENDS: &[&str] = &[
    "but",
    "however",
    "although",
    "though",
    "yet",
    "except",
    "still",
    "nevertheless",
    "whereas",
];
/// How many words a negation reaches.
const REACH: usize = 6;

/// Returns whether the phrase starting at byte `at` of `sentence` is inside a negation scope.
pub fn negated(sentence: &str, at: usize) -> bool {
    let before = &sentence[..at];
    // A clause break ends every scope.
    let clause = before
        .rsplit([';', ':', '—', '('])
        .next()
        .unwrap_or_default();
    let words: Vec<String> = clause
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|word| !word.is_empty())
        .map(|word| word.to_lowercase().replace('’', "'"))
        .collect();
    for (back, index) in (0..words.len()).rev().enumerate() {
        if back >= REACH {
            return false;
        }
        let word = words[index].as_str();
        if SCOPE_ENDS.contains(&word) {
            return false;
        }
        let next = words.get(index + 1).map(String::as_str);
        if next.is_some_and(|next| TWO_WORD_TRIGGERS.contains(&(word, next))) {
            return true;
        }
        let opens =
            TRIGGERS.contains(&word) || (DETERMINERS.contains(&word) && back < DETERMINER_REACH);
        if opens && !next.is_some_and(|next| PSEUDO.contains(&next)) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negated_before(sentence: &str, phrase: &str) -> bool {
        negated(sentence, sentence.find(phrase).expect("phrase in sentence"))
    }

    #[test]
    fn a_trigger_negates_what_follows_it_in_the_clause() {
        assert!(negated_before("This was not user error", "user error"));
        assert!(negated_before(
            "It wasn't a problem on your end",
            "on your end"
        ));
        assert!(negated_before(
            "It is no longer working as intended",
            "working as"
        ));
        assert!(!negated_before("This was user error", "user error"));
    }

    #[test]
    fn a_determiner_denies_only_the_words_right_after_it() {
        assert!(negated_before("There was no user error", "user error"));
        assert!(negated_before("No third party was involved", "third party"));
        assert!(!negated_before(
            "No one could log in for a few minutes",
            "for a few minutes"
        ));
        assert!(negated_before(
            "The limit is no longer quietly working as intended",
            "working as intended"
        ));
    }

    #[test]
    fn scope_ends_and_pseudo_negations() {
        assert!(!negated_before("Not a bug, but user error", "user error"));
        assert!(!negated_before(
            "Nothing changed; it was user error",
            "user error"
        ));
        assert!(!negated_before("Not only was it user error", "user error"));
        assert!(!negated_before(
            "Nothing was lost and we checked every table twice and it was user error",
            "user error"
        ));
    }
}
