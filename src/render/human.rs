//! The human output format: each finding with the source lines it is about and the span
//! marked, as rustc does, then a summary line.
//!
//! Styled output is produced when `color` is set; the CLI decides that from the terminal,
//! `--color`, `NO_COLOR` and `CLICOLOR_FORCE`. Only a window of lines around the marked
//! spans is handed to the snippet renderer, so large files cost no more than small ones.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diag::{Change, Diagnostic, Label, Severity};
use crate::report::Report;
use crate::source::{FileId, SourceMap};

pub fn render(
    report: &Report,
    sources: &SourceMap,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for d in &report.diagnostics {
        let text = render_one(d, sources, &renderer);
        writeln!(out, "{text}\n")?;
    }
    for e in &report.errors {
        let title = Level::ERROR.primary_title(format!("cannot read {e}"));
        let group = Group::with_title(title);
        writeln!(out, "{}\n", renderer.render(&[group]))?;
    }
    writeln!(out, "{}", summary(report, color))
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// One finding, rendered with its source snippet (no trailing blank line).
pub fn render_one(d: &Diagnostic, sources: &SourceMap, renderer: &Renderer) -> String {
    // Over a live cluster, each finding says whether the files introduced it.
    let title = match d.status {
        Some(s) => format!("[{s}] {}", d.message),
        None => d.message.to_string(),
    };
    let mut group = Group::with_title(level(d.severity).primary_title(title).id(d.code));
    match &d.primary {
        Some(primary) => {
            // One snippet for the primary file (with any secondary labels in it), then one
            // per other file that holds a secondary label.
            group = group.element(snippet(sources, primary.file, primary, &d.secondary));
            let mut other_files: Vec<FileId> = d
                .secondary
                .iter()
                .map(|l| l.file)
                .filter(|f| *f != primary.file)
                .collect();
            other_files.sort();
            other_files.dedup();
            for f in other_files {
                let labels: Vec<Label> = d
                    .secondary
                    .iter()
                    .filter(|l| l.file == f)
                    .cloned()
                    .collect();
                group = group.element(secondary_snippet(sources, f, &labels));
            }
        }
        None => {
            if let Some(file) = &d.file_hint {
                group = group.element(Origin::path(file.to_string()));
            }
        }
    }
    if let Some(obj) = &d.object {
        let note = match &d.field {
            Some(f) => format!("in {obj} ({}), field `{f}`", obj.api_version),
            None => format!("in {obj} ({})", obj.api_version),
        };
        group = group.element(Level::NOTE.message(note));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(&**help));
    }
    renderer.render(&[group])
}

/// The lines of `file` that cover all `spans`, as (text, first line number, byte offset).
fn window(
    sources: &SourceMap,
    file: FileId,
    spans: impl Iterator<Item = (usize, usize)>,
) -> (&str, usize, usize) {
    let src = sources.get(file);
    let (mut lo, mut hi) = (usize::MAX, 0);
    for (s, e) in spans {
        lo = lo.min(s);
        hi = hi.max(e);
    }
    let lo = lo.min(src.text.len());
    let hi = hi.max(lo).min(src.text.len());
    let (first_line, _) = src.line_col(lo);
    let (last_line, _) = src.line_col(hi);
    let start = src.line_start(first_line);
    let end = src.line_start(last_line + 1).min(src.text.len());
    (&src.text[start..end.max(start)], first_line, start)
}

fn clamp(span: (usize, usize), base: usize, len: usize) -> std::ops::Range<usize> {
    let s = span.0.saturating_sub(base).min(len);
    let e = span.1.saturating_sub(base).min(len).max(s);
    s..e
}

fn snippet<'a>(
    sources: &'a SourceMap,
    file: FileId,
    primary: &'a Label,
    secondary: &'a [Label],
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let same_file: Vec<&Label> = secondary.iter().filter(|l| l.file == file).collect();
    let spans = std::iter::once((primary.span.start, primary.span.end))
        .chain(same_file.iter().map(|l| (l.span.start, l.span.end)));
    let (text, line, base) = window(sources, file, spans);
    let src = sources.get(file);
    let mut snip = Snippet::source(text)
        .line_start(line)
        .path(src.origin.to_string())
        .fold(true);
    let mut ann = AnnotationKind::Primary.span(clamp(
        (primary.span.start, primary.span.end),
        base,
        text.len(),
    ));
    if let Some(m) = &primary.message {
        ann = ann.label(&**m);
    }
    snip = snip.annotation(ann);
    for l in same_file {
        let mut a =
            AnnotationKind::Context.span(clamp((l.span.start, l.span.end), base, text.len()));
        if let Some(m) = &l.message {
            a = a.label(&**m);
        }
        snip = snip.annotation(a);
    }
    snip
}

fn secondary_snippet<'a>(
    sources: &'a SourceMap,
    file: FileId,
    labels: &[Label],
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let (text, line, base) = window(
        sources,
        file,
        labels.iter().map(|l| (l.span.start, l.span.end)),
    );
    let src = sources.get(file);
    let mut snip = Snippet::source(text)
        .line_start(line)
        .path(src.origin.to_string())
        .fold(true);
    for l in labels {
        let mut a =
            AnnotationKind::Context.span(clamp((l.span.start, l.span.end), base, text.len()));
        if let Some(m) = &l.message {
            a = a.label(m.clone());
        }
        snip = snip.annotation(a);
    }
    snip
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `checked 3 files, 12 objects: 2 errors, 1 warning, 0 infos`
pub fn summary(report: &Report, color: bool) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    let mut s = format!(
        "checked {}, {}: {}, {}, {}",
        plural(report.files, "file", "files"),
        plural(report.objects, "object", "objects"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(infos, "info", "infos"),
    );
    if report.diagnostics.iter().any(|d| d.status.is_some()) {
        s.push_str(&format!(
            " ({} new, {} existing, {} fixed)",
            report.count_status(Change::New),
            report.count_status(Change::Existing),
            report.count_status(Change::Fixed)
        ));
    }
    if !report.errors.is_empty() {
        s.push_str(&format!(
            "; {} could not be read",
            plural(report.errors.len(), "input", "inputs")
        ));
    }
    if color {
        let style = if errors > 0 || !report.errors.is_empty() {
            anstyle::AnsiColor::Red.on_default().bold()
        } else if warnings > 0 {
            anstyle::AnsiColor::Yellow.on_default().bold()
        } else {
            anstyle::AnsiColor::Green.on_default().bold()
        };
        s = format!("{style}{s}{style:#}");
    }
    s
}
