//! Reading an event log's lines into items: each line parsed once, the first line of an id
//! kept and its twins dropped, items ordered by time then id, and a warning for every line
//! that cannot be used.
//!
//! A log is read a line at a time through one reused buffer, so a long one is never held
//! whole while its items are built. (Reading the two halves of a long log on two threads
//! was tried: the second thread's allocations cost as much as its parsing saved.)

use std::collections::HashSet;
use std::fmt;
use std::io::{self, BufRead};
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
    let mut gathered = Gathered::default();
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
        gathered.push(path, &parse, line, last && !ends_with_newline);
    }
    gathered.finish(path)
}

/// Reads the log `reader` (locked by the caller) with `parse`, as [`parse_lines`] reads
/// one in memory.
pub fn read_lines<T: Dated>(
    mut reader: impl BufRead,
    path: &Path,
    parse: impl Fn(&str) -> Line<T>,
) -> io::Result<(Vec<T>, Vec<Warning>)> {
    let mut gathered = Gathered::default();
    let mut buffer = Vec::with_capacity(1024);
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer)? == 0 {
            return Ok(gathered.finish(path));
        }
        // Only the last line can lack its newline: a write cut short.
        let complete = buffer.last() == Some(&b'\n');
        if complete {
            buffer.pop();
        }
        gathered.push(path, &parse, std::str::from_utf8(&buffer).ok(), !complete);
    }
}

/// What the lines of a log held, before twins are dropped. Twins are found after the read,
/// by borrowing each id from its item, rather than as each line comes in: that would copy
/// every id into the set, and on a long log it measured 10% slower.
struct Gathered<T> {
    items: Vec<T>,
    /// The line index of each item.
    item_lines: Vec<usize>,
    /// Lines that are not items but still take their id from any later twin.
    claims: Vec<Claim>,
    warnings: Vec<Warning>,
    lines: usize,
}

impl<T> Default for Gathered<T> {
    fn default() -> Self {
        Gathered {
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

impl<T: Dated> Gathered<T> {
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

    /// Drops the twins (the first line of an id wins, and a newer kind is warned about
    /// once) and orders the items by time then id.
    fn finish(self, path: &Path) -> (Vec<T>, Vec<Warning>) {
        let Gathered {
            mut items,
            item_lines,
            claims,
            mut warnings,
            ..
        } = self;
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
        // Unreadable lines were warned about as read, newer kinds after: put them in line
        // order.
        warnings.sort_by_key(|warning| warning.line);
        (items, warnings)
    }
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
