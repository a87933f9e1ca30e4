//! Upstream's own examples pass gwctl's structural validation, those of v1.1.0 at v1.1.0 and
//! those of v1.6.1 at v1.6.1.
//!
//! Upstream applies `examples/standard` under both channels and `examples/experimental` under
//! the experimental channel; every Gateway API object in them must validate clean here too,
//! except those the CRDs really reject (listed in [`KNOWN_REJECTED`] with the reason).
//! Objects of other APIs (Services, Deployments) are not covered by the store and skipped.
//!
//! Reads `../shared/gateway-api` beside the crate; skipped without it unless `CI=true`.

use std::path::{Path, PathBuf};

use gwctl::schema::{Channel, Lookup, Release, Store, validate};

/// Examples the v1.1.0 CRDs reject for structural reasons: (file, reason). Empty: upstream's
/// examples are all structurally valid; the ones the API server rejects fail CEL rules,
/// which are not this module's business.
const KNOWN_REJECTED: &[(&str, &str)] = &[];

use crate::common;

fn examples(tag: &str) -> Option<PathBuf> {
    common::shared_gateway_api().map(|d| d.join(tag).join("examples"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

fn split_api_version(av: &str) -> (&str, &str) {
    av.rsplit_once('/').unwrap_or(("", av))
}

#[test]
fn upstream_examples_validate_clean() {
    for tag in ["v1.1.0", "v1.6.1"] {
        let Some(root) = examples(tag) else { return };
        examples_validate_clean(&root, &Store::for_release(Release::parse(tag).unwrap()));
    }
}

fn examples_validate_clean(root: &Path, store: &Store) {
    let mut problems = Vec::new();
    let mut validated = 0usize;
    for (sub, channels) in [
        ("standard", &[Channel::Standard, Channel::Experimental][..]),
        ("experimental", &[Channel::Experimental][..]),
    ] {
        let mut files = Vec::new();
        yaml_files(&root.join(sub), &mut files);
        assert!(!files.is_empty());
        for f in files {
            let rel = f.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let known = KNOWN_REJECTED.iter().any(|(k, _)| *k == rel);
            let text = std::fs::read_to_string(&f).unwrap();
            let docs =
                gwctl::yaml::parse_json_documents(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            for doc in docs {
                let (Some(av), Some(kind)) = (doc["apiVersion"].as_str(), doc["kind"].as_str())
                else {
                    continue;
                };
                let (group, version) = split_api_version(av);
                for &channel in channels {
                    let schema = match store.lookup(group, version, kind, channel) {
                        Lookup::Served(s) => s,
                        Lookup::NotCovered => continue,
                        other => {
                            problems.push(format!("{rel} ({channel}): {av} {kind}: {other:?}"));
                            continue;
                        }
                    };
                    let mut obj = doc.clone();
                    let vs = validate(schema, &mut obj);
                    validated += 1;
                    if !vs.is_empty() && !known {
                        for v in vs {
                            problems.push(format!(
                                "{rel} ({channel}) {kind}: {} {}: {}",
                                v.code(),
                                v.path,
                                v.message
                            ));
                        }
                    } else if vs.is_empty() && known {
                        problems.push(format!(
                            "{rel} ({channel}): listed as rejected but validates clean"
                        ));
                    }
                }
            }
        }
    }
    assert!(validated > 50, "only {validated} objects validated");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
