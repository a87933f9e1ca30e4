//! `gwctl simulate` against upstream's own conformance manifests (v1.6.1): a mesh consumer
//! route reaches a backend in another namespace without a ReferenceGrant. The manifests are
//! read where they are, never copied.

use serde_json::Value;

use crate::common::{gwctl, shared_gateway_api, stderr, stdout};

fn conformance() -> Option<std::path::PathBuf> {
    shared_gateway_api().map(|d| d.join("v1.6.1/conformance"))
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
