//! What a channel template sees: the organisation and the incident as it stood at the update
//! being rendered (both from the one view in `view`), that update, the updates before it, and
//! the stage's titles.

use std::collections::BTreeMap;

use serde::Serialize;

use super::view::{IncidentView, OrgView};
use crate::config::Config;
use crate::record::{Incident, Update};

#[derive(Debug, Serialize)]
pub struct Context<'a> {
    pub org: OrgView<'a>,
    pub incident: IncidentView,
    pub update: &'a Update,
    /// The updates before this one, oldest first.
    pub previous: &'a [Update],
    /// Stage name to the heading it gets in long-form posts.
    pub stage_titles: BTreeMap<&'a str, &'a str>,
    pub channel: &'a str,
}

impl<'a> Context<'a> {
    /// Returns the context for update `index` (0-based) of `incident`, as things stood then.
    pub fn new(
        config: &'a Config,
        incident: &'a Incident,
        index: usize,
        channel: &'a str,
    ) -> Context<'a> {
        let update = &incident.updates[index];
        let previous = &incident.updates[..index];
        Context {
            org: OrgView::new(config),
            incident: IncidentView::at_update(config, incident, index),
            update,
            previous,
            stage_titles: config.playbook.stage_titles(),
            channel,
        }
    }
}
