//! The one minijinja environment every template renders in (channel drafts, the status site,
//! the postmortem): the embedded templates, overridden by name from the `templates/` folder
//! next to `incident.toml`; undefined values as errors; HTML auto-escaping for `.html` and
//! `.xml` names; the time filters in the org's zone; and errors that name the template file
//! and line.
//!
//! An override is code someone wrote, so every render is bounded: it may take [`FUEL`]
//! steps of the template engine and write [`OUTPUT_LIMIT`] bytes; past either it stops
//! with an error naming the template, instead of running on at growing memory. The bounds
//! are far above what the embedded templates need for the largest records.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::RenderError;
use crate::config::Config;
use crate::fsutil::{Context as _, IoError};
use crate::templates;

/// How many steps one render may take. The postmortem and pages of an incident of 10,000
/// updates, and the site of 5,000 incidents, render within a tenth of it (they did with a
/// limit of 1,000,000); a runaway loop uses it up in well under a second.
pub const FUEL: u64 = 10_000_000;
/// How many bytes one render may write.
pub const OUTPUT_LIMIT: usize = 64 * 1024 * 1024;

/// The templates of one project, ready to render.
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
        env.set_fuel(Some(FUEL));
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("the default delimiters are valid"),
        );
        let loader_dir = overrides.clone();
        env.set_loader(move |name| {
            load(&loader_dir, name).map_err(|error| {
                minijinja::Error::new(minijinja::ErrorKind::TemplateNotFound, error.to_string())
            })
        });
        // Our escaper, not minijinja's: it also keeps control characters out of XML.
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == AutoEscape::Html
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                return super::html::escape_into(out, text).map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        let zone = config.org.timezone;
        env.add_filter("local", move |at: String| {
            time_filter(&at, zone, crate::time::local_with_utc)
        });
        env.add_filter("local_time", move |at: String| {
            time_filter(&at, zone, crate::time::local_time_with_utc)
        });
        env.add_filter("local_date", move |at: String| {
            time_filter(&at, zone, |at, zone| {
                at.with_timezone(&zone).format("%Y-%m-%d").to_string()
            })
        });
        env.add_function(
            "duration",
            |from: String, to: String| -> Result<String, minijinja::Error> {
                Ok(crate::time::human_duration(
                    parse_time(&to)? - parse_time(&from)?,
                ))
            },
        );
        Templates { env, overrides }
    }

    /// Renders template `name` with any serializable context.
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, RenderError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|error| self.explain(name, &error))?;
        let mut out = Bounded::default();
        match template.render_captured_to(minijinja::value::Serde(context), &mut out) {
            Ok(_) => String::from_utf8(out.bytes).map_err(|_| RenderError {
                place: self.place(name, None),
                line: None,
                cause: "the output is not UTF-8".to_string(),
            }),
            Err(_) if out.full => Err(RenderError {
                place: self.place(name, None),
                line: None,
                cause: format!(
                    "the output is larger than {} MiB, the most one template may write",
                    OUTPUT_LIMIT / (1024 * 1024)
                ),
            }),
            Err(error) => Err(self.explain(name, &error)),
        }
    }

    /// Compiles template `name` (and what it imports) without rendering it, so a broken
    /// override is found before anything is written.
    pub fn compile(&self, name: &str) -> Result<(), RenderError> {
        self.env
            .get_template(name)
            .map(drop)
            .map_err(|error| self.explain(name, &error))
    }

    /// Returns the source of a file that is copied rather than rendered, such as the site's
    /// style sheet: the override if there is one, else the embedded one.
    pub fn source(&self, name: &str) -> Result<String, RenderError> {
        match load(&self.overrides, name) {
            Ok(Some(source)) => Ok(source),
            Ok(None) => Err(RenderError {
                place: format!("built-in template `{name}`"),
                line: None,
                cause: "no such template".to_string(),
            }),
            Err(error) => Err(RenderError {
                place: format!("template `{}`", error.path.display()),
                line: None,
                cause: format!("cannot read it: {}", error.source),
            }),
        }
    }

    /// Turns a minijinja error into one line naming the template file and line.
    fn explain(&self, requested: &str, error: &minijinja::Error) -> RenderError {
        let name = error.name().unwrap_or(requested);
        let place = self.place(name, error.line());
        if error.kind() == minijinja::ErrorKind::OutOfFuel {
            return RenderError {
                place,
                line: error.line(),
                cause: format!(
                    "it ran out of fuel: more than {FUEL} steps, the most one template may take (a loop that goes on too long?)"
                ),
            };
        }
        let kind = lowercase_first(&error.kind().to_string());
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

    /// Names template `name`: its override file, or the built-in one, and the line.
    fn place(&self, name: &str, line: Option<usize>) -> String {
        let override_path = self.overrides.join(name);
        let place = if override_path.is_file() {
            format!("template `{}`", override_path.display())
        } else {
            format!("built-in template `{name}`")
        };
        match line {
            Some(line) => format!("{place} line {line}"),
            None => place,
        }
    }
}

/// A render's output, refusing to grow past [`OUTPUT_LIMIT`].
#[derive(Default)]
struct Bounded {
    bytes: Vec<u8>,
    full: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > OUTPUT_LIMIT {
            self.full = true;
            return Err(std::io::Error::other("the output limit is reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Loads an override from `dir`, else the embedded template.
fn load(dir: &Path, name: &str) -> Result<Option<String>, IoError> {
    // Names come from our code and from `extends`/`import`/`include` in templates; refuse
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
        Err(error) => Err(error).context("read", &path),
    }
}

/// Reads an RFC 3339 time handed to a template helper.
fn parse_time(text: &str) -> Result<DateTime<Utc>, minijinja::Error> {
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
fn time_filter(
    text: &str,
    zone: Tz,
    format: fn(DateTime<Utc>, Tz) -> String,
) -> Result<String, minijinja::Error> {
    Ok(format(parse_time(text)?, zone))
}
