//! `incident render`: print the drafts of an update for every channel (or one).

use clap::Args;

use super::answers::parse_channel;
use super::output::sections;
use super::session::{Session, pick_update, store_of};
use crate::error::CommandError;
use crate::render::Renderer;
use crate::vocab::Channel;

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
    let store = store_of(&config, &args.id);
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
