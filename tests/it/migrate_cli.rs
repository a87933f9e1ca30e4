//! `gwctl migrate` as users and CI run it: printing, diffs, `--check`, `--write` (atomic,
//! permissions kept, refused files untouched), stdin and exit codes.

use crate::common;

use std::fs;
use std::path::Path;

use common::{fixtures, gwctl, stderr, stdout};

const OLD: &str = "# keep me\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\nmetadata:\n  name: echo\n";
const NEW: &str = "# keep me\napiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: echo\n";

fn fixture(name: &str) -> String {
    fs::read_to_string(fixtures().join("migrate").join(name)).unwrap()
}

/// Files in a folder, to prove no temporary file is left behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_single_file_is_printed_migrated_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.yaml");
    fs::write(&f, OLD).unwrap();
    let out = gwctl().arg("migrate").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), NEW);
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), OLD);
}

#[test]
fn stdin_explicit_and_implicit() {
    for args in [&["migrate", "-"][..], &["migrate"][..]] {
        let out = gwctl().args(args).write_stdin(OLD).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?} {}", stderr(&out));
        assert_eq!(stdout(&out), NEW, "{args:?}");
    }
    let out = gwctl()
        .args(["migrate", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    // Stdin cannot be rewritten in place.
    let out = gwctl()
        .args(["migrate", "--write", "-"])
        .write_stdin(OLD)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--write cannot rewrite stdin"));
}

#[test]
fn diff_for_several_inputs_or_on_request() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), OLD).unwrap();
    fs::write(dir.path().join("b.yaml"), NEW).unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["migrate", "a.yaml", "b.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let diff = stdout(&out);
    assert!(diff.starts_with("--- a.yaml\n+++ a.yaml\n@@"), "{diff}");
    assert!(diff.contains("-apiVersion: gateway.networking.k8s.io/v1alpha2\n+apiVersion: gateway.networking.k8s.io/v1\n"), "{diff}");
    assert!(
        !diff.contains("b.yaml"),
        "unchanged files have no diff: {diff}"
    );
    let out = gwctl()
        .current_dir(dir.path())
        .args(["migrate", "--diff", "a.yaml"])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with("--- a.yaml\n"), "{}", stdout(&out));
    // A folder is walked like lint does; the result is a diff too.
    let out = gwctl()
        .current_dir(dir.path())
        .args(["migrate", "."])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("+++ a.yaml"), "{}", stdout(&out));
}

#[test]
fn check_exits_1_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.yaml");
    fs::write(&f, OLD).unwrap();
    let out = gwctl()
        .arg("migrate")
        .arg("--check")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("+apiVersion: gateway.networking.k8s.io/v1\n"));
    assert!(
        stderr(&out).contains("would be migrated"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), OLD);
    fs::write(&f, NEW).unwrap();
    let out = gwctl()
        .arg("migrate")
        .arg("--check")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("nothing to migrate in 1 file"));
}

#[cfg(unix)]
#[test]
fn write_rewrites_in_place_keeping_permissions_and_leaving_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("policy.yaml");
    let input = fixture("backendtlspolicy-block.yaml");
    fs::write(&f, format!("\u{feff}{input}")).unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
    let printed = stdout(&gwctl().arg("migrate").arg(&f).output().unwrap());
    let out = gwctl().args(["migrate", "-w"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("migrated 1 object in 1 file"));
    let written = fs::read_to_string(&f).unwrap();
    assert_eq!(
        written.strip_prefix('\u{feff}'),
        Some(printed.strip_prefix('\u{feff}').unwrap()),
        "the byte order mark is kept"
    );
    assert!(written.contains("targetRefs:   # only one in v1alpha2"));
    assert_eq!(
        fs::metadata(&f).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(listing(dir.path()), vec!["policy.yaml"]);
    // A second run has nothing to do and leaves the file as it is.
    let out = gwctl()
        .args(["migrate", "--write"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("nothing to migrate"));
    assert_eq!(fs::read_to_string(&f).unwrap(), written);
}

#[test]
fn a_refused_object_leaves_its_whole_file_untouched_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let refused = dir.path().join("refused.yaml");
    let fine = dir.path().join("fine.yaml");
    let text = fixture("GW501_unmigratable-target-namespace.yaml");
    fs::write(&refused, &text).unwrap();
    fs::write(&fine, OLD).unwrap();
    let before = fs::metadata(&refused).unwrap().modified().unwrap();
    let out = gwctl()
        .current_dir(dir.path())
        .args(["migrate", "--write", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // File and line, both namespaces, and what to do.
    assert!(err.contains("--> refused.yaml:20:16"), "{err}");
    assert!(
        err.contains("\"infra\"") && err.contains("\"apps\""),
        "{err}"
    );
    assert!(
        err.contains("move the policy to namespace \"apps\""),
        "{err}"
    );
    assert!(err.contains("GW501"), "{err}");
    // The GRPCRoute in the same file is not migrated either: no file is half-migrated.
    assert_eq!(fs::read_to_string(&refused).unwrap(), text);
    assert_eq!(fs::metadata(&refused).unwrap().modified().unwrap(), before);
    // Other files are still migrated.
    assert_eq!(fs::read_to_string(&fine).unwrap(), NEW);
    assert_eq!(listing(dir.path()), vec!["fine.yaml", "refused.yaml"]);
}

#[test]
fn inputs_gwctl_cannot_handle_exit_2_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    let bad_text =
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\nmetadata: [unclosed\n";
    fs::write(&bad, bad_text).unwrap();
    let out = gwctl()
        .args(["migrate", "--write"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("GW001"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&bad).unwrap(), bad_text);
    let latin1 = dir.path().join("latin1.yaml");
    fs::write(&latin1, b"a: caf\xe9\n").unwrap();
    let out = gwctl().arg("migrate").arg(&latin1).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    let out = gwctl()
        .args(["migrate", "does-not-exist.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does-not-exist.yaml: no such file or folder"));
    gwctl()
        .args(["migrate", "--write", "--check", "x.yaml"])
        .assert()
        .code(2);
}

#[test]
fn to_v1_is_opt_in() {
    let gw = "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\nmetadata: {name: g}\n";
    let out = gwctl()
        .args(["migrate", "-"])
        .write_stdin(gw)
        .output()
        .unwrap();
    assert_eq!(stdout(&out), gw);
    let out = gwctl()
        .args(["migrate", "--to-v1", "-"])
        .write_stdin(gw)
        .output()
        .unwrap();
    assert_eq!(stdout(&out), gw.replace("v1beta1", "v1"));
}

/// `--to` chooses the release; `--gateway-api-version` is another name for it, and the
/// configuration file's `gatewayAPIVersion` is the default.
#[test]
fn to_chooses_the_release_and_the_configuration_file_is_the_default() {
    let text = "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: {name: t}\nspec:\n  rules: [{backendRefs: [{name: s, port: 5432}]}]\n";
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.yaml");
    fs::write(&f, text).unwrap();
    let run = |args: &[&str]| {
        gwctl()
            .current_dir(dir.path())
            .arg("migrate")
            .args(args)
            .arg(&f)
            .output()
            .unwrap()
    };
    let moved = text.replace("/v1alpha2", "/v1");
    for args in [
        &["--to", "v1.6"][..],
        &["--gateway-api-version", "v1.6"],
        &[],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), moved, "{args:?}");
    }
    assert_eq!(stdout(&run(&["--to", "v1.5"])), text);
    fs::write(dir.path().join(".gwctl.yaml"), "gatewayAPIVersion: v1.5\n").unwrap();
    assert_eq!(stdout(&run(&[])), text);
    assert_eq!(stdout(&run(&["--to", "v1.6"])), moved);
}
