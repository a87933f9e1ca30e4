//! Source files and positions.
//!
//! Owns [`SourceFile`] (the text gwctl read and where it came from), [`Span`] (a byte range
//! in one file) and the translation from byte offsets to the 1-based line and column that
//! every finding carries, and the [`Redactions`] that keep Secret values out of every
//! output. Knows nothing about YAML or Kubernetes.

use std::fmt;
use std::io::Read;
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
    /// file (a cluster-scoped object has no namespace part). Boxed: a run keeps an origin
    /// per file, and most runs read only files.
    Cluster(Box<LiveOrigin>),
}

/// The object a [`Origin::Cluster`] source was serialised from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LiveOrigin {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub resource_version: String,
}

impl Origin {
    pub fn path(&self) -> Option<&Path> {
        match self {
            Origin::Path(p) => Some(p),
            Origin::Stdin | Origin::Cluster(_) => None,
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
            Origin::Cluster(live) => {
                write!(f, "cluster:{}/", live.kind)?;
                if let Some(ns) = &live.namespace {
                    write!(f, "{ns}/")?;
                }
                write!(f, "{}@{}", live.name, live.resource_version)
            }
        }
    }
}

/// One file's text and the offsets of its line starts.
#[derive(Debug)]
pub struct SourceFile {
    pub origin: Origin,
    text: Text,
    /// The text's length in bytes, also once the text is let go.
    len: usize,
    /// 32-bit: inputs are read only up to 4 GiB ([`crate::load::MAX_SUPPORTED_FILE_SIZE`]),
    /// and a run keeps one entry per line of every file.
    line_starts: Vec<u32>,
    /// What of the text no output may show; `None` for the many files without Secrets.
    redactions: Option<Box<Redactions>>,
}

#[derive(Debug)]
enum Text {
    /// The decoded text (a leading UTF-8 byte order mark removed), with its redactions
    /// applied. Empty when the file could not be decoded (the loader reports why).
    Kept(Arc<str>),
    /// Let go after reading ([`SourceFile::let_go_of_text`]); with the digest of the text as
    /// read when it may be read again to be shown.
    LetGo(Option<u64>),
}

/// Why [`SourceFile::shown_text`] has no text to show.
#[derive(Debug, thiserror::Error)]
pub enum Unshown {
    #[error("its text was not kept")]
    NotKept,
    #[error("it changed after gwctl read it")]
    Changed,
    #[error("gwctl could not read it again: {0}")]
    Unreadable(#[from] std::io::Error),
}

impl SourceFile {
    /// A file whose `text` has had its redactions applied already.
    pub fn new(origin: Origin, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(1 + bytes.iter().filter(|&&b| b == b'\n').count());
        line_starts.push(0);
        line_starts.extend(newlines(bytes).map(|i| u32::try_from(i).unwrap_or(u32::MAX)));
        SourceFile {
            origin,
            len: text.len(),
            text: Text::Kept(text),
            line_starts,
            redactions: None,
        }
    }

    /// Record what [`SourceFile::new`]'s text had masked, so that a text read again is
    /// masked the same way and findings inside those ranges can be told apart.
    pub fn with_redactions(mut self, redactions: Redactions) -> Self {
        if !redactions.is_empty() {
            self.redactions = Some(Box::new(redactions));
        }
        self
    }

    pub fn redactions(&self) -> Option<&Redactions> {
        self.redactions.as_deref()
    }

    /// The text, when it is kept (see [`SourceFile::shown_text`] for one to show).
    pub fn text(&self) -> Option<&str> {
        match &self.text {
            Text::Kept(t) => Some(t),
            Text::LetGo(_) => None,
        }
    }

    /// Let go of a file's ASCII text, so that a run does not hold every input file:
    /// positions stay exact (a column is a byte offset in an ASCII line). `digest` is that
    /// of the text as read ([`digest`]), before its redactions; with it, the text can be
    /// read again to be shown ([`SourceFile::shown_text`]). Text with other characters is
    /// kept, as its columns count characters. Returns whether the text was let go.
    pub fn let_go_of_text(&mut self, digest: Option<u64>) -> bool {
        match &self.text {
            Text::Kept(t) if t.is_ascii() => {
                self.text = Text::LetGo(digest);
                true
            }
            _ => false,
        }
    }

    /// The text to show in snippets: the kept text, or a file let go read again, checked
    /// against its digest (a file edited while gwctl ran would show lines that the
    /// positions do not fit) and masked as it was. At most the text's length (and a byte
    /// order mark) is read.
    pub fn shown_text(&self) -> Result<Arc<str>, Unshown> {
        let (Text::LetGo(Some(expected)), Origin::Path(path)) = (&self.text, &self.origin) else {
            return match &self.text {
                Text::Kept(t) => Ok(Arc::clone(t)),
                Text::LetGo(_) => Err(Unshown::NotKept),
            };
        };
        // Only a regular file's text is let go with a digest; whatever stands at the path now
        // (a pipe would block) is read only if it is one.
        if !std::fs::metadata(path)?.is_file() {
            return Err(Unshown::Changed);
        }
        let mut bytes = Vec::with_capacity(self.len + 3);
        std::fs::File::open(path)?
            .take(self.len as u64 + 4)
            .read_to_end(&mut bytes)?;
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(Unshown::Changed);
        };
        let mut text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        if text.len() != self.len || digest(&text) != *expected {
            return Err(Unshown::Changed);
        }
        if let Some(r) = &self.redactions {
            r.apply(&mut text);
        }
        Ok(Arc::from(text))
    }

    /// Whether `text` (decoded, without a byte order mark) is still the text that was read:
    /// compared whole while it is kept (masked as it was), by digest once let go, by length
    /// when no digest was taken. An edit made while gwctl ran, even of the same length, makes
    /// positions and fixes stale.
    pub fn is_text(&self, text: &str) -> bool {
        if text.len() != self.len {
            return false;
        }
        match &self.text {
            Text::LetGo(Some(expected)) => digest(text) == *expected,
            Text::LetGo(None) => true,
            Text::Kept(kept) => match &self.redactions {
                None => **kept == *text,
                Some(r) => {
                    let mut masked = text.to_owned();
                    r.apply(&mut masked);
                    **kept == *masked
                }
            },
        }
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
            .text()
            .and_then(|t| t.get(start..offset))
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

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The digest that tells a text read again from the one read first. Not cryptographic: it
/// guards against a file edited during a run, and both sides are computed in one process.
pub fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Byte ranges of a file that no output may show (the values of Secrets). Each byte in
/// them is shown as `*`, except layout and YAML punctuation (so a snippet keeps its shape)
/// and the bytes of the `keep` spans (key names).
#[derive(Debug, Default, Clone)]
pub struct Redactions {
    regions: Vec<Span>,
    /// Sorted and non-overlapping, so that each byte's check is a binary search: a Secret
    /// with many keys must not make masking quadratic.
    keep: Vec<Span>,
}

impl Redactions {
    pub fn new(regions: Vec<Span>, mut keep: Vec<Span>) -> Self {
        keep.sort();
        Redactions { regions, keep }
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// Whether a finding starting at `at` is about a hidden value (not a kept key name).
    pub fn hides(&self, at: usize) -> bool {
        let inside = |r: &Span| r.start <= at && at < r.end.max(r.start + 1);
        self.regions.iter().any(inside) && self.keep.binary_search_by_key(&at, |k| k.start).is_err()
    }

    /// Mask the ranges in `text`, byte for byte, so that every position stays exact.
    pub fn apply(&self, text: &mut String) {
        if self.regions.is_empty() {
            return;
        }
        let mut bytes = std::mem::take(text).into_bytes();
        let len = bytes.len();
        for r in &self.regions {
            let start = r.start.min(len);
            for (i, b) in bytes[start..r.end.min(len)].iter_mut().enumerate() {
                let i = start + i;
                // Every other byte (all bytes of multi-byte characters too) becomes `*`.
                let layout = matches!(
                    *b,
                    b' ' | b'\t' | b'\n' | b'\r' | b':' | b'{' | b'}' | b',' | b'-' | b'|' | b'>'
                );
                if !layout && !in_sorted(&self.keep, i) {
                    *b = b'*';
                }
            }
        }
        *text = String::from_utf8(bytes).unwrap_or_default();
    }
}

/// Whether byte `i` lies in one of the sorted, non-overlapping `spans`.
fn in_sorted(spans: &[Span], i: usize) -> bool {
    let at = spans.partition_point(|k| k.end <= i);
    spans.get(at).is_some_and(|k| k.start <= i)
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

    /// Room for `n` more files.
    pub fn reserve(&mut self, n: usize) {
        self.files.reserve_exact(n);
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
    fn in_sorted_finds_bytes_inside_spans_only() {
        let spans = [Span::new(2, 4), Span::new(10, 12)];
        let inside: Vec<usize> = (0..14).filter(|&i| in_sorted(&spans, i)).collect();
        assert_eq!(inside, vec![2, 3, 10, 11]);
        assert!(!in_sorted(&[], 0));
    }

    /// A file as the loader leaves it: read, masked, its ASCII text let go with its digest.
    fn let_go(path: &Path, text: &str, redactions: Redactions) -> SourceFile {
        let digest = digest(text);
        let mut masked = text.to_owned();
        redactions.apply(&mut masked);
        let mut f = SourceFile::new(Origin::Path(path.into()), masked).with_redactions(redactions);
        assert!(f.let_go_of_text(Some(digest)));
        f
    }

    #[test]
    fn a_let_go_text_is_read_again_masked_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        let text = "kind: Secret\ndata:\n  key: c2VjcmV0\n";
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
        let data = Span::new(text.find("data:").unwrap() + 6, text.len());
        let key = text.find("key").unwrap();
        let f = let_go(
            &path,
            text,
            Redactions::new(vec![data], vec![Span::new(key, key + 3)]),
        );
        assert_eq!(f.text(), None);
        assert_eq!(f.len(), text.len());
        assert_eq!(
            &*f.shown_text().unwrap(),
            "kind: Secret\ndata:\n  key: ********\n"
        );
        assert_eq!(f.line_col(text.find("c2V").unwrap()), (3, 8));
    }

    #[test]
    fn a_text_changed_or_gone_since_it_was_read_is_not_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.yaml");
        std::fs::write(&path, "name: a\n").unwrap();
        let f = let_go(&path, "name: a\n", Redactions::default());
        // Same length, other bytes: the digest tells.
        std::fs::write(&path, "name: b\n").unwrap();
        assert!(matches!(f.shown_text(), Err(Unshown::Changed)));
        std::fs::write(&path, "name: a\nmore: 1\n").unwrap();
        assert!(matches!(f.shown_text(), Err(Unshown::Changed)));
        std::fs::write(&path, [0xff, 0xfe, 0, 0, 0, 0, 0, 0]).unwrap();
        assert!(matches!(f.shown_text(), Err(Unshown::Changed)));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(f.shown_text(), Err(Unshown::Unreadable(_))));
        // Let go without a digest: nothing to check a text read again against.
        let mut g = SourceFile::new(Origin::Path(path.clone()), "name: a\n");
        assert!(g.let_go_of_text(None));
        std::fs::write(&path, "name: a\n").unwrap();
        assert!(matches!(g.shown_text(), Err(Unshown::NotKept)));
    }

    #[test]
    fn texts_with_other_characters_than_ascii_are_kept() {
        let mut f = SourceFile::new(Origin::Path("x.yaml".into()), "name: é\n");
        assert!(!f.let_go_of_text(Some(0)));
        assert_eq!(&*f.shown_text().unwrap(), "name: é\n");
    }

    #[test]
    fn origin_prints_with_forward_slashes_and_no_dot_prefix() {
        assert_eq!(Origin::Path("./a/b.yaml".into()).to_string(), "a/b.yaml");
        assert_eq!(Origin::Stdin.to_string(), "<stdin>");
        let live = Origin::Cluster(Box::new(LiveOrigin {
            kind: "HTTPRoute".into(),
            namespace: Some("shop".into()),
            name: "web".into(),
            resource_version: "4711".into(),
        }));
        assert_eq!(live.to_string(), "cluster:HTTPRoute/shop/web@4711");
    }
}
