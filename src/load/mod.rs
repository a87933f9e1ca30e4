//! Inputs → source files → Kubernetes objects.
//!
//! Owns the loader's types ([`Input`], [`Options`], [`LoadError`], [`Loaded`]) and the
//! orchestration of one run ([`load_then`]): finding the files (`discover`: paths, folders
//! walked with `.gitignore` honoured, stdin), reading them within size limits (`limits`),
//! and turning each YAML or JSON document into an [`Object`] in the [`Inventory`] (`parse`,
//! `object`), with Secret values masked (`redact`). Problems with the content
//! become [`Diagnostic`]s (GW0xx, see [`rules`]); problems that stop gwctl from reading an
//! input at all (a path that does not exist, a folder it may not read) are [`LoadError`]s,
//! which the CLI turns into exit status 2. Files and objects read are counted as they go
//! ([`progress`]). Files are read and parsed in parallel; results
//! are assembled in input order, so output does not depend on thread timing.

pub mod cluster;
mod discover;
mod limits;
mod object;
mod parse;
pub mod progress;
mod redact;
pub mod rules;
pub mod suppression;

use std::io::{self, Read};
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::model::{Inventory, Object};
use crate::source::{FileId, Origin, SourceMap};
use crate::yaml::{self, Comment};

pub use discover::discover;
use limits::{Budget, Capped, Raw};
pub use object::duplicates;
pub use object::valid_namespace;
pub(crate) use parse::yaml_issue;
use parse::{FileResult, parse_file};
use redact::redact_messages;
pub use redact::redact_secret_values;

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
    ///
    /// [`SourceFile::let_go_of_text`]: crate::source::SourceFile::let_go_of_text
    /// [`SourceFile::shown_text`]: crate::source::SourceFile::shown_text
    pub snippets: bool,
    /// Globs for files found in folders that are skipped, matched against paths relative
    /// to the given folder (where the configuration file is). Files named explicitly are
    /// always read.
    pub exclude: Option<(globset::GlobSet, PathBuf)>,
    /// Where the run counts files and objects as it reads them, for a progress line; clones
    /// of these options count into the same counters.
    pub progress: std::sync::Arc<progress::Progress>,
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
            progress: Default::default(),
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
    /// A folder named as an input holds no manifest file. An error only when no input
    /// yields any (a wrong path must not pass CI); a warning otherwise
    /// ([`no_manifests_as_warnings`]).
    #[error(
        "{path}: no manifest files found (*.yaml, *.yml, *.json; hidden folders, .gitignore'd \
         and excluded files are skipped)"
    )]
    NoManifests { path: String },
}

impl LoadError {
    pub fn path(&self) -> &str {
        match self {
            LoadError::NotFound { path }
            | LoadError::Io { path, .. }
            | LoadError::Walk { path, .. }
            | LoadError::Cluster { path, .. }
            | LoadError::NoManifests { path } => path,
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
    /// Folders named as inputs that hold no manifest file, when other inputs do: worth a
    /// warning, not a failure ([`no_manifests_as_warnings`]).
    pub warnings: Vec<LoadError>,
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
        self.warnings.extend(other.warnings);
        self.live.extend(other.live);
    }
}

/// Read and parse every input. Stdin, if named, is read from `stdin`.
pub fn load(inputs: &[Input], opts: &Options, stdin: &mut dyn Read) -> Loaded {
    let mut loaded = load_then(inputs, opts, stdin, &|_, _| ()).0;
    duplicates(&loaded.inventory, &mut loaded.diagnostics);
    loaded
}

/// What [`load_then`] does with each object as soon as its file is read: it may change the
/// object and add findings about it, and returns what to keep of it.
pub type Then<'a, P> = &'a (dyn Fn(&mut Object, &mut Vec<Diagnostic>) -> P + Sync);

/// [`load`], running `then` on each object as soon as it is read (on the thread that reads
/// its file, a batch of its objects in parallel), so that what a caller keeps of an object
/// is taken before the other objects pile up; lint validates each object and cuts its JSON
/// down here. Returns what `then` kept, one per object of the inventory, in its
/// order; objects refused by --max-objects, and their findings, are dropped. Objects
/// defined twice are not reported: see [`duplicates`].
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
    let (found, mut errors) = discover::discover_looked_up(inputs, opts.exclude.as_ref());
    let (files, metadata): (Vec<Input>, Vec<Option<std::fs::Metadata>>) = found.into_iter().unzip();
    opts.progress.add_total(files.len());
    let warnings = no_manifests_as_warnings(&files, &mut errors);
    // The total size budget is shared out in input order before anything is read in
    // parallel, and stdin is read up front (it cannot be read in parallel); then files are
    // read and parsed in parallel.
    let budget = Budget::share(&files, &metadata, opts, stdin, &mut errors);
    drop(metadata);
    let results: Vec<Result<ReadFile<P>, LoadError>> = (0..files.len())
        .into_par_iter()
        .map(|i| read_one(&files, i, &budget, opts, then))
        .collect();
    let (mut loaded, kept) = assemble(results, errors, opts);
    loaded.warnings = warnings;
    (loaded, kept)
}

/// A named folder without manifest files ([`LoadError::NoManifests`]) stops the run only
/// when the inputs together yield no file at all: `gwctl lint deploy/ staging/` with an
/// empty `staging/` still checks `deploy/`, and says that `staging/` held nothing. Takes
/// those errors out of `errors` when `files` is not empty and returns them.
pub fn no_manifests_as_warnings(files: &[Input], errors: &mut Vec<LoadError>) -> Vec<LoadError> {
    if files.is_empty() {
        return Vec::new();
    }
    let (warnings, rest) = std::mem::take(errors)
        .into_iter()
        .partition(|e| matches!(e, LoadError::NoManifests { .. }));
    *errors = rest;
    warnings
}

/// A file as [`load_then`] read it: the file, then each object's findings from `then` and
/// what `then` kept of it, one per object.
type ReadFile<P> = (FileResult, Vec<Vec<Diagnostic>>, Vec<P>);

/// Read and parse input `i` of `files` within its budget, running `then` on its objects.
fn read_one<P: Send>(
    files: &[Input],
    i: usize,
    budget: &Budget,
    opts: &Options,
    then: Then<'_, P>,
) -> Result<ReadFile<P>, LoadError> {
    let id = FileId(i as u32);
    let origin = match &files[i] {
        Input::Stdin => Origin::Stdin,
        Input::Path(p) => Origin::Path(p.clone()),
    };
    let raw = budget.read(files, i, opts)?;
    let mut found: Vec<Vec<Diagnostic>> = Vec::new();
    let mut kept: Vec<P> = Vec::new();
    let r = parse_file(id, origin, raw, opts, &mut |objects| {
        let (f, k): (Vec<Vec<Diagnostic>>, Vec<P>) = objects
            .par_iter_mut()
            .map(|o| {
                let mut found = Vec::new();
                let kept = then(o, &mut found);
                // Held until every file is read: a vector grown by pushing has room for
                // four findings, and most objects have none or one.
                found.shrink_to_fit();
                (found, kept)
            })
            .unzip();
        // Called once a document, mostly with one object: grown by `extend`, these would
        // keep room for four objects' views and findings each until the run is assembled.
        found.reserve_exact(f.len());
        found.extend(f);
        kept.reserve_exact(k.len());
        kept.extend(k);
        opts.progress.objects_read(objects.len());
    });
    opts.progress.file_read();
    // Secret values never reach output, whoever found something about them.
    if let Some(redactions) = r.source.redactions() {
        for d in &mut found {
            redact_messages(d, redactions);
        }
    }
    Ok((r, found, kept))
}

/// Put the files read in parallel together in input order: sources, objects up to
/// --max-objects with what `then` kept of them, and findings; then the run's own findings
/// (too many objects, duplicates). `errors` are those found before reading.
fn assemble<P>(
    results: Vec<Result<ReadFile<P>, LoadError>>,
    mut errors: Vec<LoadError>,
    opts: &Options,
) -> (Loaded, Vec<P>) {
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
                // Where this file's reader stopped at --max-objects documents: folded into
                // the run's one finding below, which names the first object not checked.
                let mut stopped = None;
                for mut d in r.diagnostics {
                    relabel(&mut d, file_id);
                    if d.is(&rules::TOO_MANY_OBJECTS) {
                        stopped = stopped.or(d.primary.map(|p| p.span));
                        continue;
                    }
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
                if let Some(span) = stopped {
                    capped.stopped(file_id, span);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    loaded.errors = errors;
    capped.report(opts.max_objects, &mut loaded.diagnostics);
    (loaded, all_kept)
}

fn relabel(d: &mut Diagnostic, id: FileId) {
    if let Some(p) = &mut d.primary {
        p.file = id;
    }
    for s in &mut d.secondary {
        s.file = id;
    }
}
