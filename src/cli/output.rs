//! `Printer`: the one place that writes to the terminal. Data (and `--json`) goes to stdout;
//! status, warnings, hints and errors go to stderr.
#![allow(clippy::print_stderr)]

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Write;
use std::rc::Rc;

use console::style;
use serde::Serialize;

use super::{ColorChoice, GlobalArgs};
use crate::env::Env;
use crate::error::{CommandError, ErrorKind};

/// Writes output according to `--quiet`, `--verbose`, `--json` and `--color`.
#[derive(Debug, Clone)]
pub struct Printer {
    quiet: bool,
    verbose: bool,
    json: bool,
    warned: Rc<RefCell<HashSet<String>>>,
}

impl Printer {
    pub fn new(global: &GlobalArgs, env: &Env) -> Printer {
        let colors = match global.color {
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
            ColorChoice::Auto if env.no_color => Some(false),
            ColorChoice::Auto => None,
        };
        if let Some(enabled) = colors {
            console::set_colors_enabled(enabled);
            console::set_colors_enabled_stderr(enabled);
        }
        Printer {
            quiet: global.quiet,
            verbose: global.verbose,
            json: global.json,
            warned: Rc::default(),
        }
    }

    /// Returns whether `-q` was given.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Returns whether `--json` was given.
    pub fn json_mode(&self) -> bool {
        self.json
    }

    /// Writes data to stdout. A closed pipe ends the command quietly.
    pub fn out(&self, text: &str) -> Result<(), CommandError> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(stdout_failed)
    }

    /// Writes `value` as pretty JSON and a newline to stdout, streamed rather than built
    /// whole first: a long incident is megabytes of JSON.
    pub fn json<T: Serialize>(&self, value: &T) -> Result<(), CommandError> {
        let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut stdout, value).map_err(|error| {
            match error.io_error_kind() {
                Some(kind) => stdout_failed(kind.into()),
                None => CommandError::usage(format!("cannot write JSON: {error}")),
            }
        })?;
        stdout
            .write_all(b"\n")
            .and_then(|()| stdout.flush())
            .map_err(stdout_failed)
    }

    /// Tells the person what happened (stderr; hidden by `-q`).
    pub fn status(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Shows a success line with a check mark (stderr; hidden by `-q`).
    pub fn success(&self, text: &str) {
        if !self.quiet {
            eprintln!("{} {text}", style("✓").for_stderr().green().bold());
        }
    }

    /// Shows guidance before a question (stderr).
    pub fn guidance(&self, text: &str) {
        eprintln!("  {}", style(text).for_stderr().dim());
    }

    /// Shows a stage heading (stderr).
    pub fn heading(&self, text: &str) {
        eprintln!("{}", style(text).for_stderr().bold());
    }

    /// Warns once per distinct message per run (stderr; shown even with `-q`).
    pub fn warn(&self, text: &str) {
        if self.warned.borrow_mut().insert(text.to_string()) {
            eprintln!("{} {text}", style("warning:").for_stderr().yellow().bold());
        }
    }

    /// Logs a detail for `-v` (stderr).
    pub fn debug(&self, text: &str) {
        if self.verbose {
            eprintln!("{} {text}", style("debug:").for_stderr().dim());
        }
    }

    /// Reports a failed command: `error: …` and `hint: …` lines (stderr).
    pub fn error(&self, error: &CommandError) {
        eprintln!(
            "{} {}",
            style("error:").for_stderr().red().bold(),
            error.message
        );
        for hint in &error.hints {
            eprintln!("{} {hint}", style("hint:").for_stderr().cyan().bold());
        }
    }
}

/// A failed write to stdout: a reader that went away ends the command quietly.
fn stdout_failed(error: std::io::Error) -> CommandError {
    match error.kind() {
        std::io::ErrorKind::BrokenPipe => CommandError {
            kind: ErrorKind::BrokenPipe,
            message: String::new(),
            hints: Vec::new(),
        },
        _ => CommandError::usage(format!("cannot write to stdout: {error}")),
    }
}
