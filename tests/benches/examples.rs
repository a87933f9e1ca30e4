//! The performance targets' corpus: the upstream Gateway API v1.1.0 examples copied 100 times
//! (about 7,000 files and 9,300 objects), parse-only against full lint (schemas with
//! defaults, CEL, references) in the same run, measured in CPU time of the whole process
//! (every rayon thread counts), which is what the targets are stated in. Full lint runs at
//! Gateway API v1.1.0 (the examples' own release) and at v1.6.1 (the default, whose larger
//! schemas and rule sets must not cost much more).
//!
//! The copies are generated into `target/examples-corpus/` from
//! `../shared/gateway-api/v1.1.0/examples` (never committed) and left there so that the
//! release binary can be measured on them too:
//! `/usr/bin/time -v target/release/gwctl lint target/examples-corpus -o json > /dev/null`.
//! The copies repeat every object 100 times, so the full lint also reports every duplicate:
//! that is part of the work measured.
//!
//! Run with `cargo bench --bench examples`.

// The allocator the gwctl binary ships with, so that the numbers are the binary's.
gwctl::use_jemalloc!();

mod upstream;

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gwctl::lint::{self, Settings};
use gwctl::load::{self, Input, Options};

/// CPU time of the whole process (`CLOCK_PROCESS_CPUTIME_ID`): the sum over all threads, so
/// that work spread over rayon's threads is not hidden by wall-clock time.
struct CpuTime;

fn process_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec and the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

impl Measurement for CpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        process_cpu()
    }
    fn end(&self, start: Duration) -> Duration {
        process_cpu().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, _typical: f64, values: &mut [f64]) -> &'static str {
        values.iter_mut().for_each(|v| *v /= 1e6);
        "ms CPU"
    }
    fn scale_throughputs(&self, _typical: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        let n = match t {
            Throughput::Elements(n)
            | Throughput::Bytes(n)
            | Throughput::BytesDecimal(n)
            | Throughput::Bits(n) => *n,
        } as f64;
        values.iter_mut().for_each(|v| *v = n * 1e9 / *v);
        "elem/CPU s"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn examples(c: &mut Criterion<CpuTime>) {
    let dir = upstream::examples_x100();
    let inputs = [Input::Path(dir)];
    let opts = Options::default();
    let at = |release: &str| Settings {
        store: gwctl::schema::Store::for_release(gwctl::schema::Release::parse(release).unwrap()),
        ..Settings::default()
    };
    let objects = load::load(&inputs, &opts, &mut std::io::empty())
        .inventory
        .len() as u64;
    assert!(objects > 9_000, "{objects} objects");

    let mut group = c.benchmark_group("examples-x100");
    group.throughput(Throughput::Elements(objects));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("parse-only", |b| {
        b.iter(|| load::load(&inputs, &opts, &mut std::io::empty()))
    });
    for (name, release) in [("full-lint-v1.1", "v1.1.0"), ("full-lint-v1.6", "v1.6.1")] {
        let settings = at(release);
        group.bench_function(name, |b| {
            b.iter(|| {
                // As `gwctl lint` runs it: each object checked as its file is read.
                let checked =
                    lint::load_and_check(&inputs, &opts, &mut std::io::empty(), &settings);
                assert_eq!(checked.report.objects as u64, objects);
                checked.report.diagnostics.len()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(CpuTime);
    targets = examples
}
criterion_main!(benches);
