//! `gwctl upgrade`: each fixture under tests/fixtures/upgrade (first line `# args: ...`, the
//! flags it runs with) is checked by the built binary, human and JSON output snapshotted
//! under snapshots/upgrade; it must report its code and nothing about the objects marked OK.
//! Then the exit status and every output format, and `--cluster` against the fake API
//! server (release and channel from the CRDs' annotations, storedVersions, the
//! safe-upgrades policy).

use crate::common;

use std::time::Duration;

use common::fake_api::FakeApi;
use common::{fixtures, gwctl, snapshot_settings, stderr, stdout};
use serde_json::Value;

fn args_of(text: &str) -> Vec<String> {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("# args:"))
        .map(|a| a.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn codes(v: &Value) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or_default().to_owned(),
                        d["object"]["name"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn upgrade_fixtures() {
    let dir = fixtures().join("upgrade");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures are missing: {names:?}");
    let settings = snapshot_settings("upgrade");
    settings.bind(|| {
        for name in &names {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            let args = args_of(&text);
            assert!(!args.is_empty(), "{name} has no `# args:` line");
            let human = gwctl()
                .current_dir(&dir)
                .arg("upgrade")
                .args(&args)
                .arg(name)
                .output()
                .unwrap();
            let json = gwctl()
                .current_dir(&dir)
                .args(["upgrade", "-o", "json"])
                .args(&args)
                .arg(name)
                .output()
                .unwrap();
            assert_eq!(human.status.code(), json.status.code(), "{name}");
            let v: Value = serde_json::from_str(&stdout(&json))
                .unwrap_or_else(|e| panic!("{name}: {e}\n{}", stderr(&json)));
            let code = name.split('_').next().unwrap();
            let found = codes(&v);
            assert!(
                found.iter().any(|(c, _)| c == code),
                "{name} does not report {code}: {found:?}\n{}",
                stdout(&human)
            );
            assert!(
                found.iter().all(|(_, o)| !o.starts_with("ok")),
                "{name}: an object marked OK has a finding: {found:?}"
            );
            let errors = v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["severity"] == "error");
            assert_eq!(human.status.code(), Some(i32::from(errors)), "{name}");
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
            insta::assert_snapshot!(format!("{name}.json"), stdout(&json));
        }
    });
}

#[test]
fn every_format_of_lint_works_and_the_exit_status_is_lints() {
    let dir = fixtures().join("upgrade");
    for format in [
        "human", "json", "sarif", "junit", "github", "gitlab", "compact",
    ] {
        let out = gwctl()
            .current_dir(&dir)
            .args(["upgrade", "--from", "v1.4", "--to", "v1.5", "-o", format])
            .arg("GW521_rejected-after-upgrade.yaml")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("GW521") || format == "gitlab",
            "{format}: {}",
            stdout(&out)
        );
    }
    // Nothing blocks an upgrade to the same release.
    let out = gwctl()
        .current_dir(&dir)
        .args(["upgrade", "--from", "v1.5", "--to", "v1.5"])
        .arg("GW521_rejected-after-upgrade.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // No --from without --cluster is a usage error.
    let out = gwctl()
        .current_dir(&dir)
        .args(["upgrade", "--to", "v1.5"])
        .arg("GW521_rejected-after-upgrade.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--from is required"),
        "{}",
        stderr(&out)
    );
}

fn upgrade_cluster(api: &FakeApi, args: &[&str]) -> (Option<i32>, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let out = gwctl()
        .args(["upgrade", "--cluster", "-A", "-o", "json", "--kubeconfig"])
        .arg(&kc)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let v = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    (out.status.code(), v, stderr(&out))
}

/// The installed release comes from the CRDs' bundle-version annotation, and a CRD whose
/// storedVersions lists a version the new release drops is reported.
#[test]
fn cluster_stored_versions_and_the_installed_release() {
    let api = FakeApi::start();
    let installed = api.install_crds("v1.1.1", "standard", |plural, crd| {
        if plural == "grpcroutes" {
            crd["status"] = serde_json::json!({"storedVersions": ["v1alpha2", "v1"]});
        }
    });
    if installed.is_none() {
        return;
    }
    let (code, v, err) = upgrade_cluster(&api, &["--to", "v1.2"]);
    assert_eq!(code, Some(1), "{v}\n{err}");
    let d: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GW523")
        .collect();
    assert_eq!(d.len(), 1, "{v}");
    let message = d[0]["message"].as_str().unwrap();
    assert!(
        message.contains("grpcroutes.gateway.networking.k8s.io")
            && message.contains("stored at v1alpha2")
            && message.contains("v1.2.1"),
        "{message}"
    );
    // Staying on the installed release: nothing to report.
    let (code, v, err) = upgrade_cluster(&api, &["--to", "v1.1.1"]);
    assert_eq!(code, Some(0), "{v}\n{err}");
}

/// v1.5's safe-upgrades policy denies experimental CRDs over standard ones, and releases
/// before v1.5.
#[test]
fn cluster_safe_upgrades_policy() {
    let api = FakeApi::start();
    if api.install_crds("v1.5.1", "standard", |_, _| {}).is_none() {
        return;
    }
    let gw524 = |v: &Value| {
        v["diagnostics"]
            .as_array()
            .map(|l| l.iter().filter(|d| d["code"] == "GW524").count())
            .unwrap_or(0)
    };
    let (code, v, err) = upgrade_cluster(&api, &["--to", "v1.6", "--channel", "experimental"]);
    assert_eq!(code, Some(1), "{v}\n{err}");
    assert_eq!(gw524(&v), 1, "{v}");
    let (code, v, err) = upgrade_cluster(&api, &["--to", "v1.4"]);
    assert_eq!(code, Some(1), "{v}\n{err}");
    assert_eq!(gw524(&v), 1, "{v}");
    let (code, v, err) = upgrade_cluster(&api, &["--to", "v1.6"]);
    assert_eq!(gw524(&v), 0, "{v}\n{err}");
    assert_eq!(code, Some(0), "{v}\n{err}");
}

/// The cluster's Kubernetes is held against the target release: v1.6.1's standard CRDs use
/// the CEL IP library (Kubernetes 1.31) and support 1.32–1.36.
#[test]
fn kubernetes_too_old_for_the_target_release() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("class.yaml");
    std::fs::write(
        &file,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: x}\nspec: {controllerName: a.example/b}\n",
    )
    .unwrap();
    let run = |kube: &str| {
        let out = gwctl()
            .args(["upgrade", "--from", "v1.3", "--to", "v1.6", "-o", "json"])
            .args(["--kubernetes-version", kube])
            .arg(&file)
            .output()
            .unwrap();
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        (out.status.code(), codes(&v))
    };
    let (code, found) = run("1.30");
    assert_eq!(code, Some(1), "{found:?}");
    let found: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(found, ["GW605", "GW606"]);
    let (code, found) = run("1.33");
    assert_eq!(code, Some(0), "{found:?}");
}

/// With --cluster, the API server's own version is held against the target release.
#[test]
fn cluster_kubernetes_version_against_the_target_release() {
    let api = FakeApi::start();
    if api.install_crds("v1.4.1", "standard", |_, _| {}).is_none() {
        return;
    }
    api.with(|s| s.kubernetes = common::fake_api::version_info("1", "30", "v1.30.4"));
    let (code, v, err) = upgrade_cluster(&api, &["--to", "v1.6"]);
    assert_eq!(code, Some(1), "{v}\n{err}");
    let found: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| c.starts_with("GW60"))
        .collect();
    assert_eq!(found, ["GW605", "GW606"], "{v}");
    // The same cluster can take v1.4, which it runs.
    let (_, v, _) = upgrade_cluster(&api, &["--to", "v1.4"]);
    assert!(!v.to_string().contains("GW605"), "{v}");
}
