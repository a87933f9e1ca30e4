//! `gwctl lint --fix` as users run it: each fix against a before/after fixture
//! (`tests/fixtures/fix/NAME.yaml` → `NAME.fixed.yaml`, and `NAME.unsafe-fixed.yaml` with
//! `--unsafe-fixes`), comments kept, a second run changing nothing, `--diff`, stdin, and a
//! file that cannot be written.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{fixtures, gwctl, stderr, stdout};

const CASES: &[&str] = &[
    "quote-boolean",
    "unquote-integer",
    "enum-value",
    "field-name",
];

fn fixture(name: &str) -> String {
    fs::read_to_string(fixtures().join("fix").join(name)).unwrap()
}

/// A copy of fixture `name` in a fresh folder.
fn copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join(format!("{name}.yaml"));
    fs::write(&f, fixture(&format!("{name}.yaml"))).unwrap();
    (dir, f)
}

fn fix(path: &Path, extra: &[&str]) -> std::process::Output {
    gwctl()
        .args(["lint", "--fix", "-o", "compact"])
        .args(extra)
        .arg(path)
        .output()
        .unwrap()
}

#[test]
fn each_fix_gives_the_expected_text_and_a_second_run_changes_nothing() {
    for name in CASES {
        let (_dir, f) = copy(name);
        let out = fix(&f, &[]);
        assert_ne!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let want = fixture(&format!("{name}.fixed.yaml"));
        assert_eq!(fs::read_to_string(&f).unwrap(), want, "{name}");
        assert!(
            stderr(&out).contains("gwctl: fixed "),
            "{name}: {}",
            stderr(&out)
        );
        // The report is of the fixed file: no safe fix is left in it.
        let json = gwctl()
            .args(["lint", "-o", "json"])
            .arg(&f)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let left = json["diagnostics"].as_array().unwrap().iter();
        assert!(left.clone().all(|d| d["fix"] != "safe"), "{name}: {json:#}");
        assert_eq!(
            left.count(),
            stdout(&out).lines().count(),
            "{name}: the report after fixing is the lint of the fixed file"
        );
        let again = fix(&f, &[]);
        assert_eq!(fs::read_to_string(&f).unwrap(), want, "{name}: idempotent");
        assert!(
            stderr(&again).contains("nothing to fix"),
            "{name}: {}",
            stderr(&again)
        );
        assert_eq!(again.status.code(), out.status.code(), "{name}");
    }
}

#[test]
fn comments_and_untouched_bytes_are_kept() {
    for name in CASES {
        let (before, after) = (
            fixture(&format!("{name}.yaml")),
            fixture(&format!("{name}.fixed.yaml")),
        );
        assert_ne!(before, after, "{name}: the fixture has something to fix");
        // Every comment of the input is in the output, at the same line.
        for (b, a) in before.lines().zip(after.lines()) {
            let comment = |l: &str| l.find(" #").map(|i| l[i..].trim().to_owned());
            assert_eq!(comment(b), comment(a), "{name}: {b:?} → {a:?}");
        }
        assert_eq!(before.lines().count(), after.lines().count(), "{name}");
    }
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let (_dir, f) = copy("field-name");
    let out = fix(&f, &[]);
    assert!(stdout(&out).contains("sectionNom"), "{}", stdout(&out));
    assert_eq!(
        out.status.code(),
        Some(1),
        "the unsafe fix is left: GW101 remains"
    );
    let out = fix(&f, &["--unsafe-fixes"]);
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        fixture("field-name.unsafe-fixed.yaml")
    );
    // What remains is the `wieght` beside a written `weight`, which is never renamed.
    assert!(stdout(&out).contains("wieght"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("sectionNom"), "{}", stdout(&out));
    // The flags need --fix.
    gwctl()
        .args(["lint", "--unsafe-fixes"])
        .arg(&f)
        .assert()
        .code(2);
    gwctl().args(["lint", "--diff"]).arg(&f).assert().code(2);
}

#[test]
fn human_output_marks_fixable_findings() {
    let f = fixtures().join("fix/field-name.yaml");
    let out = gwctl().arg("lint").arg(&f).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("= help: fixable with `gwctl lint --fix`"),
        "{text}"
    );
    assert!(
        text.contains("= help: fixable with `gwctl lint --fix --unsafe-fixes`"),
        "{text}"
    );
    assert!(
        text.contains(
            "0 infos; 2 fixable with `gwctl lint --fix`; 1 more with `--fix --unsafe-fixes`\n"
        ),
        "{text}"
    );
    let out = gwctl()
        .args(["lint", "-o", "json"])
        .arg(&f)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fixes: Vec<Option<&str>> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GW101")
        .map(|d| d["fix"].as_str())
        .collect();
    assert_eq!(fixes, [Some("unsafe"), Some("safe"), Some("safe"), None]);
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let (_dir, f) = copy("unquote-integer");
    let out = fix(&f, &["--diff"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(
        diff.contains("-    port: \"80\"   # plain HTTP\n"),
        "{diff}"
    );
    assert!(diff.contains("+    port: 80   # plain HTTP\n"), "{diff}");
    assert!(diff.contains("+    port: 8080\n"), "{diff}");
    assert!(stderr(&out).contains("would fix 2 findings in 1 file"));
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        fixture("unquote-integer.yaml")
    );
    // Nothing to fix: no diff, exit 0.
    fix(&f, &[]);
    let out = fix(&f, &["--diff"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn stdin_gets_the_fixed_text_on_stdout_and_the_report_on_stderr() {
    for args in [&["lint", "--fix", "-"][..], &["lint", "--fix"][..]] {
        let out = gwctl()
            .args(args)
            .args(["-o", "compact"])
            .write_stdin(fixture("enum-value.yaml"))
            .output()
            .unwrap();
        assert_eq!(stdout(&out), fixture("enum-value.fixed.yaml"), "{args:?}");
        assert!(stderr(&out).contains("GW311"), "{}", stderr(&out));
        assert!(!stderr(&out).contains("GW105"), "{}", stderr(&out));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    // Stdin with nothing to fix is printed as it is.
    let text = fixture("enum-value.fixed.yaml");
    let out = gwctl()
        .args(["lint", "--fix", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(stdout(&out), text);
}

#[test]
fn secret_values_never_reach_the_diff() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("all.yaml");
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: tls, namespace: infra}}\n\
         type: kubernetes.io/tls\nstringData:\n  tls.key: hunter2-secret\n---\n{}",
        fixture("unquote-integer.yaml")
    );
    fs::write(&f, &text).unwrap();
    let out = fix(&f, &["--diff"]);
    assert!(stdout(&out).contains("+    port: 80"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("hunter2"), "{}", stdout(&out));
    assert!(!stderr(&out).contains("hunter2"), "{}", stderr(&out));
}

/// Make `dir` refuse new files, as root too (root ignores permissions); `false` when this
/// system offers no way to.
fn make_read_only(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).unwrap();
        let probe = dir.join("probe");
        if fs::write(&probe, "").is_err() {
            return true;
        }
        let _ = fs::remove_file(&probe);
        std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

fn make_writable(dir: &Path) {
    let _ = std::process::Command::new("chattr")
        .arg("-i")
        .arg(dir)
        .status();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_file_that_cannot_be_written_exits_2_and_stays_intact() {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("ro");
    fs::create_dir(&dir).unwrap();
    let f = dir.join("r.yaml");
    let before = fixture("quote-boolean.yaml");
    fs::write(&f, &before).unwrap();
    if !make_read_only(&dir) {
        make_writable(&dir);
        eprintln!("skipped: no way to make a folder read-only here");
        return;
    }
    let out = fix(&f, &[]);
    make_writable(&dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&f).unwrap(), before);
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn rules_say_which_have_a_fix() {
    let out = gwctl().arg("rules").output().unwrap();
    let text = stdout(&out);
    let line = |code: &str| {
        text.lines()
            .find(|l| l.starts_with(code))
            .unwrap()
            .to_owned()
    };
    for code in ["GW101", "GW103", "GW105"] {
        assert!(line(code).contains("[fix: "), "{}", line(code));
    }
    assert!(!line("GW104").contains("[fix"), "{}", line("GW104"));
    let out = gwctl()
        .args(["rules", "--output-format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fix = |code: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()["fix"]
            .clone()
    };
    assert!(fix("GW103").is_string());
    assert!(fix("GW104").is_null());
    let out = gwctl().args(["explain", "GW105"]).output().unwrap();
    assert!(
        stdout(&out).contains("`gwctl lint --fix`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_value_written_with_a_tag_is_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.yaml");
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n\
                spec:\n  gatewayClassName: x\n  listeners:\n  - name: h\n    port: !!str 80\n    protocol: HTTP\n";
    fs::write(&f, text).unwrap();
    let out = fix(&f, &[]);
    assert_eq!(fs::read_to_string(&f).unwrap(), text);
    assert!(
        stderr(&out).contains("1 fix was not applied: the value is written in a form"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(1), "the GW103 remains");
}

#[test]
fn inputs_that_cannot_be_fixed_exit_2() {
    // Stdin over the size limit is neither fixed nor printed cut short.
    let out = gwctl()
        .args(["lint", "--fix", "--max-file-size", "100", "-"])
        .write_stdin(fixture("enum-value.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("not read whole"), "{}", stderr(&out));
    // --diff prints no report, but says which input it could not read.
    let (_dir, f) = copy("enum-value");
    let out = gwctl()
        .args(["lint", "--fix", "--diff"])
        .arg(&f)
        .arg(f.with_file_name("missing.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing.yaml"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("+        type: PathPrefix"),
        "{}",
        stdout(&out)
    );
}

/// Findings per file in `lint -o json` output: (errors, fixable).
fn counts(json: &serde_json::Value) -> std::collections::BTreeMap<String, (usize, usize)> {
    let mut m = std::collections::BTreeMap::new();
    for d in json["diagnostics"].as_array().unwrap() {
        let file = d["file"].as_str().unwrap_or_default().to_owned();
        let e = m.entry(file).or_insert((0, 0));
        e.0 += usize::from(d["severity"] == "error");
        e.1 += usize::from(d["fix"] == "safe");
    }
    m
}

/// Every fixture of the schema and reference rules, fixed: no file gets an error more, each
/// loses at least its safe fixes' errors, and a second run finds nothing left to fix. (In
/// general a fix may uncover CEL findings that a schema error kept from being checked;
/// these fixtures have none.)
#[test]
fn fixing_the_rule_fixtures_only_removes_errors() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["schema", "refs"] {
        for e in fs::read_dir(fixtures().join(folder)).unwrap() {
            let p = e.unwrap().path();
            let name = format!("{folder}-{}", p.file_name().unwrap().to_string_lossy());
            fs::copy(&p, dir.path().join(name)).unwrap();
        }
    }
    let lint = || {
        let out = gwctl()
            .current_dir(dir.path())
            .args(["lint", "-o", "json", "."])
            .output()
            .unwrap();
        counts(&serde_json::from_slice(&out.stdout).unwrap())
    };
    let before = lint();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "--fix", "-o", "json", "."])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    let after = lint();
    for (file, (errors, fixable)) in &before {
        let (now, left) = after.get(file).copied().unwrap_or_default();
        assert!(
            now + fixable <= *errors && left == 0,
            "{file}: {errors} errors ({fixable} fixable) before, {now} ({left} fixable) after"
        );
    }
    assert!(
        before.values().any(|(_, f)| *f > 0),
        "some fixture has a fix"
    );
    let again = gwctl()
        .current_dir(dir.path())
        .args(["lint", "--fix", "-o", "json", "."])
        .output()
        .unwrap();
    assert!(
        stderr(&again).contains("nothing to fix"),
        "{}",
        stderr(&again)
    );
}
