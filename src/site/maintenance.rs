//! Maintenance windows on the site: what the front page lists as upcoming or in progress,
//! the past ones in the history, one page per window with its notices, and what the feeds,
//! `status.json` and `maintenance.ics` carry of them.
//!
//! Windows are few (a handful a month), so they are read one after another, after the
//! incidents; each notice's text is its status-channel draft, as the targets got it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::SiteError;
use super::pages::{UpdateView, printable};
use crate::config::Config;
use crate::record::maintenance::{self, Stage, State, Window};
use crate::record::{Incident, Warning};
use crate::render::Renderer;
use crate::render::view::ComponentView;
use crate::time::rfc3339;
use crate::vocab::Channel;

/// Returns the path of a window's page, relative to the site's root.
pub fn window_path(id: &str) -> String {
    format!("maintenance/{id}.html")
}

/// One window as the pages see it.
#[derive(Debug, Clone, Serialize)]
pub struct WindowView {
    pub id: String,
    pub title: String,
    /// `scheduled`, `in_progress`, `verifying`, `completed` or `cancelled`.
    pub state: State,
    /// "Scheduled", "In progress", …
    pub state_label: &'static str,
    pub starts_at: String,
    pub ends_at: String,
    pub components: Vec<ComponentView>,
    /// When it was announced.
    pub announced_at: String,
    /// When its state last changed (its announcement, if never).
    pub changed_at: String,
    /// The window's page, relative to the site's root.
    pub path: String,
}

impl WindowView {
    fn new(config: &Config, window: &Window) -> WindowView {
        WindowView {
            id: window.id.clone(),
            title: printable(&window.title),
            state: window.state,
            state_label: state_label(window.state),
            starts_at: rfc3339(window.starts_at),
            ends_at: rfc3339(window.ends_at),
            components: ComponentView::all(config, &window.components),
            announced_at: rfc3339(window.announced_at),
            changed_at: rfc3339(window.changed_at),
            path: window_path(&window.id),
        }
    }
}

fn state_label(state: State) -> &'static str {
    match state {
        State::Scheduled => "Scheduled",
        State::InProgress => "In progress",
        State::Verifying => "Verifying",
        State::Completed => "Completed",
        State::Cancelled => "Cancelled",
    }
}

/// One window read from the record, with its notices.
#[derive(Debug, Clone)]
pub struct ReadWindow {
    pub window: Window,
    pub view: WindowView,
    /// Every notice, newest first.
    pub notices: Vec<UpdateView>,
    /// When its latest notice was recorded.
    pub updated_at: DateTime<Utc>,
}

impl ReadWindow {
    pub fn is_upcoming(&self) -> bool {
        self.window.state == State::Scheduled
    }

    pub fn is_running(&self) -> bool {
        self.window.is_running()
    }

    pub fn is_over(&self) -> bool {
        self.window.state.is_over()
    }
}

/// Every window of the record, earliest start first, and the lines and logs that could
/// not be read.
#[derive(Debug, Default)]
pub struct Windows {
    pub windows: Vec<ReadWindow>,
    pub warnings: Vec<Warning>,
    pub skipped: Vec<String>,
}

impl Windows {
    pub fn read(config: &Config, renderer: &Renderer) -> Result<Windows, SiteError> {
        let store = maintenance::store(&config.incidents_dir());
        let mut read = Windows::default();
        for id in store.ids()? {
            let loaded = store.read(&id)?;
            read.warnings.extend(loaded.warnings);
            let window = Incident::fold(&id, &loaded.events)
                .map_err(|error| error.to_string())
                .and_then(|incident| {
                    let window = Window::of(&incident)
                        .ok_or_else(|| format!("`{id}` is not a maintenance window"))?;
                    Ok((incident, window))
                });
            let (incident, window) = match window {
                Ok(found) => found,
                Err(reason) => {
                    read.skipped.push(reason);
                    continue;
                }
            };
            let mut notices = Vec::with_capacity(incident.updates.len());
            for update in &incident.updates {
                let draft = renderer
                    .render(&incident, update.seq, Channel::Status)
                    .map_err(|source| SiteError::Update {
                        id: id.clone(),
                        seq: update.seq,
                        source,
                    })?;
                let html = crate::render::html::markdown_to_html(&draft.text);
                let mut view = UpdateView::new(config, &id, update, draft.text, html);
                if let Some(stage) = Stage::from_name(&update.stage) {
                    view.stage_title = stage.label().to_string();
                    view.status_label = stage.label();
                }
                view.path = format!("{}#update-{}", window_path(&id), update.seq);
                notices.push(view);
            }
            notices.reverse();
            read.windows.push(ReadWindow {
                updated_at: incident
                    .updates
                    .last()
                    .map_or(window.announced_at, |update| update.at),
                view: WindowView::new(config, &window),
                window,
                notices,
            });
        }
        read.windows.sort_by(|a, b| {
            (a.window.starts_at, &a.window.id).cmp(&(b.window.starts_at, &b.window.id))
        });
        Ok(read)
    }

    /// The windows still ahead, soonest first.
    pub fn upcoming(&self) -> Vec<WindowView> {
        self.views(ReadWindow::is_upcoming)
    }

    /// The windows running now.
    pub fn running(&self) -> Vec<WindowView> {
        self.views(ReadWindow::is_running)
    }

    /// The windows that are over, latest start first.
    pub fn past(&self) -> Vec<WindowView> {
        let mut past = self.views(ReadWindow::is_over);
        past.reverse();
        past
    }

    fn views(&self, keep: fn(&ReadWindow) -> bool) -> Vec<WindowView> {
        self.windows
            .iter()
            .filter(|read| keep(read))
            .map(|read| read.view.clone())
            .collect()
    }
}

/// The feeds' heading of a notice: "Maintenance scheduled", "Maintenance in progress", …
pub fn feed_label(stage: &str) -> Option<String> {
    let stage = Stage::from_name(stage)?;
    Some(format!("Maintenance {}", stage.label().to_lowercase()))
}

/// `site/maintenance.html`.
#[derive(Debug, Serialize)]
pub struct WindowPage<'a> {
    /// `../`: window pages live one folder down.
    pub root: &'static str,
    pub org: crate::render::view::OrgView<'a>,
    pub window: &'a WindowView,
    /// Every notice, newest first.
    pub notices: &'a [UpdateView],
}
