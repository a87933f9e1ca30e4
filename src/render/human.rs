//! The human output format: each finding with the source lines it is about and the span
//! marked, as rustc does, then a summary line.
//!
//! Styled output is produced when `color` is set; the CLI decides that from the terminal,
//! `--color`, `NO_COLOR` and `CLICOLOR_FORCE`. Only a window of lines around the marked
//! spans is handed to the snippet renderer, so large files cost no more than small ones.
//! Files whose texts were let go after reading are read again for their snippets, and a
//! file that changed meanwhile gets its positions and a note instead of wrong lines.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use rayon::prelude::*;

use crate::diag::{Change, Diagnostic, Label, Severity};
use crate::lint::report::Report;
use crate::source::{FileId, SourceFile, SourceMap};

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
    // Laying out snippets is most of what a large run's human output costs: batches of
    // findings are rendered on rayon's pool, each with its own texts, a few batches a
    // thread at a time, so that what is held is bounded, and written in order.
    const BATCH: usize = 128;
    let wave = BATCH * 4 * rayon::current_num_threads().max(1);
    for findings in report.diagnostics.chunks(wave) {
        let rendered: Vec<String> = findings
            .par_chunks(BATCH)
            .map(|batch| {
                let mut texts = Texts::new(sources);
                let mut text = String::new();
                for d in batch {
                    text.push_str(&render_with(d, &mut texts, &renderer));
                    text.push_str("\n\n");
                }
                text
            })
            .collect();
        for text in rendered {
            out.write_all(text.as_bytes())?;
        }
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

/// The texts that snippets are cut from. A run lets go of most files' texts after reading
/// them ([`crate::load::Options::snippets`]), so they are read again here. Findings come
/// sorted by file, but a finding may point into another file (where a duplicate was first
/// defined, say) that many files' findings point into: the texts used last are kept, up to
/// [`Texts::BUDGET`] bytes (and the two used last, however large), so that such a file is
/// not read again for each of them.
struct Texts<'a> {
    sources: &'a SourceMap,
    /// Each kept text (or why it cannot be shown) and when it was last asked for.
    kept: HashMap<FileId, (u64, Result<Arc<str>, String>)>,
    /// The kept files by when they were last asked for, least recent first.
    by_use: BTreeMap<u64, FileId>,
    bytes: usize,
    clock: u64,
}

impl<'a> Texts<'a> {
    const BUDGET: usize = 1 << 20;

    fn new(sources: &'a SourceMap) -> Self {
        Texts {
            sources,
            kept: HashMap::new(),
            by_use: BTreeMap::new(),
            bytes: 0,
            clock: 0,
        }
    }

    fn get(&mut self, file: FileId) -> Result<Arc<str>, String> {
        self.clock += 1;
        if let Some((used, text)) = self.kept.get_mut(&file) {
            self.by_use.remove(used);
            *used = self.clock;
            self.by_use.insert(self.clock, file);
            return text.clone();
        }
        let text = self
            .sources
            .get(file)
            .shown_text()
            .map_err(|e| e.to_string());
        let size = text.as_ref().map_or(0, |t| t.len());
        // Least recently used out first, but never the text used last, whatever its size:
        // a large file's findings with labels in other files go back and forth between
        // them, and it must not be read each time.
        while self.bytes + size > Self::BUDGET && self.kept.len() > 1 {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((_, Ok(t))) = self.kept.remove(&oldest) {
                self.bytes -= t.len();
            }
        }
        self.bytes += size;
        self.kept.insert(file, (self.clock, text.clone()));
        self.by_use.insert(self.clock, file);
        text
    }
}

/// One finding, rendered with its source snippet (no trailing blank line).
pub fn render_one(d: &Diagnostic, sources: &SourceMap, renderer: &Renderer) -> String {
    render_with(d, &mut Texts::new(sources), renderer)
}

fn render_with(d: &Diagnostic, texts: &mut Texts<'_>, renderer: &Renderer) -> String {
    let sources = texts.sources;
    // Over a live cluster, each finding says whether the files introduced it.
    let title = super::titled_message(d);
    let mut group = Group::with_title(level(d.severity).primary_title(title).id(d.code()));
    let mut unshown = Vec::new();
    match &d.primary {
        Some(primary) => {
            // Snippets of the primary file (the primary label's first, with the secondary
            // labels near it), then of each other file that holds a secondary label.
            let mut files: Vec<FileId> = d.secondary.iter().map(|l| l.file).collect();
            files.sort();
            files.dedup();
            files.retain(|f| *f != primary.file);
            files.insert(0, primary.file);
            for f in files {
                let labels: Vec<&Label> = d.secondary.iter().filter(|l| l.file == f).collect();
                let main = (f == primary.file).then_some(primary);
                match texts.get(f) {
                    Ok(text) => {
                        group = group.elements(snippets(sources.get(f), &text, main, &labels));
                    }
                    Err(why) => {
                        unshown.push((f, why));
                        group = group
                            .elements(main.into_iter().chain(labels).map(|l| position(sources, l)));
                    }
                }
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
    for (file, why) in unshown {
        let note = format!("lines of {} not shown: {why}", sources.get(file).origin);
        group = group.element(Level::NOTE.message(note));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(&**help));
    }
    if let Some(fix) = &d.fix {
        group = group.element(Level::HELP.message(if fix.safe {
            "fixable with `gwctl lint --fix`"
        } else {
            "fixable with `gwctl lint --fix --unsafe-fixes` (check the result)"
        }));
    }
    renderer.render(&[group])
}

/// Where a label is, for a file whose lines cannot be shown.
fn position<'a>(sources: &SourceMap, label: &Label) -> Origin<'a> {
    let src = sources.get(label.file);
    let (line, column) = src.line_col(label.span.start);
    Origin::path(src.origin.to_string())
        .line(line)
        .char_column(column)
}

/// The lines of `src` (whose text is `text`) that cover all `spans`, as (lines, first line
/// number, byte offset). The lines are copied: the text may have been read for this finding
/// only.
fn window(
    src: &SourceFile,
    text: &str,
    spans: impl Iterator<Item = (usize, usize)>,
) -> (String, usize, usize) {
    let (mut lo, mut hi) = (usize::MAX, 0);
    for (s, e) in spans {
        lo = lo.min(s);
        hi = hi.max(e);
    }
    let lo = lo.min(text.len());
    let hi = hi.max(lo).min(text.len());
    let (first_line, _) = src.line_col(lo);
    let (last_line, _) = src.line_col(hi);
    let start = src.line_start(first_line).min(text.len());
    let end = src.line_start(last_line + 1).min(text.len());
    (
        text.get(start..end.max(start))
            .unwrap_or_default()
            .to_owned(),
        first_line,
        start,
    )
}

fn clamp(span: (usize, usize), base: usize, len: usize) -> std::ops::Range<usize> {
    let s = span.0.saturating_sub(base).min(len);
    let e = span.1.saturating_sub(base).min(len).max(s);
    s..e
}

/// Labels this many lines apart or more are shown in snippets of their own: the lines
/// between them would be folded away anyway, and the snippet renderer reads every line it
/// is given (a finding in a large file pointing at its first line read the whole file).
const APART: usize = 40;

/// The snippets of one file for a finding: its labels grouped by nearness, the group with
/// the `primary` label (if it is in this file) first.
fn snippets<'a>(
    src: &SourceFile,
    text: &str,
    primary: Option<&'a Label>,
    labels: &[&'a Label],
) -> Vec<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let mut sorted: Vec<(bool, &Label)> = primary
        .map(|p| (true, p))
        .into_iter()
        .chain(labels.iter().map(|l| (false, *l)))
        .collect();
    sorted.sort_by_key(|(_, l)| (l.span.start, l.span.end));
    let mut groups: Vec<Vec<(bool, &Label)>> = Vec::new();
    let mut last_line = 0;
    for (is_primary, l) in sorted {
        let first = src.line_col(l.span.start).0;
        match groups.last_mut() {
            Some(g) if first < last_line + APART => g.push((is_primary, l)),
            _ => groups.push(vec![(is_primary, l)]),
        }
        last_line = last_line.max(src.line_col(l.span.end).0);
    }
    // The primary label's group first; the others in the order of the file.
    groups.sort_by_key(|g| !g.iter().any(|(p, _)| *p));
    groups
        .into_iter()
        .map(|g| {
            let (lines, line, base) =
                window(src, text, g.iter().map(|(_, l)| (l.span.start, l.span.end)));
            let len = lines.len();
            let mut snip = Snippet::source(lines)
                .line_start(line)
                .path(src.origin.to_string())
                .fold(true);
            for (is_primary, l) in g {
                let kind = if is_primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                snip = snip.annotation(annotation(kind, l, base, len));
            }
            snip
        })
        .collect()
}

/// A label as an annotation of a snippet whose text starts at byte `base` and is `len`
/// bytes long.
fn annotation<'a>(
    kind: AnnotationKind,
    l: &'a Label,
    base: usize,
    len: usize,
) -> annotate_snippets::Annotation<'a> {
    let mut a = kind.span(clamp((l.span.start, l.span.end), base, len));
    if let Some(m) = &l.message {
        a = a.label(&**m);
    }
    a
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `checked 3 files, 12 objects: 2 errors, 1 warning, 0 infos; 1 fixable with `gwctl lint --fix``
pub fn summary(report: &Report, color: bool) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    if let Some(cases) = report.cases {
        return format!(
            "ran {} from {}: {} passed, {} failed; {}, {}, {}",
            plural(cases.passed + cases.failed, "case", "cases"),
            plural(report.files, "test file", "test files"),
            cases.passed,
            cases.failed,
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            plural(infos, "info", "infos"),
        );
    }
    let mut s = format!(
        "checked {}, {}: {}, {}, {}",
        plural(report.files, "file", "files"),
        plural(report.objects, "object", "objects"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(infos, "info", "infos"),
    );
    if report.context_files > 0 {
        s.push_str(&format!(
            " (context: {} read, not reported on)",
            plural(report.context_files, "file", "files")
        ));
    }
    if report.diagnostics.iter().any(|d| d.status.is_some()) {
        s.push_str(&format!(
            " ({} new, {} existing, {} fixed)",
            report.count_status(Change::New),
            report.count_status(Change::Existing),
            report.count_status(Change::Fixed)
        ));
    }
    // Where a new user learns that --fix exists: after the counts, when it would help.
    let fixable = |safe: bool| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe == safe))
            .count()
    };
    let (safe, unsafe_only) = (fixable(true), fixable(false));
    if safe > 0 {
        s.push_str(&format!("; {safe} fixable with `gwctl lint --fix`"));
    }
    if unsafe_only > 0 {
        s.push_str(&format!("; {unsafe_only} more with `--fix --unsafe-fixes`"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Input};

    #[test]
    fn a_file_changed_after_reading_shows_positions_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("route.yaml");
        let text = "kind: HTTPRoute\nmetadata: {name: a\n";
        std::fs::write(&path, text).unwrap();
        let loaded = load::load(
            &[Input::Path(path.clone())],
            &load::Options::default(),
            &mut std::io::empty(),
        );
        let d = loaded
            .diagnostics
            .first()
            .expect("broken YAML is a finding");
        let renderer = Renderer::plain();
        let shown = render_one(d, &loaded.sources, &renderer);
        assert!(shown.contains("metadata: {name: a"), "{shown}");
        assert!(!shown.contains("not shown"), "{shown}");

        std::fs::write(&path, text.replace('a', "b")).unwrap();
        let shown = render_one(d, &loaded.sources, &renderer);
        let (line, column) = loaded
            .sources
            .get(d.primary.as_ref().unwrap().file)
            .line_col(d.primary.as_ref().unwrap().span.start);
        let origin = loaded.sources.get(FileId(0)).origin.to_string();
        assert!(
            shown.contains(&format!("{origin}:{line}:{column}")),
            "{shown}"
        );
        assert!(!shown.contains("metadata: {name: b"), "{shown}");
        assert!(
            shown.contains(&format!(
                "lines of {origin} not shown: it changed after gwctl read it"
            )),
            "{shown}"
        );
    }

    #[test]
    fn findings_rendered_in_batches_come_out_in_order() {
        // More findings than a wave of batches, each with a label in the first file.
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for i in 0..700 {
            let path = dir.path().join(format!("svc-{i:03}.yaml"));
            std::fs::write(
                &path,
                "apiVersion: v1\nkind: Service\nmetadata: {name: same}\n",
            )
            .unwrap();
            inputs.push(Input::Path(path));
        }
        let loaded = load::load(&inputs, &load::Options::default(), &mut std::io::empty());
        let mut report = Report {
            diagnostics: loaded.diagnostics.clone(),
            ..Report::default()
        };
        report.normalize();
        assert!(
            report.diagnostics.len() >= 699,
            "{}",
            report.diagnostics.len()
        );
        let mut out = Vec::new();
        render(&report, &loaded.sources, false, &mut out).unwrap();
        let renderer = Renderer::plain();
        let mut one_by_one = String::new();
        for d in &report.diagnostics {
            one_by_one.push_str(&render_one(d, &loaded.sources, &renderer));
            one_by_one.push_str("\n\n");
        }
        one_by_one.push_str(&summary(&report, false));
        one_by_one.push('\n');
        assert_eq!(String::from_utf8(out).unwrap(), one_by_one);
    }

    #[test]
    fn a_large_file_is_read_once_while_labels_point_into_others() {
        let dir = tempfile::tempdir().unwrap();
        let large = dir.path().join("large.yaml");
        let small = dir.path().join("small.yaml");
        let large_text = format!("# {}\nkind: Service\n", "x".repeat(Texts::BUDGET));
        std::fs::write(&large, &large_text).unwrap();
        std::fs::write(&small, "kind: Service\n").unwrap();
        let loaded = load::load(
            &[Input::Path(large.clone()), Input::Path(small.clone())],
            &load::Options::default(),
            &mut std::io::empty(),
        );
        let (a, b) = (FileId(0), FileId(1));
        let mut texts = Texts::new(&loaded.sources);
        assert_eq!(texts.get(a).unwrap().len(), large_text.len());
        // Changed on disk: a text read again now would not be shown.
        std::fs::write(&large, large_text.replace('x', "y")).unwrap();
        for _ in 0..3 {
            assert!(texts.get(b).is_ok());
            assert!(texts.get(a).is_ok(), "the large file was read again");
        }
        assert!(Texts::new(&loaded.sources).get(a).is_err());
    }

    #[test]
    fn labels_far_apart_get_snippets_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("twice.yaml");
        let object = "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: b}\n";
        let filler: String = (0..1000).map(|i| format!("# line {i}\n")).collect();
        std::fs::write(&path, format!("{object}{filler}---\n{object}")).unwrap();
        let loaded = load::load(
            &[Input::Path(path)],
            &load::Options::default(),
            &mut std::io::empty(),
        );
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.code() == "GW030")
            .expect("a duplicate");
        let shown = render_one(d, &loaded.sources, &Renderer::plain());
        assert!(
            shown.contains("1007 | metadata: {name: a, namespace: b}"),
            "{shown}"
        );
        assert!(
            shown.contains("3 | metadata: {name: a, namespace: b}"),
            "{shown}"
        );
        assert!(!shown.contains("# line"), "{shown}");
        // The primary label's snippet comes first.
        assert!(shown.find("1007 |") < shown.find("   3 |"), "{shown}");
    }
}
