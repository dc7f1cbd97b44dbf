//! Reading an event log's lines into items: each line parsed once, the first line of an id
//! kept and its twins dropped, items ordered by time then id, and a warning for every line
//! that cannot be used.
//!
//! A long log is read in two halves at once, each a line at a time through its own buffer,
//! so neither the whole file nor a copy of it is ever held: parsing is most of `show`'s
//! time, and a machine has at least two cores.

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// A line that was skipped, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

/// What a line reader makes of one line.
pub enum Line<T> {
    Item(T),
    /// A well-formed event of a kind the reader does not know.
    UnknownKind {
        id: String,
        kind: String,
    },
    /// An event of a kind the reader knows but does not need.
    Skipped {
        id: String,
    },
    Invalid(String),
}

/// Something read from a line that has an event's id and time.
pub trait Dated {
    fn id(&self) -> &str;
    fn at(&self) -> chrono::DateTime<chrono::Utc>;
}

/// Reads every line of `bytes` with `parse`: drops duplicate ids, orders by time then id,
/// and warns once about every line it cannot use (a torn last line, a broken line, a newer
/// kind).
pub fn parse_lines<T: Dated>(
    path: &Path,
    bytes: &[u8],
    parse: impl Fn(&str) -> Line<T>,
) -> (Vec<T>, Vec<Warning>) {
    let ends_with_newline = bytes.last().is_none_or(|byte| *byte == b'\n');
    let mut stretch = Stretch::default();
    // A whole log that is UTF-8 (the usual case) is checked once.
    let texts: Box<dyn Iterator<Item = Option<&str>>> = match std::str::from_utf8(bytes) {
        Ok(text) => Box::new(text.split('\n').map(Some)),
        Err(_) => Box::new(
            bytes
                .split(|byte| *byte == b'\n')
                .map(|raw| std::str::from_utf8(raw).ok()),
        ),
    };
    let mut texts = texts.peekable();
    while let Some(line) = texts.next() {
        let last = texts.peek().is_none();
        stretch.push(path, &parse, line, last && !ends_with_newline);
    }
    finish(path, vec![stretch])
}

/// Logs shorter than this are read on one thread: a second one costs more than it saves.
pub(super) const SPLIT_FROM_BYTES: u64 = 256 * 1024;

/// Reads the log `file` (of `size` bytes, locked by the caller) with `parse`, as
/// [`parse_lines`] reads one in memory. A log of at least [`SPLIT_FROM_BYTES`] is read as
/// two halves split at a line end, the second on a thread of its own.
pub fn read_lines<T: Dated + Send>(
    file: &File,
    size: u64,
    path: &Path,
    parse: impl Fn(&str) -> Line<T> + Sync,
) -> io::Result<(Vec<T>, Vec<Warning>)> {
    let split = if size >= SPLIT_FROM_BYTES {
        line_start_after(file, size / 2)?
    } else {
        None
    };
    let Some(split) = split else {
        return Ok(finish(
            path,
            vec![read_stretch(file, 0, None, path, &parse)?],
        ));
    };
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_stretch(file, split, None, path, &parse));
        let first = read_stretch(file, 0, Some(split), path, &parse);
        (first, second.join().expect("reading a log does not panic"))
    });
    Ok(finish(path, vec![first?, second?]))
}

/// Returns where the first line starting after byte `from` begins, or `None` when no line
/// does.
fn line_start_after(file: &File, from: u64) -> io::Result<Option<u64>> {
    let mut window = [0u8; 4096];
    let mut at = from;
    loop {
        let read = file.read_at(&mut window, at)?;
        if read == 0 {
            return Ok(None);
        }
        if let Some(newline) = window[..read].iter().position(|byte| *byte == b'\n') {
            let start = at + newline as u64 + 1;
            return Ok(Some(start));
        }
        at += read as u64;
    }
}

/// Reads the lines from byte `start` to `end` (or the end of the file), which are whole
/// lines.
fn read_stretch<T: Dated>(
    file: &File,
    start: u64,
    end: Option<u64>,
    path: &Path,
    parse: &impl Fn(&str) -> Line<T>,
) -> io::Result<Stretch<T>> {
    let source = Positioned {
        file,
        at: start,
        end,
    };
    let mut reader = BufReader::with_capacity(64 * 1024, source);
    let mut stretch = Stretch::default();
    let mut buffer = Vec::with_capacity(1024);
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer)? == 0 {
            return Ok(stretch);
        }
        // Only the last line of the file can lack its newline: a write cut short.
        let complete = buffer.last() == Some(&b'\n');
        if complete {
            buffer.pop();
        }
        stretch.push(path, parse, std::str::from_utf8(&buffer).ok(), !complete);
    }
}

/// Reads a file from a position of its own (`pread`), so two readers of one open file do
/// not move each other's place.
struct Positioned<'f> {
    file: &'f File,
    at: u64,
    end: Option<u64>,
}

impl Read for Positioned<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let room = match self.end {
            Some(end) => usize::try_from(end.saturating_sub(self.at)).unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        let wanted = buffer.len().min(room);
        let read = self.file.read_at(&mut buffer[..wanted], self.at)?;
        self.at += read as u64;
        Ok(read)
    }
}

/// What the lines of one stretch of a log held, numbered from the stretch's first line.
struct Stretch<T> {
    items: Vec<T>,
    /// The line index of each item.
    item_lines: Vec<usize>,
    /// Lines that are not items but still take their id from any later twin.
    claims: Vec<Claim>,
    warnings: Vec<Warning>,
    lines: usize,
}

impl<T> Default for Stretch<T> {
    fn default() -> Self {
        Stretch {
            items: Vec::new(),
            item_lines: Vec::new(),
            claims: Vec::new(),
            warnings: Vec::new(),
            lines: 0,
        }
    }
}

struct Claim {
    id: String,
    line: usize,
    /// The newer kind to warn about, when the first line of its id is this one.
    unknown_kind: Option<String>,
}

impl<T> Stretch<T> {
    /// Takes the next line: its text, or `None` when it is not UTF-8, and whether it is a
    /// last line without its newline.
    fn push(
        &mut self,
        path: &Path,
        parse: &impl Fn(&str) -> Line<T>,
        line: Option<&str>,
        torn: bool,
    ) {
        let index = self.lines;
        self.lines += 1;
        if line.is_some_and(|text| text.bytes().all(|byte| byte.is_ascii_whitespace())) {
            return;
        }
        let mut warn = |message: String| {
            self.warnings.push(Warning {
                path: path.to_path_buf(),
                line: index + 1,
                message,
            });
        };
        match line.map_or_else(|| Line::Invalid("not UTF-8".to_string()), parse) {
            Line::Item(item) => {
                self.items.push(item);
                self.item_lines.push(index);
            }
            Line::Skipped { id } => self.claims.push(Claim {
                id,
                line: index,
                unknown_kind: None,
            }),
            Line::UnknownKind { id, kind } => self.claims.push(Claim {
                id,
                line: index,
                unknown_kind: Some(kind),
            }),
            Line::Invalid(_) if torn => {
                warn("torn last line (an interrupted write) skipped".to_string());
            }
            Line::Invalid(cause) => warn(format!("unreadable line skipped: {cause}")),
        }
    }

    /// Numbers this stretch's lines as following `before` lines.
    fn shift(&mut self, before: usize) {
        if before == 0 {
            return;
        }
        self.item_lines.iter_mut().for_each(|line| *line += before);
        self.claims
            .iter_mut()
            .for_each(|claim| claim.line += before);
        self.warnings
            .iter_mut()
            .for_each(|warning| warning.line += before);
    }
}

/// Joins the stretches of one log, in order: the first line of each id wins, a newer
/// kind is warned about once, and the items are ordered by time then id.
fn finish<T: Dated>(path: &Path, stretches: Vec<Stretch<T>>) -> (Vec<T>, Vec<Warning>) {
    let mut joined = Stretch::default();
    for mut stretch in stretches {
        stretch.shift(joined.lines);
        joined.lines += stretch.lines;
        if joined.items.is_empty() {
            joined.items = stretch.items;
            joined.item_lines = stretch.item_lines;
        } else {
            joined.items.append(&mut stretch.items);
            joined.item_lines.append(&mut stretch.item_lines);
        }
        joined.claims.append(&mut stretch.claims);
        joined.warnings.append(&mut stretch.warnings);
    }
    let Stretch {
        mut items,
        item_lines,
        claims,
        mut warnings,
        ..
    } = joined;

    // Items and claims in line order, each asking whether its id was seen before.
    let mut keep = Vec::with_capacity(items.len());
    {
        let mut seen: Seen = HashSet::with_capacity_and_hasher(
            items.len() + claims.len(),
            foldhash::fast::RandomState::default(),
        );
        let mut claims = claims.iter().peekable();
        for (item, line) in items.iter().zip(&item_lines) {
            while let Some(claim) = claims.next_if(|claim| claim.line < *line) {
                claim_id(&mut seen, claim, path, &mut warnings);
            }
            keep.push(seen.insert(item.id()));
        }
        for claim in claims {
            claim_id(&mut seen, claim, path, &mut warnings);
        }
    }
    if keep.contains(&false) {
        let mut keep = keep.into_iter();
        items.retain(|_| keep.next().unwrap_or(false));
    }
    items.sort_by(|a, b| a.at().cmp(&b.at()).then_with(|| a.id().cmp(b.id())));
    // Warnings were gathered per stretch and then for newer kinds: put them in line order.
    warnings.sort_by_key(|warning| warning.line);
    (items, warnings)
}

/// The ids read so far, under a fast hash seeded afresh in every process.
type Seen<'a> = HashSet<&'a str, foldhash::fast::RandomState>;

fn claim_id<'a>(seen: &mut Seen<'a>, claim: &'a Claim, path: &Path, warnings: &mut Vec<Warning>) {
    let first = seen.insert(&claim.id);
    if let (true, Some(kind)) = (first, &claim.unknown_kind) {
        warnings.push(Warning {
            path: path.to_path_buf(),
            line: claim.line + 1,
            message: format!(
                "event kind `{kind}` is from a newer version of incident; kept on disk and ignored"
            ),
        });
    }
}
