//! References of the kinds and fields that Gateway API v1.2–v1.6 added, checked against
//! upstream's own v1.6.1 conformance manifests (read from ../shared/gateway-api, never copied;
//! see common::shared_gateway_api): what a conformant implementation rejects, gwctl reports
//! on the object the conformance test expects the condition on.

use std::path::Path;

use crate::common;

use common::{gwctl, shared_gateway_api, stdout};

/// `(code, object name)` of every finding of `gwctl lint --select SELECT` over the v1.6.1
/// conformance manifest `name`, at v1.6.1 in `channel`; `None` when the shared data is
/// missing outside CI.
fn conformance_findings(name: &str, channel: &str, select: &str) -> Option<Vec<(String, String)>> {
    let file = shared_gateway_api()?
        .join("v1.6.1/conformance/tests")
        .join(name);
    let args = [
        "--gateway-api-version",
        "v1.6.1",
        "--channel",
        channel,
        "--select",
        select,
    ];
    Some(code_object(&lint_json(None, &args, &file)))
}

/// `gwctl lint -o json ARGS FILE` (in `dir`, when given), as JSON.
fn lint_json(dir: Option<&Path>, args: &[&str], file: &Path) -> serde_json::Value {
    let mut cmd = gwctl();
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let out = cmd
        .args(["lint", "-o", "json"])
        .args(args)
        .arg(file)
        .output()
        .unwrap();
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// `(code, object name)` of every finding of a report, sorted.
fn code_object(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["object"]["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The findings of `text` linted on its own, in a temporary folder: the report as JSON.
fn lint_text(text: &str, args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.yaml"), text).unwrap();
    lint_json(Some(dir.path()), args, Path::new("in.yaml"))
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = expected
        .iter()
        .map(|(c, o)| ((*c).to_owned(), (*o).to_owned()))
        .collect();
    v.sort();
    v
}

/// GatewayInvalidTLSBackendConfiguration: a backend client certificate that does not exist
/// (GW316), is not a TLS Secret (GW317, on the Secret), or is in another namespace without a
/// grant (GW318). Other groups and kinds are implementation-specific and not judged.
#[test]
fn backend_client_certificates_of_the_conformance_suite() {
    let Some(found) = conformance_findings(
        "gateway-invalid-tls-backend-configuration.yaml",
        "standard",
        "GW316,GW317,GW318",
    ) else {
        return;
    };
    assert_eq!(
        found,
        pairs(&[
            ("GW316", "gateway-client-certificate-nonexistent-secret"),
            ("GW317", "malformed-client-certificate"),
            (
                "GW318",
                "gateway-client-certificate-missing-reference-grant"
            ),
        ])
    );
}

/// GatewayWithInvalidClientCertificateValidation and
/// GatewayInvalidDefaultFrontendClientCertificateValidation: CA bundles that do not exist
/// (GW319; the suite generates some of them, so they are missing from the manifests too), a
/// cross-namespace CA without a grant (GW318), and a per-port entry for a port that has only
/// an HTTP listener (GW350).
#[test]
fn frontend_validation_of_the_conformance_suite() {
    let Some(found) = conformance_findings(
        "gateway-with-invalid-clientcertificate-validation.yaml",
        "standard",
        "GW318,GW319,GW350",
    ) else {
        return;
    };
    let gw = "gateway-with-invalid-client-cert-validation";
    // The default's CA and the perPort 7443 one are missing; 6443's is in another namespace.
    assert_eq!(found, pairs(&[("GW318", gw), ("GW319", gw), ("GW319", gw)]));
    let Some(found) = conformance_findings(
        "gateway-invalid-default-frontend-client-certificate-validation.yaml",
        "standard",
        "GW318,GW319,GW350",
    ) else {
        return;
    };
    let gw = "invalid-default-client-validation-config";
    assert_eq!(found, pairs(&[("GW319", gw), ("GW319", gw), ("GW350", gw)]));
}

/// BackendTLSPolicyConflictResolution: of two policies for the same Service (or the same port
/// of it) without creationTimestamps, the first by namespace/name is accepted and the other is
/// `Conflicted` (GW325 on it); a policy for the whole Service and one for a port of it are
/// both accepted.
#[test]
fn backend_tls_conflicts_of_the_conformance_suite() {
    let Some(found) = conformance_findings(
        "backendtlspolicy-conflict-resolution.yaml",
        "standard",
        "GW325",
    ) else {
        return;
    };
    assert_eq!(
        found,
        pairs(&[
            ("GW325", "conflicted-with-section-name-2"),
            ("GW325", "conflicted-without-section-name-2"),
        ])
    );
}

/// BackendTLSPolicySANValidation: only the policy whose Hostname SAN differs from its
/// hostname (and has no URI SAN) is pointed out; the conformance test expects its
/// connections to fail.
#[test]
fn subject_alt_names_of_the_conformance_suite() {
    let Some(found) = conformance_findings("backendtlspolicy-san.yaml", "standard", "GW352,GW353")
    else {
        return;
    };
    assert_eq!(found, pairs(&[("GW353", "san-dns-mismatch")]));
}

/// `(code, object name)` of every finding of `gwctl lint --select SELECT ARGS` over the
/// fixture `tests/fixtures/refs/NAME`.
fn fixture_findings(name: &str, select: &str, args: &[&str]) -> Vec<(String, String)> {
    let args: Vec<&str> = ["--select", select].iter().chain(args).copied().collect();
    code_object(&lint_json(
        Some(&common::fixtures().join("refs")),
        &args,
        Path::new(name),
    ))
}

/// Duplicate rule names are GW403 only where the CRDs let them through: the experimental
/// channel's CEL rule refuses them (GW201, and no GW403), and before v1.4 rules have no
/// `name` at all (the schema pass reports the field, and no GW403).
#[test]
fn duplicate_rule_names_are_reported_once_by_whichever_pass_sees_them() {
    let fixture = "GW403_duplicate-rule-name.yaml";
    let standard = fixture_findings(fixture, "GW201,GW403", &["--gateway-api-version", "v1.6"]);
    assert_eq!(standard, pairs(&[("GW403", "flagged")]));
    let experimental = fixture_findings(
        fixture,
        "GW201,GW403",
        &["--gateway-api-version", "v1.6", "--channel", "experimental"],
    );
    assert_eq!(experimental, pairs(&[("GW201", "flagged")]));
    let old = fixture_findings(fixture, "GW403", &["--gateway-api-version", "v1.3"]);
    assert_eq!(old, pairs(&[]));
}

/// GW350 counts the listeners that the ListenerSets a Gateway admits add to it: an HTTPS
/// listener of an admitted ListenerSet on port 8443 uses the perPort entry for 8443; one the
/// Gateway does not admit (`allowedListeners` is None by default) does not.
#[test]
fn client_validation_counts_the_listeners_of_admitted_listener_sets() {
    let fixture = "GW350_client-validation-applies-to-nothing.yaml";
    let alone = fixture_findings(fixture, "GW350", &["--gateway-api-version", "v1.6"]);
    assert_eq!(alone.len(), 3, "{alone:?}");
    let base = std::fs::read_to_string(common::fixtures().join("refs").join(fixture)).unwrap();
    let set = "---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: partners, namespace: infra}\nspec:\n  parentRef: {name: flagged}\n  listeners:\n  - {name: partners, protocol: HTTPS, port: 8443, tls: {certificateRefs: [{name: web-tls}]}}\n";
    let count = |text: String| {
        let v = lint_text(
            &text,
            &["--select", "GW350", "--gateway-api-version", "v1.6"],
        );
        v["diagnostics"].as_array().unwrap().len()
    };
    assert_eq!(count(format!("{base}{set}")), 3, "not admitted");
    let admitted = base.replacen(
        "  gatewayClassName: example\n  tls:",
        "  gatewayClassName: example\n  allowedListeners: {namespaces: {from: Same}}\n  tls:",
        1,
    );
    assert_ne!(admitted, base);
    assert_eq!(count(format!("{admitted}{set}")), 2, "admitted");
}

/// A ListenerSet's listeners name their certificates from the ListenerSet's namespace: a
/// missing Secret is GW316, and one in another namespace needs a ReferenceGrant from the
/// ListenerSet kind (GW318), which a grant from Gateways does not give.
#[test]
fn listener_set_certificates_are_checked_from_its_namespace() {
    let base = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: example}\nspec: {controllerName: example.com/gateway}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web, namespace: infra}\nspec:\n  gatewayClassName: example\n  allowedListeners: {namespaces: {from: All}}\n  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: team, namespace: shop}\nspec:\n  parentRef: {name: web, namespace: infra}\n  listeners:\n  - name: https\n    protocol: HTTPS\n    port: 443\n    hostname: shop.example.com\n    tls:\n      certificateRefs:\n      - {name: shop-tls}\n      - {name: other-tls, namespace: certs}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: other-tls, namespace: certs}\ntype: kubernetes.io/tls\ndata: {tls.crt: Y2VydA==, tls.key: a2V5}\n";
    let grant = |from_kind: &str| {
        format!(
            "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {{name: certs, namespace: certs}}\nspec:\n  from: [{{group: gateway.networking.k8s.io, kind: {from_kind}, namespace: shop}}]\n  to: [{{group: \"\", kind: Secret}}]\n"
        )
    };
    let run = |text: String| {
        lint_text(&text, &["--select", "GW316,GW317,GW318"])["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_owned(),
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let found = run(base.to_owned());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].0 == "GW316" && found[0].1.contains("shop/shop-tls"),
        "{found:?}"
    );
    assert!(
        found[1].0 == "GW318" && found[1].1.contains("than ListenerSet shop/team"),
        "{found:?}"
    );
    let codes = |f: Vec<(String, String)>| f.into_iter().map(|(c, _)| c).collect::<Vec<_>>();
    assert_eq!(
        codes(run(format!("{base}{}", grant("Gateway")))),
        ["GW316", "GW318"]
    );
    assert_eq!(
        codes(run(format!("{base}{}", grant("ListenerSet")))),
        ["GW316"]
    );
}
