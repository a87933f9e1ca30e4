//! The progress line of long runs: it is for a person at a terminal, so output that is piped
//! (CI logs, files, other programs) never holds any of it. How the line is drawn is tested
//! in `src/cli/progress.rs` with a fake clock and terminal.

use crate::common;

use std::fmt::Write as _;
use std::fs;

use common::{gwctl, stderr};

/// A stream long enough that a test build takes more than the second after which the
/// line would appear on a terminal.
fn many_routes(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        write!(
            s,
            "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\nmetadata: {{name: r{i}, namespace: shop}}\nspec:\n  parentRefs: [{{name: web}}]\n  rules: [{{backendRefs: [{{name: app, port: 80}}]}}]\n"
        )
        .unwrap();
    }
    s
}

/// Everything but the terminal says yes: no CI, no GWCTL_NO_PROGRESS, a capable TERM.
fn no_ci(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.env_remove("CI")
        .env_remove("GWCTL_NO_PROGRESS")
        .env("TERM", "xterm-256color")
}

#[test]
fn piped_stderr_never_shows_progress() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let stream = many_routes(10_000);
    // A large stream on stdin.
    let started = std::time::Instant::now();
    let out = no_ci(&mut gwctl())
        .current_dir(root)
        .args(["lint", "-o", "compact", "-"])
        .write_stdin(stream.clone())
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains('\r') && !stderr(&out).contains("objects checked"),
        "after {took:?}: {:?}",
        stderr(&out)
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    // Many files, for lint and for migrate.
    let manifests = root.join("manifests");
    fs::create_dir(&manifests).unwrap();
    for (i, doc) in stream
        .split_inclusive("rules: [{backendRefs: [{name: app, port: 80}]}]\n")
        .take(400)
        .enumerate()
    {
        fs::write(manifests.join(format!("r{i}.yaml")), doc).unwrap();
    }
    for args in [
        vec!["lint", "-o", "compact", "manifests"],
        vec!["migrate", "--diff", "manifests"],
    ] {
        let out = no_ci(&mut gwctl())
            .current_dir(root)
            .args(&args)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(
            !err.contains('\r') && !err.contains("files read") && !err.contains("files migrated"),
            "{args:?}: {err:?}"
        );
    }
}
