//! `gwctl test`: reads the test files and the manifests they name, builds the routing graph
//! once, runs every case ([`crate::routetest`]) and writes the findings in any of `lint`'s
//! formats.
//!
//! Owns finding the test files (a folder holds those YAML files with a top-level `cases:`),
//! where the manifests come from (`--manifests`, and each test file's `manifests:`, relative
//! to the file), and putting the test files and the manifests into one source map, test
//! files first, so that a finding on a case and the lint findings shown with it have their
//! lines. Exit status: 0 when every case passes, 1 when one fails, 2 when gwctl could not
//! run.

use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::args::TestArgs;
use super::{Status, fail, usage_error};
use crate::diag::{Diagnostic, Severity};
use crate::lint::report::{Cases, Report};
use crate::load::{self, Input};
use crate::routetest::{self, file::TestFile};
use crate::source::{FileId, Origin, SourceFile, SourceMap};

pub fn run(args: &TestArgs, color: bool, out: &mut dyn Write) -> io::Result<Status> {
    let plan = match super::lint::output_plan(args.output_format, &args.outputs) {
        Ok(p) => p,
        Err(message) => return usage_error(&mut io::stderr(), "test", &message),
    };
    let paths = match test_files(&args.paths) {
        Ok(p) if p.is_empty() => {
            return fail(
                "no test file: the folders given hold no YAML file with a top-level `cases:`",
            );
        }
        Ok(p) => p,
        Err(message) => return fail(&message),
    };
    let mut tests: Vec<(PathBuf, String, TestFile)> = Vec::new();
    for (i, path) in paths.into_iter().enumerate() {
        let text = match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                return fail(&format!(
                    "cannot read {}: it is not UTF-8 text",
                    path.display()
                ));
            }
            Err(e) => return fail(&format!("cannot read {}: {e}", path.display())),
        };
        let parsed = routetest::file::parse(FileId(i as u32), &text);
        tests.push((path, text, parsed));
    }
    // The manifests: --manifests, then each test file's own, relative to the file.
    let mut manifests: Vec<PathBuf> = args.manifests.clone();
    for (path, _, t) in &tests {
        let dir = path.parent().unwrap_or(Path::new(""));
        for m in &t.manifests {
            manifests.push(normalize(&dir.join(&m.value)));
        }
    }
    let mut inputs: Vec<Input> = Vec::new();
    for i in super::inputs(&manifests) {
        if !inputs.contains(&i) {
            inputs.push(i);
        }
    }
    if inputs.is_empty() {
        return fail(
            "no manifests: give --manifests PATH, or name them under `manifests:` in the test file",
        );
    }
    let cwd = std::env::current_dir()?;
    let config = match crate::lint::config::Config::discover(None, &cwd) {
        Ok(c) => c,
        Err(e) => return fail(&format!("configuration file {e}")),
    };
    let settings = match super::settings::from_flags(&args.schema, None, &[], &[], &config) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let lopts = args.limits.options(args.namespace.clone());
    let mut loaded = load::load(&inputs, &lopts, &mut io::empty() as &mut dyn Read);
    if let Some(e) = loaded.errors.first() {
        return fail(&format!("cannot read {e}"));
    }
    for w in &loaded.warnings {
        writeln!(io::stderr(), "gwctl: warning: {w}")?;
    }
    if let Some(message) = super::simulate::refused(&loaded) {
        return fail(&message);
    }
    let lint = crate::lint::analyze(&mut loaded, &settings);
    let rsettings = routetest::Settings {
        namespace: args.namespace.clone(),
        complete: settings.complete,
        experimental: settings.channel == crate::schema::Channel::Experimental,
        release: settings.store.release(),
    };
    run_cases(tests, loaded, lint, rsettings, |checked| {
        let status = super::lint::status(&checked.report, Severity::Error, false);
        super::lint::emit(&plan, checked, status, color, out)
    })
}

/// Run every case over the graph of `loaded`, then hand the finished run to `emit`.
fn run_cases(
    tests: Vec<(PathBuf, String, TestFile)>,
    mut loaded: load::Loaded,
    lint: Vec<Diagnostic>,
    settings: routetest::Settings,
    emit: impl FnOnce(&crate::lint::Checked) -> io::Result<Status>,
) -> io::Result<Status> {
    let graph = crate::graph::Graph::build(&loaded.inventory);
    // The test files are the run's first sources; the manifests follow, so their findings'
    // positions move by the number of test files.
    let shift = tests.len() as u32;
    let lint = lint.into_iter().map(|d| shifted(d, shift)).collect();
    let runner = routetest::Runner::new(&graph, settings, lint);
    let word = crate::render::trace::step_message;
    let mut report = Report {
        files: tests.len(),
        ..Default::default()
    };
    let mut cases = Cases::default();
    let mut sources = SourceMap::new();
    for (path, text, t) in &tests {
        report.diagnostics.extend(t.diagnostics.iter().cloned());
        for case in &t.cases {
            report.object_refs.push((t.file, case.object.clone()));
            let run = runner.run(t.file, case, &word);
            // A case fails on a finding of its own or of its file that is about it.
            let failed = run.failed()
                || t.diagnostics.iter().any(|d| {
                    d.severity == Severity::Error
                        && d.object
                            .as_ref()
                            .is_some_and(|o| Arc::ptr_eq(o, &case.object))
                });
            if failed {
                cases.failed += 1;
            } else {
                cases.passed += 1;
            }
            report.diagnostics.extend(run.findings);
        }
        sources.add(SourceFile::new(Origin::Path(path.clone()), text.as_str()));
    }
    drop(runner);
    drop(graph);
    for (_, f) in std::mem::take(&mut loaded.sources).into_files() {
        sources.add(f);
    }
    report.objects = report.object_refs.len();
    report.cases = Some(cases);
    let mut checked = crate::lint::Checked {
        report,
        sources,
        inventory: loaded.inventory,
    };
    checked.normalize();
    emit(&checked)
}

/// `d` with its positions moved `by` files on.
fn shifted(mut d: Diagnostic, by: u32) -> Diagnostic {
    if let Some(p) = &mut d.primary {
        p.file = FileId(p.file.0 + by);
    }
    for l in &mut d.secondary {
        l.file = FileId(l.file.0 + by);
    }
    d
}

/// `a/b/../c` → `a/c`, without touching the file system: a test file's `manifests:` are
/// relative to its folder, and are shown that way.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|l| matches!(l, Component::Normal(_))) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The test files the PATHs name: files as given, and in folders (recursively, honouring
/// .gitignore) the YAML files with a top-level `cases:` key, sorted.
fn test_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in super::inputs(paths) {
        let Input::Path(p) = p else {
            return Err("gwctl test reads test files, not stdin: give files or folders".into());
        };
        if !p.is_dir() {
            if !p.exists() {
                return Err(format!(
                    "cannot read {}: no such file or folder",
                    p.display()
                ));
            }
            out.push(p);
            continue;
        }
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(&p).build().flatten() {
            let path = entry.path();
            let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if yaml
                && entry.file_type().is_some_and(|t| t.is_file())
                && std::fs::read_to_string(path)
                    .is_ok_and(|t| t.lines().any(|l| l.starts_with("cases:")))
            {
                found.push(path.to_path_buf());
            }
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}
