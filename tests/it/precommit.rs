//! The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit` tool on a
//! throwaway git repository. The hooks are mirrored as `repo: local` hooks that run the
//! built binary (`language: system`) instead of building gwctl with cargo, so the test
//! needs no network; everything else (which files, how they are passed) is taken from
//! `.pre-commit-hooks.yaml` itself.
//!
//! `pre-commit` missing is a failure under CI (CI=true; `.ci/run` installs it) and a skip
//! elsewhere.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

/// How to start pre-commit: its own script, or the module through python3 (pip may have
/// put the script where PATH does not reach, as with pyenv before a rehash).
fn pre_commit() -> Option<Vec<String>> {
    let candidates = [
        vec!["pre-commit".to_owned()],
        vec![
            "python3".to_owned(),
            "-m".to_owned(),
            "pre_commit".to_owned(),
        ],
    ];
    let found = candidates.into_iter().find(|c| {
        Command::new(&c[0])
            .args(&c[1..])
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("pre-commit is not installed; CI must install it (see .ci/run)");
        }
        eprintln!("skipping: pre-commit is not installed (python3 -m pip install pre-commit)");
    }
    found
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    let mut words = program.split(' ');
    Command::new(words.next().unwrap_or(program))
        .args(words)
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = run(dir, "git", args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `.pre-commit-hooks.yaml`'s lint hook as a local hook that runs the built binary.
fn local_lint_hook() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let docs = gwctl::yaml::parse_json_documents(&text).unwrap();
    let hooks = docs[0].as_array().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().filter_map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["gwctl-lint", "gwctl-migrate-check", "gwctl-test"]);
    let mut hook = hooks[0].clone();
    assert_eq!(hook["entry"], "gwctl lint");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], true);
    let bin = env!("CARGO_BIN_EXE_gwctl");
    hook["entry"] = json!(format!("{bin} lint"));
    hook["language"] = json!("system");
    hook
}

const GOOD: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
spec:
  parentRefs:
  - name: shop
";

const BAD: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
  name: shop
spec:
  parentRefs:
  - name: shop
";

/// `.pre-commit-hooks.yaml`'s `gwctl-test` hook as a local hook that runs the built binary.
fn local_test_hook() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let docs = gwctl::yaml::parse_json_documents(&text).unwrap();
    let hooks = docs[0].as_array().expect("a list of hooks");
    let mut hook = hooks
        .iter()
        .find(|h| h["id"] == "gwctl-test")
        .expect("a gwctl-test hook")
        .clone();
    assert_eq!(hook["entry"], "gwctl test");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let bin = env!("CARGO_BIN_EXE_gwctl");
    hook["entry"] = json!(format!("{bin} test"));
    hook["language"] = json!("system");
    hook
}

/// A git repository in `dir` with the lint hook installed and its configuration committed.
fn install_lint_hook(dir: &Path, pre_commit: &[String]) {
    install_hook(dir, pre_commit, local_lint_hook());
}

/// A git repository in `dir` with `hook` installed and its configuration committed.
fn install_hook(dir: &Path, pre_commit: &[String], hook: Value) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.email", "test@example.com"]);
    git(dir, &["config", "user.name", "gwctl test"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
    fs::write(dir.join(".gitignore"), ".pre-commit-home/\n").unwrap();
    // pre-commit reads a YAML config; JSON is YAML.
    let config = json!({"repos": [{"repo": "local", "hooks": [hook]}]});
    fs::write(
        dir.join(".pre-commit-config.yaml"),
        serde_json::to_string_pretty(&config).unwrap(),
    )
    .unwrap();
    git(dir, &["add", ".gitignore", ".pre-commit-config.yaml"]);
    git(dir, &["commit", "-q", "--no-verify", "-m", "config"]);
    let install = run(dir, &pre_commit.join(" "), &["install"]);
    assert!(install.status.success(), "{install:?}");
}

/// Stdout and stderr of a run, as one text.
fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn lint_hook_blocks_bad_staged_manifests_and_passes_good_ones() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // pre-commit accepts the hooks file as a hook repository's manifest.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let valid = run(
        dir,
        &pre_commit.join(" "),
        &["validate-manifest", &manifest.to_string_lossy()],
    );
    assert!(valid.status.success(), "{valid:?}");
    install_lint_hook(dir, &pre_commit);

    // A bad manifest that is never staged: the hook must not see it.
    fs::create_dir_all(dir.join("elsewhere")).unwrap();
    fs::write(dir.join("elsewhere/unstaged.yaml"), BAD).unwrap();
    // Not YAML: never passed to the hook even when staged.
    fs::write(dir.join("notes.txt"), "apiVersion: [\n").unwrap();

    fs::create_dir_all(dir.join("deploy")).unwrap();
    fs::write(dir.join("deploy/route.yaml"), BAD).unwrap();
    git(dir, &["add", "deploy/route.yaml", "notes.txt"]);
    let blocked = run(dir, "git", &["commit", "-m", "bad route"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&blocked.stdout),
        String::from_utf8_lossy(&blocked.stderr)
    );
    assert!(
        !blocked.status.success(),
        "a bad manifest was committed:\n{text}"
    );
    assert!(text.contains("GW002"), "{text}");
    assert!(text.contains("deploy/route.yaml"), "{text}");
    assert!(
        !text.contains("unstaged.yaml"),
        "an unstaged file was linted:\n{text}"
    );
    assert!(
        !text.contains("notes.txt"),
        "a non-YAML file was linted:\n{text}"
    );
    let log = git(dir, &["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 1);

    fs::write(dir.join("deploy/route.yaml"), GOOD).unwrap();
    git(dir, &["add", "deploy/route.yaml"]);
    let passed = run(dir, "git", &["commit", "-m", "good route"]);
    assert!(
        passed.status.success(),
        "a good manifest was blocked:\n{}{}",
        String::from_utf8_lossy(&passed.stdout),
        String::from_utf8_lossy(&passed.stderr)
    );
    let log = git(dir, &["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 2);
    // The unstaged bad file is still there, untouched and uncommitted.
    assert_eq!(
        fs::read_to_string(dir.join("elsewhere/unstaged.yaml")).unwrap(),
        BAD
    );
}

/// The scenario: the Gateway (listeners http and https) and the Service are
/// committed in other files; a staged route names the listener `htps` and a port the
/// Service does not have. The hook reads the repository's manifests as context (from
/// `.gwctl.yaml`), so both are errors and the commit is refused; a correct route passes.
#[test]
fn lint_hook_checks_staged_files_against_the_configured_context() {
    use crate::context::{BROKEN_ROUTE, GATEWAY, GOOD_ROUTE, SERVICE};

    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    install_lint_hook(dir, &pre_commit);
    fs::create_dir_all(dir.join("deploy/infra")).unwrap();
    fs::create_dir_all(dir.join("deploy/shop")).unwrap();
    fs::write(dir.join(".gwctl.yaml"), "context:\n  - deploy/\n").unwrap();
    fs::write(dir.join("deploy/infra/gateway.yaml"), GATEWAY).unwrap();
    fs::write(dir.join("deploy/shop/service.yaml"), SERVICE).unwrap();
    // Committed through the hook: `.gwctl.yaml` is YAML, not a manifest, and the hook
    // leaves it alone.
    git(dir, &["add", ".gwctl.yaml", "deploy"]);
    let committed = run(dir, "git", &["commit", "-m", "gateway and service"]);
    assert!(committed.status.success(), "{}", said(&committed));
    assert!(said(&committed).contains("Passed"), "{}", said(&committed));

    fs::write(dir.join("deploy/shop/route.yaml"), BROKEN_ROUTE).unwrap();
    git(dir, &["add", "deploy/shop/route.yaml"]);
    let blocked = run(dir, "git", &["commit", "-m", "broken route"]);
    let text = said(&blocked);
    assert!(
        !blocked.status.success(),
        "a broken route was committed:\n{text}"
    );
    assert!(text.contains("error[GW302]"), "{text}");
    assert!(text.contains("\"htps\""), "{text}");
    assert!(text.contains("error[GW312]"), "{text}");
    assert!(
        text.contains("port 80 is not a port of Service shop/store"),
        "{text}"
    );
    assert!(!text.contains("not defined in the inputs"), "{text}");
    assert!(text.contains("2 errors"), "{text}");
    let log = git(dir, &["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 2);

    fs::write(dir.join("deploy/shop/route.yaml"), GOOD_ROUTE).unwrap();
    git(dir, &["add", "deploy/shop/route.yaml"]);
    let passed = run(dir, "git", &["commit", "-m", "route"]);
    assert!(
        passed.status.success(),
        "a correct route was blocked:\n{}",
        said(&passed)
    );
    let log = git(dir, &["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 3);
}

const ROUTES: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  rules:
  - matches: [{path: {value: /api}}]
    backendRefs: [{name: api-v2, port: 80}]
";

const CASES: &str = "manifests: [../deploy]
cases:
  - name: api goes to v2
    request: {url: http://shop.example.com/api/items}
    expect:
      backends: [{name: api-v2}]
";

/// The `gwctl-test` hook runs every test file of the repository when a manifest is staged:
/// a change that breaks a routing case is refused, naming the case's line.
#[test]
fn test_hook_blocks_a_change_that_breaks_a_routing_case() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    install_hook(dir, &pre_commit, local_test_hook());
    fs::create_dir_all(dir.join("deploy")).unwrap();
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("deploy/routes.yaml"), ROUTES).unwrap();
    fs::write(dir.join("tests/routing.yaml"), CASES).unwrap();
    git(dir, &["add", "deploy", "tests"]);
    let committed = run(dir, "git", &["commit", "-m", "routes and cases"]);
    assert!(committed.status.success(), "{}", said(&committed));
    assert!(said(&committed).contains("Passed"), "{}", said(&committed));

    fs::write(
        dir.join("deploy/routes.yaml"),
        ROUTES.replace("api-v2", "api-v1"),
    )
    .unwrap();
    git(dir, &["add", "deploy/routes.yaml"]);
    let blocked = run(dir, "git", &["commit", "-m", "back to v1"]);
    let text = said(&blocked);
    assert!(
        !blocked.status.success(),
        "a breaking change was committed:\n{text}"
    );
    assert!(text.contains("error[GW801]"), "{text}");
    assert!(text.contains("tests/routing.yaml:6:"), "{text}");
    let log = git(dir, &["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 2);

    // The case updated with the change: both pass.
    fs::write(
        dir.join("tests/routing.yaml"),
        CASES.replace("api-v2", "api-v1"),
    )
    .unwrap();
    git(dir, &["add", "tests/routing.yaml"]);
    let passed = run(dir, "git", &["commit", "-m", "back to v1, deliberately"]);
    assert!(passed.status.success(), "{}", said(&passed));
}
