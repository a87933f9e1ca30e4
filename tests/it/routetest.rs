//! `gwctl test`: the fixtures of the GW8xx rules (each a test file over
//! tests/fixtures/test/manifests.yaml) run by the built binary and snapshotted, human and
//! JSON, under snapshots/test/; the command line (exit codes, folders, `--manifests`); every
//! output format, JUnit with one test case per routing case; and the JSON Schema of test
//! files held to the files gwctl reads.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{fixtures, gwctl, snapshot_settings, stderr, stdout};

fn dir() -> std::path::PathBuf {
    fixtures().join("test")
}

/// The test files among the fixtures (manifests.yaml is their manifests).
fn test_files() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "manifests.yaml")
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_reports_its_rule_and_nothing_about_ok_cases() {
    let names = test_files();
    assert!(names.len() >= 7, "fixtures are missing: {names:?}");
    snapshot_settings("test").bind(|| {
        for name in &names {
            let human = gwctl()
                .current_dir(dir())
                .args(["test", name])
                .output()
                .unwrap();
            let json = gwctl()
                .current_dir(dir())
                .args(["test", "-o", "json", name])
                .output()
                .unwrap();
            assert_eq!(human.status.code(), json.status.code(), "{name}");
            let out = stdout(&json);
            let v: Value = serde_json::from_str(&out).unwrap();
            let diags = v["diagnostics"].as_array().unwrap();
            if let Some(code) = name.split('_').next().filter(|c| c.starts_with("GW")) {
                assert!(
                    diags.iter().any(|d| d["code"] == code),
                    "{name} does not report {code}:\n{out}"
                );
                assert_eq!(json.status.code(), Some(1), "{name}");
            } else {
                assert_eq!(json.status.code(), Some(0), "{name}: {}", stdout(&human));
            }
            for d in diags {
                let m = d["message"].as_str().unwrap();
                assert!(!m.ends_with('.') && !m.contains('\n'), "{name}: {m}");
                let case = d["object"]["name"].as_str().unwrap_or("");
                assert!(
                    !case.starts_with("ok"),
                    "{name}: case {case} is marked OK but has a finding:\n{d}"
                );
            }
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
            insta::assert_snapshot!(format!("{name}.json"), out);
        }
    });
}

#[test]
fn a_folder_runs_every_test_file_in_it_and_skips_other_yaml() {
    let o = gwctl()
        .current_dir(dir())
        .args(["test", "-o", "json", "."])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // manifests.yaml has no `cases:`, so it is no test file.
    assert_eq!(v["summary"]["files"], test_files().len(), "{v:#}");
}

#[test]
fn manifests_come_from_the_flag_when_the_file_names_none() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(dir().join("clean.yaml")).unwrap();
    let without = text.replace("manifests: [manifests.yaml]\n", "");
    assert_ne!(text, without);
    fs::write(tmp.path().join("routing.yaml"), &without).unwrap();
    let o = gwctl()
        .current_dir(tmp.path())
        .args(["test", "routing.yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no manifests"), "{}", stderr(&o));
    let o = gwctl()
        .current_dir(tmp.path())
        .args(["test", "routing.yaml", "--manifests"])
        .arg(dir().join("manifests.yaml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("3 passed, 0 failed"), "{}", stdout(&o));
}

#[test]
fn what_cannot_run_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        vec!["test", "missing.yaml"],
        vec!["test", "."],
        vec!["test", "-"],
        vec!["test", "t.yaml", "--manifests", "nowhere/"],
    ] {
        fs::write(
            tmp.path().join("t.yaml"),
            "cases:\n- {name: a, request: {url: http://x/}}\n",
        )
        .unwrap();
        if args[1] == "." {
            fs::remove_file(tmp.path().join("t.yaml")).unwrap();
        }
        let o = gwctl()
            .current_dir(tmp.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with("gwctl: error: "),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // No PATH at all is a usage error.
    let o = gwctl().args(["test"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_test_files_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let texts = [
        "",
        "cases: 3\n",
        "- a\n- b\n",
        "cases: [1, [2], {name: {x: 1}}]\n",
        "cases:\n- name: x\n  request: {url: 5, headers: [1], requests: -1}\n  expect: {backends: {}, route: 1, rule: [], session: x, forwarded: 1}\n",
        "cases: [{name: a, request: {url: 'http://x/'}}]\n---\nmore: 1\n",
        "cases: [\n",
        "manifests: [{}]\ncases: []\n",
    ];
    fs::write(tmp.path().join("m.yaml"), "").unwrap();
    for text in texts {
        fs::write(tmp.path().join("t.yaml"), text).unwrap();
        let o = gwctl()
            .current_dir(tmp.path())
            .args(["test", "t.yaml", "--manifests", "m.yaml", "-o", "json"])
            .output()
            .unwrap();
        assert!(
            matches!(o.status.code(), Some(0..=2)),
            "{text:?}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{text:?}: {}", stderr(&o));
    }
}

#[test]
fn every_format_renders_a_test_run_and_junit_has_a_test_case_per_routing_case() {
    for format in [
        "human", "json", "sarif", "github", "gitlab", "compact", "junit",
    ] {
        let o = gwctl()
            .current_dir(dir())
            .args(["test", "-o", format])
            .args(["GW801_routing-expectation-failed.yaml", "clean.yaml"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        if format != "junit" {
            assert!(stdout(&o).contains("GW801"), "{format}: {}", stdout(&o));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let xml = tmp.path().join("routing.xml");
    let o = gwctl()
        .current_dir(dir())
        .args([
            "test",
            "GW801_routing-expectation-failed.yaml",
            "clean.yaml",
        ])
        .arg("--output")
        .arg(format!("junit={}", xml.display()))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let xml = fs::read_to_string(xml).unwrap();
    let cases = xml.matches("<testcase ").count();
    assert_eq!(cases, 4 + 3, "{xml}");
    assert!(
        xml.contains("<testsuites name=\"gwctl\" tests=\"7\" failures=\"3\""),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"case api goes to the canary split (gwctl test)\" classname=\"clean.yaml\" file=\"clean.yaml\"/>"),
        "{xml}"
    );
}

/// A test file's YAML as the JSON the schema describes.
fn as_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    let stream = gwctl::yaml::parse_stream(&text, &gwctl::yaml::Limits::default());
    stream.documents[0].root.as_ref().unwrap().to_json()
}

#[test]
fn the_json_schema_accepts_what_gwctl_reads_and_rejects_what_it_reports() {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/gwctl-test.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .build(&schema)
        .expect("the test file schema compiles");
    for name in test_files() {
        let doc = as_json(&dir().join(&name));
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        // The files of GW802 and GW803 are the ones gwctl reports keys and values of.
        let bad_shape = name.starts_with("GW802") || name.starts_with("GW803");
        assert_eq!(!errors.is_empty(), bad_shape, "{name}: {errors:#?}");
    }
}

/// A folder holding the fixtures' manifests and `test` (a test file's text).
fn workspace(test: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(
        dir().join("manifests.yaml"),
        tmp.path().join("manifests.yaml"),
    )
    .unwrap();
    fs::write(tmp.path().join("routing.yaml"), test).unwrap();
    tmp
}

#[test]
fn save_test_appends_a_case_that_then_passes_keeping_the_file_as_written() {
    let head = "# Our routing.\nmanifests: [manifests.yaml]   # beside this file\ncases:\n    # The home page.\n    - name: home\n      request: {url: http://shop.example.com/}\n      expect: {status: 200}\n";
    let tmp = workspace(head);
    let simulate = |at: &Path, url: &str, file: &str| {
        gwctl()
            .current_dir(at)
            .args([
                "simulate",
                "manifests.yaml",
                "--url",
                url,
                "--save-test",
                file,
            ])
            .args(["-H", "x-canary: yes", "--cookie", "s=1"])
            .output()
            .unwrap()
    };
    for _ in 0..2 {
        let o = simulate(
            tmp.path(),
            "http://shop.example.com/api/items",
            "routing.yaml",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let text = fs::read_to_string(tmp.path().join("routing.yaml")).unwrap();
    assert!(text.starts_with(head), "{text}");
    // The new case sits under the file's own indentation, named uniquely.
    assert!(
        text.contains("\n    - name: \"GET http://shop.example.com/api/items\"\n"),
        "{text}"
    );
    assert!(text.contains("(2)"), "{text}");
    assert!(
        text.contains("rule: canary") && text.contains("share: 90"),
        "{text}"
    );
    // A new file in a folder names the manifests relative to itself.
    fs::create_dir(tmp.path().join("tests")).unwrap();
    let o = simulate(
        tmp.path(),
        "http://shop.example.com/admin",
        "tests/new.yaml",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let new = fs::read_to_string(tmp.path().join("tests/new.yaml")).unwrap();
    assert!(new.contains("\"../manifests.yaml\""), "{new}");
    let o = gwctl()
        .current_dir(tmp.path())
        .args(["test", "routing.yaml", "tests/new.yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("4 passed, 0 failed"), "{}", stdout(&o));
    // A file gwctl cannot append to is left alone, and the run says why.
    let tmp = workspace("cases: []\nmanifests: [manifests.yaml]\n");
    let o = simulate(tmp.path(), "http://shop.example.com/", "routing.yaml");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("last key"), "{}", stderr(&o));
    let again = fs::read_to_string(tmp.path().join("routing.yaml")).unwrap();
    assert_eq!(again, "cases: []\nmanifests: [manifests.yaml]\n");
    // An empty list of cases gives way to the first one.
    let tmp = workspace("manifests: [manifests.yaml]\ncases: []  # none yet\n");
    let o = simulate(tmp.path(), "http://shop.example.com/", "routing.yaml");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = gwctl()
        .current_dir(tmp.path())
        .args(["test", "routing.yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 passed"), "{}", stdout(&o));
}

#[test]
fn update_rewrites_the_expectations_of_failing_cases_and_prints_the_diff() {
    let text = fs::read_to_string(dir().join("GW801_routing-expectation-failed.yaml")).unwrap();
    let tmp = workspace(&text);
    let o = gwctl()
        .current_dir(tmp.path())
        .args(["test", "--update", "routing.yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("--- routing.yaml\n+++ routing.yaml\n"),
        "{out}"
    );
    assert!(
        out.contains("-      route: {namespace: shop, name: web}\n"),
        "{out}"
    );
    assert!(out.contains("+        name: api\n"), "{out}");
    assert!(out.contains("4 passed, 0 failed"), "{out}");
    assert!(stderr(&o).contains("updated the expectations of 3 failing cases"));
    let updated = fs::read_to_string(tmp.path().join("routing.yaml")).unwrap();
    // Comments and passing cases stay as written; the same keys are checked, with today's
    // values.
    assert!(updated.contains("  # Flagged: /admin redirects with 301, and to https.\n"));
    assert!(updated.contains(
        "    expect: {outcome: routed, backends: [{name: web}], responseHeaders: {x-served-by: null}}\n"
    ));
    assert!(updated.contains("      rule: 0\n"), "{updated}");
    assert!(!updated.contains("api-v3"), "{updated}");
    // Nothing left to update: the file is not touched again.
    let o = gwctl()
        .current_dir(tmp.path())
        .args(["test", "--update", "-o", "json", "routing.yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("updated the expectations of 0 failing cases"));
    assert_eq!(
        fs::read_to_string(tmp.path().join("routing.yaml")).unwrap(),
        updated
    );
}

/// Connections to TLS and UDP listeners are cases too (`tls://`, `udp://`), as `simulate`
/// takes them, run over the simulator's own fixtures.
#[test]
fn tls_and_udp_connections_are_cases() {
    let sim = fixtures().join("sim");
    let tmp = tempfile::tempdir().unwrap();
    let runs = [
        (
            "tls-passthrough-sni",
            "cases:\n  - name: db\n    request: {url: \"tls://db.example.com\"}\n    expect: {outcome: routed, status: null, route: {kind: TLSRoute, name: db}}\n  - name: wrong route\n    request: {url: \"tls://db.example.com\"}\n    expect: {route: {name: wildcard}}\n",
        ),
        (
            "udp-weights",
            "cases:\n  - name: dns\n    request: {url: \"udp://dns.example.com:53\", requests: 400}\n    expect: {route: {kind: UDPRoute}}\n  - name: wrong kind\n    request: {url: \"udp://dns.example.com:53\"}\n    expect: {route: {kind: TCPRoute}}\n",
        ),
    ];
    for (fixture, cases) in runs {
        fs::write(tmp.path().join("t.yaml"), cases).unwrap();
        let o = gwctl()
            .current_dir(tmp.path())
            .args(["test", "t.yaml", "-o", "json", "--manifests"])
            .arg(sim.join(fixture).join("manifests.yaml"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{fixture}: {}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["summary"]["cases"]["passed"], 1, "{fixture}: {v:#}");
        let d = &v["diagnostics"][0];
        assert_eq!(d["code"], "GW801", "{fixture}: {v:#}");
        assert!(
            d["object"]["name"].as_str().unwrap().starts_with("wrong"),
            "{v:#}"
        );
    }
}

/// `--gateway-api-version` is the cluster's release, as for `simulate`: a CORS filter
/// answers a preflight only in releases whose standard channel has it (v1.5 on).
#[test]
fn the_release_decides_what_a_case_gets() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("t.yaml"),
        "cases:\n  - name: preflight\n    request:\n      url: http://x/api/items\n      method: OPTIONS\n      headers: {Origin: \"https://app.example.com\", Access-Control-Request-Method: PUT}\n    expect: {outcome: cors-preflight}\n",
    )
    .unwrap();
    let manifests = fixtures().join("sim/cors-standard-release-without-it/manifests.yaml");
    for (release, code) in [("v1.4", 1), ("v1.5", 0)] {
        let o = gwctl()
            .current_dir(tmp.path())
            .args([
                "test",
                "t.yaml",
                "-o",
                "compact",
                "--gateway-api-version",
                release,
            ])
            .arg("--manifests")
            .arg(&manifests)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(code),
            "{release}: {}{}",
            stdout(&o),
            stderr(&o)
        );
    }
}
