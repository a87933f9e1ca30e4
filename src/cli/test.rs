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

use super::args::{Target, TestArgs};
use super::{Status, fail, usage_error};
use crate::diag::{Diagnostic, Severity};
use crate::lint::report::{Cases, Report};
use crate::load::{self, Input};
use crate::render::Format;
use crate::routetest::{self, file::TestFile};
use crate::source::{FileId, Origin, SourceFile, SourceMap};

pub fn run(args: &TestArgs, color: bool, out: &mut dyn Write) -> io::Result<Status> {
    let plan = match super::lint::output_plan(args.output_format, &args.outputs) {
        Ok(p) => p,
        Err(message) => return usage_error(&mut io::stderr(), "test", &message),
    };
    let mut run = match prepare(args)? {
        Ok(r) => r,
        Err(status) => return Ok(status),
    };
    if args.update {
        // The diff goes where a person reads: stdout when it shows the human report.
        let human_stdout = plan
            .iter()
            .any(|(f, t)| *f == Format::Human && *t == Target::Stdout);
        let mut stderr = io::stderr();
        let diff_out: &mut dyn Write = if human_stdout { out } else { &mut stderr };
        if update(run, diff_out)? == Status::Failure {
            return Ok(Status::Failure);
        }
        // The report is of the files as they are now.
        run = match prepare(args)? {
            Ok(r) => r,
            Err(status) => return Ok(status),
        };
    }
    run_cases(run, |checked| {
        let status = super::lint::status(&checked.report, Severity::Error, false);
        super::lint::emit(&plan, checked, status, color, None, out)
    })
}

/// A run ready to go: the test files read, the manifests loaded and linted.
struct Prepared {
    tests: Vec<(PathBuf, String, TestFile)>,
    loaded: load::Loaded,
    lint: Vec<Diagnostic>,
    settings: routetest::Settings,
}

/// Read the test files and their manifests; `Err` is the status of a run that cannot go on
/// (already said on stderr).
fn prepare(args: &TestArgs) -> io::Result<Result<Prepared, Status>> {
    let paths = match test_files(&args.paths) {
        Ok(p) if p.is_empty() => {
            return fail(
                "no test file: the folders given hold no YAML file with a top-level `cases:`",
            )
            .map(Err);
        }
        Ok(p) => p,
        Err(message) => return fail(&message).map(Err),
    };
    let mut tests: Vec<(PathBuf, String, TestFile)> = Vec::new();
    for (i, path) in paths.into_iter().enumerate() {
        let text = match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                return fail(&format!(
                    "cannot read {}: it is not UTF-8 text",
                    path.display()
                ))
                .map(Err);
            }
            Err(e) => return fail(&format!("cannot read {}: {e}", path.display())).map(Err),
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
    if inputs.is_empty() && !args.live.cluster {
        return fail(
            "no manifests: give --manifests PATH, name them under `manifests:` in the test file, or read the cluster's with --cluster",
        )
        .map(Err);
    }
    let mut settings = match super::settings::without_rule_flags(&args.schema)? {
        Ok(s) => s,
        Err(e) => return fail(&e).map(Err),
    };
    let lopts = args.limits.options(args.namespace.clone());
    let mut loaded = if args.live.cluster {
        // The live state with the manifests over it, as `simulate --cluster` reads it: the
        // whole state, so a reference to what is not there is a fault, not a guess.
        settings.complete = true;
        let namespace = (args.namespace != "default").then(|| args.namespace.clone());
        let opts = args
            .live
            .options(namespace, args.context.clone(), inputs, lopts);
        match load::cluster::load(&opts) {
            Ok(l) => l,
            Err(e) => return fail(&e.to_string()).map(Err),
        }
    } else {
        load::load(&inputs, &lopts, &mut io::empty() as &mut dyn Read)
    };
    if let Some(e) = loaded.errors.first() {
        return fail(&format!("cannot read {e}")).map(Err);
    }
    for w in &loaded.warnings {
        writeln!(io::stderr(), "gwctl: warning: {w}")?;
    }
    if let Some(message) = super::simulate::refused(&loaded) {
        return fail(&message).map(Err);
    }
    let lint = crate::lint::analyze(&mut loaded, &settings);
    let settings = routetest::Settings {
        namespace: args.namespace.clone(),
        complete: settings.complete,
        experimental: settings.channel == crate::schema::Channel::Experimental,
        release: settings.store.release(),
    };
    Ok(Ok(Prepared {
        tests,
        loaded,
        lint,
        settings,
    }))
}

/// `--update`: rewrite the `expect` of every case with a failed expectation (GW801) to
/// today's answer, print the diff of each file on `diff_out`, and write it atomically.
fn update(run: Prepared, diff_out: &mut dyn Write) -> io::Result<Status> {
    let graph = crate::graph::Graph::build(&run.loaded.inventory);
    let runner = routetest::Runner::new(&graph, run.settings, Vec::new());
    let word = crate::render::trace::step_message;
    let mut status = Status::Clean;
    let mut updated = 0;
    for (path, text, t) in &run.tests {
        let runs: Vec<_> = t
            .cases
            .iter()
            .map(|c| (c, runner.run(t.file, c, &word)))
            .collect();
        let updates: Vec<_> = runs
            .iter()
            .filter(|(_, r)| {
                r.findings
                    .iter()
                    .any(|d| d.is(&routetest::rules::EXPECTATION_FAILED))
            })
            .filter_map(|(c, r)| Some((*c, r.trace.as_ref()?)))
            .collect();
        if updates.is_empty() {
            continue;
        }
        let new = routetest::write::update_expectations(text, &updates);
        if new == *text {
            continue;
        }
        let name = path.display().to_string();
        let diff = similar::TextDiff::from_lines(text.as_str(), new.as_str());
        write!(
            diff_out,
            "{}",
            diff.unified_diff().context_radius(3).header(&name, &name)
        )?;
        match crate::migrate::write::replace_file(path, text.as_bytes(), new.as_bytes()) {
            Ok(()) => updated += updates.len(),
            Err(e) => {
                writeln!(io::stderr(), "gwctl: error: cannot write {name}: {e}")?;
                status = Status::Failure;
            }
        }
    }
    writeln!(
        io::stderr(),
        "gwctl: updated the expectations of {updated} failing {}",
        if updated == 1 { "case" } else { "cases" }
    )?;
    Ok(status)
}

/// Run every case over the graph of `loaded`, then hand the finished run to `emit`.
fn run_cases(
    run: Prepared,
    emit: impl FnOnce(&crate::lint::Checked) -> io::Result<Status>,
) -> io::Result<Status> {
    let Prepared {
        tests,
        mut loaded,
        lint,
        settings,
    } = run;
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
