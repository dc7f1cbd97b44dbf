//! Maintenance windows: a record of their own kind, kept in `incidents/maintenance/` with
//! the same event log, store and publish lock as incidents.
//!
//! A window is written with the incident events (an `opened` that announces it, then one
//! update per notice), so publishing, its at-most-once rules and every reader of a log work
//! unchanged. Living one folder down keeps windows out of `list`, `show`, `due`, the
//! postmortem and the incident pages: the incident store lists only folders holding a log.
//! What makes a window a window (its times, reminders, automatic transitions) is carried in
//! the fields of its updates, and [`Window`] folds it back out of an [`Incident`].

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::event::{Event, EventBody, UpdateBody};
use super::id::new_event_id;
use super::state::{FoldError, Incident};
use super::store::{Store, StoreError};
use super::timestamp;
use crate::vocab::Status;

/// The folder under `incidents/` that holds the windows.
pub const FOLDER: &str = "maintenance";
/// The severity a window's `opened` event carries, so no reader takes it for an incident's.
pub const SEVERITY: &str = "maintenance";
/// The reminders a window gets when it names none.
pub const DEFAULT_REMINDERS: [&str; 2] = ["24h", "1h"];

/// The update fields a window keeps its facts in.
pub mod field {
    pub const STARTS: &str = "starts";
    pub const ENDS: &str = "ends";
    pub const REMIND: &str = "remind";
    pub const AUTO_START: &str = "auto_start";
    pub const AUTO_COMPLETE: &str = "auto_complete";
    /// On a reminder: how long before the start it was due, in minutes.
    pub const REMINDER: &str = "reminder_minutes";
    /// On a notice recorded past the checks' errors with `--force`.
    pub const FORCED: &str = "forced";
}

/// Returns the store of maintenance windows inside the incidents folder `incidents`.
pub fn store(incidents: &Path) -> Store {
    Store::new(incidents.join(FOLDER))
}

/// A window's stages, each one notice: the maintenance playbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Announce,
    Remind,
    Start,
    Verify,
    Complete,
    Cancel,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Announce,
        Stage::Remind,
        Stage::Start,
        Stage::Verify,
        Stage::Complete,
        Stage::Cancel,
    ];

    /// The stage name written in the record; prefixed so it never meets an incident stage.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Announce => "maintenance-announce",
            Stage::Remind => "maintenance-remind",
            Stage::Start => "maintenance-start",
            Stage::Verify => "maintenance-verify",
            Stage::Complete => "maintenance-complete",
            Stage::Cancel => "maintenance-cancel",
        }
    }

    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.name() == name)
    }

    /// The words a notice of this stage is headed with on a page.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Announce => "Scheduled",
            Stage::Remind => "Reminder",
            Stage::Start => "In progress",
            Stage::Verify => "Verifying",
            Stage::Complete => "Completed",
            Stage::Cancel => "Cancelled",
        }
    }

    /// The state a window is in once this stage's notice is recorded.
    pub fn state(self) -> State {
        match self {
            Stage::Announce | Stage::Remind => State::Scheduled,
            Stage::Start => State::InProgress,
            Stage::Verify => State::Verifying,
            Stage::Complete => State::Completed,
            Stage::Cancel => State::Cancelled,
        }
    }

    /// The incident status the update carries, for readers that know only incidents: a
    /// finished window reads as resolved, so nothing waits on its promises.
    pub fn status(self) -> Status {
        match self.state() {
            State::Scheduled => Status::Identified,
            State::InProgress | State::Verifying => Status::Monitoring,
            State::Completed | State::Cancelled => Status::Resolved,
        }
    }
}

/// Statuspage's states of a scheduled maintenance, and cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Scheduled,
    InProgress,
    Verifying,
    Completed,
    Cancelled,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Scheduled => "scheduled",
            State::InProgress => "in_progress",
            State::Verifying => "verifying",
            State::Completed => "completed",
            State::Cancelled => "cancelled",
        }
    }

    pub fn is_over(self) -> bool {
        matches!(self, State::Completed | State::Cancelled)
    }

    /// Whether `stage` may follow a window in this state.
    pub fn allows(self, stage: Stage) -> bool {
        match stage {
            Stage::Announce => false,
            Stage::Remind => self == State::Scheduled,
            Stage::Start => self == State::Scheduled,
            Stage::Verify => self == State::InProgress,
            Stage::Complete => matches!(self, State::InProgress | State::Verifying),
            Stage::Cancel => self == State::Scheduled,
        }
    }
}

/// A maintenance window as its record describes it. This is the shape of
/// `maintenance list --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Window {
    pub id: String,
    pub title: String,
    pub state: State,
    pub components: Vec<String>,
    #[serde(serialize_with = "timestamp::serialize")]
    pub starts_at: DateTime<Utc>,
    #[serde(serialize_with = "timestamp::serialize")]
    pub ends_at: DateTime<Utc>,
    /// How long before the start each reminder is due, in minutes, largest first.
    pub remind_minutes: Vec<i64>,
    pub auto_start: bool,
    pub auto_complete: bool,
    #[serde(serialize_with = "timestamp::serialize")]
    pub announced_at: DateTime<Utc>,
    /// The reminders recorded, in minutes before the start.
    pub reminded: Vec<i64>,
    /// How many times the window changed after it was announced: iCalendar's SEQUENCE.
    pub sequence: usize,
    #[serde(serialize_with = "timestamp::serialize")]
    pub changed_at: DateTime<Utc>,
}

impl Window {
    /// Reads a window out of its record folded as an incident; `None` when it is not one
    /// (not a maintenance record, or its times cannot be read).
    pub fn of(incident: &Incident) -> Option<Window> {
        Window::from_updates(incident, &incident.updates)
    }

    /// Returns the window as it stood once update `seq` (1-based) was recorded: what a
    /// notice sent later still says of itself.
    pub fn as_of(incident: &Incident, seq: usize) -> Option<Window> {
        Window::from_updates(incident, incident.updates.get(..seq)?)
    }

    fn from_updates(incident: &Incident, updates: &[super::Update]) -> Option<Window> {
        let first = updates.first()?;
        if incident.severity != SEVERITY || Stage::from_name(&first.stage) != Some(Stage::Announce)
        {
            return None;
        }
        let time = |name: &str| {
            updates
                .iter()
                .rev()
                .find_map(|update| update.fields.get(name))
                .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
                .map(|at| at.with_timezone(&Utc))
        };
        // A window without readable times is not one: no reader should guess them.
        let starts_at = time(field::STARTS)?;
        let ends_at = time(field::ENDS)?;
        let flag = |name: &str| first.fields.get(name).is_some_and(|value| value == "true");
        let mut state = State::Scheduled;
        let mut reminded = Vec::new();
        let mut sequence = 0;
        let mut changed_at = first.at;
        for update in updates {
            let Some(stage) = Stage::from_name(&update.stage) else {
                continue;
            };
            if stage == Stage::Remind {
                if let Some(minutes) = update
                    .fields
                    .get(field::REMINDER)
                    .and_then(|text| text.parse().ok())
                {
                    reminded.push(minutes);
                }
                continue;
            }
            if stage != Stage::Announce {
                sequence += 1;
                changed_at = update.at;
            }
            state = stage.state();
        }
        let mut remind_minutes: Vec<i64> = first
            .fields
            .get(field::REMIND)
            .map(|text| {
                text.split(',')
                    .filter_map(|minutes| minutes.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        remind_minutes.sort_unstable_by(|a, b| b.cmp(a));
        Some(Window {
            id: incident.id.clone(),
            title: incident.title.clone(),
            state,
            components: incident.components.clone(),
            starts_at,
            ends_at,
            remind_minutes,
            auto_start: flag(field::AUTO_START),
            auto_complete: flag(field::AUTO_COMPLETE),
            announced_at: first.at,
            reminded,
            sequence,
            changed_at,
        })
    }

    /// Whether the window's components are under maintenance now, as its record says.
    pub fn is_running(&self) -> bool {
        matches!(self.state, State::InProgress | State::Verifying)
    }

    /// Returns what time has made due for the window at `now`, if anything: the automatic
    /// start or completion, or the latest reminder that is not stale.
    ///
    /// Run at any rate, this yields each notice once: a reminder is due only before the
    /// window starts, only the latest of those whose time has come is sent (a gap skips the
    /// earlier ones for good, since the latest stays the latest), and one whose time came
    /// before the window was announced is never due.
    pub fn due(&self, now: DateTime<Utc>) -> Option<Due> {
        match self.state {
            State::Scheduled if self.auto_start && now >= self.starts_at => Some(Due::Start),
            State::Scheduled if now < self.starts_at => {
                let latest = self
                    .remind_minutes
                    .iter()
                    .copied()
                    .filter(|minutes| {
                        let at = self.starts_at - Duration::minutes(*minutes);
                        at <= now && at > self.announced_at
                    })
                    .min()?;
                (!self.reminded.iter().any(|sent| *sent <= latest)).then_some(Due::Remind(latest))
            }
            State::InProgress | State::Verifying if self.auto_complete && now >= self.ends_at => {
                Some(Due::Complete)
            }
            _ => None,
        }
    }
}

/// What [`Window::due`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// The reminder due this many minutes before the start.
    Remind(i64),
    Start,
    Complete,
}

impl Due {
    pub fn stage(self) -> Stage {
        match self {
            Due::Remind(_) => Stage::Remind,
            Due::Start => Stage::Start,
            Due::Complete => Stage::Complete,
        }
    }
}

/// Why a stage was not recorded: the log could not be read as a window, or the window
/// was in a state that does not allow it, or time no longer made it due (another run
/// recorded it first).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fold(#[from] FoldError),
    #[error(
        "`{id}` in `incidents/{FOLDER}/` is not a maintenance window (its first update is not an announcement with readable times)"
    )]
    NotAWindow { id: String },
    #[error("maintenance {} is {}", .0.id, .0.state.name().replace('_', " "))]
    NotAllowed(Box<Window>),
}

/// What a new notice of a window says.
pub struct Notice<'a> {
    pub stage: Stage,
    pub message: Option<String>,
    /// On a reminder, how many minutes before the start it was due.
    pub reminder: Option<i64>,
    pub at: DateTime<Utc>,
    pub author: &'a str,
    /// Recorded with `--force` past the checks' errors.
    pub forced: bool,
}

/// Appends `notice` to window `id` if `allowed` says so of the window as it is on disk
/// under the log's lock, so two runs deciding at once record it once.
pub fn append(
    store: &Store,
    id: &str,
    notice: Notice,
    allowed: impl FnOnce(&Window) -> bool,
) -> Result<Event, Refused> {
    let (event, _) = store.append(id, |loaded| {
        let window = window_of(id, &loaded.events)?;
        if !window.state.allows(notice.stage) || !allowed(&window) {
            return Err(Refused::NotAllowed(Box::new(window)));
        }
        Ok(notice_event(&window, &notice, loaded.next_seq()))
    })?;
    Ok(event)
}

/// Returns window `id` as it would be with `notice` recorded, and the number of the
/// notice's update, without recording anything: what the checks read before recording.
pub fn with_notice(store: &Store, id: &str, notice: &Notice) -> Result<(Incident, usize), Refused> {
    let loaded = store.read(id)?;
    let window = window_of(id, &loaded.events)?;
    if !window.state.allows(notice.stage) {
        return Err(Refused::NotAllowed(Box::new(window)));
    }
    let event = notice_event(&window, notice, loaded.next_seq());
    let event_id = event.id.clone();
    let mut events = loaded.events;
    events.push(event);
    let incident = Incident::fold(id, &events)?;
    let seq = incident
        .updates
        .iter()
        .find(|update| update.event_id == event_id)
        .map_or(incident.updates.len(), |update| update.seq);
    Ok((incident, seq))
}

fn window_of(id: &str, events: &[Event]) -> Result<Window, Refused> {
    let incident = Incident::fold(id, events)?;
    Window::of(&incident).ok_or_else(|| Refused::NotAWindow { id: id.to_string() })
}

fn notice_event(window: &Window, notice: &Notice, seq: u32) -> Event {
    let mut fields = window_fields(window.starts_at, window.ends_at);
    if let Some(minutes) = notice.reminder {
        fields.insert(field::REMINDER.to_string(), minutes.to_string());
    }
    if notice.forced {
        fields.insert(field::FORCED.to_string(), "true".to_string());
    }
    Event {
        id: new_event_id(),
        at: notice.at,
        author: notice.author.to_string(),
        body: EventBody::Updated(UpdateBody {
            seq,
            stage: notice.stage.name().to_string(),
            status: notice.stage.status(),
            message: notice.message.as_deref().map(Into::into),
            fields: fields.into(),
            next_update_at: None,
        }),
    }
}

/// Whether `update` was recorded with `--force` past the checks' errors, so a timer sends it
/// as it stands.
pub fn forced(update: &super::Update) -> bool {
    update
        .fields
        .get(field::FORCED)
        .is_some_and(|value| value == "true")
}

/// The fields every notice carries, so each one's template can say when the window is.
pub fn window_fields(starts: DateTime<Utc>, ends: DateTime<Utc>) -> BTreeMap<String, String> {
    BTreeMap::from([
        (field::STARTS.to_string(), crate::time::rfc3339(starts)),
        (field::ENDS.to_string(), crate::time::rfc3339(ends)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(announced: i64, reminded: Vec<i64>) -> Window {
        let start = DateTime::from_timestamp(100_000, 0).expect("in range");
        Window {
            id: "m".to_string(),
            title: "t".to_string(),
            state: State::Scheduled,
            components: Vec::new(),
            starts_at: start,
            ends_at: start + Duration::hours(2),
            remind_minutes: vec![1440, 60],
            auto_start: true,
            auto_complete: true,
            announced_at: start - Duration::minutes(announced),
            reminded,
            sequence: 0,
            changed_at: start,
        }
    }

    #[test]
    fn reminders_are_due_once_and_never_stale() {
        let w = window(3000, Vec::new());
        let at = |minutes_before: i64| w.starts_at - Duration::minutes(minutes_before);
        assert_eq!(w.due(at(2000)), None);
        assert_eq!(w.due(at(1440)), Some(Due::Remind(1440)));
        // After a gap past both, only the latest is due.
        assert_eq!(w.due(at(30)), Some(Due::Remind(60)));
        let w = window(3000, vec![1440]);
        assert_eq!(w.due(at(1000)), None);
        assert_eq!(w.due(at(60)), Some(Due::Remind(60)));
        let w = window(3000, vec![60]);
        assert_eq!(w.due(at(10)), None);
        assert_eq!(w.due(w.starts_at), Some(Due::Start));
        // Announced 30 minutes before: neither reminder was ever due.
        let w = window(30, Vec::new());
        assert_eq!(w.due(at(10)), None);
    }
}
