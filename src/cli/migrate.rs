//! `gwctl migrate`: reads files, folders and stdin, runs the migration engine
//! ([`crate::migrate`]) on each file, and prints, diffs, checks or writes the result.
//!
//! Output: the migrated stream on stdout for a single input (the input itself when an object
//! in it is refused, so a pipeline never loses data); a unified diff for several
//! inputs, with `--diff`, and with `--check`; nothing on stdout with `--write`. Findings and
//! a summary go to stderr, so stdout stays usable in pipelines. Exit status: 0 when nothing
//! was left to do or all was done, 1 for `--check` with changes or when an object was
//! refused, 2 when gwctl could not do its job (an unreadable input, a failed write).

use std::io::{self, IsTerminal, Read, Write};

use super::args::{ColorWhen, MigrateArgs};
use super::{Status, usage_error};
use crate::diag::{Diagnostic, Severity};
use crate::load::{self, Input};
use crate::migrate::{self, Failure, Options};
use crate::source::{FileId, Origin, SourceFile, SourceMap};

const BOM: &str = "\u{feff}";

/// How results are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Print,
    Diff,
    Check,
    Write,
}

/// Counts for the summary line and the exit status.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    changed_files: usize,
    objects: usize,
    refused: usize,
    failed: usize,
}

/// `gwctl migrate [PATH]...`: each file migrated and shown the mode's way, then the
/// findings and a summary on stderr.
pub fn run(args: &MigrateArgs, color: ColorWhen, out: &mut dyn Write) -> io::Result<Status> {
    // Not locked for the run: the progress line's thread writes to stderr too.
    let mut err = io::stderr();
    // Findings and the summary are written to stderr, so its terminal decides the colour.
    let color = super::color_enabled(color, &io::stderr());
    let inputs = match inputs(args) {
        Ok(inputs) => inputs,
        Err(message) => return usage_error(&mut err, "migrate", message),
    };
    // Folders are walked as lint walks them, including the configuration's `exclude`.
    let cwd = std::env::current_dir()?;
    let config = match crate::lint::config::Config::discover(None, &cwd) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "gwctl: error: configuration file {e}")?;
            return Ok(Status::Failure);
        }
    };
    let exclude = config.excludes().map(|set| (set, config.dir.clone()));
    let (files, mut errors) = load::discover(&inputs, exclude.as_ref());
    for w in load::no_manifests_as_warnings(&files, &mut errors) {
        writeln!(err, "gwctl: warning: {w}")?;
    }
    let release = match args.to {
        Some(r) => r,
        None => match config.release() {
            Ok(r) => r.unwrap_or_default(),
            Err(message) => {
                writeln!(err, "gwctl: error: configuration file: {message}")?;
                return Ok(Status::Failure);
            }
        },
    };
    let mut run = Run::new(args, Mode::of(args, &inputs, &files), release);
    run.tally.failed = errors.len();
    for e in &errors {
        writeln!(err, "gwctl: error: cannot read {e}")?;
    }
    migrate_files(&mut run, &files, args.no_progress, out, &mut err)?;
    out.flush()?;
    run.finish(color, &mut err)
}

/// Migrate and show each file, with a progress line on stderr when that is wanted
/// ([`super::progress`]); output to the terminal erases the line first.
fn migrate_files(
    run: &mut Run,
    files: &[Input],
    no_progress: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    use super::progress::{Kind, Shown};
    let shown = Shown::for_run(Default::default(), Kind::Migrate, no_progress);
    shown.progress().add_total(files.len());
    let stdout_is_terminal = io::stdout().is_terminal();
    let mut err = shown.guard(err);
    // Output to a pipe or file need not wait for the line to be erased.
    let mut guarded_out;
    let out: &mut dyn Write = if stdout_is_terminal {
        guarded_out = shown.guard(out);
        &mut guarded_out
    } else {
        out
    };
    for input in files {
        run.file(input, out, &mut err)?;
        shown.progress().file_done();
    }
    Ok(())
}

/// The inputs the PATHs name, or stdin when there is none and it is not a terminal; the
/// message of a usage error when there is nothing to read or `--write` names stdin.
fn inputs(args: &MigrateArgs) -> Result<Vec<Input>, &'static str> {
    let mut inputs = super::inputs(&args.paths);
    if inputs.is_empty() {
        if io::stdin().is_terminal() {
            return Err(
                "no input: give files or folders to migrate, or pipe manifests on stdin (`-`)",
            );
        }
        inputs.push(Input::Stdin);
    }
    if args.write && inputs.contains(&Input::Stdin) {
        return Err("--write cannot rewrite stdin; drop --write to print the migrated text");
    }
    Ok(inputs)
}

impl Mode {
    /// The mode the flags ask for; without one, the migrated text when the only input is
    /// one file (or stdin), and a diff when a folder or several inputs name several files.
    fn of(args: &MigrateArgs, inputs: &[Input], files: &[Input]) -> Mode {
        if args.write {
            Mode::Write
        } else if args.check {
            Mode::Check
        } else if args.diff || !(inputs.len() == 1 && files.len() == 1 && files[0] == inputs[0]) {
            Mode::Diff
        } else {
            Mode::Print
        }
    }
}

/// One input read and migrated.
struct Migrated {
    id: FileId,
    origin: Origin,
    /// The origin as messages name it.
    name: String,
    /// The bytes as read: `--write` replaces the file only if it still holds them.
    bytes: Vec<u8>,
    /// The byte order mark the input started with, put back in front of the output.
    bom: &'static str,
    /// The migrated text; the input when it was refused or could not be migrated.
    text: String,
    /// The input with Secret values masked, as findings and diffs show it.
    shown: String,
    moved: Vec<migrate::Moved>,
    /// The migrated text differs from the input.
    changed: bool,
}

/// A migrate run as it goes: what was read, found and counted so far.
struct Run<'a> {
    args: &'a MigrateArgs,
    mode: Mode,
    opts: Options,
    tally: Tally,
    /// Every file read, Secret values masked, for the snippets of the findings.
    sources: SourceMap,
    diagnostics: Vec<Diagnostic>,
    stdin_read: bool,
    /// What is left of --max-total-size. Every file's text is kept until the end (for
    /// diffs and findings), so the total is bounded as well as each file.
    left: u64,
}

impl<'a> Run<'a> {
    fn new(args: &'a MigrateArgs, mode: Mode, release: crate::schema::Release) -> Self {
        Run {
            args,
            mode,
            opts: Options {
                to_v1: args.to_v1,
                release,
                drop_removed_fields: args.drop_removed_fields,
            },
            tally: Tally::default(),
            sources: SourceMap::new(),
            diagnostics: Vec::new(),
            stdin_read: false,
            left: args.max_total_size,
        }
    }

    /// Read, migrate and show one file. A file that cannot be read or migrated is told on
    /// `err` and counted as failed.
    fn file(&mut self, input: &Input, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
        let Some(file) = self.migrate(input, err)? else {
            return Ok(());
        };
        if self.show(&file, out, err)? {
            self.tally.changed_files += 1;
            self.tally.objects += file.moved.len();
        }
        Ok(())
    }

    /// Read one input and run the migration on it, keeping its findings; `None` when it
    /// cannot be read as text.
    fn migrate(&mut self, input: &Input, err: &mut dyn Write) -> io::Result<Option<Migrated>> {
        let args = self.args;
        let limits = Limits {
            file: args.max_file_size,
            total: args.max_total_size,
            left: self.left,
        };
        let (origin, bytes) = match read(input, limits, &mut self.stdin_read) {
            Ok(r) => r,
            Err(message) => {
                writeln!(err, "gwctl: error: {message}")?;
                self.tally.failed += 1;
                return Ok(None);
            }
        };
        self.left -= (bytes.len() as u64).min(self.left);
        let name = origin.to_string();
        let Some((bom, text)) = decode(&bytes) else {
            writeln!(
                err,
                "gwctl: error: {name}: not UTF-8 text; the file is left unchanged"
            )?;
            self.tally.failed += 1;
            return Ok(None);
        };
        self.tally.files += 1;
        let id = FileId(self.sources.len() as u32);
        let text = text.as_str();
        let mut moved = Vec::new();
        // Findings are shown with snippets of the file: they come from the text with Secret
        // values masked, as lint's do (tests/it/cli.rs: secret_values_never_reach_output).
        let mut file_diags = Vec::new();
        let migrated = match migrate::migrate_text(id, text, &self.opts) {
            Ok(o) => {
                moved = o.moved;
                self.tally.refused += o
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                file_diags = o.diagnostics;
                o.text
            }
            Err(Failure::Unreadable(ds)) => {
                writeln!(
                    err,
                    "gwctl: error: {name}: gwctl cannot edit a file it cannot read cleanly; the file is left unchanged"
                )?;
                file_diags = ds;
                self.tally.failed += 1;
                text.to_owned()
            }
            Err(Failure::SelfCheck(message)) => {
                writeln!(
                    err,
                    "gwctl: error: {name}: {message}; the file is left unchanged (this is a bug in gwctl, please report it)"
                )?;
                self.tally.failed += 1;
                text.to_owned()
            }
        };
        let shown = load::redact_secret_values(id, text, &mut file_diags);
        self.diagnostics.extend(file_diags);
        self.sources
            .add(SourceFile::new(origin.clone(), shown.as_str()));
        Ok(Some(Migrated {
            id,
            origin,
            name,
            changed: migrated != text,
            bytes,
            bom,
            text: migrated,
            shown,
            moved,
        }))
    }

    /// Show one migrated file the mode's way: print it, diff it or write it. Returns whether
    /// the file counts as changed, which a failed write does not.
    fn show(
        &mut self,
        file: &Migrated,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> io::Result<bool> {
        let (id, name, bom, migrated) = (file.id, &file.name, file.bom, &file.text);
        let mut changed = file.changed;
        match self.mode {
            Mode::Print => {
                out.write_all(bom.as_bytes())?;
                out.write_all(migrated.as_bytes())?;
            }
            Mode::Diff | Mode::Check => {
                if changed {
                    // Context lines may be inside a Secret next to a migrated object: the
                    // diff is of the masked texts (masking keeps every line in place).
                    let new_shown = load::redact_secret_values(id, migrated, &mut []);
                    let diff = similar::TextDiff::from_lines(&file.shown, &new_shown);
                    write!(
                        out,
                        "{}",
                        diff.unified_diff().context_radius(3).header(name, name)
                    )?;
                }
            }
            Mode::Write => {
                if changed && let Some(path) = file.origin.path() {
                    let new = format!("{bom}{migrated}");
                    match migrate::write::replace_file(path, &file.bytes, new.as_bytes()) {
                        Ok(()) => {
                            let what: Vec<String> = file
                                .moved
                                .iter()
                                .map(|m| format!("{} → {}", m.object, m.to))
                                .collect();
                            writeln!(err, "migrated {name}: {}", what.join(", "))?;
                        }
                        Err(e) => {
                            writeln!(
                                err,
                                "gwctl: error: cannot write {name}: {e}; the file is left unchanged"
                            )?;
                            self.tally.failed += 1;
                            changed = false;
                        }
                    }
                }
            }
        }
        Ok(changed)
    }

    /// The findings of every file, sorted, and the summary, on `err`; the exit status.
    fn finish(self, color: bool, err: &mut dyn Write) -> io::Result<Status> {
        let Run {
            mode,
            tally,
            sources,
            mut diagnostics,
            ..
        } = self;
        diagnostics.sort();
        let renderer = if color {
            annotate_snippets::Renderer::styled()
        } else {
            annotate_snippets::Renderer::plain()
        };
        for d in &diagnostics {
            writeln!(
                err,
                "{}\n",
                crate::render::human::render_one(d, &sources, &renderer)
            )?;
        }
        writeln!(err, "{}", summary(&tally, mode))?;
        Ok(if tally.failed > 0 {
            Status::Failure
        } else if tally.refused > 0 || (mode == Mode::Check && tally.changed_files > 0) {
            Status::Findings
        } else {
            Status::Clean
        })
    }
}

/// How much one file may hold: --max-file-size, and what is left of --max-total-size.
#[derive(Clone, Copy)]
struct Limits {
    file: u64,
    total: u64,
    left: u64,
}

/// Read one input whole, within the size limits.
fn read(input: &Input, limits: Limits, stdin_read: &mut bool) -> Result<(Origin, Vec<u8>), String> {
    let limit = limits.file.min(limits.left);
    let mut buf = Vec::new();
    let (origin, result) = match input {
        Input::Stdin => {
            if *stdin_read {
                return Err("stdin (`-`) is named more than once".into());
            }
            *stdin_read = true;
            let r = io::stdin().lock().take(limit + 1).read_to_end(&mut buf);
            (Origin::Stdin, r)
        }
        Input::Path(p) => {
            let r = std::fs::File::open(p).and_then(|f| f.take(limit + 1).read_to_end(&mut buf));
            (Origin::Path(p.clone()), r)
        }
    };
    if let Err(e) = result {
        return Err(format!("cannot read {origin}: {e}"));
    }
    if buf.len() as u64 > limits.file {
        return Err(format!(
            "{origin}: larger than the limit of {} bytes (--max-file-size); the file is left unchanged",
            limits.file
        ));
    }
    if buf.len() as u64 > limit {
        return Err(format!(
            "{origin}: would take the inputs past the limit of {} bytes in all \
             (--max-total-size); the file is left unchanged",
            limits.total
        ));
    }
    Ok((origin, buf))
}

/// UTF-8 text without its byte order mark, and the mark to put back; `None` when the
/// bytes are not text gwctl can edit.
fn decode(bytes: &[u8]) -> Option<(&'static str, String)> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text.contains('\0') {
        return None;
    }
    Some(match text.strip_prefix(BOM) {
        Some(rest) => (BOM, rest.to_owned()),
        None => ("", text.to_owned()),
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(t: &Tally, mode: Mode) -> String {
    let objects = plural(t.objects, "object", "objects");
    let files = plural(t.changed_files, "file", "files");
    let mut parts = Vec::new();
    if t.changed_files > 0 {
        parts.push(match mode {
            Mode::Write => format!("migrated {objects} in {files}"),
            Mode::Check => format!("{objects} in {files} would be migrated; run with --write"),
            Mode::Print | Mode::Diff => {
                format!("{objects} in {files} to migrate; nothing was written (use --write)")
            }
        });
    }
    if t.refused > 0 {
        parts.push(format!(
            "refused {}, whose files are left unchanged",
            plural(t.refused, "object", "objects")
        ));
    }
    if t.failed > 0 {
        parts.push(format!(
            "{} could not be migrated",
            plural(t.failed, "input", "inputs")
        ));
    }
    if parts.is_empty() {
        parts.push(format!(
            "nothing to migrate in {}",
            plural(t.files, "file", "files")
        ));
    }
    parts.join("; ")
}
