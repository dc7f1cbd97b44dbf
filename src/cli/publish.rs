//! `incident publish`: send an update to every target that receives its stage.

use clap::Args;

use super::publishing::{Request, publish};
use super::session::Session;
use crate::error::CommandError;

/// Publish an update to its targets: at most once each, failures recorded and retried
///
/// Each target receives the drafts of its channel for the stages it lists. A re-run skips
/// what was published, retries what failed, and edits in place what changed since.
///
/// One publish per incident runs at a time: another one of the same incident waits for it
/// to finish, saying who holds it, or with `--no-wait` leaves it to that one and exits 0
/// having sent nothing. A lock left by a publisher that died (even `kill -9`) is freed by the system.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Update number (default: the latest)
    #[arg(long = "update", value_name = "N")]
    update: Option<usize>,
    /// Only this target (repeatable)
    #[arg(long = "target", value_name = "T")]
    targets: Vec<String>,
    /// Print the exact requests, secrets redacted, and send nothing
    #[arg(long)]
    dry_run: bool,
    /// Publish without asking (needed when there is no terminal)
    #[arg(long, short = 'y')]
    yes: bool,
    /// Publish despite error-level findings of the checks
    #[arg(long)]
    force: bool,
    /// Send again where an earlier try may already have arrived (an uncertain target),
    /// once you have checked that it did not
    #[arg(long)]
    resend: bool,
    /// Skip, sending nothing and exiting 0, if another publish of this incident is running
    /// (default: wait for it to finish)
    #[arg(long)]
    no_wait: bool,
}

pub fn run(args: PublishArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    publish(
        session,
        &config,
        &Request {
            id: &args.id,
            update: args.update,
            targets: &args.targets,
            dry_run: args.dry_run,
            confirmed: args.yes,
            force: args.force,
            resend: args.resend,
            no_wait: args.no_wait,
            aside: false,
        },
    )
}
