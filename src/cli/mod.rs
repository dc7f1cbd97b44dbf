//! The command line: clap definitions, global flags, and the flat dispatch to one module
//! per subcommand.

mod answers;
mod approve;
mod due;
mod edit;
mod global;
mod init;
mod json;
mod lint;
mod list;
mod maintenance;
mod open;
mod output;
mod postmortem;
mod presets;
mod progress;
mod prompt;
mod publish;
mod publishing;
mod render;
mod reopen;
mod resolve;
mod revise;
mod session;
mod shell;
mod show;
mod site;
mod tick;
mod update;
mod walkthrough;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::error::{CommandError, ErrorKind};
use global::GlobalArgs;
use output::Printer;
use session::Session;

/// Incident communication: record an incident, walk the playbook, tell people.
#[derive(Debug, Parser)]
#[command(name = "incident", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::InitArgs),
    Open(open::OpenArgs),
    Update(update::UpdateArgs),
    Resolve(resolve::ResolveArgs),
    Reopen(reopen::ReopenArgs),
    Correct(revise::CorrectArgs),
    Retract(revise::RetractArgs),
    List(list::ListArgs),
    Show(show::ShowArgs),
    Render(render::RenderArgs),
    Edit(edit::EditArgs),
    Lint(lint::LintArgs),
    Due(due::DueArgs),
    Approve(approve::ApproveArgs),
    Publish(publish::PublishArgs),
    Postmortem(postmortem::PostmortemArgs),
    Site(site::SiteArgs),
    Maintenance(maintenance::MaintenanceArgs),
    Presets(presets::PresetsArgs),
    Tick(tick::TickArgs),
    Completions(shell::CompletionsArgs),
    Man(shell::ManArgs),
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = crate::env::Env::from_process();
    let printer = Printer::new(&cli.global, &env);
    let result = Session::new(&cli.global, env, printer.clone())
        .and_then(|session| run(cli.command, &session));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if error.kind != ErrorKind::BrokenPipe {
                printer.error(&error);
            }
            ExitCode::from(error.kind.exit_code())
        }
    }
}

fn run(command: Command, session: &Session) -> Result<(), CommandError> {
    match command {
        Command::Init(args) => init::run(args, session),
        Command::Open(args) => open::run(args, session),
        Command::Update(args) => update::run(args, session),
        Command::Resolve(args) => resolve::run(args, session),
        Command::Reopen(args) => reopen::run(args, session),
        Command::Correct(args) => revise::correct(args, session),
        Command::Retract(args) => revise::retract(args, session),
        Command::List(args) => list::run(args, session),
        Command::Show(args) => show::run(args, session),
        Command::Render(args) => render::run(args, session),
        Command::Edit(args) => edit::run(args, session),
        Command::Lint(args) => lint::run(args, session),
        Command::Due(args) => due::run(args, session),
        Command::Publish(args) => publish::run(args, session),
        Command::Approve(args) => approve::run(args, session),
        Command::Postmortem(args) => postmortem::run(args, session),
        Command::Site(args) => site::run(args, session),
        Command::Maintenance(args) => maintenance::run(args, session),
        Command::Presets(args) => presets::run(args, session),
        Command::Tick(args) => tick::run(args, session),
        Command::Completions(args) => shell::completions(args, Cli::command(), session),
        Command::Man(args) => shell::man(args, Cli::command(), session),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
