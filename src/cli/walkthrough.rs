//! What a person sees after each stage: the drafts that will go out for it, so nothing is
//! published unseen.

use super::Session;
use super::render::sections;
use crate::config::{Channel, Config};
use crate::record::Incident;
use crate::render::Renderer;

/// Returns the channels that some target routes `stage` to; every channel when no target
/// is configured, so the person still sees what the templates make.
pub fn routed_channels(config: &Config, stage: &str) -> Vec<Channel> {
    if config.targets.is_empty() {
        return Channel::ALL.to_vec();
    }
    Channel::ALL
        .into_iter()
        .filter(|channel| {
            config.targets.iter().any(|target| {
                target.channel == *channel
                    && target
                        .stages
                        .as_ref()
                        .is_none_or(|stages| stages.iter().any(|routed| routed == stage))
            })
        })
        .collect()
}

/// Prints the drafts of update `seq` on stderr (not with `--json` or `-q`). The update is
/// already recorded, so a template problem is a warning here, not a failure.
pub fn review(session: &Session, config: &Config, incident: &Incident, seq: usize) {
    if session.printer.json_mode() || session.printer.is_quiet() {
        return;
    }
    let Some(update) = incident.updates.get(seq - 1) else {
        return;
    };
    let channels = routed_channels(config, &update.stage);
    if channels.is_empty() {
        session.printer.status(&format!(
            "No target receives the `{}` stage; nothing will be published for it.",
            update.stage
        ));
        return;
    }
    let renderer = Renderer::new(config);
    let drafts: Result<Vec<_>, _> = channels
        .into_iter()
        .map(|channel| renderer.render(incident, seq, channel))
        .collect();
    match drafts {
        Ok(drafts) => {
            session
                .printer
                .heading(&format!("\nDrafts of update {seq} (what will go out):"));
            session.printer.status(sections(&drafts).trim_end());
            session.printer.status(&format!(
                "\nChange a draft with `incident edit {} --channel CHANNEL`.",
                incident.id
            ));
        }
        Err(error) => session
            .printer
            .warn(&format!("the drafts could not be rendered: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn routes_by_target_stages() {
        let source = r#"
[org]
name = "Acme"
timezone = "UTC"
[severities.sev1]
label = "Critical"
acknowledge_within = "15m"
update_every = "30m"
[targets.blog]
kind = "file"
path = "out"
channel = "blog"
stages = ["explain"]
[targets.chat]
kind = "file"
path = "out"
channel = "chat"
"#;
        let config = Config::parse(Path::new("incident.toml"), source).unwrap();
        assert_eq!(
            routed_channels(&config, "explain"),
            [Channel::Blog, Channel::Chat]
        );
        assert_eq!(routed_channels(&config, "acknowledge"), [Channel::Chat]);
    }
}
