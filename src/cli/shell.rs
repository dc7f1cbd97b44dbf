//! `incident completions` and `incident man`: shell completion scripts and the manual page,
//! generated from the same clap definitions as the commands themselves.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Session};
use crate::error::CommandError;

/// Print a shell completion script (see the README for where to put it)
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    shell: Shell,
}

/// Print the manual page (roff), for `man`
#[derive(Debug, Args)]
pub struct ManArgs {}

pub fn completions(args: CompletionsArgs, session: &Session) -> Result<(), CommandError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "incident", &mut script);
    session.printer.out(&String::from_utf8_lossy(&script))
}

pub fn man(_args: ManArgs, session: &Session) -> Result<(), CommandError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|error| CommandError::usage(format!("cannot write the manual page: {error}")))?;
    session.printer.out(&String::from_utf8_lossy(&page))
}
