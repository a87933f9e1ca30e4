//! Source files and positions.
//!
//! Owns [`SourceFile`] (the text gwctl read and where it came from), [`Span`] (a byte range
//! in one file) and the translation from byte offsets to the 1-based line and column that
//! every finding carries. Knows nothing about YAML or Kubernetes; imports only `std`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in a [`SourceMap`]; stable for one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// An empty span at `offset`, for positions such as "end of file".
    pub fn point(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Where a source file came from. Shown to users, so it prints the way they named it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A file on disk, as named on the command line or found under a named folder.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// An object read from a live cluster (`--cluster`), serialised to YAML by gwctl. Shown
    /// as `cluster:Kind/namespace/name@resourceVersion`, which names the object instead of a
    /// file (a cluster-scoped object has no namespace part).
    Cluster {
        kind: String,
        namespace: Option<String>,
        name: String,
        resource_version: String,
    },
}

impl Origin {
    pub fn path(&self) -> Option<&Path> {
        match self {
            Origin::Path(p) => Some(p),
            Origin::Stdin | Origin::Cluster { .. } => None,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Forward slashes on every platform so output and snapshots are stable.
            Origin::Path(p) => {
                let s = p.to_string_lossy();
                let s = s.strip_prefix("./").unwrap_or(&s);
                write!(f, "{}", s.replace('\\', "/"))
            }
            Origin::Stdin => f.write_str("<stdin>"),
            Origin::Cluster {
                kind,
                namespace,
                name,
                resource_version,
            } => {
                write!(f, "cluster:{kind}/")?;
                if let Some(ns) = namespace {
                    write!(f, "{ns}/")?;
                }
                write!(f, "{name}@{resource_version}")
            }
        }
    }
}

/// One file's text and the offsets of its line starts.
#[derive(Debug)]
pub struct SourceFile {
    pub origin: Origin,
    /// The decoded text (a leading UTF-8 byte order mark removed). Empty when the file could
    /// not be decoded (the loader reports why), or when it was let go ([`SourceFile::let_go_of_text`]).
    pub text: Arc<str>,
    /// The text's length in bytes, also once the text is let go.
    len: usize,
    /// 32-bit: inputs are read only up to 4 GiB ([`crate::load::MAX_SUPPORTED_FILE_SIZE`]),
    /// and a run keeps one entry per line of every file.
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(origin: Origin, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(1 + bytes.iter().filter(|&&b| b == b'\n').count());
        line_starts.push(0);
        line_starts.extend(newlines(bytes).map(|i| u32::try_from(i).unwrap_or(u32::MAX)));
        SourceFile {
            origin,
            len: text.len(),
            text,
            line_starts,
        }
    }

    /// Let go of an ASCII text that nothing will show: positions stay exact (a column is a
    /// byte offset in an ASCII line), and a run with no snippets to print does not hold
    /// every input file. Text with other characters is kept, as its columns count
    /// characters. Returns whether the text was let go.
    pub fn let_go_of_text(&mut self) -> bool {
        if !self.text.is_ascii() {
            return false;
        }
        self.text = Arc::from("");
        true
    }

    /// 1-based line and column of a byte offset. Columns count Unicode scalar values, as
    /// editors and the YAML parser do, so `é` is one column.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let at = u32::try_from(offset).unwrap_or(u32::MAX);
        let line = match self.line_starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        // Without the text (let go, so ASCII), a column is a byte offset.
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offset of the start of a 1-based line, clamped to the text.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .map_or(self.len, |&s| s as usize)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

/// Every file read in one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 2^32 files"));
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files, in id order, by value.
    pub fn into_files(self) -> impl Iterator<Item = (FileId, SourceFile)> {
        self.files
            .into_iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let f = SourceFile::new(Origin::Stdin, "ab\nçd: x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(1), (1, 2));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes but one column.
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_col(100), (3, 1));
    }

    #[test]
    fn origin_prints_with_forward_slashes_and_no_dot_prefix() {
        assert_eq!(Origin::Path("./a/b.yaml".into()).to_string(), "a/b.yaml");
        assert_eq!(Origin::Stdin.to_string(), "<stdin>");
        let live = Origin::Cluster {
            kind: "HTTPRoute".into(),
            namespace: Some("shop".into()),
            name: "web".into(),
            resource_version: "4711".into(),
        };
        assert_eq!(live.to_string(), "cluster:HTTPRoute/shop/web@4711");
    }
}
