//! `incident update`: record the next update of an incident.

use clap::Args;

use super::answers::{
    ask_stage_questions, parse_fields, parse_promise, parse_status, preset_message,
};
use super::prompt::Question;
use super::session::Session;
use super::walkthrough::{checked_message, report_update};
use crate::error::CommandError;
use crate::playbook::{Playbook, Stage};
use crate::record::{Event, EventBody, Incident, Loaded, Store, StoreError, UpdateBody, id};
use crate::time;
use crate::vocab::RESOLVE;
use crate::vocab::Status;

/// Add an update to an open incident
///
/// Without `--stage`, the next stage of the playbook is offered. The status stays as it is
/// unless `--status` or `--stage` says otherwise. A resolved incident takes no updates:
/// `incident reopen` it first; `incident resolve` is how one ends.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Playbook stage: acknowledge, explain, apologize or promise (default: the next one)
    #[arg(long)]
    stage: Option<String>,
    /// Status: investigating, identified, monitoring or resolved (default: the current one, or the stage's with `--stage`)
    #[arg(long)]
    status: Option<String>,
    /// The update's text
    #[arg(long, value_name = "TEXT")]
    message: Option<String>,
    /// An answer to a stage question, as KEY=VALUE (repeatable)
    #[arg(long = "field", value_name = "KEY=VALUE")]
    fields: Vec<String>,
    /// When the next update is promised, from now (default: the severity's `update_every`)
    #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
    next_update: Option<String>,
    /// Record the update despite error-level findings of the checks
    #[arg(long)]
    force: bool,
    /// Publish the update right after recording it, without asking (the same checks and
    /// approvals as `incident publish`)
    #[arg(long)]
    publish: bool,
}

pub fn run(args: UpdateArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let playbook = &config.playbook;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, &args.id)?;
    if incident.status == Status::Resolved {
        return Err(refuse_resolved(&incident.id));
    }

    let status_flag = args.status.as_deref().map(parse_status).transpose()?;
    if status_flag == Some(Status::Resolved) {
        // Resolving asks what only `resolve` asks: the end time and whether data was lost.
        return Err(
            CommandError::usage("`--status resolved` is not an update").hint(format!(
                "use `incident resolve {}` to resolve the incident",
                args.id
            )),
        );
    }
    let stage_flag = args
        .stage
        .as_deref()
        .map(|name| check_stage(playbook, name))
        .transpose()?;
    let mut fields = parse_fields(&args.fields)?;
    let next_update_flag = args.next_update.as_deref().map(parse_promise).transpose()?;

    let latest_stage = incident
        .updates
        .last()
        .map_or("", |update| update.stage.as_str());
    let prompter = &session.prompter;
    let stage_chosen = stage_flag.is_some();
    let stage_name = match stage_flag {
        Some(name) => name,
        None => {
            let names: Vec<String> = playbook
                .stages
                .iter()
                .map(|stage| stage.name.clone())
                .collect();
            let next = playbook.next_stage(latest_stage);
            let default = names
                .iter()
                .position(|name| *name == next.name)
                .unwrap_or(0);
            let items: Vec<String> = playbook
                .stages
                .iter()
                .map(|stage| format!("{} · {}", stage.name, stage.guidance))
                .collect();
            let question = Question {
                prompt: "Stage",
                guidance: "Which step of the playbook is this update?",
                flag: "--stage",
            };
            names[prompter.select(question, &items, default)?].clone()
        }
    };
    let stage = playbook
        .stage(&stage_name)
        .expect("the stage was checked against the playbook");
    if prompter.is_interactive() {
        session
            .printer
            .heading(&format!("{} — {}", stage.name, stage.guidance));
    }
    let message = match args.message {
        Some(message) if message.trim().is_empty() => {
            return Err(CommandError::usage("`--message` is empty"));
        }
        Some(message) => message.trim().to_string(),
        None => ask_message(
            session,
            stage,
            preset_message(&config, &incident, &stage.name),
        )?,
    };
    let now = session.clock.now();
    let zone = config.org.timezone;
    ask_stage_questions(session, stage, &mut fields, now, zone)?;
    // The status changes only when someone says so: `--status`, an explicit `--stage`
    // (its status), or a choice on a terminal where the current status is the default.
    let status = match (status_flag, stage_chosen) {
        (Some(status), _) => status,
        (None, true) => stage.status,
        (None, false) => ask_status(session, incident.status, stage)?,
    };
    let next_update = if status == Status::Resolved {
        next_update_flag
    } else {
        let update_every = config
            .severity(&incident.severity)
            .map(|severity| severity.update_every);
        match (next_update_flag, update_every) {
            (Some(duration), _) => Some(duration),
            (None, default) => {
                let default = default.map(time::short_duration);
                let answer = prompter.text(
                    Question {
                        prompt: "Next update in",
                        guidance: "When you will post again, even if there is no news.",
                        flag: "--next-update",
                    },
                    default.as_deref(),
                    true,
                    |text| parse_promise(text).map(drop).map_err(|error| error.message),
                )?;
                Some(parse_promise(&answer)?)
            }
        }
    };

    let author = session.author(config.root());
    let body = UpdateBody {
        seq: 0,
        stage: stage.name.clone(),
        status,
        message: None,
        fields: fields.into(),
        next_update_at: next_update.map(|duration| now + duration),
    };
    let message = checked_message(
        session,
        &config,
        &incident.id,
        args.force,
        message,
        |loaded: &Loaded, message: &str| Event {
            id: id::new_event_id(),
            at: now,
            author: author.clone(),
            body: EventBody::Updated(UpdateBody {
                seq: loaded.next_seq(),
                message: Some(message.into()),
                ..body.clone()
            }),
        },
        |current| ask_message(session, stage, Some(current)),
    )?;
    let body = UpdateBody {
        message: Some(message.into()),
        ..body
    };
    let (event, loaded) = store.append(&incident.id, |loaded: &Loaded| {
        // Someone may have resolved the incident since it was read; an update recorded
        // now keeps it resolved, as a later `reopen` is what says it is not over.
        let resolved_meanwhile = body.status != Status::Resolved
            && Incident::fold(&incident.id, &loaded.events)
                .is_ok_and(|current| current.status == Status::Resolved);
        let body = if resolved_meanwhile {
            UpdateBody {
                status: Status::Resolved,
                next_update_at: next_update_flag.map(|duration| now + duration),
                ..body
            }
        } else {
            body
        };
        Ok::<_, StoreError>(Event {
            id: id::new_event_id(),
            at: now,
            author,
            body: EventBody::Updated(UpdateBody {
                seq: loaded.next_seq(),
                ..body
            }),
        })
    })?;
    report_update(session, &config, &incident.id, loaded, event, args.publish)
}

/// Asks for the update's text, offering `current` when it is asked again after the checks.
fn ask_message(
    session: &Session,
    stage: &Stage,
    current: Option<&str>,
) -> Result<String, CommandError> {
    session.prompter.text(
        Question {
            prompt: &stage.message_prompt,
            // The stage's heading above already gave its guidance.
            guidance: "",
            flag: "--message",
        },
        current,
        true,
        |_| Ok(()),
    )
}

/// Returns the error for an update to a resolved incident: reopening it is a decision of
/// its own, with a reason, never a side effect of an update.
fn refuse_resolved(id: &str) -> CommandError {
    CommandError::usage(format!("incident `{id}` is resolved")).hint(format!(
        "if it is not over, `incident reopen {id} --reason \"…\"` first, then update it"
    ))
}

/// Asks which status the update sets, the current one first (Enter keeps it) and the one
/// the stage suggests next; without a terminal the current status stays.
fn ask_status(session: &Session, current: Status, stage: &Stage) -> Result<Status, CommandError> {
    let mut choices = vec![current];
    if stage.status != current && stage.status != Status::Resolved {
        choices.push(stage.status);
    }
    for status in Status::ALL {
        if status != Status::Resolved && !choices.contains(&status) {
            choices.push(status);
        }
    }
    let items: Vec<String> = choices
        .iter()
        .map(|status| {
            if *status == current {
                format!("{} · as it is now", status.name())
            } else if *status == stage.status {
                format!(
                    "{} · what the `{}` stage suggests",
                    status.name(),
                    stage.name
                )
            } else {
                status.name().to_string()
            }
        })
        .collect();
    let question = Question {
        prompt: "Status",
        guidance: "Change it only if it changed: `monitoring` tells people a fix is in place.",
        flag: "--status",
    };
    Ok(choices[session.prompter.select(question, &items, 0)?])
}

fn check_stage(playbook: &Playbook, name: &str) -> Result<String, CommandError> {
    if name == RESOLVE {
        return Err(CommandError::usage("`resolve` is not an update stage")
            .hint("use `incident resolve ID` to resolve the incident"));
    }
    if playbook.stage(name).is_some() {
        return Ok(name.to_string());
    }
    let names: Vec<&str> = playbook
        .stages
        .iter()
        .map(|stage| stage.name.as_str())
        .collect();
    Err(CommandError::usage(format!("unknown stage `{name}`"))
        .hint(crate::vocab::suggestion(name, "stages", &names)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let pairs = [
            "cause=a cache bug".to_string(),
            "data_loss = none ".to_string(),
        ];
        let fields = parse_fields(&pairs).unwrap();
        assert_eq!(fields["cause"], "a cache bug");
        assert_eq!(fields["data_loss"], "none");
        assert!(parse_fields(&["novalue".to_string()]).is_err());
        assert!(parse_fields(&["Bad Key=x".to_string()]).is_err());
        assert!(parse_fields(&["a=1".to_string(), "a=2".to_string()]).is_err());
    }
}
