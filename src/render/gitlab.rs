//! The GitLab output format: a Code Quality report, which GitLab shows in the merge request
//! widget and the pipeline's Code Quality tab (`artifacts: reports: codequality`).
//!
//! Wire shape, one JSON array per run, in report order:
//! ```json
//! [
//!   {
//!     "description": "GW030: the object HTTPRoute default/shop is defined twice",
//!     "check_name": "GW030",
//!     "fingerprint": "<64 hex digits>",
//!     "severity": "major",
//!     "location": {"path": "routes.yaml", "lines": {"begin": 12, "end": 12}}
//!   }
//! ]
//! ```
//! `severity` maps error → `major`, warning → `minor`, info → `info` (as GitLab's ESLint
//! formatter does; `critical` and `blocker` are left for findings that are worse than an
//! object the API server rejects, of which gwctl has none). The fingerprint is
//! [`super::fingerprints`]: it leaves line numbers out, so a finding keeps its identity
//! when lines are added above it. A finding about a whole file (a binary file) is placed
//! on line 1, because GitLab requires a line. Code Quality has no place for inputs that
//! could not be read; the CLI reports those on stderr.
//!
//! With `lint --cluster FILES` each issue has `"status": "new"` or `"existing"`, and its
//! description reads `GW311 [new]: …`. Findings the files fix are left out: Code Quality
//! lists the problems of the code as it is, and GitLab works out what a merge request
//! resolves by comparing reports.

use std::io::{self, Write};

use serde::Serialize;

use crate::diag::{Change, Severity};
use crate::lint::report::Report;
use crate::source::SourceMap;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
    /// `new` or `existing`, only with `lint --cluster FILES` (GitLab ignores fields it does
    /// not know).
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Change>,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn render(report: &Report, sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    let fingerprints = super::fingerprints(report, sources);
    let issues = report
        .diagnostics
        .iter()
        .zip(fingerprints)
        // Code Quality lists the problems of the code as it is; GitLab shows what a merge
        // request resolves by comparing with the target branch's report. A finding the files
        // fix is not a problem of theirs.
        .filter(|(d, _)| d.status != Some(Change::Fixed))
        .map(|(d, fingerprint)| {
            let (path, begin, end) = match super::position(d, sources) {
                Some((file, line, _, end_line, _)) => (file, line, end_line.max(line)),
                None => (d.file_hint.as_deref().unwrap_or_default().to_owned(), 1, 1),
            };
            Issue {
                // The widget shows only the description, so it names the code (and the
                // status) too.
                description: match d.status {
                    Some(s) => format!("{} [{s}]: {}", d.code(), d.message),
                    None => format!("{}: {}", d.code(), d.message),
                },
                check_name: d.code(),
                fingerprint,
                severity: severity(d.severity),
                location: Location {
                    path,
                    lines: Lines { begin, end },
                },
                status: d.status,
            }
        });
    serde_json::to_writer_pretty(&mut *out, &super::Streamed::new(issues))?;
    writeln!(out)
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
