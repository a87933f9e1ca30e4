//! Inputs → source files → Kubernetes objects.
//!
//! Owns finding the files (paths, folders walked with `.gitignore` honoured, stdin), reading
//! them within size limits, and turning each YAML or JSON document into an [`Object`] in the
//! [`Inventory`]. Problems with the content become [`Diagnostic`]s (GW0xx, see [`rules`]);
//! problems that stop gwctl from reading an input at all (a path that does not exist, a
//! folder it may not read) are [`LoadError`]s, which the CLI turns into exit status 2.
//! Files are read and parsed in parallel; results are assembled in input order, so output
//! does not depend on thread timing.

pub mod cluster;
pub mod rules;
pub mod suppression;

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use regex::Regex;
use serde_json::Value;

use crate::diag::{Diagnostic, Label};
use crate::fieldpath::FieldPath;
use crate::model::{Inventory, Object};
use crate::source::{self, FileId, Origin, Redactions, SourceFile, SourceMap, Span};
use crate::yaml::{self, Comment, IssueKind, Node, NodeValue, Scalar, Shape};

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Files larger than this are refused with a finding.
    pub max_file_size: u64,
    /// All inputs together may hold at most this many bytes; a file that would go past it is
    /// refused with a finding (GW014) and not read, so memory stays bounded however many
    /// files a folder holds.
    pub max_total_size: u64,
    /// The most objects (documents and `kind: List` items) read in one run; the rest are
    /// refused with one finding (GW015). Each file's reader also stops after this many
    /// documents, so a stream of a million tiny documents never sits in memory at once.
    pub max_objects: usize,
    pub limits: yaml::Limits,
    /// Namespace for objects without one, as `kubectl apply` would use.
    pub default_namespace: String,
    /// An output will show source lines. Files read from paths let go of their ASCII texts
    /// once read ([`SourceFile::let_go_of_text`]), so a run does not hold every input; with
    /// this set they keep a digest of it, so that the lines to show can be read again and
    /// checked unchanged ([`SourceFile::shown_text`]); a pipe's text cannot be read again
    /// and is kept. Stdin's text, and texts with other characters than ASCII, are always
    /// kept.
    pub snippets: bool,
    /// Globs for files found in folders that are skipped, matched against paths relative
    /// to the given folder (where the configuration file is). Files named explicitly are
    /// always read.
    pub exclude: Option<(globset::GlobSet, PathBuf)>,
}

/// `--max-file-size`: the API server refuses objects over about 1.5 MiB, so a 16 MiB
/// manifest file is already a very large stream.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;
/// The largest `--max-file-size`: positions inside an object are kept as 32-bit offsets (see
/// [`crate::yaml::Shape`]), and a manifest file of gigabytes is a mistake anyway.
pub const MAX_SUPPORTED_FILE_SIZE: u64 = u32::MAX as u64;
/// `--max-total-size`: all inputs of a run together.
pub const DEFAULT_MAX_TOTAL_SIZE: u64 = 256 * 1024 * 1024;
/// `--max-objects`: well above the Gateway API objects of any real cluster, well below what
/// exhausts memory (an object with its tree and JSON costs a few kilobytes).
pub const DEFAULT_MAX_OBJECTS: usize = 100_000;

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_total_size: DEFAULT_MAX_TOTAL_SIZE,
            max_objects: DEFAULT_MAX_OBJECTS,
            limits: yaml::Limits::default(),
            default_namespace: "default".into(),
            snippets: true,
            exclude: None,
        }
    }
}

/// gwctl could not read an input at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: {message}")]
    Walk { path: String, message: String },
    /// The live cluster could not be read (`--cluster`); `path` is `cluster`.
    #[error("{message}")]
    Cluster { path: String, message: String },
}

impl LoadError {
    pub fn path(&self) -> &str {
        match self {
            LoadError::NotFound { path }
            | LoadError::Io { path, .. }
            | LoadError::Walk { path, .. }
            | LoadError::Cluster { path, .. } => path,
        }
    }
}

/// Everything read in one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub inventory: Inventory,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: Vec<LoadError>,
    /// The suppression comments (`# gwctl-ignore ...`) of each file, indexed by [`FileId`].
    pub comments: Vec<Vec<Comment>>,
    /// With `--cluster` and files: for each object of the files that replaces a live object,
    /// the live object's JSON (`managedFields` stripped, Secret data never read). This is the
    /// old object for CEL transition rules (`oldSelf`), as the API server would see an update.
    pub live: std::collections::BTreeMap<crate::model::ObjectKey, Value>,
}

impl Loaded {
    /// Parse `text` as if it were a file named by `origin`, through the same path as files
    /// read from disk, and add its source, objects and findings. Returns the new file's id.
    pub fn add_text(&mut self, origin: Origin, text: String, opts: &Options) -> FileId {
        let id = FileId(self.sources.len() as u32);
        let r = parse_file(id, origin, Raw::text(text), opts, &mut |_| ());
        self.sources.add(r.source);
        self.comments.push(r.comments);
        self.diagnostics.extend(r.diagnostics);
        for o in r.objects {
            self.inventory.push(o);
        }
        id
    }

    /// [`Loaded::add_text`] for many texts, parsed in parallel and added in the given order.
    /// Returns the first new file's id.
    pub fn add_texts(&mut self, texts: Vec<(Origin, String)>, opts: &Options) -> FileId {
        let base = self.sources.len();
        let results: Vec<FileResult> = texts
            .into_par_iter()
            .enumerate()
            .map(|(i, (origin, text))| {
                let id = FileId((base + i) as u32);
                parse_file(id, origin, Raw::text(text), opts, &mut |_| ())
            })
            .collect();
        for r in results {
            self.sources.add(r.source);
            self.comments.push(r.comments);
            self.diagnostics.extend(r.diagnostics);
            for o in r.objects {
                self.inventory.push(o);
            }
        }
        FileId(base as u32)
    }

    /// Add everything of `other` after this run's own files (file ids are shifted), keeping
    /// only the objects `keep` accepts. The findings of `other` are kept as they are.
    pub fn append(&mut self, other: Loaded, keep: impl Fn(&Object) -> bool) {
        let base = self.sources.len() as u32;
        let shift = |f: &mut FileId| f.0 += base;
        for (_, f) in other.sources.into_files() {
            self.sources.add(f);
        }
        self.comments.extend(other.comments);
        for mut d in other.diagnostics {
            if let Some(p) = &mut d.primary {
                shift(&mut p.file);
            }
            for l in &mut d.secondary {
                shift(&mut l.file);
            }
            self.diagnostics.push(d);
        }
        for mut o in other.inventory.objects {
            if keep(&o) {
                shift(&mut o.file);
                self.inventory.push(o);
            }
        }
        self.errors.extend(other.errors);
        self.live.extend(other.live);
    }
}

/// Find the files named by `inputs`, in the order given (folders sorted by path).
pub fn discover(
    inputs: &[Input],
    exclude: Option<&(globset::GlobSet, PathBuf)>,
) -> (Vec<Input>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let Input::Path(path) = input else {
            files.push(Input::Stdin);
            continue;
        };
        match fs::metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => errors.push(LoadError::NotFound {
                path: display(path),
            }),
            Err(e) => errors.push(LoadError::Io {
                path: display(path),
                source: e,
            }),
            // A file named explicitly is read whatever its extension.
            Ok(m) if !m.is_dir() => files.push(Input::Path(path.clone())),
            Ok(_) => walk(path, exclude, &mut files, &mut errors),
        }
    }
    (files, errors)
}

fn excluded(path: &Path, exclude: Option<&(globset::GlobSet, PathBuf)>) -> bool {
    let Some((set, base)) = exclude else {
        return false;
    };
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base = std::path::absolute(base).unwrap_or_else(|_| base.clone());
    abs.strip_prefix(&base).is_ok_and(|rel| set.is_match(rel))
}

fn walk(
    root: &Path,
    exclude: Option<&(globset::GlobSet, PathBuf)>,
    files: &mut Vec<Input>,
    errors: &mut Vec<LoadError>,
) {
    let walker = ignore::WalkBuilder::new(root)
        // .gitignore applies even outside a git repository: a copied or unpacked tree should
        // lint the same as the repository it came from.
        .require_git(false)
        .add_custom_ignore_filename(".gwctlignore")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
                if is_file && matches!(ext, "yaml" | "yml" | "json") && !excluded(e.path(), exclude)
                {
                    files.push(Input::Path(e.into_path()));
                }
            }
            Err(err) => {
                let path = walk_error_path(&err).unwrap_or_else(|| display(root));
                let message = match err.io_error() {
                    Some(io) => io.to_string(),
                    None => err.to_string(),
                };
                errors.push(LoadError::Walk { path, message });
            }
        }
    }
}

fn walk_error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

fn display(p: &Path) -> String {
    Origin::Path(p.to_path_buf()).to_string()
}

/// Read and parse every input. Stdin, if named, is read from `stdin`.
pub fn load(inputs: &[Input], opts: &Options, stdin: &mut dyn Read) -> Loaded {
    load_then(inputs, opts, stdin, &|_, _| ()).0
}

/// What [`load_then`] does with each object as soon as its file is read: it may change the
/// object and add findings about it, and returns what to keep of it.
pub type Then<'a, P> = &'a (dyn Fn(&mut Object, &mut Vec<Diagnostic>) -> P + Sync);

/// [`load`], running `then` on each object as soon as it is read (on the thread that reads
/// its file, a batch of its objects in parallel), so that what a caller keeps of an object
/// is taken before the other objects pile up; lint validates each object and cuts its JSON
/// down here. Returns what `then` kept, one per object of the inventory, in its
/// order; objects refused by --max-objects, and their findings, are dropped.
pub fn load_then<P: Send>(
    inputs: &[Input],
    opts: &Options,
    stdin: &mut dyn Read,
    then: Then<'_, P>,
) -> (Loaded, Vec<P>) {
    let clamped;
    let opts = if opts.max_file_size > MAX_SUPPORTED_FILE_SIZE {
        clamped = Options {
            max_file_size: MAX_SUPPORTED_FILE_SIZE,
            ..opts.clone()
        };
        &clamped
    } else {
        opts
    };
    let (files, mut errors) = discover(inputs, opts.exclude.as_ref());
    // The total size budget is shared out in input order before anything is read in
    // parallel: each file may read at most what is left after the files before it (by their
    // size on disk), so the bytes held at once never exceed --max-total-size whatever the
    // thread timing, and which files are refused does not depend on it either.
    let mut left = opts.max_total_size;
    // Read stdin up front (it cannot be read in parallel), then files in parallel.
    let mut stdin_bytes = None;
    let mut allowances = Vec::with_capacity(files.len());
    for input in &files {
        let allowance = match input {
            Input::Stdin if stdin_bytes.is_none() => {
                let mut buf = Vec::new();
                let cap = opts.max_file_size.min(left);
                match stdin.take(cap.saturating_add(1)).read_to_end(&mut buf) {
                    Ok(_) => {
                        let n = buf.len() as u64;
                        stdin_bytes = Some(buf);
                        Allowance::new(n, left, opts)
                    }
                    Err(e) => {
                        errors.push(LoadError::Io {
                            path: "<stdin>".into(),
                            source: e,
                        });
                        stdin_bytes = Some(Vec::new());
                        Allowance::Read(0)
                    }
                }
            }
            // Stdin named twice is read once; the second reading is empty.
            Input::Stdin => Allowance::Read(0),
            Input::Path(p) => match fs::metadata(p) {
                Ok(m) if m.is_file() => Allowance::new(m.len(), left, opts),
                // A pipe or device (`<(...)`, `/dev/stdin`) has no size up front: it may
                // read what is left, and reserves nothing, as it is rare.
                Ok(_) => Allowance::Stream(left),
                // read_file reports it.
                Err(_) => Allowance::Read(0),
            },
        };
        if let Allowance::Read(n) = allowance {
            left -= n.min(left);
        }
        allowances.push(allowance);
    }
    let results: Vec<Result<ReadFile<P>, LoadError>> = files
        .par_iter()
        .zip(allowances)
        .enumerate()
        .map(|(i, (input, allowance))| {
            let id = FileId(i as u32);
            let origin = match input {
                Input::Stdin => Origin::Stdin,
                Input::Path(p) => Origin::Path(p.clone()),
            };
            let raw = match (allowance, input) {
                (Allowance::TooLarge(n), _) => Raw::TooLarge(n),
                (Allowance::OverTotal(n), _) => Raw::OverTotal(n),
                (Allowance::Read(_) | Allowance::Stream(_), Input::Stdin) => {
                    let bytes = if i == files.iter().position(|f| *f == Input::Stdin).unwrap_or(i) {
                        stdin_bytes.clone().unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                    Raw::Bytes {
                        bytes,
                        regular_file: false,
                    }
                }
                (Allowance::Read(n) | Allowance::Stream(n), Input::Path(p)) => {
                    match read_file(p, n, opts) {
                        Ok(raw) => raw,
                        Err(e) => return Err(e),
                    }
                }
            };
            let mut found: Vec<Vec<Diagnostic>> = Vec::new();
            let mut kept: Vec<P> = Vec::new();
            let r = parse_file(id, origin, raw, opts, &mut |objects| {
                let (f, k): (Vec<Vec<Diagnostic>>, Vec<P>) = objects
                    .par_iter_mut()
                    .map(|o| {
                        let mut found = Vec::new();
                        let kept = then(o, &mut found);
                        (found, kept)
                    })
                    .unzip();
                found.extend(f);
                kept.extend(k);
            });
            // Secret values never reach output, whoever found something about them.
            if let Some(redactions) = r.source.redactions() {
                for d in &mut found {
                    redact_messages(d, redactions);
                }
            }
            Ok((r, found, kept))
        })
        .collect();

    let mut loaded = Loaded {
        inventory: Inventory::new(opts.default_namespace.clone()),
        ..Default::default()
    };
    // Sized once: every object of the run is held to the end, and a doubling vector would
    // hold up to twice their size.
    let total: usize = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|(r, _, _)| r.objects.len())
        .sum();
    loaded.inventory.reserve(total.min(opts.max_objects));
    loaded.sources.reserve(results.len());
    let mut all_kept = Vec::with_capacity(total.min(opts.max_objects));
    let mut capped = Capped::default();
    for result in results {
        match result {
            Ok((r, found, kept)) => {
                // Ids were assigned by position among all files; unreadable files leave a
                // gap, so re-number to keep ids dense and in input order.
                let file_id = loaded.sources.add(r.source);
                loaded.comments.push(r.comments);
                for mut d in r.diagnostics {
                    relabel(&mut d, file_id);
                    loaded.diagnostics.push(d);
                }
                for ((mut o, found), kept) in r.objects.into_iter().zip(found).zip(kept) {
                    o.file = file_id;
                    if loaded.inventory.len() < opts.max_objects {
                        loaded.inventory.push(o);
                        all_kept.push(kept);
                        for mut d in found {
                            relabel(&mut d, file_id);
                            loaded.diagnostics.push(d);
                        }
                    } else {
                        capped.refuse(o);
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    loaded.errors = errors;
    capped.report(opts.max_objects, &mut loaded.diagnostics);
    duplicate_objects(&loaded.inventory, &mut loaded.diagnostics);
    (loaded, all_kept)
}

/// How much of one input may be read.
#[derive(Debug, Clone, Copy)]
enum Allowance {
    /// Read it; it is this many bytes (its size when it was listed).
    Read(u64),
    /// Read at most this many bytes; its size is not known before reading.
    Stream(u64),
    /// Larger than --max-file-size.
    TooLarge(u64),
    /// Would take all inputs past --max-total-size.
    OverTotal(u64),
}

impl Allowance {
    fn new(len: u64, left: u64, opts: &Options) -> Self {
        if len > opts.max_file_size {
            Allowance::TooLarge(len)
        } else if len > left {
            Allowance::OverTotal(len)
        } else {
            Allowance::Read(len)
        }
    }
}

/// Objects past --max-objects: the first is kept for its position, the rest only counted.
#[derive(Default)]
struct Capped {
    first: Option<(FileId, Span)>,
    count: usize,
}

impl Capped {
    fn refuse(&mut self, o: Object) {
        self.first.get_or_insert((o.file, o.shape.span()));
        self.count += 1;
    }

    /// One finding at the first refused object, so a huge input fails clearly rather than
    /// by exhausting memory in the checks.
    fn report(self, max: usize, diagnostics: &mut Vec<Diagnostic>) {
        let Some((file, span)) = self.first else {
            return;
        };
        diagnostics.push(
            Diagnostic::new(
                &rules::TOO_MANY_OBJECTS,
                format!(
                    "the inputs hold more than {max} objects; gwctl did not check this one or \
                     the {} after it",
                    self.count - 1
                ),
            )
            .at(file, Span::new(span.start, span.start))
            .help("give fewer objects at a time, or raise the limit with --max-objects"),
        );
    }
}

fn relabel(d: &mut Diagnostic, id: FileId) {
    if let Some(p) = &mut d.primary {
        p.file = id;
    }
    for s in &mut d.secondary {
        s.file = id;
    }
}

enum Raw {
    Bytes {
        bytes: Vec<u8>,
        /// The bytes are all of a regular file, named by the origin's path: one that can be
        /// read again to show its lines (a pipe such as `<(...)` cannot).
        regular_file: bool,
    },
    TooLarge(u64),
    OverTotal(u64),
}

impl Raw {
    /// Text that does not come from reading a file (a live object, a test's input).
    fn text(text: String) -> Self {
        Raw::Bytes {
            bytes: text.into_bytes(),
            regular_file: false,
        }
    }
}

/// Read a file, at most `cap` bytes (its share of the total budget). A file that grew past
/// its share since it was listed is refused, not read further.
fn read_file(path: &Path, cap: u64, opts: &Options) -> Result<Raw, LoadError> {
    let io_err = |source| LoadError::Io {
        path: display(path),
        source,
    };
    let file = fs::File::open(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    let len = meta.len();
    if len > opts.max_file_size {
        return Ok(Raw::TooLarge(len));
    }
    let limit = cap.min(opts.max_file_size);
    let mut buf = Vec::with_capacity(len.min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(io_err)?;
    let n = buf.len() as u64;
    if n > limit {
        return Ok(if limit == opts.max_file_size {
            Raw::TooLarge(n)
        } else {
            Raw::OverTotal(n)
        });
    }
    Ok(Raw::Bytes {
        bytes: buf,
        regular_file: meta.is_file(),
    })
}

/// A file as [`load_then`] read it: the file, then each object's findings from `then` and
/// what `then` kept of it, one per object.
type ReadFile<P> = (FileResult, Vec<Vec<Diagnostic>>, Vec<P>);

struct FileResult {
    source: SourceFile,
    objects: Vec<Object>,
    diagnostics: Vec<Diagnostic>,
    comments: Vec<Comment>,
}

/// Objects are handed to [`parse_file`]'s `each` in batches of this many as they are read,
/// so that a large stream's objects are checked (and their JSON cut down) while it is read:
/// their JSON before that is many times their text.
const BATCH: usize = 64;

/// Read one file's text into objects and findings. `each` sees every object once, in
/// order, in batches ([`BATCH`]) as the stream is read, before the file's own findings are
/// attributed to objects and its Secret values masked.
fn parse_file(
    id: FileId,
    origin: Origin,
    raw: Raw,
    opts: &Options,
    each: &mut dyn FnMut(&mut [Object]),
) -> FileResult {
    let mut diags = Vec::new();
    let (bytes, regular_file) = match raw {
        Raw::TooLarge(len) => {
            let name = origin.to_string();
            diags.push(
                Diagnostic::new(
                    &rules::FILE_TOO_LARGE,
                    format!(
                        "file is {} bytes, more than the limit of {} bytes; gwctl did not read it",
                        len, opts.max_file_size
                    ),
                )
                .file_hint(name)
                .help("split the file, or raise the limit with --max-file-size"),
            );
            return FileResult {
                source: SourceFile::new(origin, ""),
                objects: vec![],
                diagnostics: diags,
                comments: vec![],
            };
        }
        Raw::OverTotal(len) => {
            let name = origin.to_string();
            diags.push(
                Diagnostic::new(
                    &rules::INPUTS_TOO_LARGE,
                    format!(
                        "file is {len} bytes, which would take the inputs past the limit of {} \
                         bytes in all; gwctl did not read it",
                        opts.max_total_size
                    ),
                )
                .file_hint(name)
                .help("give fewer files at a time, or raise the limit with --max-total-size"),
            );
            return empty_result(origin, diags);
        }
        Raw::Bytes {
            bytes,
            regular_file,
        } => (bytes, regular_file),
    };
    let name = origin.to_string();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        diags.push(
            Diagnostic::new(
                &rules::NOT_UTF8,
                "file is UTF-16 text; Kubernetes manifests must be UTF-8",
            )
            .file_hint(name)
            .help("save the file as UTF-8"),
        );
        return empty_result(origin, diags);
    }
    if bytes.contains(&0) {
        diags.push(
            Diagnostic::new(
                &rules::BINARY_FILE,
                "file contains NUL bytes: it is binary, not YAML or JSON",
            )
            .file_hint(name)
            .help("remove it from the inputs, or exclude it with .gitignore or .gwctlignore"),
        );
        return empty_result(origin, diags);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text keeps every byte before `at` in place, so the position is exact;
            // the bad byte became U+FFFD (three bytes), and the span covers all of it so no
            // renderer slices inside it
            // (tests/fixtures/fuzz-regressions/lint/not-utf8-span-splits-replacement-char).
            let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
            diags.push(
                Diagnostic::new(
                    &rules::NOT_UTF8,
                    format!("file is not valid UTF-8: byte 0x{:02X} at offset {at} is not part of a UTF-8 character", e.as_bytes()[at]),
                )
                .at(id, Span::new(at, end))
                .help("save the file as UTF-8"),
            );
            return FileResult {
                source: SourceFile::new(origin, text),
                objects: vec![],
                diagnostics: diags,
                comments: vec![],
            };
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        // Keep offsets simple: replace the byte order mark by nothing the parser sees.
        Some(rest) => rest.to_owned(),
        None => text,
    };
    // A file cannot hold more objects than the run keeps; reading stops there.
    let limits = yaml::Limits {
        max_documents: opts.limits.max_documents.min(opts.max_objects),
        ..opts.limits
    };
    // Each document becomes objects as soon as it is read, and its tree is dropped: a
    // stream of many documents never holds all of their trees.
    let mut objects = Vec::new();
    let mut object_diags = Vec::new();
    let mut doc_index = 0;
    let mut handed = 0;
    let stream = yaml::parse_stream_with(&text, &limits, &mut |doc| {
        // An empty document (`---` with nothing after it) is a null node; kubectl skips it.
        if let Some(root) = doc
            .root
            .filter(|r| r.value != NodeValue::Scalar(Scalar::Null))
        {
            document_objects(id, doc_index, root, &mut objects, &mut object_diags);
        }
        doc_index += 1;
        if objects.len() - handed >= BATCH {
            each(&mut objects[handed..]);
            handed = objects.len();
        }
    });
    each(&mut objects[handed..]);
    for issue in &stream.issues {
        diags.push(yaml_issue(id, issue));
    }
    diags.append(&mut object_diags);
    attribute_to_objects(&objects, &mut diags);
    // Every file's objects wait here until all files are read; most files hold one or two
    // objects, and a vector grown by pushing has room for four.
    objects.shrink_to_fit();
    // A regular file may be read again to show its lines; the digest says whether it is still
    // the text the positions are about.
    let digest = (opts.snippets && regular_file).then(|| source::digest(&text));
    let mut text = text;
    let redactions = redact_secrets(&objects, &mut text, &mut diags);
    let source = SourceFile::new(origin, text).with_redactions(redactions);
    if objects.is_empty() && diags.is_empty() {
        let span = Span::new(
            0,
            source.text().map_or(0, |t| t.find('\n').unwrap_or(t.len())),
        );
        diags.push(
            Diagnostic::new(&rules::EMPTY_INPUT, "file contains no Kubernetes objects")
                .at(id, span),
        );
    }
    // A text is let go when nothing will show it, or when it can be read again; a pipe's
    // text, shown in snippets, is kept.
    let mut source = source;
    if matches!(source.origin, Origin::Path(_)) && (!opts.snippets || digest.is_some()) {
        source.let_go_of_text(digest);
    }
    FileResult {
        source,
        objects,
        diagnostics: diags,
        // Only suppression comments are read after loading; a run keeps them for every file.
        comments: stream
            .comments
            .into_iter()
            .filter(|c| c.text.trim_start().starts_with(suppression::MARKER))
            .collect(),
    }
}

/// Secret values never reach output. The values under a Secret's `data` and `stringData`
/// are overwritten in the kept source text with `*` (byte for byte, so every position stays
/// exact and snippets show the layout but not the value), and a finding inside one has the
/// quoted parts of its message and help replaced, since messages quote the user's value.
/// Objects keep their JSON, so checks can still read a Secret's key names and type.
fn redact_secrets(objects: &[Object], text: &mut String, diags: &mut [Diagnostic]) -> Redactions {
    let redactions = secret_regions(objects);
    if !redactions.is_empty() {
        redactions.apply(text);
        redact_messages(diags, &redactions);
    }
    redactions
}

/// The same redaction as `load` applies, for text that other commands show: `text` read as
/// a manifest file with the values of its Secrets masked, and the findings in `diags` that
/// are in `file` and point into those values with their quoted parts hidden. `gwctl
/// migrate` shows its findings' snippets and its diffs' context lines from this text, never
/// from the input.
pub fn redact_secret_values(file: FileId, text: &str, diags: &mut [Diagnostic]) -> String {
    let opts = Options {
        max_objects: usize::MAX,
        ..Options::default()
    };
    let r = parse_file(
        file,
        Origin::Stdin,
        Raw::text(text.to_owned()),
        &opts,
        &mut |_| (),
    );
    let mut masked = text.to_owned();
    if let Some(redactions) = r.source.redactions() {
        redactions.apply(&mut masked);
        for d in diags
            .iter_mut()
            .filter(|d| d.primary.as_ref().is_some_and(|p| p.file == file))
        {
            redact_messages(std::slice::from_mut(d), redactions);
        }
    }
    masked
}

/// The `data`/`stringData` mappings of Secrets, and the key spans in them that are shown.
fn secret_regions(objects: &[Object]) -> Redactions {
    // Whole `data`/`stringData` mappings are redacted, not just the values the tree kept: a
    // duplicate key's first value, or a comment, is text in the same place.
    let mut regions = Vec::new();
    let mut keep = Vec::new();
    for o in objects
        .iter()
        .filter(|o| o.group.is_empty() && o.kind == "Secret")
    {
        for field in ["data", "stringData"] {
            if let Some(map) = o.shape.root().get(field) {
                regions.push(map.span());
                keep.extend(map.entries().map(|e| e.key_span()));
            }
        }
    }
    Redactions::new(regions, keep)
}

fn redact_messages(diags: &mut [Diagnostic], redactions: &Redactions) {
    for d in diags.iter_mut() {
        let Some(p) = &d.primary else { continue };
        if redactions.hides(p.span.start) {
            d.message = redact_quoted(&d.message).into_boxed_str();
            d.help = d.help.as_deref().map(|h| redact_quoted(h).into());
        }
    }
}

/// Replace every `...` and "..." part of a message with a placeholder.
fn redact_quoted(m: &str) -> String {
    let mut out = String::with_capacity(m.len());
    let mut quote: Option<char> = None;
    for c in m.chars() {
        match quote {
            Some(q) if c == q => {
                out.push_str("(secret value hidden)");
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '`' || c == '"' => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    out
}

/// Findings made while reading text (a duplicate key, a YAML 1.1 scalar) name the object and
/// field they fall in, like findings made on objects.
fn attribute_to_objects(objects: &[Object], diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.object.is_none()) {
        let Some(at) = d.primary.as_ref().map(|p| p.span.start) else {
            continue;
        };
        // Objects are in text order and do not overlap (documents, then list items in
        // order), so the one containing `at` is found by bisection: a linear search made a
        // stream of 100,000 objects with a finding each take hours
        // (tests/it/limits.rs: a_million_tiny_documents_refuse_cleanly).
        let after = objects.partition_point(|o| o.shape.span().start <= at);
        let Some(o) = after
            .checked_sub(1)
            .map(|i| &objects[i])
            .filter(|o| at < o.shape.span().end)
        else {
            continue;
        };
        d.object = Some(o.object_ref());
        if d.field.is_none() {
            let path = o.shape.path_at(at);
            if !path.is_root() {
                d.field = Some(path.to_string().into_boxed_str());
            }
        }
    }
}

fn empty_result(origin: Origin, diagnostics: Vec<Diagnostic>) -> FileResult {
    FileResult {
        source: SourceFile::new(origin, ""),
        objects: vec![],
        diagnostics,
        comments: vec![],
    }
}

pub(crate) fn yaml_issue(file: FileId, issue: &yaml::Issue) -> Diagnostic {
    let meta = match issue.kind {
        IssueKind::Syntax => &rules::INVALID_YAML,
        IssueKind::DuplicateKey => &rules::DUPLICATE_KEY,
        IssueKind::AliasBudget => &rules::ALIAS_BUDGET,
        IssueKind::TooDeep => &rules::TOO_DEEP,
        IssueKind::ComplexKey => &rules::COMPLEX_KEY,
        IssueKind::UnknownAlias => &rules::UNDEFINED_ALIAS,
        IssueKind::Yaml11Scalar => &rules::AMBIGUOUS_SCALAR,
        IssueKind::TooManyDocuments => &rules::TOO_MANY_OBJECTS,
    };
    let mut d = Diagnostic::new(meta, issue.message.clone()).at(file, issue.span);
    if let Some(r) = issue.related {
        d = d.secondary(Label::new(file, r).with_message("first defined here"));
    }
    if let Some(h) = &issue.help {
        d = d.help(h.clone());
    }
    if issue.kind == IssueKind::TooManyDocuments {
        d = d.help("give fewer objects at a time, or raise the limit with --max-objects");
    }
    d
}

/// One document: an object, or a `kind: List` of them.
fn document_objects(
    file: FileId,
    document: usize,
    root: Node,
    objects: &mut Vec<Object>,
    diags: &mut Vec<Diagnostic>,
) {
    let is_list = root
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && root.get("items").and_then(Node::as_seq).is_some();
    if !is_list {
        if let Some(o) = object(file, document, None, root, diags) {
            objects.push(o);
        }
        return;
    }
    let NodeValue::Map(entries) = root.value else {
        return;
    };
    for entry in entries {
        if entry.key != "items" {
            continue;
        }
        if let NodeValue::Seq(items) = entry.value.value {
            for (i, item) in items.into_iter().enumerate() {
                if let Some(o) = object(file, document, Some(i), item, diags) {
                    objects.push(o);
                }
            }
        }
    }
}

fn dns_subdomain() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$").unwrap()
    })
}

fn dns_label() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").unwrap())
}

fn kind_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z][A-Za-z0-9]*$").unwrap())
}

/// Validate the type and object meta of one mapping and build the [`Object`].
fn object(
    file: FileId,
    document: usize,
    list_item: Option<usize>,
    node: Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Object> {
    if node.as_map().is_none() {
        let what = if list_item.is_some() {
            "list item"
        } else {
            "document"
        };
        diags.push(
            Diagnostic::new(
                &rules::NOT_A_MAPPING,
                format!(
                    "{what} is {}, not a mapping with apiVersion, kind and metadata",
                    node.type_name()
                ),
            )
            .at(file, first_line(&node))
            .help("write one object per document, separated by `---`"),
        );
        return None;
    }
    // Where to point when a top-level field is missing: the object's first key.
    let head = node
        .as_map()
        .and_then(|m| m.first())
        .map(|e| e.key_span)
        .unwrap_or(node.span);
    let mut ok = true;

    let api_version = match node.entry("apiVersion") {
        None => {
            diags.push(
                Diagnostic::new(&rules::INVALID_API_VERSION, "object has no `apiVersion`")
                    .at(file, head)
                    .help("add the group and version, such as `apiVersion: gateway.networking.k8s.io/v1`"),
            );
            ok = false;
            String::new()
        }
        Some(e) => match e.value.as_str() {
            Some(s) if parse_api_version(s).is_some() => s.to_owned(),
            Some(s) => {
                diags.push(
                    Diagnostic::new(
                        &rules::INVALID_API_VERSION,
                        format!("`apiVersion` is \"{s}\", expected `group/version` (or `version` for the core group), such as `gateway.networking.k8s.io/v1`"),
                    )
                    .at(file, e.value.span)
                    .field("apiVersion"),
                );
                ok = false;
                String::new()
            }
            None => {
                diags.push(
                    Diagnostic::new(
                        &rules::INVALID_API_VERSION,
                        format!("`apiVersion` is {}, expected a string such as `gateway.networking.k8s.io/v1`", e.value.type_name()),
                    )
                    .at(file, e.value.span)
                    .field("apiVersion"),
                );
                ok = false;
                String::new()
            }
        },
    };

    let kind = match node.entry("kind") {
        None => {
            diags.push(
                Diagnostic::new(&rules::INVALID_KIND, "object has no `kind`")
                    .at(file, head)
                    .help("add the object's kind, such as `kind: HTTPRoute`"),
            );
            ok = false;
            String::new()
        }
        Some(e) => {
            match e.value.as_str() {
                Some(s) if kind_re().is_match(s) => s.to_owned(),
                other => {
                    let got = other
                        .map_or_else(|| e.value.type_name().to_owned(), |s| format!("\"{s}\""));
                    diags.push(
                    Diagnostic::new(
                        &rules::INVALID_KIND,
                        format!("`kind` is {got}, expected a CamelCase kind name such as `HTTPRoute`"),
                    )
                    .at(file, e.value.span)
                    .field("kind"),
                );
                    ok = false;
                    String::new()
                }
            }
        }
    };
    let (group, version) = parse_api_version(&api_version).unwrap_or_default();

    let metadata = node.get("metadata");
    let meta_map = metadata.and_then(Node::as_map);
    let name = match (metadata, meta_map) {
        (None, _) => {
            diags.push(
                Diagnostic::new(
                    &rules::INVALID_NAME,
                    "object has no `metadata`, so it has no name",
                )
                .at(file, head)
                .help("add `metadata:` with a `name:`"),
            );
            None
        }
        (Some(m), None) => {
            diags.push(
                Diagnostic::new(
                    &rules::INVALID_NAME,
                    format!(
                        "`metadata` is {}, expected a mapping with a `name`",
                        m.type_name()
                    ),
                )
                .at(file, m.span)
                .field("metadata"),
            );
            None
        }
        (Some(m), Some(_)) => check_name(file, m, group, &kind, diags),
    };
    let namespace = metadata.and_then(|m| check_namespace(file, m, diags));
    let name = name?;
    if !ok {
        return None;
    }
    let json: Value = node.to_json();
    let shape = Shape::of(&node);
    Some(Object {
        file,
        document,
        list_item,
        api_version: api_version.clone(),
        group: group.to_owned(),
        version: version.to_owned(),
        kind,
        namespace,
        name,
        shape,
        json,
        redacted: false,
        id: std::sync::OnceLock::new(),
    })
}

fn check_name(
    file: FileId,
    meta: &Node,
    group: &str,
    kind: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let Some(e) = meta.entry("name") else {
        let generated = meta.get("generateName").is_some();
        let msg = if generated {
            "object has `metadata.generateName` but no `metadata.name`; `kubectl apply` needs a name, and nothing can refer to a generated one"
        } else {
            "object has no `metadata.name`"
        };
        diags.push(
            Diagnostic::new(&rules::INVALID_NAME, msg)
                .at(file, meta_key_span(meta))
                .field("metadata")
                .help("add `name:` under `metadata`"),
        );
        return None;
    };
    let Some(name) = e.value.as_str() else {
        diags.push(
            Diagnostic::new(
                &rules::INVALID_NAME,
                format!(
                    "`metadata.name` is {}, expected a string",
                    e.value.type_name()
                ),
            )
            .at(file, e.value.span)
            .field("metadata.name"),
        );
        return None;
    };
    // Services and Namespaces are DNS labels; Services must also start with a letter
    // (RFC 1035). Every other kind, Gateway API kinds included, is a DNS subdomain.
    let (ok, expected) = match (group, kind) {
        ("", "Service") => (
            name.len() <= 63
                && dns_label().is_match(name)
                && name.starts_with(|c: char| c.is_ascii_lowercase()),
            "a DNS label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit",
        ),
        ("", "Namespace") => (
            name.len() <= 63 && dns_label().is_match(name),
            "a DNS label: at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit",
        ),
        _ => (
            name.len() <= 253 && dns_subdomain().is_match(name),
            "a DNS subdomain: at most 253 lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit",
        ),
    };
    if !ok {
        diags.push(
            Diagnostic::new(
                &rules::INVALID_NAME,
                format!(
                    "`metadata.name` \"{name}\" is not a valid {kind} name; expected {expected}"
                ),
            )
            .at(file, e.value.span)
            .field("metadata.name"),
        );
    }
    Some(name.to_owned())
}

fn check_namespace(file: FileId, meta: &Node, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let e = meta.entry("namespace")?;
    match &e.value.value {
        NodeValue::Scalar(Scalar::Null) => None,
        NodeValue::Scalar(Scalar::String(ns)) if ns.is_empty() => None,
        NodeValue::Scalar(Scalar::String(ns)) => {
            if !(ns.len() <= 63 && dns_label().is_match(ns)) {
                diags.push(
                    Diagnostic::new(
                        &rules::INVALID_NAMESPACE,
                        format!("`metadata.namespace` \"{ns}\" is not a valid namespace name; expected at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit"),
                    )
                    .at(file, e.value.span)
                    .field("metadata.namespace"),
                );
            }
            Some(ns.to_string())
        }
        _ => {
            diags.push(
                Diagnostic::new(
                    &rules::INVALID_NAMESPACE,
                    format!(
                        "`metadata.namespace` is {}, expected a string",
                        e.value.type_name()
                    ),
                )
                .at(file, e.value.span)
                .field("metadata.namespace"),
            );
            None
        }
    }
}

fn meta_key_span(meta: &Node) -> Span {
    meta.as_map()
        .and_then(|m| m.first())
        .map(|e| e.key_span)
        .unwrap_or(meta.span)
}

fn first_line(node: &Node) -> Span {
    node.span
}

/// Split `group/version` (or a bare core `version`) into its parts.
pub fn parse_api_version(s: &str) -> Option<(&str, &str)> {
    let (group, version) = match s.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", s),
    };
    let group_ok = group.is_empty() || (group.len() <= 253 && dns_subdomain().is_match(group));
    let version_ok = version.len() <= 63 && dns_label().is_match(version);
    (group_ok && version_ok && !(s.contains('/') && group.is_empty())).then_some((group, version))
}

fn duplicate_objects(inventory: &Inventory, diags: &mut Vec<Diagnostic>) {
    for dup in inventory.duplicates() {
        let first = dup[0];
        let name_path = FieldPath::root().key("metadata").key("name");
        for other in &dup[1..] {
            let ns = inventory.key_of(other).namespace;
            let what = match ns {
                Some(ns) => format!("{} {}/{}", other.kind, ns, other.name),
                None => format!("{} {}", other.kind, other.name),
            };
            diags.push(
                Diagnostic::new(&rules::DUPLICATE_OBJECT, format!("{what} is defined more than once; whichever is applied last replaces the other"))
                    .at(other.file, other.span_of(&name_path, false))
                    .secondary(Label::new(first.file, first.span_of(&name_path, false)).with_message("first defined here"))
                    .object(Some(other.object_ref()))
                    .field("metadata.name")
                    .help("delete or rename one of the definitions"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_parse() {
        assert_eq!(parse_api_version("v1"), Some(("", "v1")));
        assert_eq!(
            parse_api_version("gateway.networking.k8s.io/v1beta1"),
            Some(("gateway.networking.k8s.io", "v1beta1"))
        );
        // A group without a version is the most common slip.
        assert_eq!(parse_api_version("gateway.networking.k8s.io"), None);
        assert_eq!(parse_api_version("/v1"), None);
        assert_eq!(parse_api_version("a/b/c"), None);
        assert_eq!(parse_api_version("Gateway/V1"), None);
    }
}
