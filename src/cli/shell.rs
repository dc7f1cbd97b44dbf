//! `incident completions` and `incident man`: shell completion scripts and the manual page,
//! generated from the same clap definitions as the commands themselves.

use clap::Args;
use clap_complete::Shell;

use super::session::Session;
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

/// Prints the completion script for `cli`, the whole command line.
pub fn completions(
    args: CompletionsArgs,
    mut cli: clap::Command,
    session: &Session,
) -> Result<(), CommandError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cli, "incident", &mut script);
    session
        .printer
        .out_styled(&String::from_utf8_lossy(&script))
}

/// Prints the manual page of `cli`, the whole command line.
pub fn man(_args: ManArgs, cli: clap::Command, session: &Session) -> Result<(), CommandError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cli)
        .render(&mut page)
        .map_err(|error| CommandError::local("cannot write the manual page").because(error))?;
    session.printer.out_styled(&String::from_utf8_lossy(&page))
}
