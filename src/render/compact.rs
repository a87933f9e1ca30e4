//! The compact output format: one line per finding, in the `file:line:col:` form that
//! editors, `grep` and problem matchers understand.
//!
//! Wire shape, one line each, in report order:
//! ```text
//! routes.yaml:12:9: error GW030 the object HTTPRoute default/shop is defined twice
//! image.yaml: error GW011 the file is binary, not YAML or JSON
//! missing.yaml: error cannot read: no such file or folder
//! ```
//! A finding without a position (a whole file) leaves out line and column; an input gwctl
//! could not read has `cannot read:` in place of a code. Messages are printed on one line:
//! a line break in one is shown as a space.
//!
//! With `lint --cluster FILES` each message starts with the finding's status, and a finding
//! the files fix has `fixed` in place of its severity:
//! ```text
//! change.yaml:9:18: error GW311 [new] HTTPRoute shop/store refers to Service …
//! cluster:HTTPRoute/shop/broken@12:14:7: fixed GW311 [fixed] HTTPRoute shop/broken refers to …
//! ```

use std::borrow::Cow;
use std::io::{self, Write};

use crate::diag::Change;
use crate::lint::report::Report;
use crate::source::{FileId, SourceMap};

pub fn render(report: &Report, sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    // Findings come sorted by file: a file's name is written out once for all of its
    // findings rather than once each (a large run has tens of thousands).
    let mut named: Option<(FileId, String)> = None;
    for d in &report.diagnostics {
        let titled = match d.status {
            Some(_) => Cow::Owned(super::titled_message(d)),
            None => Cow::Borrowed(&*d.message),
        };
        let message = one_line(&titled);
        // A finding the files fix is no longer an error, warning or info: its severity word
        // is `fixed`, which no problem matcher reads as a live finding.
        let severity = match d.status {
            Some(Change::Fixed) => "fixed",
            _ => d.severity.as_str(),
        };
        match &d.primary {
            Some(label) => {
                let file = sources.get(label.file);
                let name = match &named {
                    Some((id, name)) if *id == label.file => name,
                    _ => &named.insert((label.file, file.origin.to_string())).1,
                };
                let (line, column) = file.line_col(label.span.start);
                writeln!(
                    out,
                    "{name}:{line}:{column}: {severity} {} {message}",
                    d.code()
                )?
            }
            None => {
                let file = d.file_hint.as_deref().unwrap_or("<unknown>");
                writeln!(out, "{file}: {severity} {} {message}", d.code())?
            }
        }
    }
    for e in &report.errors {
        writeln!(
            out,
            "{}: error cannot read: {}",
            e.path(),
            one_line(&super::load_error_message(e))
        )?;
    }
    Ok(())
}

/// One finding must stay one line, or line-based consumers would read its second half as
/// a finding of its own.
fn one_line(s: &str) -> Cow<'_, str> {
    if !s.contains(['\n', '\r']) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", " ").replace(['\n', '\r'], " "))
}
