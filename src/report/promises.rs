//! Next-update promises and whether they were kept: each update that promised the next one
//! by a time, against when the next update actually came.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::record::Incident;
use crate::vocab::Status;

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

    /// How it turned out, in words: "kept", "not due yet", "missed by 12 minutes",
    /// "overdue by 5 minutes".
    pub fn outcome_text(&self) -> String {
        let late = || {
            self.late_by()
                .map(crate::time::human_duration)
                .unwrap_or_default()
        };
        match self.outcome {
            Outcome::Kept => "kept".to_string(),
            Outcome::Pending => "not due yet".to_string(),
            Outcome::Missed => format!("missed by {}", late()),
            Outcome::Overdue => format!("overdue by {}", late()),
        }
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

#[cfg(test)]
mod tests {
    use crate::record::Fields;

    use super::*;
    use crate::record::{Event, EventBody, Opened, Resolved, UpdateBody};

    fn at(minute: i64) -> DateTime<Utc> {
        "2026-11-24T08:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::minutes(minute)
    }

    fn update(status: Status, promise: Option<i64>) -> UpdateBody {
        UpdateBody {
            seq: 0,
            stage: "explain".to_string(),
            status,
            message: Some("m".into()),
            fields: Fields::new(),
            next_update_at: promise.map(at),
        }
    }

    fn event(minute: i64, body: EventBody) -> Event {
        Event {
            id: format!("01JP{minute:04}"),
            at: at(minute),
            author: "Dana".to_string(),
            body,
        }
    }

    /// Opened at 0 promising 30; updated at 20 promising 50; then `last`.
    fn incident(last: Option<Event>) -> Incident {
        let mut events = vec![
            event(
                0,
                EventBody::Opened(Box::new(Opened {
                    title: "t".to_string(),
                    severity: "sev1".to_string(),
                    components: Vec::new(),
                    started_at: at(0),
                    update: update(Status::Investigating, Some(30)),
                })),
            ),
            event(20, EventBody::Updated(update(Status::Identified, Some(50)))),
        ];
        events.extend(last);
        Incident::fold("abc1234", &events).unwrap()
    }

    #[test]
    fn kept_missed_overdue_and_pending() {
        let outcomes = |incident: &Incident, now: i64| -> Vec<String> {
            promises(incident, at(now))
                .iter()
                .map(Promise::outcome_text)
                .collect()
        };
        let open = incident(None);
        assert_eq!(outcomes(&open, 40), ["kept", "not due yet"]);
        assert_eq!(outcomes(&open, 55), ["kept", "overdue by 5 minutes"]);
        let resolved = incident(Some(event(
            62,
            EventBody::Resolved(Resolved {
                resolved_at: at(60),
                update: update(Status::Resolved, Some(90)),
            }),
        )));
        // The resolution answers the last promise late and promises nothing itself.
        assert_eq!(outcomes(&resolved, 200), ["kept", "missed by 12 minutes"]);
    }
}
