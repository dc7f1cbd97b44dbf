//! `CommandError`: what a command failed with, its kind (which alone picks the exit code)
//! and the hints shown under it.

use std::fmt;

use crate::config::ConfigError;
use crate::fsutil::IoError;
use crate::record::id::PrefixError;
use crate::record::{FoldError, StoreError};
use crate::render::RenderError;
use crate::site::SiteError;
use crate::time::TimeError;

/// What kind of failure, and so which exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Checks found problems (lint errors, overdue updates): exit 1.
    Findings,
    /// Bad usage, input, configuration or record, or a local I/O failure: exit 2.
    Usage,
    /// A remote target failed; the failure is recorded: exit 3.
    Remote,
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
        }
    }
}

/// A command's failure: a one-line message and optional hints.
#[derive(Debug)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    pub hints: Vec<String>,
}

impl CommandError {
    /// Returns a bad-usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError {
            kind: ErrorKind::Usage,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Returns a findings error (exit 1).
    pub fn findings(message: impl Into<String>) -> CommandError {
        CommandError {
            kind: ErrorKind::Findings,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Returns a remote-failure error (exit 3): the failure is recorded for a retry.
    pub fn remote(message: impl Into<String>) -> CommandError {
        CommandError {
            kind: ErrorKind::Remote,
            message: message.into(),
            hints: Vec::new(),
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
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ConfigError> for CommandError {
    fn from(error: ConfigError) -> CommandError {
        let hint = error.hint();
        let mut command_error = CommandError::usage(error.to_string());
        command_error.hints.extend(hint);
        command_error
    }
}

impl From<TimeError> for CommandError {
    fn from(error: TimeError) -> CommandError {
        CommandError::usage(error.to_string()).hint(error.hint())
    }
}

impl From<IoError> for CommandError {
    fn from(error: IoError) -> CommandError {
        CommandError::usage(error.to_string())
    }
}

impl From<PrefixError> for CommandError {
    fn from(error: PrefixError) -> CommandError {
        let hint = match &error {
            PrefixError::NotFound { .. } => "`incident list --all` shows every incident",
            PrefixError::Ambiguous { .. } => "type more characters of the id",
        };
        CommandError::usage(error.to_string()).hint(hint)
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> CommandError {
        match error {
            StoreError::Prefix(prefix) => prefix.into(),
            StoreError::IdTaken { .. } => CommandError::usage(error.to_string())
                .hint("choose another `--id`, or leave it out to get a fresh one"),
            StoreError::Io(_) | StoreError::Empty { .. } => CommandError::usage(error.to_string()),
        }
    }
}

impl From<FoldError> for CommandError {
    fn from(error: FoldError) -> CommandError {
        CommandError::usage(error.to_string())
    }
}

impl From<RenderError> for CommandError {
    fn from(error: RenderError) -> CommandError {
        CommandError::usage(error.to_string())
            .hint("fix the template, or delete the override to use the built-in one")
    }
}

impl From<SiteError> for CommandError {
    fn from(error: SiteError) -> CommandError {
        match error {
            SiteError::Io(error) => error.into(),
            SiteError::Store(error) => error.into(),
            SiteError::Render(error) => error.into(),
            SiteError::Update { .. } => CommandError::usage(error.to_string())
                .hint("fix the status template, or delete the override to use the built-in one"),
            SiteError::OutHoldsRecord { .. } => CommandError::usage(error.to_string())
                .hint("pass `--out` a folder of its own, such as `site`"),
        }
    }
}
