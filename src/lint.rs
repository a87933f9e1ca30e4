//! The lint pipeline: loaded inputs → every check → one report.
//!
//! Owns the order of passes (input findings from loading, then schema validation of each
//! object whose kind the schema store covers, with defaults applied); later passes plug in
//! here. Knows nothing about output.

use crate::load::Loaded;
use crate::report::Report;
use crate::schema::{Channel, Store};
use crate::source::SourceMap;

/// What the checks are run against.
#[derive(Clone, Debug)]
pub struct Settings {
    pub store: Store,
    pub channel: Channel,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            store: Store::bundled(),
            channel: Channel::default(),
        }
    }
}

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

pub fn check(mut loaded: Loaded, settings: &Settings) -> Checked {
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(crate::checks::schema::check(
        &mut loaded.inventory,
        &settings.store,
        settings.channel,
    ));
    let report = Report {
        files: loaded.sources.len(),
        objects: loaded.inventory.len(),
        diagnostics,
        errors: loaded.errors,
    };
    Checked {
        report,
        sources: loaded.sources,
    }
}
