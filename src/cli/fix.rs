//! `gwctl lint --fix [--unsafe-fixes] [--diff]`: applies the fixes of a finished lint run
//! to its files, then lints again so the report shows what remains.
//!
//! Owns reading each fixed file again (the text the findings' positions are about, checked
//! against what lint read), writing it back with migrate's atomic, compare-before-rename
//! [`replace_file`](crate::migrate::write::replace_file), the diff of `--diff` (of the
//! texts with Secret values masked, as `migrate` shows them), and stdin: its fixed text is
//! printed on stdout and the report goes to stderr. The edits themselves are
//! [`crate::lint::fix`]'s.

use std::io::{self, IsTerminal, Read, Write};

use super::Status;
use super::args::{LintArgs, Target};
use crate::lint::{Checked, fix};
use crate::load::{self, Input};
use crate::render::Format;
use crate::source::{FileId, Origin, SourceFile};

const BOM: &str = "\u{feff}";

/// What fixing the files of a run did.
#[derive(Default)]
struct Outcome {
    /// Fixes applied (or, with `--diff`, that would be).
    applied: usize,
    files: usize,
    /// Fixes left for another run: they overlap one applied.
    overlapping: usize,
    /// Fixes not applied as the value is written in a form gwctl does not rewrite.
    not_applicable: usize,
    /// A file could not be read again or written.
    failed: bool,
    /// Stdin's fixed text, with its byte order mark, when stdin was an input.
    stdin: Option<Vec<u8>>,
}

/// Read stdin when `--fix` needs it twice (to lint, then to fix and lint again): up to one
/// byte past `limit`, so that the loader still reports an input over the size limits
/// rather than gwctl holding all of it.
pub fn read_stdin(inputs: &[Input], limit: u64) -> io::Result<Option<Vec<u8>>> {
    if !inputs.contains(&Input::Stdin) {
        return Ok(None);
    }
    let mut buf = Vec::new();
    io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)?;
    Ok(Some(buf))
}

/// Fix the files of `checked` (its first `checked_files` sources: context files are never
/// written), then lint again with `relint` and report what remains, as `emit` does.
/// With `--diff`, print the diff and nothing else.
pub fn run(
    args: &LintArgs,
    checked: &Checked,
    checked_files: usize,
    stdin: Option<&[u8]>,
    relint: &mut dyn FnMut(&[u8]) -> Checked,
    emit: &mut dyn FnMut(&Checked, &mut dyn Write) -> io::Result<Status>,
    out: &mut dyn Write,
) -> io::Result<Status> {
    let mut err = io::stderr().lock();
    let mut outcome = Outcome::default();
    for (id, source) in checked.sources.iter().take(checked_files) {
        fix_file(
            args,
            checked,
            id,
            source,
            stdin,
            &mut outcome,
            out,
            &mut err,
        )?;
    }
    let verb = if args.diff { "would fix" } else { "fixed" };
    let mut summary = if outcome.applied == 0 {
        "gwctl: nothing to fix".to_owned()
    } else {
        format!(
            "gwctl: {verb} {} in {}",
            plural(outcome.applied, "finding", "findings"),
            plural(outcome.files, "file", "files")
        )
    };
    if outcome.overlapping > 0 {
        summary.push_str(&format!(
            "; {} another and {} left for another run (run `gwctl lint --fix` again)",
            plural(outcome.overlapping, "fix overlaps", "fixes overlap"),
            if outcome.overlapping == 1 {
                "is"
            } else {
                "are"
            }
        ));
    }
    if outcome.not_applicable > 0 {
        summary.push_str(&format!(
            "; {} not applied: the value is written in a form gwctl does not rewrite \
             (an anchor, an alias, a tag, an escape); fix {} by hand",
            plural(outcome.not_applicable, "fix was", "fixes were"),
            if outcome.not_applicable == 1 {
                "it"
            } else {
                "them"
            }
        ));
    }
    writeln!(err, "{summary}")?;
    if args.diff {
        // No report is printed with --diff: an input that could not be read is told here.
        for e in &checked.report.errors {
            writeln!(err, "gwctl: error: cannot read {e}")?;
        }
        out.flush()?;
        return Ok(if outcome.failed || !checked.report.errors.is_empty() {
            Status::Failure
        } else if outcome.applied > 0 {
            Status::Findings
        } else {
            Status::Clean
        });
    }
    // Nothing applied: no text changed, so a second run would report what `checked` holds.
    let relinted;
    let again = if outcome.applied == 0 {
        checked
    } else {
        relinted = relint(outcome.stdin.as_deref().or(stdin).unwrap_or_default());
        &relinted
    };
    let status = if stdin.is_some() {
        // Stdout holds the fixed text; the report that would go there goes to stderr
        // (also when stdin could not be fixed and stdout stays empty).
        if let Some(text) = &outcome.stdin {
            out.write_all(text)?;
            out.flush()?;
        }
        emit(again, &mut err)?
    } else {
        emit(again, out)?
    };
    Ok(if outcome.failed {
        Status::Failure
    } else {
        status
    })
}

/// Fix one file: read it again, apply its fixes, and write, print or diff the result.
#[allow(clippy::too_many_arguments)]
fn fix_file(
    args: &LintArgs,
    checked: &Checked,
    id: FileId,
    source: &SourceFile,
    stdin: Option<&[u8]>,
    outcome: &mut Outcome,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let diagnostics = &checked.report.diagnostics;
    let mut fixes = fix::fixes_in(diagnostics, id, args.unsafe_fixes).peekable();
    let name = source.origin.to_string();
    let bytes = match (&source.origin, stdin) {
        // Stdin's text is passed on whether or not it has fixes, so that it is printed.
        (Origin::Stdin, Some(b)) => b.to_vec(),
        _ if fixes.peek().is_none() => return Ok(()),
        (Origin::Path(p), _) => match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => {
                writeln!(err, "gwctl: error: cannot read {name} to fix it: {e}")?;
                outcome.failed = true;
                return Ok(());
            }
        },
        _ => return Ok(()),
    };
    let text = std::str::from_utf8(&bytes).ok();
    let (bom, text) = match text.map(|t| t.strip_prefix(BOM).map_or(("", t), |r| (BOM, r))) {
        Some((bom, t)) if source.is_text(t) => (bom, t),
        // Stdin that was not read whole (over a size limit, not UTF-8) is not printed:
        // the findings say why.
        _ if source.origin == Origin::Stdin => {
            writeln!(
                err,
                "gwctl: error: {name} was not read whole as text, so it is not fixed or printed"
            )?;
            outcome.failed = true;
            return Ok(());
        }
        _ => {
            writeln!(
                err,
                "gwctl: error: {name} changed while gwctl was checking it; it is left unchanged"
            )?;
            outcome.failed = true;
            return Ok(());
        }
    };
    let fixed = fix::apply(text, fixes);
    outcome.overlapping += fixed.overlapping;
    outcome.not_applicable += fixed.not_applicable;
    let changed = fixed.text != text;
    if changed {
        outcome.applied += fixed.applied;
        outcome.files += 1;
    }
    let new = format!("{bom}{}", fixed.text);
    if args.diff {
        if changed {
            // Context lines may be inside a Secret: the diff is of the masked texts.
            let old_shown = load::redact_secret_values(id, text, &mut []);
            let new_shown = load::redact_secret_values(id, &fixed.text, &mut []);
            let diff = similar::TextDiff::from_lines(&old_shown, &new_shown);
            write!(
                out,
                "{}",
                diff.unified_diff().context_radius(3).header(&name, &name)
            )?;
        }
        return Ok(());
    }
    match &source.origin {
        Origin::Stdin => outcome.stdin = Some(new.into_bytes()),
        Origin::Path(p) if changed => {
            if let Err(e) = crate::migrate::write::replace_file(p, &bytes, new.as_bytes()) {
                writeln!(
                    err,
                    "gwctl: error: cannot write {name}: {e}; the file is left unchanged"
                )?;
                outcome.failed = true;
                outcome.applied -= fixed.applied;
                outcome.files -= 1;
            }
        }
        _ => {}
    }
    Ok(())
}

/// With stdin fixed, stdout holds its text: the stdout report is shown on stderr, coloured
/// when stderr is a terminal.
pub fn report_color(color: bool, inputs: &[Input], plan: &[(Format, Target)]) -> bool {
    if inputs.contains(&Input::Stdin) && plan.iter().any(|(_, t)| *t == Target::Stdout) {
        color && io::stderr().is_terminal()
    } else {
        color
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
