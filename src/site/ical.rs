//! `maintenance.ics`: every maintenance window as an iCalendar event (RFC 5545), so people
//! can subscribe to planned work in their calendar.
//!
//! One `VEVENT` per window, cancelled ones included (`STATUS:CANCELLED`, so a subscribed
//! calendar removes the event instead of keeping a stale one). The `UID` is the window's id
//! under the site's host and never changes; `SEQUENCE` counts the window's changes after its
//! announcement, so a calendar takes the newer version. Times are UTC. Like every file of
//! the site it is a function of the record: `DTSTAMP` is when the window last changed, not
//! the build time.

use chrono::{DateTime, Utc};

use super::feeds::Links;
use super::maintenance::ReadWindow;
use crate::config::Config;
use crate::record::maintenance::State;

/// RFC 5545 §3.1: lines longer than 75 octets are folded.
const LINE_OCTETS: usize = 75;

/// Returns the calendar of `windows`.
pub fn calendar(config: &Config, links: &Links, windows: &[ReadWindow]) -> String {
    let mut out = Calendar::default();
    out.line("BEGIN", "VCALENDAR");
    out.line("VERSION", "2.0");
    out.line("PRODID", "-//incident//Maintenance windows//EN");
    out.line("CALSCALE", "GREGORIAN");
    out.line("METHOD", "PUBLISH");
    out.text("X-WR-CALNAME", &format!("{} maintenance", config.org.name));
    let domain = uid_domain(config);
    for read in windows {
        let window = &read.window;
        out.line("BEGIN", "VEVENT");
        out.line("UID", &format!("{}.maintenance@{domain}", window.id));
        out.line("DTSTAMP", &utc(window.changed_at));
        out.line("CREATED", &utc(window.announced_at));
        out.line("LAST-MODIFIED", &utc(window.changed_at));
        out.line("SEQUENCE", &window.sequence.to_string());
        out.line("DTSTART", &utc(window.starts_at));
        out.line("DTEND", &utc(window.ends_at));
        out.text("SUMMARY", &format!("Maintenance: {}", read.view.title));
        let mut description = Vec::new();
        if !read.view.components.is_empty() {
            let names: Vec<&str> = read
                .view
                .components
                .iter()
                .map(|component| component.name.as_str())
                .collect();
            description.push(format!("Affects: {}", names.join(", ")));
        }
        if let Some(latest) = read.notices.first() {
            description.push(crate::render::html::markdown_to_text(&latest.text));
        }
        if !description.is_empty() {
            out.text("DESCRIPTION", &description.join("\n\n"));
        }
        out.line(
            "STATUS",
            match window.state {
                State::Cancelled => "CANCELLED",
                _ => "CONFIRMED",
            },
        );
        out.line("CATEGORIES", "MAINTENANCE");
        if let Some(url) = links.absolute(&read.view.path) {
            out.line("URL", &url);
        }
        out.line("END", "VEVENT");
    }
    out.line("END", "VCALENDAR");
    out.text
}

/// The host part of every UID: the status page's host, so two organisations' windows never
/// share one.
fn uid_domain(config: &Config) -> String {
    let host = config.org.status_url.as_deref().and_then(|url| {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = rest.split(['/', '?', '#']).next()?;
        let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
        // Without the port: `status.example:8443` names the same site.
        let host = match host.rsplit_once(':') {
            Some((name, port))
                if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                name
            }
            _ => host,
        };
        (!host.is_empty()).then(|| host.to_ascii_lowercase())
    });
    host.unwrap_or_else(|| {
        let slug: String = config
            .org
            .name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        format!(
            "{}.incident.invalid",
            if slug.is_empty() { "org" } else { &slug }
        )
    })
}

/// A UTC DATE-TIME, `20261124T100000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

#[derive(Default)]
struct Calendar {
    text: String,
}

impl Calendar {
    /// Writes `NAME:value` folded, ending in CRLF.
    fn line(&mut self, name: &str, value: &str) {
        let line = format!("{name}:{value}");
        let mut octets = 0;
        for c in line.chars() {
            // A folded line starts with a space, which counts.
            if octets + c.len_utf8() > LINE_OCTETS {
                self.text.push_str("\r\n ");
                octets = 1;
            }
            self.text.push(c);
            octets += c.len_utf8();
        }
        self.text.push_str("\r\n");
    }

    /// Writes a TEXT property, escaped (RFC 5545 §3.3.11), without control characters.
    fn text(&mut self, name: &str, value: &str) {
        let mut escaped = String::with_capacity(value.len());
        for c in value.chars() {
            match c {
                '\\' => escaped.push_str("\\\\"),
                ';' => escaped.push_str("\\;"),
                ',' => escaped.push_str("\\,"),
                '\n' => escaped.push_str("\\n"),
                c if c.is_control() => {}
                c => escaped.push(c),
            }
        }
        self.line(name, &escaped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_name_the_status_host_without_credentials_or_port() {
        let config = |url: &str| {
            let source = format!(
                "[org]\nname = \"Acme\"\ntimezone = \"UTC\"\nstatus_url = \"{url}\"\n\n[severities.sev1]\nlabel = \"x\"\nacknowledge_within = \"1h\"\nupdate_every = \"1h\"\n"
            );
            Config::parse(
                std::path::Path::new("incident.toml"),
                &source,
                &crate::publish::targets::kinds(),
            )
            .unwrap()
        };
        assert_eq!(
            uid_domain(&config("https://Status.Acme.example/")),
            "status.acme.example"
        );
        assert_eq!(
            uid_domain(&config("https://status.acme.example:8443/x")),
            "status.acme.example"
        );
        assert_eq!(uid_domain(&config("http://127.0.0.1:8080")), "127.0.0.1");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut calendar = Calendar::default();
        calendar.text("SUMMARY", &"é; ".repeat(40));
        for line in calendar.text.split("\r\n") {
            assert!(line.len() <= LINE_OCTETS, "{line:?}");
        }
        let unfolded = calendar.text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é\\; ".repeat(40)));
    }
}
