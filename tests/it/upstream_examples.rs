//! Every upstream example of Gateway API v1.1.0 and v1.6.1 lints clean through the CLI at its
//! own release: standard examples under both channels, experimental ones under the
//! experimental channel. Each file is linted on its own, as upstream applies them: different
//! examples reuse object names. Reads ../shared/gateway-api, which CI must provide (see
//! common::shared_gateway_api).

use crate::common;

use common::{gwctl, shared_gateway_api, stdout};

fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

fn lint_clean(dir: &std::path::Path, release: &str, channel: &str) {
    let mut files = Vec::new();
    yaml_files(dir, &mut files);
    assert!(files.len() > 4, "{}", dir.display());
    for f in files {
        lint_file_clean(&f, release, channel);
    }
}

fn lint_file_clean(file: &std::path::Path, release: &str, channel: &str) {
    let out = gwctl()
        .args(["lint", "-o", "json", "--channel", channel])
        .args(["--gateway-api-version", release])
        .arg(file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(
        errors.is_empty() && out.status.code() == Some(0),
        "{} at {release} under {channel}: {}",
        file.display(),
        serde_json::to_string_pretty(&errors).unwrap()
    );
    assert!(
        v["summary"]["objects"].as_u64().unwrap() > 0,
        "{}",
        stdout(&out)
    );
}

#[test]
fn standard_examples_are_clean_under_both_channels() {
    let Some(shared) = shared_gateway_api() else {
        return;
    };
    for release in ["v1.1.0", "v1.6.1"] {
        let dir = shared.join(release).join("examples/standard");
        lint_clean(&dir, release, "standard");
        lint_clean(&dir, release, "experimental");
    }
}

#[test]
fn experimental_examples_are_clean_under_experimental() {
    let Some(shared) = shared_gateway_api() else {
        return;
    };
    for release in ["v1.1.0", "v1.6.1"] {
        let dir = shared.join(release).join("examples/experimental");
        lint_clean(&dir, release, "experimental");
    }
}
