//! Which targets receive an update: those whose `stages` route its stage; for a correction
//! or retraction, every target that shows text it changes (whatever its `stages`), and no
//! other, since a target that never showed the wrong text has nothing to mend.
//!
//! What a target shows is compared by text, not by time: the post it published is mended
//! when its text differs from what the record renders now. A post published after the
//! revision was rendered from a record that held it; clocks that disagree do not matter.

use crate::config::{Config, Target};
use crate::record::revision;
use crate::record::{Incident, Update};
use crate::render::{Draft, Renderer};
use crate::vocab::Channel;

use super::text_hash;

/// Returns the targets that receive `update` of `incident`, in the config's order.
pub fn receivers<'a>(config: &'a Config, incident: &Incident, update: &Update) -> Vec<&'a Target> {
    config
        .targets
        .iter()
        .filter(|target| {
            if revision::is_revision(update) {
                mended(config, incident, update, target).is_some()
            } else {
                target.receives(&update.stage)
            }
        })
        .collect()
}

/// For a correction or retraction, the post on `target` it changes: the update whose post
/// it is (a shared post's latest), and that post's text as the record renders it now;
/// `None` when `target` shows no text the revision changes.
pub fn mended<'i>(
    config: &Config,
    incident: &'i Incident,
    update: &Update,
    target: &Target,
) -> Option<(&'i Update, Draft)> {
    let revised = revision::carried_on(incident, update, &target.name)?;
    let document = document_of(incident, revised, &target.name);
    let shown = document.published_on(&target.name)?;
    let now = Renderer::new(config)
        .render(incident, document.seq, target.channel)
        .ok()?;
    (text_hash(&now.plain()) != shown.text_hash).then_some((document, now))
}

/// Returns the channels some receiver of `update` reads; every channel when no target is
/// configured, so a person still sees what the templates make.
pub fn channels(config: &Config, incident: &Incident, update: &Update) -> Vec<Channel> {
    if config.targets.is_empty() {
        return Channel::ALL.to_vec();
    }
    let receivers = receivers(config, incident, update);
    Channel::ALL
        .into_iter()
        .filter(|channel| receivers.iter().any(|target| target.channel == *channel))
        .collect()
}

/// The update whose post an edit of `revised`'s post on `target` must be rendered from: a
/// post several updates share (a blog story, a status file) shows them all up to the
/// latest, so it is re-rendered from the latest one that shares it.
pub fn document_of<'i>(incident: &'i Incident, revised: &'i Update, target: &str) -> &'i Update {
    let Some(remote) = revised
        .published_on(target)
        .and_then(|publication| publication.remote_id.as_deref())
    else {
        return revised;
    };
    incident
        .updates
        .iter()
        .rev()
        .filter(|candidate| !revision::is_revision(candidate))
        .find(|candidate| {
            candidate
                .published_on(target)
                .is_some_and(|publication| publication.remote_id.as_deref() == Some(remote))
        })
        .unwrap_or(revised)
}
