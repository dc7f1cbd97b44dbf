//! What several target kinds share: counting the tries of a publication made of several
//! requests, the remote id of an earlier update, blog HTML, file remotes, headlines.

use crate::config::Target;
use crate::publish::{PublishError, Secrets, Url};

/// The tries and errors of a publication that takes several requests (a lookup, then a
/// write), so the record counts them all.
#[derive(Debug, Default)]
pub struct Tally {
    pub(super) tries: u32,
    pub(super) errors: Vec<PublishError>,
}

impl Tally {
    /// Sends one request through the shared client, with retries, counting its tries and
    /// noting what went wrong.
    pub async fn send(
        &mut self,
        context: &crate::publish::Context,
        policy: crate::publish::Policy,
        build: impl Fn(chrono::DateTime<chrono::Utc>) -> crate::publish::Outgoing,
    ) -> crate::publish::http::Sent {
        let sent = context
            .http
            .send(policy, || context.clock.current(), build)
            .await;
        self.tries += sent.tries;
        self.errors.extend(sent.errors.iter().cloned());
        sent
    }

    /// Notes a failure the target explains in its own words, in place of the last error.
    pub fn explain(&mut self, error: PublishError) -> PublishError {
        match self.errors.last_mut() {
            Some(last) => *last = error.clone(),
            None => self.errors.push(error.clone()),
        }
        error
    }

    pub fn delivered(
        self,
        result: Result<crate::publish::Remote, PublishError>,
    ) -> crate::publish::Delivered {
        crate::publish::Delivered {
            result,
            tries: self.tries,
            errors: self.errors,
        }
    }
}

/// The remote id this target recorded for the incident's first published update other
/// than this one: the status a later update replies to, the Statuspage incident it adds
/// to, the post it rewrites, the email it threads onto.
pub fn incident_remote(post: &crate::publish::Post, target: &str) -> Option<String> {
    post.incident
        .updates
        .iter()
        .filter(|update| update.event_id != post.update.event_id)
        .find_map(|update| update.published_on(target)?.remote_id.clone())
}

/// The HTML of a blog post: the draft's (Markdown made HTML for a channel without it),
/// without the heading repeating the title, which the blog shows on its own.
pub fn blog_html(post: &crate::publish::Post) -> String {
    let html = post
        .draft
        .html
        .clone()
        .unwrap_or_else(|| crate::render::html::markdown_to_html(&post.draft.text));
    let title = crate::render::html::markdown_to_html(&format!("# {}", post.incident.title));
    match html.strip_prefix(title.trim_end()) {
        Some(rest) => rest.trim_start().to_string(),
        None => html,
    }
}

/// Where a post written to a file is: its path, and a `file://` URL to it.
pub fn file_remote(path: &std::path::Path) -> crate::publish::Remote {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    crate::publish::Remote {
        id: Some(path.display().to_string()),
        url: Some(format!("file://{}", absolute.display())),
    }
}

/// The headline of a post: "Investigating: Uploads failing".
pub fn headline(post: &crate::publish::Post) -> String {
    format!("{}: {}", post.update.status.label(), post.incident.title)
}

/// Returns a URL kept in the environment (a chat webhook's, a webhook's `url_env`), checked
/// like one in the file. In a dry run an unset variable shows as `$NAME`.
pub fn url_from_env(
    target: &Target,
    secrets: &Secrets,
    variable: &str,
) -> Result<Url, PublishError> {
    match secrets.lookup(target, "url_env", variable)? {
        Some(secret) => {
            let value = secret.expose();
            // The message does not repeat the value: it holds a credential.
            crate::config::check_url(value, target.allow_insecure).map_err(|_| {
                PublishError::bad_setting(format!(
                    "`{variable}` (`url_env` of target `{}`) must be an `https://` URL (plain `http://` only to loopback, or with `allow_insecure = true`)",
                    target.name
                ))
            })?;
            Ok(Url::secret(value, variable))
        }
        None => Ok(Url::secret(&format!("${variable}"), variable)),
    }
}
