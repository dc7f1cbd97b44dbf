//! Questions asked through dialoguer, and the decision whether asking is allowed at all.
//!
//! dialoguer only checks stderr for a terminal and otherwise reads keys from `/dev/tty`, so
//! with stdin piped it would wait on a keyboard nobody is at. We decide for ourselves: prompt
//! only when stdin and stderr are both terminals, `--no-input` is absent and `CI` is unset.
//! Otherwise a question with a default takes it, and one without is an error naming its flag.

use std::io::IsTerminal;

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::output::Printer;
use crate::error::CommandError;

/// Asks questions when a person is there to answer them.
#[derive(Debug, Clone)]
pub struct Prompter {
    interactive: bool,
    printer: Printer,
}

/// One question: its prompt, one line of guidance, and the flag that answers it instead.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    pub prompt: &'a str,
    pub guidance: &'a str,
    pub flag: &'a str,
}

impl Prompter {
    pub fn new(no_input: bool, ci: bool, printer: Printer) -> Prompter {
        let interactive =
            !no_input && !ci && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if interactive {
            restore_cursor_on_interrupt();
        }
        Prompter {
            interactive,
            printer,
        }
    }

    pub fn is_interactive(&self) -> bool {
        self.interactive
    }

    /// Asks for text. Without a terminal, returns `default`, or fails naming the flag.
    ///
    /// An empty answer is allowed only when `required` is false; `check` validates the text.
    pub fn text(
        &self,
        question: Question,
        default: Option<&str>,
        required: bool,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<String, CommandError> {
        if !self.interactive {
            return match default {
                Some(default) => Ok(default.to_string()),
                None if !required => Ok(String::new()),
                None => Err(CommandError::missing(question.flag)),
            };
        }
        self.printer.guidance(question.guidance);
        let theme = ColorfulTheme::default();
        // Empty answers reach the check, so a required one says why it is asked again
        // rather than silently asking again, which looks like a hang.
        let mut input = Input::<String>::with_theme(&theme)
            .with_prompt(question.prompt)
            .allow_empty(true)
            .validate_with(|text: &String| {
                let text = text.trim();
                if text.is_empty() && required {
                    return Err("required: type an answer (Ctrl-C stops)".to_string());
                }
                check(text)
            });
        if let Some(default) = default {
            input = input.default(default.to_string());
        }
        let answer = input
            .interact_text()
            .map_err(|error| prompt_failed(error, question.flag))?;
        Ok(answer.trim().to_string())
    }

    /// Asks for one of `items` with the arrow keys. Without a terminal, returns `default`.
    pub fn select(
        &self,
        question: Question,
        items: &[String],
        default: usize,
    ) -> Result<usize, CommandError> {
        if !self.interactive {
            return Ok(default);
        }
        self.printer.guidance(question.guidance);
        Select::with_theme(&ColorfulTheme::default())
            .with_prompt(question.prompt)
            .items(items)
            .default(default)
            .interact_opt()
            .map_err(|error| prompt_failed(error, question.flag))?
            .ok_or_else(cancelled)
    }

    /// Asks for one of `items` with nothing chosen in advance: Enter picks nothing until an
    /// arrow key has moved to an answer. For questions whose answer nobody may assume.
    /// Without a terminal this is an error naming the flag.
    pub fn choose(&self, question: Question, items: &[String]) -> Result<usize, CommandError> {
        if !self.interactive {
            return Err(CommandError::missing(question.flag));
        }
        self.printer.guidance(&format!(
            "{} Nothing is chosen for you: pick with the arrow keys, then Enter.",
            question.guidance
        ));
        Select::with_theme(&ColorfulTheme::default())
            .with_prompt(question.prompt)
            .items(items)
            .interact_opt()
            .map_err(|error| prompt_failed(error, question.flag))?
            .ok_or_else(cancelled)
    }

    /// Asks yes or no (default no). Without a terminal this is an error naming the flag
    /// that says yes in advance: nothing irreversible happens unasked.
    pub fn confirm(&self, question: Question) -> Result<bool, CommandError> {
        if !self.interactive {
            return Err(CommandError::missing(question.flag));
        }
        self.printer.guidance(question.guidance);
        Confirm::with_theme(&ColorfulTheme::default())
            .with_prompt(question.prompt)
            .default(false)
            .interact_opt()
            .map_err(|error| prompt_failed(error, question.flag))
            .map(|answer| answer.unwrap_or(false))
    }

    /// Asks for any of `items` (space toggles, Enter confirms), those in `checked` chosen to
    /// start with. Without a terminal, those in `checked`.
    pub fn multi_select(
        &self,
        question: Question,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, CommandError> {
        if !self.interactive || items.is_empty() {
            return Ok(checked
                .iter()
                .enumerate()
                .filter(|(_, on)| **on)
                .map(|(index, _)| index)
                .collect());
        }
        self.printer.guidance(question.guidance);
        MultiSelect::with_theme(&ColorfulTheme::default())
            .with_prompt(question.prompt)
            .items(items)
            .defaults(checked)
            .interact_opt()
            .map_err(|error| prompt_failed(error, question.flag))?
            .ok_or_else(cancelled)
    }
}

fn prompt_failed(error: dialoguer::Error, flag: &str) -> CommandError {
    let dialoguer::Error::IO(io) = error;
    match io.kind() {
        std::io::ErrorKind::NotConnected => CommandError::missing(flag),
        std::io::ErrorKind::Interrupted => {
            // Ctrl-C read as a key in a list: dialoguer leaves the cursor hidden.
            let _ = console::Term::stderr().show_cursor();
            cancelled()
        }
        _ => CommandError::usage(format!("cannot ask for `{flag}`: {io}")),
    }
}

/// Ctrl-C as a signal (outside a list, which reads it as a key) would leave the cursor
/// hidden if it came while dialoguer hid it; show it again and exit 130 as a shell expects
/// of an interrupted command.
fn restore_cursor_on_interrupt() {
    std::thread::spawn(|| {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
            let stderr = console::Term::stderr();
            let _ = stderr.show_cursor();
            let _ = stderr.write_line("\ninterrupted");
            std::process::exit(130);
        }
    });
}

fn cancelled() -> CommandError {
    CommandError::usage("cancelled; nothing was recorded")
}
