//! The site's minijinja environment: the embedded `site/*` templates, overridable by name from
//! the `templates/` folder next to `incident.toml` exactly like the channel templates, HTML
//! auto-escaping for `.html` and `.xml` names, and the time filters.

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::SiteError;
use crate::config::Config;
use crate::render::RenderError;

/// The frame every page extends.
const LAYOUT: &str = "site/_layout.html";
/// Pieces the pages import.
const MACROS: &str = "site/_macros.html";
/// The front page: overall and component status, open incidents, recent history.
pub const INDEX: &str = "site/index.html";
/// Every past incident by month.
pub const HISTORY: &str = "site/history.html";
/// One incident: its facts, timeline picture and every update.
pub const INCIDENT: &str = "site/incident.html";
/// The Atom feed of updates.
pub const ATOM: &str = "site/feed.xml";
/// The one style sheet, copied as it is (not rendered).
pub const STYLE: &str = "site/style.css";

/// Renders the site's templates.
pub struct Templates {
    env: Environment<'static>,
    overrides: PathBuf,
}

impl Templates {
    /// Returns the templates for `config`: embedded, or overridden from its `templates/`.
    pub fn new(config: &Config) -> Templates {
        let overrides = config.root().join("templates");
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("the default delimiters are valid"),
        );
        let loader_dir = overrides.clone();
        env.set_loader(move |name| load(&loader_dir, name).map_err(template_not_found));
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == AutoEscape::Html
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                return crate::render::html::escape_into(out, text).map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        let zone = config.org.timezone;
        env.add_filter("local", move |at: String| {
            crate::render::time_filter(&at, zone, crate::time::local_with_utc)
        });
        env.add_filter("local_time", move |at: String| {
            crate::render::time_filter(&at, zone, crate::time::local_time_with_utc)
        });
        env.add_filter("local_date", move |at: String| {
            crate::render::time_filter(&at, zone, |at, zone| {
                at.with_timezone(&zone).format("%Y-%m-%d").to_string()
            })
        });
        env.add_function(
            "duration",
            |from: String, to: String| -> Result<String, minijinja::Error> {
                Ok(crate::time::human_duration(
                    crate::render::parse_time(&to)? - crate::render::parse_time(&from)?,
                ))
            },
        );
        Templates { env, overrides }
    }

    /// Compiles every site template and reads the style sheet, so that a broken override
    /// fails the build before any file is written rather than halfway through it.
    pub fn check(&self) -> Result<(), SiteError> {
        for name in [LAYOUT, MACROS, INDEX, HISTORY, INCIDENT, ATOM] {
            self.env
                .get_template(name)
                .map_err(|error| SiteError::Render(self.explain(name, &error)))?;
        }
        self.source(STYLE).map(drop)
    }

    /// Renders template `name` with `context`, ending in a newline.
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, SiteError> {
        let mut text = self
            .env
            .get_template(name)
            .and_then(|template| template.render(minijinja::value::Serde(context)))
            .map_err(|error| SiteError::Render(self.explain(name, &error)))?;
        // A page rendered through `extends` loses the layout's last newline.
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }

    /// Returns the source of a file that is copied rather than rendered, such as the style
    /// sheet: the override if there is one, else the embedded one.
    pub fn source(&self, name: &str) -> Result<String, SiteError> {
        load(&self.overrides, name)?.ok_or_else(|| {
            SiteError::Render(RenderError {
                place: format!("built-in template `{name}`"),
                line: None,
                cause: "no such template".to_string(),
            })
        })
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
        let kind = error.kind().to_string();
        let mut chars = kind.chars();
        let kind = match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => kind,
        };
        let cause = match error.detail() {
            Some(detail) => format!("{kind}: {detail}"),
            None => kind,
        };
        RenderError {
            place,
            line: error.line(),
            cause,
        }
    }
}

/// Loads an override from `dir`, else the embedded template.
fn load(dir: &Path, name: &str) -> Result<Option<String>, SiteError> {
    // Names come from our code and from `extends`/`import` in templates; refuse anything
    // that would leave the templates folder.
    if name.contains("..") || name.starts_with('/') {
        return Ok(None);
    }
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(source) => Ok(Some(source)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Ok(crate::templates::EMBEDDED
                .iter()
                .find(|(embedded, _)| *embedded == name)
                .map(|(_, source)| (*source).to_string()))
        }
        Err(source) => Err(SiteError::Io(crate::fsutil::IoError {
            action: "read",
            path,
            source,
        })),
    }
}

fn template_not_found(error: SiteError) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::TemplateNotFound, error.to_string())
}
