//! `CommandError`: what a command failed with, its kind (which alone picks the exit code),
//! the hints shown under it and the error that caused it. Every conversion of a module's
//! error into a command error is in this file.

use std::error::Error;
use std::fmt;

use crate::config::ConfigError;
use crate::fsutil::IoError;
use crate::record::id::PrefixError;
use crate::record::maintenance::Refused;
use crate::record::{FoldError, StoreError};
use crate::render::RenderError;
use crate::site::SiteError;
use crate::time::TimeError;

/// What kind of failure, and so which exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Checks found problems (lint errors, overdue updates): exit 1.
    Findings,
    /// Bad usage, input, configuration or record: exit 2.
    Usage,
    /// A remote target failed; the failure is recorded: exit 3.
    Remote,
    /// This machine failed us: a file could not be written or read (disk full, permission,
    /// a folder that is a file): exit 4. Nothing was wrong with what was asked.
    Local,
    /// stdout was closed by the reader (`incident list | head`): exit 0, say nothing.
    BrokenPipe,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::BrokenPipe => 0,
            ErrorKind::Findings => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Remote => 3,
            ErrorKind::Local => 4,
        }
    }
}

/// A command's failure: a one-line message, optional hints, and the error behind it.
#[derive(Debug)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    pub hints: Vec<String>,
    /// The error the message is about; its own sources are the "caused by" lines.
    source: Option<Box<dyn Error + Send + Sync + 'static>>,
}

impl CommandError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> CommandError {
        CommandError {
            kind,
            message: message.into(),
            hints: Vec::new(),
            source: None,
        }
    }

    /// Returns a bad-usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Usage, message)
    }

    /// Returns a findings error (exit 1).
    pub fn findings(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Findings, message)
    }

    /// Returns a remote-failure error (exit 3): the failure is recorded for a retry.
    pub fn remote(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Remote, message)
    }

    /// Returns the error for stdout closed by its reader: the command ends quietly.
    pub fn broken_pipe() -> CommandError {
        CommandError::new(ErrorKind::BrokenPipe, "")
    }

    /// Returns an error of `kind` about `error`: its message is the error's own line, and
    /// the errors under it become the cause chain.
    pub fn caused(kind: ErrorKind, error: impl Error + Send + Sync + 'static) -> CommandError {
        CommandError {
            kind,
            message: own_line(&error),
            hints: Vec::new(),
            source: Some(Box::new(error)),
        }
    }

    /// Returns a local-failure error (exit 4): this machine could not read or write.
    pub fn local(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Local, message)
    }

    /// Puts `cause` under the message, as the first "caused by" line.
    pub fn because(self, cause: impl Error + Send + Sync + 'static) -> CommandError {
        let wrapped = Wrapped {
            message: self.message.clone(),
            cause: Box::new(cause),
        };
        CommandError {
            source: Some(Box::new(wrapped)),
            ..self
        }
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> CommandError {
        self.hints.push(hint.into());
        self
    }

    /// Returns the error for an answer that is missing and cannot be asked for.
    pub fn missing(flag: &str) -> CommandError {
        CommandError::usage(format!("missing `{flag}` (no terminal to prompt on)")).hint(format!(
            "pass `{flag}`, or run in a terminal without `--no-input` or `CI`"
        ))
    }

    /// Returns the causes under the message, outermost first, each as its own line.
    pub fn causes(&self) -> Vec<String> {
        let mut causes = Vec::new();
        let mut next = self.source.as_deref().and_then(|error| error.source());
        while let Some(error) = next {
            let line = own_line(error);
            // A wrapper that only repeats what it wraps adds no line.
            if causes.last() != Some(&line) && line != self.message {
                causes.push(line);
            }
            next = error.source();
        }
        causes
    }
}

/// A message of our own over the error that caused it.
#[derive(Debug)]
struct Wrapped {
    message: String,
    cause: Box<dyn Error + Send + Sync + 'static>,
}

impl fmt::Display for Wrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Wrapped {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.cause)
    }
}

/// Returns an error's message without the text of its source, which many errors append
/// after a colon (`cannot read x: permission denied`) and the cause chain shows on its own.
fn own_line(error: &(dyn Error + 'static)) -> String {
    let text = error.to_string();
    match error.source() {
        Some(source) => {
            let suffix = format!(": {source}");
            match text.strip_suffix(&suffix) {
                Some(own) if !own.is_empty() => own.to_string(),
                _ => text,
            }
        }
        None => text,
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ConfigError> for CommandError {
    fn from(error: ConfigError) -> CommandError {
        let hint = error.hint();
        let mut command_error = CommandError::caused(ErrorKind::Usage, error);
        command_error.hints.extend(hint);
        command_error
    }
}

impl From<TimeError> for CommandError {
    fn from(error: TimeError) -> CommandError {
        let hint = error.hint();
        CommandError::caused(ErrorKind::Usage, error).hint(hint)
    }
}

impl From<IoError> for CommandError {
    fn from(error: IoError) -> CommandError {
        CommandError::caused(ErrorKind::Local, error)
    }
}

impl From<PrefixError> for CommandError {
    fn from(error: PrefixError) -> CommandError {
        let hint = match &error {
            PrefixError::NotFound { .. } => "`incident list --all` shows every incident",
            PrefixError::Ambiguous { .. } => "type more characters of the id",
        };
        CommandError::caused(ErrorKind::Usage, error).hint(hint)
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> CommandError {
        match error {
            StoreError::Prefix(prefix) => prefix.into(),
            StoreError::Io(io) => io.into(),
            StoreError::IdTaken { .. } => CommandError::caused(ErrorKind::Usage, error)
                .hint("choose another `--id`, or leave it out to get a fresh one"),
            StoreError::Empty { .. } => CommandError::caused(ErrorKind::Usage, error),
        }
    }
}

impl From<Refused> for CommandError {
    fn from(error: Refused) -> CommandError {
        match error {
            Refused::Store(error) => error.into(),
            Refused::Fold(error) => error.into(),
            Refused::NotAWindow { .. } => CommandError::caused(ErrorKind::Usage, error)
                .hint("`incident maintenance list` shows the windows"),
            Refused::NotAllowed(_) => CommandError::caused(ErrorKind::Usage, error),
        }
    }
}

impl From<FoldError> for CommandError {
    fn from(error: FoldError) -> CommandError {
        CommandError::caused(ErrorKind::Usage, error)
    }
}

impl From<RenderError> for CommandError {
    fn from(error: RenderError) -> CommandError {
        CommandError::caused(ErrorKind::Usage, error)
            .hint("fix the template, or delete the override to use the built-in one")
    }
}

impl From<SiteError> for CommandError {
    fn from(error: SiteError) -> CommandError {
        match error {
            SiteError::Io(error) => error.into(),
            SiteError::Store(error) => error.into(),
            SiteError::Render(error) => error.into(),
            SiteError::Update { .. } => CommandError::caused(ErrorKind::Usage, error)
                .hint("fix the status template, or delete the override to use the built-in one"),
            SiteError::OutHoldsRecord { .. } => CommandError::caused(ErrorKind::Usage, error)
                .hint("pass `--out` a folder of its own, such as `site`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_leaves_out_what_the_message_already_says() {
        let io = IoError {
            action: "write",
            path: "incidents/x/events.jsonl".into(),
            source: std::io::Error::other("No space left on device"),
        };
        let error = CommandError::from(io);
        assert_eq!(error.kind.exit_code(), 4);
        assert_eq!(error.message, "cannot write `incidents/x/events.jsonl`");
        assert_eq!(error.causes(), ["No space left on device"]);
    }

    #[test]
    fn a_site_update_error_shows_the_template_error_as_its_cause() {
        let error = CommandError::from(SiteError::Update {
            id: "k3f9q2m".into(),
            seq: 2,
            source: RenderError {
                place: "template `templates/status.md` line 3".into(),
                line: Some(3),
                cause: "undefined value".into(),
            },
        });
        assert_eq!(error.message, "incident `k3f9q2m` update 2");
        assert_eq!(
            error.causes(),
            ["template `templates/status.md` line 3: undefined value"]
        );
    }
}
