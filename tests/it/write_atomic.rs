//! Writes are atomic: `migrate --write` killed at any moment leaves every file either fully
//! original or fully migrated, never truncated or partial; `lint --output`, written as it
//! is rendered, is likewise the old report or the whole new one, and keeps an existing
//! report's permissions.
#![cfg(unix)]

use crate::common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use gwctl::migrate;
use gwctl::source::FileId;

/// A GRPCRoute on v1alpha2 (migrated to v1) with enough comment lines that writing it
/// takes a while, so kills land in the middle of writes.
fn original(i: usize) -> String {
    let mut s = format!(
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\nmetadata:\n  name: r{i}\n  namespace: a\nspec:\n  parentRefs:\n  - name: gw\n  rules:\n  - backendRefs:\n    - name: svc\n      port: 9000\n"
    );
    for n in 0..2000 {
        s.push_str(&format!(
            "# padding line {n} of route {i}, to make the file larger\n"
        ));
    }
    s
}

/// Run gwctl with `args` in `dir` and kill it (SIGKILL: no chance to clean up) after
/// `delay`, or let it end if it is done by then.
fn kill_after(args: &[&str], dir: &std::path::Path, delay: Duration) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gwctl"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn migrate_write_killed_mid_run_leaves_no_partial_file() {
    let files = 60;
    let originals: Vec<String> = (0..files).map(original).collect();
    let migrated: Vec<String> = originals
        .iter()
        .map(|t| {
            let out = migrate::migrate_text(FileId(0), t, &migrate::Options::default())
                .expect("migrates");
            assert!(!out.moved.is_empty());
            out.text
        })
        .collect();
    let mut saw_partial_run = false;
    for round in 0..12u64 {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in originals.iter().enumerate() {
            let p = dir.path().join(format!("r{i:03}.yaml"));
            fs::write(&p, t).unwrap();
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        // From almost at once to well into the run.
        kill_after(
            &["migrate", "--write", "."],
            dir.path(),
            Duration::from_millis(2 + round * round * 2),
        );
        let mut done = 0;
        for i in 0..files {
            let p = dir.path().join(format!("r{i:03}.yaml"));
            let got = fs::read_to_string(&p).unwrap();
            if got == migrated[i] {
                done += 1;
            } else {
                assert_eq!(
                    got,
                    originals[i],
                    "round {round}: {} is neither original nor migrated ({} bytes)",
                    p.display(),
                    got.len()
                );
            }
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640, "round {round}: {} lost its mode", p.display());
        }
        // Leftovers of a killed run are only gwctl's hidden temporary files, which lint
        // and migrate never read (not *.yaml).
        for e in fs::read_dir(dir.path()).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                name.ends_with(".yaml") || (name.starts_with('.') && name.ends_with(".tmp")),
                "round {round}: unexpected {name}"
            );
        }
        if done > 0 && done < files {
            saw_partial_run = true;
        }
    }
    // Not asserted (timing depends on the machine), but worth knowing when it never happens.
    if !saw_partial_run {
        eprintln!("note: no kill landed between the first and the last file");
    }
}

#[test]
fn lint_output_keeps_an_existing_reports_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.yaml");
    fs::write(
        &manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n",
    )
    .unwrap();
    let report = dir.path().join("out.sarif");
    fs::write(&report, "old").unwrap();
    fs::set_permissions(&report, fs::Permissions::from_mode(0o604)).unwrap();
    common::gwctl()
        .current_dir(dir.path())
        .args(["lint", "--output", "sarif=out.sarif", "m.yaml"])
        .assert()
        .success();
    let text = fs::read_to_string(&report).unwrap();
    assert!(text.contains("\"version\": \"2.1.0\""), "{text}");
    let mode = fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o604);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file is left"
    );
}

#[test]
fn lint_output_killed_mid_write_leaves_the_old_report_or_the_whole_new_one() {
    let bin = assert_cmd::cargo::cargo_bin("gwctl");
    let dir = tempfile::tempdir().unwrap();
    // Routes to a Gateway and Services that are not there: several findings each, so that
    // the report is megabytes and takes a while to write.
    for i in 0..400 {
        let mut text = String::new();
        for r in 0..10 {
            text.push_str(&format!(
                "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: r{i}-{r}, namespace: a}}\nspec:\n  parentRefs: [{{name: gw}}]\n  rules:\n  - backendRefs: [{{name: svc{r}, port: 80}}]\n"
            ));
        }
        fs::write(dir.path().join(format!("r{i:03}.yaml")), text).unwrap();
    }
    let report = dir.path().join("out.sarif");
    let mut saw_new = false;
    for round in 0..12u64 {
        fs::write(&report, "old").unwrap();
        kill_after(
            &["lint", "-o", "compact", "--output", "sarif=out.sarif", "."],
            dir.path(),
            Duration::from_millis(5 + round * round * 10),
        );
        let got = fs::read_to_string(&report).unwrap();
        if got != "old" {
            let parsed: serde_json::Value = serde_json::from_str(&got).unwrap_or_else(|e| {
                panic!(
                    "round {round}: a report of {} bytes that is not whole: {e}",
                    got.len()
                )
            });
            assert!(parsed["runs"][0]["results"].as_array().unwrap().len() >= 4000);
            saw_new = true;
        }
    }
    // The last rounds leave the run time to finish on any machine.
    let out = Command::new(&bin)
        .args(["lint", "-o", "compact", "--output", "sarif=out.sarif", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings only");
    let got = fs::read_to_string(&report).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&got).is_ok());
    if !saw_new {
        eprintln!("note: every kill landed before the report was replaced");
    }
}
