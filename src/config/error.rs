//! `ConfigError`: why `incident.toml` could not be found, read or trusted.

use std::path::PathBuf;

/// A problem with the configuration file; every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no `incident.toml` found in `{}` or any parent folder", start.display())]
    NotFound { start: PathBuf },
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` line {line}, column {column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        hint: Option<String>,
    },
}

impl ConfigError {
    /// Returns what the person can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::NotFound { .. } => Some(
                "run `incident init` to create one, or point `--config` or `INCIDENT_CONFIG` at it"
                    .to_string(),
            ),
            ConfigError::Read { .. } => None,
            ConfigError::Invalid { hint, .. } => hint.clone(),
        }
    }
}

/// Returns the 1-based line and column of byte `offset` in `source`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Turns toml's message into one line, with a did-you-mean hint for unknown keys and values.
pub(super) fn explain_toml_error(message: &str) -> (String, Option<String>) {
    let message = message.trim().replace('\n', " ");
    let unknown = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix));
    let Some(rest) = unknown else {
        return (message, None);
    };
    let Some((word, expected)) = rest.split_once('`') else {
        return (message, None);
    };
    // "expected one of `a`, `b`" and "expected `a` or `b`": every other piece is a name.
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let what = if message.starts_with("unknown field") {
        "key"
    } else {
        "value"
    };
    if candidates.is_empty() {
        return (message, None);
    }
    let plural = if what == "key" { "keys" } else { "values" };
    let hint = crate::vocab::suggestion(word, plural, &candidates);
    (format!("unknown {what} `{word}`"), Some(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let source = "a = 1\nbé = 2\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 6), (2, 1));
        assert_eq!(line_column(source, 9), (2, 3));
        assert_eq!(line_column(source, 1000), (3, 1));
    }
}
