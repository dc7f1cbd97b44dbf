//! What the page templates see: the organisation and each incident through the one view in
//! `render::view`, and what only the site has (pages, months, component statuses, each
//! update's status text both as published (Markdown) and as HTML). Times are RFC 3339
//! strings; format them with the `local`, `local_time` and `local_date` filters.

use serde::Serialize;

use super::maintenance::WindowView;
use super::status::Overview;
use crate::config::ComponentStatus;
use crate::config::Config;
use crate::record::{Summary, Update};
use crate::render::view;
pub use crate::render::view::OrgView;
use crate::time::rfc3339;
use crate::vocab::Status;

/// An incident's facts, without its updates: the one view every template shares, and
/// where its page is.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    #[serde(flatten)]
    pub facts: view::IncidentView,
    /// The incident's page, relative to the site's root.
    pub path: String,
}

impl IncidentView {
    /// Returns the view of an incident from its summary.
    pub fn new(config: &Config, summary: &Summary, impact: Option<String>) -> IncidentView {
        IncidentView {
            facts: {
                let mut facts = view::IncidentView::of_summary(config, summary, impact);
                // The site shows what people typed, never a control character.
                facts.title = printable(&facts.title);
                facts.impact = facts.impact.as_deref().map(printable);
                facts
            },
            path: incident_path(&summary.id),
        }
    }
}

impl std::ops::Deref for IncidentView {
    type Target = view::IncidentView;

    fn deref(&self) -> &view::IncidentView {
        &self.facts
    }
}

/// Returns `text` without control characters (line feeds and tabs kept): the site shows
/// what people typed, never a terminal escape or a character XML forbids, on every page,
/// feed and `status.json`.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// Returns the path of an incident's page, relative to the site's root.
pub fn incident_path(id: &str) -> String {
    format!("incidents/{id}.html")
}

/// One update as the site shows it.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub seq: usize,
    /// The id of the event that recorded it: stable across merges, unlike `seq`.
    pub event_id: String,
    pub stage: String,
    pub stage_title: String,
    pub status: Status,
    pub status_label: &'static str,
    pub at: String,
    pub next_update_at: Option<String>,
    /// The status channel's text as published (Markdown), a person's edit included.
    pub text: String,
    /// That text as HTML; HTML that people typed comes out escaped.
    pub html: String,
    /// Where the update sits on its incident's page, relative to the site's root.
    pub path: String,
    /// When it was last corrected or retracted (or its whole incident retracted), if ever:
    /// when a feed entry's text last changed.
    pub revised_at: Option<String>,
}

impl UpdateView {
    pub fn new(
        config: &Config,
        incident_id: &str,
        update: &Update,
        text: String,
        html: String,
    ) -> UpdateView {
        UpdateView {
            seq: update.seq,
            event_id: update.event_id.clone(),
            stage: update.stage.clone(),
            stage_title: config
                .playbook
                .any_stage(&update.stage)
                .map_or_else(|| update.stage.clone(), |stage| stage.title.clone()),
            status: update.status,
            status_label: update.status.label(),
            at: rfc3339(update.at),
            next_update_at: update.next_update_at.map(rfc3339),
            text: printable(&text),
            html: printable(&html),
            path: format!("{}#update-{}", incident_path(incident_id), update.seq),
            revised_at: [&update.corrected, &update.retracted]
                .into_iter()
                .flatten()
                .map(|revision| revision.at)
                .max()
                .map(rfc3339),
        }
    }
}

/// The whole page's status.
#[derive(Debug, Serialize)]
pub struct OverallView {
    /// The worst component status, by its machine name (`major_outage`, …).
    pub status: ComponentStatus,
    /// `none`, `minor`, `major` or `critical`.
    pub indicator: &'static str,
    pub description: &'static str,
}

/// One component and its status.
#[derive(Debug, Serialize)]
pub struct ComponentView {
    pub id: String,
    pub name: String,
    pub status: ComponentStatus,
    pub status_label: &'static str,
}

/// The status part of the front page, from the overview.
pub fn status_views(overview: &Overview) -> (OverallView, Vec<ComponentView>) {
    let indicator = overview.status.indicator();
    let overall = OverallView {
        status: overview.status,
        indicator: indicator.name(),
        description: indicator.description(),
    };
    let components = overview
        .components
        .iter()
        .map(|component| ComponentView {
            id: component.id.clone(),
            name: component.name.clone(),
            status: component.status,
            status_label: component.status.label(),
        })
        .collect();
    (overall, components)
}

/// An open incident on the front page, with its latest update.
#[derive(Debug, Serialize)]
pub struct OpenView {
    #[serde(flatten)]
    pub incident: IncidentView,
    pub latest: Option<UpdateView>,
}

/// The incidents that started in one month (in the organisation's zone), newest first.
#[derive(Debug, Serialize)]
pub struct MonthView {
    /// `2026-11`, usable as an anchor.
    pub key: String,
    /// `November 2026`.
    pub name: String,
    pub incidents: Vec<IncidentView>,
}

/// Groups incidents, given newest first, by the month they started in.
pub fn by_month(config: &Config, incidents: Vec<IncidentView>) -> Vec<MonthView> {
    let zone = config.org.timezone;
    let mut months: Vec<MonthView> = Vec::new();
    for incident in incidents {
        let local = incident.started_at.with_timezone(&zone);
        let key = local.format("%Y-%m").to_string();
        match months.last_mut() {
            Some(month) if month.key == key => month.incidents.push(incident),
            _ => months.push(MonthView {
                key,
                name: local.format("%B %Y").to_string(),
                incidents: vec![incident],
            }),
        }
    }
    months
}

/// `site/index.html`.
#[derive(Debug, Serialize)]
pub struct IndexPage<'a> {
    /// The way back to the site's root from this page: empty here.
    pub root: &'static str,
    pub org: OrgView<'a>,
    /// When the latest update was made; none before the first incident.
    pub updated_at: Option<String>,
    pub overall: OverallView,
    pub components: Vec<ComponentView>,
    /// Open incidents, newest first.
    pub open: Vec<OpenView>,
    /// The latest past (resolved) incidents by month, newest first.
    pub history: Vec<MonthView>,
    /// Whether `history` holds every past incident (else `history.html` has the rest).
    pub history_complete: bool,
    pub history_total: usize,
    /// Maintenance windows running now.
    pub maintenance_now: Vec<WindowView>,
    /// Maintenance windows still ahead, soonest first.
    pub upcoming_maintenance: Vec<WindowView>,
    /// The latest maintenance windows that are over, newest first.
    pub past_maintenance: Vec<WindowView>,
}

/// `site/history.html`.
#[derive(Debug, Serialize)]
pub struct HistoryPage<'a> {
    pub root: &'static str,
    pub org: OrgView<'a>,
    pub updated_at: Option<String>,
    /// Every past (resolved) incident by month, newest first.
    pub history: Vec<MonthView>,
    pub history_total: usize,
    /// Every maintenance window that is over, newest first.
    pub past_maintenance: Vec<WindowView>,
}

/// `site/incident.html`.
#[derive(Debug, Serialize)]
pub struct IncidentPage<'a> {
    /// `../`: incident pages live one folder down.
    pub root: &'static str,
    pub org: OrgView<'a>,
    pub incident: IncidentView,
    /// Every update, newest first.
    pub updates: Vec<UpdateView>,
    /// The SVG timeline, a standalone `<svg>` element with its own text alternative.
    pub timeline_svg: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(
            printable("a\u{1b}]0;x\u{7}b\u{1b}[2J\nc\td\u{9b}\r"),
            "a]0;xb[2J\nc\td"
        );
    }
}
