//! The static status site: `index.html` (overall and component status, open incidents, recent
//! history), `history.html`, one page per incident with its SVG timeline and every update, an
//! Atom feed and a JSON Feed of updates, `status.json` shaped like Statuspage's public
//! summary, and `style.css`. Maintenance windows show as upcoming, in progress (their
//! components under maintenance) and past, each with a page under `maintenance/`, and all
//! of them in `maintenance.ics`. No JavaScript; any static host can serve it.
//!
//! The site is a function of the record, the config and the clock: the same record gives the
//! same bytes (only an open incident's timeline picture depends on the time). Pages come from
//! the `site/*` templates, which a `templates/` folder next to `incident.toml` overrides by
//! name like the channel templates; every value a person typed is escaped by minijinja.
//!
//! Memory stays bounded however long the record: incidents are read, folded, rendered and
//! written one at a time by a few threads, keeping only each one's summary, the latest feed
//! entries, and the updates of the open ones. This module never prints: skipped lines and
//! unreadable incidents come back in [`Built`] for the caller to show.

mod error;
mod feeds;
mod ical;
mod maintenance;
mod pages;
mod status;
mod status_json;
mod templates;
mod writer;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use error::SiteError;
pub use feeds::FEED_ENTRIES;
pub use status::Overview;

use crate::config::Config;
use crate::fsutil::Context as _;
use crate::record::store::in_parallel;
use crate::record::{Incident, Store, Summary, Warning};
use crate::render::Renderer;
use crate::time::rfc3339;
use crate::vocab::Channel;
use crate::vocab::Status;
use feeds::{AtomFeed, FeedEntry, JsonFeed, Latest, Links};
use maintenance::{WindowPage, Windows};
use pages::{
    HistoryPage, IncidentPage, IncidentView, IndexPage, OpenView, OrgView, UpdateView, by_month,
    incident_path, status_views,
};
use status_json::{OpenSource, StatusJson};
use templates::Templates;
use writer::Writer;

/// How many past incidents the front page lists; `history.html` lists them all.
pub const INDEX_HISTORY: usize = 50;

/// What a build did.
#[derive(Debug, Serialize)]
pub struct Built {
    /// The folder the site was written to.
    pub out: PathBuf,
    pub incidents: usize,
    pub open: usize,
    /// Updates in the feeds (at most [`FEED_ENTRIES`]).
    pub feed_entries: usize,
    /// Files written because their content changed.
    pub written: usize,
    /// Files that already held what this build made.
    pub unchanged: usize,
    /// Lines of the record that were skipped.
    #[serde(skip)]
    pub warnings: Vec<Warning>,
    /// Incidents that could not be read into a whole incident, and why.
    #[serde(skip)]
    pub skipped: Vec<String>,
}

/// Builds the site from the record of `config` into `out`. `now` is the build time: it ends
/// the timeline of an incident that is still open, and dates an Atom feed with no entries.
pub fn build(config: &Config, out: &Path, now: DateTime<Utc>) -> Result<Built, SiteError> {
    refuse_record_folder(config, out)?;
    let templates = Templates::new(config);
    templates.check()?;
    for folder in ["incidents", "maintenance"] {
        let pages_dir = out.join(folder);
        std::fs::create_dir_all(&pages_dir).context("create folder", &pages_dir)?;
    }

    let store = Store::new(config.incidents_dir());
    let ids = store.ids()?;
    let shared = Shared {
        config,
        store,
        renderer: Renderer::new(config),
        templates,
        writer: Writer::new(out.to_path_buf()),
        now,
    };
    let mut read = shared.read_all(&ids)?;
    let windows = Windows::read(config, &shared.renderer)?;
    shared.write_windows(&windows, &mut read)?;
    let mut incidents = read.incidents;
    incidents.sort_by(|a, b| {
        b.summary
            .started_at
            .cmp(&a.summary.started_at)
            .then_with(|| a.summary.id.cmp(&b.summary.id))
    });
    let updated_at = read.latest_update;
    let updated_text = updated_at.map(rfc3339);
    let overview = Overview::of(
        config,
        incidents
            .iter()
            .filter(|read| read.open.is_some())
            .map(|read| &read.summary),
    )
    .with_maintenance(
        config,
        windows
            .windows
            .iter()
            .filter(|read| read.is_running())
            .flat_map(|read| &read.window.components),
    );
    let past_maintenance = windows.past();
    let links = Links::new(config);

    // The open incidents, for the front page and status.json.
    let open_views: Vec<(IncidentView, &OpenParts)> = incidents
        .iter()
        .filter_map(|read| {
            let parts = read.open.as_ref()?;
            Some((
                IncidentView::new(config, &read.summary, parts.impact.clone()),
                parts,
            ))
        })
        .collect();
    let past: Vec<IncidentView> = incidents
        .iter()
        .filter(|read| read.open.is_none())
        .map(|read| IncidentView::new(config, &read.summary, None))
        .collect();
    let history_total = past.len();

    let (overall, components) = status_views(&overview);
    let index = IndexPage {
        root: "",
        org: OrgView::new(config),
        updated_at: updated_text.clone(),
        overall,
        components,
        open: open_views
            .iter()
            .map(|(view, parts)| OpenView {
                incident: view.clone(),
                latest: parts.updates.first().cloned(),
            })
            .collect(),
        history: by_month(config, past.iter().take(INDEX_HISTORY).cloned().collect()),
        history_complete: history_total <= INDEX_HISTORY,
        history_total,
        maintenance_now: windows.running(),
        upcoming_maintenance: windows.upcoming(),
        past_maintenance: past_maintenance
            .iter()
            .take(INDEX_HISTORY)
            .cloned()
            .collect(),
    };
    let html = shared.templates.render(templates::INDEX, &index)?;
    shared.writer.write("index.html", html.as_bytes())?;
    drop(index);

    let history = HistoryPage {
        root: "",
        org: OrgView::new(config),
        updated_at: updated_text.clone(),
        history: by_month(config, past),
        history_total,
        past_maintenance,
    };
    let html = shared.templates.render(templates::HISTORY, &history)?;
    shared.writer.write("history.html", html.as_bytes())?;
    drop(history);

    let entries = read.feed.into_sorted();
    let feed_updated = entries
        .iter()
        .map(|entry| entry.updated())
        .max()
        .map_or_else(|| rfc3339(now), str::to_string);
    let atom = AtomFeed::new(config, &links, &entries, feed_updated);
    let xml = shared.templates.render(templates::ATOM, &atom)?;
    shared.writer.write("feed.xml", xml.as_bytes())?;
    let json_feed = JsonFeed::new(config, &links, &entries);
    shared.writer.write("feed.json", &json_bytes(&json_feed))?;

    let open_sources: Vec<OpenSource> = open_views
        .iter()
        .map(|(view, parts)| OpenSource {
            incident: view,
            opened_at: rfc3339(parts.opened_at),
            updates: &parts.updates,
        })
        .collect();
    let summary = StatusJson::new(config, &links, &overview, updated_text, &open_sources)
        .with_maintenance(&links, &windows.windows);
    shared.writer.write("status.json", &json_bytes(&summary))?;
    let calendar = ical::calendar(config, &links, &windows.windows);
    shared
        .writer
        .write("maintenance.ics", calendar.as_bytes())?;

    let css = shared.templates.source(templates::STYLE)?;
    shared.writer.write("style.css", css.as_bytes())?;

    let (written, unchanged) = shared.writer.counts();
    Ok(Built {
        out: out.to_path_buf(),
        incidents: incidents.len(),
        open: open_views.len(),
        feed_entries: entries.len(),
        written,
        unchanged,
        warnings: read.warnings,
        skipped: read.skipped,
    })
}

/// What a build shares between its reader threads.
struct Shared<'a> {
    config: &'a Config,
    store: Store,
    renderer: Renderer<'a>,
    templates: Templates,
    writer: Writer,
    now: DateTime<Utc>,
}

/// What is kept of one incident once its page is written.
struct ReadIncident {
    summary: Summary,
    /// For an open incident: what the front page and status.json show of it.
    open: Option<OpenParts>,
}

struct OpenParts {
    impact: Option<String>,
    opened_at: DateTime<Utc>,
    /// Newest first.
    updates: Vec<UpdateView>,
}

/// What the reader threads kept, all together.
#[derive(Default)]
struct ReadAll {
    incidents: Vec<ReadIncident>,
    feed: Latest,
    latest_update: Option<DateTime<Utc>>,
    warnings: Vec<Warning>,
    skipped: Vec<String>,
}

impl ReadAll {
    fn merge(&mut self, other: ReadAll) {
        self.incidents.extend(other.incidents);
        self.feed.merge(other.feed);
        self.latest_update = self.latest_update.max(other.latest_update);
        self.warnings.extend(other.warnings);
        self.skipped.extend(other.skipped);
    }
}

impl Shared<'_> {
    /// Reads, renders and writes every incident on a few threads.
    fn read_all(&self, ids: &[String]) -> Result<ReadAll, SiteError> {
        let results = in_parallel(ids, |id, read| self.incident(id, read))?;
        let mut all = ReadAll::default();
        for read in results {
            all.merge(read);
        }
        all.warnings
            .sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
        all.skipped.sort();
        Ok(all)
    }

    /// Reads one incident, writes its page, and keeps what the rest of the site needs.
    fn incident(&self, id: &str, read: &mut ReadAll) -> Result<(), SiteError> {
        let config = self.config;
        let loaded = self.store.read(id)?;
        read.warnings.extend(loaded.warnings);
        let incident = match Incident::fold(id, &loaded.events) {
            Ok(incident) => incident,
            Err(error) => {
                read.skipped.push(error.to_string());
                return Ok(());
            }
        };
        drop(loaded.events);

        let mut updates = Vec::with_capacity(incident.updates.len());
        for update in &incident.updates {
            let draft = self
                .renderer
                .render(&incident, update.seq, Channel::Status)
                .map_err(|source| SiteError::Update {
                    id: id.to_string(),
                    seq: update.seq,
                    source,
                })?;
            let html = crate::render::html::markdown_to_html(&draft.text);
            let mut view = UpdateView::new(config, id, update, draft.text, html);
            // A retraction of the whole incident changes every update's text.
            if let Some(retraction) = &incident.retracted {
                let at = rfc3339(retraction.at);
                view.revised_at = Some(view.revised_at.map_or(at.clone(), |own| own.max(at)));
            }
            updates.push(view);
        }
        updates.reverse();
        let summary = Summary::of(&incident);
        let mut view = IncidentView::new(config, &summary, incident.impact.clone());
        view.facts.retracted = crate::render::view::RetractedView::of(&incident);
        let page = IncidentPage {
            root: "../",
            org: OrgView::new(config),
            incident: view,
            updates,
            timeline_svg: crate::report::svg::timeline(&incident, config, self.now),
        };
        let html = self.templates.render(templates::INCIDENT, &page)?;
        self.writer.write(&incident_path(id), html.as_bytes())?;

        let updates = page.updates;
        for update in &updates {
            let retracted = incident.retracted.is_some()
                || incident
                    .updates
                    .get(update.seq - 1)
                    .is_some_and(|own| own.retracted.is_some());
            read.feed.push(FeedEntry {
                incident_id: incident.id.clone(),
                incident_title: page.incident.title.clone(),
                heading: if retracted {
                    format!("Retracted ({})", update.status_label)
                } else {
                    update.status_label.to_string()
                },
                update: update.clone(),
            });
        }
        read.latest_update = read
            .latest_update
            .max(incident.updates.last().map(|update| update.at));
        let open = (incident.status != Status::Resolved).then(|| OpenParts {
            impact: incident.impact.clone(),
            opened_at: incident.opened_at,
            updates,
        });
        read.incidents.push(ReadIncident { summary, open });
        Ok(())
    }
}

impl Shared<'_> {
    /// Writes each window's page, and gives its notices to the feeds.
    fn write_windows(&self, windows: &Windows, read: &mut ReadAll) -> Result<(), SiteError> {
        for window in &windows.windows {
            let page = WindowPage {
                root: "../",
                org: OrgView::new(self.config),
                window: &window.view,
                notices: &window.notices,
            };
            let html = self.templates.render(templates::MAINTENANCE, &page)?;
            self.writer.write(&window.view.path, html.as_bytes())?;
            for notice in &window.notices {
                read.feed.push(FeedEntry {
                    incident_id: window.view.id.clone(),
                    incident_title: window.view.title.clone(),
                    heading: maintenance::feed_label(&notice.stage)
                        .unwrap_or_else(|| notice.status_label.to_string()),
                    update: notice.clone(),
                });
            }
            read.latest_update = read.latest_update.max(Some(window.updated_at));
        }
        read.warnings.extend(windows.warnings.iter().cloned());
        read.skipped.extend(windows.skipped.iter().cloned());
        Ok(())
    }
}

fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .expect("the site's JSON holds only strings, numbers and lists");
    bytes.push(b'\n');
    bytes
}

/// Refuses to write the site over the project's own folder or into the record, where
/// `incidents/<id>.html` would land beside the incidents' folders.
fn refuse_record_folder(config: &Config, out: &Path) -> Result<(), SiteError> {
    let out_abs = resolved(out);
    if out_abs == resolved(config.root()) || out_abs.starts_with(resolved(&config.incidents_dir()))
    {
        return Err(SiteError::OutHoldsRecord {
            path: out.to_path_buf(),
        });
    }
    Ok(())
}

/// Returns `path` with its longest existing ancestor made canonical, so a folder that does
/// not exist yet still compares equal to where it will be.
fn resolved(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        let probe = if existing.as_os_str().is_empty() {
            Path::new(".")
        } else {
            existing
        };
        if let Ok(canonical) = probe.canonicalize() {
            return rest
                .iter()
                .rev()
                .fold(canonical, |path, name| path.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}
