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
    (
        "site/maintenance.html",
        include_str!("../templates/site/maintenance.html"),
    ),
    ("site/feed.xml", include_str!("../templates/site/feed.xml")),
    (
        "site/style.css",
        include_str!("../templates/site/style.css"),
    ),
    // Maintenance windows: one long-form and one one-line body per stage.
    (
        "maintenance/_macros.j2",
        include_str!("../templates/maintenance/_macros.j2"),
    ),
    (
        "maintenance/announce.md",
        include_str!("../templates/maintenance/announce.md"),
    ),
    (
        "maintenance/announce.txt",
        include_str!("../templates/maintenance/announce.txt"),
    ),
    (
        "maintenance/remind.md",
        include_str!("../templates/maintenance/remind.md"),
    ),
    (
        "maintenance/remind.txt",
        include_str!("../templates/maintenance/remind.txt"),
    ),
    (
        "maintenance/start.md",
        include_str!("../templates/maintenance/start.md"),
    ),
    (
        "maintenance/start.txt",
        include_str!("../templates/maintenance/start.txt"),
    ),
    (
        "maintenance/verify.md",
        include_str!("../templates/maintenance/verify.md"),
    ),
    (
        "maintenance/verify.txt",
        include_str!("../templates/maintenance/verify.txt"),
    ),
    (
        "maintenance/complete.md",
        include_str!("../templates/maintenance/complete.md"),
    ),
    (
        "maintenance/complete.txt",
        include_str!("../templates/maintenance/complete.txt"),
    ),
    (
        "maintenance/cancel.md",
        include_str!("../templates/maintenance/cancel.md"),
    ),
    (
        "maintenance/cancel.txt",
        include_str!("../templates/maintenance/cancel.txt"),
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

/// Returns the template of a maintenance stage (`maintenance-start`, …) for a channel, or
/// `None` for any other stage.
pub fn maintenance_template(stage: &str, channel: Channel) -> Option<&'static str> {
    let short = stage.strip_prefix("maintenance-")?;
    let one_line = matches!(channel, Channel::Social | Channel::Banner);
    EMBEDDED.iter().map(|(name, _)| *name).find(|name| {
        name.strip_prefix("maintenance/")
            .and_then(|rest| rest.strip_suffix(if one_line { ".txt" } else { ".md" }))
            == Some(short)
    })
}

/// The template of the email subject line.
pub const EMAIL_SUBJECT: &str = "email_subject.txt";
