//! Rendering an update into each channel's shape through minijinja.
//!
//! Templates come embedded in the binary; a `templates/` folder next to `incident.toml`
//! overrides any of them by name. Undefined variables are errors, never blanks. What people
//! typed reaches templates only as values, so `{{ x }}` in a message comes out literally.
//! Blog Markdown becomes HTML through pulldown-cmark with any raw HTML escaped.

mod context;
mod draft;
pub mod html;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::{Environment, UndefinedBehavior};

use crate::config::Config;
use crate::record::Incident;
use crate::templates;
use crate::vocab::Channel;
pub use context::Context;
pub use draft::Draft;

/// A template that failed to load or render.
#[derive(Debug, thiserror::Error)]
#[error("{place}: {cause}")]
pub struct RenderError {
    /// Where the template lives: its override file, or "built-in template `name`".
    pub place: String,
    pub line: Option<usize>,
    pub cause: String,
}

/// Renders updates for every channel.
pub struct Renderer<'a> {
    env: Environment<'static>,
    config: &'a Config,
    overrides: PathBuf,
}

impl<'a> Renderer<'a> {
    /// Returns a renderer using the embedded templates and the overrides next to the config.
    pub fn new(config: &'a Config) -> Renderer<'a> {
        let overrides = config.root().join("templates");
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("the default delimiters are valid"),
        );
        let loader_dir = overrides.clone();
        env.set_loader(move |name| load(&loader_dir, name));
        let zone = config.org.timezone;
        env.add_filter("local", move |at: String| {
            time_filter(&at, zone, crate::time::local_with_utc)
        });
        env.add_filter("local_time", move |at: String| {
            time_filter(&at, zone, crate::time::local_time_with_utc)
        });
        env.add_function(
            "duration",
            |from: String, to: String| -> Result<String, minijinja::Error> {
                Ok(crate::time::human_duration(
                    parse_time(&to)? - parse_time(&from)?,
                ))
            },
        );
        Renderer {
            env,
            config,
            overrides,
        }
    }

    /// Renders update `seq` (1-based) of `incident` for `channel`, using the person's edited
    /// text when there is one.
    pub fn render(
        &self,
        incident: &Incident,
        seq: usize,
        channel: Channel,
    ) -> Result<Draft, RenderError> {
        let index = seq
            .checked_sub(1)
            .filter(|index| *index < incident.updates.len())
            .ok_or_else(|| RenderError {
                place: format!("incident `{}`", incident.id),
                line: None,
                cause: format!("has no update {seq}"),
            })?;
        let update = &incident.updates[index];
        let context = Context::new(self.config, incident, index, channel.name());
        let edited = update.edits.get(&channel);
        let template = self
            .config
            .playbook
            .any_stage(&update.stage)
            .and_then(|stage| stage.templates.get(&channel))
            .map_or(templates::body_template(channel), String::as_str);
        let text = match edited {
            Some(text) => text.clone(),
            None => self.render_template(template, &context)?,
        };
        let text = tidy(&text, channel);
        let subject = match channel {
            Channel::Email => Some(tidy(
                &self.render_template(templates::EMAIL_SUBJECT, &context)?,
                Channel::Banner,
            )),
            _ => None,
        };
        let html = (channel == Channel::Blog).then(|| html::markdown_to_html(&text));
        Ok(Draft {
            channel,
            text,
            subject,
            html,
            edited: edited.is_some(),
        })
    }

    /// Renders every channel for update `seq`.
    pub fn render_all(&self, incident: &Incident, seq: usize) -> Result<Vec<Draft>, RenderError> {
        Channel::ALL
            .into_iter()
            .map(|channel| self.render(incident, seq, channel))
            .collect()
    }

    /// Renders template `name` (embedded or overridden) with any serializable context.
    pub fn render_named<T: serde::Serialize>(
        &self,
        name: &str,
        context: &T,
    ) -> Result<String, RenderError> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(minijinja::value::Serde(context)))
            .map_err(|error| self.explain(name, &error))
    }

    fn render_template(&self, name: &str, context: &Context) -> Result<String, RenderError> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(minijinja::value::Serde(context)))
            .map_err(|error| self.explain(name, &error))
    }

    /// Turns a minijinja error into one line naming the template file and line.
    fn explain(&self, requested: &str, error: &minijinja::Error) -> RenderError {
        let name = error.name().unwrap_or(requested);
        let override_path = self.overrides.join(name);
        let place = if override_path.is_file() {
            format!("template `{}`", override_path.display())
        } else {
            format!("built-in template `{name}`")
        };
        let place = match error.line() {
            Some(line) => format!("{place} line {line}"),
            None => place,
        };
        let cause = match error.detail() {
            Some(detail) => format!("{}: {detail}", kind_text(error.kind())),
            None => kind_text(error.kind()),
        };
        RenderError {
            place,
            line: error.line(),
            cause,
        }
    }
}

fn kind_text(kind: minijinja::ErrorKind) -> String {
    let text = kind.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// Loads an override from `dir`, else the embedded template.
fn load(dir: &Path, name: &str) -> Result<Option<String>, minijinja::Error> {
    // Template names come from our code and from `import`/`include` in templates; refuse
    // anything that would leave the templates folder.
    if name.contains("..") || name.starts_with('/') {
        return Ok(None);
    }
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(source) => Ok(Some(source)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Ok(templates::embedded(name).map(str::to_string))
        }
        Err(error) => Err(minijinja::Error::new(
            minijinja::ErrorKind::TemplateNotFound,
            format!("cannot read `{}`: {error}", path.display()),
        )),
    }
}

/// Reads an RFC 3339 time handed to a template helper.
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, minijinja::Error> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("`{text}` is not a time"),
            )
        })
}

/// A template filter showing an RFC 3339 time in the org's zone with `format`.
pub(crate) fn time_filter(
    text: &str,
    zone: Tz,
    format: fn(DateTime<Utc>, Tz) -> String,
) -> Result<String, minijinja::Error> {
    Ok(format(parse_time(text)?, zone))
}

/// Trims trailing spaces, squeezes blank lines to one, and makes one-line channels one line.
fn tidy(text: &str, channel: Channel) -> String {
    if matches!(channel, Channel::Banner) {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    if channel == Channel::Social {
        // A social post is one paragraph; stray template line breaks become spaces.
        return out.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}
