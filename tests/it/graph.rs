//! `gwctl graph`: the picture of each fixture under tests/fixtures/graph/ (and the README's
//! example) in every text format, snapshotted under snapshots/graph/; the filters and exit
//! statuses from the command line; SVG bytes that do not change from run to run; and the
//! Mermaid output parsed by Mermaid's own grammar (tests/mermaid/, with node).

use std::path::{Path, PathBuf};

use crate::common;

use common::{fixtures, gwctl, snapshot_settings, stderr, stdout};

/// The fixtures drawn: every file of tests/fixtures/graph/, and the example.
fn drawn_fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("graph"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files.push(fixtures().join("example/gateway.yaml"));
    files
}

/// `gwctl graph -o FORMAT ARGS...` run in tests/fixtures, so that paths print relative.
fn graph(format: &str, args: &[&str]) -> std::process::Output {
    gwctl()
        .current_dir(fixtures())
        .args(["graph", "-o", format])
        .args(args)
        .output()
        .unwrap()
}

fn relative(p: &Path) -> String {
    p.strip_prefix(fixtures())
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_fixture_is_drawn_in_every_format() {
    let files = drawn_fixtures();
    assert!(files.len() >= 2, "{files:?}");
    snapshot_settings("graph").bind(|| {
        for file in &files {
            let path = relative(file);
            let stem = path.replace(['/', '.'], "_");
            for (format, ext) in [
                ("dot", "dot"),
                ("mermaid", "mmd"),
                ("json", "json"),
                ("svg", "svg"),
            ] {
                let o = graph(format, &[&path]);
                assert_eq!(o.status.code(), Some(0), "{path} {format}: {}", stderr(&o));
                insta::assert_snapshot!(format!("{stem}.{ext}"), stdout(&o));
            }
        }
    });
}

#[test]
fn the_svg_is_the_same_bytes_every_time() {
    let path = relative(&drawn_fixtures()[0]);
    let first = graph("svg", &[&path]).stdout;
    let second = graph("svg", &[&path]).stdout;
    assert!(first.starts_with(b"<svg "));
    assert_eq!(first, second);
}

#[test]
fn filters_keep_what_touches_them_and_a_filter_that_names_nothing_is_an_error() {
    let path = "graph/platform.yaml";
    let o = graph("json", &[path, "--route", "ops/admin"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "GatewayClass/shared",
            "Gateway/infra/web",
            "ListenerSet/infra/extra",
            "ListenerSet/infra/extra/listener/admin",
            "HTTPRoute/ops/admin",
            "HTTPRoute/ops/admin/rule/0",
            "Service/ops/admin",
        ]
    );
    // Each edge names nodes that are kept.
    for e in v["edges"].as_array().unwrap() {
        assert!(ids.contains(&e["from"].as_str().unwrap()), "{e}");
        assert!(ids.contains(&e["to"].as_str().unwrap()), "{e}");
    }

    let o = graph("dot", &[path, "--gateway", "infra/nowhere"]);
    common::assert_exit_and_contains(
        &o,
        2,
        stderr(&o),
        "gwctl: error: --gateway infra/nowhere: no Gateway infra/nowhere in the inputs",
    );
    let o = graph("dot", &[path, "--route", "store"]);
    common::assert_exit_and_contains(&o, 2, stderr(&o), "\"store\" is not NAMESPACE/NAME");
}

#[test]
fn findings_do_not_fail_the_run_and_unreadable_inputs_do() {
    // The example has errors: the picture is drawn, and the exit status is 0.
    let o = graph("mermaid", &["example/gateway.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("class n3,n4 error"), "{}", stdout(&o));
    let o = graph("dot", &["example/gateway.yaml", "no/such/file.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("digraph gwctl {"));
}

#[test]
fn names_and_reasons_are_escaped_in_every_format() {
    // A hostname and a path with characters each format must escape.
    let yaml = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: a}\n\
spec:\n  parentRefs: [{name: gw}]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: \"/<b>\\\"x\\\"&#1;`\"}}]\n";
    for (format, bad, good) in [
        ("svg", "/<b>", "/&lt;b&gt;&quot;x&quot;&amp;#1;"),
        ("mermaid", "/<b>", "/#lt;b#gt;#quot;x#quot;#amp;#35;1;#96;"),
        ("dot", "/<b>\"x", "/<b>\\\"x\\\"&#1;`"),
    ] {
        let o = gwctl()
            .args(["graph", "-o", format, "-"])
            .write_stdin(yaml)
            .output()
            .unwrap();
        let out = stdout(&o);
        assert!(!out.contains(bad), "{format}: {out}");
        assert!(out.contains(good), "{format}: {out}");
    }
}

#[test]
fn a_mermaid_picture_too_big_to_render_is_said_so() {
    // 200 routes, each with a listener, a rule and a backend edge: past Mermaid's 500.
    let mut yaml = String::from(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: infra}\n\
spec:\n  listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}]\n",
    );
    for i in 0..200 {
        yaml.push_str(&format!(
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: r{i}, namespace: shop}}\n\
spec:\n  parentRefs: [{{name: gw, namespace: infra}}]\n  rules: [{{backendRefs: [{{name: s{i}, port: 80}}]}}]\n"
        ));
    }
    let o = gwctl()
        .args(["graph", "-o", "mermaid", "-"])
        .write_stdin(yaml.clone())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("flowchart LR"));
    assert_eq!(
        stderr(&o),
        "gwctl: warning: the picture has 601 edges, and Mermaid renderers such as GitHub's draw at most 500; \
         keep less with --gateway, --route or --namespace, or draw it with -o svg\n"
    );
    // Filtered down, it fits.
    let o = gwctl()
        .args(["graph", "-o", "mermaid", "--route", "shop/r1", "-"])
        .write_stdin(yaml)
        .output()
        .unwrap();
    assert_eq!(stderr(&o), "");
}

/// tests/mermaid/check.mjs, when node and the pinned Mermaid (`npm ci --prefix
/// tests/mermaid`) are installed. Missing is a failure under CI=true, a skip elsewhere.
fn mermaid_checker() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mermaid");
    let node = std::process::Command::new("node").arg("--version").output();
    let ready = node.is_ok_and(|o| o.status.success())
        && dir.join("node_modules/mermaid/package.json").is_file()
        && dir.join("node_modules/jsdom/package.json").is_file();
    if ready {
        return Some(dir.join("check.mjs"));
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("node or Mermaid is missing; CI runs `npm ci --prefix tests/mermaid` (see .ci/run)");
    }
    eprintln!(
        "skipping: node or tests/mermaid/node_modules is missing (npm ci --prefix tests/mermaid)"
    );
    None
}

#[test]
fn mermaid_output_parses_with_the_mermaid_grammar() {
    let Some(checker) = mermaid_checker() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // The graph fixtures, every reference fixture (each draws a refusal or a missing
    // object), and a filtered picture.
    let mut inputs: Vec<Vec<String>> = drawn_fixtures().iter().map(|p| vec![relative(p)]).collect();
    let mut refs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("refs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    refs.sort();
    inputs.extend(refs.iter().map(|p| vec![relative(p)]));
    inputs.push(vec![
        "graph/platform.yaml".into(),
        "--namespace".into(),
        "shop".into(),
    ]);
    let mut files = Vec::new();
    for (i, args) in inputs.iter().enumerate() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = graph("mermaid", &args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let file = tmp.path().join(format!("{i}.mmd"));
        std::fs::write(&file, &o.stdout).unwrap();
        files.push(file);
    }
    let o = std::process::Command::new("node")
        .arg(&checker)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "Mermaid does not parse gwctl's output:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    assert_eq!(
        stdout(&o).lines().filter(|l| l.starts_with("ok ")).count(),
        files.len()
    );
}
