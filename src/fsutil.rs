//! File-system helpers whose errors name their path, and the durable-write primitives the
//! record and `init` rely on: fsync of a folder after a file is created in it, and whole-file
//! writes through a temporary file renamed into place.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An I/O error with the path it happened on and what was being done.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} `{}`: {source}", path.display())]
pub struct IoError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Wraps an `io::Result` so its error names the path and the action.
pub trait Context<T> {
    fn context(self, action: &'static str, path: &Path) -> Result<T, IoError>;
}

impl<T> Context<T> for std::io::Result<T> {
    fn context(self, action: &'static str, path: &Path) -> Result<T, IoError> {
        self.map_err(|source| IoError {
            action,
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Flushes a folder's entries to disk, so a file created in it survives power loss.
pub fn sync_dir(dir: &Path) -> Result<(), IoError> {
    File::open(dir)
        .and_then(|handle| handle.sync_all())
        .context("sync folder", dir)
}

/// Creates `dir` (and its parents) if missing, syncing each parent whose entries changed.
pub fn create_dir_durable(dir: &Path) -> Result<(), IoError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        create_dir_durable(parent)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => {}
        // Another process made it between the check and now: that is what we wanted.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(error) => return Err(error).context("create folder", dir),
    }
    match dir.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        Some(parent) => sync_dir(parent),
        None => sync_dir(Path::new(".")),
    }
}

/// Writes `contents` to `path` whole or not at all: a temporary file beside it, fsynced,
/// then renamed over it.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), IoError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        // Errors name the file being written; the temporary one is ours, not the reader's.
        let mut file = File::create(&temp).context("write", path)?;
        file.write_all(contents).context("write", path)?;
        file.sync_all().context("write", path)?;
        std::fs::rename(&temp, path).context("replace", path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
