//! Which targets receive an update: those whose `stages` route its stage; for a correction
//! or retraction, every target that carried what it revises (whatever its `stages`), and no
//! other, since a target that never showed the wrong text has nothing to mend.

use crate::config::{Config, Target};
use crate::record::revision;
pub use crate::record::revision::revised_on;
use crate::record::{Incident, Update};
use crate::vocab::Channel;

/// Returns the targets that receive `update` of `incident`, in the config's order.
pub fn receivers<'a>(config: &'a Config, incident: &Incident, update: &Update) -> Vec<&'a Target> {
    config
        .targets
        .iter()
        .filter(|target| revision::receives(incident, update, target))
        .collect()
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
