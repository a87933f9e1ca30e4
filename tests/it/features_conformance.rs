//! `gwctl features` against upstream's own statement of what each v1.6.1 conformance test
//! needs (`../shared/reference/conformance-tests-v1.6.1.txt`): over each test's manifests
//! (read with the suite's base manifests, whose Services say which protocol a backend port
//! speaks; only the test's own objects are counted), the features found must include
//! every feature the test lists, except those in [`gwctl::features::BEHAVIOUR_ONLY`]
//! (behaviour no field shows) and the few of [`UNMET`], and no feature found may lie
//! outside the test's profiles unless [`OUTSIDE_PROFILE`] gives the reason. Prints the
//! agreement figures. Reads the shared reference data, which CI must provide.

use std::collections::BTreeSet;

use crate::common;

use gwctl::features::{self, BEHAVIOUR_ONLY};
use gwctl::load::{self, Input};
use gwctl::schema::Release;

/// Features found outside a test's profiles, each with why that is right: (test, or a
/// prefix of test names ending in `*`, feature, reason).
const OUTSIDE_PROFILE: &[(&str, &str, &str)] = &[
    (
        "Mesh*",
        "HTTPRouteParentRefPort",
        "upstream's MeshPorts test lists it for a Service parent's port, and MESH-HTTP has no variant of its own; the other mesh tests name port 80 without listing it",
    ),
    (
        "ListenerSetProtocolConflict",
        "TCPRoute",
        "the test gives a listener protocol TCP only so that it conflicts with another on its port; a TCP listener is for TCPRoutes",
    ),
];

/// Tests whose listed features the manifests do not show, each with why: (test, feature,
/// reason). They count against the agreement figure.
const UNMET: &[(&str, &str, &str)] = &[
    (
        "GatewayInvalidTLSBackendConfiguration",
        "HTTPRoute",
        "its manifests are Gateways with bad client certificates only; the suite lists the routes and policies of the passing case",
    ),
    (
        "GatewayInvalidTLSBackendConfiguration",
        "BackendTLSPolicy",
        "as for HTTPRoute",
    ),
];

fn matches_test(pattern: &str, test: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => test.starts_with(prefix),
        None => pattern == test,
    }
}

/// The profiles a test belongs to, from the features it lists: the mesh profiles when it
/// needs Mesh, otherwise the Gateway profile of each route kind it needs (every Gateway
/// profile when it needs none).
fn profiles_of(listed: &BTreeSet<String>) -> BTreeSet<&'static str> {
    let has = |f: &str| listed.contains(f);
    let mut p = BTreeSet::new();
    if has("Mesh") {
        p.insert(if has("GRPCRoute") {
            "MESH-GRPC"
        } else {
            "MESH-HTTP"
        });
        return p;
    }
    for (route, profile) in [
        ("HTTPRoute", "GATEWAY-HTTP"),
        ("GRPCRoute", "GATEWAY-GRPC"),
        ("TLSRoute", "GATEWAY-TLS"),
        ("TCPRoute", "GATEWAY-TCP"),
        ("UDPRoute", "GATEWAY-UDP"),
    ] {
        if has(route) {
            p.insert(profile);
        }
    }
    if p.is_empty() {
        p.extend(["GATEWAY-HTTP", "GATEWAY-GRPC", "GATEWAY-TLS"]);
    }
    p
}

#[test]
fn features_cover_what_each_conformance_test_needs() {
    let Some(shared) = common::shared_gateway_api() else {
        return;
    };
    let list =
        std::fs::read_to_string(shared.join("../reference/conformance-tests-v1.6.1.txt")).unwrap();
    let dir = shared.join("v1.6.1/conformance");
    let release = Release::parse("v1.6.1").unwrap();
    let behaviour: BTreeSet<&str> = BEHAVIOUR_ONLY.iter().map(|(f, _)| *f).collect();
    let (mut tests, mut agreeing, mut listed_total, mut found_total, mut excepted) =
        (0, 0, 0, 0, 0);
    // Features found that the test does not list, inside its profiles: not wrong (the
    // manifests use them: a listener on 8080 in a test of addresses), but counted.
    let mut unlisted = 0;
    let mut problems = Vec::new();
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [name, needs, manifests] = parts[..] else {
            panic!("unreadable line: {line}");
        };
        if manifests.is_empty() {
            // A test that applies no manifest of its own (MeshBasic) has nothing to read.
            continue;
        }
        tests += 1;
        let listed: BTreeSet<String> = needs.split(',').map(str::to_owned).collect();
        let mut inputs = vec![Input::Path(dir.join("base/manifests.yaml"))];
        inputs.extend(manifests.split(',').map(|m| Input::Path(dir.join(m))));
        let loaded = load::load(&inputs, &load::Options::default(), &mut std::io::empty());
        assert!(loaded.errors.is_empty(), "{name}: {:?}", loaded.errors);
        // The base manifests are the first file read; only the test's objects count.
        let base = gwctl::source::FileId(0);
        let mut objects = features::of_inventory(&loaded.inventory, release);
        objects.retain(|o| o.object.file != base);
        let found: BTreeSet<&str> = objects
            .iter()
            .flat_map(|o| o.used.iter().map(|(u, _)| u.feature))
            .collect();
        let mut ok = true;
        for f in &listed {
            if behaviour.contains(f.as_str()) {
                excepted += 1;
                continue;
            }
            listed_total += 1;
            if found.contains(f.as_str()) {
                found_total += 1;
            } else if UNMET.iter().any(|(t, u, _)| *t == name && u == f) {
                ok = false;
            } else {
                ok = false;
                problems.push(format!("{name}: {f} is not found"));
            }
        }
        let profiles = profiles_of(&listed);
        for o in &objects {
            for (u, _) in &o.used {
                if listed.contains(u.feature) {
                    continue;
                }
                unlisted += 1;
                // GWCTL_SHOW=1 cargo test --test it features_conformance -- --nocapture
                if std::env::var_os("GWCTL_SHOW").is_some() {
                    eprintln!("{name}: also {} at {}", u.feature, u.path);
                }
                if u.profiles.iter().any(|p| profiles.contains(p.profile))
                    || OUTSIDE_PROFILE
                        .iter()
                        .any(|(t, f, _)| matches_test(t, name) && *f == u.feature)
                {
                    continue;
                }
                ok = false;
                problems.push(format!(
                    "{name}: {} at {} is outside the test's profiles {profiles:?}",
                    u.feature, u.path
                ));
            }
        }
        agreeing += usize::from(ok);
    }
    eprintln!(
        "conformance agreement: {agreeing}/{tests} tests agree; {found_total}/{listed_total} listed features found ({excepted} behaviour-only listings excepted); {unlisted} uses of features the tests do not list, all inside their profiles or with a reason"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
