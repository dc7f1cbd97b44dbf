//! Which updates a receiving target never got: the one thing a tired person forgets, and
//! what `show`, `due` and the walk-through point out.

use chrono::{DateTime, Utc};

use super::state::Incident;
use crate::config::Target;

/// An update that some target receiving its stage has not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpublished<'a> {
    pub seq: usize,
    /// When the update was recorded.
    pub at: DateTime<Utc>,
    /// The targets that receive its stage and have not published it, in config order.
    pub targets: Vec<&'a str>,
}

impl Incident {
    /// Returns every update some target in `targets` receives but has not published, oldest
    /// first. A try that failed or may not have arrived is not published.
    pub fn unpublished<'a>(&self, targets: &'a [Target]) -> Vec<Unpublished<'a>> {
        self.updates
            .iter()
            .filter_map(|update| {
                let missing: Vec<&str> = targets
                    .iter()
                    .filter(|target| super::revision::receives(self, update, target))
                    .filter(|target| update.published_on(&target.name).is_none())
                    .map(|target| target.name.as_str())
                    .collect();
                (!missing.is_empty()).then_some(Unpublished {
                    seq: update.seq,
                    at: update.at,
                    targets: missing,
                })
            })
            .collect()
    }
}
