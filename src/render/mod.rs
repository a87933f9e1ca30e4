//! Findings → output.
//!
//! One module per format; each takes a [`Report`](crate::report::Report) and the
//! [`SourceMap`](crate::source::SourceMap) and writes to any `io::Write`, so the CLI decides
//! where output goes and tests render into memory. Renderers never see objects or schemas:
//! everything they show is in the diagnostics.

pub mod human;
pub mod json;
pub mod trace;

use crate::diag::{Diagnostic, RuleMeta};
use crate::source::SourceMap;

/// Output formats for findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with the offending span marked, for people.
    Human,
    /// One JSON document; see the README for its shape.
    Json,
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

/// The rule that a diagnostic's code belongs to.
pub fn rule_of(code: &str) -> Option<&'static RuleMeta> {
    crate::rules::by_code(code)
}
