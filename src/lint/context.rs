//! Lint with context: files read only so that the named files' references resolve
//! against them (`gwctl lint --context PATH`, `context:` in `.gwctl.yaml`).
//!
//! A pre-commit hook passes only the staged files; their Gateway, Services and grants are in
//! other, committed files. Those files are read as context: their objects take part in every
//! cross-object check (parents, listeners, backends, grants, policies, precedence,
//! duplicates), but nothing is reported about them. Their own schema and CEL checks are not
//! even run (only the schema defaults are applied, which references depend on), so a
//! repository of thousands of manifests costs little more than reading it.
//!
//! A finding about a context object that involves a named file (a context route that a
//! staged route duplicates, a context policy a staged policy conflicts with) is moved onto
//! the named file's object, with the context object kept as a secondary label; a finding
//! that involves no named file is dropped.
//!
//! Owns which files are context ([`expand`] for the configuration's globs, [`load_and_check`]
//! for the run) and that re-attribution; the passes themselves are [`super`]'s.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Checked, Settings};
use crate::diag::{Diagnostic, Label};
use crate::load::{self, Input, Loaded};
use crate::source::FileId;

/// The files and folders `patterns` (the configuration's `context:`) name, relative to
/// `base` (the configuration file's folder). A pattern is a path, or a glob (`*`, `?`,
/// `[...]`, `{a,b}`) matched against the paths under `base` of the YAML and JSON files
/// found in the folder the glob starts with, or of a folder holding them. Discovery is the
/// inputs' own: `.gitignore`, `.gwctlignore` and `exclude` are honoured. A pattern that
/// matches nothing is an error, as a mistyped context would otherwise silently check the
/// named files alone.
pub fn expand(
    patterns: &[String],
    base: &Path,
    exclude: Option<&(globset::GlobSet, PathBuf)>,
) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for pattern in patterns {
        let literal = !pattern.contains(['*', '?', '[', '{']);
        if literal {
            let path = base.join(pattern);
            if !path.exists() {
                return Err(format!(
                    "context: \"{pattern}\" is no file or folder (in {})",
                    base.display()
                ));
            }
            out.push(path);
            continue;
        }
        let glob = globset::Glob::new(pattern)
            .map_err(|e| format!("context: pattern \"{pattern}\": {e}"))?
            .compile_matcher();
        // Walk only the folder the glob starts with: `deploy/**/*.yaml` never reads the
        // rest of the repository.
        let fixed: PathBuf = Path::new(pattern)
            .components()
            .take_while(|c| {
                !c.as_os_str()
                    .to_string_lossy()
                    .contains(['*', '?', '[', '{'])
            })
            .collect();
        let root = base.join(&fixed);
        let before = out.len();
        if root.is_dir() {
            let (files, _) = load::discover(&[Input::Path(root)], exclude);
            for f in files {
                let Input::Path(path) = f else { continue };
                let matched = path
                    .strip_prefix(base)
                    .is_ok_and(|rel| rel.ancestors().any(|a| glob.is_match(a)));
                if matched {
                    out.push(path);
                }
            }
        }
        if out.len() == before {
            return Err(format!(
                "context: \"{pattern}\" matches no YAML or JSON file (in {})",
                base.display()
            ));
        }
    }
    Ok(out)
}

/// [`super::load_and_check`] of `inputs` with `context` (files and folders) read as
/// context. A file both named and in the context is named, and read once. Named files come
/// first, so the size and object limits serve them first.
pub fn load_and_check(
    inputs: &[Input],
    context: &[PathBuf],
    opts: &load::Options,
    stdin: &mut dyn std::io::Read,
    settings: &Settings,
) -> Checked {
    load_and_check_keeping(inputs, context, opts, stdin, settings, false)
}

/// [`load_and_check`]; with `keep_json`, every object (context ones too) keeps its whole
/// JSON, as [`super::load_and_check_keeping`] does.
pub fn load_and_check_keeping(
    inputs: &[Input],
    context: &[PathBuf],
    opts: &load::Options,
    stdin: &mut dyn std::io::Read,
    settings: &Settings,
    keep_json: bool,
) -> Checked {
    let (named, mut errors) = load::discover(inputs, opts.exclude.as_ref());
    let context_inputs: Vec<Input> = context.iter().cloned().map(Input::Path).collect();
    let (found, context_errors) = load::discover(&context_inputs, opts.exclude.as_ref());
    errors.extend(context_errors);
    // Compared as canonical paths: `deploy/x.yaml`, `./deploy/x.yaml` and the same file
    // found by walking `deploy/` are one file.
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut seen: HashSet<PathBuf> = named
        .iter()
        .filter_map(|i| match i {
            Input::Path(p) => Some(canonical(p)),
            Input::Stdin => None,
        })
        .collect();
    let mut context_paths = HashSet::new();
    let mut files = named;
    let named_count = files.len();
    for f in found {
        if let Input::Path(p) = &f
            && seen.insert(canonical(p))
        {
            context_paths.insert(p.clone());
            files.push(f);
        }
    }
    let (mut loaded, prepared) = load::load_then(&files, opts, stdin, &|o, found| {
        // Before assembly, an object's file id is its file's place in `files`.
        if (o.file.0 as usize) < named_count {
            found.extend(crate::checks::schema::check_one(
                o,
                &settings.store,
                settings.channel,
            ));
        } else {
            crate::checks::schema::apply_defaults_only(o, &settings.store, settings.channel);
        }
        super::take_view(o, &opts.default_namespace, keep_json)
    });
    errors.append(&mut loaded.errors);
    loaded.errors = errors;
    let in_context: Vec<bool> = loaded
        .sources
        .iter()
        .map(|(_, f)| f.origin.path().is_some_and(|p| context_paths.contains(p)))
        .collect();
    let context_names: HashSet<String> = context_paths
        .iter()
        .map(|p| crate::source::Origin::Path(p.clone()).to_string())
        .collect();
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    super::references_and_duplicates(&loaded, prepared, settings, &mut diagnostics);
    let is_context = |f: FileId| in_context.get(f.0 as usize).copied().unwrap_or(false);
    // A suppression in a context file holds for the findings about its objects, as when the
    // whole tree is linted, also once they are moved onto a named file; unused ones are not
    // reported (context files never are). Only context files' suppressions can match here.
    let (mut about_context, mut diagnostics): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.primary.as_ref().is_some_and(|p| is_context(p.file)));
    super::suppress::apply(&loaded, &mut about_context, false);
    diagnostics.append(&mut about_context);
    attribute(&mut diagnostics, &loaded, &is_context, &context_names);
    super::finish_with(loaded, diagnostics, settings, &is_context)
}

/// Move each finding about a context object onto the named file it involves (its first
/// secondary label in a named file), naming the context object at the head of the message
/// and keeping it as a secondary label; drop findings about context files that involve no
/// named file. A finding with no position is dropped when it is about a context file
/// (`context_names`, as findings name files).
fn attribute(
    diagnostics: &mut Vec<Diagnostic>,
    loaded: &Loaded,
    is_context: &dyn Fn(FileId) -> bool,
    context_names: &HashSet<String>,
) {
    diagnostics.retain_mut(|d| {
        let Some(primary) = &d.primary else {
            return !d
                .file_hint
                .as_deref()
                .is_some_and(|f| context_names.contains(f));
        };
        if !is_context(primary.file) {
            return true;
        }
        let Some(i) = d.secondary.iter().position(|l| !is_context(l.file)) else {
            return false;
        };
        let named = d.secondary.remove(i);
        let object = object_at(&loaded.inventory.objects, named.file, named.span.start);
        // The message speaks of the context object ("this match", "port 8080"): say which
        // object that is, now that the finding points elsewhere.
        if let Some(about) = d.object.as_deref() {
            d.message = format!("{about} in the context: {}", d.message).into_boxed_str();
        }
        if let Some(old) = d.primary.replace(named.clone()) {
            let about = d.object.as_deref().map(|o| format!("{o}, "));
            let note = match &old.message {
                Some(m) => format!("{m} ({}in the context)", about.unwrap_or_default()),
                None => format!("{}in the context", about.unwrap_or_default()),
            };
            d.secondary.insert(
                0,
                Label {
                    message: Some(note.into()),
                    ..old
                },
            );
        }
        d.object = object.map(|o| o.object_ref());
        d.field = object
            .map(|o| field_of(o, named.span))
            .filter(|p| !p.is_root())
            .map(|p| p.to_string().into_boxed_str());
        true
    });
}

/// The object whose text holds `offset` of `file`. Objects are in file order, and in
/// position order within a file, so this is a binary search: a staged Service that many
/// committed routes use may move as many findings.
fn object_at(
    objects: &[crate::model::Object],
    file: FileId,
    offset: usize,
) -> Option<&crate::model::Object> {
    let after = objects.partition_point(|o| (o.file, o.shape.span().start) <= (file, offset));
    let o = objects.get(after.checked_sub(1)?)?;
    (o.file == file && offset < o.shape.span().end).then_some(o)
}

/// The field of `o` a label's span is about: the deepest one whose text holds the whole span
/// (a label on a list, such as `spec.ports`, starts inside its first item), and of fields
/// with the same text (a list of one item and that item), the outermost.
fn field_of(o: &crate::model::Object, span: crate::source::Span) -> crate::fieldpath::FieldPath {
    let span_of = |p: &crate::fieldpath::FieldPath| o.shape.locate(p).span;
    let mut path = o.shape.path_at(span.start);
    while !path.is_root()
        && !span_of(&path).is_some_and(|s| s.start <= span.start && span.end <= s.end)
    {
        path.pop();
    }
    while !path.is_root() {
        let mut parent = path.clone();
        parent.pop();
        if parent.is_root() || span_of(&parent) != span_of(&path) {
            break;
        }
        path = parent;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::expand;
    use std::fs;
    use std::path::PathBuf;

    fn rel(base: &std::path::Path, found: Vec<PathBuf>) -> Vec<String> {
        found
            .iter()
            .map(|p| p.strip_prefix(base).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn globs_match_files_or_the_folders_that_hold_them() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path();
        for f in [
            "apps/a/manifests/route.yaml",
            "apps/a/manifests/deep/svc.yml",
            "apps/a/chart/values.yaml",
            "apps/b/manifests/gw.json",
            "apps/b/notes.txt",
            "deploy/x.yaml",
        ] {
            fs::create_dir_all(base.join(f).parent().unwrap()).unwrap();
            fs::write(base.join(f), "").unwrap();
        }
        let found = expand(&["apps/*/manifests".to_owned()], base, None).unwrap();
        assert_eq!(
            rel(base, found),
            [
                "apps/a/manifests/deep/svc.yml",
                "apps/a/manifests/route.yaml",
                "apps/b/manifests/gw.json"
            ]
        );
        let found = expand(&["**/*.json".to_owned()], base, None).unwrap();
        assert_eq!(rel(base, found), ["apps/b/manifests/gw.json"]);
        // A plain path is kept as a path (discovery walks it later).
        let found = expand(&["deploy".to_owned()], base, None).unwrap();
        assert_eq!(rel(base, found), ["deploy"]);
        // Matching nothing is an error that names the entry.
        let err = expand(&["apps/*/helm".to_owned()], base, None).unwrap_err();
        assert!(err.contains("\"apps/*/helm\""), "{err}");
        let err = expand(&["nope".to_owned()], base, None).unwrap_err();
        assert!(err.contains("\"nope\""), "{err}");
    }
}
