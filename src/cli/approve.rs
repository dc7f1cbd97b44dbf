//! `incident approve`: record who approved which texts of an update, for targets that say
//! `require_approval = true`.

use std::collections::BTreeMap;

use clap::Args;

use super::session::{Session, store_of};
use super::session::{pick_update, routed_drafts};
use crate::error::CommandError;
use crate::publish::text_hash;
use crate::record::{Approved, Event, EventBody, id};

/// Approve the drafts of an update for publishing, as they are now
///
/// A later edit needs a new approval.
#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Update number (default: the latest)
    #[arg(long = "update", value_name = "N")]
    update: Option<usize>,
}

pub fn run(args: ApproveArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = store_of(&config, &args.id);
    let incident = session.load_incident(&store, &args.id)?;
    let seq = pick_update(&incident, args.update)?;
    let update = &incident.updates[seq - 1];
    let drafts = routed_drafts(&config, &incident, seq)?;
    if drafts.is_empty() {
        return Err(CommandError::usage(format!(
            "no target receives the `{}` stage, so there is nothing to approve",
            update.stage
        )));
    }
    let texts: BTreeMap<_, _> = drafts
        .iter()
        .map(|draft| (draft.channel, text_hash(&draft.plain())))
        .collect();
    let author = session.author(config.root());
    let approval = Event {
        id: id::new_event_id(),
        at: session.clock.now(),
        author: author.clone(),
        body: EventBody::Approved(Approved {
            update: update.event_id.clone(),
            texts,
        }),
    };
    store.record(&incident.id, &[approval])?;
    let channels: Vec<&str> = drafts.iter().map(|draft| draft.channel.name()).collect();
    session.printer.success(&format!(
        "Approved update {seq} of {} ({}) as {author}.",
        incident.id,
        channels.join(", ")
    ));
    Ok(())
}
