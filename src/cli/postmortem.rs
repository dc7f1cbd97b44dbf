//! `incident postmortem`: draft the postmortem from the record. Never prompts; the same
//! record gives the same Markdown, byte for byte.

use std::path::PathBuf;

use clap::Args;

use super::session::Session;
use crate::error::CommandError;
use crate::fsutil::write_atomic;
use crate::record::Store;
use crate::render::Renderer;
use crate::report::postmortem::Facts;
use crate::report::svg;
use crate::vocab::Status;

/// Draft the postmortem of a resolved incident from its record, as Markdown (or `--json`)
#[derive(Debug, Args)]
pub struct PostmortemArgs {
    /// Incident id, or a unique prefix of it
    id: String,
    /// Write the Markdown here (and the timeline picture beside it) instead of to stdout
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Render this template instead of `postmortem.md` (a file in `templates/` next to
    /// incident.toml)
    #[arg(long, value_name = "NAME", default_value = "postmortem.md")]
    template: String,
    /// Draft it even though the incident is still open
    #[arg(long)]
    draft: bool,
}

pub fn run(args: PostmortemArgs, session: &Session) -> Result<(), CommandError> {
    let config = session.config()?;
    let store = Store::new(config.incidents_dir());
    let incident = session.load_incident(&store, &args.id)?;
    if incident.status != Status::Resolved && !args.draft {
        return Err(CommandError::usage(format!(
            "incident {} is still open; its postmortem is drafted once it is resolved",
            incident.id
        ))
        .hint(format!(
            "pass `--draft` to draft it now, or resolve it with `incident resolve {}`",
            incident.id
        )));
    }
    let overrides = config.root().join("templates");
    if crate::templates::EMBEDDED
        .iter()
        .all(|(name, _)| *name != args.template)
        && !overrides.join(&args.template).is_file()
    {
        return Err(CommandError::usage(format!(
            "no template `{}` in `{}`",
            args.template,
            overrides.display()
        ))
        .hint("put it there, or leave out `--template` for the built-in one"));
    }
    let now = session.clock.now();
    let mut facts = Facts::gather(&incident, &config, now);
    if session.printer.json_mode() {
        return session.printer.json(&facts);
    }
    let renderer = Renderer::new(&config);
    let Some(output) = args.output else {
        let markdown = renderer.render_named(&args.template, &facts)?;
        return session.printer.out(&markdown);
    };
    let stem = output
        .file_stem()
        .map_or("postmortem".into(), |stem| stem.to_string_lossy());
    let picture_name = format!("{stem}-timeline.svg");
    let picture = output.with_file_name(&picture_name);
    facts.picture = Some(picture_name);
    let markdown = renderer.render_named(&args.template, &facts)?;
    if let Some(folder) = output
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        crate::fsutil::create_dir_durable(folder)?;
    }
    let drawing = svg::timeline(&incident, &config, now);
    write_atomic(&picture, drawing.as_bytes())
        .and_then(|()| write_atomic(&output, markdown.as_bytes()))?;
    session.printer.success(&format!(
        "Wrote {} and {}.",
        output.display(),
        picture.display()
    ));
    Ok(())
}
