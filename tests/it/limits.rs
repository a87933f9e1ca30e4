//! Resource limits: inputs too large in all (GW014), too many objects (GW015), a CEL rule
//! over its cost budget (GW205). Each input is generated in a temporary folder; each test
//! checks that gwctl finishes, says which limit was hit, and reads no more than allowed.

use crate::common;

use std::fs;
use std::io::Write;

use common::{gwctl, stdout};
use serde_json::Value;

fn findings(json: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(json).expect("JSON output");
    v["diagnostics"].as_array().cloned().unwrap_or_default()
}

fn codes_for(findings: &[Value], file: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["file"].as_str().is_some_and(|p| p.ends_with(file)))
        .map(|f| f["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// A file of `len` bytes of YAML comments: read and parsed, but cheap.
fn comment_file(path: &std::path::Path, len: usize) {
    let line = "# padding padding padding padding padding padding padding padding\n";
    let mut f = fs::File::create(path).unwrap();
    let mut written = 0;
    while written < len {
        f.write_all(line.as_bytes()).unwrap();
        written += line.len();
    }
}

#[test]
fn inputs_past_the_total_size_are_reported_and_not_read() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.yaml", "b.yaml", "c.yaml"] {
        comment_file(&dir.path().join(name), 1_000_000);
    }
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "-o", "json", "--max-total-size", "2500000", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let f = findings(&stdout(&out));
    assert!(!codes_for(&f, "a.yaml").contains(&"GW014".to_owned()));
    assert!(!codes_for(&f, "b.yaml").contains(&"GW014".to_owned()));
    assert_eq!(codes_for(&f, "c.yaml"), ["GW014"]);
    let msg = f.iter().find(|x| x["code"] == "GW014").unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(msg.contains("2500000"), "{msg}");
}

#[test]
fn stdin_counts_towards_the_total_size() {
    let big = "# x\n".repeat(300_000); // 1.2 MB
    let out = gwctl()
        .args(["lint", "-o", "json", "--max-total-size", "1000000", "-"])
        .write_stdin(big)
        .output()
        .unwrap();
    let f = findings(&stdout(&out));
    assert!(f.iter().any(|x| x["code"] == "GW014"), "{f:?}");
}

/// A 100 MB input (sparse, so the test writes nothing to disk): refused by the file size
/// limit by default; read and found binary when the file limit allows it; refused by the
/// total limit when several such files exceed it. Nothing is ever held beyond the limits.
#[test]
fn a_hundred_megabyte_input_finishes_or_refuses_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "-o", "json", "big.yaml"])
        .output()
        .unwrap();
    assert_eq!(codes_for(&findings(&stdout(&out)), "big.yaml"), ["GW013"]);

    for i in 0..3 {
        fs::File::create(dir.path().join(format!("part{i}.yaml")))
            .unwrap()
            .set_len(60 * 1024 * 1024)
            .unwrap();
    }
    let out = gwctl()
        .current_dir(dir.path())
        .args([
            "lint",
            "-o",
            "json",
            "--max-file-size",
            "200000000",
            "--max-total-size",
            "150000000",
            "part0.yaml",
            "part1.yaml",
            "part2.yaml",
        ])
        .output()
        .unwrap();
    let f = findings(&stdout(&out));
    assert_eq!(codes_for(&f, "part0.yaml"), ["GW011"], "read, and binary");
    assert_eq!(codes_for(&f, "part1.yaml"), ["GW011"]);
    assert_eq!(codes_for(&f, "part2.yaml"), ["GW014"], "past the total");
}

/// A million tiny documents in a ~9 MB file: the reader stops at --max-objects (100,000 by
/// default) documents and says where, instead of building a million trees.
#[test]
fn a_million_tiny_documents_refuse_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("many.yaml");
    let mut text = String::with_capacity(9_000_000);
    for _ in 0..1_000_000 {
        text.push_str("---\nx: 1\n");
    }
    fs::write(&p, &text).unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "-o", "json", "--select", "GW015", "many.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let f = findings(&stdout(&out));
    assert_eq!(codes_for(&f, "many.yaml"), ["GW015"], "{f:?}");
    let line = f[0]["line"].as_u64().unwrap();
    assert_eq!(line, 200_001, "stopped at the 100,001st document");
}

/// Objects past --max-objects across files: one finding names the first refused one, and
/// only the kept objects are checked.
#[test]
fn objects_past_the_limit_are_refused_with_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let cm = |i: usize| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: a\n")
    };
    let first: Vec<String> = (0..3).map(cm).collect();
    let second: Vec<String> = (3..6).map(cm).collect();
    fs::write(dir.path().join("a.yaml"), first.join("---\n")).unwrap();
    fs::write(dir.path().join("b.yaml"), second.join("---\n")).unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args([
            "lint",
            "-o",
            "json",
            "--max-objects",
            "4",
            "a.yaml",
            "b.yaml",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = v["diagnostics"].as_array().unwrap();
    let capped: Vec<_> = f.iter().filter(|x| x["code"] == "GW015").collect();
    assert_eq!(capped.len(), 1, "{f:?}");
    assert!(capped[0]["file"].as_str().unwrap().ends_with("b.yaml"));
    assert_eq!(capped[0]["line"], 7, "the second object of b.yaml");
    assert!(
        capped[0]["message"]
            .as_str()
            .unwrap()
            .contains("did not check this one or any after it"),
        "{}",
        capped[0]["message"]
    );
    assert_eq!(v["summary"]["objects"], 4, "{}", v["summary"]);
}

/// A CRD whose list has no maxItems and a rule that compares every item with every other:
/// on 5,000 items the rule is not evaluated (GW205) instead of running 25 million steps.
#[test]
fn a_cel_rule_over_its_cost_budget_is_reported_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let crd = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              items:
                type: array
                items: {type: string}
                x-kubernetes-validations:
                - rule: "self.all(a, self.exists_one(b, a == b))"
                  message: items must be unique
"#;
    fs::write(dir.path().join("crd.yaml"), crd).unwrap();
    let items: Vec<String> = (0..5000).map(|i| format!("i{i}")).collect();
    let widget = |n: &[String]| {
        format!(
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: w, namespace: a}}\nspec:\n  items: [{}]\n",
            n.join(", ")
        )
    };
    fs::write(dir.path().join("big.yaml"), widget(&items)).unwrap();
    fs::write(
        dir.path().join("small.yaml"),
        widget(&["x".into(), "x".into()]),
    )
    .unwrap();
    let run = |file: &str| {
        let out = gwctl()
            .current_dir(dir.path())
            .args(["lint", "-o", "json", "--crds", "crd.yaml", file])
            .output()
            .unwrap();
        findings(&stdout(&out))
    };
    let big = run("big.yaml");
    let over: Vec<_> = big.iter().filter(|f| f["code"] == "GW205").collect();
    assert_eq!(over.len(), 1, "{big:?}");
    assert!(
        over[0]["message"]
            .as_str()
            .unwrap()
            .contains("cost budget exceeded"),
        "{}",
        over[0]["message"]
    );
    assert_eq!(over[0]["field"], "spec.items");
    // Small enough: evaluated, and the duplicate is found.
    let small = run("small.yaml");
    assert!(small.iter().any(|f| f["code"] == "GW201"), "{small:?}");
    assert!(!small.iter().any(|f| f["code"] == "GW205"));
}

/// A merge key (`<<: *a`) merging a mapping of 60,000 keys into another of 60,000: linear,
/// not one search of the target per merged key.
#[test]
fn merging_large_mappings_is_linear() {
    let mut text = String::from("a: &a {");
    for i in 0..60_000 {
        text.push_str(&format!("k{i}: 1, "));
    }
    text.push_str("}\nb:\n  <<: *a\n");
    for i in 0..60_000 {
        text.push_str(&format!("  j{i}: 1\n"));
    }
    let stream = gwctl::yaml::parse_stream(&text, &gwctl::yaml::Limits::default());
    let root = stream.documents[0].root.as_ref().unwrap();
    assert_eq!(root.get("b").unwrap().as_map().unwrap().len(), 120_000);
}

/// A pipe named as a path (`gwctl lint <(...)`) has no size up front; it is read within the
/// budget that is left, not refused.
#[cfg(unix)]
#[test]
fn a_pipe_named_as_a_path_is_read() {
    let out = gwctl()
        .args(["lint", "-o", "json", "/dev/stdin"])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["summary"]["objects"], 1);
}

/// `simulate` reads inputs under the same limits as `lint`, and refuses to answer when one
/// was left unread: an answer about part of the manifests would be about other manifests.
#[test]
fn simulate_refuses_to_answer_on_part_of_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let example = common::fixtures().join("example/gateway.yaml");
    let len = fs::metadata(&example).unwrap().len();
    fs::copy(&example, dir.path().join("a.yaml")).unwrap();
    fs::copy(&example, dir.path().join("b.yaml")).unwrap();
    let total = (len + len / 2).to_string();
    let run = |limit: &str| {
        gwctl()
            .current_dir(dir.path())
            .args(["simulate", "--url", "http://example.com/", "-o", "json"])
            .args(["--max-total-size", limit, "a.yaml", "b.yaml"])
            .output()
            .unwrap()
    };
    let out = run(&total);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = common::stderr(&out);
    assert!(err.contains("b.yaml") && err.contains("GW014"), "{err}");
    assert!(err.contains("--max-total-size"), "{err}");
    assert!(stdout(&out).is_empty());
    // Within the limit, the same inputs are simulated.
    let out = run(&(2 * len).to_string());
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
}

/// `migrate` keeps every file's text until it ends, so it bounds the total too: a file
/// past --max-total-size is reported and left as it was, the others are migrated.
#[test]
fn migrate_leaves_files_past_the_total_size_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let old = common::fixtures().join("migrate/backendtlspolicy-block.yaml");
    let text = fs::read_to_string(&old).unwrap();
    fs::write(dir.path().join("a.yaml"), &text).unwrap();
    fs::write(dir.path().join("b.yaml"), &text).unwrap();
    let total = (text.len() + text.len() / 2).to_string();
    let out = gwctl()
        .current_dir(dir.path())
        .args([
            "migrate",
            "--write",
            "--max-total-size",
            &total,
            "a.yaml",
            "b.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    let err = common::stderr(&out);
    assert!(
        err.contains("b.yaml") && err.contains("--max-total-size"),
        "{err}"
    );
    assert_ne!(
        fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
        text,
        "migrated"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("b.yaml")).unwrap(),
        text,
        "untouched"
    );
}
