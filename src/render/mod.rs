//! Rendering an update into each channel's shape through minijinja.
//!
//! Templates come embedded in the binary; a `templates/` folder next to `incident.toml`
//! overrides any of them by name. Undefined variables are errors, never blanks. What people
//! typed reaches templates only as values, so `{{ x }}` in a message comes out literally.
//! Blog Markdown becomes HTML through pulldown-cmark with any raw HTML escaped.

mod context;
mod draft;
mod environment;
pub mod html;
pub mod view;

use crate::config::Config;
use crate::record::Incident;
use crate::templates;
use crate::vocab::Channel;
pub use context::Context;
pub use draft::Draft;
pub use environment::Templates;

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
    templates: Templates,
    config: &'a Config,
}

impl<'a> Renderer<'a> {
    /// Returns a renderer using the embedded templates and the overrides next to the config.
    pub fn new(config: &'a Config) -> Renderer<'a> {
        Renderer {
            templates: Templates::new(config),
            config,
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
            .map(String::as_str)
            .or_else(|| templates::maintenance_template(&update.stage, channel))
            .unwrap_or(templates::body_template(channel));
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
        self.templates.render(name, context)
    }

    fn render_template(&self, name: &str, context: &Context) -> Result<String, RenderError> {
        self.templates.render(name, context)
    }
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
