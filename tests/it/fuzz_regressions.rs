//! Every minimised input the fuzzers found a crash, hang or out-of-memory with, run through
//! the same entry point as its fuzz target (`tests/fuzz/harness.rs`), which asserts that
//! gwctl does not panic and, for migrate, that the output re-reads, validates and is
//! idempotent. Inputs live in `tests/fixtures/fuzz-regressions/<target>/`.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

fn run_all(target: &str, entry: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz-regressions")
        .join(target);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<_> = rd.map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let r = std::panic::catch_unwind(|| entry(&data));
        assert!(r.is_ok(), "{} panics", f.display());
    }
}

#[test]
fn yaml_regressions() {
    run_all("yaml", harness::yaml);
}

#[test]
fn lint_regressions() {
    run_all("lint", harness::lint);
}

#[test]
fn simulate_regressions() {
    run_all("simulate", harness::simulate);
}

#[test]
fn migrate_regressions() {
    run_all("migrate", harness::migrate);
}
