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
use std::sync::Mutex;

use super::{Input, LoadError};
use crate::source::Origin;

/// Find the files named by `inputs`, in the order given (folders sorted by path), each
/// once. A folder that yields no file gives a [`LoadError::NoManifests`] (see
/// [`super::no_manifests_as_warnings`]).
pub fn discover(
    inputs: &[Input],
    exclude: Option<&(globset::GlobSet, PathBuf)>,
) -> (Vec<Input>, Vec<LoadError>) {
    let (found, errors) = discover_looked_up(inputs, exclude);
    (found.into_iter().map(|(input, _)| input).collect(), errors)
}

/// [`discover`], each file with its metadata (symbolic links followed) as it was looked
/// up to tell files apart, so that the loader need not look each file up again to share
/// out the size budget; `None` for stdin and for a path that could not be looked at.
pub(super) fn discover_looked_up(
    inputs: &[Input],
    exclude: Option<&(globset::GlobSet, PathBuf)>,
) -> (Vec<(Input, Option<fs::Metadata>)>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen = Seen::default();
    for input in inputs {
        let Input::Path(path) = input else {
            files.push((Input::Stdin, None));
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
                    files.push((Input::Path(path.clone()), Some(m)));
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
    fn first_known(&mut self, path: &Path, meta: &io::Result<fs::Metadata>) -> bool {
        match meta {
            Ok(m) => self.first(path, m),
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
    files: &mut Vec<(Input, Option<fs::Metadata>)>,
    errors: &mut Vec<LoadError>,
) -> usize {
    // The tree is walked on several threads: a folder of thousands of files is otherwise
    // a long wait on one core for a system call per entry and a `.gitignore` looked for in
    // every folder. Each manifest file's metadata is looked up by the thread that finds it.
    // What the threads find is put in walk order after (see `walk_key`).
    let found: Mutex<Vec<(PathBuf, io::Result<fs::Metadata>)>> = Mutex::default();
    let failed: Mutex<Vec<(Option<PathBuf>, LoadError)>> = Mutex::default();
    ignore::WalkBuilder::new(root)
        // .gitignore applies even outside a git repository: a copied or unpacked tree should
        // lint the same as the repository it came from.
        .require_git(false)
        .add_custom_ignore_filename(".gwctlignore")
        .threads(rayon::current_num_threads())
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) => {
                        let is_file = e.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                        let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
                        if is_file
                            && matches!(ext, "yaml" | "yml" | "json")
                            && !excluded(e.path(), exclude)
                        {
                            let meta = fs::metadata(e.path());
                            lock(&found).push((e.into_path(), meta));
                        }
                    }
                    Err(err) => {
                        let path = walk_error_path(&err);
                        let message = match err.io_error() {
                            Some(io) => io.to_string(),
                            None => err.to_string(),
                        };
                        let error = LoadError::Walk {
                            path: path.as_deref().map_or_else(|| display(root), display),
                            message,
                        };
                        lock(&failed).push((path, error));
                    }
                }
                ignore::WalkState::Continue
            })
        });
    let mut failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    // In walk order too; errors without a path (none are expected) last.
    failed.sort_by_cached_key(|(path, _)| (path.is_none(), path.as_deref().map(walk_key)));
    errors.extend(failed.into_iter().map(|(_, e)| e));
    let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    found.sort_by_cached_key(|(path, _)| walk_key(path));
    // Which files are new is decided in walk order.
    let yielded = found.len();
    for (path, meta) in found {
        if seen.first_known(&path, &meta) {
            files.push((Input::Path(path), meta.ok()));
        }
    }
    yielded
}

/// What sorts paths under one root in the order of a walk that visits each folder's
/// entries sorted by name: `Path`'s own order, a component at a time (`a/z.yaml` before
/// `a.yaml`, as the folder `a` sorts before the file `a.yaml`). Comparing components
/// parses both paths at every comparison, a large part of listing a folder of thousands;
/// the same order is the bytes' order once each separator is the lowest byte, which no
/// file name holds.
#[cfg(unix)]
fn walk_key(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    bytes
        .iter()
        .map(|&b| if b == b'/' { 0 } else { b })
        .collect()
}

#[cfg(not(unix))]
fn walk_key(path: &Path) -> PathBuf {
    path.to_path_buf()
}

/// A lock whose holder may have panicked: the list it guards is still whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

pub(super) fn display(p: &Path) -> String {
    Origin::Path(p.to_path_buf()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files of `root` as a one-threaded walk that sorts each folder's entries by name
    /// finds them: the order gwctl promises (and reports duplicates in).
    fn sorted_walk(root: &Path) -> Vec<PathBuf> {
        ignore::WalkBuilder::new(root)
            .require_git(false)
            .add_custom_ignore_filename(".gwctlignore")
            .sort_by_file_name(|a, b| a.cmp(b))
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.into_path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|x| x.to_str()),
                    Some("yaml" | "yml" | "json")
                )
            })
            .collect()
    }

    #[test]
    fn a_folder_is_walked_in_name_order_whatever_the_threads_do() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Names where a path-wise order and a text-wise one differ (`a/z` before `a.yaml`,
        // `a-b/` after `a.yaml`, upper case first), in folders of several depths.
        let mut names = vec![
            "a/z.yaml",
            "a.yaml",
            "a-b/x.yaml",
            "B.yaml",
            "b/c/d.yaml",
            "b/c.yaml",
            "b/c-d/e.json",
            "ignored.yaml",
            ".hidden/x.yaml",
            "notes.txt",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        for i in 0..40 {
            names.push(format!("many/{}/{}.yml", i % 7, 40 - i));
        }
        for name in &names {
            let path = root.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "kind: ConfigMap\n").unwrap();
        }
        fs::write(root.join(".gitignore"), "ignored.yaml\n").unwrap();
        let expected = sorted_walk(root);
        assert_eq!(expected.len(), 47, "{expected:?}");
        for _ in 0..20 {
            let (files, errors) = discover(&[Input::Path(root.to_path_buf())], None);
            assert!(errors.is_empty(), "{errors:?}");
            let paths: Vec<PathBuf> = files
                .into_iter()
                .map(|f| match f {
                    Input::Path(p) => p,
                    Input::Stdin => unreachable!(),
                })
                .collect();
            assert_eq!(paths, expected);
        }
    }
}
