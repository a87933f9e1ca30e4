//! The simulator against upstream's own conformance expectations: each case loads the
//! manifests a v1.6.1 conformance test applies (the suite's base manifests plus the test's
//! own, read from ../shared/gateway-api, never copied into the project), sends the requests
//! that test sends, and checks the answer the test requires of a conformant implementation:
//! the backend that must answer, or the status. Reads the shared reference data, which CI
//! must provide (see common::shared_gateway_api).

use crate::common;

use gwctl::graph::Graph;
use gwctl::load::{self, Input};
use gwctl::sim::{self, Options, Outcome, Request, Trace};

/// What a conformance test requires of the answer to one request.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Forwarded to this Service (in any namespace).
    Backend(&'static str),
    /// HTTP status 404, no route.
    NotFound,
    /// gRPC status UNIMPLEMENTED, no route.
    Unimplemented,
}

/// One request of a conformance test: host, path, and whether it is a gRPC call.
struct Case {
    host: &'static str,
    path: &'static str,
    expect: Expect,
}

const fn case(host: &'static str, path: &'static str, expect: Expect) -> Case {
    Case { host, path, expect }
}

/// The graph of the base manifests and `tests` (conformance manifest files), read with
/// schema defaults applied, as `gwctl simulate` reads them. `None` when the shared
/// reference data is missing (outside CI).
fn manifests(tests: &[&str]) -> Option<gwctl::model::Inventory> {
    let dir = common::shared_gateway_api()?.join("v1.6.1/conformance");
    let mut text = std::fs::read_to_string(dir.join("base/manifests.yaml")).unwrap();
    for t in tests {
        text.push_str("\n---\n");
        text.push_str(&std::fs::read_to_string(dir.join("tests").join(t)).unwrap());
    }
    let mut loaded = load::load(
        &[Input::Stdin],
        &load::Options::default(),
        &mut text.as_bytes(),
    );
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let store = gwctl::schema::Store::bundled();
    gwctl::checks::schema::check(
        &mut loaded.inventory,
        &store,
        gwctl::schema::Channel::Experimental,
        &loaded.live,
    );
    Some(loaded.inventory)
}

fn request(scheme: &str, port: u16, host: &str, path: &str, grpc: bool) -> Request {
    Request {
        method: if grpc { "POST" } else { "GET" }.into(),
        scheme: scheme.into(),
        host: host.into(),
        port,
        path: path.into(),
        query: String::new(),
        headers: Vec::new(),
        grpc: grpc.then(|| {
            (
                "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho".into(),
                "Echo".into(),
            )
        }),
    }
}

/// Sends every case to Gateway `gateway` in the conformance infrastructure namespace on
/// port 80 and checks each answer.
fn check(inventory: &gwctl::model::Inventory, gateway: &str, grpc: bool, cases: &[Case]) {
    let graph = Graph::build(inventory);
    let opts = Options {
        gateway: Some(("gateway-conformance-infra".into(), gateway.into())),
        ..Options::default()
    };
    for c in cases {
        let req = request("http", 80, c.host, c.path, grpc);
        let t = sim::simulate(&graph, &req, &opts).unwrap();
        let what = format!("{gateway}: {}{} ({:?})", c.host, c.path, c.expect);
        assert_answer(&t, c.expect, &what);
    }
}

#[track_caller]
fn assert_answer(t: &Trace, expect: Expect, what: &str) {
    match expect {
        Expect::Backend(name) => {
            assert_eq!(t.outcome, Outcome::Routed, "{what}: {t:#?}");
            let i = t.forwarded.backend.expect("forwarded");
            assert_eq!(t.backends[i].name, name, "{what}");
        }
        Expect::NotFound => {
            assert_eq!(t.outcome, Outcome::NotFound, "{what}: {t:#?}");
            assert_eq!(t.status, Some(404), "{what}");
            assert_eq!(t.grpc_status, None, "{what}");
        }
        Expect::Unimplemented => {
            assert_eq!(t.outcome, Outcome::NotFound, "{what}: {t:#?}");
            assert_eq!(t.grpc_status, Some("UNIMPLEMENTED"), "{what}");
        }
    }
}

use Expect::{Backend, NotFound, Unimplemented};

#[test]
fn httproute_listener_hostname_matching() {
    let Some(inv) = manifests(&["httproute-listener-hostname-matching.yaml"]) else {
        return;
    };
    check(
        &inv,
        "httproute-listener-hostname-matching",
        false,
        &[
            case("bar.com", "/", Backend("infra-backend-v1")),
            case("foo.bar.com", "/", Backend("infra-backend-v2")),
            case("baz.bar.com", "/", Backend("infra-backend-v3")),
            case("boo.bar.com", "/", Backend("infra-backend-v3")),
            case(
                "multiple.prefixes.bar.com",
                "/",
                Backend("infra-backend-v3"),
            ),
            case(
                "multiple.prefixes.foo.com",
                "/",
                Backend("infra-backend-v3"),
            ),
            // No listener takes these hosts on port 80: 404, not a refused connection.
            case("foo.com", "/", NotFound),
            case("no.matching.host", "/", NotFound),
        ],
    );
}

#[test]
fn grpcroute_listener_hostname_matching() {
    let Some(inv) = manifests(&["grpcroute-listener-hostname-matching.yaml"]) else {
        return;
    };
    check(
        &inv,
        "grpcroute-listener-hostname-matching",
        true,
        &[
            case("bar.com", "/", Backend("grpc-infra-backend-v1")),
            case("foo.bar.com", "/", Backend("grpc-infra-backend-v2")),
            case("baz.bar.com", "/", Backend("grpc-infra-backend-v3")),
            case("boo.bar.com", "/", Backend("grpc-infra-backend-v3")),
            case(
                "multiple.prefixes.bar.com",
                "/",
                Backend("grpc-infra-backend-v3"),
            ),
            case(
                "multiple.prefixes.foo.com",
                "/",
                Backend("grpc-infra-backend-v3"),
            ),
            case("foo.com", "/", Unimplemented),
            case("no.matching.host", "/", Unimplemented),
        ],
    );
}

#[test]
fn httproute_hostname_intersection() {
    let Some(inv) = manifests(&["httproute-hostname-intersection.yaml"]) else {
        return;
    };
    // The test's "Host: very.specific.com:1234" case is left out: gwctl's request host
    // has no port of its own (the URL's port chooses the listener).
    check(
        &inv,
        "httproute-hostname-intersection",
        false,
        &[
            case("very.specific.com", "/s1", Backend("infra-backend-v1")),
            case("non.matching.com", "/s1", NotFound),
            case("foo.nonmatchingwildcard.io", "/s1", NotFound),
            case("foo.wildcard.io", "/s1", NotFound),
            case("very.specific.com", "/non-matching-prefix", NotFound),
            case("foo.wildcard.io", "/s2", Backend("infra-backend-v2")),
            case("bar.wildcard.io", "/s2", Backend("infra-backend-v2")),
            case("foo.bar.wildcard.io", "/s2", Backend("infra-backend-v2")),
            case("non.matching.com", "/s2", NotFound),
            case("wildcard.io", "/s2", NotFound),
            case("very.specific.com", "/s2", NotFound),
            case("foo.wildcard.io", "/non-matching-prefix", NotFound),
            case("very.specific.com", "/s3", Backend("infra-backend-v3")),
            case("non.matching.com", "/s3", NotFound),
            case("foo.specific.com", "/s3", NotFound),
            case("foo.wildcard.io", "/s3", NotFound),
            case("very.specific.com", "/non-matching-prefix", NotFound),
            case("foo.anotherwildcard.io", "/s4", Backend("infra-backend-v1")),
            case("bar.anotherwildcard.io", "/s4", Backend("infra-backend-v1")),
            case(
                "foo.bar.anotherwildcard.io",
                "/s4",
                Backend("infra-backend-v1"),
            ),
            case("anotherwildcard.io", "/s4", NotFound),
            case("foo.wildcard.io", "/s4", NotFound),
            case("very.specific.com", "/s4", NotFound),
            case("foo.anotherwildcard.io", "/non-matching-prefix", NotFound),
            // Route no-intersecting-hosts is not accepted anywhere.
            case("specific.but.wrong.com", "/s5", NotFound),
            case("wildcard.io", "/s5", NotFound),
        ],
    );
    check(
        &inv,
        "httproute-hostname-intersection-all",
        false,
        &[
            case("first.com", "/", Backend("infra-backend-v2")),
            case("sub.first.com", "/", Backend("infra-backend-v2")),
            case("second.com", "/", Backend("infra-backend-v2")),
            case("sub.second.com", "/", Backend("infra-backend-v2")),
            case("third.com", "/", NotFound),
            case("sub.third.com", "/", NotFound),
        ],
    );
}

#[test]
fn listenerset_http_routing() {
    let Some(inv) = manifests(&["listenerset-http-routing.yaml"]) else {
        return;
    };
    const G1: &str = "gateway-listener-1.com";
    const G2: &str = "gateway-listener-2.com";
    const S11: &str = "listener-set-http-routing-1-listener-1.com";
    const S12: &str = "listener-set-http-routing-1-listener-2.com";
    const S21: &str = "listener-set-http-routing-2-listener-1.com";
    const S22: &str = "listener-set-http-routing-2-listener-2.com";
    let all = [G1, G2, S11, S12, S21, S22];
    let mut cases = Vec::new();
    // A route with parentRefs to the Gateway and both ListenerSets is on every listener.
    for h in all {
        cases.push(case(h, "/route", Backend("infra-backend-v1")));
    }
    // A parentRef to the Gateway reaches its own listeners only, never its ListenerSets'.
    for h in all {
        let on_gateway = h == G1 || h == G2;
        cases.push(case(
            h,
            "/gateway-route",
            if on_gateway {
                Backend("infra-backend-v2")
            } else {
                NotFound
            },
        ));
        cases.push(case(
            h,
            "/gateway-section-route",
            if h == G1 {
                Backend("infra-backend-v3")
            } else {
                NotFound
            },
        ));
        let on_set_1 = h == S11 || h == S12;
        cases.push(case(
            h,
            "/listener-set-http-routing-1-route",
            if on_set_1 {
                Backend("infra-backend-v2")
            } else {
                NotFound
            },
        ));
        cases.push(case(
            h,
            "/listener-set-http-routing-1-section-route",
            if h == S11 {
                Backend("infra-backend-v3")
            } else {
                NotFound
            },
        ));
    }
    check(
        &inv,
        "gateway-with-listener-sets-http-routing",
        false,
        &cases,
    );
}

#[test]
fn listenerset_allowed_routes_namespaces() {
    let Some(inv) = manifests(&["listenerset-allowed-routes-namespaces.yaml"]) else {
        return;
    };
    const ALL: &str = "listener-set-listener-allowed-routes-all.com";
    const SAME: &str = "listener-set-listener-allowed-routes-same.com";
    const SELECTOR: &str = "listener-set-listener-allowed-routes-selector.com";
    const CROSS: &str = "listener-set-listener-allowed-routes-cross-ns-same.com";
    check(
        &inv,
        "gateway-with-listener-sets-test-allowed-routes",
        false,
        &[
            case(ALL, "/route-in-same-namespace", Backend("infra-backend-v1")),
            case(
                ALL,
                "/route-in-selected-namespace",
                Backend("infra-backend-v2"),
            ),
            case(
                ALL,
                "/route-not-in-selected-namespace",
                Backend("infra-backend-v3"),
            ),
            // `Same` on a ListenerSet listener means the ListenerSet's namespace.
            case(
                SAME,
                "/route-in-same-namespace",
                Backend("infra-backend-v1"),
            ),
            case(SAME, "/route-in-selected-namespace", NotFound),
            case(SAME, "/route-not-in-selected-namespace", NotFound),
            case(SELECTOR, "/route-in-same-namespace", NotFound),
            case(
                SELECTOR,
                "/route-in-selected-namespace",
                Backend("infra-backend-v2"),
            ),
            case(SELECTOR, "/route-not-in-selected-namespace", NotFound),
            case(
                CROSS,
                "/route-in-listenerset-namespace",
                Backend("infra-backend-v1"),
            ),
            case(CROSS, "/route-in-gateway-namespace", NotFound),
        ],
    );
}

/// Which listeners of a ListenerSet conformance test's Gateway are served, and which
/// conflict: (ListenerSet or "" for the Gateway, listener, conflicted).
fn conflicts(inv: &gwctl::model::Inventory, gateway: &str) -> Vec<(String, String, bool)> {
    let graph = Graph::build(inv);
    let gi = graph
        .gateway_index("gateway-conformance-infra", gateway)
        .unwrap();
    graph
        .merged(gi)
        .listeners
        .iter()
        .enumerate()
        .map(|(mi, ml)| {
            let set = ml
                .set
                .map(|s| graph.listener_sets[s].name.clone())
                .unwrap_or_default();
            (
                set,
                graph.listener(gi, mi).name.clone(),
                ml.conflict.is_some(),
            )
        })
        .collect()
}

#[test]
fn listenerset_hostname_and_protocol_conflicts() {
    for (file, gateway, what) in [
        (
            "listenerset-hostname-conflict.yaml",
            "gateway-with-listenerset-hostname-conflict",
            "hostname",
        ),
        (
            "listenerset-protocol-conflict.yaml",
            "gateway-with-listenerset-protocol-conflict",
            "protocol",
        ),
    ] {
        let Some(inv) = manifests(&[file]) else {
            return;
        };
        let got = conflicts(&inv, gateway);
        // What the conformance test requires: the Gateway's own listeners and the first
        // of each conflicting pair in precedence order are accepted, the others conflicted;
        // a ListenerSet whose only listener conflicts contributes nothing that is served.
        let want: Vec<(String, String, bool)> = [
            ("", "gateway-listener", false),
            ("", &format!("{what}-conflict-with-gateway-listener"), false),
            (
                &format!("listenerset-with-{what}-conflict-with-gateway-1"),
                "listener-set-1-listener",
                false,
            ),
            (
                &format!("listenerset-with-{what}-conflict-with-gateway-1"),
                &format!("{what}-conflict-with-gateway-listener"),
                true,
            ),
            (
                &format!("listenerset-with-{what}-conflict-with-gateway-1"),
                &format!("{what}-conflict-with-listener-set-listener"),
                false,
            ),
            (
                &format!("listenerset-with-{what}-conflict-with-gateway-2"),
                &format!("{what}-conflict-with-gateway-listener"),
                true,
            ),
            (
                &format!("listenerset-with-{what}-conflict-with-listener-set-1"),
                "listener-set-2-listener",
                false,
            ),
            (
                &format!("listenerset-with-{what}-conflict-with-listener-set-1"),
                &format!("{what}-conflict-with-listener-set-listener"),
                true,
            ),
            (
                &format!("listenerset-with-{what}-conflict-with-listener-set-2"),
                &format!("{what}-conflict-with-listener-set-listener"),
                true,
            ),
        ]
        .iter()
        .map(|(s, l, c)| (s.to_string(), l.to_string(), *c))
        .collect();
        assert_eq!(got, want, "{file}");
    }
}

/// A ListenerSet (namespace, name) and whether its Gateway admits it.
type Admission = (&'static str, &'static str, bool);

#[test]
fn listenerset_allowed_namespaces() {
    // (conformance manifest, Gateway, ListenerSet namespace/name, admitted)
    let cases: &[(&str, &str, &[Admission])] = &[
        (
            "listenerset-default-not-allowed.yaml",
            "gateway-default-does-not-allow-listenerset",
            &[(
                "gateway-conformance-infra",
                "listenerset-default-not-allowed",
                false,
            )],
        ),
        (
            "listenerset-allowed-namespace-none.yaml",
            "gateway-does-not-allow-listenerset",
            &[(
                "gateway-conformance-infra",
                "listenerset-not-allowed",
                false,
            )],
        ),
        (
            "listenerset-allowed-namespace-same.yaml",
            "gateway-allows-listenerset-in-same-namespace",
            &[
                (
                    "gateway-conformance-infra",
                    "listenerset-in-same-namespace",
                    true,
                ),
                (
                    "gateway-api-listenerset-not-allowed-ns",
                    "listenerset-in-different-namespace",
                    false,
                ),
            ],
        ),
        (
            "listenerset-allowed-namespace-selector.yaml",
            "gateway-allows-listenerset-in-selected-namespace",
            &[
                (
                    "gateway-api-listenerset-selector-allowed-ns",
                    "listenerset-in-selected-namespace",
                    true,
                ),
                (
                    "gateway-api-listenerset-selector-not-allowed-ns",
                    "listenerset-not-in-selected-namespace",
                    false,
                ),
            ],
        ),
    ];
    for (file, gateway, sets) in cases {
        let Some(inv) = manifests(&[file]) else {
            return;
        };
        let graph = Graph::build(&inv);
        let gi = graph
            .gateway_index("gateway-conformance-infra", gateway)
            .unwrap();
        for (ns, name, admitted) in *sets {
            let si = graph.listener_set_index("ListenerSet", ns, name).unwrap();
            let got = graph.merged(gi).admits(si).map(Result::is_ok);
            assert_eq!(got, Some(*admitted), "{file}: {ns}/{name}");
        }
    }
}

/// Sends TLS connections with SNI `host` to port 443 of Gateway `gateway` and checks each:
/// the backend that must answer, or `None` where the connection must be rejected.
fn check_tls(inv: &gwctl::model::Inventory, gateway: &str, cases: &[(&str, Option<&str>)]) {
    let graph = Graph::build(inv);
    let opts = Options {
        gateway: Some(("gateway-conformance-infra".into(), gateway.into())),
        ..Options::default()
    };
    for (host, want) in cases {
        let mut req = request("tls", 443, host, "", false);
        req.method = String::new();
        let t = sim::simulate(&graph, &req, &opts).unwrap();
        let what = format!("{gateway}: tls://{host}");
        assert_eq!(t.status, None, "{what}");
        match want {
            Some(name) => {
                assert_eq!(t.outcome, Outcome::Routed, "{what}: {t:#?}");
                let i = t.forwarded.backend.expect("forwarded");
                assert_eq!(t.backends[i].name, *name, "{what}");
            }
            None => assert_eq!(t.outcome, Outcome::NotFound, "{what}: {t:#?}"),
        }
    }
}

#[test]
fn tlsroute_hostname_intersection() {
    let Some(inv) = manifests(&["tlsroute-hostname-intersection.yaml"]) else {
        return;
    };
    check_tls(
        &inv,
        "gw-tlsroute-exact-hostname-x-1",
        &[
            ("abc.example.com", Some("tls-backend")),
            ("non.matching.com", None),
        ],
    );
    for gateway in [
        "gw-tlsroute-more-specific-wc-hostname-x-2",
        "gw-tlsroute-less-specific-wc-hostname-x-3",
    ] {
        check_tls(
            &inv,
            gateway,
            &[
                ("abc.example.com", Some("tls-backend")),
                ("other.example.com", Some("tls-backend-2")),
                ("non.matching.com", None),
            ],
        );
    }
    check_tls(
        &inv,
        "gw-tlsroute-empty-hostname-x-4",
        &[
            ("abc.example.com", Some("tls-backend")),
            ("other.example.com", Some("tls-backend-2")),
            ("non.matching.org", None),
        ],
    );
}

#[test]
fn tcproute_weighted_routing() {
    let Some(inv) = manifests(&["tcproute-weighted-routing.yaml"]) else {
        return;
    };
    let graph = Graph::build(&inv);
    let opts = Options {
        gateway: Some((
            "gateway-conformance-infra".into(),
            "tcp-weighted-gateway".into(),
        )),
        requests: 10_000,
        seed: 1,
        ..Options::default()
    };
    let mut req = request("tcp", 9300, "gateway.example.com", "", false);
    req.method = String::new();
    let t = sim::simulate(&graph, &req, &opts).unwrap();
    assert_eq!(t.outcome, Outcome::Routed, "{t:#?}");
    let counts = &t.distribution.as_ref().expect("a spread").counts;
    let share = |name: &str| {
        counts
            .iter()
            .find(|c| c.name.contains(name))
            .map_or(0.0, |c| c.count as f64 / 10_000.0)
    };
    // The test's expected weights, within its tolerance.
    assert!((share("tcp-backend-v1") - 0.7).abs() < 0.05, "{counts:?}");
    assert!((share("tcp-backend-v2") - 0.3).abs() < 0.05, "{counts:?}");
    assert_eq!(share("tcp-backend-v3"), 0.0, "{counts:?}");
}

#[test]
fn httproute_https_listener_detect_misdirected_requests() {
    let Some(inv) = manifests(&["httproute-https-listener-detect-misdirected-requests.yaml"])
    else {
        return;
    };
    let graph = Graph::build(&inv);
    // (SNI, Host, the backend that answers or the status), as the conformance test sends them.
    let cases: &[(&str, &str, Result<&str, u16>)] = &[
        ("example.org", "example.org", Ok("infra-backend-v1")),
        ("example.org", "second-example.org", Err(421)),
        ("example.org", "unknown-example.org", Err(404)),
        (
            "second-example.org",
            "second-example.org",
            Ok("infra-backend-v2"),
        ),
        ("second-example.org", "example.org", Err(421)),
        ("second-example.org", "unknown-example.org", Err(421)),
        (
            "third-example.wildcard.org",
            "third-example.wildcard.org",
            Ok("infra-backend-v3"),
        ),
        (
            "third-example.wildcard.org",
            "fith-example.wildcard.org",
            Ok("infra-backend-v3"),
        ),
        (
            "third-example.wildcard.org",
            "fourth-example.wildcard.org",
            Err(421),
        ),
        ("third-example.wildcard.org", "second-example.org", Err(421)),
        (
            "third-example.wildcard.org",
            "unknown-example.org",
            Err(421),
        ),
        (
            "fourth-example.wildcard.org",
            "fourth-example.wildcard.org",
            Ok("infra-backend-v1"),
        ),
        (
            "fourth-example.wildcard.org",
            "fith-example.wildcard.org",
            Err(421),
        ),
        ("unknown-example.org", "example.org", Ok("infra-backend-v1")),
        ("unknown-example.org", "unknown-example.org", Err(404)),
    ];
    for (sni, host, want) in cases {
        let opts = Options {
            gateway: Some((
                "gateway-conformance-infra".into(),
                "same-namespace-with-https-listener".into(),
            )),
            sni: Some((*sni).into()),
            ..Options::default()
        };
        let req = request("https", 443, host, "/detect-misdirected-requests", false);
        let t = sim::simulate(&graph, &req, &opts).unwrap();
        let what = format!("SNI {sni}, Host {host}");
        match want {
            Ok(name) => assert_answer(&t, Backend(name), &what),
            Err(421) => {
                assert_eq!(t.outcome, Outcome::Misdirected, "{what}: {t:#?}");
                assert_eq!(t.status, Some(421), "{what}");
            }
            Err(_) => assert_answer(&t, NotFound, &what),
        }
    }
}
