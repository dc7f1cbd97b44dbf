//! `static`: one Markdown file per incident in a static site's content folder, rewritten
//! whole by every update: front matter for the site generator (`flavor`: the cState status
//! page theme, a Hugo post or a Jekyll post), then the updates so far, newest first.
//!
//! The file is made from the record alone, so publishing the same state again writes the
//! same bytes; rewriting is always safe to repeat, and an edited text rewrites it in place.
//!
//! What people typed shows as text on every flavor: `<`, `>` and `&` become entities (a
//! typed `<script>` shows as typed, where Jekyll would run it and Hugo drop it), and the
//! generators' own syntax (shortcodes, Liquid) is broken up. Titles are YAML strings, and for
//! cState also safe inside the theme's JSON templates, which paste them between quotes
//! unescaped. Each update shows its time once, and `lastmod` is the latest update's.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    Choice, ComponentStatus, Config, DeliveryRule, Kind, KindSettings, KindTable, Target,
    TargetProblem, fields_of,
};
use crate::publish::{
    Context, Delivered, Delivery, Policy, Post, PublishError, Publisher, Secrets,
};
use crate::record::maintenance::{self, Window};
use crate::record::{Incident, PublicationState, Update};
use crate::render::Renderer;
use crate::vocab::{Channel, Status};

#[derive(Debug)]
pub struct StaticSite {
    target: Target,
    /// The content folder, relative to `incident.toml` unless absolute.
    folder: PathBuf,
    flavor: Flavor,
}

pub static KIND: Kind = Kind {
    name: "static",
    channel: Channel::Status,
    delivery: DeliveryRule::Findable,
    keys: fields_of::<Keys>,
    required: &[&["path"], &["flavor"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    path: Option<Spanned<String>>,
    flavor: Option<Spanned<String>>,
}

/// A static target's settings.
#[derive(Debug, Clone)]
pub struct StaticSettings {
    /// The content folder, as written: relative to `incident.toml` unless absolute.
    pub path: PathBuf,
    pub flavor: Flavor,
}

impl KindSettings for StaticSettings {}

/// Which static site generator a `static` target writes for (`flavor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Cstate,
    Hugo,
    Jekyll,
}

impl Choice for Flavor {
    const KEY: &'static str = "flavor";
    const CHOICES: &'static [(&'static str, Flavor)] = &[
        ("cstate", Flavor::Cstate),
        ("hugo", Flavor::Hugo),
        ("jekyll", Flavor::Jekyll),
    ];
}

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    let flavor = table.choice(&keys.flavor, None)?;
    Ok(Arc::new(StaticSettings {
        path: PathBuf::from(table.required(&keys.path, "path")?),
        flavor,
    }))
}

pub fn build(
    target: &Target,
    config: &Config,
    _secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let settings: &StaticSettings = target.settings();
    Ok(Box::new(StaticSite {
        target: target.clone(),
        folder: config.root().join(&settings.path),
        flavor: settings.flavor,
    }))
}

impl StaticSite {
    /// The file of `incident`, refused when the record's id is not a name: a path read back
    /// from the record must stay in the folder.
    fn path(&self, incident: &Incident) -> Result<PathBuf, PublishError> {
        super::file::checked_name("incident id", &incident.id)?;
        let name = match self.flavor {
            Flavor::Cstate | Flavor::Jekyll => format!(
                "{}-{}.md",
                incident.started_at.format("%Y-%m-%d"),
                incident.id
            ),
            Flavor::Hugo => format!("{}.md", incident.id),
        };
        Ok(self.folder.join(name))
    }

    /// The updates the file shows: those this target receives, up to the one published now
    /// or the latest one it already shows, whichever is later (re-publishing an edit of an
    /// early update must not drop the later ones).
    fn shown<'a>(&self, post: &Post<'a>) -> Vec<&'a Update> {
        let target = self.target.name.as_str();
        let latest_shown = post
            .incident
            .updates
            .iter()
            .filter(|update| {
                update.publications.iter().any(|publication| {
                    publication.target == target && publication.state == PublicationState::Published
                })
            })
            .map(|update| update.seq)
            .max()
            .unwrap_or(0);
        let last = post.update.seq.max(latest_shown);
        post.incident
            .updates
            .iter()
            .filter(|update| update.seq <= last)
            .filter(|update| {
                update.event_id == post.update.event_id || self.target.receives(&update.stage)
            })
            .collect()
    }

    /// The whole file.
    fn document(&self, post: &Post) -> Result<String, PublishError> {
        let renderer = Renderer::new(post.config);
        let mut entries = Vec::new();
        for update in self.shown(post) {
            let text = if update.event_id == post.update.event_id {
                post.draft.text.clone()
            } else {
                renderer
                    .render(post.incident, update.seq, self.target.channel)
                    .map_err(|error| PublishError::unsendable(error.to_string()))?
                    .text
            };
            entries.push((update, text));
        }
        let latest = entries.last().map_or(post.update, |(update, _)| *update);
        let mut out = self.front_matter(post.config, post.incident, latest);
        out.push('\n');
        let zone = post.config.org.timezone;
        let body: Vec<String> = entries
            .iter()
            .rev()
            .map(|(update, text)| {
                let text =
                    without_posted(without_heading(text, update, post.incident), update, zone);
                let text = self.escape(text);
                let label = label(post.incident, update);
                match self.flavor {
                    Flavor::Cstate => format!(
                        "*{label}* - {text} {{{{< track \"{}\" >}}}}\n",
                        update.at.format("%Y-%m-%d %H:%M:%S")
                    ),
                    Flavor::Hugo | Flavor::Jekyll => format!(
                        "### {label} — {}\n\n{text}\n",
                        crate::time::local_with_utc(update.at, zone)
                    ),
                }
            })
            .collect();
        out.push_str(&body.join("\n"));
        Ok(out)
    }

    fn front_matter(&self, config: &Config, incident: &Incident, latest: &Update) -> String {
        let title = match self.flavor {
            Flavor::Cstate => quote(&json_template_safe(&incident.title)),
            Flavor::Hugo | Flavor::Jekyll => quote(&without_controls(&incident.title)),
        };
        let lastmod = crate::time::rfc3339(latest.at.max(incident.started_at));
        let mut lines = vec!["---".to_string()];
        let window = match self.flavor {
            Flavor::Cstate => window_as_of(incident, latest),
            Flavor::Hugo | Flavor::Jekyll => None,
        };
        match (self.flavor, window) {
            (Flavor::Cstate, Some(window)) => {
                // cState's planned maintenance: an informational, pinned notice dated at the
                // start while it is ahead (the theme lists future-dated issues as upcoming),
                // a notice on its systems while it runs, resolved when it is over.
                let scheduled = window.state == maintenance::State::Scheduled;
                lines.push(format!("title: {title}"));
                lines.push(format!("date: {}", crate::time::rfc3339(window.starts_at)));
                lines.push(format!("lastmod: {lastmod}"));
                lines.push(format!("resolved: {}", window.state.is_over()));
                if window.state.is_over() {
                    let when = match window.state {
                        maintenance::State::Completed => window.changed_at,
                        _ => window.ends_at,
                    };
                    lines.push(format!("resolvedWhen: {}", crate::time::rfc3339(when)));
                }
                lines.push("severity: notice".to_string());
                self.affected(config, incident, &mut lines);
                lines.push("section: issue".to_string());
                lines.push(format!("informational: {scheduled}"));
                lines.push(format!("pin: {scheduled}"));
            }
            (Flavor::Cstate, None) => {
                // A retracted incident (a false alarm) is over, whichever update shows last.
                let resolved = latest.status == Status::Resolved || incident.retracted.is_some();
                lines.push(format!("title: {title}"));
                lines.push(format!(
                    "date: {}",
                    crate::time::rfc3339(incident.started_at)
                ));
                lines.push(format!("lastmod: {lastmod}"));
                lines.push(format!("resolved: {resolved}"));
                if resolved {
                    let when = incident
                        .resolved_at
                        .or(incident.retracted.as_ref().map(|retraction| retraction.at))
                        .unwrap_or(latest.at);
                    lines.push(format!("resolvedWhen: {}", crate::time::rfc3339(when)));
                }
                // cState's words for how bad it is, from the same scale as component statuses.
                let severity = match ComponentStatus::of_severity(config, &incident.severity) {
                    ComponentStatus::MajorOutage => "down",
                    ComponentStatus::PartialOutage => "disrupted",
                    _ => "notice",
                };
                lines.push(format!("severity: {severity}"));
                self.affected(config, incident, &mut lines);
                lines.push("section: issue".to_string());
            }
            (Flavor::Hugo, _) => {
                lines.push(format!("title: {title}"));
                lines.push(format!(
                    "date: {}",
                    crate::time::rfc3339(incident.started_at)
                ));
                lines.push(format!("lastmod: {lastmod}"));
                lines.push("draft: false".to_string());
                lines.push(format!("tags: {}", tags(incident)));
            }
            (Flavor::Jekyll, _) => {
                lines.push("layout: post".to_string());
                lines.push(format!("title: {title}"));
                lines.push(format!(
                    "date: {}",
                    incident.started_at.format("%Y-%m-%d %H:%M:%S +0000")
                ));
                // Jekyll's name for it (jekyll-seo-tag, jekyll-sitemap and most themes).
                lines.push(format!(
                    "last_modified_at: {}",
                    latest
                        .at
                        .max(incident.started_at)
                        .format("%Y-%m-%d %H:%M:%S +0000")
                ));
                lines.push(format!("tags: {}", tags(incident)));
            }
        }
        lines.push("---".to_string());
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// cState's `affected` list: the components' names, which must match its systems.
    fn affected(&self, config: &Config, incident: &Incident, lines: &mut Vec<String>) {
        if incident.components.is_empty() {
            lines.push("affected: []".to_string());
            return;
        }
        lines.push("affected:".to_string());
        for id in &incident.components {
            let name = config.components.get(id).unwrap_or(id);
            lines.push(format!("  - {}", quote(&json_template_safe(name))));
        }
    }

    /// Keeps text people typed from being read as HTML or as the generator's own syntax:
    /// `&`, `<`, `>` as entities (so no raw HTML reaches the page, and Hugo's shortcodes
    /// `{{<` cannot open), `{{%` in Hugo, Liquid's `{%` and `{{` in Jekyll; control
    /// characters dropped. The entities render as the characters they replace.
    fn escape(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\n' | '\t' => out.push(c),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        match self.flavor {
            Flavor::Cstate | Flavor::Hugo => out.replace("{{%", "{{&#37;"),
            Flavor::Jekyll => out.replace("{{", "&#123;&#123;").replace("{%", "&#123;%"),
        }
    }
}

impl Publisher for StaticSite {
    fn can_edit(&self) -> bool {
        true
    }

    fn preview(&self, post: &Post, _now: DateTime<Utc>) -> Result<String, PublishError> {
        Ok(format!(
            "WRITE {}\n\n{}",
            self.path(post.incident)?.display(),
            self.document(post)?
        ))
    }

    fn deliver<'a>(
        &'a self,
        _context: &'a Context,
        post: Post<'a>,
        _policy: Policy,
    ) -> Delivery<'a> {
        Box::pin(async move {
            let path = match self.path(post.incident) {
                Ok(path) => path,
                Err(error) => return Delivered::refused(error),
            };
            let written = self.document(&post).and_then(|document| {
                crate::fsutil::create_dir_durable(&self.folder)
                    .and_then(|()| crate::fsutil::write_atomic(&path, document.as_bytes()))
                    .map_err(|error| PublishError::Write {
                        message: error.to_string(),
                    })
            });
            Delivered {
                result: written.map(|()| super::shared::file_remote(&path)),
                tries: 1,
                errors: Vec::new(),
            }
        })
    }
}

/// The window `incident` is, as it stood after `latest`, when it is a maintenance window.
fn window_as_of(incident: &Incident, latest: &Update) -> Option<Window> {
    if incident.severity != maintenance::SEVERITY {
        return None;
    }
    Window::as_of(incident, latest.seq)
}

/// The words an update is headed with: its status, or a maintenance notice's stage.
fn label(incident: &Incident, update: &Update) -> &'static str {
    match maintenance::Stage::from_name(&update.stage) {
        Some(stage) if incident.severity == maintenance::SEVERITY => stage.label(),
        _ => update.status.label(),
    }
}

/// The text without the opening line the default status template gives it
/// ("**Investigating** — Uploads failing"): the file already shows both.
fn without_heading<'t>(text: &'t str, update: &Update, incident: &Incident) -> &'t str {
    let heading = format!("**{}** — {}", update.status.label(), incident.title);
    let text = text.trim();
    match text.strip_prefix(&heading) {
        Some(rest) if rest.starts_with('\n') && !rest.trim().is_empty() => rest.trim_start(),
        _ => text,
    }
}

/// The text without the closing line the default status template gives it ("Posted
/// 03:00 EST (08:00 UTC)."): the file shows each update's time once, its own way.
fn without_posted<'t>(text: &'t str, update: &Update, zone: chrono_tz::Tz) -> &'t str {
    let posted = format!("Posted {}.", crate::time::local_with_utc(update.at, zone));
    match text.trim_end().strip_suffix(&posted) {
        Some(rest) if rest.is_empty() || rest.ends_with('\n') => rest.trim_end(),
        _ => text,
    }
}

/// `text` without control characters.
fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// `text` as cState's JSON templates can paste it between quotes unescaped (`"title":
/// "{{ .Title }}"`): straight double quotes become typographic ones, a backslash a look-alike,
/// control characters go. It reads the same on the page.
fn json_template_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open = true;
    for c in text.chars() {
        match c {
            '"' => {
                out.push(if open { '“' } else { '”' });
                open = !open;
            }
            '\\' => out.push('⧵'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn quote(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// `["incident", "<component id>", …]`
fn tags(incident: &Incident) -> String {
    let tags: Vec<String> = std::iter::once("incident")
        .chain(incident.components.iter().map(String::as_str))
        .map(quote)
        .collect();
    format!("[{}]", tags.join(", "))
}
