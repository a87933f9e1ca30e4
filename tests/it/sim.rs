//! `gwctl simulate` end to end: every folder under tests/fixtures/sim/ is one case, with
//! manifests, `request.txt` (the arguments after `gwctl simulate .`, one per line) and
//! `expect.json` (the exit status and JSON pointers into the output with the value each
//! must have). The built binary runs each case; the JSON and the human trace are
//! snapshotted under snapshots/sim/. A property test checks that the winner does not
//! depend on the order of the documents.

use crate::common;

use std::path::Path;

use common::{fixtures, gwctl, snapshot_settings, stderr, stdout};
use proptest::prelude::*;
use serde_json::Value;

fn args_of(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("request.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn simulation_cases() {
    let root = fixtures().join("sim");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} cases", names.len());
    let settings = snapshot_settings("sim");
    settings.bind(|| {
        for name in &names {
            let dir = root.join(name);
            let args = args_of(&dir);
            let expect: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join("expect.json")).unwrap())
                    .unwrap();
            let json = gwctl()
                .current_dir(&dir)
                .args(["simulate", ".", "-o", "json"])
                .args(&args)
                .output()
                .unwrap();
            let human = gwctl()
                .current_dir(&dir)
                .args(["simulate", "."])
                .args(&args)
                .output()
                .unwrap();
            let code = expect["exit"].as_i64().unwrap();
            assert_eq!(
                json.status.code(),
                Some(code as i32),
                "{name}: {}{}",
                stdout(&json),
                stderr(&json)
            );
            assert_eq!(human.status.code(), json.status.code(), "{name}");
            if code != 0 {
                assert!(stdout(&json).is_empty(), "{name}");
                insta::assert_snapshot!(format!("{name}.stderr"), stderr(&json));
                continue;
            }
            let v: Value = serde_json::from_str(&stdout(&json)).unwrap();
            for (pointer, want) in expect["pointers"].as_object().unwrap() {
                assert_eq!(
                    v.pointer(pointer),
                    Some(want),
                    "{name}: {pointer} in\n{}",
                    stdout(&json)
                );
            }
            insta::assert_snapshot!(format!("{name}.json"), stdout(&json));
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
        }
    });
}

#[test]
fn backend_lists_keep_every_ref_in_order() {
    // Contract: `backends` lists every backendRef of the chosen rule, weight 0 included.
    let dir = fixtures().join("sim/weights-spread");
    let out = gwctl()
        .current_dir(&dir)
        .args(["simulate", ".", "-o", "json"])
        .args(args_of(&dir))
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let names: Vec<&str> = v["backends"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["blue", "green", "grey"]);
    let counts = v["distribution"]["counts"].as_array().unwrap();
    let total: u64 = counts.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 1000);
    // The same seed gives the same spread.
    let again = gwctl()
        .current_dir(&dir)
        .args(["simulate", ".", "-o", "json"])
        .args(args_of(&dir))
        .output()
        .unwrap();
    assert_eq!(stdout(&out), stdout(&again));
}

#[test]
fn hostile_inputs_never_panic() {
    let dir = fixtures().join("sim/basic-routed");
    for args in [
        vec!["--url", "http://[::1"],
        vec!["--url", "http://x/", "-H", ":"],
        vec!["--url", "http://x/", "--cookie", "novalue"],
        vec!["--url", "http://x/", "--grpc", "nomethod"],
        vec!["--url", "http://x/", "--service", "bad"],
        vec!["--url", "http://x/", "--service", "a/b:0"],
        vec!["--url", "http://x/", "--gateway", "a/b/c"],
        vec!["--url", "http://x/", "-X", "G E T"],
        vec!["--url", "http://x:65536/"],
        vec!["--url", "http://x/", "--requests", "-1"],
    ] {
        let out = gwctl()
            .current_dir(&dir)
            .args(["simulate", "."])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
    // An unreadable input is exit 2 too.
    gwctl()
        .args(["simulate", "does-not-exist.yaml", "--url", "http://x/"])
        .assert()
        .code(2);
}

#[test]
fn simulate_is_a_documented_command() {
    let help = gwctl().args(["simulate", "--help"]).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    for flag in [
        "--url",
        "--grpc",
        "--service",
        "--from-namespace",
        "--requests",
        "--seed",
    ] {
        assert!(stdout(&help).contains(flag), "{flag}");
    }
    let all = gwctl().arg("help").output().unwrap();
    assert!(stdout(&all).contains("simulate"));
}

/// The trace for the documents of a fixture with competing routes, in a given order.
fn trace_for(docs: &[String]) -> Value {
    use gwctl::graph::Graph;
    use gwctl::load::{self, Input};
    use gwctl::sim::{self, Options, request};
    let text = docs.join("---\n");
    let mut loaded = load::load(
        &[Input::Stdin],
        &load::Options::default(),
        &mut text.as_bytes(),
    );
    let store = gwctl::schema::Store::bundled();
    gwctl::checks::schema::check(
        &mut loaded.inventory,
        &store,
        gwctl::schema::Channel::Experimental,
        &loaded.live,
    );
    let graph = Graph::build(&loaded.inventory);
    let url = request::parse_url("http://shop.example.com/api/v1/items?tier=gold").unwrap();
    let req = sim::Request {
        method: "GET".into(),
        scheme: url.scheme,
        host: url.host,
        port: 80,
        path: url.path,
        query: url.query,
        headers: vec![("x-env".into(), "canary".into())],
        grpc: None,
    };
    let t = sim::simulate(&graph, &req, &Options::default()).unwrap();
    // The JSON contract, steps included, as `simulate -o json` writes it.
    let mut json = Vec::new();
    gwctl::render::trace::json(&t, &mut json).unwrap();
    serde_json::from_slice(&json).unwrap()
}

fn competing_docs() -> Vec<String> {
    let text =
        std::fs::read_to_string(fixtures().join("sim/order-independence/manifests.yaml")).unwrap();
    text.split("---\n")
        .filter(|d| !d.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn winner_does_not_depend_on_document_order(seed in any::<u64>()) {
        let docs = competing_docs();
        let reference = trace_for(&docs);
        prop_assert_eq!(&reference["route"]["name"], "zz");
        // A Fisher-Yates shuffle driven by the generated seed.
        let mut shuffled = docs.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let j = (x % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        // Not only the winner: every list and step of the trace is the same.
        let shuffled = trace_for(&shuffled);
        prop_assert_eq!(&shuffled["route"], &reference["route"]);
        prop_assert_eq!(&shuffled["rule"], &reference["rule"]);
        prop_assert_eq!(&shuffled["match"], &reference["match"]);
        prop_assert_eq!(shuffled, reference);
    }
}

#[test]
fn connections_refuse_what_only_http_has() {
    // tls://, tcp:// and udp:// connections have no method, headers, path or gRPC call, and
    // TCP and UDP no well-known port: each is a usage error (exit 2) that says why.
    let dir = fixtures().join("sim/tcp-oldest-route");
    for (args, says) in [
        (
            vec!["--url", "tcp://db.example.com:5432", "-H", "x: y"],
            "-H/--header",
        ),
        (
            vec!["--url", "tls://db.example.com", "-X", "POST"],
            "-X/--method",
        ),
        (vec!["--url", "udp://dns:53", "--grpc", "a.B/C"], "--grpc"),
        (
            vec!["--url", "tcp://db:5432", "--cookie", "a=b"],
            "--cookie",
        ),
        (
            vec!["--url", "tcp://db:5432", "--service", "data/db"],
            "--service",
        ),
        (vec!["--url", "udp://dns.example.com"], "needs a port"),
        (vec!["--url", "tcp://db:5432/x"], "takes no path"),
    ] {
        let out = gwctl()
            .current_dir(&dir)
            .args(["simulate", "."])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}
