//! `file`: each post written into a folder, one file per update and channel. Writing the
//! same post again rewrites the same file, so it is always safe to resend.
//!
//! The path is made of names read back from the record (the incident id, the stage), which
//! a merged branch can carry anything in; each is checked as config names are, so a path
//! never leaves the folder.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    Config, DeliveryRule, Kind, KindSettings, KindTable, Target, TargetProblem, fields_of,
};
use crate::publish::{
    Context, Delivered, Delivery, Policy, Post, PublishError, Publisher, Secrets,
};
use crate::vocab::Channel;

pub static KIND: Kind = Kind {
    name: "file",
    channel: Channel::Status,
    delivery: DeliveryRule::Findable,
    keys: fields_of::<Keys>,
    required: &[&["path"]],
    url_is_secret: false,
    settings,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    path: Option<Spanned<String>>,
}

/// A file target's settings.
#[derive(Debug, Clone)]
pub struct FileSettings {
    /// The folder, as written: relative to `incident.toml` unless absolute.
    pub path: PathBuf,
}

impl KindSettings for FileSettings {}

fn settings(table: &KindTable) -> Result<Arc<dyn KindSettings>, TargetProblem> {
    let keys: Keys = table.keys()?;
    Ok(Arc::new(FileSettings {
        path: PathBuf::from(table.required(&keys.path, "path")?),
    }))
}

pub fn build(
    target: &Target,
    config: &Config,
    _secrets: &Secrets,
) -> Result<Box<dyn Publisher>, PublishError> {
    let settings: &FileSettings = target.settings();
    Ok(Box::new(File {
        folder: config.root().join(&settings.path),
    }))
}

#[derive(Debug)]
pub struct File {
    /// The folder, relative to `incident.toml` unless absolute.
    folder: PathBuf,
}

impl File {
    /// `<folder>/<incident>/<seq>-<stage>.<channel>.<ext>`
    fn path(&self, post: &Post) -> Result<PathBuf, PublishError> {
        let extension = match post.draft.channel {
            Channel::Status | Channel::Blog | Channel::Chat => "md",
            Channel::Social | Channel::Email | Channel::Banner => "txt",
        };
        let incident = checked_name("incident id", &post.incident.id)?;
        let stage = checked_name("stage", &post.update.stage)?;
        Ok(self.folder.join(incident).join(format!(
            "{:03}-{stage}.{}.{extension}",
            post.update.seq, post.draft.channel
        )))
    }
}

impl Publisher for File {
    fn can_edit(&self) -> bool {
        true
    }

    fn preview(&self, post: &Post, _now: DateTime<Utc>) -> Result<String, PublishError> {
        Ok(format!(
            "WRITE {}\n\n{}",
            self.path(post)?.display(),
            post.draft.plain()
        ))
    }

    fn deliver<'a>(
        &'a self,
        _context: &'a Context,
        post: Post<'a>,
        _policy: Policy,
    ) -> Delivery<'a> {
        Box::pin(async move {
            let path = match self.path(&post) {
                Ok(path) => path,
                Err(error) => return Delivered::refused(error),
            };
            let written = path
                .parent()
                .map_or(Ok(()), crate::fsutil::create_dir_durable)
                .and_then(|()| crate::fsutil::write_atomic(&path, post.draft.plain().as_bytes()));
            Delivered {
                result: written
                    .map(|()| super::shared::file_remote(&path))
                    .map_err(|error| PublishError::Write {
                        message: error.to_string(),
                    }),
                tries: 1,
                errors: Vec::new(),
            }
        })
    }
}

/// Returns `name` if it is a name as config names are (lowercase letters, digits, `-`):
/// what a file path may be made of. A record can hold anything, `x/../../PWNED` included.
pub fn checked_name<'a>(what: &str, name: &'a str) -> Result<&'a str, PublishError> {
    if crate::vocab::is_valid_name(name) {
        Ok(name)
    } else {
        Err(PublishError::unsendable(format!(
            "the record names {what} `{}`, which is not a name (lowercase letters, digits and `-`): no file is written from it",
            name.escape_debug()
        )))
    }
}
