//! How far a run has got, as counters that another thread may read while it works: files
//! to read, files read, objects read (and, in lint, checked by the per-object passes), and
//! files finished by a command that handles files one by one (`migrate`).
//!
//! The loader counts into the [`Progress`] of its [`super::Options`]; the command line shows
//! the counts ([`crate::cli`]). Counting costs a relaxed atomic add per file and per batch
//! of objects, never per field, so it is always on: nothing to decide, nothing to measure
//! twice. Nothing here reads a clock or knows about terminals.

use std::sync::atomic::{AtomicU64, Ordering};

/// The counters of one run; shared (an `Arc` in [`super::Options`]) with whoever shows them.
#[derive(Debug, Default)]
pub struct Progress {
    files_total: AtomicU64,
    files_read: AtomicU64,
    objects: AtomicU64,
    files_done: AtomicU64,
}

/// The counters at one moment, as plain numbers.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Files the run will read (0 until the inputs are found).
    pub files_total: u64,
    /// Files read and parsed so far.
    pub files_read: u64,
    /// Objects read so far; in lint, also validated (schema, CEL).
    pub objects: u64,
    /// Files a command has finished with (written, diffed); 0 for lint.
    pub files_done: u64,
}

impl Progress {
    /// Add `n` files to the run's total (every batch of inputs found adds its own).
    pub fn add_total(&self, n: usize) {
        self.files_total.fetch_add(n as u64, Ordering::Relaxed);
    }

    pub fn file_read(&self) {
        self.files_read.fetch_add(1, Ordering::Relaxed);
    }

    pub fn objects_read(&self, n: usize) {
        self.objects.fetch_add(n as u64, Ordering::Relaxed);
    }

    pub fn file_done(&self) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts now. Each is read on its own: a reader may see a file counted read before
    /// its objects, which a progress line does not mind.
    pub fn counts(&self) -> Counts {
        Counts {
            files_total: self.files_total.load(Ordering::Relaxed),
            files_read: self.files_read.load(Ordering::Relaxed),
            objects: self.objects.load(Ordering::Relaxed),
            files_done: self.files_done.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_was_added() {
        let p = Progress::default();
        p.add_total(3);
        p.add_total(2);
        p.file_read();
        p.file_read();
        p.objects_read(7);
        p.file_done();
        assert_eq!(
            p.counts(),
            Counts {
                files_total: 5,
                files_read: 2,
                objects: 7,
                files_done: 1
            }
        );
    }
}
