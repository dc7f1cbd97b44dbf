//! Writing the site's files: each whole or not at all, and only when its bytes changed.
//!
//! A web server may be serving the folder while it is rebuilt, so a file that replaces
//! another goes to a temporary name beside it and is renamed into place; a reader sees the
//! old page or the new one, never half of one. Unlike the record, the site is derived data that the next build
//! makes again, so files are not fsynced: for 5,000 incident pages that would cost more than
//! the rest of the build. A file whose bytes are already there is left alone, which keeps
//! its modification time for `rsync` and static hosts that upload only what changed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::fsutil::{Context, IoError};

/// Writes files under one folder and counts what it did.
#[derive(Debug)]
pub struct Writer {
    out: PathBuf,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

impl Writer {
    pub fn new(out: PathBuf) -> Writer {
        Writer {
            out,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        }
    }

    /// Writes `contents` to `relative` (a path with `/` separators under the folder, whose
    /// parent folder exists).
    pub fn write(&self, relative: &str, contents: &[u8]) -> Result<(), IoError> {
        let path = self.out.join(relative);
        match std::fs::read(&path) {
            Ok(existing) if existing == contents => {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            Ok(_) => replace(&path, contents)?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                create(&path, contents)?;
            }
            Err(error) => return Err(error).context("read", &path),
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Returns how many files were written and how many were already as they should be.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.written.load(Ordering::Relaxed),
            self.unchanged.load(Ordering::Relaxed),
        )
    }
}

/// Writes a file that did not exist. No reader can have followed a link to it yet (the pages
/// that link to it are written after it), so it is written in place, saving a first build
/// one rename per page. Should the file appear meanwhile, it is replaced the careful way.
fn create(path: &Path, contents: &[u8]) -> Result<(), IoError> {
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return replace(path, contents);
        }
        Err(error) => return Err(error).context("create", path),
    };
    let written = file.write_all(contents).context("write", path);
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

fn replace(path: &Path, contents: &[u8]) -> Result<(), IoError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, contents)
        .context("write", &temp)
        .and_then(|()| std::fs::rename(&temp, path).context("replace", path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Writer::new(dir.path().to_path_buf());
        writer.write("a.html", b"one").unwrap();
        writer.write("a.html", b"one").unwrap();
        writer.write("a.html", b"two").unwrap();
        assert_eq!(writer.counts(), (2, 1));
        assert_eq!(std::fs::read(dir.path().join("a.html")).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.html"], "no temporary file is left behind");
    }
}
