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
