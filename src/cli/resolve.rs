//! `incident resolve`: declare an incident over.

use clap::Args;

use super::answers::{ask_stage_questions, parse_fields};
use super::prompt::Question;
use super::session::Session;
use super::walkthrough::report_update;
use crate::error::CommandError;
use crate::record::{Event, EventBody, Incident, Loaded, Resolved, Store, UpdateBody, id};
use crate::time;
use crate::vocab::RESOLVE;
use crate::vocab::Status;

/// Resolve an incident
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// What to tell people now that it is over
    #[arg(long, value_name = "TEXT")]
    message: Option<String>,
    /// An answer to one of the resolution's questions, as KEY=VALUE (repeatable), e.g. `data_loss=none`
    #[arg(long = "field", value_name = "KEY=VALUE")]
    fields: Vec<String>,
    /// When the problem actually ended (default: now); RFC 3339, `YYYY-MM-DD HH:MM` or `-10m`
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    resolved_at: Option<String>,
}

pub fn run(args: ResolveArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, &args.id)?;
    already_resolved(&incident, config.org.timezone)?;
    let now = session.clock.now();
    let zone = config.org.timezone;
    let resolved_at = args
        .resolved_at
        .as_deref()
        .map(|text| time::parse_time(text, now, zone))
        .transpose()?
        .unwrap_or(now);
    if resolved_at > now {
        return Err(CommandError::usage("`--resolved-at` is in the future"));
    }
    if resolved_at < incident.started_at {
        return Err(CommandError::usage(format!(
            "`--resolved-at` is before the incident started ({})",
            time::local_with_utc(incident.started_at, zone)
        )));
    }
    let stage = &config.playbook.resolve;
    let mut fields = parse_fields(&args.fields)?;
    let message = match args.message {
        Some(message) => message.trim().to_string(),
        None => session.prompter.text(
            Question {
                prompt: &stage.message_prompt,
                guidance: &stage.guidance,
                flag: "--message",
            },
            None,
            false,
            |_| Ok(()),
        )?,
    };
    ask_stage_questions(session, stage, &mut fields, now, zone)?;

    let author = session.author(config.root());
    let (event, loaded) = store.append(&incident.id, |loaded: &Loaded| {
        // Checked again under the lock: someone else may have resolved it meanwhile.
        let current = Incident::fold(&incident.id, &loaded.events)?;
        already_resolved(&current, zone)?;
        Ok::<_, CommandError>(Event {
            id: id::new_event_id(),
            at: now,
            author,
            body: EventBody::Resolved(Resolved {
                resolved_at,
                update: UpdateBody {
                    seq: loaded.next_seq(),
                    stage: RESOLVE.to_string(),
                    status: Status::Resolved,
                    message: Some(message).filter(|text| !text.is_empty()),
                    fields,
                    next_update_at: None,
                },
            }),
        })
    })?;
    report_update(session, &config, &incident.id, loaded, event)
}

fn already_resolved(incident: &Incident, zone: chrono_tz::Tz) -> Result<(), CommandError> {
    match (incident.status, incident.resolved_at) {
        (Status::Resolved, Some(at)) => Err(CommandError::usage(format!(
            "incident {} is already resolved (at {})",
            incident.id,
            time::local_with_utc(at, zone)
        ))
        .hint(format!(
            "to reopen it: `incident update {} --status investigating`",
            incident.id
        ))),
        _ => Ok(()),
    }
}
