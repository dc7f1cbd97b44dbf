//! The site's templates by name: the embedded `site/*` pages, rendered in the one template
//! environment `render` builds (overridable by name like the channel templates, HTML
//! auto-escaped for `.html` and `.xml` names).

use serde::Serialize;

use super::SiteError;
use crate::config::Config;

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
/// One maintenance window: its facts and every notice.
pub const MAINTENANCE: &str = "site/maintenance.html";
/// The Atom feed of updates.
pub const ATOM: &str = "site/feed.xml";
/// The one style sheet, copied as it is (not rendered).
pub const STYLE: &str = "site/style.css";

/// Renders the site's templates.
pub struct Templates {
    templates: crate::render::Templates,
}

impl Templates {
    /// Returns the templates for `config`: embedded, or overridden from its `templates/`.
    pub fn new(config: &Config) -> Templates {
        Templates {
            templates: crate::render::Templates::new(config),
        }
    }

    /// Compiles every site template and reads the style sheet, so that a broken override
    /// fails the build before any file is written rather than halfway through it.
    pub fn check(&self) -> Result<(), SiteError> {
        for name in [LAYOUT, MACROS, INDEX, HISTORY, INCIDENT, MAINTENANCE, ATOM] {
            self.templates.compile(name)?;
        }
        self.source(STYLE).map(drop)
    }

    /// Renders template `name` with `context`, ending in a newline.
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, SiteError> {
        let mut text = self.templates.render(name, context)?;
        // A page rendered through `extends` loses the layout's last newline.
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }

    /// Returns the source of a file that is copied rather than rendered (the style sheet).
    pub fn source(&self, name: &str) -> Result<String, SiteError> {
        Ok(self.templates.source(name)?)
    }
}
