//! gwctl beside kubeconform, in the same run: the release binary and `kubeconform` (when one
//! is on `PATH`) take turns on the examples corpus ([`upstream`]) and on one small file, and
//! the bench prints each one's CPU time, wall time and peak memory (medians) and gwctl's
//! ratios. The pairs alternate so that a busy machine slows both alike.
//!
//! kubeconform checks JSON Schema only, so it gets the same release's CRD schemas as gwctl
//! bundles, converted the way kubeconform's `openapi2jsonschema` does for `-strict`
//! (`additionalProperties: false` on every object with declared properties), written to
//! `target/kubeconform-schemas/<release>/` from `../shared/gateway-api/<release>/crd`.
//! kubeconform skips the kinds that have no schema there (Namespaces, Services:
//! `-ignore-missing-schemas`, as it would offline).
//!
//! kubeconform is not a dependency of gwctl: without it on `PATH` the bench says so and
//! measures nothing. Run with `cargo bench --bench kubeconform` (Linux and other Unix systems
//! with `wait4`); `GWCTL_BENCH_PAIRS` sets the number of pairs (default 7).

mod upstream;
mod usage;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use usage::{Usage, median, run};

/// `kubeconform` on `PATH`, if there is one.
fn kubeconform() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("kubeconform"))
        .find(|p| p.is_file())
}

/// Marks every object schema with declared properties as closed, as `openapi2jsonschema`
/// does for kubeconform's `-strict`.
fn close_objects(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            m.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// Writes `<kind>-<group>-<version>.json` for every version of every CRD of `release`
/// (both channels; the experimental CRDs hold every standard kind), and returns the folder.
fn schemas(root: &Path, release: &str) -> PathBuf {
    let out = root.join("target/kubeconform-schemas").join(release);
    std::fs::create_dir_all(&out).unwrap();
    let crds = root.join("../shared/gateway-api").join(release).join("crd");
    for channel in ["standard", "experimental"] {
        let dir = crds.join(channel);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read the CRDs in {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for doc in gwctl::yaml::parse_json_documents(&text).unwrap() {
                if doc["kind"] != "CustomResourceDefinition" {
                    continue;
                }
                let spec = &doc["spec"];
                let kind = spec["names"]["kind"].as_str().unwrap().to_lowercase();
                let group = spec["group"].as_str().unwrap();
                for version in spec["versions"].as_array().unwrap() {
                    let mut schema = version["schema"]["openAPIV3Schema"].clone();
                    close_objects(&mut schema);
                    let name = version["name"].as_str().unwrap();
                    std::fs::write(
                        out.join(format!("{kind}-{group}-{name}.json")),
                        serde_json::to_vec(&schema).unwrap(),
                    )
                    .unwrap();
                }
            }
        }
    }
    out
}

fn report(name: &str, gwctl: &[Usage], kc: &[Usage]) {
    let med = |u: &[Usage], f: fn(&Usage) -> Duration| median(u.iter().map(f).collect());
    let (g_cpu, k_cpu) = (med(gwctl, |u| u.cpu), med(kc, |u| u.cpu));
    let (g_wall, k_wall) = (med(gwctl, |u| u.wall), med(kc, |u| u.wall));
    let rss = |u: &[Usage]| median(u.iter().map(|u| u.max_rss_kb).collect());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{name}");
    println!(
        "  gwctl        {:>9.1} ms CPU {:>9.1} ms wall {:>8} KB",
        ms(g_cpu),
        ms(g_wall),
        rss(gwctl)
    );
    println!(
        "  kubeconform  {:>9.1} ms CPU {:>9.1} ms wall {:>8} KB",
        ms(k_cpu),
        ms(k_wall),
        rss(kc)
    );
    println!(
        "  gwctl / kubeconform: {:.2} CPU, {:.2} wall; gwctl wall / CPU: {:.2}",
        g_cpu.as_secs_f64() / k_cpu.as_secs_f64(),
        g_wall.as_secs_f64() / k_wall.as_secs_f64(),
        g_wall.as_secs_f64() / g_cpu.as_secs_f64(),
    );
}

fn main() {
    let Some(kc) = kubeconform() else {
        println!(
            "kubeconform is not on PATH: nothing to compare gwctl with (see this bench's docs)"
        );
        return;
    };
    let pairs: usize = std::env::var("GWCTL_BENCH_PAIRS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gwctl = PathBuf::from(env!("CARGO_BIN_EXE_gwctl"));
    let corpus = upstream::examples_x100();
    // A Gateway and an HTTPRoute: the size of a file a pre-commit hook checks.
    let small = corpus.join("copy-000/standard/basic-http.yaml");
    assert!(
        small.is_file(),
        "{} is missing from the corpus",
        small.display()
    );
    println!(
        "gwctl and {} in turns, {pairs} pairs, medians (KB of 1,024 bytes)",
        kc.display()
    );
    for (release, pin) in [("v1.6.1", None), ("v1.1.0", Some("v1.1.0"))] {
        let location = format!(
            "{}/{{{{.ResourceKind}}}}-{{{{.Group}}}}-{{{{.ResourceAPIVersion}}}}.json",
            schemas(root, release).display()
        );
        for (what, path) in [
            ("examples x100", corpus.as_path()),
            ("one small file", &small),
        ] {
            let path = path.display().to_string();
            let mut g_args = vec!["lint".to_string(), "-o".into(), "compact".into()];
            if let Some(r) = pin {
                g_args.extend(["--gateway-api-version".to_string(), r.to_string()]);
            }
            g_args.push(path.clone());
            let k_args: Vec<String> = [
                "-strict",
                "-summary",
                "-ignore-missing-schemas",
                "-schema-location",
                &location,
                &path,
            ]
            .map(String::from)
            .to_vec();
            let (mut g, mut k) = (Vec::new(), Vec::new());
            for _ in 0..pairs {
                g.push(run(&gwctl, &g_args));
                k.push(run(&kc, &k_args));
            }
            let how = if pin.is_some() {
                "pinned to v1.1.0"
            } else {
                "at its default release"
            };
            report(
                &format!("{what}, gwctl {how}, kubeconform with {release}'s CRDs"),
                &g,
                &k,
            );
        }
    }
}
