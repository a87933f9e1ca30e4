//! Every finding has a fixture: tests/fixtures/<pass>/<CODE>_<name>.yaml holds flagged
//! objects (under `# Flagged` comments) and clean ones (under `# OK`). Each fixture is linted
//! by the built binary and both output formats are snapshotted under snapshots/<pass>/, so a
//! reviewer sees message, span and help in the diff. A first line `# args: ...` adds flags.

use crate::common;

use common::{fixtures, gwctl, snapshot_settings, stdout};

/// `select` limits each fixture folder to its own rule families, so that, say, a schema
/// fixture's snapshot is not cluttered with reference findings about objects it never meant
/// to define.
fn run_fixtures(pass: &str, select: &str, min: usize) {
    run_fixtures_with(pass, select, min, |_| Vec::new());
}

fn run_fixtures_with(
    pass: &str,
    select: &str,
    min: usize,
    more_args: impl Fn(&str) -> Vec<String>,
) {
    let dir = fixtures().join(pass);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= min, "fixtures are missing: {names:?}");
    let settings = snapshot_settings(pass);
    settings.bind(|| {
        for name in &names {
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            let mut extra: Vec<String> = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# args:"))
                .map(|a| a.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default();
            extra.extend(more_args(&text));
            let human = gwctl()
                .current_dir(&dir)
                .args(["lint", "--select", select])
                .args(&extra)
                .arg(name)
                .output()
                .unwrap();
            let json = gwctl()
                .current_dir(&dir)
                .args(["lint", "-o", "json", "--select", select])
                .args(&extra)
                .arg(name)
                .output()
                .unwrap();
            assert_eq!(human.status.code(), json.status.code(), "{name}");
            let out = stdout(&json);
            let code = name.split('_').next().unwrap();
            if code.starts_with("GW") {
                // The fixture's own code is reported, and nothing about the objects marked OK.
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                let diags = v["diagnostics"].as_array().unwrap();
                assert!(
                    diags.iter().any(|d| d["code"] == code),
                    "{name} does not report {code}:\n{out}"
                );
                for d in diags {
                    message_style(name, d["message"].as_str().unwrap());
                    let obj = d["object"]["name"].as_str().unwrap_or("");
                    assert!(
                        !obj.starts_with("ok"),
                        "{name}: object {obj} is marked OK but has a finding:\n{d}"
                    );
                }
            }
            if name.starts_with("clean") {
                assert_eq!(human.status.code(), Some(0), "{}", stdout(&human));
            }
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
            insta::assert_snapshot!(format!("{name}.json"), out);
        }
    });
}

/// Messages read the same across rules: no final period, one line, and a lower-case start
/// unless they start with a proper name (a kind, an acronym) or a quoted value.
fn message_style(fixture: &str, m: &str) {
    assert!(
        !m.ends_with('.'),
        "{fixture}: message ends with a period: {m}"
    );
    assert!(!m.contains('\n'), "{fixture}: message spans lines: {m}");
    let first_word = m.split([' ', ':']).next().unwrap_or_default();
    let proper = first_word.chars().skip(1).any(|c| c.is_ascii_uppercase())
        || matches!(
            first_word,
            "Gateway" | "Service" | "Secret" | "Namespace" | "Kubernetes"
        )
        || first_word.starts_with(['"', '`']);
    assert!(
        proper || !m.starts_with(|c: char| c.is_ascii_uppercase()),
        "{fixture}: message starts with a capital: {m}"
    );
}

/// `gwctl lint -o json --channel experimental` of `text` at Gateway API v1.1, whose shapes
/// (listener frontendValidation, BackendTLSPolicy v1alpha3) the texts here use, as JSON.
fn lint_json(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.yaml"), text).unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "-o", "json", "--channel", "experimental"])
        .args(["--gateway-api-version", "v1.1", "in.yaml"])
        .output()
        .unwrap();
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn with_code<'v>(v: &'v serde_json::Value, code: &str) -> Vec<&'v serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// An expired CA bundle used by a listener and two BackendTLSPolicies is one finding on the
/// ConfigMap, with each referrer as a label, not one identical finding per referrer.
#[test]
fn a_shared_expired_ca_is_one_finding_with_every_referrer() {
    let fixture =
        std::fs::read_to_string(fixtures().join("refs/GW321_ca-certificate-expired.yaml")).unwrap();
    let mut text = fixture.clone();
    text.push_str("---\napiVersion: v1\nkind: Service\nmetadata: {name: app, namespace: infra}\nspec:\n  ports: [{port: 443}]\n");
    for name in ["first", "second"] {
        text.push_str(&format!(
            "---\napiVersion: gateway.networking.k8s.io/v1alpha3\nkind: BackendTLSPolicy\nmetadata: {{name: {name}, namespace: infra}}\nspec:\n  targetRefs: [{{group: \"\", kind: Service, name: app, sectionName: {name}}}]\n  validation:\n    caCertificateRefs: [{{group: \"\", kind: ConfigMap, name: old-ca}}]\n    hostname: app.example.com\n"
        ));
    }
    let v = lint_json(&text);
    let expired = with_code(&v, "GW321");
    assert_eq!(expired.len(), 1, "{v:#}");
    let labels: Vec<usize> = expired[0]["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(labels.len(), 3, "the Gateway and both policies: {v:#}");
    let mut distinct = labels.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "{v:#}");
}

/// A CA ConfigMap without `ca.crt` used by two Gateways is one GW320, on the ConfigMap's
/// data, with both references as labels.
#[test]
fn a_shared_ca_configmap_without_the_key_is_one_finding_on_it() {
    let mut text =
        std::fs::read_to_string(fixtures().join("refs/GW320_ca-certificate-invalid.yaml")).unwrap();
    text.push_str("---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: second, namespace: infra}\nspec:\n  gatewayClassName: example\n  listeners:\n  - name: https\n    protocol: HTTPS\n    port: 443\n    tls:\n      certificateRefs: [{name: web-tls}]\n      frontendValidation:\n        caCertificateRefs: [{group: \"\", kind: ConfigMap, name: wrong-key}]\n");
    let v = lint_json(&text);
    let missing: Vec<_> = with_code(&v, "GW320")
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().contains("wrong-key"))
        .collect();
    assert_eq!(missing.len(), 1, "{v:#}");
    assert_eq!(missing[0]["object"]["name"], "wrong-key", "{v:#}");
    assert_eq!(missing[0]["field"], "data");
    assert_eq!(missing[0]["related"].as_array().unwrap().len(), 2, "{v:#}");
}

/// An Opaque Secret used as the certificate of two Gateways is one GW317, on the Secret's
/// type, with both certificateRefs as labels.
#[test]
fn a_shared_invalid_certificate_secret_is_one_finding_on_the_secret() {
    let mut text =
        std::fs::read_to_string(fixtures().join("refs/GW317_certificate-secret-invalid.yaml"))
            .unwrap();
    text.push_str("---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: second, namespace: infra}\nspec:\n  gatewayClassName: example\n  listeners:\n  - {name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: opaque-cert}]}}\n");
    let v = lint_json(&text);
    let invalid = with_code(&v, "GW317");
    assert_eq!(invalid.len(), 1, "{v:#}");
    assert_eq!(invalid[0]["object"]["name"], "opaque-cert", "{v:#}");
    assert_eq!(invalid[0]["field"], "type");
    assert_eq!(invalid[0]["related"].as_array().unwrap().len(), 2, "{v:#}");
}

/// Two listeners with the same name that refuse a route for the same reason: GW308 says the
/// reason once.
#[test]
fn a_refusal_shared_by_listeners_of_one_name_is_said_once() {
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: example}\nspec: {controllerName: example.com/gateway}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web, namespace: infra}\nspec:\n  gatewayClassName: example\n  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n  - {name: http, protocol: HTTP, port: 8080}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: shop, namespace: shop}\nspec:\n  parentRefs: [{name: web, namespace: infra, sectionName: http}]\n";
    let v = lint_json(text);
    let refused = with_code(&v, "GW308");
    assert_eq!(refused.len(), 1, "{v:#}");
    let message = refused[0]["message"].as_str().unwrap();
    assert_eq!(message.matches("\"http\"").count(), 1, "{message}");
}

#[test]
fn input_findings() {
    run_fixtures("input", "GW0", 15);
}

#[test]
fn schema_findings() {
    run_fixtures("schema", "GW0,GW1", 16);
}

/// One fixture per CEL rule of Gateway API v1.1.0, R01–R59 (tests/it/cel_rules.rs checks each
/// document's expected codes at the API level); here every fixture is rendered through the CLI
/// at that release, under the channel its rule lives in: standard for the standard-only
/// parentRef rules, experimental for the rest.
#[test]
fn cel_findings() {
    run_fixtures_with("cel", "GW2", 58, |text| {
        let channel = if text.contains("test.gwctl.dev/channel: standard") {
            "standard"
        } else {
            "experimental"
        };
        ["--channel", channel, "--gateway-api-version", "v1.1.0"]
            .map(String::from)
            .to_vec()
    });
}

/// The findings about the cluster's Kubernetes version (`--kubernetes-version`): they are
/// about no file or object, and are placed at the flag.
#[test]
fn kubernetes_findings() {
    run_fixtures("kubernetes", "GW0,GW1,GW2,GW6", 3);
}

/// GW7xx: fields against an implementation's conformance report (`--implementation` in each
/// fixture's args); only GW7 is selected, so reference findings of the fixtures' partial
/// manifests do not show.
#[test]
fn conformance_fixtures() {
    run_fixtures("conformance", "GW7", 4);
}

#[test]
fn reference_findings() {
    run_fixtures("refs", "GW", 29);
}
