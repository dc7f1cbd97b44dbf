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

    #[test]
    fn suggestions() {
        let fields = ["org", "severities", "components", "targets"];
        assert_eq!(did_you_mean("severites", fields), Some("severities"));
        assert_eq!(did_you_mean("zzz", fields), None);
        assert_eq!(did_you_mean("sev4", ["sev1", "sev2", "sev3"]), None);
    }
}
