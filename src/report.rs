//! The result of a lint run, independent of how it is shown.
//!
//! Owns [`Report`]: the findings (sorted, so output never depends on thread timing), the
//! files and objects counted, and the inputs gwctl could not read. Renderers take a report
//! and the source map; the CLI derives the exit status from it.

use crate::diag::{Diagnostic, ObjectRef, Severity};
use crate::load::LoadError;
use crate::source::FileId;

#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub objects: usize,
    /// Every object checked, with its file, in the order read: formats that list what
    /// passed as well as what failed (JUnit) need them.
    pub object_refs: Vec<(FileId, ObjectRef)>,
    /// Inputs that could not be read; any of these makes the exit status 2.
    pub errors: Vec<LoadError>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Sort findings by file and position, and drop exact repeats (two passes may find the
    /// same thing through different paths).
    pub fn normalize(&mut self) {
        self.diagnostics.sort();
        self.diagnostics.dedup();
    }
}
