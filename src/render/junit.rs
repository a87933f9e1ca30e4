//! The JUnit output format: JUnit XML, which CI systems (GitLab, Jenkins, Azure Pipelines,
//! CircleCI, GitHub test reporters) show as a list of passed and failed tests.
//!
//! Wire shape:
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="gwctl" tests="3" failures="2" errors="0">
//!   <testsuite name="routes.yaml" tests="2" failures="1" errors="0" skipped="0">
//!     <testcase name="HTTPRoute default/shop" classname="routes.yaml" file="routes.yaml">
//!       <failure type="GW030" message="the object … is defined twice">error[GW030] …</failure>
//!     </testcase>
//!     <testcase name="Gateway infra/gw" classname="routes.yaml" file="routes.yaml"/>
//!   </testsuite>
//!   <testsuite name="missing.yaml" tests="1" failures="0" errors="1" skipped="0">
//!     <testcase name="read" classname="missing.yaml" file="missing.yaml">
//!       <error type="unreadable-input" message="no such file or folder"/>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//! One test suite per file read (a live object of `lint --cluster` is named
//! `cluster:Kind/namespace/name`, without its resourceVersion, so that CI keeps its history
//! across runs), one test case per object in it (passing when it has no
//! finding), plus one test case named after the file for findings that are about no object
//! (a binary file, a YAML syntax error) and for files with no objects. Every finding is a
//! `<failure>`, whatever its severity (the severity leads the failure's text); `failures`
//! counts test cases with at least one. An input gwctl could not read is a suite with one
//! test case holding an `<error>`.
//!
//! With `lint --cluster FILES` a failure's message and text start with its status (`[new]`,
//! `[existing]`), and a finding the files fix is no failure: its test case passes and says
//! what was fixed in `<system-out>`:
//! ```xml
//! <testcase name="HTTPRoute shop/broken (gateway.networking.k8s.io/v1)" …>
//!   <system-out>error[GW311]: [fixed] HTTPRoute shop/broken refers to …</system-out>
//! </testcase>
//! ```
//!
//! The XML is written here rather than with a JUnit crate: the shape is small and fixed,
//! and all that needs care is escaping, which [`escape`] does, including characters that
//! XML 1.0 cannot carry at all (they become U+FFFD).

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::diag::{Change, Diagnostic, ObjectRef};
use crate::lint::report::Report;
use crate::source::SourceMap;

/// A test case: an object of a file, or the file itself (`object` is `None`).
struct Case<'a> {
    object: Option<&'a ObjectRef>,
    failures: Vec<&'a Diagnostic>,
    /// Findings the files fix (`lint --cluster FILES`): noted, not failures.
    fixed: Vec<&'a Diagnostic>,
}

struct Suite<'a> {
    file: String,
    cases: Vec<Case<'a>>,
}

impl<'a> Suite<'a> {
    fn case(&mut self, object: Option<&'a ObjectRef>) -> &mut Case<'a> {
        let i = match self.cases.iter().position(|c| c.object == object) {
            Some(i) => i,
            None => {
                self.cases.push(Case {
                    object,
                    failures: Vec::new(),
                    fixed: Vec::new(),
                });
                self.cases.len() - 1
            }
        };
        &mut self.cases[i]
    }
}

/// Suites in the order their files were first seen, found by file name in constant time:
/// a run over thousands of files looks one up for every object and every finding.
#[derive(Default)]
struct Suites<'a> {
    list: Vec<Suite<'a>>,
    index: std::collections::HashMap<String, usize>,
}

impl<'a> Suites<'a> {
    fn get(&mut self, file: &str) -> &mut Suite<'a> {
        let i = match self.index.get(file) {
            Some(&i) => i,
            None => {
                self.index.insert(file.to_owned(), self.list.len());
                self.list.push(Suite {
                    file: file.to_owned(),
                    cases: Vec::new(),
                });
                self.list.len() - 1
            }
        };
        &mut self.list[i]
    }
}

pub fn render(report: &Report, sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    // Suites in the order files were read, each with its objects in file order; context
    // files (the last sources) were read, not checked, so they are no suites.
    let mut suites = Suites::default();
    for (_, file) in sources.iter().take(report.files) {
        suites.get(&super::stable_name(&file.origin));
    }
    for (file, object) in &report.object_refs {
        let name = super::stable_name(&sources.get(*file).origin);
        suites.get(&name).case(Some(object));
    }
    for d in &report.diagnostics {
        let file = super::stable_file_of(d, sources).unwrap_or_else(|| "<unknown>".to_owned());
        let case = suites.get(&file).case(d.object.as_deref());
        if d.status == Some(Change::Fixed) {
            case.fixed.push(d);
        } else {
            case.failures.push(d);
        }
    }
    let suites = suites.list;
    let tests: usize =
        suites.iter().map(|s| s.cases.len().max(1)).sum::<usize>() + report.errors.len();
    let failures: usize = suites
        .iter()
        .flat_map(|s| &s.cases)
        .filter(|c| !c.failures.is_empty())
        .count();
    // Written as it is made (the CLI buffers `out`): a large run's report is not built into
    // one string first.
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"gwctl\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\">",
        report.errors.len()
    )?;
    for s in &suites {
        let failed = s.cases.iter().filter(|c| !c.failures.is_empty()).count();
        let file = escape(&s.file);
        // A file with no objects and no findings still shows that it was checked.
        let file_case = [Case {
            object: None,
            failures: Vec::new(),
            fixed: Vec::new(),
        }];
        let cases = if s.cases.is_empty() {
            &file_case[..]
        } else {
            &s.cases[..]
        };
        writeln!(
            out,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
            cases.len()
        )?;
        for c in cases {
            let name = match c.object {
                Some(o) => escape(&format!("{o} ({})", o.api_version)),
                None => file.clone(),
            };
            let open =
                format!("    <testcase name=\"{name}\" classname=\"{file}\" file=\"{file}\"");
            if c.failures.is_empty() && c.fixed.is_empty() {
                writeln!(out, "{open}/>")?;
                continue;
            }
            writeln!(out, "{open}>")?;
            for d in &c.failures {
                let message = super::titled_message(d);
                writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    d.code(),
                    escape(&message),
                    escape_text(&failure_text(d, sources))
                )?;
            }
            if !c.fixed.is_empty() {
                // A passing test case that says what the files fixed.
                let notes: Vec<String> = c.fixed.iter().map(|d| failure_text(d, sources)).collect();
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    escape_text(&notes.join("\n"))
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    for e in &report.errors {
        let path = escape(e.path());
        writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"read\" classname=\"{path}\" file=\"{path}\">\n      <error type=\"unreadable-input\" message=\"{}\"/>\n    </testcase>\n  </testsuite>",
            escape(&super::load_error_message(e))
        )?;
    }
    writeln!(out, "</testsuites>")
}

/// The body of a `<failure>`: the finding as the human format's first lines would give it,
/// without the source snippet.
fn failure_text(d: &Diagnostic, sources: &SourceMap) -> String {
    let mut s = format!("{}[{}]: {}", d.severity, d.code(), super::titled_message(d));
    match super::position(d, sources) {
        Some((file, line, col, ..)) => {
            let _ = write!(s, "\n  --> {file}:{line}:{col}");
        }
        None => {
            if let Some(f) = &d.file_hint {
                let _ = write!(s, "\n  --> {f}");
            }
        }
    }
    if let Some(o) = &d.object {
        let _ = write!(s, "\n  = note: in {o} ({})", o.api_version);
        if let Some(f) = &d.field {
            let _ = write!(s, ", field `{f}`");
        }
    }
    if let Some(h) = &d.help {
        let _ = write!(s, "\n  = help: {h}");
    }
    s
}

/// Escape text for XML element content and attribute values alike. Line breaks and tabs
/// are written as character references so that attribute values keep them (a parser turns
/// literal ones into spaces); characters XML 1.0 does not allow anywhere become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Escape text for element content, where line breaks and tabs can stay as they are (only
/// a carriage return would be changed by a parser, so it stays a reference).
pub fn escape_text(s: &str) -> String {
    escape(s).replace("&#10;", "\n").replace("&#9;", "\t")
}

/// XML 1.0's `Char` production.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_breaks_and_forbidden_characters() {
        assert_eq!(
            escape("a<b>&\"c\"'d'\n\t\r"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;&#9;&#13;"
        );
        assert_eq!(
            escape("nul\0 esc\x1b ffff\u{FFFF}"),
            "nul\u{FFFD} esc\u{FFFD} ffff\u{FFFD}"
        );
        assert_eq!(escape("é ✓ 𝄞"), "é ✓ 𝄞");
    }
}
