//! End-to-end lint benchmark: the generated 12,001-object corpus loaded and checked (input
//! findings and schema validation with defaults), against load-only time for the same files.
//!
//! Run with `cargo bench --bench lint`.

#[path = "corpus.rs"]
mod corpus;

// The allocator the gwctl binary ships with, so that the numbers are the binary's.
gwctl::use_jemalloc!();

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gwctl::lint::{self, Settings};
use gwctl::load::{self, Input, Options};

fn lint_corpus(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let tenants = 1_000;
    corpus::write_corpus(&dir, tenants);
    let objects = (tenants * corpus::OBJECTS_PER_TENANT + corpus::SHARED_OBJECTS) as u64;
    let inputs = [Input::Path(dir)];
    let opts = Options::default();
    let settings = Settings::default();

    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Elements(objects));
    group.sample_size(10);
    group.bench_function("12k-objects", |b| {
        b.iter(|| {
            let loaded = load::load(&inputs, &opts, &mut std::io::empty());
            let checked = lint::check(loaded, &settings);
            assert_eq!(checked.report.objects as u64, objects);
            assert!(
                checked.report.diagnostics.is_empty(),
                "{:?}",
                &checked.report.diagnostics[..1]
            );
            checked.report.diagnostics.len()
        })
    });
    group.finish();
}

criterion_group!(benches, lint_corpus);
criterion_main!(benches);
