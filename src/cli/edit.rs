//! `incident edit`: change a draft in the person's editor and keep the edited text.

use std::path::Path;
use std::process::Command;

use clap::Args;

use super::answers::parse_channel;
use super::session::Session;
use super::session::pick_update;
use crate::error::CommandError;
use crate::fsutil;
use crate::record::{Edited, Event, EventBody, Incident, Loaded, id};
use crate::render::Renderer;
use crate::vocab::Channel;

/// Edit an update's draft for one channel in $VISUAL or $EDITOR; later renders and publishes use it
///
/// Nothing is stored when the editor fails or the text is left unchanged.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Update number (default: the latest)
    #[arg(long = "update", value_name = "N")]
    update: Option<usize>,
    /// The channel whose text to edit: status, blog, social, chat, email or banner
    #[arg(long, value_name = "CH", value_parser = parse_channel)]
    channel: Channel,
}

pub fn run(args: EditArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = super::session::store_of(&config, &args.id);
    let incident = session.load_incident(&store, &args.id)?;
    let seq = pick_update(&incident, args.update)?;
    let update_event = incident.updates[seq - 1].event_id.clone();
    let draft = Renderer::new(&config).render(&incident, seq, args.channel)?;
    let editor = session.env.editor.clone().or_else(|| {
        // Like git: with a person at a terminal, `vi` is a fair last resort.
        session.prompter.is_interactive().then(|| "vi".to_string())
    });
    let Some(editor) = editor else {
        return Err(CommandError::usage(
            "no editor: `$VISUAL` and `$EDITOR` are unset and there is no terminal",
        )
        .hint("set `EDITOR`, e.g. `EDITOR=nano incident edit …`"));
    };

    let dir = std::env::temp_dir().join(format!("incident-edit-{}", std::process::id()));
    fsutil::create_dir_durable(&dir)?;
    let extension = if matches!(
        args.channel,
        Channel::Status | Channel::Blog | Channel::Chat
    ) {
        "md"
    } else {
        "txt"
    };
    let file = dir.join(format!(
        "{}-{seq}-{}.{extension}",
        incident.id, args.channel
    ));
    let edited = edit_in(&editor, &file, &draft.text);
    let _ = std::fs::remove_dir_all(&dir);
    let text = edited?;

    if text.trim() == draft.text.trim() {
        session.printer.status("No changes; nothing was stored.");
        return Ok(());
    }
    if text.trim().is_empty() {
        return Err(
            CommandError::usage("the edited text is empty; nothing was stored")
                .hint("to go back to the template's text, edit it back in"),
        );
    }
    let now = session.clock.now();
    let author = session.author(config.root());
    let channel = args.channel;
    store.append(&incident.id, |loaded: &Loaded| {
        // The update must still be there under the lock (ids are never removed, but be sure).
        let current = Incident::fold(&incident.id, &loaded.events)?;
        if !current
            .updates
            .iter()
            .any(|update| update.event_id == update_event)
        {
            return Err(CommandError::usage(format!(
                "update {seq} of {} is gone",
                incident.id
            )));
        }
        Ok(Event {
            id: id::new_event_id(),
            at: now,
            author,
            body: EventBody::Edited(Edited {
                update: update_event.clone(),
                channel,
                text: text.trim_end().to_string() + "\n",
            }),
        })
    })?;
    session.printer.success(&format!(
        "Stored the edited {channel} text of update {seq} of {}; render and publish will use it",
        incident.id
    ));
    Ok(())
}

/// Writes `text` to `file`, runs the editor on it and returns what it holds afterwards.
fn edit_in(editor: &str, file: &Path, text: &str) -> Result<String, CommandError> {
    fsutil::write_atomic(file, text.as_bytes())?;
    // Through the shell, so `EDITOR="code --wait"` works as it does for git.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("incident-editor")
        .arg(file)
        .status()
        .map_err(|error| {
            CommandError::usage(format!("cannot start the editor `{editor}`")).because(error)
        })?;
    if !status.success() {
        let code = status
            .code()
            .map_or("a signal".to_string(), |code| code.to_string());
        return Err(CommandError::usage(format!(
            "the editor `{editor}` failed (exit {code}); nothing was stored"
        )));
    }
    std::fs::read_to_string(file).map_err(|error| {
        CommandError::local(format!(
            "cannot read the edited text back from `{}`",
            file.display()
        ))
        .because(error)
    })
}
