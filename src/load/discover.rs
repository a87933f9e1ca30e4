//! Which files the inputs name: paths given on the command line, and the YAML and JSON
//! files found by walking folders (sorted by path, `.gitignore` and `.gwctlignore` honoured,
//! `exclude` globs applied). Inputs that cannot be looked at become [`LoadError`]s here.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Input, LoadError};
use crate::source::Origin;

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

pub(super) fn display(p: &Path) -> String {
    Origin::Path(p.to_path_buf()).to_string()
}
