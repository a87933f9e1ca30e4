//! `gwctl lint`: reads the inputs (or a live cluster, with files over it), runs the lint
//! pipeline ([`crate::lint`], and [`crate::lint::live`] over a cluster) and writes the findings.
//!
//! Owns where output goes: stdout in `--output-format`, plus each `--output FORMAT=PATH`,
//! files written atomically; and the exit status from the findings and `--fail-on`.

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

use super::args::{LintArgs, Target};
use super::settings;
use super::{Status, fail, usage_error};
use crate::diag::Severity;
use crate::lint::report::Report;
use crate::load::{self, Input};
use crate::render::{self, Format};

/// `gwctl lint [PATH]...`, or with `--cluster` the live state with any PATHs over it.
pub fn run(args: &LintArgs, color: bool, out: &mut dyn Write) -> io::Result<Status> {
    let plan = match output_plan(args.output_format, &args.outputs) {
        Ok(p) => p,
        Err(message) => return usage_error(&mut io::stderr(), "lint", &message),
    };
    if args.live.cluster {
        return lint_cluster(args, &plan, color, out);
    }
    let stdin_is_tty = io::stdin().is_terminal();
    let mut inputs = super::inputs(&args.paths);
    let implicit_stdin = inputs.is_empty();
    if implicit_stdin {
        if stdin_is_tty {
            return usage_error(
                &mut io::stderr(),
                "lint",
                "no input: give files or folders to lint, or pipe manifests on stdin (`-`)",
            );
        }
        inputs.push(Input::Stdin);
    }
    let (config, mut opts, settings) = match settings::prepare(args) {
        Ok(x) => x,
        Err(message) => return fail(&message),
    };
    let context = match context_paths(args, &config, &opts) {
        Ok(c) => c,
        Err(message) => return fail(&message),
    };
    // Only the human and HTML formats show source snippets; the others need positions only.
    opts.snippets = plan
        .iter()
        .any(|(format, _)| matches!(format, Format::Human | Format::Html));
    // The HTML report draws the routing picture, from the objects' whole JSON.
    let draw = plan.iter().any(|(format, _)| *format == Format::Html);
    // --fix reads stdin twice (lint, then lint the fixed text), so it is read whole first.
    let stdin_text = if args.fix {
        let limits = &args.limits;
        super::fix::read_stdin(&inputs, limits.max_file_size.min(limits.max_total_size))?
    } else {
        None
    };
    let progress = super::progress::Shown::for_run(
        opts.progress.clone(),
        super::progress::Kind::Lint,
        args.no_progress,
    );
    let check = |stdin: &mut dyn Read| {
        if context.is_empty() {
            crate::lint::load_and_check_keeping(&inputs, &opts, stdin, &settings, draw)
        } else {
            crate::lint::context::load_and_check_keeping(
                &inputs, &context, &opts, stdin, &settings, draw,
            )
        }
    };
    let mut report = match &stdin_text {
        Some(text) => check(&mut io::Cursor::new(text.as_slice())),
        None => check(&mut io::stdin().lock()),
    };
    // The line is erased before anything else is written.
    drop(progress);
    let checked_sources = report
        .sources
        .len()
        .saturating_sub(report.report.context_files);
    if implicit_stdin
        && report
            .sources
            .iter()
            .take(checked_sources)
            .all(|(_, f)| f.text().is_none_or(|t| t.trim().is_empty()))
        && report.report.errors.is_empty()
    {
        return usage_error(
            &mut io::stderr(),
            "lint",
            "no input: stdin was empty; give files or folders to lint, or pipe manifests on stdin (`-`)",
        );
    }
    report.normalize();
    if args.fix {
        let run = FixRun {
            args,
            plan: &plan,
            checked_sources,
            inputs: &inputs,
            stdin: stdin_text.as_deref(),
            fail_on: settings.fail_on,
            draw,
        };
        let fixed = run.fix_then_report(&report, color, out, |text| {
            let mut again = check(&mut io::Cursor::new(text));
            again.normalize();
            again
        });
        exit_without_freeing(report);
        return fixed;
    }
    let drawing = draw.then(|| picture_of(&report.inventory, &report.report));
    let status = emit(
        &plan,
        &report,
        status(&report.report, settings.fail_on, false),
        color,
        drawing.as_ref(),
        out,
    );
    exit_without_freeing(report);
    status
}

/// What `lint --fix` needs of the run besides its findings.
struct FixRun<'a> {
    args: &'a LintArgs,
    plan: &'a [(Format, Target)],
    /// The sources of checked files come first; context files follow and are never fixed.
    checked_sources: usize,
    inputs: &'a [Input],
    /// Stdin as read, when it is an input.
    stdin: Option<&'a [u8]>,
    fail_on: Severity,
    /// The objects keep their whole JSON, for the HTML report's picture.
    draw: bool,
}

impl FixRun<'_> {
    /// Apply the run's fixes ([`super::fix`]), lint again with `relint` (given stdin's
    /// fixed text) and report what remains, with the exit status it sets.
    fn fix_then_report(
        &self,
        checked: &crate::lint::Checked,
        color: bool,
        out: &mut dyn Write,
        mut relint: impl FnMut(&[u8]) -> crate::lint::Checked,
    ) -> io::Result<Status> {
        let color = super::fix::report_color(color, self.inputs, self.plan);
        let mut emit_again = |again: &crate::lint::Checked, out: &mut dyn Write| {
            let status = status(&again.report, self.fail_on, false);
            let drawing = self
                .draw
                .then(|| picture_of(&again.inventory, &again.report));
            emit(self.plan, again, status, color, drawing.as_ref(), out)
        };
        super::fix::run(
            self.args,
            checked,
            self.checked_sources,
            self.stdin,
            &mut relint,
            &mut emit_again,
            out,
        )
    }
}

/// What a run reads as context: each `--context` PATH, then the files and folders the
/// configuration file's `context:` names (relative to its folder); made relative to the
/// working directory as PATHs are, so that output names them the same way.
fn context_paths(
    args: &LintArgs,
    config: &crate::lint::config::Config,
    opts: &load::Options,
) -> Result<Vec<std::path::PathBuf>, String> {
    if args.context.iter().any(|p| p.as_os_str() == "-") {
        return Err(
            "--context -: stdin can be linted, not read as context; give files or folders"
                .to_owned(),
        );
    }
    let mut paths = args.context.clone();
    if args.no_context {
        return Ok(paths_of(&paths));
    }
    let configured =
        crate::lint::context::expand(&config.context, &config.dir, opts.exclude.as_ref()).map_err(
            |e| {
                let file = config.path.as_deref().unwrap_or(Path::new(".gwctl.yaml"));
                format!("configuration file {}: {e}", file.display())
            },
        )?;
    paths.extend(configured);
    Ok(paths_of(&paths))
}

/// `paths` as the run names its inputs (relative to the working directory).
fn paths_of(paths: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    super::inputs(paths)
        .into_iter()
        .filter_map(|i| match i {
            Input::Path(p) => Some(p),
            Input::Stdin => None,
        })
        .collect()
}

/// The process ends right after a run: the operating system takes its memory back at once,
/// where dropping a large run's objects, findings and sources would free hundreds of
/// thousands of allocations one by one (7% of a 7,000-file lint's CPU time).
fn exit_without_freeing<T>(run: T) {
    std::mem::forget(run);
}

/// The routing picture of a run, for the HTML report, with the node of each finding.
pub(super) type Drawing = (crate::picture::Picture, Vec<Option<usize>>);

/// The picture of `inventory`, whose objects still have their whole (defaulted) JSON,
/// marked with `report`'s findings.
fn picture_of(inventory: &crate::model::Inventory, report: &Report) -> Drawing {
    let graph = crate::graph::Graph::build(inventory);
    let mut picture = crate::picture::Picture::build(&graph);
    let nodes = picture.mark(&report.diagnostics, &inventory.default_namespace);
    (picture, nodes)
}

/// Write a finished run to every planned output; returns `status`, or a failure when an
/// output file could not be written. `drawing` is the routing picture for the HTML report
/// (which has none without it).
pub(super) fn emit(
    plan: &[(Format, Target)],
    checked: &crate::lint::Checked,
    mut status: Status,
    color: bool,
    drawing: Option<&Drawing>,
    out: &mut dyn Write,
) -> io::Result<Status> {
    let (report, sources) = (&checked.report, &checked.sources);
    let drawn = drawing.map(|(picture, nodes)| render::html::Drawn { picture, nodes });
    let render_one = |format: &Format, out: &mut dyn Write, color: bool| match (format, &drawn) {
        (Format::Html, Some(d)) => render::html::render(report, sources, Some(d), out),
        _ => format.render(report, sources, color, out),
    };
    // No format shows these: a named folder that held nothing, beside others that did.
    for w in &report.warnings {
        writeln!(io::stderr(), "gwctl: warning: {w}")?;
    }
    if !report.errors.is_empty() && plan.iter().any(|(f, _)| !f.shows_load_errors()) {
        for e in &report.errors {
            writeln!(io::stderr(), "gwctl: error: cannot read {e}")?;
        }
    }
    for (format, target) in plan {
        match target {
            Target::Stdout => {
                // Stdout is line-buffered; renderers write piece by piece, so a large
                // report would otherwise cost a write system call per line.
                let mut buffered = io::BufWriter::with_capacity(64 * 1024, &mut *out);
                render_one(format, &mut buffered, color)?;
                buffered.flush()?;
                drop(buffered);
                out.flush()?;
            }
            Target::File(path) => {
                // Written as rendered: a report can be many times the size of the run's
                // findings (38 MB of SARIF for 24,000 findings), so it is never held whole.
                let written = write_atomically(path, |file| render_one(format, file, false));
                if let Err(e) = written {
                    writeln!(
                        io::stderr(),
                        "gwctl: error: cannot write {}: {e}",
                        path.display()
                    )?;
                    status = Status::Failure;
                }
            }
        }
    }
    Ok(status)
}

/// Every output of a lint run: stdout in `--output-format` unless an `--output FORMAT=-`
/// takes stdout, then each `--output` in the order given. Two outputs to one place would
/// interleave or overwrite each other, so they are refused before any work is done.
pub(super) fn output_plan(
    output_format: Format,
    outputs: &[super::args::OutputSpec],
) -> Result<Vec<(Format, Target)>, String> {
    let mut plan = Vec::new();
    let stdout_claimed = outputs.iter().any(|o| o.target == Target::Stdout);
    if !stdout_claimed {
        plan.push((output_format, Target::Stdout));
    }
    for o in outputs {
        if plan.iter().any(|(_, t)| *t == o.target) {
            return Err(match &o.target {
                Target::Stdout => "--output: more than one output goes to stdout (`-`)".to_owned(),
                Target::File(p) => format!("--output: {} is named twice", p.display()),
            });
        }
        plan.push((o.format, o.target.clone()));
    }
    Ok(plan)
}

/// Replace `path` with what `write` writes, in one step: write a temporary file in the
/// same folder (a rename is atomic only within one file system), flush it to disk, then
/// rename it over `path`. A CI step reading the file never sees it half written, a failed or killed run
/// leaves the previous file in place, and an existing file keeps its permissions.
pub(super) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gwctl-").suffix(".tmp");
    #[cfg(unix)]
    {
        // A temporary file is private (0600) by default; a report is not secret, and CI
        // steps that run as another user must be able to read it. The umask still applies.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    {
        let mut buffered = io::BufWriter::with_capacity(64 * 1024, tmp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    // A report that already exists keeps its permissions (someone may have made it
    // group-readable, or read-only for others), as an in-place rewrite would.
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `lint --cluster [PATH]...`: lint the live state, or PATHs over it with each finding
/// marked new, existing or fixed ([`crate::lint::live`]). The cluster is read once, here, with
/// the files; this function reads the flags and prints.
fn lint_cluster(
    args: &LintArgs,
    plan: &[(Format, Target)],
    color: bool,
    out: &mut dyn Write,
) -> io::Result<Status> {
    use load::cluster;

    // The live state is the context here; `--context` names the kubeconfig context, and the
    // configuration file's `context:` is not read.
    let kube_context = match args.context.as_slice() {
        [] => None,
        [name] => Some(name.to_string_lossy().into_owned()),
        _ => {
            return usage_error(
                &mut io::stderr(),
                "lint",
                "--context is given more than once; with --cluster it names the one kubeconfig context to use",
            );
        }
    };
    let (config, load_opts, settings) = match settings::prepare(args) {
        Ok(x) => x,
        Err(message) => return fail(&message),
    };
    // Only PATHs named on the command line are put over the cluster: stdin is read when
    // named (`-`), never implicitly, so `gwctl lint --cluster` in a pipeline lints the cluster.
    let inputs = super::inputs(&args.paths);
    let local = (!inputs.is_empty()).then(|| {
        let mut stdin = io::stdin().lock();
        load::load(&inputs, &load_opts, &mut stdin as &mut dyn Read)
    });
    // The files were read above (stdin cannot be read twice), so they are not in `files`.
    let opts = args.live.options(
        args.namespace.clone(),
        kube_context,
        Vec::new(),
        load_opts.clone(),
    );
    let refs: Vec<&crate::model::Object> = local
        .iter()
        .flat_map(|l| l.inventory.objects.iter())
        .collect();
    let snapshot = match cluster::fetch(&opts, &refs) {
        Ok(s) => s,
        Err(e) => {
            writeln!(io::stderr(), "gwctl: error: {e}")?;
            // A JSON consumer still gets a document, with the failure under `errors`.
            if args.output_format == Format::Json {
                let report = Report {
                    errors: vec![load::LoadError::Cluster {
                        path: "cluster".into(),
                        message: e.to_string(),
                    }],
                    ..Default::default()
                };
                render::json::render(&report, &crate::source::SourceMap::new(), out)?;
            }
            return Ok(Status::Failure);
        }
    };
    // The installed channel replaces the default, never one the user chose.
    let channel_chosen = args.schema.channel.is_some() || config.channel.is_some();
    let release_chosen =
        args.schema.gateway_api_version.is_some() || config.gateway_api_version.is_some();
    let setup = crate::lint::live::setup(&snapshot, settings, channel_chosen, release_chosen);
    for n in &setup.notes {
        writeln!(io::stderr(), "gwctl: note: {n}")?;
    }
    for p in &setup.unusable_crds {
        writeln!(
            io::stderr(),
            "gwctl: warning: cannot use the installed {p}; validating against the bundled schemas"
        )?;
    }
    let load_opts_for_picture = load_opts.clone();
    let mut checked = crate::lint::live::lint(&snapshot, local, load_opts, &setup);
    if args.only_new {
        checked
            .report
            .diagnostics
            .retain(|d| d.status == Some(crate::diag::Change::New));
    }
    checked.normalize();
    let status = status(
        &checked.report,
        setup.settings.fail_on,
        args.fail_on_new || args.only_new,
    );
    let drawing = match plan.iter().any(|(f, _)| *f == Format::Html) {
        true => live_picture(
            &args.paths,
            &snapshot,
            &load_opts_for_picture,
            &setup,
            &checked,
        )?,
        false => None,
    };
    emit(plan, &checked, status, color, drawing.as_ref(), out)
}

/// The routing picture of the state `lint --cluster` checked: the live objects with the
/// PATHs over them, read again with their whole JSON (the lint let go of it) and defaulted
/// as the lint's schema pass does. Stdin cannot be read again: with `-` among the PATHs
/// there is no picture, and a note says so.
fn live_picture(
    paths: &[std::path::PathBuf],
    snapshot: &load::cluster::Snapshot,
    load_opts: &load::Options,
    setup: &crate::lint::live::Setup,
    checked: &crate::lint::Checked,
) -> io::Result<Option<Drawing>> {
    let inputs = super::inputs(paths);
    if inputs.contains(&Input::Stdin) {
        writeln!(
            io::stderr(),
            "gwctl: note: the HTML report has no picture: stdin cannot be read a second time to draw it"
        )?;
        return Ok(None);
    }
    let mut opts = load_opts.clone();
    opts.default_namespace = snapshot.default_namespace.clone();
    let mut state = if inputs.is_empty() {
        snapshot.live(&opts)
    } else {
        let files = load::load(&inputs, &opts, &mut io::empty());
        snapshot.overlay(files, &opts)
    };
    let settings = &setup.settings;
    for o in &mut state.inventory.objects {
        crate::checks::schema::apply_defaults_only(o, &settings.store, settings.channel);
    }
    Ok(Some(picture_of(&state.inventory, &checked.report)))
}

/// `new_only`: only findings the local files introduce count (`--fail-on-new`). A finding
/// the files fix never counts.
pub(super) fn status(report: &Report, fail_on: Severity, new_only: bool) -> Status {
    use crate::diag::Change;
    let counts = |d: &&crate::diag::Diagnostic| match d.status {
        Some(Change::Fixed) => false,
        Some(Change::Existing) => !new_only,
        Some(Change::New) => true,
        None => !new_only,
    };
    if !report.errors.is_empty() {
        Status::Failure
    } else if report
        .diagnostics
        .iter()
        .filter(counts)
        .any(|d| d.severity >= fail_on)
    {
        Status::Findings
    } else {
        Status::Clean
    }
}
