//! Corrections and retractions: the record keeps everything, and says what was wrong.
//!
//! Each is an update of its own (stage `correction` or `retraction`), so it is approved,
//! checked and published under the at-most-once rules like any update. Its fields name what
//! it revises: [`field::REVISES`] holds the revised update's event id (stable across merges,
//! unlike its number); a retraction without one retracts the whole incident, a false alarm.
//! Folding applies each one to what it revises, after every update is in place (a clock that
//! runs behind can sort a correction before the update it corrects), so a revised update
//! renders with its corrected text, or struck through, wherever it is shown again.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::state::{Incident, Update};
use super::timestamp;
use crate::config::Target;
use crate::vocab::{CORRECT, RETRACT};

/// The update fields a revision keeps its facts in.
pub mod field {
    /// The event id of the update revised; absent on the retraction of a whole incident.
    pub const REVISES: &str = "revises";
    /// When the revised update was recorded, for the notice's words ("our update of 08:00
    /// UTC"); its number is not kept, since a merge can renumber updates.
    pub const REVISES_AT: &str = "revises_at";
    /// Why it is retracted.
    pub const REASON: &str = "reason";
}

/// What a correction or retraction did to an update, or to the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// The number of the update that records it.
    pub by_update: usize,
    #[serde(serialize_with = "timestamp::serialize")]
    pub at: DateTime<Utc>,
    pub author: String,
    /// A correction's new text, or a retraction's reason.
    pub text: String,
    /// What a corrected update said before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
}

/// Whether `target` receives `update` of `incident`: the targets its stage is routed to,
/// or for a correction or retraction, those that carried what it revises, and no other (a
/// target that never showed the wrong text has nothing to mend).
pub fn receives(incident: &Incident, update: &Update, target: &Target) -> bool {
    if is_revision(update) {
        revised_on(incident, update, &target.name).is_some()
    } else {
        target.receives(&update.stage)
    }
}

/// For a correction or retraction, the update whose post on `target` it mends: the revised
/// update, or for a whole incident's retraction the latest update `target` shows; `None`
/// when `target` did not publish it before the revision was recorded. This is the record's
/// own reckoning (what `list` and `due` count); `publish` compares the texts themselves.
pub fn revised_on<'i>(incident: &'i Incident, update: &Update, target: &str) -> Option<&'i Update> {
    // Only a post that went out before the revision was recorded showed the wrong text;
    // one published since was rendered from a record that already held the revision.
    shown_on(incident, update, target, |publication| {
        publication.finished_at.is_some_and(|at| at <= update.at)
    })
}

/// The update a correction or retraction revises on `target`, as [`revised_on`], among
/// those `target` published at any time.
pub fn carried_on<'i>(incident: &'i Incident, update: &Update, target: &str) -> Option<&'i Update> {
    shown_on(incident, update, target, |_| true)
}

fn shown_on<'i>(
    incident: &'i Incident,
    update: &Update,
    target: &str,
    counts: impl Fn(&super::Publication) -> bool,
) -> Option<&'i Update> {
    let published = |candidate: &&Update| {
        candidate.publications.iter().any(|publication| {
            publication.target == target
                && publication.state == super::PublicationState::Published
                && counts(publication)
        })
    };
    match update.fields.get(field::REVISES) {
        Some(revises) => incident
            .updates
            .iter()
            .find(|candidate| candidate.event_id == *revises)
            .filter(published),
        None => incident
            .updates
            .iter()
            .rev()
            .filter(|candidate| !is_revision(candidate))
            .find(published),
    }
}

/// Whether `update` is a correction or a retraction.
pub fn is_revision(update: &Update) -> bool {
    update.stage == CORRECT || update.stage == RETRACT
}

/// Applies every correction and retraction of `incident`, in time order, to what it
/// revises. One that revises an update this clone has not seen yet (before a merge), or
/// another revision, has nowhere to go and is left as a notice of its own.
pub fn apply_all(incident: &mut Incident) {
    let revisions: Vec<(usize, String, Option<String>, Revision)> = incident
        .updates
        .iter()
        .filter(|update| is_revision(update))
        .map(|update| {
            let text = match update.stage.as_str() {
                CORRECT => update.message.as_deref().unwrap_or_default().to_string(),
                _ => update
                    .fields
                    .get(field::REASON)
                    .cloned()
                    .unwrap_or_default(),
            };
            (
                update.seq,
                update.stage.clone(),
                update.fields.get(field::REVISES).cloned(),
                Revision {
                    by_update: update.seq,
                    at: update.at,
                    author: update.author.clone(),
                    text,
                    original: None,
                },
            )
        })
        .collect();
    for (_, stage, revises, mut revision) in revisions {
        let Some(revises) = revises else {
            if stage == RETRACT && incident.retracted.is_none() {
                incident.retracted = Some(Box::new(revision));
            }
            continue;
        };
        let Some(target) = incident
            .updates
            .iter_mut()
            .find(|update| update.event_id == revises && !is_revision(update))
        else {
            continue;
        };
        if stage == CORRECT {
            revision.original = target.corrected.as_ref().map_or_else(
                || target.message.as_deref().map(str::to_string),
                |earlier| earlier.original.clone(),
            );
            target.message = Some(revision.text.as_str().into());
            // The corrected text is what is true now: a person's edit of the wrong one
            // would bring it back.
            target.edits.clear();
            target.corrected = Some(Box::new(revision));
        } else if target.retracted.is_none() {
            target.retracted = Some(Box::new(revision));
        }
    }
}
