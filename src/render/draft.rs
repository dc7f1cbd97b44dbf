//! `Draft`: one channel's rendering of one update, as it would be published.

use serde::Serialize;

use crate::vocab::Channel;

/// The text of one update for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub channel: Channel,
    /// The body: Markdown for `status`, `blog` and `chat`; plain text for the others.
    pub text: String,
    /// The subject line, for `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The body as HTML, for `blog` (raw HTML in the Markdown is escaped, never passed on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Whether a person edited this text (`incident edit`) rather than the template making it.
    pub edited: bool,
}

impl Draft {
    /// Returns the draft as it would be sent and as `render` prints it: the subject line
    /// first for email.
    pub fn plain(&self) -> String {
        let mut text = String::new();
        if let Some(subject) = &self.subject {
            text.push_str(&format!("Subject: {subject}\n\n"));
        }
        text.push_str(&self.text);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }
}
