//! Choosing the Gateway API release: the flag, the configuration file, the installed CRDs,
//! and findings that change from one release to the next.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common;
use common::fake_api::FakeApi;
use common::{gwctl, stderr, stdout};

/// `gwctl lint -o json ARGS in.yaml` with `text` as in.yaml (and `config` as .gwctl.yaml):
/// exit code, stderr and the JSON report (null when there is none).
fn lint(text: &str, config: Option<&str>, args: &[&str]) -> (Option<i32>, String, Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.yaml"), text).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join(".gwctl.yaml"), c).unwrap();
    }
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "-o", "json"])
        .args(args)
        .arg("in.yaml")
        .output()
        .unwrap();
    let report = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    (out.status.code(), stderr(&out), report)
}

/// `(code, message)` of every finding.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap().to_owned(),
                        d["message"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn codes(report: &Value) -> Vec<String> {
    findings(report).into_iter().map(|(c, _)| c).collect()
}

const CORS_ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: shop}\nspec:\n  rules:\n  - filters:\n    - type: CORS\n      cors: {allowOrigins: ['https://shop.example']}\n    backendRefs: [{name: app, port: 8080}]\n";

#[test]
fn an_unknown_release_is_refused_with_the_known_ones() {
    for bad in ["v1.9", "v2", "latest", "1.5.7", "v1.0"] {
        let (code, err, _) = lint(CORS_ROUTE, None, &["--gateway-api-version", bad]);
        assert_eq!(code, Some(2), "{bad}: {err}");
        assert!(
            err.contains("unknown Gateway API release") && err.contains("v1.6.1"),
            "{bad}: {err}"
        );
    }
    // A minor means its newest patch, with or without the `v`.
    for good in ["v1.5", "1.5", "v1.5.1", "1.5.0"] {
        let (code, err, v) = lint(CORS_ROUTE, None, &["--gateway-api-version", good]);
        assert_eq!(code, Some(0), "{good}: {err}\n{v:#}");
    }
}

#[test]
fn the_release_decides_what_a_field_is() {
    // v1.4: CORS is experimental only. v1.2: no release channel has it yet. v1.5: standard.
    let (code, _, v) = lint(CORS_ROUTE, None, &["--gateway-api-version", "v1.4"]);
    assert_eq!(code, Some(1));
    let found = findings(&v);
    assert!(
        found.iter().any(|(c, m)| c == "GW102"
            && m == "field `cors` needs Gateway API v1.5 (standard channel); this lint targets v1.4.1, whose experimental channel has it (v1.3+)"),
        "{found:?}"
    );
    let (_, _, v) = lint(
        CORS_ROUTE,
        None,
        &["--gateway-api-version", "v1.2", "--channel", "experimental"],
    );
    assert!(
        findings(&v)
            .iter()
            .any(|(c, m)| c == "GW120"
                && m.contains("needs Gateway API v1.3 (experimental channel)")),
        "{v:#}"
    );
    // Removed: sessionPersistence.idleTimeout is gone in v1.6.
    let idle = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: shop}\nspec:\n  rules:\n  - sessionPersistence: {sessionName: s, idleTimeout: 10m, absoluteTimeout: 1h}\n    backendRefs: [{name: app, port: 8080}]\n";
    let exp = ["--channel", "experimental", "--gateway-api-version"];
    let (code, _, _) = lint(idle, None, &[&exp[..], &["v1.5"]].concat());
    assert_eq!(code, Some(0));
    let (_, _, v) = lint(idle, None, &[&exp[..], &["v1.6"]].concat());
    assert!(
        findings(&v).iter().any(|(c, m)| c == "GW120"
            && m.starts_with("field `idleTimeout` was removed in Gateway API v1.6")),
        "{v:#}"
    );
}

#[test]
fn constraints_that_tightened_are_findings_of_their_release() {
    let cases: &[(&str, &str, &[&str], bool)] = &[
        // HTTPRoute `rules` needs an entry since v1.5.
        (
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules: []\n",
            "GW109",
            &["v1.4", "v1.5.0"],
            false,
        ),
        // retry attempts at least 1 in v1.6, experimental.
        (
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n  - retry: {attempts: 0}\n    backendRefs: [{name: a, port: 1}]\n",
            "GW107",
            &["v1.5", "v1.6"],
            true,
        ),
    ];
    for (text, code, [before, after], experimental) in cases.iter().map(|(t, c, r, e)| {
        let pair: [&str; 2] = [r[0], r[1]];
        (t, c, pair, e)
    }) {
        let channel = if *experimental {
            "experimental"
        } else {
            "standard"
        };
        let (_, _, old) = lint(
            text,
            None,
            &["--channel", channel, "--gateway-api-version", before],
        );
        let (_, _, new) = lint(
            text,
            None,
            &["--channel", channel, "--gateway-api-version", after],
        );
        assert!(
            !codes(&old).contains(&code.to_string()),
            "{before}: {old:#}"
        );
        assert!(codes(&new).contains(&code.to_string()), "{after}: {new:#}");
    }
}

/// TCPRoute v1 (v1.6) allows one rule; v1alpha2, still served by the experimental channel,
/// allows sixteen.
#[test]
fn tcproute_v1_takes_one_rule() {
    let two = |version: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/{version}\nkind: TCPRoute\nmetadata: {{name: r}}\nspec:\n  rules:\n  - backendRefs: [{{name: a, port: 1}}]\n  - backendRefs: [{{name: b, port: 2}}]\n"
        )
    };
    let (_, _, v1) = lint(&two("v1"), None, &["--gateway-api-version", "v1.6"]);
    assert!(
        findings(&v1)
            .iter()
            .any(|(c, m)| c == "GW109" && m.contains("at most 1")),
        "{v1:#}"
    );
    let (_, _, old) = lint(
        &two("v1alpha2"),
        None,
        &["--gateway-api-version", "v1.6", "--channel", "experimental"],
    );
    assert!(!codes(&old).contains(&"GW109".to_string()), "{old:#}");
    assert!(codes(&old).contains(&"GW510".to_string()), "{old:#}");
}

#[test]
fn the_configuration_file_chooses_the_release_and_the_flag_wins() {
    let (code, _, v) = lint(CORS_ROUTE, Some("gatewayAPIVersion: v1.4\n"), &[]);
    assert_eq!(code, Some(1));
    assert!(codes(&v).contains(&"GW102".to_string()), "{v:#}");
    let (code, _, _) = lint(
        CORS_ROUTE,
        Some("gatewayAPIVersion: v1.4\n"),
        &["--gateway-api-version", "v1.5"],
    );
    assert_eq!(code, Some(0));
    // YAML reads 1.10 as 1.1: a number is refused with the spelling to use.
    let (code, err, _) = lint(CORS_ROUTE, Some("gatewayAPIVersion: 1.5\n"), &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("gatewayAPIVersion: v1.5"), "{err}");
    let (code, err, _) = lint(CORS_ROUTE, Some("gatewayAPIVersion: v1.9\n"), &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(".gwctl.yaml") && err.contains("v1.6.1"),
        "{err}"
    );
}

#[test]
fn version_says_the_releases_gwctl_knows() {
    let out = gwctl().arg("--version").output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains(
            "v1.1.0, v1.1.1, v1.2.0, v1.2.1, v1.3.0, v1.4.0, v1.4.1, v1.5.0, v1.5.1, v1.6.0, v1.6.1"
        ) && text.contains("default v1.6.1"),
        "{text}"
    );
}

#[test]
fn migrate_moves_to_what_the_release_serves() {
    let old = "apiVersion: gateway.networking.k8s.io/v1alpha3\nkind: BackendTLSPolicy\nmetadata: {name: p}\nspec:\n  targetRefs: [{group: '', kind: Service, name: s}]\n  validation: {hostname: s.example, wellKnownCACertificates: System}\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.yaml");
    std::fs::write(&file, old).unwrap();
    let run = |release: &str| {
        gwctl()
            .args(["migrate", "--gateway-api-version", release])
            .arg(&file)
            .output()
            .unwrap()
    };
    let v1_3 = run("v1.3");
    assert_eq!(stdout(&v1_3), old, "{}", stderr(&v1_3));
    let v1_4 = run("v1.4");
    assert_eq!(
        stdout(&v1_4),
        old.replace("/v1alpha3\n", "/v1\n"),
        "{}",
        stderr(&v1_4)
    );
}

/// `gwctl lint --cluster -o json ARGS FILES` against `api`.
fn lint_cluster(api: &FakeApi, args: &[&str], files: &[&Path]) -> (Option<i32>, String, Value) {
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let out = gwctl()
        .args(["lint", "--cluster", "-o", "json", "--kubeconfig"])
        .arg(&kc)
        .args(args)
        .args(files)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let report = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    (out.status.code(), stderr(&out), report)
}

fn cluster_with_namespace() -> FakeApi {
    let api = FakeApi::start();
    api.add(
        "namespaces",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default", "resourceVersion": "2"}}),
    );
    api
}

#[test]
fn the_installed_bundle_version_chooses_the_release() {
    let api = cluster_with_namespace();
    if api.install_crds("v1.4.1", "standard", |_, _| {}).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("route.yaml");
    std::fs::write(&file, CORS_ROUTE).unwrap();
    let (code, err, v) = lint_cluster(&api, &[], &[&file]);
    assert_eq!(code, Some(1), "{err}");
    // The bundled v1.4.1 schemas say which release has the field.
    assert!(
        findings(&v).iter().any(|(c, m)| c == "GW102"
            && m.contains("needs Gateway API v1.5 (standard channel); this lint targets v1.4.1")),
        "{v:#}"
    );
    // A flag overrides what is installed: v1.6.1 has the field, the installed CRDs do not.
    let (_, _, v) = lint_cluster(&api, &["--gateway-api-version", "v1.6"], &[&file]);
    assert!(
        findings(&v)
            .iter()
            .any(|(c, m)| c == "GW604" && m.contains("though Gateway API v1.6.1 defines it")),
        "{v:#}"
    );
}

#[test]
fn an_unknown_or_mixed_bundle_version_is_said_once() {
    let api = cluster_with_namespace();
    let installed = api.install_crds("v1.6.1", "standard", |plural, crd| {
        let version = if plural == "httproutes" {
            "v1.5.1"
        } else {
            "v1.7.0"
        };
        crd["metadata"]["annotations"]["gateway.networking.k8s.io/bundle-version"] = json!(version);
    });
    if installed.is_none() {
        return;
    }
    let (code, err, _) = lint_cluster(&api, &[], &[]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    assert!(
        err.contains("come from different releases") && err.contains("v1.5.1: httproutes"),
        "{err}"
    );
    assert_eq!(err.matches("different releases").count(), 1, "{err}");
}
