//! `gwctl lint --cluster`, end to end: the built binary against a fake API server on
//! 127.0.0.1 (tests/it/common/fake_api.rs), through a kubeconfig written to a temp dir. Covers
//! the live state, local files over it (new / existing / fixed), every fault gwctl must
//! survive with a clear message, pagination, the installed CRDs (GW6xx, with the fixtures in
//! tests/fixtures/cluster/), the API server's Kubernetes version (GW605, GW606), and that no
//! Secret value ever reaches any output.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::fake_api::{FakeApi, GW, SECRET_VALUE, version_info};
use common::{fixtures, gwctl, stderr, stdout};
use serde_json::{Value, json};

fn meta(ns: Option<&str>, name: &str, rv: u32) -> Value {
    let mut m = json!({"name": name, "resourceVersion": rv.to_string(), "uid": format!("uid-{name}"),
        "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update"}]});
    if let Some(ns) = ns {
        m["namespace"] = json!(ns);
    }
    m
}

fn route(name: &str, service: &str, port: u16, rv: u32) -> Value {
    json!({"apiVersion": format!("{GW}/v1"), "kind": "HTTPRoute", "metadata": meta(Some("shop"), name, rv),
        "spec": {"parentRefs": [{"name": "web"}],
                 "hostnames": [format!("{name}.example.com")],
                 "rules": [{"backendRefs": [{"name": service, "port": port}]}]},
        "status": {"parents": []}})
}

/// A small shop: a GatewayClass, a Gateway with an HTTPS listener, two Services, a TLS and an
/// opaque Secret, and routes `store` (fine), `broken` (its Service is gone) and `stale` (its
/// port is wrong).
fn shop() -> FakeApi {
    let api = FakeApi::start();
    api.add(
        "gatewayclasses",
        json!({"apiVersion": format!("{GW}/v1"), "kind": "GatewayClass", "metadata": meta(None, "eg", 3),
               "spec": {"controllerName": "example.com/gateway"}}),
    );
    api.add(
        "gateways",
        json!({"apiVersion": format!("{GW}/v1"), "kind": "Gateway", "metadata": meta(Some("shop"), "web", 5),
               "spec": {"gatewayClassName": "eg", "listeners": [
                   {"name": "http", "port": 80, "protocol": "HTTP"},
                   {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "*.example.com",
                    "tls": {"mode": "Terminate", "certificateRefs": [{"name": "web-cert"}]}}]}}),
    );
    api.add("httproutes", route("store", "store", 8080, 11));
    api.add("httproutes", route("broken", "gone", 80, 12));
    api.add("httproutes", route("stale", "store", 9999, 13));
    for (name, port) in [("store", 8080), ("cart", 8081)] {
        api.add(
            "services",
            json!({"apiVersion": "v1", "kind": "Service", "metadata": meta(Some("shop"), name, 20),
                   "spec": {"ports": [{"name": "http", "port": port, "protocol": "TCP"}]}}),
        );
    }
    api.add(
        "namespaces",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "resourceVersion": "2", "labels": {"kubernetes.io/metadata.name": "shop"}}}),
    );
    api.add(
        "secrets",
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(Some("shop"), "web-cert", 30), "type": "kubernetes.io/tls"}),
    );
    api.add(
        "secrets",
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(Some("shop"), "db-password", 31), "type": "Opaque"}),
    );
    api
}

fn run(api: &FakeApi, args: &[&str], files: &[&Path]) -> (Option<i32>, String, String, Value) {
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let out = gwctl()
        .args(["lint", "--cluster", "--kubeconfig"])
        .arg(&kc)
        .args(args)
        .args(files)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let json = gwctl()
        .args(["lint", "--cluster", "-o", "json", "--kubeconfig"])
        .arg(&kc)
        .args(args)
        .args(files)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), json.status.code(), "{}", stderr(&out));
    // GWCTL_SHOW=1 cargo test --test it cluster:: -- --nocapture shows what gwctl printed.
    if std::env::var_os("GWCTL_SHOW").is_some() {
        eprintln!(
            "gwctl lint --cluster {args:?} {files:?}\n{}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    let v = serde_json::from_str(&stdout(&json)).unwrap_or(Value::Null);
    (out.status.code(), stdout(&out), stderr(&out), v)
}

fn codes(v: &Value) -> Vec<(String, String, String)> {
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or("").to_owned(),
                        d["object"]["name"].as_str().unwrap_or("").to_owned(),
                        d["status"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn lints_the_live_state_with_positions_in_each_object() {
    let api = shop();
    let (code, human, err, v) = run(&api, &[], &[]);
    assert_eq!(code, Some(1), "{human}{err}");
    let found = codes(&v);
    assert!(
        found.contains(&("GW311".into(), "broken".into(), String::new())),
        "{found:?}"
    );
    assert!(
        found.contains(&("GW312".into(), "stale".into(), String::new())),
        "{found:?}"
    );
    // The live state is complete: a missing Service is an error, not "not in the inputs".
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "GW311")
        .unwrap();
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "cluster:HTTPRoute/shop/broken@12");
    assert!(d["line"].as_u64().unwrap() > 1);
    assert_eq!(d["field"], "spec.rules[0].backendRefs[0].name");
    assert!(
        human.contains("--> cluster:HTTPRoute/shop/broken@12:"),
        "{human}"
    );
    assert!(human.contains("name: gone"), "{human}");
    // The TLS Secret serves as a certificate without gwctl reading its keys.
    assert!(
        !found.iter().any(|c| c.0 == "GW316" || c.0 == "GW317"),
        "{found:?}"
    );
    assert_eq!(v["summary"]["objects"], 10, "{v}");
    assert!(v["summary"].get("new").is_none());
    // Read-only, and only the context's namespace.
    let log = api.log();
    assert!(log.iter().all(|l| l.starts_with("GET ")), "{log:?}");
    assert!(
        log.iter()
            .any(|l| l.contains("/namespaces/shop/httproutes")),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|l| l.contains("/namespaces/other/")),
        "{log:?}"
    );
}

#[test]
fn files_over_the_cluster_say_new_existing_and_fixed() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    // `broken` now points at a Service that exists (fixed), `store` at one that does not
    // (new); `stale` is untouched (existing). No namespace: the context's (shop) applies.
    let change = write(
        dir.path(),
        "change.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: broken\nspec:\n  parentRefs: [{name: web}]\n  hostnames: [broken.example.com]\n  rules:\n  - backendRefs: [{name: cart, port: 8081}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: store\nspec:\n  parentRefs: [{name: web}]\n  hostnames: [store.example.com]\n  rules:\n  - backendRefs: [{name: nope, port: 80}]\n",
    );
    let (code, human, err, v) = run(&api, &[], &[&change]);
    assert_eq!(code, Some(1), "{human}{err}");
    let found = codes(&v);
    assert!(
        found.contains(&("GW311".into(), "store".into(), "new".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("GW312".into(), "stale".into(), "existing".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("GW311".into(), "broken".into(), "fixed".into())),
        "{found:?}"
    );
    assert_eq!(v["summary"]["new"], 1, "{v}");
    assert_eq!(v["summary"]["fixed"], 1, "{}", v["summary"]);
    // The new finding points into the file, the fixed one into the live object.
    let file_of = |status: &str| {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["status"] == status && d["code"] == "GW311")
            .map(|d| d["file"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert!(file_of("new").ends_with("change.yaml"));
    assert_eq!(file_of("fixed"), "cluster:HTTPRoute/shop/broken@12");
    assert!(human.contains("[new] "), "{human}");
    assert!(human.contains("[fixed] "), "{human}");
    assert!(human.contains("1 new, 1 existing, 1 fixed"), "{human}");

    // Only what the change introduces can fail the job.
    let fix_only = write(
        dir.path(),
        "fix.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: broken\n  namespace: shop\nspec:\n  parentRefs: [{name: web}]\n  hostnames: [broken.example.com]\n  rules:\n  - backendRefs: [{name: cart, port: 8081}]\n",
    );
    let (code, _, _, _) = run(&api, &[], &[&fix_only]);
    assert_eq!(
        code,
        Some(1),
        "the existing error still fails without --fail-on-new"
    );
    let (code, human, _, _) = run(&api, &["--fail-on-new"], &[&fix_only]);
    assert_eq!(code, Some(0), "{human}");
    let (code, _, _, v) = run(&api, &["--only-new"], &[&change]);
    assert_eq!(code, Some(1));
    assert!(codes(&v).iter().all(|c| c.2 == "new"), "{:?}", codes(&v));
}

/// `lint --cluster` over `files` in `format`: exit code and stdout.
fn run_format(api: &FakeApi, format: &str, files: &[&Path]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let out = gwctl()
        .args(["lint", "--cluster", "-o", format, "--kubeconfig"])
        .arg(&kc)
        .args(files)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (out.status.code(), stdout(&out))
}

/// The change of `files_over_the_cluster_say_new_existing_and_fixed`: `store` gets a missing
/// Service `nope` (new), `stale`'s wrong port stays (existing), `broken` no longer refers
/// to the missing Service `gone` (fixed).
fn shop_change(dir: &Path) -> PathBuf {
    write(
        dir,
        "change.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: broken\nspec:\n  parentRefs: [{name: web}]\n  hostnames: [broken.example.com]\n  rules:\n  - backendRefs: [{name: cart, port: 8081}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: store\nspec:\n  parentRefs: [{name: web}]\n  hostnames: [store.example.com]\n  rules:\n  - backendRefs: [{name: nope, port: 80}]\n",
    )
}

/// SARIF: the live state is the baseline (`baselineState`), a fixed finding passes, and a
/// live object is named `Kind/namespace/name`, without its resourceVersion.
#[test]
fn sarif_over_the_cluster_has_baseline_states_and_readable_live_locations() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let change = shop_change(dir.path());
    let (code, out) = run_format(&api, "sarif", &[&change]);
    assert_eq!(code, Some(1), "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let about = |what: &str| {
        results
            .iter()
            .find(|r| r["message"]["text"].as_str().unwrap().contains(what))
            .unwrap_or_else(|| panic!("no result about {what}: {out}"))
    };
    let new = about("shop/nope");
    assert_eq!(new["baselineState"], "new", "{new}");
    assert_eq!(new["level"], "error");
    assert!(new.get("kind").is_none(), "{new}");
    assert_eq!(about("9999")["baselineState"], "unchanged");
    let fixed = about("shop/gone");
    assert_eq!(fixed["baselineState"], "absent", "{fixed}");
    assert_eq!(fixed["kind"], "pass");
    assert_eq!(fixed["level"], "none");
    let location = &fixed["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"], "cluster:HTTPRoute/shop/broken",
        "{location}"
    );
    assert!(location["physicalLocation"]["artifactLocation"]["uriBaseId"].is_null());
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "HTTPRoute/shop/broken"
    );
    assert!(!out.contains("%40") && !out.contains("cluster%3A"), "{out}");
}

/// GitHub, GitLab, JUnit and compact carry the status; none shows a fixed finding as a live
/// problem.
#[test]
fn every_format_over_the_cluster_says_the_status_and_lets_fixed_findings_pass() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let change = shop_change(dir.path());

    let (code, github) = run_format(&api, "github", &[&change]);
    assert_eq!(code, Some(1), "{github}");
    assert!(
        !github.contains("shop/gone"),
        "a fixed finding is annotated:\n{github}"
    );
    assert!(
        github.lines().any(|l| l.starts_with("::error ")
            && l.contains("::[new] ")
            && l.contains("shop/nope")),
        "{github}"
    );
    assert!(github.contains("::[existing] "), "{github}");

    let (_, gitlab) = run_format(&api, "gitlab", &[&change]);
    let issues: Value = serde_json::from_str(&gitlab).unwrap();
    let issues = issues.as_array().unwrap();
    assert!(
        !issues
            .iter()
            .any(|i| i["description"].as_str().unwrap().contains("shop/gone")),
        "{gitlab}"
    );
    let new = issues
        .iter()
        .find(|i| i["description"].as_str().unwrap().contains("shop/nope"))
        .unwrap();
    assert_eq!(new["status"], "new", "{new}");
    assert!(
        new["description"]
            .as_str()
            .unwrap()
            .starts_with("GW311 [new]: ")
    );
    assert!(issues.iter().any(|i| i["status"] == "existing"), "{gitlab}");

    let (_, junit) = run_format(&api, "junit", &[&change]);
    let failures: Vec<&str> = junit.lines().filter(|l| l.contains("<failure")).collect();
    assert!(!failures.iter().any(|l| l.contains("shop/gone")), "{junit}");
    assert!(failures.iter().any(|l| l.contains("[new] ")), "{junit}");
    let fixed_case = junit
        .split("<testcase ")
        .find(|c| c.contains("shop/gone"))
        .unwrap_or_else(|| panic!("the fixed finding is not noted:\n{junit}"));
    assert!(
        fixed_case.contains("<system-out>") && fixed_case.contains("[fixed]"),
        "{fixed_case}"
    );
    assert!(!fixed_case.contains("<failure"), "{fixed_case}");
    // The live object's suite is named without its resourceVersion.
    assert!(
        junit.contains("name=\"cluster:HTTPRoute/shop/broken\""),
        "{junit}"
    );
    assert!(
        !junit.contains("name=\"cluster:HTTPRoute/shop/broken@"),
        "{junit}"
    );

    let (_, compact) = run_format(&api, "compact", &[&change]);
    let line = |what: &str| {
        compact
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no line about {what}:\n{compact}"))
    };
    assert!(
        line("shop/nope").contains(": error GW311 [new] "),
        "{compact}"
    );
    assert!(line("9999").contains(" [existing] "), "{compact}");
    let fixed = line("shop/gone");
    assert!(fixed.contains(": fixed GW311 [fixed] "), "{fixed}");
    assert!(!fixed.contains(": error "), "{fixed}");
}

#[test]
fn no_secret_value_reaches_any_output() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    // A listener that uses the opaque Secret, so gwctl reports on a Secret it read.
    let gw = write(
        dir.path(),
        "gw.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web, namespace: shop}\nspec:\n  gatewayClassName: eg\n  listeners:\n  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: db-password}]}}\n",
    );
    // The planted value as the server sends it in `data`.
    let encoded = common::fake_api::base64(SECRET_VALUE);
    for files in [vec![], vec![gw.as_path()]] {
        let (_, human, err, v) = run(&api, &[], &files);
        let json = v.to_string();
        for text in [&human, &err, &json] {
            assert!(!text.contains(SECRET_VALUE), "secret value leaked:\n{text}");
            assert!(
                !text.contains(&encoded),
                "encoded secret value leaked:\n{text}"
            );
            assert!(!text.contains("last-applied-configuration"), "{text}");
        }
        if !files.is_empty() {
            let d = v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["code"] == "GW317")
                .unwrap_or_else(|| panic!("{json}"));
            assert!(
                d["message"]
                    .as_str()
                    .unwrap()
                    .contains("its type is not \"kubernetes.io/tls\""),
                "{d}"
            );
        }
    }
}

#[test]
fn unreachable_server_is_a_clear_failure() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    std::fs::write(&kc, format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"http://127.0.0.1:{port}\"}}\ncontexts:\n- name: c\n  context: {{cluster: c, user: u}}\ncurrent-context: c\nusers:\n- name: u\n  user: {{token: t}}\n")).unwrap();
    let out = gwctl()
        .args(["lint", "--cluster", "--kubeconfig"])
        .arg(&kc)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("cannot reach the API server at http://127.0.0.1:"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_or_broken_kubeconfig_is_a_clear_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = gwctl()
        .args(["lint", "--cluster", "--kubeconfig"])
        .arg(dir.path().join("nope"))
        .output()
        .unwrap();
    common::assert_exit_and_contains(
        &out,
        2,
        stderr(&out),
        "cannot load the Kubernetes client configuration",
    );
    let api = shop();
    let kc = api.kubeconfig(dir.path());
    let out = gwctl()
        .args(["lint", "--cluster", "--context", "nowhere", "--kubeconfig"])
        .arg(&kc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
}

#[test]
fn expired_credentials_are_a_clear_failure() {
    let api = shop();
    api.with(|s| s.unauthorized = true);
    let (code, _, err, v) = run(&api, &[], &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("401 Unauthorized") && err.contains("expired"),
        "{err}"
    );
    // JSON output is still one document, with the failure under `errors`.
    assert_eq!(v["errors"][0]["path"], "cluster", "{v}");
    assert!(
        v["errors"][0]["message"].as_str().unwrap().contains("401"),
        "{v}"
    );
}

#[test]
fn a_tls_failure_is_a_clear_failure() {
    // The fake server speaks plain HTTP; a kubeconfig that says https gets no TLS handshake.
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    std::fs::write(&kc, format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"https://127.0.0.1:{}\", insecure-skip-tls-verify: true}}\ncontexts:\n- name: c\n  context: {{cluster: c, user: u}}\ncurrent-context: c\nusers:\n- name: u\n  user: {{token: t}}\n", api.port)).unwrap();
    let out = gwctl()
        .args(["lint", "--cluster", "--kubeconfig"])
        .arg(&kc)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("TLS handshake with the API server at https://127.0.0.1:"),
        "{err}"
    );
}

#[test]
fn gateway_api_not_installed_is_a_clear_failure() {
    let api = shop();
    api.with(|s| s.versions.clear());
    let (code, _, err, _) = run(&api, &[], &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("the Gateway API is not installed in this cluster"),
        "{err}"
    );
}

#[test]
fn a_slow_server_times_out_instead_of_hanging() {
    let api = shop();
    api.with(|s| s.delay = Some(Duration::from_secs(5)));
    let start = Instant::now();
    let (code, _, err, _) = run(&api, &["--request-timeout", "300ms"], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did not answer within 300ms"), "{err}");
    assert!(err.contains("--request-timeout"), "{err}");
    // Two runs (human and JSON), each giving up after one request.
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "{:?}",
        start.elapsed()
    );
    let out = gwctl()
        .args(["lint", "--cluster", "--request-timeout", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_forbidden_kind_is_skipped_with_a_warning_naming_the_skipped_checks() {
    let api = shop();
    api.with(|s| {
        s.fail.insert("/api/v1/namespaces/shop/secrets".into(), 403);
    });
    let dir = tempfile::tempdir().unwrap();
    // The certificate Secret cannot be seen; that must not become "not found".
    let (code, human, err, v) = run(&api, &[], &[]);
    assert_eq!(code, Some(1), "{human}{err}");
    let found = codes(&v);
    assert!(!found.iter().any(|c| c.0 == "GW316"), "{found:?}");
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "GW601")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(d["severity"], "warning");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("Secret in namespace shop") && msg.contains("403 Forbidden"),
        "{msg}"
    );
    assert!(msg.contains("GW316, GW317"), "{msg}");
    assert!(human.contains("warning[GW601]"), "{human}");
    drop(dir);
}

#[test]
fn a_kind_discovery_lists_but_the_server_does_not_serve_is_skipped() {
    let api = shop();
    api.with(|s| {
        s.fail
            .insert(format!("/apis/{GW}/v1/namespaces/shop/grpcroutes"), 404);
    });
    let (code, human, _, v) = run(&api, &[], &[]);
    assert_eq!(code, Some(1), "{human}");
    let msgs: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GW601")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("GRPCRoute") && m.contains("404")),
        "{msgs:?}"
    );
}

#[test]
fn lists_are_read_page_by_page() {
    let api = shop();
    for i in 0..7 {
        api.add(
            "httproutes",
            route(&format!("extra-{i}"), "store", 8080, 100 + i),
        );
    }
    api.with(|s| s.page_cap = Some(2));
    let (code, _, err, v) = run(&api, &[], &[]);
    assert_eq!(code, Some(1), "{err}");
    let names: Vec<String> = codes(&v).into_iter().map(|c| c.1).collect();
    assert!(names.contains(&"stale".to_string()), "{names:?}");
    // 10 routes, 2 per page: 5 pages, 4 with a continue token.
    assert_eq!(v["summary"]["objects"], 17, "{}", v["summary"]);
    let log = api.log();
    let pages = log
        .iter()
        .filter(|l| l.contains("/namespaces/shop/httproutes") && l.contains("continue=offset-"))
        .count();
    assert!(pages >= 4 * 2, "{log:?}");
}

#[test]
fn an_expired_continue_token_restarts_once_then_fails() {
    let api = shop();
    api.with(|s| {
        s.page_cap = Some(1);
        s.expire_continue = true;
    });
    let (code, _, err, _) = run(&api, &[], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("410"), "{err}");
}

#[test]
fn namespace_flags_choose_what_is_read() {
    let api = shop();
    let (_, _, _, _) = run(&api, &["-A"], &[]);
    let log = api.log();
    assert!(
        log.iter()
            .any(|l| l.starts_with(&format!("GET /apis/{GW}/v1/httproutes?"))),
        "{log:?}"
    );
    assert!(
        log.iter().any(|l| l.starts_with("GET /api/v1/namespaces?")),
        "{log:?}"
    );
    assert!(
        log.iter().any(|l| l.starts_with("GET /api/v1/secrets?")),
        "{log:?}"
    );

    let api = shop();
    let (code, _, _, v) = run(&api, &["-n", "other"], &[]);
    assert_eq!(code, Some(0), "{v}");
    assert!(
        api.log()
            .iter()
            .any(|l| l.contains("/namespaces/other/httproutes"))
    );

    // KUBECONFIG and --context are honoured.
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let out = gwctl()
        .env("KUBECONFIG", &kc)
        .args(["lint", "--cluster", "--context", "other"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        api.log()
            .iter()
            .any(|l| l.contains("/namespaces/other/gateways"))
    );
}

/// Serve the Gateway API v1.2.1 standard CRDs (from ../shared), changed by `edit`: the
/// first release whose standard channel has HTTPRoute `timeouts`, which the fixtures lack.
fn install_crds(api: &FakeApi, edit: impl Fn(&str, &mut Value)) -> Option<()> {
    api.install_crds("v1.2.1", "standard", edit)
}

/// Each cluster fixture (tests/fixtures/cluster/CODE_name.yaml), put over a cluster that
/// installs the v1.2.1 standard CRDs, reports its code. The HTTPRoute CRD is changed here: it
/// no longer serves v1beta1 and has no `timeouts`.
#[test]
fn cluster_fixtures_report_their_codes() {
    let api = shop();
    let installed = install_crds(&api, |plural, crd| {
        if plural != "httproutes" {
            return;
        }
        let versions = crd["spec"]["versions"].as_array_mut().unwrap();
        versions.retain(|v| v["name"] != "v1beta1");
        if let Some(rules) = versions[0].pointer_mut(
            "/schema/openAPIV3Schema/properties/spec/properties/rules/items/properties",
        ) {
            rules.as_object_mut().unwrap().remove("timeouts");
        }
    });
    if installed.is_none() {
        return;
    }
    let dir = fixtures().join("cluster");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let code = name.split('_').next().unwrap().to_owned();
        if code == "GW601" {
            api.with(|s| {
                s.fail
                    .insert("/api/v1/namespaces/shop/services".into(), 403)
            });
        }
        let (_, human, err, v) = run(&api, &[], &[&dir.join(&name)]);
        api.with(|s| s.fail.clear());
        let found = codes(&v);
        assert!(
            found.iter().any(|c| c.0 == code),
            "{name} does not report {code}:\n{human}{err}"
        );
        for d in v["diagnostics"].as_array().unwrap() {
            let obj = d["object"]["name"].as_str().unwrap_or("");
            assert!(
                !obj.starts_with("ok"),
                "{name}: {obj} is marked OK but has a finding: {d}"
            );
        }
        assert!(
            human.contains("the installed Gateway API v1.2.1 (standard channel)")
                || code == "GW601",
            "{human}"
        );
    }
}

#[test]
fn references_into_other_namespaces_are_followed_one_level() {
    let api = shop();
    // A route in `shop` attached to a Gateway in `infra`, which grants nothing further.
    api.add(
        "gateways",
        json!({"apiVersion": format!("{GW}/v1"), "kind": "Gateway", "metadata": meta(Some("infra"), "edge", 40),
               "spec": {"gatewayClassName": "eg", "listeners": [
                   {"name": "http", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {"from": "All"}}}]}}),
    );
    let mut r = route("edge-route", "store", 8080, 41);
    r["spec"]["parentRefs"] = json!([{"name": "edge", "namespace": "infra"}]);
    api.add("httproutes", r);
    let (_, human, _, v) = run(&api, &[], &[]);
    assert!(
        !codes(&v).iter().any(|c| c.0 == "GW301"),
        "the Gateway in infra was not read:\n{human}"
    );
    let log = api.log();
    assert!(
        log.iter().any(|l| l.contains("/namespaces/infra/gateways")),
        "{log:?}"
    );
    // Only one level: nothing refers further, and `other` is never read.
    assert!(
        !log.iter().any(|l| l.contains("/namespaces/other/")),
        "{log:?}"
    );
    // Cluster-scoped kinds are listed once per run (two runs: human and JSON).
    let classes = log
        .iter()
        .filter(|l| l.contains("/gatewayclasses?"))
        .count();
    assert_eq!(classes, 2, "{log:?}");
}

#[test]
fn an_unreadable_local_path_still_fails_the_run() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let (code, human, _, v) = run(&api, &[], &[&dir.path().join("missing.yaml")]);
    assert_eq!(code, Some(2), "{human}");
    assert!(
        v["errors"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("missing.yaml"),
        "{v}"
    );
    // Cluster flags mean nothing without --cluster.
    let out = gwctl().args(["lint", "-A", "x.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--cluster"), "{}", stderr(&out));
}

/// The library entry point that `simulate --cluster` shares: one call, live state with the
/// files over it, and the replaced live objects kept for CEL transition rules.
#[test]
fn load_gives_the_overlaid_state_in_one_call() {
    use gwctl::load::{Input, cluster};
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "route.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: stale}\nspec:\n  parentRefs: [{name: web}]\n  rules:\n  - backendRefs: [{name: store, port: 8080}]\n",
    );
    let opts = cluster::Options {
        kubeconfig: Some(api.kubeconfig(dir.path())),
        files: vec![Input::Path(file)],
        ..Default::default()
    };
    let loaded = cluster::load(&opts).unwrap();
    assert_eq!(loaded.inventory.default_namespace, "shop");
    let stale: Vec<_> = loaded
        .inventory
        .objects
        .iter()
        .filter(|o| o.name == "stale")
        .collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(
        stale[0].json["spec"]["rules"][0]["backendRefs"][0]["port"],
        8080
    );
    let old = loaded
        .live
        .iter()
        .find(|(k, _)| k.name == "stale")
        .map(|(_, v)| v)
        .unwrap();
    assert_eq!(old["spec"]["rules"][0]["backendRefs"][0]["port"], 9999);
    assert_eq!(old["metadata"]["resourceVersion"], "13");

    let err = cluster::load(&cluster::Options {
        kubeconfig: Some(api.kubeconfig(dir.path())),
        request_timeout: Duration::from_millis(200),
        context: Some("missing".into()),
        ..Default::default()
    })
    .unwrap_err();
    assert!(matches!(err, cluster::ClusterError::Config(_)), "{err}");
}

/// `gwctl simulate --cluster` routes a request through the live state, and a local file put
/// over it changes the answer.
#[test]
fn simulate_routes_through_the_live_state_and_files_over_it() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let simulate = |files: &[&Path]| -> Value {
        let out = gwctl()
            .args([
                "simulate",
                "--cluster",
                "-n",
                "shop",
                "--output-format",
                "json",
                "--kubeconfig",
            ])
            .arg(&kc)
            .args(["--url", "http://store.example.com/"])
            .args(files)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let live = simulate(&[]);
    assert_eq!(live["outcome"], "routed", "{live}");
    assert_eq!(live["route"]["name"], "store");
    assert_eq!(live["backends"][0]["name"], "store");
    // The same route, over the cluster, now sends the request to `cart`.
    let f = write(
        dir.path(),
        "store.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: store, namespace: shop}\nspec:\n  parentRefs: [{name: web}]\n  hostnames: [store.example.com]\n  rules: [{backendRefs: [{name: cart, port: 8081}]}]\n",
    );
    let overlaid = simulate(&[&f]);
    assert_eq!(overlaid["backends"][0]["name"], "cart", "{overlaid}");
}

/// `gwctl test --cluster` runs the cases through the live state; manifests named with
/// --manifests are put over it, and a case that no longer holds fails on its line.
#[test]
fn test_runs_cases_through_the_live_state_and_files_over_it() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let cases = write(
        dir.path(),
        "routing.yaml",
        "cases:\n  - name: store\n    request: {url: http://store.example.com/}\n    expect:\n      route: {namespace: shop, name: store}\n      backends: [{name: store, port: 8080}]\n",
    );
    let test = |files: &[&Path]| {
        let mut cmd = gwctl();
        cmd.args([
            "test",
            "--cluster",
            "-n",
            "shop",
            "-o",
            "json",
            "--kubeconfig",
        ])
        .arg(&kc)
        .arg(&cases);
        for f in files {
            cmd.arg("--manifests").arg(f);
        }
        let out = cmd.timeout(Duration::from_secs(60)).output().unwrap();
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
        (out.status.code(), v, stderr(&out))
    };
    let (code, v, err) = test(&[]);
    assert_eq!(code, Some(0), "{v}{err}");
    assert_eq!(v["summary"]["cases"]["passed"], 1, "{v}");
    let f = write(
        dir.path(),
        "store.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: store, namespace: shop}\nspec:\n  parentRefs: [{name: web}]\n  hostnames: [store.example.com]\n  rules: [{backendRefs: [{name: cart, port: 8081}]}]\n",
    );
    let (code, v, err) = test(&[&f]);
    assert_eq!(code, Some(1), "{v}{err}");
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "GW801", "{v}");
    assert_eq!(d["line"], 6, "{v}");
    assert!(d["message"].as_str().unwrap().contains("cart"), "{v}");
}

/// A file that changes an immutable field of a live object: the CEL transition rule
/// (`self == oldSelf`) runs with the live object as the old one, as on `kubectl apply`.
#[test]
fn transition_rules_see_the_live_object_as_old_self() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "class.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: eg}\nspec:\n  controllerName: other.example.com/gateway\n",
    );
    let (_, _, _, v) = run(&api, &["-n", "shop"], &[&f]);
    let found: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GW201" && d["field"] == "spec.controllerName")
        .collect();
    assert_eq!(found.len(), 1, "{v}");
    assert_eq!(found[0]["status"], "new");
    // The same file on its own (no old object) has nothing to compare with.
    let out = gwctl().arg("lint").arg(&f).output().unwrap();
    assert!(!stdout(&out).contains("GW201"), "{}", stdout(&out));
}

/// The findings about the Kubernetes version, from a run's JSON: (code, file, message).
fn about_kubernetes(v: &Value) -> Vec<(String, String, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GW605" || d["code"] == "GW606")
        .map(|d| {
            assert!(
                d["status"].is_null(),
                "about the cluster, not the files: {d}"
            );
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `lint --cluster` asks the API server its version (`GET /version`) and holds it against
/// the release: here no CRDs are installed, so the release is the newest gwctl knows, whose
/// standard TLSRoute needs Kubernetes 1.31 and whose window starts at 1.32.
#[test]
fn the_servers_kubernetes_version_is_checked_against_the_release() {
    let api = shop();
    let server = format!("cluster:http://127.0.0.1:{}/", api.port);
    // A managed offering's gitVersion.
    api.with(|s| s.kubernetes = version_info("1", "30+", "v1.30.4-gke.100"));
    let (code, human, err, v) = run(&api, &[], &[]);
    assert_eq!(code, Some(1), "{human}{err}");
    let found = about_kubernetes(&v);
    assert_eq!(
        found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["GW605", "GW606"],
        "{human}"
    );
    assert!(found.iter().all(|f| f.1 == server), "{found:?}");
    assert!(
        found[0].2.starts_with(
            "Kubernetes 1.30 cannot install the Gateway API v1.6.1 standard CRDs: TLSRoute v1 uses the CEL IP library (`isIP`)"
        ),
        "{found:?}"
    );
    assert_eq!(
        found[1].2,
        "Gateway API v1.6.1 supports Kubernetes 1.32–1.36; the cluster runs 1.30"
    );
    assert!(human.contains(&format!("--> {server}")), "{human}");
    assert!(
        api.log().iter().any(|l| l == "GET /version"),
        "{:?}",
        api.log()
    );
    assert!(!err.contains("Kubernetes version"), "{err}");

    // A gitVersion gwctl cannot read: `minor` (`31+`) says it.
    api.with(|s| s.kubernetes = version_info("1", "31+", "weird-build"));
    let (_, human, _, v) = run(&api, &[], &[]);
    let found = about_kubernetes(&v);
    assert_eq!(found.len(), 1, "{human}");
    assert_eq!(
        found[0].2,
        "Gateway API v1.6.1 supports Kubernetes 1.32–1.36; the cluster runs 1.31"
    );

    // The flag wins over the server, and so do the rule selection and overrides.
    let (_, human, _, v) = run(&api, &["--kubernetes-version", "1.34"], &[]);
    assert!(about_kubernetes(&v).is_empty(), "{human}");
    let (_, human, _, v) = run(&api, &["--ignore", "GW606"], &[]);
    assert!(about_kubernetes(&v).is_empty(), "{human}");
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "gwctl.yaml",
        "rules:\n  severity:\n    kubernetes-outside-support: error\n",
    );
    let (_, human, _, v) = run(&api, &["--config", config.to_str().unwrap()], &[]);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "GW606")
        .unwrap_or_else(|| panic!("{human}"));
    assert_eq!(d["severity"], "error");

    // With files over the cluster, the findings about it are said once, with no status.
    let f = write(
        dir.path(),
        "route.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: stale, namespace: shop}\nspec:\n  parentRefs: [{name: web}]\n  rules:\n  - backendRefs: [{name: store, port: 8080}]\n",
    );
    let (_, human, _, v) = run(&api, &[], &[&f]);
    assert_eq!(about_kubernetes(&v).len(), 1, "{human}");
}

/// The installed CRDs' release is the one held against the version: Gateway API v1.2.1
/// needs only CEL rules in CRDs (Kubernetes 1.25) and supports 1.27–1.31.
#[test]
fn the_installed_release_decides_what_the_version_needs() {
    let api = shop();
    if install_crds(&api, |_, _| {}).is_none() {
        return;
    }
    api.with(|s| s.kubernetes = version_info("1", "30", "v1.30.0"));
    let (_, human, _, v) = run(&api, &[], &[]);
    assert!(about_kubernetes(&v).is_empty(), "{human}");
    api.with(|s| s.kubernetes = version_info("1", "24", "v1.24.17"));
    let (code, human, _, v) = run(&api, &[], &[]);
    assert_eq!(code, Some(1), "{human}");
    let found = about_kubernetes(&v);
    assert_eq!(found.len(), 2, "{human}");
    assert!(
        found[0].2.starts_with("Kubernetes 1.24 cannot install the Gateway API v1.2.1 standard CRDs: ")
            && found[0].2.contains("uses CEL validation rules (`x-kubernetes-validations`), which Kubernetes has from 1.25"),
        "{found:?}"
    );
    assert_eq!(
        found[1].2,
        "Gateway API v1.2.1 supports Kubernetes 1.27–1.31; the cluster runs 1.24"
    );
    // Asking about an upgrade: the release the user names is the one held against it.
    let (_, human, _, v) = run(&api, &["--gateway-api-version", "v1.5"], &[]);
    let found = about_kubernetes(&v);
    assert_eq!(
        found.len(),
        4,
        "CEL, the policy API, the IP library, the window:\n{human}"
    );
    // Sorted as findings are: about the CRDs, then about the bundle, then the window.
    assert!(
        found[2]
            .2
            .contains("bundle: its ValidatingAdmissionPolicy uses admissionregistration.k8s.io/v1"),
        "{found:?}"
    );
}

/// A `/version` that fails or says nothing readable: no finding, one note on stderr, and
/// the run goes on as before. With the version given, nothing is said.
#[test]
fn an_unreadable_server_version_is_a_note() {
    let api = shop();
    let (clean_code, ..) = run(&api, &[], &[]);
    for (what, setup) in [
        ("a 500", 0),
        ("a 403", 1),
        ("no such path", 2),
        ("no version in it", 3),
    ] {
        api.with(|s| {
            s.fail.clear();
            s.kubernetes = version_info("1", "35", "v1.35.2");
            match setup {
                0 => drop(s.fail.insert("/version".into(), 500)),
                1 => drop(s.fail.insert("/version".into(), 403)),
                2 => s.kubernetes = Value::Null,
                _ => {
                    s.kubernetes =
                        json!({"major": "", "minor": "", "gitVersion": "unknown", "platform": "x"})
                }
            }
        });
        let (code, human, err, v) = run(&api, &[], &[]);
        assert_eq!(code, clean_code, "{what}: {human}{err}");
        assert!(about_kubernetes(&v).is_empty(), "{what}: {human}");
        let notes: Vec<&str> = err
            .lines()
            .filter(|l| l.contains("cannot read the cluster's Kubernetes version"))
            .collect();
        assert_eq!(notes.len(), 1, "{what}: {err}");
        assert!(notes[0].starts_with("gwctl: note: "), "{what}: {err}");
        assert!(notes[0].contains("--kubernetes-version"), "{what}: {err}");
        let (_, human, err, v) = run(&api, &["--kubernetes-version", "1.30"], &[]);
        assert!(!err.contains("Kubernetes version"), "{what}: {err}");
        assert_eq!(about_kubernetes(&v).len(), 2, "{what}: {human}");
    }
}

/// Over a live cluster, the features a Gateway and its routes need are checked against the
/// Gateway's GatewayClass `status.supportedFeatures`, with no flag: objects with a `name`
/// (v1.2+) and v1.1's plain strings alike. A file over the cluster is checked the same way.
#[test]
fn features_are_checked_against_each_gateways_class() {
    let api = FakeApi::start();
    api.add(
        "gatewayclasses",
        json!({"apiVersion": format!("{GW}/v1"), "kind": "GatewayClass", "metadata": meta(None, "eg", 3),
               "spec": {"controllerName": "example.com/gateway"},
               "status": {"supportedFeatures": [{"name": "Gateway"}, {"name": "HTTPRoute"},
                                                {"name": "HTTPRouteQueryParamMatching"}]}}),
    );
    api.add(
        "gatewayclasses",
        json!({"apiVersion": format!("{GW}/v1"), "kind": "GatewayClass", "metadata": meta(None, "old", 4),
               "spec": {"controllerName": "example.com/old"},
               "status": {"supportedFeatures": ["Gateway", "HTTPRoute", "GatewayPort8080"]}}),
    );
    for (name, class, port) in [("web", "eg", 80), ("legacy", "old", 8080)] {
        api.add(
            "gateways",
            json!({"apiVersion": format!("{GW}/v1"), "kind": "Gateway", "metadata": meta(Some("shop"), name, 5),
                   "spec": {"gatewayClassName": class, "listeners": [
                       {"name": "http", "port": port, "protocol": "HTTP", "allowedRoutes": {"namespaces": {"from": "Same"}}}]}}),
        );
    }
    api.add(
        "httproutes",
        json!({"apiVersion": format!("{GW}/v1"), "kind": "HTTPRoute", "metadata": meta(Some("shop"), "search", 11),
               "spec": {"parentRefs": [{"name": "web"}, {"name": "legacy"}],
                        "rules": [{"matches": [{"queryParams": [{"name": "q", "value": "x"}]}],
                                   "filters": [{"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "store", "port": 8080}}}],
                                   "backendRefs": [{"name": "store", "port": 8080}]}]}}),
    );
    api.add(
        "services",
        json!({"apiVersion": "v1", "kind": "Service", "metadata": meta(Some("shop"), "store", 20),
               "spec": {"ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}}),
    );
    let (code, human, err, v) = run(&api, &["--select", "GW701"], &[]);
    assert_eq!(code, Some(1), "{human}{err}");
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    // Mirroring: neither class lists it. Query parameters: only `old` lacks them. Port 8080:
    // `old` lists it.
    assert_eq!(
        messages,
        [
            "feature HTTPRouteQueryParamMatching (a query parameter match) is not supported by GatewayClass old (example.com/old), the class of Gateway shop/legacy: its status.supportedFeatures does not list it",
            "feature HTTPRouteRequestMirror (requests mirrored) is not supported by GatewayClass eg (example.com/gateway), the class of Gateway shop/web: its status.supportedFeatures does not list it",
            "feature HTTPRouteRequestMirror (requests mirrored) is not supported by GatewayClass old (example.com/old), the class of Gateway shop/legacy: its status.supportedFeatures does not list it",
        ],
        "{human}"
    );
    // A file over the cluster: a new route on `web` with a port redirect.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "redirect.yaml",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: redirect, namespace: shop}\nspec:\n  parentRefs: [{name: web}]\n  rules:\n  - filters:\n    - type: RequestRedirect\n      requestRedirect: {port: 8443}\n",
    );
    let (_, human, _, v) = run(&api, &["--select", "GW701"], &[&file]);
    assert!(
        codes(&v).contains(&("GW701".into(), "redirect".into(), "new".into())),
        "{human}"
    );
    assert!(human.contains("HTTPRoutePortRedirect"), "{human}");
    // A report named on the command line replaces the classes' lists.
    let (_, human, _, v) = run(
        &api,
        &[
            "--select",
            "GW701",
            "--implementation",
            "envoy-gateway@v1.9.0",
            "--channel",
            "experimental",
        ],
        &[],
    );
    assert!(codes(&v).is_empty(), "{human}");
}

#[test]
fn the_live_state_is_drawn_by_graph_and_in_lint_s_html_report() {
    let api = shop();
    let dir = tempfile::tempdir().unwrap();
    let kc = api.kubeconfig(dir.path());
    let o = gwctl()
        .args(["graph", "--cluster", "-o", "json", "--kubeconfig"])
        .arg(&kc)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let node = |id: &str| {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("no {id} in {v}"))
            .clone()
    };
    // Live objects are placed at their printed YAML, and marked with the live findings.
    assert!(
        node("HTTPRoute/shop/stale")["source"]["file"]
            .as_str()
            .unwrap()
            .starts_with("cluster:HTTPRoute/shop/stale@")
    );
    assert_eq!(node("HTTPRoute/shop/stale/rule/0")["severity"], "error");
    assert_eq!(node("Service/shop/gone")["missing"], true);

    // lint --cluster with a file over the live state: the report draws the overlaid state.
    let change = shop_change(dir.path());
    let html = dir.path().join("report.html");
    let o = gwctl()
        .args(["lint", "--cluster", "--kubeconfig"])
        .arg(&kc)
        .arg(format!("--output=html={}", html.display()))
        .arg(&change)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gw-graph\""));
    assert!(page.contains("[new]"), "the findings keep their status");
    assert!(
        page.contains("class=\"to-node\""),
        "findings point at their nodes"
    );
    assert!(!page.contains(SECRET_VALUE));
}
