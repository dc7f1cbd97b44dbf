//! `Printer`: the one place that writes to the terminal. Data (and `--json`) goes to stdout;
//! status, warnings, hints and errors go to stderr.
//!
//! Titles, messages and server answers are text from people and remotes, so whatever is
//! written goes through [`visible`]: a control character (an `ESC]0;…BEL` that retitles the
//! window, an `ESC[2J` that clears it, OSC 52 that writes the clipboard) shows as `\u{1b}`
//! instead of acting. Only the `*_styled` writers pass text as is, for lines whose colors we
//! made around parts already made visible.
#![allow(clippy::print_stderr)]

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Write;
use std::rc::Rc;

use console::style;
use serde::Serialize;

use chrono::{DateTime, Utc};

use super::global::{ColorChoice, GlobalArgs};
use crate::env::Env;
use crate::error::{CommandError, ErrorKind};
use crate::lint::{Finding, Tally};
use crate::playbook::Level;
use crate::render::Draft;
use crate::time;
use crate::vocab::plural;

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

    /// Writes data to stdout, control characters made [`visible`]. A closed pipe ends the
    /// command quietly.
    pub fn out(&self, text: &str) -> Result<(), CommandError> {
        self.out_styled(&visible(text))
    }

    /// Writes to stdout as is: text this program made whole (completion scripts, a man
    /// page), or colored lines whose parts from people went through [`visible`].
    pub fn out_styled(&self, text: &str) -> Result<(), CommandError> {
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
        super::json::to_writer_pretty(&mut stdout, value).map_err(|error| {
            match error.io_error_kind() {
                Some(kind) => stdout_failed(kind.into()),
                None => CommandError::local("cannot write JSON").because(error),
            }
        })?;
        stdout
            .write_all(b"\n")
            .and_then(|()| stdout.flush())
            .map_err(stdout_failed)
    }

    /// Tells the person what happened (stderr; hidden by `-q`).
    pub fn status(&self, text: &str) {
        self.status_styled(&visible(text));
    }

    /// Tells the person what happened, as is: a colored line whose parts from people went
    /// through [`visible`] (stderr; hidden by `-q`).
    pub fn status_styled(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Shows what the person can do next, as a `hint:` line (stderr; hidden by `-q`).
    pub fn hint(&self, text: &str) {
        if !self.quiet {
            eprintln!(
                "{} {}",
                style("hint:").for_stderr().cyan().bold(),
                visible(text)
            );
        }
    }

    /// Shows a success line with a check mark (stderr; hidden by `-q`).
    pub fn success(&self, text: &str) {
        if !self.quiet {
            eprintln!(
                "{} {}",
                style("✓").for_stderr().green().bold(),
                visible(text)
            );
        }
    }

    /// Shows guidance before a question (stderr).
    pub fn guidance(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        eprintln!("  {}", style(visible(text)).for_stderr().dim());
    }

    /// Shows a stage heading (stderr).
    pub fn heading(&self, text: &str) {
        eprintln!("{}", style(visible(text)).for_stderr().bold());
    }

    /// Warns once per distinct message per run (stderr; shown even with `-q`).
    pub fn warn(&self, text: &str) {
        if self.warned.borrow_mut().insert(text.to_string()) {
            eprintln!(
                "{} {}",
                style("warning:").for_stderr().yellow().bold(),
                visible(text)
            );
        }
    }

    /// Logs a detail for `-v` (stderr).
    pub fn debug(&self, text: &str) {
        if self.verbose {
            eprintln!("{} {}", style("debug:").for_stderr().dim(), visible(text));
        }
    }

    /// Reports a failed command: `error: …` and `hint: …` lines (stderr).
    pub fn error(&self, error: &CommandError) {
        eprintln!(
            "{} {}",
            style("error:").for_stderr().red().bold(),
            visible(&error.message)
        );
        for hint in &error.hints {
            eprintln!(
                "{} {}",
                style("hint:").for_stderr().cyan().bold(),
                visible(hint)
            );
        }
        for cause in error.causes() {
            eprintln!(
                "{} {}",
                style("caused by:").for_stderr().dim(),
                visible(&cause.to_string())
            );
        }
    }
}

/// A write to stdout that failed for another reason than its reader leaving.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to stdout")]
struct StdoutError(#[source] std::io::Error);

/// A failed write to stdout: a reader that went away ends the command quietly.
fn stdout_failed(error: std::io::Error) -> CommandError {
    match error.kind() {
        std::io::ErrorKind::BrokenPipe => CommandError::broken_pipe(),
        _ => CommandError::caused(ErrorKind::Local, StdoutError(error)),
    }
}

/// Returns `text` with every control character but line feed and tab written as a visible
/// escape (`\u{1b}`, `\u{7}`, `\u{d}`), and the bidirectional overrides that reorder what
/// a terminal shows as well: how text from people and remotes reaches a terminal.
pub fn visible(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Lays out rows in columns separated by two spaces; the last column is not padded. Cells
/// are made [`visible`] first, so the columns line up as shown.
pub fn table<const N: usize>(header: &[String; N], rows: &[[String; N]]) -> String {
    let visible_row = |row: &[String; N]| row.clone().map(|cell| visible(&cell).into_owned());
    let header = visible_row(header);
    let rows: Vec<[String; N]> = rows.iter().map(visible_row).collect();
    let header = &header;
    let rows = rows.as_slice();
    let mut widths = [0usize; N];
    for row in std::iter::once(header).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(console::measure_text_width(cell));
        }
    }
    let mut text = String::new();
    for row in std::iter::once(header).chain(rows) {
        for (index, cell) in row.iter().enumerate() {
            if index + 1 == N {
                text.push_str(cell);
            } else {
                let pad = widths[index] - console::measure_text_width(cell);
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        text.push('\n');
    }
    text
}

/// Returns every draft under a heading naming its channel.
pub fn sections(drafts: &[Draft]) -> String {
    let mut text = String::new();
    for draft in drafts {
        let edited = if draft.edited { " (edited)" } else { "" };
        let heading = format!("── {}{edited} ", draft.channel);
        text.push_str(&format!("{heading:─<60}\n"));
        text.push_str(&draft.plain());
        text.push('\n');
    }
    text
}

/// Returns findings for people: one line each, `level[rule] place: message`, and a hint;
/// colored for stderr or stdout, so written with the `*_styled` writers: the message and
/// hint, which quote drafts, are made [`visible`] here.
pub fn describe(findings: &[Finding], for_stderr: bool) -> String {
    let paint = |text: String| {
        let styled = style(text);
        if for_stderr {
            styled.for_stderr()
        } else {
            styled
        }
    };
    let mut text = String::new();
    for finding in findings {
        let label = format!("{}[{}]", finding.level, finding.rule);
        let label = match finding.level {
            Level::Error => paint(label).red().bold(),
            Level::Warning => paint(label).yellow().bold(),
        };
        let mut place = finding
            .channel
            .map(|channel| channel.to_string())
            .unwrap_or_else(|| "record".to_string());
        if let Some(span) = &finding.span {
            place.push_str(&format!(":{}:{}", span.line, span.column));
        }
        text.push_str(&format!("{label} {place}: {}", visible(&finding.message)));
        if !finding.also_in.is_empty() {
            let others: Vec<&str> = finding
                .also_in
                .iter()
                .map(|channel| channel.name())
                .collect();
            text.push_str(&format!(" (also in {})", others.join(", ")));
        }
        text.push_str(&format!(
            "\n  {} {}\n",
            paint("hint:".to_string()).cyan(),
            visible(finding.hint)
        ));
        if let Some(suggestion) = finding.suggestion {
            text.push_str(&format!(
                "  {} {}\n",
                paint("try:".to_string()).green(),
                visible(suggestion)
            ));
        }
    }
    text
}

/// Returns "2 errors and 1 warning".
pub fn summary(tally: Tally) -> String {
    format!(
        "{} and {}",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    )
}

/// Says when the next update is due relative to now: "in 12 minutes", "overdue by 5 minutes".
pub fn next_update_text(next: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match next {
        None => "-".to_string(),
        Some(next) if next >= now => format!("in {}", time::human_duration(next - now)),
        Some(next) => format!("OVERDUE by {}", time::human_duration(now - next)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_update_wording() {
        let now: DateTime<Utc> = "2026-11-24T08:00:00Z".parse().unwrap();
        let later = "2026-11-24T08:12:00Z".parse().unwrap();
        let earlier = "2026-11-24T07:55:00Z".parse().unwrap();
        assert_eq!(next_update_text(Some(later), now), "in 12 minutes");
        assert_eq!(next_update_text(Some(earlier), now), "OVERDUE by 5 minutes");
        assert_eq!(next_update_text(None, now), "-");
    }

    #[test]
    fn control_characters_show_as_escapes() {
        assert_eq!(
            visible("a\u{1b}]0;pwned\u{7}b\u{1b}[2J\r\n\tc\u{9b}\u{202e}"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2J\\u{d}\n\tc\\u{9b}\\u{202e}"
        );
        assert!(matches!(visible("plain\ntext"), Cow::Borrowed(_)));
    }

    #[test]
    fn table_aligns() {
        let header = ["A".to_string(), "B".to_string()];
        let rows = [["long".to_string(), "x".to_string()]];
        assert_eq!(table(&header, &rows), "A     B\nlong  x\n");
    }
}
