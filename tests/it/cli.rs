//! The built binary, as users and CI run it: exit codes, stdin, folders, `.gitignore`,
//! completions and bad inputs.

use crate::common;

use std::fs;

use common::{WARN_ONLY, fixtures, gwctl, stderr, stdout};
use predicates::prelude::*;

fn input(name: &str) -> std::path::PathBuf {
    fixtures().join("input").join(name)
}

#[test]
fn version_and_help() {
    gwctl()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("gwctl "));
    gwctl()
        .arg("help")
        .assert()
        .success()
        .stdout(predicate::str::contains("lint").and(predicate::str::contains("completions")));
    gwctl()
        .args(["lint", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit status"));
}

#[test]
fn version_names_the_commit_and_the_bundled_releases() {
    let out = gwctl().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], concat!("gwctl ", env!("CARGO_PKG_VERSION")));
    // The suite runs from a git checkout, so the build script found the commit.
    let commit = lines[1].strip_prefix("commit: ").expect("a commit line");
    assert!(
        commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
        "{commit}"
    );
    assert!(lines[2].starts_with("Gateway API: v1."), "{text}");
    // -V stays one line, for scripts that parse it.
    let short = gwctl().arg("-V").output().unwrap();
    assert_eq!(
        stdout(&short).trim(),
        concat!("gwctl ", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn man_pages_exist_for_every_subcommand_the_main_page_names() {
    let main = gwctl().arg("man").output().unwrap();
    assert_eq!(main.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("man1");
    let all = gwctl()
        .arg("man")
        .arg("--dir")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    // Every `gwctl-x(1)` the main page refers to is a file, with the same text as `gwctl man x`.
    let refs: Vec<String> = stdout(&main)
        .lines()
        .filter_map(|l| {
            l.strip_prefix("gwctl\\-")?
                .strip_suffix("(1)")
                .map(str::to_owned)
        })
        .collect();
    assert!(refs.contains(&"lint".to_owned()), "{refs:?}");
    for name in &refs {
        let page = std::fs::read_to_string(target.join(format!("gwctl-{name}.1"))).unwrap();
        let one = gwctl().args(["man", name]).output().unwrap();
        assert_eq!(stdout(&one), page, "{name}");
        assert!(page.contains(&format!(".TH gwctl-{name} 1")), "{name}");
    }
    assert_eq!(
        std::fs::read_to_string(target.join("gwctl.1")).unwrap(),
        stdout(&main)
    );
    let unknown = gwctl().args(["man", "lnit"]).output().unwrap();
    common::assert_exit_and_contains(&unknown, 2, stderr(&unknown), "pages exist for: lint");
}

#[test]
fn completions_offer_rule_codes_and_names_and_explain_suggests_one() {
    // clap_complete's PowerShell and Elvish scripts complete flags only, not their values.
    for shell in ["bash", "zsh", "fish"] {
        let out = gwctl().args(["completions", shell]).output().unwrap();
        let script = stdout(&out);
        for word in ["GW311", "backend-port-not-found", "GW060"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // --help stays readable: the candidates are for completion, not listed there.
    let help = gwctl().args(["lint", "--help"]).output().unwrap();
    assert!(!stdout(&help).contains("GW311,"), "{}", stdout(&help));
    let typo = gwctl()
        .args(["explain", "backend-port-not-fuond"])
        .output()
        .unwrap();
    common::assert_exit_and_contains(
        &typo,
        2,
        stderr(&typo),
        "did you mean backend-port-not-found?",
    );
}

#[test]
fn exit_status_follows_findings() {
    gwctl()
        .arg("lint")
        .arg(input("clean.yaml"))
        .assert()
        .code(0);
    gwctl()
        .arg("lint")
        .arg(input("GW002_duplicate-key.yaml"))
        .assert()
        .code(1);
    // Warnings alone do not fail the run.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.yaml");
    fs::write(
        &f,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: w}\ndata: {a: yes}\n",
    )
    .unwrap();
    let out = gwctl().arg("lint").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("GW007"));
}

#[test]
fn bad_flags_exit_2() {
    gwctl()
        .args(["lint", "--output-format", "xml"])
        .assert()
        .code(2);
    gwctl().args(["frobnicate"]).assert().code(2);
}

#[test]
fn missing_path_is_reported_and_the_run_goes_on_with_exit_2() {
    let out = gwctl()
        .arg("lint")
        .arg("does-not-exist.yaml")
        .arg(input("GW002_duplicate-key.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains("does-not-exist.yaml: no such file or folder"),
        "{text}"
    );
    assert!(
        text.contains("GW002"),
        "the readable file is still linted: {text}"
    );
    let json = gwctl()
        .args(["lint", "-o", "json", "does-not-exist.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["errors"][0]["path"], "does-not-exist.yaml");
}

#[test]
fn stdin_explicit_and_implicit() {
    let text = fs::read_to_string(input("GW002_duplicate-key.yaml")).unwrap();
    let out = gwctl()
        .args(["lint", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("<stdin>:8:3"), "{}", stdout(&out));
    let out = gwctl().arg("lint").write_stdin(text).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_input_is_a_usage_error() {
    let out = gwctl().arg("lint").write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no input"), "{}", stderr(&out));
}

#[test]
fn folders_are_walked_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("a/b")).unwrap();
    fs::create_dir_all(root.join("generated")).unwrap();
    let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\n";
    fs::write(root.join("a/b/deep.yml"), bad).unwrap();
    fs::write(
        root.join("a/x.json"),
        r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"ok"}}"#,
    )
    .unwrap();
    fs::write(root.join("a/notes.txt"), "not: [yaml").unwrap();
    fs::write(root.join("generated/out.yaml"), bad).unwrap();
    fs::write(root.join("skipped.yaml"), bad).unwrap();
    fs::write(root.join(".gitignore"), "generated/\n").unwrap();
    fs::write(root.join(".gwctlignore"), "skipped.yaml\n").unwrap();
    let out = gwctl()
        .current_dir(root)
        .args(["lint", "-o", "json", "."])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 2, "{v}");
    assert_eq!(v["summary"]["objects"], 2);
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["a/b/deep.yml"]);
    // A file named explicitly is read whatever its extension.
    let out = gwctl()
        .current_dir(root)
        .args(["lint", "a/notes.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("GW001"));
}

#[test]
fn binary_non_utf8_utf16_and_empty_files_get_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    fs::write(p("bin.yaml"), [0x89, b'P', b'N', b'G', 0, 0, 1]).unwrap();
    fs::write(
        p("latin1.yaml"),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n",
    )
    .unwrap();
    fs::write(p("utf16.yaml"), [0xFF, 0xFE, b'a', 0]).unwrap();
    fs::write(p("empty.yaml"), "").unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "-o", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("bin.yaml", "GW011"),
        ("empty.yaml", "GW050"),
        ("latin1.yaml", "GW012"),
        ("utf16.yaml", "GW012"),
    ];
    for (f, c) in want {
        assert!(
            got.contains(&(f.to_owned(), c.to_owned())),
            "{f} {c} missing from {got:?}"
        );
    }
    let latin = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "latin1.yaml")
        .unwrap();
    assert_eq!(
        (latin["line"].as_u64(), latin["column"].as_u64()),
        (Some(3), Some(21))
    );
}

#[test]
fn a_100_mb_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let out = gwctl().arg("lint").arg(&big).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("GW013"), "{}", stdout(&out));
    assert!(stdout(&out).contains("--max-file-size"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_to_read_is_an_error_naming_it() {
    // Reading /proc/self/mem at offset 0 fails with EIO, even for root.
    let out = gwctl().args(["lint", "/proc/self/mem"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("/proc/self/mem"), "{}", stdout(&out));
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("a.yaml"), "a: 1\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = fs::read_dir(&locked).is_ok(); // root ignores permissions
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "."])
        .output()
        .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    if readable_anyway {
        // As root the folder is read; the file inside is then linted like any other.
        assert!(stdout(&out).contains("locked/a.yaml"), "{}", stdout(&out));
    } else {
        assert_eq!(out.status.code(), Some(2));
        assert!(stdout(&out).contains("locked"), "{}", stdout(&out));
    }
}

#[test]
fn deep_nesting_and_alias_bombs_finish_quickly_with_findings() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.yaml");
    fs::write(
        &deep,
        format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000)),
    )
    .unwrap();
    let out = gwctl().arg("lint").arg(&deep).output().unwrap();
    assert!(stdout(&out).contains("GW004"), "{}", stdout(&out));
    let out = gwctl()
        .arg("lint")
        .arg(input("GW003_alias-expansion-too-large.yaml"))
        .output()
        .unwrap();
    assert!(stdout(&out).contains("GW003"));
}

#[test]
fn colour_is_off_when_piped_and_on_when_forced() {
    let out = gwctl()
        .arg("lint")
        .arg(input("GW002_duplicate-key.yaml"))
        .output()
        .unwrap();
    assert!(!stdout(&out).contains('\x1b'));
    let out = gwctl()
        .args(["--color", "always", "lint"])
        .arg(input("GW002_duplicate-key.yaml"))
        .output()
        .unwrap();
    assert!(stdout(&out).contains('\x1b'));
}

#[test]
fn completions_are_committed_and_current() {
    let shells = [
        ("bash", "gwctl.bash"),
        ("zsh", "_gwctl"),
        ("fish", "gwctl.fish"),
        ("powershell", "_gwctl.ps1"),
        ("elvish", "gwctl.elv"),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var("GWCTL_UPDATE_COMPLETIONS").is_ok();
    for (shell, file) in shells {
        let out = gwctl().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let path = dir.join(file);
        if update {
            fs::write(&path, &out.stdout).unwrap();
        }
        let committed = fs::read(&path).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/{file} is stale; regenerate with: GWCTL_UPDATE_COMPLETIONS=1 cargo test --test it completions"
        );
    }
}

#[test]
fn rules_and_explain() {
    let out = gwctl().arg("rules").output().unwrap();
    assert!(stdout(&out).contains("GW030  duplicate-object"));
    let out = gwctl()
        .args(["explain", "duplicate-object"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("## Fix"));
    gwctl().args(["explain", "GW999"]).assert().code(2);
}

const POLICY_CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: timeoutpolicies.example.com
spec:
  group: example.com
  names: {kind: TimeoutPolicy, plural: timeoutpolicies}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            required: [timeoutSeconds]
            properties:
              timeoutSeconds: {type: integer, minimum: 1, maximum: 300}
"#;

#[test]
fn crds_add_schemas_for_other_kinds() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("crd.yaml"), POLICY_CRD).unwrap();
    fs::write(
        dir.path().join("policy.yaml"),
        "apiVersion: example.com/v1\nkind: TimeoutPolicy\nmetadata: {name: slow}\nspec:\n  timeoutSeconds: 900\n  retries: 3\n",
    )
    .unwrap();
    // Without --crds the kind is not covered, so nothing is reported.
    gwctl()
        .current_dir(dir.path())
        .args(["lint", "policy.yaml"])
        .assert()
        .code(0);
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "--crds", "crd.yaml", "-o", "json", "policy.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![("GW107", "spec.timeoutSeconds"), ("GW101", "spec.retries")]
    );
}

/// A user CRD's kind at a version the CRD does not serve: the finding names the CRD and the
/// versions it serves, not Gateway API.
#[test]
fn an_unserved_version_of_a_user_crd_names_the_crd() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("crd.yaml"), POLICY_CRD).unwrap();
    fs::write(
        dir.path().join("policy.yaml"),
        "apiVersion: example.com/v2\nkind: TimeoutPolicy\nmetadata: {name: slow}\nspec:\n  timeoutSeconds: 30\n",
    )
    .unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "--crds", "crd.yaml", "-o", "json", "policy.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "GW040", "{v:#}");
    assert_eq!(
        d["message"],
        "TimeoutPolicy v2 is not served by CustomResourceDefinition timeoutpolicies.example.com (it serves v1)"
    );
    assert_eq!(d["help"], "use a served version, such as `example.com/v1`");
}

#[test]
fn a_broken_crd_stops_the_run_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("crd.yaml"),
        POLICY_CRD.replace("type: integer", "type: 7"),
    )
    .unwrap();
    fs::write(
        dir.path().join("m.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
    )
    .unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "--crds", "crd.yaml", "m.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("crd.yaml"), "{}", stderr(&out));
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "--crds", "m.yaml", "m.yaml"])
        .output()
        .unwrap();
    common::assert_exit_and_contains(&out, 2, stderr(&out), "no CustomResourceDefinition");
}

#[test]
fn upstream_crds_given_with_crds_are_used_like_the_bundled_ones() {
    let Some(shared) = common::shared_gateway_api() else {
        return;
    };
    let out = gwctl()
        .arg("lint")
        .arg("--crds")
        .arg(shared.join("v1.1.0/crd/standard"))
        .arg(fixtures().join("schema/GW105_value-not-allowed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("GW105"), "{}", stdout(&out));
}

#[test]
fn select_and_ignore_filter_rules_by_code_prefix_and_name() {
    let f = fixtures().join("refs/GW312_backend-port-not-found.yaml");
    let codes = |args: &[&str]| -> Vec<String> {
        let out = gwctl()
            .args(["lint", "-o", "json"])
            .args(args)
            .arg(&f)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(&[]), vec!["GW312"]);
    assert!(codes(&["--ignore", "backend-port-not-found"]).is_empty());
    assert!(codes(&["--select", "GW1,GW0"]).is_empty());
    assert_eq!(codes(&["--select", "gw3"]), vec!["GW312"]);
}

fn json_codes(out: &std::process::Output) -> Vec<(String, String)> {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stdout(out)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn fail_on_warning_makes_warnings_fail() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("w.yaml"), WARN_ONLY).unwrap();
    gwctl()
        .current_dir(dir.path())
        .args(["lint", "w.yaml"])
        .assert()
        .code(0);
    gwctl()
        .current_dir(dir.path())
        .args(["lint", "--fail-on", "warning", "w.yaml"])
        .assert()
        .code(1);
}

#[test]
fn config_file_is_found_upward_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("deploy/generated")).unwrap();
    fs::write(root.join("deploy/w.yaml"), WARN_ONLY).unwrap();
    fs::write(root.join("deploy/generated/bad.yaml"), "a: [\n").unwrap();
    fs::write(
        root.join(".gwctl.yaml"),
        "failOn: warning\nrules:\n  severity:\n    yaml-1.1-scalar: info\nexclude: [\"deploy/generated/**\"]\n",
    )
    .unwrap();
    // Run from a subfolder: the file in the parent is found.
    let out = gwctl()
        .current_dir(root.join("deploy"))
        .args(["lint", "-o", "json", "."])
        .output()
        .unwrap();
    assert_eq!(
        json_codes(&out),
        vec![("GW007".to_owned(), "info".to_owned())]
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "an info does not fail even with failOn: warning"
    );
    // --config names another file; flags beat the file.
    fs::write(root.join("strict.yaml"), "failOn: info\n").unwrap();
    let out = gwctl()
        .current_dir(root)
        .args(["lint", "--config", "strict.yaml", "deploy/w.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = gwctl()
        .current_dir(root)
        .args([
            "lint",
            "--config",
            "strict.yaml",
            "--fail-on",
            "error",
            "deploy/w.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_bad_config_file_is_an_error_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("w.yaml"), WARN_ONLY).unwrap();
    fs::write(dir.path().join(".gwctl.yaml"), "rules:\n  selekt: [GW3]\n").unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "w.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("selekt"), "{}", stderr(&out));
    fs::write(
        dir.path().join(".gwctl.yaml"),
        "rules:\n  severity: {no-such-rule: error}\n",
    )
    .unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["lint", "w.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-rule"), "{}", stderr(&out));
}

/// `--kubernetes-version` takes `1.31`, `v1.31` or `1.31.2` and refuses anything else with
/// exit status 2; `kubernetesVersion:` in the configuration file must be quoted (YAML reads
/// 1.30 as 1.3); the flag beats the file.
#[test]
fn the_kubernetes_version_comes_from_the_flag_or_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("w.yaml"), WARN_ONLY).unwrap();
    let run = |args: &[&str]| {
        gwctl()
            .current_dir(dir.path())
            .args(["lint", "-o", "json", "--gateway-api-version", "v1.6.1"])
            .args(args)
            .arg("w.yaml")
            .output()
            .unwrap()
    };
    for ok in ["1.31", "v1.31", "1.31.2", "v1.31.0"] {
        let out = run(&["--kubernetes-version", ok]);
        assert_eq!(out.status.code(), Some(0), "{ok}: {}", stderr(&out));
        assert_eq!(
            json_codes(&out),
            // About no file, so first.
            [
                ("GW606".to_owned(), "warning".to_owned()),
                ("GW007".to_owned(), "warning".to_owned())
            ],
            "{ok}"
        );
    }
    for bad in [
        "1.3x",
        "31",
        "2.31",
        "1.31+",
        "v1.31.4-gke.100",
        "latest",
        "",
    ] {
        let out = run(&["--kubernetes-version", bad]);
        common::assert_exit_and_contains(
            &out,
            2,
            stderr(&out),
            "is not a Kubernetes version; write its minor, such as 1.31",
        );
        assert!(out.stdout.is_empty(), "{bad}");
    }
    // Without a version, nothing is said about it.
    assert_eq!(json_codes(&run(&[])).len(), 1);

    let config = dir.path().join(".gwctl.yaml");
    fs::write(&config, "kubernetesVersion: \"1.30\"\n").unwrap();
    let codes: Vec<String> = json_codes(&run(&[])).into_iter().map(|c| c.0).collect();
    assert_eq!(codes, ["GW605", "GW606", "GW007"]);
    // The flag beats the file.
    let out = run(&["--kubernetes-version", "1.33"]);
    assert_eq!(json_codes(&out).len(), 1, "{}", stdout(&out));
    for (text, needle) in [
        (
            "kubernetesVersion: 1.30\n",
            "kubernetesVersion: the number 1.3 is not a version; quote it",
        ),
        (
            "kubernetesVersion: \"1.3x\"\n",
            "kubernetesVersion: \"1.3x\" is not a Kubernetes version",
        ),
        (
            "kubernetesVersion: [1]\n",
            "kubernetesVersion: [1] is not a string",
        ),
        ("kubernetesVersion: {a: 1}\n", "kubernetesVersion:"),
    ] {
        fs::write(&config, text).unwrap();
        let out = run(&[]);
        common::assert_exit_and_contains(&out, 2, stderr(&out), needle);
        assert!(stderr(&out).contains(".gwctl.yaml"), "{}", stderr(&out));
        // A valid flag does not excuse a broken file.
        let out = run(&["--kubernetes-version", "1.33"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
    }
    // Over a null it is as if unset.
    fs::write(&config, "kubernetesVersion:\n").unwrap();
    assert_eq!(json_codes(&run(&[])).len(), 1);
}

/// `gwctl lint -o json ARGS` in `dir`, parsed.
fn lint_json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = gwctl()
        .current_dir(dir)
        .args(["lint", "-o", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn suppressions_by_comment_and_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  # gwctl-ignore GW007\n  x: yes\n  y: on  # gwctl-ignore yaml-1.1-scalar\n  z: off\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: {gwctl.io/ignore: \"GW007\"}\ndata: {x: yes, y: no}\n";
    fs::write(dir.path().join("s.yaml"), text).unwrap();
    let v = lint_json(dir.path(), &["s.yaml"]);
    let lines: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // Only `z: off` (line 8) is left; nothing is unused.
    assert_eq!(lines, vec![("GW007".to_owned(), 8)]);
}

/// The annotation works on every kind, also those whose JSON lint cuts down once their
/// schema checks are done (routes keep only what later passes read), and it sits among
/// other annotations.
#[test]
fn suppression_annotation_on_a_route() {
    let dir = tempfile::tempdir().unwrap();
    let route = |name: &str, annotations: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: {name}\n  annotations: {annotations}\nspec:\n  rules:\n  - backendRefs: [{{name: missing-{name}, port: 80}}]\n"
        )
    };
    let text = [
        route(
            "quiet",
            "{team: shop, gwctl.io/ignore: \"backend-service-not-found\", note: x}",
        ),
        route("loud", "{team: shop}"),
    ]
    .join("---\n");
    fs::write(dir.path().join("r.yaml"), text).unwrap();
    let v = lint_json(dir.path(), &["--select", "GW311,GW060", "r.yaml"]);
    let found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["object"]["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(found, vec![("GW311".to_owned(), "loud".to_owned())], "{v}");
}

/// Machine formats do not keep ASCII files' texts after reading them (they show no
/// snippets): their positions must still be those the human format shows, and a file with
/// other characters (whose columns count characters, not bytes) keeps its text.
#[test]
fn positions_are_the_same_with_and_without_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |key: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata: {{{key}: yes}}\n")
    };
    fs::write(dir.path().join("ascii.yaml"), doc("plain")).unwrap();
    fs::write(dir.path().join("utf8.yaml"), doc("caf\u{e9}\u{1F600}")).unwrap();
    for (file, column) in [("ascii.yaml", 15), ("utf8.yaml", 15)] {
        let v = lint_json(dir.path(), &[file]);
        let d = &v["diagnostics"][0];
        assert_eq!(d["code"], "GW007", "{v}");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(4), Some(column)),
            "{file}: {v}"
        );
        let human = gwctl()
            .current_dir(dir.path())
            .args(["lint", "--color", "never", file])
            .output()
            .unwrap();
        let text = stdout(&human);
        assert!(
            text.contains(&format!("--> {file}:4:{column}")),
            "{file}: {text}"
        );
        // The snippet shows the line as written.
        assert!(text.contains("data: {"), "{text}");
    }
}

/// Secret values never appear in any output format, even when a finding points into them.
#[test]
fn secret_values_never_reach_output() {
    let dir = tempfile::tempdir().unwrap();
    let planted = "s3cr3t-Pa55w0rd";
    let text = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: creds, namespace: shop}}\ntype: Opaque\nstringData:\n  password: {planted}\n  enabled: ON  # {planted}\n  token: {planted}\n  token: |\n    {planted}\ndata: {{x: {planted}, x: yes}}\n"
    );
    fs::write(dir.path().join("secret.yaml"), text).unwrap();
    for format in [
        "human", "json", "sarif", "junit", "github", "gitlab", "compact",
    ] {
        let out = gwctl()
            .current_dir(dir.path())
            .args(["lint", "--output-format", format, "secret.yaml"])
            .output()
            .unwrap();
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            all.contains("GW002"),
            "{format}: the findings are still reported:\n{all}"
        );
        assert!(!all.contains(planted), "{format} leaks the secret:\n{all}");
        assert!(
            !all.contains("`ON`") && !all.contains("\"ON\""),
            "{format} leaks a value:\n{all}"
        );
        // The YAML 1.1 finding on `enabled: ON` still says what to write, without quoting
        // the masked text or the boolean it stands for.
        assert!(all.contains("GW007"), "{format}:\n{all}");
        assert!(
            !all.contains("write `(secret value hidden)`"),
            "{format}: the GW007 help echoes the masked value:\n{all}"
        );
        // Compact and GitLab show no help.
        if !matches!(format, "compact" | "gitlab") {
            assert!(all.contains("values of a Secret"), "{format}:\n{all}");
        }
    }
}

/// The README's first command lints this example; it must keep showing what gwctl is for.
#[test]
fn the_readme_example_shows_reference_schema_and_backend_findings() {
    let out = gwctl()
        .arg("lint")
        .arg(fixtures().join("example/gateway.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for code in ["GW306", "GW105", "GW312"] {
        assert!(text.contains(code), "{code} missing:\n{text}");
    }
    let readme =
        fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    assert!(readme.contains("cargo run --release -- lint tests/fixtures/example/gateway.yaml"));
}

/// Secret values reach neither `migrate`'s findings and diffs (a diff's context lines can
/// fall inside a Secret next to a migrated object) nor `simulate`'s trace.
#[test]
fn secret_values_never_reach_migrate_or_simulate_output() {
    let dir = tempfile::tempdir().unwrap();
    let planted = "s3cr3t-Pa55w0rd";
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: creds, namespace: shop}}\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: {planted}\n  tls.key: {planted}\n"
    );
    let route = "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\nmetadata: {name: r, namespace: shop}\nspec:\n  parentRefs: [{name: gw}]\n";
    let gateway = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: shop}\nspec:\n  gatewayClassName: c\n  listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    hostname: shop.example.com\n    tls:\n      certificateRefs: [{name: creds}]\n";
    fs::write(dir.path().join("a.yaml"), format!("{secret}---\n{route}")).unwrap();
    // A duplicate key inside the Secret: migrate refuses the file and shows the finding.
    fs::write(
        dir.path().join("dup.yaml"),
        format!("{secret}  tls.key: {planted}\n---\n{route}"),
    )
    .unwrap();
    fs::write(
        dir.path().join("gw.yaml"),
        format!("{secret}---\n{gateway}"),
    )
    .unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["migrate", "--diff", "a.yaml"],
        vec!["migrate", "--check", "a.yaml"],
        vec!["migrate", "--diff", "dup.yaml"],
        vec!["migrate", "dup.yaml"],
        vec!["simulate", "gw.yaml", "--url", "https://shop.example.com/"],
        vec![
            "simulate",
            "gw.yaml",
            "-o",
            "json",
            "--url",
            "https://shop.example.com/",
        ],
    ];
    for args in runs {
        let out = gwctl()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        // `migrate FILE` prints the file itself (migrated or, here, unchanged) on stdout:
        // that is the manifest the user asked for, not a report; its findings on stderr
        // must still hide the values.
        let all = if args == ["migrate", "dup.yaml"] {
            stderr(&out)
        } else {
            format!("{}{}", stdout(&out), stderr(&out))
        };
        assert!(!all.contains(planted), "{args:?} leaks the secret:\n{all}");
        if args[..] == ["migrate", "--diff", "a.yaml"] {
            assert!(all.contains("gateway.networking.k8s.io/v1\n"), "{all}");
        }
        if args.contains(&"dup.yaml") {
            assert!(
                all.contains("GW002"),
                "{args:?}: the finding is shown:\n{all}"
            );
        }
    }
}

/// Snippets come from reading a file again after checking; a pipe (`<(...)`) cannot be read
/// again, so its text is kept and its lines are shown like a file's.
#[cfg(unix)]
#[test]
fn snippets_of_a_pipe_input_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("route.yaml"),
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: shop}\nspec:\n  parentRefs: [{name: missing-gateway}]\n",
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("gwctl");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} lint --color never <(cat route.yaml) route.yaml",
            bin.display()
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.matches("parentRefs: [{name: missing-gateway}]")
            .count()
            >= 2,
        "both inputs show the line:\n{text}"
    );
    assert!(!text.contains("not shown"), "{text}");
    assert!(text.contains("/dev/fd/"), "{text}");
}
