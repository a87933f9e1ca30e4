//! `gwctl lint --context PATH` and `context:` in `.gwctl.yaml`: context objects resolve the
//! named files' references and take part in the cross-object checks; findings are reported
//! only for the named files, in every output format.

use crate::common;

use std::fs;
use std::path::Path;

use common::{gwctl, stderr, stdout};
use serde_json::Value;

/// A Gateway with `http` and `https` listeners that admit routes from every namespace. Its
/// certificate Secret is in no file: a finding about the context, never reported.
pub const GATEWAY: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces: {from: All}
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: web-cert
    allowedRoutes:
      namespaces: {from: All}
";

pub const SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: store
  namespace: shop
spec:
  ports:
  - name: http
    port: 8080
";

/// `sectionName: htps` (a typo of `https`) and port 80 where the Service has 8080.
pub const BROKEN_ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: shop
spec:
  parentRefs:
  - name: web
    namespace: infra
    sectionName: htps
  rules:
  - backendRefs:
    - name: store
      port: 80
";

pub const GOOD_ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  namespace: shop
spec:
  parentRefs:
  - name: web
    namespace: infra
    sectionName: https
  rules:
  - backendRefs:
    - name: store
      port: 8080
";

/// A folder with `deploy/10-gateway.yaml`, `deploy/20-service.yaml` and `route.yaml`
/// holding `route`.
fn tree(route: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("deploy")).unwrap();
    fs::write(dir.join("deploy/10-gateway.yaml"), GATEWAY).unwrap();
    fs::write(dir.join("deploy/20-service.yaml"), SERVICE).unwrap();
    fs::write(dir.join("route.yaml"), route).unwrap();
    tmp
}

fn lint(dir: &Path, args: &[&str]) -> std::process::Output {
    gwctl()
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)))
}

fn codes(v: &Value) -> Vec<(String, String, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_route_is_checked_against_the_context_and_only_it_is_reported() {
    let tmp = tree(BROKEN_ROUTE);
    // Alone, the route's Gateway and Service are unknown: warnings only.
    let alone = lint(tmp.path(), &["-o", "json", "route.yaml"]);
    assert_eq!(alone.status.code(), Some(0), "{}", stdout(&alone));
    assert!(stdout(&alone).contains("not defined in the inputs"));
    // With the context, both mistakes are errors, on the route.
    let out = lint(
        tmp.path(),
        &["-o", "json", "--context", "deploy", "route.yaml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let v = json(&out);
    let found = codes(&v);
    assert_eq!(
        found,
        [
            ("GW302".into(), "error".into(), "route.yaml".into()),
            ("GW312".into(), "error".into(), "route.yaml".into()),
        ],
        "{v:#}"
    );
    // The context's own problem (the Gateway's certificate Secret is in no file) is not
    // reported, and the summary says what was checked and what was read.
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["objects"], 1);
    assert_eq!(v["summary"]["contextFiles"], 2);

    let human = lint(tmp.path(), &["--context", "deploy", "route.yaml"]);
    let text = stdout(&human);
    assert!(text.contains("checked 1 file, 1 object"), "{text}");
    assert!(text.contains("context: 2 files read"), "{text}");
    // The listener that refuses the route is shown from the context file.
    assert!(text.contains("deploy/10-gateway.yaml"), "{text}");

    let good = tree(GOOD_ROUTE);
    let out = lint(good.path(), &["--context", "deploy", "route.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("0 errors, 0 warnings"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn context_files_are_not_checked_themselves() {
    let tmp = tree(GOOD_ROUTE);
    // An unknown field, a YAML 1.1 boolean, a broken document and a file that is not YAML
    // at all: none of it is the named file's business.
    fs::write(
        tmp.path().join("deploy/30-broken.yaml"),
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x, namespace: shop}\nspec:\n  hostnamez: [a]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: yes}\n---\n[: \n",
    )
    .unwrap();
    fs::write(tmp.path().join("deploy/40-binary.yaml"), b"\0\0\0").unwrap();
    let out = lint(
        tmp.path(),
        &["-o", "json", "--context", "deploy", "route.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = json(&out);
    assert_eq!(codes(&v), [], "{v:#}");
    assert_eq!(v["summary"]["contextFiles"], 4);
}

#[test]
fn a_file_named_and_in_the_context_is_named_once() {
    let tmp = tree(GOOD_ROUTE);
    // The Gateway is named and found again by walking `deploy/` (spelt two ways): one
    // file, checked, with no duplicate of itself.
    let out = lint(
        tmp.path(),
        &[
            "-o",
            "json",
            "--context",
            "deploy",
            "--context",
            "./deploy/",
            "route.yaml",
            "deploy/10-gateway.yaml",
        ],
    );
    let v = json(&out);
    let found = codes(&v);
    assert!(found.iter().all(|(c, ..)| c != "GW030"), "{v:#}");
    // The Gateway is checked now: its missing certificate Secret is its own finding.
    assert!(
        found
            .iter()
            .any(|(c, _, f)| c == "GW316" && f == "deploy/10-gateway.yaml"),
        "{v:#}"
    );
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["contextFiles"], 1);
}

#[test]
fn a_duplicate_of_a_context_object_is_reported_on_the_named_file() {
    let tmp = tree(GOOD_ROUTE);
    fs::write(tmp.path().join("service-copy.yaml"), SERVICE).unwrap();
    let out = lint(
        tmp.path(),
        &["-o", "json", "--context", "deploy", "service-copy.yaml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let v = json(&out);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "GW030", "{v:#}");
    assert_eq!(d["file"], "service-copy.yaml");
    assert_eq!(d["object"]["name"], "store");
    assert_eq!(d["field"], "metadata.name");
    assert_eq!(d["related"][0]["file"], "deploy/20-service.yaml", "{v:#}");
    assert!(
        d["related"][0]["message"]
            .as_str()
            .unwrap()
            .contains("in the context"),
        "{v:#}"
    );
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1, "{v:#}");
}

#[test]
fn a_finding_on_a_context_object_that_a_named_file_causes_is_reported_on_the_named_file() {
    // The route is committed (context); the staged change renumbers the Service's port.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("deploy")).unwrap();
    fs::write(dir.join("deploy/10-gateway.yaml"), GATEWAY).unwrap();
    fs::write(dir.join("deploy/30-route.yaml"), GOOD_ROUTE).unwrap();
    fs::write(dir.join("service.yaml"), SERVICE.replace("8080", "9090")).unwrap();
    let out = lint(dir, &["-o", "json", "--context", "deploy", "service.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let v = json(&out);
    assert_eq!(
        codes(&v),
        [("GW312".into(), "error".into(), "service.yaml".into())],
        "{v:#}"
    );
    let d = &v["diagnostics"][0];
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("HTTPRoute shop/store in the context: port 8080 is not a port"),
        "{v:#}"
    );
    assert_eq!(d["object"]["kind"], "Service");
    assert_eq!(d["field"], "spec.ports", "{v:#}");
    let related = &d["related"][0];
    assert_eq!(related["file"], "deploy/30-route.yaml", "{v:#}");
    assert!(
        related["message"]
            .as_str()
            .unwrap()
            .contains("HTTPRoute shop/store, in the context"),
        "{v:#}"
    );
}

#[test]
fn the_configuration_names_the_context_relative_to_its_folder() {
    let tmp = tree(BROKEN_ROUTE);
    let dir = tmp.path();
    fs::write(dir.join(".gwctl.yaml"), "context:\n  - \"deploy/*.yaml\"\n").unwrap();
    fs::create_dir_all(dir.join("sub")).unwrap();
    // Run from a subfolder: the file is found upward, its globs are relative to it, and
    // paths are printed relative to the working directory.
    let out = gwctl()
        .current_dir(dir.join("sub"))
        .args(["lint", "-o", "compact", "../route.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("GW302") && text.contains("GW312"), "{text}");

    // --no-context sets the configured context aside: the route alone, its Gateway and
    // Service only "not defined in the inputs".
    let alone = gwctl()
        .current_dir(dir.join("sub"))
        .args(["lint", "-o", "compact", "--no-context", "../route.yaml"])
        .output()
        .unwrap();
    assert_eq!(alone.status.code(), Some(0), "{}", stdout(&alone));
    let text = stdout(&alone);
    assert!(
        !text.contains("GW302") && text.contains("not defined in the inputs"),
        "{text}"
    );

    // A context entry that matches nothing is a configuration error that names the key.
    fs::write(dir.join(".gwctl.yaml"), "context: [manifests/]\n").unwrap();
    let out = lint(dir, &["route.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(".gwctl.yaml") && err.contains("context"),
        "{err}"
    );
    fs::write(
        dir.join(".gwctl.yaml"),
        "context: [\"nothing/**/*.yaml\"]\n",
    )
    .unwrap();
    let out = lint(dir, &["route.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
}

#[test]
fn every_format_reports_only_the_named_files() {
    let tmp = tree(BROKEN_ROUTE);
    for format in [
        "human", "json", "sarif", "junit", "github", "gitlab", "compact",
    ] {
        let out = lint(
            tmp.path(),
            &["-o", format, "--context", "deploy", "route.yaml"],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stdout(&out));
        let text = stdout(&out);
        assert!(text.contains("GW312"), "{format}: {text}");
        // Formats with one location per finding never name the context files.
        if matches!(format, "github" | "gitlab" | "compact" | "junit") {
            assert!(!text.contains("deploy/"), "{format}: {text}");
        }
    }
}

#[test]
fn context_flag_misuse_is_a_usage_error() {
    let tmp = tree(GOOD_ROUTE);
    let out = lint(tmp.path(), &["--context", "-", "route.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--context -"), "{}", stderr(&out));
    let out = lint(tmp.path(), &["--context", "nowhere", "route.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("nowhere: no such file or folder"), "{said}");
    // With --cluster, --context names the one kubeconfig context.
    let out = lint(
        tmp.path(),
        &["--cluster", "--context", "a", "--context", "b"],
    );
    common::assert_exit_and_contains(&out, 2, stderr(&out), "kubeconfig context");
}

#[test]
fn a_context_listener_refuses_a_staged_route_by_its_defaults() {
    // A context Gateway without `allowedRoutes`: by default a listener admits only routes in
    // its own namespace, so a route in `shop` is refused.
    let tmp = tree(GOOD_ROUTE);
    let gateway = GATEWAY.replace("    allowedRoutes:\n      namespaces: {from: All}\n", "");
    assert!(!gateway.contains("allowedRoutes"));
    fs::write(tmp.path().join("deploy/10-gateway.yaml"), gateway).unwrap();
    let out = lint(
        tmp.path(),
        &["-o", "json", "--context", "deploy", "route.yaml"],
    );
    let v = json(&out);
    assert!(
        codes(&v)
            .iter()
            .any(|(c, s, f)| c == "GW306" && s == "error" && f == "route.yaml"),
        "{v:#}"
    );
}

#[test]
fn a_suppression_in_the_named_file_applies_to_a_finding_moved_onto_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("deploy")).unwrap();
    fs::write(dir.join("deploy/30-route.yaml"), GOOD_ROUTE).unwrap();
    let service = SERVICE.replace(
        "  - name: http\n",
        "  # gwctl-ignore GW312 -- the route moves to 9090 in the next change\n  - name: http\n",
    );
    fs::write(dir.join("service.yaml"), service.replace("8080", "9090")).unwrap();
    let out = lint(dir, &["-o", "json", "--context", "deploy", "service.yaml"]);
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(codes(&v), [], "{v:#}");
}

#[test]
fn with_cluster_the_configured_context_is_not_read() {
    // The live state is the context then: a configured context that matches nothing is no
    // error, and the run goes as far as the (missing) kubeconfig.
    let tmp = tree(GOOD_ROUTE);
    fs::write(tmp.path().join(".gwctl.yaml"), "context: [nowhere/]\n").unwrap();
    let out = lint(
        tmp.path(),
        &["--cluster", "--kubeconfig", "no-kubeconfig", "route.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("cannot load the Kubernetes client configuration"),
        "{err}"
    );
    assert!(!err.contains("nowhere"), "{err}");
}

#[test]
fn a_suppression_on_the_context_object_holds_for_its_moved_finding() {
    // As when the whole tree is linted: the route's own suppression silences the finding
    // about its backendRef, wherever the finding is reported.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("deploy")).unwrap();
    let route = GOOD_ROUTE.replace(
        "  namespace: shop\n",
        "  namespace: shop\n  annotations:\n    gwctl.io/ignore: backend-port-not-found\n",
    );
    fs::write(dir.join("deploy/30-route.yaml"), route).unwrap();
    fs::write(dir.join("service.yaml"), SERVICE.replace("8080", "9090")).unwrap();
    let out = lint(dir, &["-o", "json", "--context", "deploy", "service.yaml"]);
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(codes(&v), [], "{v:#}");
}

#[test]
fn a_context_route_that_a_named_route_takes_traffic_from_is_reported_on_the_named_route() {
    // The committed route `store` matches /cart; the staged route `cart`, older, matches the
    // same on the same listener and wins: the conflict is the staged route's doing.
    let matched = |name: &str, created: &str| {
        GOOD_ROUTE
            .replace(
                "  name: store\n  namespace: shop\n",
                &format!("  name: {name}\n  namespace: shop\n  creationTimestamp: \"{created}\"\n"),
            )
            .replace(
                "  - backendRefs:\n",
                "  - matches:\n    - path: {type: PathPrefix, value: /cart}\n    backendRefs:\n",
            )
    };
    let tmp = tree(&matched("cart", "2024-01-01T00:00:00Z"));
    fs::write(
        tmp.path().join("deploy/30-route.yaml"),
        matched("store", "2024-06-01T00:00:00Z"),
    )
    .unwrap();
    let out = lint(
        tmp.path(),
        &["-o", "json", "--context", "deploy", "route.yaml"],
    );
    let v = json(&out);
    assert_eq!(
        codes(&v),
        [("GW402".into(), "warning".into(), "route.yaml".into())],
        "{v:#}"
    );
    let d = &v["diagnostics"][0];
    assert_eq!(d["object"]["name"], "cart", "{v:#}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("HTTPRoute shop/store in the context: "),
        "{v:#}"
    );
    assert_eq!(d["related"][0]["file"], "deploy/30-route.yaml", "{v:#}");
}
