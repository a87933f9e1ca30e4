//! `gwctl simulate` against upstream's own conformance manifests (v1.6.1), for what HTTP
//! routing gained after v1.1: the answers must be ones the conformance tests accept (CORS,
//! redirect codes 303/307/308, mirror shares, retries, timeouts, named rules), and a mesh
//! consumer route reaches a backend in another namespace without a ReferenceGrant. The
//! manifests are read where they are, never copied.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{gwctl, shared_gateway_api, stderr, stdout};

fn conformance() -> Option<PathBuf> {
    shared_gateway_api().map(|d| d.join("v1.6.1/conformance"))
}

/// `gwctl simulate -o json` over the base manifests and `test` (under `tests/`), through
/// the Gateway the HTTP conformance tests use.
fn simulate(dir: &Path, test: &str, args: &[&str]) -> Value {
    let out = gwctl()
        .args(["simulate", "-o", "json", "--channel", "experimental"])
        .arg(dir.join("base/manifests.yaml"))
        .arg(dir.join("tests").join(test))
        .args(["--gateway", "gateway-conformance-infra/same-namespace"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{test} {args:?}: {}",
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// A response header of the CORS answer, without the spaces after commas (the conformance
/// tests ignore whitespace).
fn cors_header(v: &Value, name: &str) -> Option<String> {
    v["cors"]["headers"]
        .as_object()?
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str().unwrap_or_default().replace(' ', ""))
}

#[test]
fn cors_answers_are_ones_the_conformance_test_accepts() {
    let Some(dir) = conformance() else { return };
    let preflight = |path: &str, origin: &str, method: &str, headers: Option<&str>| {
        let url = format!("http://example.com{path}");
        let o = format!("Origin: {origin}");
        let m = format!("Access-Control-Request-Method: {method}");
        let mut args = vec!["--url", &url, "-X", "OPTIONS", "-H", &o, "-H", &m];
        let h = headers.map(|h| format!("Access-Control-Request-Headers: {h}"));
        if let Some(h) = &h {
            args.extend(["-H", h.as_str()]);
        }
        simulate(&dir, "httproute-cors.yaml", &args)
    };

    // An exact origin and a wildcard one, with credentials and listed methods and headers.
    for origin in [
        "https://www.foo.com",
        "https://www.bar.com",
        "https://xpto.www.bar.com",
    ] {
        let v = preflight("/cors-1", origin, "GET", Some("x-header-1, x-header-2"));
        assert_eq!(v["outcome"], "cors-preflight");
        assert!([200, 204].contains(&v["status"].as_u64().unwrap()));
        assert_eq!(v["cors"]["allowed"], true, "{origin}");
        let h = |n| cors_header(&v, n);
        assert_eq!(h("access-control-allow-origin").as_deref(), Some(origin));
        assert!(
            ["GET,OPTIONS", "OPTIONS,GET"]
                .contains(&h("access-control-allow-methods").unwrap().as_str())
        );
        assert!(
            ["x-header-1,x-header-2", "x-header-2,x-header-1"]
                .contains(&h("access-control-allow-headers").unwrap().as_str())
        );
        assert!(
            ["x-header-3,x-header-4", "x-header-4,x-header-3"]
                .contains(&h("access-control-expose-headers").unwrap().as_str())
        );
        assert_eq!(h("access-control-max-age").as_deref(), Some("3600"));
        assert_eq!(
            h("access-control-allow-credentials").as_deref(),
            Some("true")
        );
    }

    // An origin not allowed gets no Access-Control-Allow-Origin.
    let v = preflight("/cors-1", "https://foobar.com", "GET", None);
    assert!([200, 204, 403].contains(&v["status"].as_u64().unwrap()));
    assert_eq!(cors_header(&v, "access-control-allow-origin"), None);

    // A wildcard method list, no credentials.
    let v = preflight("/cors-2", "https://www.foo.com", "POST", None);
    assert!(
        ["POST", "*"].contains(
            &cors_header(&v, "access-control-allow-methods")
                .unwrap()
                .as_str()
        )
    );
    assert_eq!(
        cors_header(&v, "access-control-allow-origin").as_deref(),
        Some("https://www.foo.com")
    );
    assert_eq!(cors_header(&v, "access-control-allow-credentials"), None);

    // A wildcard origin, with a port.
    for origin in ["https://foobar.com", "https://foobar.com:12345"] {
        let v = preflight("/cors-wildcard-origin", origin, "PUT", None);
        let o = cors_header(&v, "access-control-allow-origin").unwrap();
        assert!(o == origin || o == "*", "{o}");
        assert_eq!(
            cors_header(&v, "access-control-allow-methods").as_deref(),
            Some("PUT")
        );
        assert_eq!(cors_header(&v, "access-control-allow-credentials"), None);
    }

    // Wildcards with credentials: everything is echoed, nothing is `*`.
    let v = preflight(
        "/cors-wildcard-methods-headers",
        "https://other.foo.com",
        "PUT",
        Some("x-header-1, x-header-2"),
    );
    assert_eq!(
        cors_header(&v, "access-control-allow-origin").as_deref(),
        Some("https://other.foo.com")
    );
    assert_eq!(
        cors_header(&v, "access-control-allow-methods").as_deref(),
        Some("PUT")
    );
    assert!(
        ["x-header-1,x-header-2", "x-header-2,x-header-1"].contains(
            &cors_header(&v, "access-control-allow-headers")
                .unwrap()
                .as_str()
        )
    );
    assert_eq!(
        cors_header(&v, "access-control-allow-credentials").as_deref(),
        Some("true")
    );

    // Cross-origin requests that are not preflights are forwarded, with the headers added.
    let simple = |path: &str, origin: &str| {
        let url = format!("http://example.com{path}");
        let o = format!("Origin: {origin}");
        simulate(&dir, "httproute-cors.yaml", &["--url", &url, "-H", &o])
    };
    let v = simple("/cors-1", "https://www.bar.com");
    assert_eq!(v["status"], 200);
    assert_eq!(
        cors_header(&v, "access-control-allow-origin").as_deref(),
        Some("https://www.bar.com")
    );
    let v = simple("/cors-1", "https://foobar.com");
    assert_eq!(cors_header(&v, "access-control-allow-origin"), None);
    let v = simple("/cors-wildcard-methods-headers", "https://other.foo.com");
    assert_eq!(
        cors_header(&v, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let v = simple(
        "/cors-wildcard-methods-headers-unauth",
        "https://other.foo.com",
    );
    assert_eq!(cors_header(&v, "access-control-allow-credentials"), None);
}

#[test]
fn redirect_codes_mirror_shares_retries_timeouts_and_rule_names() {
    let Some(dir) = conformance() else { return };
    for (file, path, code) in [
        ("httproute-303-redirect.yaml", "/see-other", 303),
        ("httproute-307-redirect.yaml", "/temporary", 307),
        ("httproute-308-redirect.yaml", "/permanent", 308),
    ] {
        let url = format!("http://example.com{path}");
        let v = simulate(&dir, file, &["--url", &url]);
        assert_eq!(v["outcome"], "redirect", "{file}");
        assert_eq!(v["status"], code, "{file}");
    }

    let v = simulate(
        &dir,
        "httproute-request-percentage-mirror.yaml",
        &["--url", "http://example.com/percent-mirror"],
    );
    assert_eq!(v["mirrors"][0]["mirrored"]["percent"], 20.0);
    let v = simulate(
        &dir,
        "httproute-request-percentage-mirror.yaml",
        &["--url", "http://example.com/percent-mirror-fraction"],
    );
    assert_eq!(v["mirrors"][0]["mirrored"]["percent"], 50.0);
    assert_eq!(v["mirrors"][0]["mirrored"]["fraction"]["denominator"], 50);

    let v = simulate(
        &dir,
        "httproute-retry.yaml",
        &["--url", "http://example.com/retry/code-all-attempts-2"],
    );
    assert_eq!(v["retry"]["codes"], serde_json::json!([500, 502, 503, 504]));
    assert_eq!(v["retry"]["attempts"], 2);

    let v = simulate(
        &dir,
        "httproute-timeout-request.yaml",
        &["--url", "http://example.com/request-timeout"],
    );
    assert!(v["timeouts"]["request"].is_string(), "{v}");

    let v = simulate(
        &dir,
        "httproute-named-rule.yaml",
        &["--url", "http://example.com/named"],
    );
    assert_eq!(v["rule_name"], "named-rule");
    let v = simulate(
        &dir,
        "httproute-named-rule.yaml",
        &["--url", "http://example.com/unnamed"],
    );
    assert!(v.get("rule_name").is_none(), "{v}");
}

#[test]
fn a_mesh_consumer_route_needs_no_reference_grant() {
    let Some(dir) = conformance() else { return };
    let out = gwctl()
        .args(["simulate", "-o", "json"])
        .arg(dir.join("tests/mesh/mesh-consumer-route.yaml"))
        .args(["--url", "http://echo-v1.gateway-conformance-mesh/"])
        .args(["--service", "gateway-conformance-mesh/echo-v1:80"])
        .args(["--from-namespace", "gateway-conformance-mesh-consumer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["outcome"], "routed");
    assert_eq!(v["status"], 200);
    assert_eq!(v["backends"][0]["valid"], true);
    assert_eq!(v["responseHeaders"]["set"]["X-Header-Set"], "set");
    // Lint agrees: no GW313 for the consumer route.
    let lint = gwctl()
        .args(["lint", "-o", "json", "--select", "GW313"])
        .arg(dir.join("tests/mesh/mesh-consumer-route.yaml"))
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
}
