//! The on-disk record: one folder per incident under `incidents/`, each holding an
//! append-only `events.jsonl`.
//!
//! Writers take an exclusive lock on the file, read it, append one line, flush and fsync;
//! only then is the event reported written. Readers take a shared lock, drop duplicate event
//! ids (a union merge can repeat lines), order by time then id, and skip with a warning any
//! line they cannot use: a torn last line from a crash, a broken line, or an event kind from
//! a newer version (which stays on disk untouched).

use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::event::{Event, FIRST_SEQ, ParsedLine};
use super::id::{self, PrefixError};
pub use super::lines::Warning;
use super::lines::{Dated, Line, parse_lines, read_lines};
use crate::fsutil::{self, Context, IoError};

/// The event log's file name inside an incident's folder.
pub const EVENTS_FILE: &str = "events.jsonl";

/// Why the record could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error(transparent)]
    Prefix(#[from] PrefixError),
    #[error("incident `{id}` already exists")]
    IdTaken { id: String },
    #[error("`{}` holds no events", path.display())]
    Empty { path: PathBuf },
}

/// The events of one incident, in order, and what was skipped reading them.
#[derive(Debug, Default)]
pub struct Loaded {
    pub events: Vec<Event>,
    pub warnings: Vec<Warning>,
}

impl Loaded {
    /// Returns the number a new update gets: one more than any written so far, or
    /// [`FIRST_SEQ`] for the first.
    pub fn next_seq(&self) -> u32 {
        self.events
            .iter()
            .filter_map(|event| event.body.update())
            .map(|update| update.seq)
            .max()
            .map_or(FIRST_SEQ, |seq| seq + 1)
    }
}

/// The folder of incidents.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: PathBuf) -> Store {
        Store { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the path of an incident's event log.
    pub fn events_path(&self, id: &str) -> PathBuf {
        self.dir.join(id).join(EVENTS_FILE)
    }

    /// Returns the path of an incident's publish lock (see [`super::lock`]).
    pub fn publish_lock_path(&self, id: &str) -> PathBuf {
        self.dir.join(id).join(super::lock::LOCK_FILE)
    }

    /// Returns every incident id, sorted. Folders without an event log are not incidents.
    pub fn ids(&self) -> Result<Vec<String>, StoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(error).context("read folder", &self.dir)?,
        };
        let mut ids = Vec::new();
        for entry in entries {
            let entry = entry.context("read folder", &self.dir)?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if crate::vocab::is_valid_name(name) && entry.path().join(EVENTS_FILE).exists() {
                ids.push(name.to_string());
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Returns the one incident id that `prefix` names.
    pub fn resolve(&self, prefix: &str) -> Result<String, StoreError> {
        // A whole id (the usual case in scripts) needs no listing of every incident, and
        // an exact id wins over longer ones it prefixes, as `resolve_prefix` decides.
        let wanted = prefix.trim().to_ascii_lowercase();
        if crate::vocab::is_valid_name(&wanted) && self.events_path(&wanted).exists() {
            return Ok(wanted);
        }
        let ids = self.ids()?;
        Ok(id::resolve_prefix(prefix, ids.iter().map(String::as_str))?.to_string())
    }

    /// Creates incident `id` with its first event. Fails if the incident exists.
    ///
    /// The log is written whole to a temporary file and linked into place, so a crash
    /// leaves either a complete first event or no incident at all, never an empty log.
    pub fn create(&self, id: &str, first: &Event) -> Result<(), StoreError> {
        let folder = self.dir.join(id);
        fsutil::create_dir_durable(&folder)?;
        let path = folder.join(EVENTS_FILE);
        let temp = folder.join(format!(".{EVENTS_FILE}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut file = File::create(&temp).context("create", &temp)?;
            let mut line = first.to_line();
            line.push('\n');
            file.write_all(line.as_bytes()).context("write", &temp)?;
            file.sync_all().context("sync", &temp)?;
            // Unlike a rename, a hard link refuses to replace an existing log.
            match std::fs::hard_link(&temp, &path) {
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    Err(StoreError::IdTaken { id: id.to_string() })
                }
                linked => Ok(linked.context("create", &path)?),
            }
        })();
        let _ = std::fs::remove_file(&temp);
        written?;
        fsutil::sync_dir(&folder)?;
        Ok(())
    }

    /// Reads an incident's events under a shared lock, a line at a time through one reused
    /// buffer: a long log is never held whole while its events are built.
    pub fn read(&self, id: &str) -> Result<Loaded, StoreError> {
        let path = self.events_path(id);
        let file = File::open(&path).context("open", &path)?;
        file.lock_shared().context("lock", &path)?;
        let reader = BufReader::with_capacity(64 * 1024, file);
        let (events, warnings) = read_lines(reader, &path, parse_line).context("read", &path)?;
        Ok(Loaded { events, warnings })
    }

    /// Returns the path and the whole content of an incident's log, read under a shared
    /// lock.
    pub fn read_bytes(&self, id: &str) -> Result<(PathBuf, Vec<u8>), StoreError> {
        let path = self.events_path(id);
        let mut file = File::open(&path).context("open", &path)?;
        file.lock_shared().context("lock", &path)?;
        // Sized once: a long log read into a growing buffer is copied again at every doubling.
        let size = file.metadata().map_or(0, |metadata| metadata.len());
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
        file.read_to_end(&mut bytes).context("read", &path)?;
        Ok((path, bytes))
    }

    /// Appends the event `build` makes from the current events, under an exclusive lock,
    /// and returns it once it is on disk.
    ///
    /// `build` sees the record as it is at that moment, so numbering and checks such as
    /// "already resolved" cannot race with another writer.
    pub fn append<E: From<StoreError>>(
        &self,
        id: &str,
        build: impl FnOnce(&Loaded) -> Result<Event, E>,
    ) -> Result<(Event, Loaded), E> {
        let (mut file, path) = self.open_locked(id)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .context("read", &path)
            .map_err(StoreError::from)?;
        let loaded = parse_log(&path, &bytes);
        let event = build(&loaded)?;
        let torn = bytes.last().is_some_and(|byte| *byte != b'\n');
        write_lines(&mut file, &path, torn, std::slice::from_ref(&event))?;
        Ok((event, loaded))
    }

    /// Appends events that do not depend on the record (publication attempts and results),
    /// under the exclusive lock, in one write and one fsync, without reading the whole log.
    pub fn record(&self, id: &str, events: &[Event]) -> Result<(), StoreError> {
        let (mut file, path) = self.open_locked(id)?;
        let torn = match file.metadata().context("read", &path)?.len() {
            0 => false,
            length => {
                let mut last = [0u8];
                file.seek(SeekFrom::Start(length - 1))
                    .and_then(|_| file.read_exact(&mut last))
                    .context("read", &path)?;
                last[0] != b'\n'
            }
        };
        write_lines(&mut file, &path, torn, events)
    }

    fn open_locked(&self, id: &str) -> Result<(File, PathBuf), StoreError> {
        let path = self.events_path(id);
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&path)
            .context("open", &path)?;
        file.lock().context("lock", &path)?;
        Ok((file, path))
    }
}

/// Runs `work` for every incident id on a few threads and returns what each thread gathered
/// in its `A`. Threads take the next id as they finish one, so one long log does not hold
/// up a thread's whole share; the first error stops them all.
pub fn in_parallel<A: Default + Send, E: Send>(
    ids: &[String],
    work: impl Fn(&str, &mut A) -> Result<(), E> + Sync,
) -> Result<Vec<A>, E> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8)
        .min(ids.len().max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let thread = || -> Result<A, E> {
        let mut gathered = A::default();
        while !failed.load(Ordering::Relaxed) {
            let Some(id) = ids.get(next.fetch_add(1, Ordering::Relaxed)) else {
                break;
            };
            if let Err(error) = work(id, &mut gathered) {
                failed.store(true, Ordering::Relaxed);
                return Err(error);
            }
        }
        Ok(gathered)
    };
    // This thread takes a share too: an idle thread's allocator heap is memory for nothing.
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(thread)).collect();
        let own = thread();
        std::iter::once(own)
            .chain(
                handles
                    .into_iter()
                    .map(|handle| handle.join().expect("reading an incident does not panic")),
            )
            .collect()
    })
}

/// Appends `events` as lines, flushed and fsynced. After a torn last line (a crash mid-write)
/// it starts on a fresh line so the first event is not glued to it.
fn write_lines(
    file: &mut File,
    path: &Path,
    torn: bool,
    events: &[Event],
) -> Result<(), StoreError> {
    let mut lines = String::new();
    if torn {
        lines.push('\n');
    }
    for event in events {
        lines.push_str(&event.to_line());
        lines.push('\n');
    }
    file.write_all(lines.as_bytes())
        .and_then(|()| file.flush())
        .and_then(|()| file.sync_all())
        .context("append to", path)?;
    Ok(())
}

/// Parses a whole event log: drops duplicates, orders by time then id, and warns about
/// every line it skips.
pub fn parse_log(path: &Path, bytes: &[u8]) -> Loaded {
    let (events, warnings) = parse_lines(path, bytes, parse_line);
    Loaded { events, warnings }
}

impl Dated for Event {
    fn id(&self) -> &str {
        &self.id
    }
    fn at(&self) -> chrono::DateTime<chrono::Utc> {
        self.at
    }
}

fn parse_line(text: &str) -> Line<Event> {
    match super::event::parse_line(text) {
        ParsedLine::Event(event) => Line::Item(event),
        ParsedLine::UnknownKind { id, kind } => Line::UnknownKind { id, kind },
        ParsedLine::Invalid(cause) => Line::Invalid(cause),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Fields;
    use crate::record::event::{EventBody, UpdateBody};
    use crate::vocab::Status;

    fn event(id: &str, at: &str, message: &str) -> Event {
        Event {
            id: id.to_string(),
            at: at.parse().unwrap(),
            author: "Dana".to_string(),
            body: EventBody::Updated(UpdateBody {
                seq: 1,
                stage: "explain".to_string(),
                status: Status::Identified,
                message: Some(message.into()),
                fields: Fields::new(),
                next_update_at: None,
            }),
        }
    }

    #[test]
    fn reads_each_line_once_and_skips_what_it_cannot_use() {
        let a = event("01A", "2026-11-24T08:00:00Z", "a").to_line();
        let a_changed = event("01A", "2026-11-24T06:00:00Z", "changed").to_line();
        let b = event("01B", "2026-11-24T07:00:00Z", "b").to_line();
        let newer =
            r#"{"id":"01D","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":{}}"#;
        let garbled = format!("{}{}", &b[..30], &a[40..]);
        let log = format!(
            "{a}\n\n{newer}\n{garbled}\n{a_changed}\n{newer}\n{b}\n\u{ff}\n{b}\n{}",
            &a[..50]
        );
        let mut bytes = log.into_bytes();
        let invalid = bytes.iter().position(|byte| *byte == 0xc3).unwrap();
        bytes[invalid] = 0xff;
        let loaded = parse_log(Path::new("e.jsonl"), &bytes);
        // The first line of an id wins, whatever its twins say; order is by time, then id.
        let events: Vec<(&str, String)> = loaded
            .events
            .iter()
            .map(|e| (e.id.as_str(), crate::time::rfc3339(e.at)))
            .collect();
        assert_eq!(
            events,
            [
                ("01B", "2026-11-24T07:00:00Z".to_string()),
                ("01A", "2026-11-24T08:00:00Z".to_string())
            ]
        );
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(warnings[0].starts_with("e.jsonl:3: event kind `escalated` is from a newer"));
        assert!(warnings[1].starts_with("e.jsonl:4: unreadable line skipped: "));
        assert_eq!(warnings[2], "e.jsonl:8: unreadable line skipped: not UTF-8");
        assert_eq!(
            warnings[3],
            "e.jsonl:10: torn last line (an interrupted write) skipped"
        );
    }

    #[test]
    fn next_seq_follows_the_highest_written() {
        let mut loaded = Loaded::default();
        assert_eq!(loaded.next_seq(), FIRST_SEQ);
        let mut high = event("01A", "2026-11-24T08:00:00Z", "a");
        if let EventBody::Updated(update) = &mut high.body {
            update.seq = 7;
        }
        loaded.events = vec![high, event("01B", "2026-11-24T09:00:00Z", "b")];
        assert_eq!(loaded.next_seq(), 8);
    }

    #[test]
    fn dedupes_orders_and_warns() {
        let a = event("01A", "2026-11-24T08:00:00Z", "a").to_line();
        let b = event("01B", "2026-11-24T07:00:00Z", "b").to_line();
        let c = event("01C", "2026-11-24T08:00:00Z", "c").to_line();
        let newer =
            r#"{"id":"01D","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":{}}"#;
        let log = format!("{a}\n{b}\nnot json\n{a}\n{newer}\n{c}\n{}", &c[..20]);
        let loaded = parse_log(Path::new("e.jsonl"), log.as_bytes());
        let ids: Vec<&str> = loaded.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["01B", "01A", "01C"]);
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with("e.jsonl:3: unreadable line skipped"));
        assert!(
            warnings[1].starts_with("e.jsonl:5: event kind `escalated` is from a newer version")
        );
        assert!(warnings[2].starts_with("e.jsonl:7: torn last line"));
    }

    #[test]
    fn a_log_read_from_disk_reads_as_one_in_memory() {
        let newer =
            r#"{"id":"NEW","at":"2026-11-24T08:00:00Z","author":"x","kind":"escalated","data":{}}"#;
        let mut lines = Vec::new();
        for n in 0..300 {
            let at = format!("2026-11-24T{:02}:{:02}:00Z", 8 + n / 60, n % 60);
            lines.push(event(&format!("{n:05}"), &at, &"x".repeat(80)).to_line());
            match n {
                // An id keeps its first line whatever its twins say, and the newer kind is
                // warned about once, where it first is.
                10 => lines.push(newer.to_string()),
                290 => {
                    let twin = event("00020", "2026-11-23T00:00:00Z", "changed");
                    lines.push(twin.to_line());
                    lines.push(newer.to_string());
                    lines.push("not json".to_string());
                }
                _ => {}
            }
        }
        let torn = lines[5][..40].to_string();
        let mut log = lines.join("\n");
        log.push('\n');
        log.push_str(&torn);

        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf());
        std::fs::create_dir(dir.path().join("abc")).unwrap();
        std::fs::write(store.events_path("abc"), &log).unwrap();
        let read = store.read("abc").unwrap();
        let parsed = parse_log(&store.events_path("abc"), log.as_bytes());
        assert_eq!(read.events, parsed.events);
        assert_eq!(read.warnings, parsed.warnings);

        assert_eq!(read.events.len(), 300);
        let twin = read.events.iter().find(|e| e.id == "00020").unwrap();
        assert_eq!(crate::time::rfc3339(twin.at), "2026-11-24T08:20:00Z");
        let warnings: Vec<(usize, &str)> = read
            .warnings
            .iter()
            .map(|w| (w.line, &w.message[..20]))
            .collect();
        assert_eq!(
            warnings,
            [
                (12, "event kind `escalate"),
                (295, "unreadable line skip"),
                (305, "torn last line (an i"),
            ]
        );
    }

    #[test]
    fn append_after_torn_line_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf());
        store
            .create("abc", &event("01A", "2026-11-24T08:00:00Z", "a"))
            .unwrap();
        let path = store.events_path("abc");
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"id\":\"01B\",\"at").unwrap();
        let result: Result<_, StoreError> = store.append("abc", |loaded| {
            assert_eq!(loaded.events.len(), 1);
            assert_eq!(loaded.warnings.len(), 1);
            Ok(event("01C", "2026-11-24T09:00:00Z", "c"))
        });
        result.unwrap();
        let loaded = store.read("abc").unwrap();
        assert_eq!(loaded.events.len(), 2);
        assert_eq!(loaded.warnings.len(), 1);
        assert!(loaded.warnings[0].message.starts_with("unreadable line"));
        assert!(matches!(
            store.create("abc", &event("01D", "2026-11-24T08:00:00Z", "d")),
            Err(StoreError::IdTaken { .. })
        ));
        assert_eq!(store.ids().unwrap(), ["abc"]);
    }

    #[test]
    fn record_appends_many_events_after_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf());
        store
            .create("abc", &event("01A", "2026-11-24T08:00:00Z", "a"))
            .unwrap();
        let mut file = OpenOptions::new()
            .append(true)
            .open(store.events_path("abc"))
            .unwrap();
        file.write_all(b"{\"id\":\"01B\",\"at").unwrap();
        store
            .record(
                "abc",
                &[
                    event("01C", "2026-11-24T09:00:00Z", "c"),
                    event("01D", "2026-11-24T09:01:00Z", "d"),
                ],
            )
            .unwrap();
        let loaded = store.read("abc").unwrap();
        let ids: Vec<&str> = loaded.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["01A", "01C", "01D"]);
        assert_eq!(loaded.warnings.len(), 1);
    }
}
