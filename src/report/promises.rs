//! Next-update promises and whether they were kept: each update that promised the next one
//! by a time, against when the next update actually came.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::record::{Incident, Status};

/// How a promise turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The next update came on time.
    Kept,
    /// The next update came late.
    Missed,
    /// No update has come, and the time has passed.
    Overdue,
    /// Not due yet.
    Pending,
}

/// One promise of a next update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promise {
    /// The number of the update that made it.
    pub made_by: usize,
    pub made_at: DateTime<Utc>,
    pub due: DateTime<Utc>,
    /// The update that followed, and when.
    pub next_update: Option<usize>,
    pub next_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    /// How late, in seconds: the next update's lateness, or how overdue it is now.
    pub late_by_seconds: Option<i64>,
}

impl Promise {
    pub fn late_by(&self) -> Option<chrono::Duration> {
        self.late_by_seconds.map(chrono::Duration::seconds)
    }
}

/// Returns every promise the incident's updates made, in order. `now` decides whether an
/// unanswered promise is overdue or still pending.
pub fn promises(incident: &Incident, now: DateTime<Utc>) -> Vec<Promise> {
    incident
        .updates
        .iter()
        .enumerate()
        .filter(|(_, update)| update.status != Status::Resolved)
        .filter_map(|(index, update)| {
            let due = update.next_update_at?;
            let next = incident.updates.get(index + 1);
            let (outcome, late) = match next {
                Some(next) if next.at <= due => (Outcome::Kept, None),
                Some(next) => (Outcome::Missed, Some(next.at - due)),
                None if now > due => (Outcome::Overdue, Some(now - due)),
                None => (Outcome::Pending, None),
            };
            Some(Promise {
                made_by: update.seq,
                made_at: update.at,
                due,
                next_update: next.map(|next| next.seq),
                next_at: next.map(|next| next.at),
                outcome,
                late_by_seconds: late.map(|late| late.num_seconds()),
            })
        })
        .collect()
}
