//! The JSON output format: a public contract, documented in the README.
//!
//! Wire format (one document per run):
//! ```json
//! {
//!   "version": 1,
//!   "diagnostics": [{
//!     "code": "GW030", "name": "duplicate-object", "severity": "error",
//!     "message": "...", "file": "routes.yaml", "line": 12, "column": 9,
//!     "endLine": 12, "endColumn": 12,
//!     "object": {"apiVersion": "...", "kind": "...", "namespace": "..." | null, "name": "..."} | null,
//!     "field": "spec.listeners[1].port" | null,
//!     "help": "..." | null,
//!     "related": [{"file": "...", "line": 3, "column": 9, "message": "..." | null}],
//!     "status": "new" | "existing" | "fixed"      (only with `lint --cluster FILES`)
//!     "fix": "safe" | "unsafe"                    (only when `lint --fix` can fix it)
//!   }],
//!   "summary": {"files": 2, "objects": 14, "errors": 1, "warnings": 0, "infos": 0},
//!   "errors": [{"path": "...", "message": "..."}]
//! }
//! ```
//! `file`, `line` and `column` are null only for findings about a whole file that has no
//! position (then `file` is still set when known). Fields are only ever added, never
//! renamed or removed, within `version` 1.

use std::io::{self, Write};

use serde::Serialize;

use crate::diag::{Change, ObjectRef, Severity};
use crate::lint::report::Report;
use crate::source::SourceMap;

#[derive(Serialize)]
struct Output<D> {
    version: u32,
    diagnostics: D,
    summary: Summary,
    errors: Vec<JsonError>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    object: Option<&'a ObjectRef>,
    field: Option<&'a str>,
    help: Option<&'a str>,
    related: Vec<Related<'a>>,
    /// `new`, `existing` or `fixed`: only with `lint --cluster FILES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Change>,
    /// `safe` or `unsafe`: only when `lint --fix` can fix the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'static str>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: String,
    line: usize,
    column: usize,
    message: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    objects: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Counts by status, only with `lint --cluster FILES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    existing: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<usize>,
    /// Context files read, only when there were any (`lint --context`).
    #[serde(rename = "contextFiles", skip_serializing_if = "Option::is_none")]
    context_files: Option<usize>,
    /// Routing cases passed and failed, only for `gwctl test` (whose objects are its cases).
    #[serde(skip_serializing_if = "Option::is_none")]
    cases: Option<crate::lint::report::Cases>,
}

#[derive(Serialize)]
struct JsonError {
    path: String,
    message: String,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(d: &'a crate::diag::Diagnostic, sources: &SourceMap) -> Self {
        let pos = super::position(d, sources);
        JsonDiagnostic {
            code: d.code(),
            name: d.rule.name,
            severity: d.severity,
            message: &d.message,
            file: pos
                .as_ref()
                .map(|p| p.0.clone())
                .or_else(|| d.file_hint.as_deref().map(str::to_owned)),
            line: pos.as_ref().map(|p| p.1),
            column: pos.as_ref().map(|p| p.2),
            end_line: pos.as_ref().map(|p| p.3),
            end_column: pos.as_ref().map(|p| p.4),
            object: d.object.as_deref(),
            field: d.field.as_deref(),
            help: d.help.as_deref(),
            fix: d
                .fix
                .as_ref()
                .map(|f| if f.safe { "safe" } else { "unsafe" }),
            related: d
                .secondary
                .iter()
                .map(|l| {
                    let f = sources.get(l.file);
                    let (line, column) = f.line_col(l.span.start);
                    Related {
                        file: f.origin.to_string(),
                        line,
                        column,
                        message: l.message.as_deref(),
                    }
                })
                .collect(),
            status: d.status,
        }
    }
}

pub fn render(report: &Report, sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    // Each finding converted as it is written (see `Streamed`).
    let diagnostics = super::Streamed::new(
        report
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(d, sources)),
    );
    let overlay = report.diagnostics.iter().any(|d| d.status.is_some());
    let by_status = |s: Change| overlay.then(|| report.count_status(s));
    let output = Output {
        version: 1,
        diagnostics,
        summary: Summary {
            files: report.files,
            objects: report.objects,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            new: by_status(Change::New),
            existing: by_status(Change::Existing),
            fixed: by_status(Change::Fixed),
            context_files: (report.context_files > 0).then_some(report.context_files),
            cases: report.cases,
        },
        errors: report
            .errors
            .iter()
            .map(|e| JsonError {
                path: e.path().to_owned(),
                message: e.to_string(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
