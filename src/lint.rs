//! The lint pipeline: loaded inputs → every check → one report.
//!
//! Owns the order of passes (input findings from loading, then schema validation of each
//! Gateway API object); later passes plug in here. Knows nothing about output.

use crate::load::Loaded;
use crate::report::Report;
use crate::source::SourceMap;

/// A finished lint run: the report and the sources its positions refer to.
pub struct Checked {
    pub report: Report,
    pub sources: SourceMap,
}

impl Checked {
    pub fn normalize(&mut self) {
        self.report.normalize();
    }
}

pub fn check(loaded: Loaded) -> Checked {
    let report = Report {
        files: loaded.sources.len(),
        objects: loaded.inventory.len(),
        diagnostics: loaded.diagnostics,
        errors: loaded.errors,
    };
    Checked {
        report,
        sources: loaded.sources,
    }
}
