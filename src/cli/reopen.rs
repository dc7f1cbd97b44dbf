//! `incident reopen`: a resolved incident that is not over after all. Reopening is an event
//! of its own, with a reason, so no update ever moves an incident out of `resolved` by
//! itself.

use clap::Args;

use super::answers::parse_promise;
use super::prompt::Question;
use super::session::Session;
use crate::error::CommandError;
use crate::record::{Event, EventBody, Incident, Loaded, Reopened, Store, id};
use crate::time;
use crate::vocab::Status;

/// Reopen a resolved incident, saying why; then `incident update` it
#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Why it is not over, in a line: what was seen again
    #[arg(long, value_name = "R")]
    reason: Option<String>,
    /// When the next update is promised, from now (default: the severity's `update_every`)
    #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
    next_update: Option<String>,
}

pub fn run(args: ReopenArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, &args.id)?;
    if incident.status != Status::Resolved {
        return Err(not_resolved(&incident));
    }
    let next_update_flag = args.next_update.as_deref().map(parse_promise).transpose()?;
    let reason = match args.reason {
        Some(reason) if reason.trim().is_empty() => {
            return Err(CommandError::usage("`--reason` is empty"));
        }
        Some(reason) => reason.trim().to_string(),
        None => session.prompter.text(
            Question {
                prompt: "Why is it not over",
                guidance: "What was seen again, in a line; it goes in the record.",
                flag: "--reason",
            },
            None,
            true,
            |_| Ok(()),
        )?,
    };
    // Reopened is open again: the silence after it is watched like any other.
    let next_update = match next_update_flag {
        Some(duration) => duration,
        None => {
            let default = config
                .severity(&incident.severity)
                .map(|severity| time::short_duration(severity.update_every));
            let answer = session.prompter.text(
                Question {
                    prompt: "Next update in",
                    guidance: "When you will tell people more, even if there is no news.",
                    flag: "--next-update",
                },
                default.as_deref(),
                true,
                |text| parse_promise(text).map(drop).map_err(|error| error.message),
            )?;
            parse_promise(&answer)?
        }
    };
    let author = session.author(config.root());
    let now = session.clock.now();
    let next_update_at = now + next_update;
    store.append(&incident.id, |loaded: &Loaded| {
        // Checked again under the lock: someone may have reopened it meanwhile.
        match Incident::fold(&incident.id, &loaded.events) {
            Ok(current) if current.status != Status::Resolved => Err(not_resolved(&current)),
            _ => Ok(Event {
                id: id::new_event_id(),
                at: now,
                author: author.clone(),
                body: EventBody::Reopened(Reopened {
                    reason: reason.clone(),
                    next_update_at: Some(next_update_at),
                }),
            }),
        }
    })?;
    session
        .printer
        .success(&format!("Reopened {}: {reason}", incident.id));
    session.printer.status(&format!(
        "  Next update promised by {}.\nNext: `incident update {}` to tell people it is not over.",
        time::local_with_utc(next_update_at, config.org.timezone),
        incident.id
    ));
    Ok(())
}

fn not_resolved(incident: &Incident) -> CommandError {
    CommandError::usage(format!(
        "incident `{}` is not resolved (it is {})",
        incident.id, incident.status
    ))
    .hint(format!("`incident update {}` adds to it", incident.id))
}
