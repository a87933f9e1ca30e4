//! `gwctl features` and `gwctl implementations`, run as users run them: the human and JSON
//! outputs snapshotted over tests/fixtures/features/, exit codes and bad inputs.

use crate::common;

use common::{fixtures, gwctl, snapshot_settings, stderr, stdout};

fn features_dir() -> std::path::PathBuf {
    fixtures().join("features")
}

#[test]
fn features_human_and_json() {
    let settings = snapshot_settings("features");
    settings.bind(|| {
        let human = gwctl()
            .current_dir(features_dir())
            .args(["features", "shop.yaml"])
            .output()
            .unwrap();
        assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
        insta::assert_snapshot!("features_shop_human", stdout(&human));
        let json = gwctl()
            .current_dir(features_dir())
            .args(["features", "-o", "json", "shop.yaml"])
            .output()
            .unwrap();
        assert_eq!(json.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        insta::assert_json_snapshot!("features_shop_json", v);
    });
}

#[test]
fn features_of_an_older_release_say_what_it_does_not_name() {
    // HTTPRoute308RedirectStatusCode is a feature from v1.5 on; at v1.4 no report can list it.
    let out = gwctl()
        .current_dir(features_dir())
        .args(["features", "--gateway-api-version", "v1.4", "shop.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("HTTPRoute308RedirectStatusCode")
            && text.contains("not a conformance feature of v1.4.1"),
        "{text}"
    );
}

#[test]
fn features_of_nothing_and_of_bad_input() {
    let out = gwctl()
        .args(["features", "-"])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "no object needs a conformance feature of Gateway API v1.6.1\n"
    );
    let out = gwctl()
        .args(["features", "no-such-file.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-file.yaml"),
        "{}",
        stderr(&out)
    );
    // YAML that cannot be read is left out, and said so; the rest is still reported.
    let out = gwctl()
        .args(["features", "-"])
        .write_stdin("a: [\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  rules:\n  - matches:\n    - method: GET\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("HTTPRouteMethodMatching"));
    assert!(
        stderr(&out).contains("run `gwctl lint`"),
        "{}",
        stderr(&out)
    );
}

/// A route that needs query parameter matching, and a conformance report of `api_version`
/// for `release` whose GATEWAY-HTTP profile passed its core tests and supports nothing
/// extended.
const ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: web}\nspec:\n  parentRefs: [{name: gw}]\n  rules:\n  - matches:\n    - queryParams: [{name: q, value: x}]\n";

fn report(api_version: &str, release: &str) -> String {
    format!(
        "apiVersion: {api_version}\nkind: ConformanceReport\ngatewayAPIVersion: {release}\ngatewayAPIChannel: standard\nmode: default\nimplementation: {{organization: example, project: Example Proxy, version: v0.3.0}}\nprofiles:\n- name: GATEWAY-HTTP\n  core: {{result: success}}\n  extended:\n    result: success\n    unsupportedFeatures: [HTTPRouteQueryParamMatching]\n"
    )
}

/// `gwctl lint` of ROUTE in a temporary folder holding `files`, with `args`.
fn lint_with(files: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("route.yaml"), ROUTE).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    gwctl()
        .current_dir(dir.path())
        .args(["lint", "--select", "GW7"])
        .args(args)
        .arg("route.yaml")
        .output()
        .unwrap()
}

#[test]
fn lint_against_a_report_file() {
    // v1 and v1alpha1 reports are both read.
    for api in [
        "gateway.networking.k8s.io/v1",
        "gateway.networking.k8s.io/v1alpha1",
    ] {
        let out = lint_with(
            &[("report.yaml", &report(api, "v1.6.1"))],
            &["--conformance-report", "report.yaml"],
        );
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
        assert!(
            text.contains("error[GW701]: feature HTTPRouteQueryParamMatching (a query parameter match) is not supported by example-proxy v0.3.0 (mode default, Gateway API v1.6.1 standard channel): its report lists it as unsupported in GATEWAY-HTTP"),
            "{text}"
        );
        // HTTPRoute and Gateway are core features of GATEWAY-HTTP, whose core passed.
        assert_eq!(text.matches("GW701").count(), 1, "{text}");
    }
    // A report of another release gwctl knows is read, with a warning.
    let out = lint_with(
        &[(
            "report.yaml",
            &report("gateway.networking.k8s.io/v1", "v1.4.0"),
        )],
        &["--conformance-report", "report.yaml"],
    );
    assert!(
        stdout(&out).contains("warning[GW702]: the conformance report of example-proxy v0.3.0 ran Gateway API v1.4.0 (standard channel); this lint targets v1.6.1 (standard channel)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn bad_conformance_reports_stop_the_run() {
    let cases: [(&str, String, &str); 4] = [
        (
            "configmap.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".into(),
            "not a ConformanceReport: its kind is ConfigMap",
        ),
        (
            "v2.yaml",
            report("gateway.networking.k8s.io/v2", "v1.6.1"),
            "ConformanceReport apiVersion gateway.networking.k8s.io/v2 is unknown; gwctl reads gateway.networking.k8s.io/v1alpha1 and gateway.networking.k8s.io/v1",
        ),
        (
            "old.yaml",
            report("gateway.networking.k8s.io/v1alpha1", "v0.8.1"),
            "the report ran Gateway API v0.8.1, a release gwctl does not know",
        ),
        (
            "broken.yaml",
            "kind: [".into(),
            "not a ConformanceReport: it is not YAML gwctl can read",
        ),
    ];
    for (name, text, want) in cases {
        let out = lint_with(&[(name, &text)], &["--conformance-report", name]);
        common::assert_exit_and_contains(&out, 2, stderr(&out), want);
        assert!(
            stderr(&out).contains("--conformance-report"),
            "{}",
            stderr(&out)
        );
    }
    let out = lint_with(&[], &["--conformance-report", "missing.yaml"]);
    common::assert_exit_and_contains(&out, 2, stderr(&out), "missing.yaml: cannot read it");
}

#[test]
fn unknown_implementations_list_the_known_ones_closest_first() {
    let out = lint_with(&[], &["--implementation", "envoy-gatway"]);
    common::assert_exit_and_contains(
        &out,
        2,
        stderr(&out),
        "--implementation: unknown implementation \"envoy-gatway\"; the bundled conformance reports are of envoy-gateway, ",
    );
    // A known implementation without a report for the release names the releases it has.
    let out = lint_with(&[], &["--implementation", "istio"]);
    common::assert_exit_and_contains(
        &out,
        2,
        stderr(&out),
        "istio has no bundled conformance report for Gateway API v1.6; it has reports for v1.5,",
    );
    let out = lint_with(&[], &["--implementation", "envoy-gateway@v0.1.0"]);
    common::assert_exit_and_contains(
        &out,
        2,
        stderr(&out),
        "envoy-gateway has no bundled conformance report of version v0.1.0; its reports are of v1.9.0,",
    );
}

#[test]
fn configuration_keys_name_the_report() {
    let out = lint_with(
        &[(
            ".gwctl.yaml",
            "implementation: envoy-gateway@v1.9.0\nchannel: experimental\n",
        )],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let out = lint_with(
        &[(".gwctl.yaml", "conformanceReport: reports/mine.yaml\n")],
        &[],
    );
    common::assert_exit_and_contains(&out, 2, stderr(&out), "conformanceReport: ");
    let out = lint_with(&[(".gwctl.yaml", "implementation: nope\n")], &[]);
    common::assert_exit_and_contains(
        &out,
        2,
        stderr(&out),
        ".gwctl.yaml: implementation: unknown implementation \"nope\"",
    );
    let out = lint_with(
        &[(
            ".gwctl.yaml",
            "implementation: istio\nconformanceReport: r.yaml\n",
        )],
        &[],
    );
    common::assert_exit_and_contains(
        &out,
        2,
        stderr(&out),
        "implementation and conformanceReport: give one of them, not both",
    );
}

#[test]
fn implementations_human_and_json() {
    let settings = snapshot_settings("features");
    settings.bind(|| {
        let human = gwctl()
            .current_dir(features_dir())
            .args(["implementations", "mirror.yaml"])
            .output()
            .unwrap();
        assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
        insta::assert_snapshot!("implementations_mirror_human", stdout(&human));
        let json = gwctl()
            .current_dir(features_dir())
            .args(["implementations", "-o", "json", "mirror.yaml"])
            .output()
            .unwrap();
        assert_eq!(json.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        insta::assert_json_snapshot!("implementations_mirror_json", v);
    });
}

#[test]
fn implementations_agree_with_lint() {
    // Each implementation `implementations` says supports everything lints clean of GW701
    // with `--implementation`, and each it says lacks something does not.
    let json = gwctl()
        .current_dir(features_dir())
        .args(["implementations", "-o", "json", "mirror.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    for i in v["implementations"].as_array().unwrap() {
        let spec = format!(
            "{}@{}",
            i["name"].as_str().unwrap(),
            i["version"].as_str().unwrap()
        );
        let lint = gwctl()
            .current_dir(features_dir())
            .args([
                "lint",
                "--select",
                "GW701",
                "-o",
                "json",
                "--implementation",
                &spec,
            ])
            .arg("mirror.yaml")
            .output()
            .unwrap();
        let l: serde_json::Value = serde_json::from_str(&stdout(&lint)).unwrap();
        let found = l["diagnostics"].as_array().unwrap().len();
        assert_eq!(
            found == 0,
            i["supportsAll"].as_bool().unwrap(),
            "{spec}: {found} GW701 findings, implementations says {}",
            i["missing"]
        );
    }
}

#[test]
fn lint_sees_backend_protocols_through_the_service() {
    // The route's backend port is h2c because its Service says so; the report lacks H2C.
    let report = report("gateway.networking.k8s.io/v1", "v1.6.1").replace(
        "unsupportedFeatures: [HTTPRouteQueryParamMatching]",
        "supportedFeatures: [HTTPRouteQueryParamMatching]\n    unsupportedFeatures: [HTTPRouteBackendProtocolH2C]",
    );
    let service = "apiVersion: v1\nkind: Service\nmetadata: {name: grpc, namespace: web}\nspec:\n  ports:\n  - {port: 50051, appProtocol: kubernetes.io/h2c}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h2c, namespace: web}\nspec:\n  parentRefs: [{name: gw}]\n  rules:\n  - backendRefs: [{name: grpc, port: 50051}]\n";
    let out = lint_with(
        &[("report.yaml", &report), ("service.yaml", service)],
        &["--conformance-report", "report.yaml", "service.yaml"],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(
        text.contains("error[GW701]: feature HTTPRouteBackendProtocolH2C (a backend port whose Service marks it appProtocol kubernetes.io/h2c) is not supported by example-proxy v0.3.0")
            && text.contains("service.yaml:14:32"),
        "{text}"
    );
    assert_eq!(text.matches("GW701").count(), 1, "{text}");
}

#[test]
fn features_read_the_release_of_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gwctl.yaml"), "gatewayAPIVersion: v1.4\n").unwrap();
    std::fs::write(dir.path().join("route.yaml"), ROUTE).unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["features", "route.yaml"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("of Gateway API v1.4.1"),
        "{}",
        stdout(&out)
    );
    std::fs::write(dir.path().join(".gwctl.yaml"), "gatewayAPIVersion: 1.4\n").unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["implementations", "route.yaml"])
        .output()
        .unwrap();
    common::assert_exit_and_contains(
        &out,
        2,
        stderr(&out),
        "gatewayAPIVersion: 1.4 is not a string",
    );
}
