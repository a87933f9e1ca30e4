//! CEL benchmark: evaluating every rule of every upstream v1.1.0 example object (standard
//! examples in the standard channel, experimental ones in the experimental channel), after
//! defaulting, which is done once outside the timed loop. Plus the fixtures of
//! `tests/fixtures/cel/`, which exercise every rule.
//!
//! Run with `cargo bench --bench cel`; criterion reports time per iteration and objects per
//! second (`Throughput::Elements`), so the cost per object is the inverse.

// The allocator the gwctl binary ships with, so that the numbers are the binary's.
gwctl::use_jemalloc!();

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gwctl::schema::{Channel, Lookup, ObjectSchema, Release, Store};
use serde_json::Value;

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Defaulted objects with their schema and channel.
fn corpus(store: &Store) -> Vec<(ObjectSchema, Value)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let examples = manifest.join("../shared/gateway-api/v1.1.0/examples");
    let mut files: Vec<(PathBuf, Channel)> = yaml_files(&examples)
        .into_iter()
        .map(|p| {
            let exp = p
                .strip_prefix(&examples)
                .is_ok_and(|r| r.starts_with("experimental"));
            (
                p,
                if exp {
                    Channel::Experimental
                } else {
                    Channel::Standard
                },
            )
        })
        .collect();
    files.extend(
        yaml_files(&manifest.join("tests/fixtures/cel"))
            .into_iter()
            .map(|p| (p, Channel::Experimental)),
    );
    let mut out = Vec::new();
    for (file, channel) in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let Ok(docs) = gwctl::yaml::parse_json_documents(&text) else {
            continue;
        };
        for mut doc in docs {
            let api = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
            let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
            let (group, version) = api.rsplit_once('/').unwrap_or(("", api));
            if let Lookup::Served(s) = store.lookup(group, version, kind, channel) {
                let s = s.clone();
                gwctl::schema::validate(&s, &mut doc);
                out.push((s, doc));
            }
        }
    }
    out
}

fn evaluate_all(c: &mut Criterion) {
    let mut group = c.benchmark_group("cel");
    // The same v1.1.0 objects under the rules of v1.1.0 and of the default release, v1.6.1.
    for release in ["v1.1.0", "v1.6.1"] {
        let store = Store::for_release(Release::parse(release).unwrap());
        let objects = corpus(&store);
        group.throughput(Throughput::Elements(objects.len() as u64));
        group.bench_function(format!("{release}/{}-objects", objects.len()), |b| {
            b.iter(|| {
                objects
                    .iter()
                    .map(|(s, o)| gwctl::cel::evaluate(s, o, None).len())
                    .sum::<usize>()
            })
        });
        if std::env::var_os("GWCTL_BENCH_DROP").is_some() {
            let pat = std::env::var("GWCTL_BENCH_DROP").unwrap();
            fn strip(n: &mut gwctl::schema::Node, pat: &str) {
                n.rules.retain(|r| !r.rule.contains(pat));
                for c in n.properties.values_mut() {
                    strip(c, pat);
                }
                if let Some(i) = n.items.as_deref_mut() {
                    strip(i, pat);
                }
            }
            let stripped: Vec<(ObjectSchema, Value)> = objects
                .iter()
                .map(|(s, o)| {
                    let mut s = s.clone();
                    let mut root = (*s.root).clone();
                    strip(&mut root, &pat);
                    s.root = std::sync::Arc::new(root);
                    (s, o.clone())
                })
                .collect();
            group.bench_function(format!("{release}/without"), |b| {
                b.iter(|| {
                    stripped
                        .iter()
                        .map(|(s, o)| gwctl::cel::evaluate(s, o, None).len())
                        .sum::<usize>()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, evaluate_all);
criterion_main!(benches);
