//! `incident render`: print the drafts of an update for every channel (or one).

use clap::Args;

use super::Session;
use crate::config::Channel;
use crate::error::CommandError;
use crate::record::{Incident, Store};
use crate::render::{Draft, RenderError, Renderer};

/// Print the drafts of an update, as each channel would publish them
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Update number (default: the latest)
    #[arg(long = "update", value_name = "N")]
    update: Option<usize>,
    /// Only this channel: status, blog, social, chat, email or banner
    #[arg(long, value_name = "CH", value_parser = parse_channel)]
    channel: Option<Channel>,
}

pub fn run(args: RenderArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, &args.id)?;
    let seq = pick_update(&incident, args.update)?;
    let renderer = Renderer::new(&config);
    let drafts = match args.channel {
        Some(channel) => vec![renderer.render(&incident, seq, channel)?],
        None => renderer.render_all(&incident, seq)?,
    };
    if session.printer.json_mode() {
        return session.printer.json(&drafts);
    }
    if args.channel.is_some() {
        return session.printer.out(&drafts[0].plain());
    }
    session.printer.out(&sections(&drafts))
}

/// Returns the update number to act on: `--update N` checked, or the latest.
pub fn pick_update(incident: &Incident, requested: Option<usize>) -> Result<usize, CommandError> {
    let count = incident.updates.len();
    match requested {
        None => Ok(count),
        Some(seq) if (1..=count).contains(&seq) => Ok(seq),
        Some(seq) => Err(CommandError::usage(format!(
            "incident {} has no update {seq}",
            incident.id
        ))
        .hint(format!(
            "its updates are numbered 1 to {count}; `incident show {}` lists them",
            incident.id
        ))),
    }
}

/// Returns every draft under a heading naming its channel.
pub fn sections(drafts: &[Draft]) -> String {
    let mut text = String::new();
    for draft in drafts {
        let edited = if draft.edited { " (edited)" } else { "" };
        let heading = format!("── {}{edited} ", draft.channel);
        text.push_str(&format!("{heading:─<60}\n"));
        text.push_str(&draft.plain());
        text.push('\n');
    }
    text
}

pub fn parse_channel(text: &str) -> Result<Channel, String> {
    text.parse().map_err(|()| {
        let names: Vec<&str> = Channel::ALL.iter().map(|channel| channel.name()).collect();
        format!("channels are {}", names.join(", "))
    })
}

impl From<RenderError> for CommandError {
    fn from(error: RenderError) -> CommandError {
        CommandError::usage(error.to_string())
            .hint("fix the template, or delete the override to use the built-in one")
    }
}
