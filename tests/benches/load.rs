//! Loading benchmark: 12,001 generated objects in 51 files, read from disk, parsed into
//! span-carrying trees and indexed, end to end as `gwctl lint` does before checks run.
//!
//! Run with `cargo bench --bench load`. The corpus is left in `target/bench-corpus/` so that
//! peak memory can be measured on the real binary:
//! `/usr/bin/time -v target/release/gwctl lint target/bench-corpus -o json > /dev/null`.

#[path = "corpus.rs"]
mod corpus;

// The allocator the gwctl binary ships with, so that the numbers are the binary's.
gwctl::use_jemalloc!();

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gwctl::load::{self, Input, Options};

fn load_corpus(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let tenants = 1_000;
    corpus::write_corpus(&dir, tenants);
    let objects = (tenants * corpus::OBJECTS_PER_TENANT + corpus::SHARED_OBJECTS) as u64;
    let inputs = [Input::Path(dir)];
    let opts = Options::default();

    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(objects));
    group.sample_size(20);
    group.bench_function("12k-objects", |b| {
        b.iter(|| {
            let loaded = load::load(&inputs, &opts, &mut std::io::empty());
            assert_eq!(loaded.inventory.len() as u64, objects);
            loaded
        })
    });
    group.finish();
}

criterion_group!(benches, load_corpus);
criterion_main!(benches);
