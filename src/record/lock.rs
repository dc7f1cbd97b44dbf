//! One publisher per incident at a time: an OS file lock on `incidents/<id>/.publish.lock`,
//! held by `publish` from before it reads the record to plan until every result is recorded.
//!
//! The kernel releases the lock when its holder dies, `kill -9` included, so a dead
//! publisher never blocks the next one. While the lock is held its file says who holds it
//! ([`Holder`]: author, pid, host, since when), for the message a waiting publisher prints.
//! The lock is also the marker that a publisher is live: a `publish_started` without its
//! `publish_finished` seen by someone who holds the lock was left by a process that died
//! (nobody else can be publishing), and one seen while the lock is held by another is in
//! flight ([`PublishLock::is_held`]).
//!
//! The holder's words are advisory: the lock is the file lock alone, never the text.

use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::store::StoreError;
use super::timestamp;
use crate::fsutil::Context;

/// The lock file's name inside an incident's folder; `incident init` keeps it out of git.
pub const LOCK_FILE: &str = ".publish.lock";

/// Who holds an incident's publish lock, as its file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub author: String,
    pub pid: u32,
    pub host: String,
    #[serde(
        serialize_with = "timestamp::serialize",
        deserialize_with = "timestamp::deserialize"
    )]
    pub since: DateTime<Utc>,
}

impl Holder {
    /// Returns this process as the holder, publishing for `author` since `since`.
    pub fn this_process(author: &str, host: &str, since: DateTime<Utc>) -> Holder {
        Holder {
            author: author.to_string(),
            pid: std::process::id(),
            host: host.to_string(),
            since,
        }
    }
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (pid {} on {}, since {})",
            self.author,
            self.pid,
            self.host,
            crate::time::rfc3339(self.since)
        )
    }
}

/// An incident's publish lock, held until dropped.
#[derive(Debug)]
pub struct PublishLock {
    file: File,
    path: PathBuf,
}

/// What trying for the lock gave.
#[derive(Debug)]
pub enum Attempt {
    Acquired(PublishLock),
    /// Another publisher holds it; `None` when its file does not say who (yet).
    Held(Option<Holder>),
}

impl PublishLock {
    /// Takes the lock at `path` if nobody holds it, and writes `holder()` into it.
    pub fn try_acquire(
        path: &Path,
        holder: impl FnOnce() -> Holder,
    ) -> Result<Attempt, StoreError> {
        let file = open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Attempt::Acquired(PublishLock::taken(
                file,
                path,
                &holder(),
            )?)),
            Err(TryLockError::WouldBlock) => Ok(Attempt::Held(read_holder(path))),
            Err(TryLockError::Error(error)) => Err(Err(error).context("lock", path)?),
        }
    }

    /// Takes the lock at `path`, waiting as long as another publisher holds it; `waiting`
    /// is told who that is (once) before the wait begins. Writes `holder()`, asked once
    /// the lock is ours (so its `since` is when it was taken), into it.
    pub fn acquire(
        path: &Path,
        holder: impl FnOnce() -> Holder,
        waiting: impl FnOnce(Option<&Holder>),
    ) -> Result<PublishLock, StoreError> {
        let file = open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                waiting(read_holder(path).as_ref());
                // The kernel wakes us when the holder unlocks, exits or dies.
                file.lock().context("lock", path)?;
            }
            Err(TryLockError::Error(error)) => return Err(Err(error).context("lock", path)?),
        }
        PublishLock::taken(file, path, &holder())
    }

    /// Returns who holds the lock at `path` if a live process holds it, without taking it.
    /// `Ok(None)` means nobody does: a publication left in flight was interrupted.
    pub fn is_held(path: &Path) -> Result<Option<Option<Holder>>, StoreError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(Err(error).context("open", path)?),
        };
        match file.try_lock_shared() {
            Ok(()) => Ok(None),
            Err(TryLockError::WouldBlock) => Ok(Some(read_holder(path))),
            Err(TryLockError::Error(error)) => Err(Err(error).context("lock", path)?),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn taken(mut file: File, path: &Path, holder: &Holder) -> Result<PublishLock, StoreError> {
        let mut text = serde_json::to_string(holder).expect("a holder is plain JSON");
        text.push('\n');
        // Whoever waits reads this while we hold the lock; a torn read is only "unknown".
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(text.as_bytes()))
            .context("write", path)?;
        Ok(PublishLock {
            file,
            path: path.to_path_buf(),
        })
    }
}

impl Drop for PublishLock {
    fn drop(&mut self) {
        // Cleared before the lock goes, so nobody reads a finished publisher as the holder.
        // A publisher that dies leaves its words behind; they are read only while someone
        // holds the lock, and the next holder writes its own first.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

fn open(path: &Path) -> Result<File, StoreError> {
    // Never truncated on open: that would erase the words of the publisher holding it.
    Ok(OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .context("open", path)?)
}

/// Returns who the lock file at `path` says holds it, if it says so readably.
pub fn read_holder(path: &Path) -> Option<Holder> {
    let mut text = String::new();
    File::open(path).ok()?.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

/// Returns the name of this machine, for the lock's holder: the kernel's host name, or
/// `unknown` where it cannot be read.
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|path| {
            std::fs::read_to_string(path)
                .ok()
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(author: &str) -> Holder {
        Holder::this_process(author, "box", "2026-11-24T08:00:00Z".parse().unwrap())
    }

    fn acquired(attempt: Attempt) -> PublishLock {
        match attempt {
            Attempt::Acquired(lock) => lock,
            Attempt::Held(holder) => panic!("held by {holder:?}"),
        }
    }

    #[test]
    fn one_holder_at_a_time_and_the_file_says_who() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        assert!(PublishLock::is_held(&path).unwrap().is_none());
        let first = acquired(PublishLock::try_acquire(&path, || holder("Dana")).unwrap());
        assert_eq!(read_holder(&path), Some(holder("Dana")));
        // A second open file description is refused while the first holds it, as another
        // process would be.
        match PublishLock::try_acquire(&path, || holder("Sam")).unwrap() {
            Attempt::Held(Some(who)) => assert_eq!(who, holder("Dana")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            PublishLock::is_held(&path).unwrap(),
            Some(Some(holder("Dana")))
        );
        // Trying did not erase the holder's words.
        assert_eq!(read_holder(&path), Some(holder("Dana")));
        drop(first);
        assert!(PublishLock::is_held(&path).unwrap().is_none());
        assert_eq!(read_holder(&path), None, "cleared on release");
        let second = acquired(PublishLock::try_acquire(&path, || holder("Sam")).unwrap());
        assert_eq!(read_holder(&path), Some(holder("Sam")));
        drop(second);
    }

    #[test]
    fn a_waiter_is_told_who_holds_it_and_gets_it_on_release() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        let first = acquired(PublishLock::try_acquire(&path, || holder("Dana")).unwrap());
        let (told, heard) = std::sync::mpsc::channel();
        let waiter = {
            let path = path.clone();
            std::thread::spawn(move || {
                let lock = PublishLock::acquire(
                    &path,
                    || holder("Sam"),
                    |who| {
                        told.send(who.cloned()).unwrap();
                    },
                )
                .unwrap();
                read_holder(lock.path())
            })
        };
        // The waiter says who it waits for before it blocks; it cannot have the lock yet.
        assert_eq!(heard.recv().unwrap(), Some(holder("Dana")));
        assert_eq!(read_holder(&path), Some(holder("Dana")));
        drop(first);
        assert_eq!(waiter.join().unwrap(), Some(holder("Sam")));
        assert!(PublishLock::is_held(&path).unwrap().is_none());
    }

    #[test]
    fn a_dead_holders_words_do_not_hold_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        // What a publisher killed with -9 leaves: its words, and no lock (the kernel freed
        // it with the process).
        std::fs::write(&path, serde_json::to_string(&holder("Gone")).unwrap()).unwrap();
        assert!(PublishLock::is_held(&path).unwrap().is_none());
        let lock = acquired(PublishLock::try_acquire(&path, || holder("Sam")).unwrap());
        assert_eq!(read_holder(&path), Some(holder("Sam")));
        drop(lock);
    }

    #[test]
    fn the_holder_reads_as_a_person_would_say_it() {
        assert_eq!(
            holder("Dana").to_string(),
            format!(
                "Dana (pid {} on box, since 2026-11-24T08:00:00Z)",
                std::process::id()
            )
        );
        assert!(!host_name().is_empty());
    }
}
