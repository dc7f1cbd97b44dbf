//! `file`: each post written into a folder, one file per update and channel. Writing the
//! same post again rewrites the same file, so it is always safe to resend.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::config::{Config, FileSettings};
use crate::publish::{Context, Delivered, Delivery, Policy, Post, PublishError, Publisher};
use crate::vocab::Channel;

#[derive(Debug)]
pub struct File {
    /// The folder, relative to `incident.toml` unless absolute.
    folder: PathBuf,
}

impl File {
    pub fn new(settings: &FileSettings, config: &Config) -> File {
        File {
            folder: config.root().join(&settings.path),
        }
    }

    /// `<folder>/<incident>/<seq>-<stage>.<channel>.<ext>`
    fn path(&self, post: &Post) -> PathBuf {
        let extension = match post.draft.channel {
            Channel::Status | Channel::Blog | Channel::Chat => "md",
            Channel::Social | Channel::Email | Channel::Banner => "txt",
        };
        self.folder.join(&post.incident.id).join(format!(
            "{:03}-{}.{}.{extension}",
            post.update.seq, post.update.stage, post.draft.channel
        ))
    }
}

impl Publisher for File {
    fn can_edit(&self) -> bool {
        true
    }

    fn preview(&self, post: &Post, _now: DateTime<Utc>) -> Result<String, PublishError> {
        Ok(format!(
            "WRITE {}\n\n{}",
            self.path(post).display(),
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
            let path = self.path(&post);
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
