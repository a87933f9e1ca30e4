//! The result of a lint run, independent of how it is shown.
//!
//! Owns [`Report`]: the findings (sorted, so output never depends on thread timing), the
//! files and objects counted, the inputs gwctl could not read and those that yielded nothing. Renderers take a report
//! and the source map; the CLI derives the exit status from it.

use crate::diag::{Change, Diagnostic, ObjectRef, Severity};
use crate::load::LoadError;
use crate::source::FileId;

#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Files checked (context files not included).
    pub files: usize,
    /// Objects checked (those of context files not included).
    pub objects: usize,
    /// Context files read (`lint --context`): their objects took part in the cross-object
    /// checks, and nothing is reported about them. They are the last sources of the run.
    pub context_files: usize,
    /// Every object checked, with its file, in the order read: formats that list what
    /// passed as well as what failed (JUnit) need them.
    pub object_refs: Vec<(FileId, std::sync::Arc<ObjectRef>)>,
    /// Inputs that could not be read; any of these makes the exit status 2.
    pub errors: Vec<LoadError>,
    /// Inputs that yielded nothing while others did (a named folder without manifest
    /// files): the CLI warns about them on stderr; they do not change the exit status.
    pub warnings: Vec<LoadError>,
    /// A `gwctl test` run: its routing cases, passed and failed. Each case is one of
    /// `object_refs` (the formats name it like an object), and the files are test files.
    pub cases: Option<Cases>,
}

/// How many routing cases of a `gwctl test` run passed and failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Cases {
    pub passed: usize,
    pub failed: usize,
}

impl Report {
    /// Findings of this severity in the state linted; a finding `fixed` by local files over
    /// a cluster is no longer there, so it does not count.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity && d.status != Some(Change::Fixed))
            .count()
    }

    /// Findings with this status (`lint --cluster FILES` only).
    pub fn count_status(&self, status: Change) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.status == Some(status))
            .count()
    }

    /// Sort findings by file and position, and drop exact repeats (two passes may find the
    /// same thing through different paths).
    pub fn normalize(&mut self) {
        self.diagnostics.sort();
        self.diagnostics.dedup();
    }
}
