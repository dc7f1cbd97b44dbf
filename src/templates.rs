//! The embedded template files: the defaults, built in from the top-level `templates/` folder,
//! and the names each channel renders. Data only; `render` builds the environment from it.

use crate::vocab::Channel;

/// Every embedded template by name. A file of the same name in the `templates/` folder next
/// to `incident.toml` replaces it.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("_macros.j2", include_str!("../templates/_macros.j2")),
    ("status.md", include_str!("../templates/status.md")),
    ("blog.md", include_str!("../templates/blog.md")),
    ("social.txt", include_str!("../templates/social.txt")),
    ("chat.md", include_str!("../templates/chat.md")),
    ("email.txt", include_str!("../templates/email.txt")),
    (
        "email_subject.txt",
        include_str!("../templates/email_subject.txt"),
    ),
    ("banner.txt", include_str!("../templates/banner.txt")),
    ("postmortem.md", include_str!("../templates/postmortem.md")),
    // The status site (`incident site build`); `site/style.css` is copied, not rendered.
    (
        "site/_layout.html",
        include_str!("../templates/site/_layout.html"),
    ),
    (
        "site/_macros.html",
        include_str!("../templates/site/_macros.html"),
    ),
    (
        "site/index.html",
        include_str!("../templates/site/index.html"),
    ),
    (
        "site/history.html",
        include_str!("../templates/site/history.html"),
    ),
    (
        "site/incident.html",
        include_str!("../templates/site/incident.html"),
    ),
    ("site/feed.xml", include_str!("../templates/site/feed.xml")),
    (
        "site/style.css",
        include_str!("../templates/site/style.css"),
    ),
];

/// Returns the embedded source of `name`.
pub fn embedded(name: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(embedded, _)| *embedded == name)
        .map(|(_, source)| *source)
}

/// Returns the template that renders a channel's body by default.
pub fn body_template(channel: Channel) -> &'static str {
    match channel {
        Channel::Status => "status.md",
        Channel::Blog => "blog.md",
        Channel::Social => "social.txt",
        Channel::Chat => "chat.md",
        Channel::Email => "email.txt",
        Channel::Banner => "banner.txt",
    }
}

/// The template of the email subject line.
pub const EMAIL_SUBJECT: &str = "email_subject.txt";
