//! Which files the inputs name: paths given on the command line, and the YAML and JSON
//! files found by walking folders (sorted by path, hidden entries skipped, `.gitignore` and
//! `.gwctlignore` honoured, `exclude` globs applied). The files are one set: a file named
//! twice, or reached through two spellings or a symbolic link, is read once, under the
//! first name it was given. Inputs that cannot be looked at become [`LoadError`]s here, and
//! so does a folder in which no manifest file is found ([`LoadError::NoManifests`]).

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Input, LoadError};
use crate::source::Origin;

/// Find the files named by `inputs`, in the order given (folders sorted by path), each
/// once. A folder that yields no file gives a [`LoadError::NoManifests`] (see
/// [`super::no_manifests_as_warnings`]).
pub fn discover(
    inputs: &[Input],
    exclude: Option<&(globset::GlobSet, PathBuf)>,
) -> (Vec<Input>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen = Seen::default();
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
            Ok(m) if !m.is_dir() => {
                if seen.first(path, &m) {
                    files.push(Input::Path(path.clone()));
                }
            }
            Ok(_) => {
                let (found, failed) = (files.len(), errors.len());
                let yielded = walk(path, exclude, &mut seen, &mut files, &mut errors);
                // A folder that could not be read says so already; one that was read and
                // held nothing is most often a wrong path, which must not pass silently.
                if yielded == 0 && errors.len() == failed {
                    debug_assert_eq!(files.len(), found);
                    errors.push(LoadError::NoManifests {
                        path: display(path),
                    });
                }
            }
        }
    }
    (files, errors)
}

/// The files found so far, by identity: the same file under two spellings (`x.yaml` and
/// `./x.yaml`, a folder and a file in it, a symbolic link and its target) is one input.
/// Reading it twice would report each of its objects as a duplicate of itself (GW030).
#[derive(Default)]
struct Seen(HashSet<FileKey>);

/// What makes two paths the same file: its device and inode where there are such (one
/// `stat`, which `metadata` already made), its canonical path elsewhere.
#[derive(Hash, PartialEq, Eq)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

impl Seen {
    /// Whether `path` (whose metadata, symbolic links followed, is `meta`) is seen for the
    /// first time.
    fn first(&mut self, path: &Path, meta: &fs::Metadata) -> bool {
        #[cfg(unix)]
        let key = {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            FileKey::Inode(meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let key = {
            let _ = meta;
            FileKey::Path(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
        };
        self.0.insert(key)
    }

    /// [`Seen::first`] for a path whose metadata was looked up, or could not be: a path that
    /// cannot be looked at is kept, so that reading it reports why.
    fn first_known(&mut self, path: &Path, meta: io::Result<fs::Metadata>) -> bool {
        match meta {
            Ok(m) => self.first(path, &m),
            Err(_) => self.0.insert(FileKey::Path(path.to_path_buf())),
        }
    }
}

fn excluded(path: &Path, exclude: Option<&(globset::GlobSet, PathBuf)>) -> bool {
    let Some((set, base)) = exclude else {
        return false;
    };
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base = std::path::absolute(base).unwrap_or_else(|_| base.clone());
    abs.strip_prefix(&base).is_ok_and(|rel| set.is_match(rel))
}

/// Add the manifest files under `root` that are not in `seen` yet to `files`; returns how
/// many manifest files the folder holds, added or already seen.
fn walk(
    root: &Path,
    exclude: Option<&(globset::GlobSet, PathBuf)>,
    seen: &mut Seen,
    files: &mut Vec<Input>,
    errors: &mut Vec<LoadError>,
) -> usize {
    let mut found = Vec::new();
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
                    found.push(e.into_path());
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
    // Which files are new is decided in walk order, from metadata looked up on the pool: a
    // system call per file, which a folder of thousands would otherwise wait on in turn.
    let metadata: Vec<io::Result<fs::Metadata>> = found.par_iter().map(fs::metadata).collect();
    let yielded = found.len();
    for (path, meta) in found.into_iter().zip(metadata) {
        if seen.first_known(&path, meta) {
            files.push(Input::Path(path));
        }
    }
    yielded
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

pub(super) fn display(p: &Path) -> String {
    Origin::Path(p.to_path_buf()).to_string()
}
