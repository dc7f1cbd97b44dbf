//! `incident correct` and `incident retract`: tell the world an update was wrong, keeping
//! everything in the record. Each records an update of its own, checked before it is
//! written and published like any update: edited in place where a target can edit, a
//! notice where it cannot.

use clap::Args;

use super::session::Session;
use super::walkthrough::{checked_message, report_update};
use crate::error::CommandError;
use crate::record::revision::{field, is_revision};
use crate::record::{Event, EventBody, Incident, Loaded, Store, UpdateBody, id};
use crate::vocab::{CORRECT, RETRACT, Status};

/// Record a corrected text for an update, sent where the update went
#[derive(Debug, Args)]
pub struct CorrectArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// The update to correct, by number (`incident show ID` lists them)
    #[arg(long, value_name = "N")]
    update: usize,
    /// The corrected text, whole: it replaces the update's words everywhere it can
    #[arg(long, short, value_name = "TEXT")]
    message: String,
    /// Record it despite error-level findings of the checks
    #[arg(long)]
    force: bool,
    /// Publish it right after recording it, without asking
    #[arg(long)]
    publish: bool,
}

/// Retract a wrong update, or the whole incident (a false alarm), marked everywhere
#[derive(Debug, Args)]
pub struct RetractArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// The update to retract, by number; without it, the whole incident is retracted
    #[arg(long, value_name = "N")]
    update: Option<usize>,
    /// Why, in words for the people who read the update
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// Record it despite error-level findings of the checks
    #[arg(long)]
    force: bool,
    /// Publish it right after recording it, without asking
    #[arg(long)]
    publish: bool,
}

pub fn correct(args: CorrectArgs, session: &Session) -> Result<(), CommandError> {
    let text = non_empty(&args.message, "--message")?;
    let revision = Revision {
        id: &args.id,
        stage: CORRECT,
        update: Some(args.update),
        text,
        force: args.force,
        publish: args.publish,
    };
    revise(revision, session, |incident, revised| {
        let revised = revised.expect("a correction names its update");
        if revised.message.as_deref().map(str::trim) == Some(text) {
            return Err(CommandError::usage(format!(
                "update {} of {} already says that",
                revised.seq, incident.id
            )));
        }
        Ok(())
    })
}

pub fn retract(args: RetractArgs, session: &Session) -> Result<(), CommandError> {
    let text = non_empty(&args.reason, "--reason")?;
    let revision = Revision {
        id: &args.id,
        stage: RETRACT,
        update: args.update,
        text,
        force: args.force,
        publish: args.publish,
    };
    revise(revision, session, |incident, revised| match revised {
        Some(revised) if revised.retracted.is_some() => Err(CommandError::usage(format!(
            "update {} of {} is already retracted",
            revised.seq, incident.id
        ))),
        _ => Ok(()),
    })
}

struct Revision<'a> {
    id: &'a str,
    stage: &'static str,
    update: Option<usize>,
    text: &'a str,
    force: bool,
    publish: bool,
}

/// Records `revision` once `allowed` accepts it against the incident and the update it
/// revises (`None` for a whole incident).
fn revise(
    revision: Revision,
    session: &Session,
    allowed: impl Fn(&Incident, Option<&crate::record::Update>) -> Result<(), CommandError>,
) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, revision.id)?;
    let revised = admissible(&incident, revision.update, &allowed)?;
    let now = session.clock.now();
    let author = session.author(config.root());
    let mut fields = std::collections::BTreeMap::new();
    if let Some(revised) = revised {
        fields.insert(field::REVISES.to_string(), revised.event_id.clone());
        fields.insert(
            field::REVISES_AT.to_string(),
            crate::time::rfc3339(revised.at),
        );
    }
    if revision.stage == RETRACT {
        fields.insert(field::REASON.to_string(), revision.text.to_string());
    }
    // A correction changes words, not where things stand: the status and the promise of
    // the next update carry on. A false alarm is over.
    let whole = revision.stage == RETRACT && revised.is_none();
    let (status, next_update_at) = if whole {
        (Status::Resolved, None)
    } else {
        (incident.status, incident.next_update_at)
    };
    let stage = revision.stage;
    let candidate = |loaded: &Loaded, message: &str| Event {
        id: id::new_event_id(),
        at: now,
        author: author.clone(),
        body: EventBody::Updated(UpdateBody {
            seq: loaded.next_seq(),
            stage: stage.to_string(),
            status,
            message: Some(message.into()),
            fields: fields.clone().into(),
            next_update_at,
        }),
    };
    let message = checked_message(
        session,
        &config,
        &incident.id,
        revision.force,
        revision.text.to_string(),
        candidate,
        |current| ask_again(session, current),
    )?;
    let revised_event = revised.map(|update| update.event_id.clone());
    let (event, loaded) = store.append(&incident.id, |loaded: &Loaded| {
        // Decided again under the log's lock: another process may have retracted it, or
        // revised the same update, since it was read.
        let current = Incident::fold(&incident.id, &loaded.events)?;
        let seq = revised_event.as_ref().map(|event_id| {
            current
                .updates
                .iter()
                .position(|update| update.event_id == *event_id)
                .map_or(0, |index| index + 1)
        });
        admissible(&current, seq, &allowed)?;
        Ok::<_, CommandError>(candidate(loaded, &message))
    })?;
    report_update(
        session,
        &config,
        &incident.id,
        loaded,
        event,
        revision.publish,
    )
}

/// Returns the update numbered `seq` that a revision of `incident` revises (`None` for the
/// whole incident), if it may be revised and `allowed` agrees.
fn admissible<'i>(
    incident: &'i Incident,
    seq: Option<usize>,
    allowed: &impl Fn(&Incident, Option<&crate::record::Update>) -> Result<(), CommandError>,
) -> Result<Option<&'i crate::record::Update>, CommandError> {
    if incident.retracted.is_some() {
        return Err(CommandError::usage(format!(
            "incident {} is retracted as a whole",
            incident.id
        ))
        .hint("a retracted incident's updates are all marked retracted already"));
    }
    let revised = match seq {
        Some(seq) => Some(revised_update(incident, seq)?),
        None => None,
    };
    allowed(incident, revised)?;
    Ok(revised)
}

/// Returns update `seq` of `incident`, if it can be revised.
fn revised_update(incident: &Incident, seq: usize) -> Result<&crate::record::Update, CommandError> {
    let update = seq
        .checked_sub(1)
        .and_then(|index| incident.updates.get(index))
        .ok_or_else(|| {
            CommandError::usage(format!("incident {} has no update {seq}", incident.id)).hint(
                format!(
                    "its updates are numbered 1 to {}; `incident show {}` lists them",
                    incident.updates.len(),
                    incident.id
                ),
            )
        })?;
    if is_revision(update) {
        return Err(CommandError::usage(format!(
            "update {seq} of {} is itself a {}",
            incident.id, update.stage
        ))
        .hint("correct or retract the update it revises instead"));
    }
    if update.retracted.is_some() {
        return Err(CommandError::usage(format!(
            "update {seq} of {} is retracted",
            incident.id
        )));
    }
    Ok(update)
}

fn non_empty<'a>(text: &'a str, flag: &str) -> Result<&'a str, CommandError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CommandError::usage(format!("`{flag}` is empty")));
    }
    Ok(text)
}

/// Asks for the text again after the checks found errors in it.
fn ask_again(session: &Session, current: &str) -> Result<String, CommandError> {
    session.prompter.text(
        super::prompt::Question {
            prompt: "Text",
            guidance: "",
            flag: "--message",
        },
        Some(current),
        true,
        |_| Ok(()),
    )
}
