//! The feeds of updates: Atom (RFC 4287, rendered from the overridable `site/feed.xml`) and
//! JSON Feed 1.1 (built with serde), one entry per update, newest first.
//!
//! A feed holds the latest [`FEED_ENTRIES`] updates, not all of them: readers poll it, and
//! years of updates would make every poll megabytes. Each entry's id is
//! `urn:incident:<incident id>:<event id>`. The event id (a ULID) rather than the update's
//! number, because numbers follow time order and shift when a merge brings in an update from
//! another clone; an entry id must never change or name another update.

use serde::Serialize;

use super::pages::{OrgView, UpdateView};
use crate::config::Config;

/// How many updates the feeds hold.
pub const FEED_ENTRIES: usize = 100;

/// One update of one incident, as a feed entry.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub incident_id: String,
    pub incident_title: String,
    /// What the entry's title starts with: the update's status ("Identified"), or what a
    /// maintenance notice says ("Maintenance scheduled").
    pub heading: String,
    pub update: UpdateView,
}

impl FeedEntry {
    /// Returns the entry's permanent id.
    pub fn id(&self) -> String {
        format!("urn:incident:{}:{}", self.incident_id, self.update.event_id)
    }

    /// When the entry last changed: its update's time, or a later correction's or
    /// retraction's.
    pub fn updated(&self) -> &str {
        self.update.revised_at.as_deref().unwrap_or(&self.update.at)
    }

    /// Returns the entry's title: "Identified: Photos shown to the wrong people".
    pub fn title(&self) -> String {
        format!("{}: {}", self.heading, self.incident_title)
    }

    /// Newest first; ties (two updates in the same second) by incident and number.
    fn order(a: &FeedEntry, b: &FeedEntry) -> std::cmp::Ordering {
        b.update
            .at
            .cmp(&a.update.at)
            .then_with(|| a.incident_id.cmp(&b.incident_id))
            .then_with(|| b.update.seq.cmp(&a.update.seq))
    }
}

/// The latest entries seen so far, in bounded memory whatever the number of updates.
#[derive(Debug, Default)]
pub struct Latest {
    entries: Vec<FeedEntry>,
}

impl Latest {
    pub fn push(&mut self, entry: FeedEntry) {
        self.entries.push(entry);
        // Trimming only when twice full keeps the sorting cost per entry constant.
        if self.entries.len() >= 2 * FEED_ENTRIES {
            self.trim();
        }
    }

    /// Takes in the entries another reader kept.
    pub fn merge(&mut self, other: Latest) {
        for entry in other.entries {
            self.push(entry);
        }
    }

    /// Returns the latest [`FEED_ENTRIES`] entries, newest first.
    pub fn into_sorted(mut self) -> Vec<FeedEntry> {
        self.trim();
        self.entries
    }

    fn trim(&mut self) {
        self.entries.sort_by(FeedEntry::order);
        self.entries.truncate(FEED_ENTRIES);
    }
}

/// Where the site lives: absolute URLs under `org.status_url` when it is set, else paths
/// relative to the feed (which sits at the site's root).
pub struct Links {
    base: Option<String>,
}

impl Links {
    pub fn new(config: &Config) -> Links {
        Links {
            base: config
                .org
                .status_url
                .as_deref()
                .map(|url| format!("{}/", url.trim_end_matches('/'))),
        }
    }

    /// Returns the URL of `path` (relative to the site's root).
    pub fn url(&self, path: &str) -> String {
        match &self.base {
            Some(base) => format!("{base}{path}"),
            None => path.to_string(),
        }
    }

    /// Returns the URL of the front page: the site's address itself when it is known.
    pub fn home(&self) -> String {
        self.base
            .clone()
            .unwrap_or_else(|| "index.html".to_string())
    }

    /// Returns the absolute URL of `path`, if the site's address is known.
    pub fn absolute(&self, path: &str) -> Option<String> {
        self.base.as_ref().map(|base| format!("{base}{path}"))
    }

    /// Returns the feed's permanent id: the site's address, else a URN from the org's name.
    pub fn feed_id(&self, config: &Config) -> String {
        match &self.base {
            Some(base) => base.clone(),
            None => {
                let slug: String = config
                    .org
                    .name
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect();
                format!("urn:incident:site:{}", slug.trim_matches('-'))
            }
        }
    }
}

/// What `site/feed.xml` sees.
#[derive(Debug, Serialize)]
pub struct AtomFeed<'a> {
    pub org: OrgView<'a>,
    pub id: String,
    pub title: String,
    /// The newest entry's time (the build time when there is none yet).
    pub updated: String,
    pub self_url: String,
    pub home_url: String,
    pub entries: Vec<AtomEntry>,
}

#[derive(Debug, Serialize)]
pub struct AtomEntry {
    pub id: String,
    pub title: String,
    pub updated: String,
    pub published: String,
    pub url: String,
    pub status: &'static str,
    /// The update's status text as HTML; the template escapes it into the XML.
    pub content_html: String,
}

impl<'a> AtomFeed<'a> {
    pub fn new(
        config: &'a Config,
        links: &Links,
        entries: &[FeedEntry],
        updated: String,
    ) -> AtomFeed<'a> {
        AtomFeed {
            org: OrgView::new(config),
            id: links.feed_id(config),
            title: format!("{} status", config.org.name),
            updated,
            self_url: links.url("feed.xml"),
            home_url: links.home(),
            entries: entries
                .iter()
                .map(|entry| AtomEntry {
                    id: entry.id(),
                    title: entry.title(),
                    updated: entry.updated().to_string(),
                    published: entry.update.at.clone(),
                    url: links.url(&entry.update.path),
                    status: entry.update.status.name(),
                    content_html: entry.update.html.clone(),
                })
                .collect(),
        }
    }
}

/// A JSON Feed 1.1 document.
#[derive(Debug, Serialize)]
pub struct JsonFeed {
    pub version: &'static str,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
    pub description: String,
    pub language: &'static str,
    pub authors: Vec<JsonAuthor>,
    pub items: Vec<JsonItem>,
}

#[derive(Debug, Serialize)]
pub struct JsonAuthor {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonItem {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub title: String,
    pub content_html: String,
    pub date_published: String,
    /// When a correction or retraction last changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_modified: Option<String>,
    pub tags: Vec<&'static str>,
}

impl JsonFeed {
    pub fn new(config: &Config, links: &Links, entries: &[FeedEntry]) -> JsonFeed {
        JsonFeed {
            version: "https://jsonfeed.org/version/1.1",
            title: format!("{} status", config.org.name),
            home_page_url: links.absolute(""),
            feed_url: links.absolute("feed.json"),
            description: format!("Updates on incidents affecting {}", config.org.name),
            language: "en",
            authors: vec![JsonAuthor {
                name: config.org.name.clone(),
                url: links.absolute(""),
            }],
            items: entries
                .iter()
                .map(|entry| JsonItem {
                    id: entry.id(),
                    url: links.absolute(&entry.update.path),
                    title: entry.title(),
                    content_html: entry.update.html.clone(),
                    date_published: entry.update.at.clone(),
                    date_modified: entry.update.revised_at.clone(),
                    tags: vec![entry.update.status.name()],
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Status;

    fn entry(incident: &str, seq: usize, minute: u32) -> FeedEntry {
        FeedEntry {
            incident_id: incident.to_string(),
            incident_title: "Title".to_string(),
            heading: "Identified".to_string(),
            update: UpdateView {
                seq,
                event_id: format!("01EVENT{seq}"),
                stage: "explain".to_string(),
                stage_title: "Explain".to_string(),
                status: Status::Identified,
                status_label: "Identified",
                at: format!("2026-11-24T{:02}:{:02}:00Z", minute / 60, minute % 60),
                next_update_at: None,
                text: String::new(),
                html: String::new(),
                path: String::new(),
                revised_at: None,
            },
        }
    }

    #[test]
    fn keeps_the_latest_entries_newest_first() {
        let mut first = Latest::default();
        let mut second = Latest::default();
        for minute in 0..300 {
            let target = if minute % 2 == 0 {
                &mut first
            } else {
                &mut second
            };
            target.push(entry("abc", minute as usize + 1, minute));
        }
        // A tie in time goes to the incident id, then the later update.
        second.push(entry("aaa", 1, 299));
        first.merge(second);
        let entries = first.into_sorted();
        assert_eq!(entries.len(), FEED_ENTRIES);
        assert_eq!(entries[0].incident_id, "aaa");
        assert_eq!(entries[1].update.seq, 300);
        assert_eq!(entries[FEED_ENTRIES - 1].update.at, "2026-11-24T03:21:00Z");
    }
}
