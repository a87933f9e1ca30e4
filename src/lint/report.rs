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
        sort_stable_in_place(&mut self.diagnostics);
        self.diagnostics.dedup();
    }
}

/// What `slice::sort` does (findings in [`Diagnostic`]'s order, ties in the order found),
/// without its scratch copy of the findings: a large run has tens of thousands of them,
/// and the copy was the run's peak of memory. The order is worked out on indices, then
/// applied by swapping each cycle of the permutation into place.
fn sort_stable_in_place(d: &mut [Diagnostic]) {
    use rayon::prelude::*;
    let mut order: Vec<usize> = (0..d.len()).collect();
    // On the pool: it is most of the time a large run spends sorting.
    let by = |&a: &usize, &b: &usize| d[a].cmp(&d[b]).then(a.cmp(&b));
    order.par_sort_unstable_by(by);
    // `order[i]` is the finding that belongs at `i`; a place is marked done by pointing it
    // at itself.
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            d.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    /// Findings with few distinct positions and codes, so that many tie; their help tells
    /// them apart, so that the order of ties shows.
    fn findings(seed: u64, n: usize) -> Vec<Diagnostic> {
        let rules = [
            &crate::load::rules::EMPTY_INPUT,
            &crate::load::rules::FILE_TOO_LARGE,
        ];
        let mut x = seed;
        let mut next = move |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        (0..n)
            .map(|i| {
                let d = Diagnostic::new(rules[next(2) as usize], format!("m{}", next(3)))
                    .help(format!("{i}"));
                match next(4) {
                    0 => d,
                    _ => {
                        let at = next(5) as usize;
                        d.at(FileId(next(3) as u32), Span::new(at, at + next(2) as usize))
                    }
                }
            })
            .collect()
    }

    #[test]
    fn sorts_as_a_stable_sort_does() {
        for seed in 1..200 {
            let mut ours = findings(seed, (seed % 60) as usize);
            let mut std_sorted = ours.clone();
            std_sorted.sort();
            sort_stable_in_place(&mut ours);
            assert_eq!(ours, std_sorted, "seed {seed}");
        }
    }
}
