//! Findings → output.
//!
//! One module per format; each takes a [`Report`] and the
//! [`SourceMap`] and writes to any `io::Write`, so the CLI decides
//! where output goes (stdout, or a file per `--output`) and tests render into memory.
//! Renderers never see schemas: everything they show is in the report.
//!
//! This module also owns what the machine formats share: where a finding is
//! ([`position`], `stable_file_of`), the stable fingerprint of a finding ([`fingerprints`]) and
//! the plain-text reading of a rule's markdown documentation ([`markdown_to_text`]).
//! [`graph`] draws the routing picture (`gwctl graph`), which [`html`] embeds.

pub mod compact;
pub mod features;
pub mod github;
pub mod gitlab;
pub mod graph;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod trace;

use std::collections::HashMap;
use std::io::{self, Write};

use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::lint::report::Report;
use crate::load::LoadError;
use crate::source::{LiveOrigin, Origin, SourceMap};

/// Output formats for findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with the offending span marked, for people.
    Human,
    /// One JSON document; see the README for its shape.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: a test suite per file, a test case per object.
    Junit,
    /// GitHub Actions workflow commands, shown as annotations on the pull request.
    Github,
    /// GitLab Code Quality JSON, for the merge request widget.
    Gitlab,
    /// One line per finding: `file:line:col: severity CODE message`.
    Compact,
    /// One self-contained HTML page: summary, findings by file and rule with their source
    /// lines, and (from `lint`) the routing picture; filters need JavaScript.
    Html,
}

impl Format {
    /// Render `report` in this format. `color` only affects the human format.
    pub fn render(
        self,
        report: &Report,
        sources: &SourceMap,
        color: bool,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Format::Human => human::render(report, sources, color, out),
            Format::Json => json::render(report, sources, out),
            Format::Sarif => sarif::render(report, sources, out),
            Format::Junit => junit::render(report, sources, out),
            Format::Github => github::render(report, sources, out),
            Format::Gitlab => gitlab::render(report, sources, out),
            Format::Compact => compact::render(report, sources, out),
            Format::Html => html::render(report, sources, None, out),
        }
    }

    /// Whether the format has a place for inputs gwctl could not read. The CLI reports them
    /// on stderr for formats that do not.
    pub fn shows_load_errors(self) -> bool {
        !matches!(self, Format::Gitlab)
    }
}

/// File, 1-based line and column of a diagnostic's primary position, as printed by every
/// format.
pub fn position(
    d: &Diagnostic,
    sources: &SourceMap,
) -> Option<(String, usize, usize, usize, usize)> {
    let label = d.primary.as_ref()?;
    let file = sources.get(label.file);
    let (line, column) = file.line_col(label.span.start);
    let (end_line, end_column) = file.line_col(label.span.end);
    Some((file.origin.to_string(), line, column, end_line, end_column))
}

/// A finding's message as every format titles it: over a live cluster (`lint --cluster
/// FILES`), prefixed with its status (`[new] ...`), which says whether the files brought it.
pub fn titled_message(d: &Diagnostic) -> String {
    match d.status {
        Some(s) => format!("[{s}] {}", d.message),
        None => String::from(&*d.message),
    }
}

/// A live object as `Kind/namespace/name` (`Kind/name` when cluster-scoped): what names it
/// across runs, unlike its resourceVersion, which changes on every write.
pub fn live_object_name(live: &LiveOrigin) -> String {
    match &live.namespace {
        Some(ns) => format!("{}/{ns}/{}", live.kind, live.name),
        None => format!("{}/{}", live.kind, live.name),
    }
}

/// How a source is named where the name must stay the same across runs (fingerprints, JUnit
/// suites): as it is shown, but a live object without its resourceVersion, which changes
/// whenever the object is written to.
pub(crate) fn stable_name(origin: &Origin) -> String {
    match origin {
        Origin::Cluster(live) => format!("cluster:{}", live_object_name(live)),
        origin => origin.to_string(),
    }
}

/// The file a diagnostic is about, named by [`stable_name`]: the file of its position, or
/// the file it names when it has no position (a binary file).
pub(crate) fn stable_file_of(d: &Diagnostic, sources: &SourceMap) -> Option<String> {
    match &d.primary {
        Some(l) => Some(stable_name(&sources.get(l.file).origin)),
        None => d.file_hint.as_deref().map(str::to_owned),
    }
}

/// What went wrong reading an input, without the path that [`LoadError`]'s message starts
/// with (formats that have a separate place for the path print it there).
pub fn load_error_message(e: &LoadError) -> String {
    let full = e.to_string();
    match full
        .strip_prefix(e.path())
        .and_then(|s| s.strip_prefix(": "))
    {
        Some(rest) => rest.to_owned(),
        None => full,
    }
}

/// A JSON array whose items are made as it is written: renderers stream a large run's
/// findings instead of first building a second list of all of them.
pub(crate) struct Streamed<I>(std::cell::RefCell<Option<I>>);

impl<I> Streamed<I> {
    pub(crate) fn new(items: I) -> Self {
        Streamed(std::cell::RefCell::new(Some(items)))
    }
}

impl<I, T> serde::Serialize for Streamed<I>
where
    I: Iterator<Item = T>,
    T: serde::Serialize,
{
    /// Writes the items once; written again, the array is empty.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        serializer.collect_seq(items.into_iter().flatten())
    }
}

/// A fingerprint for each diagnostic of `report`, in order: the SHA-256 (hex) of the code,
/// file (a live object's without its resourceVersion), object, field and message. Positions are left out on purpose, so that a finding
/// keeps its fingerprint when unrelated lines above it are added or removed, and GitLab and
/// GitHub do not see it as fixed and found again. Findings that agree on all of these (the
/// same duplicate key twice in one object) are told apart by their order of appearance,
/// which a line shift does not change either.
///
/// Made as the findings are written, so that a report never holds them all (64 hex digits
/// each, 2 MB for 24,000 findings).
pub fn fingerprints<'a>(
    report: &'a Report,
    sources: &'a SourceMap,
) -> impl Iterator<Item = String> + 'a {
    // Occurrences counted by the key's digest, not its text: a large run has tens of
    // thousands of keys of a few hundred bytes each.
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    report.diagnostics.iter().map(move |d| {
        let object = d
            .object
            .as_ref()
            .map(|o| {
                format!(
                    "{}/{}/{}/{}",
                    o.api_version,
                    o.kind,
                    o.namespace.as_deref().unwrap_or(""),
                    o.name
                )
            })
            .unwrap_or_default();
        // The unit separator cannot occur in any of the parts, so no two different
        // inputs are joined to the same text.
        let key = [
            d.code(),
            &stable_file_of(d, sources).unwrap_or_default(),
            &object,
            d.field.as_deref().unwrap_or(""),
            &d.message,
        ]
        .join("\u{1f}");
        let first: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        let n = seen.entry(first).or_insert(0);
        *n += 1;
        if *n == 1 {
            return hex(&first);
        }
        let mut hasher = Sha256::new();
        hasher.update(key.as_bytes());
        hasher.update(format!("\u{1f}{n}").as_bytes());
        hex(&hasher.finalize())
    })
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

/// A rule's markdown documentation as plain text, for viewers that do not render markdown
/// (SARIF's `help.text`): headings lose their `#`, code fences and inline backticks are
/// dropped, emphasis markers removed and links shown as `text (url)`. Code blocks keep
/// their lines, indented, so examples stay readable.
pub fn markdown_to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut in_code = false;
    for line in md.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
        } else if let Some(h) = heading(trimmed) {
            out.push_str(&inline_text(h));
            out.push(':');
        } else {
            out.push_str(&inline_text(line));
        }
        out.push('\n');
    }
    out.trim_end().to_owned()
}

fn heading(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches('#');
    let level = line.len() - rest.len();
    ((1..=6).contains(&level) && rest.starts_with(' ')).then(|| rest.trim())
}

fn inline_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' => rest = &rest[1..],
            '*' if rest.starts_with("**") => rest = &rest[2..],
            '[' => {
                // `[text](url)` → `text (url)`; anything else is kept as written.
                if let Some((text, url, after)) = link(rest) {
                    out.push_str(&inline_text(text));
                    out.push_str(" (");
                    out.push_str(url);
                    out.push(')');
                    rest = after;
                } else {
                    out.push('[');
                    rest = &rest[1..];
                }
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

fn link(s: &str) -> Option<(&str, &str, &str)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    let after = &s[close + 2..];
    let end = after.find(')')?;
    Some((text, &after[..end], &after[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_text() {
        let md = "## What it checks\nThat `a` is **b**, see [the spec](https://x.y/z).\n\n```yaml\nkey: value\n```";
        assert_eq!(
            markdown_to_text(md),
            "What it checks:\nThat a is b, see the spec (https://x.y/z).\n\n    key: value"
        );
        assert_eq!(markdown_to_text("[not a link"), "[not a link");
        assert_eq!(markdown_to_text("#hashtag"), "#hashtag");
    }
}
