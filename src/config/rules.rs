//! `[playbook.rules.ID]`: turning checks off, changing their level, and adding or replacing
//! their phrases and patterns.

use toml::Spanned;

use super::playbook::{PlaybookProblem, problem};
use super::raw::{RawPlaybook, RawRule};
use crate::playbook::{Level, Matcher, PhraseUse, Rule, RuleSettings, Rules, phrase_pattern};

/// Returns the default rules changed by the file's `[playbook.rules.*]` tables, its house
/// list of internal names and its sentence length.
pub fn build(playbook: &RawPlaybook) -> Result<Rules, PlaybookProblem> {
    let mut rules = Rules::default();
    if let Some(words) = &playbook.max_sentence_words {
        rules.max_sentence_words = usize::try_from(*words.get_ref())
            .ok()
            .filter(|words| *words >= 5)
            .ok_or_else(|| {
                problem(
                    words,
                    format!("`max_sentence_words` is {}", words.get_ref()),
                    Some("use a number of words of 5 or more, like 35".to_string()),
                )
            })?;
    }
    // The house list: internal names are internal details, wherever a public post says them.
    let mut internal = rules.get(Rule::InternalDetail).clone();
    for name in playbook.internal_names.iter().flatten() {
        internal.phrases.push(words(name, "internal name")?);
    }
    rules.set(Rule::InternalDetail, internal);
    let raw = &playbook.rules;
    for (id, table) in raw {
        let rule = Rule::from_id(id).ok_or_else(|| {
            let ids = Rule::ALL.map(Rule::id);
            problem(
                table,
                format!("unknown rule `{id}` in `[playbook.rules]`"),
                Some(crate::vocab::suggestion(id, "rules", &ids)),
            )
        })?;
        rules.set(rule, settings(rule, table, rules.get(rule))?);
    }
    Ok(rules)
}

fn settings(
    rule: Rule,
    table: &Spanned<RawRule>,
    defaults: &RuleSettings,
) -> Result<RuleSettings, PlaybookProblem> {
    let raw = table.get_ref();
    let mut settings = defaults.clone();
    if let Some(enabled) = raw.enabled {
        settings.enabled = enabled;
    }
    if let Some(level) = &raw.level {
        settings.level = Level::parse(level.get_ref()).ok_or_else(|| {
            problem(
                level,
                format!("unknown level `{}` for rule `{rule}`", level.get_ref()),
                Some("use `error` or `warning`".to_string()),
            )
        })?;
    }
    let replace = raw.replace_defaults.unwrap_or(false);
    if replace {
        settings.phrases.clear();
        settings.patterns.clear();
    }
    let takes_text = rule.phrase_use() != PhraseUse::None;
    if let Some(phrases) = &raw.phrases {
        for phrase in phrases {
            if !takes_text {
                return Err(no_phrases(rule, phrase, "phrases"));
            }
            settings.phrases.push(words(phrase, "phrase")?);
        }
    }
    for exception in raw.exceptions.iter().flatten() {
        settings.exceptions.push(words(exception, "exception")?);
    }
    if let Some(patterns) = &raw.patterns {
        for pattern in patterns {
            if !takes_text {
                return Err(no_phrases(rule, pattern, "patterns"));
            }
            Matcher::new(&[], std::slice::from_ref(pattern.get_ref())).map_err(|error| {
                let cause = error.to_string();
                let last = cause.lines().last().unwrap_or_default().trim().to_string();
                problem(
                    pattern,
                    format!(
                        "pattern `{}` is not a valid regular expression: {last}",
                        pattern.get_ref()
                    ),
                    Some(
                        "patterns use Rust `regex` syntax; `(?i)` makes one case-insensitive"
                            .to_string(),
                    ),
                )
            })?;
            settings.patterns.push(pattern.get_ref().clone());
        }
    }
    if replace
        && rule.phrase_use() == PhraseUse::Required
        && settings.phrases.is_empty()
        && settings.patterns.is_empty()
    {
        return Err(problem(
            table,
            format!(
                "rule `{rule}` needs at least one phrase or pattern once its defaults are replaced"
            ),
            Some("to turn the rule off, set `enabled = false`".to_string()),
        ));
    }
    Ok(settings)
}

/// Returns the phrase, or the error for one with no words to match (`what` names it).
fn words(phrase: &Spanned<String>, what: &str) -> Result<String, PlaybookProblem> {
    match phrase_pattern(phrase.get_ref()) {
        Some(_) => Ok(phrase.get_ref().clone()),
        None => Err(problem(
            phrase,
            format!("{what} `{}` has no words to match", phrase.get_ref()),
            None,
        )),
    }
}

fn no_phrases<T>(rule: Rule, at: &Spanned<T>, key: &str) -> PlaybookProblem {
    problem(
        at,
        format!("rule `{rule}` takes no `{key}`"),
        Some("only `enabled` and `level` can be changed for it".to_string()),
    )
}
