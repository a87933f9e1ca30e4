//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod fake_api;
pub mod rng;
pub mod rust_source;

pub use rust_source::{code_only, source_files, without_comments};

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The built `gwctl` binary with a clean, colourless environment.
pub fn gwctl() -> Command {
    let mut cmd = Command::cargo_bin("gwctl").expect("gwctl binary is built");
    cmd.env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG");
    cmd
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// insta settings that keep snapshots under the top-level `snapshots/` folder.
pub fn snapshot_settings(folder: &str) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("snapshots")
            .join(folder),
    );
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `../shared/gateway-api`, the upstream reference data. Missing is a failure under CI
/// (CI=true) and a skip elsewhere, so a broken CI checkout cannot pass silently.
pub fn shared_gateway_api() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gateway-api");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing; CI must provide the shared reference data",
            dir.display()
        );
    }
    eprintln!("skipping: {} is missing", dir.display());
    None
}

/// Asserts that a run exited with `code` and that `text` (its stdout or stderr) contains
/// `needle`, showing the text when it does not.
#[track_caller]
pub fn assert_exit_and_contains(o: &Output, code: i32, text: String, needle: &str) {
    assert_eq!(o.status.code(), Some(code), "{text}");
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

/// A ConfigMap with one YAML 1.1 boolean: one GW007 warning and nothing else.
pub const WARN_ONLY: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: w}\ndata: {a: yes}\n";
