//! `incident resolve`: declare an incident over.

use clap::Args;

use super::answers::{ask_stage_questions, parse_fields, preset_message};
use super::prompt::Question;
use super::session::Session;
use super::walkthrough::{checked_message, report_update};
use crate::error::CommandError;
use crate::playbook::Stage;
use crate::record::{Event, EventBody, Incident, Loaded, Resolved, Store, UpdateBody, id};
use crate::time;
use crate::vocab::RESOLVE;
use crate::vocab::Status;

/// The resolution question nobody may answer by default.
const DATA_LOSS: &str = "data_loss";

/// The answers to "was any data lost or corrupted?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DataLoss {
    None,
    Some,
    Unknown,
}

impl DataLoss {
    fn name(self) -> &'static str {
        match self {
            DataLoss::None => "none",
            DataLoss::Some => "some",
            DataLoss::Unknown => "unknown",
        }
    }
}

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
    /// Whether any data was lost or corrupted: `none`, `some`, or `unknown` (still being
    /// checked); asked with no default on a terminal, required without one
    #[arg(long, value_enum, value_name = "ANSWER")]
    data_loss: Option<DataLoss>,
    /// When the problem actually ended (default: now); RFC 3339, `YYYY-MM-DD HH:MM` or `-10m`
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    resolved_at: Option<String>,
    /// Record the resolution despite error-level findings of the checks
    #[arg(long)]
    force: bool,
    /// Publish the resolution right after recording it, without asking (the same checks
    /// and approvals as `incident publish`)
    #[arg(long)]
    publish: bool,
}

pub fn run(args: ResolveArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, &args.id)?;
    already_resolved(&incident, config.org.timezone)?;
    let now = session.clock.now();
    let zone = config.org.timezone;
    let check_end = |text: &str| check_resolved_at(text, &incident, now, zone);
    let resolved_flag = args.resolved_at.as_deref().map(check_end).transpose()?;
    let stage = &config.playbook.resolve;
    let mut fields = parse_fields(&args.fields)?;
    let message = match args.message {
        Some(message) => message.trim().to_string(),
        None => ask_message(
            session,
            stage,
            preset_message(&config, &incident, &stage.name),
        )?,
    };
    // The incident's duration counts to here, so it is asked rather than assumed to be now.
    let resolved_at = match resolved_flag {
        Some(at) => at,
        None => {
            let answer = session.prompter.text(
                Question {
                    prompt: "When did it end?",
                    guidance: "`now`, `-10m`, `1h ago`, or a time such as `2026-01-31 04:05` (in the organisation's zone) or RFC 3339.",
                    flag: "--resolved-at",
                },
                Some("now"),
                true,
                |text| check_end(text).map(drop).map_err(|error| error.message),
            )?;
            check_end(&answer)?
        }
    };
    if let Some(answer) = args.data_loss {
        fields.insert(DATA_LOSS.to_string(), answer.name().to_string());
    }
    let asks_data_loss = stage
        .questions
        .iter()
        .any(|question| question.key == DATA_LOSS);
    if asks_data_loss && !fields.contains_key(DATA_LOSS) && !session.prompter.is_interactive() {
        return Err(CommandError::missing("--data-loss"));
    }
    ask_stage_questions(session, stage, &mut fields, now, zone)?;

    let author = session.author(config.root());
    let resolution = |loaded: &Loaded, message: &str| Event {
        id: id::new_event_id(),
        at: now,
        author: author.clone(),
        body: EventBody::Resolved(Resolved {
            resolved_at,
            update: UpdateBody {
                seq: loaded.next_seq(),
                stage: RESOLVE.to_string(),
                status: Status::Resolved,
                message: Some(message)
                    .filter(|text| !text.is_empty())
                    .map(Into::into),
                fields: fields.clone().into(),
                next_update_at: None,
            },
        }),
    };
    let message = checked_message(
        session,
        &config,
        &incident.id,
        args.force,
        message,
        resolution,
        |current| ask_message(session, stage, Some(current)),
    )?;
    let (event, loaded) = store.append(&incident.id, |loaded: &Loaded| {
        // Checked again under the lock: someone else may have resolved it meanwhile.
        let current = Incident::fold(&incident.id, &loaded.events)?;
        already_resolved(&current, zone)?;
        Ok::<_, CommandError>(resolution(loaded, &message))
    })?;
    report_update(session, &config, &incident.id, loaded, event, args.publish)
}

/// Asks what to tell people now that it is over, offering `current` when asked again
/// after the checks. Enter alone uses the stage's standard text.
fn ask_message(
    session: &Session,
    stage: &Stage,
    current: Option<&str>,
) -> Result<String, CommandError> {
    session.prompter.text(
        Question {
            prompt: &stage.message_prompt,
            guidance: &stage.guidance,
            flag: "--message",
        },
        current,
        false,
        |_| Ok(()),
    )
}

/// Returns when the problem ended, or why `text` cannot say it: it does not parse, or is
/// in the future, or before the incident started.
fn check_resolved_at(
    text: &str,
    incident: &Incident,
    now: chrono::DateTime<chrono::Utc>,
    zone: chrono_tz::Tz,
) -> Result<chrono::DateTime<chrono::Utc>, CommandError> {
    let at = time::parse_time(text, now, zone)?;
    if at > now {
        return Err(CommandError::usage(format!(
            "`--resolved-at` is in the future ({})",
            time::local_with_utc(at, zone)
        )));
    }
    if at < incident.started_at {
        return Err(CommandError::usage(format!(
            "`--resolved-at` is before the incident started ({})",
            time::local_with_utc(incident.started_at, zone)
        )));
    }
    Ok(at)
}

fn already_resolved(incident: &Incident, zone: chrono_tz::Tz) -> Result<(), CommandError> {
    match (incident.status, incident.resolved_at) {
        (Status::Resolved, Some(at)) => Err(CommandError::usage(format!(
            "incident {} is already resolved (at {})",
            incident.id,
            time::local_with_utc(at, zone)
        ))
        .hint(format!(
            "if it is not over: `incident reopen {} --reason \"…\"`",
            incident.id
        ))),
        _ => Ok(()),
    }
}
