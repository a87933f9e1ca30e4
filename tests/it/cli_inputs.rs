//! What the user names and sets, read strictly: inputs as one set of files, folders that
//! hold no manifest, rule selectors and configuration keys that name nothing, namespaces,
//! size units, the one GW015 finding, GW306 for a Namespace absent from the inputs, and
//! IPv6 hosts in simulated requests.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{WARN_ONLY, gwctl, stderr, stdout};
use serde_json::Value;

fn run(dir: &Path, args: &[&str]) -> Output {
    gwctl().current_dir(dir).args(args).output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(out), stderr(out)))
}

fn codes(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_file_named_twice_is_read_once_under_its_first_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("good")).unwrap();
    fs::write(
        root.join("good/10-gateway.yaml"),
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: c}\nspec: {controllerName: example.com/gw}\n",
    )
    .unwrap();
    fs::write(root.join("good/20-config.yaml"), WARN_ONLY).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("good/20-config.yaml", root.join("link.yaml")).unwrap();
    let mut spellings: Vec<Vec<&str>> = vec![
        vec!["good/", "good/10-gateway.yaml"],
        vec!["good", "./good/", "good/20-config.yaml"],
        vec!["good/20-config.yaml", "./good/20-config.yaml", "good"],
    ];
    #[cfg(unix)]
    spellings.push(vec!["link.yaml", "good/20-config.yaml", "good/"]);
    for paths in spellings {
        let mut args = vec!["lint", "-o", "json"];
        args.extend(&paths);
        let v = json(&run(root, &args));
        assert_eq!(codes(&v), ["GW007"], "{paths:?}: no GW030: {v}");
        assert_eq!(v["summary"]["files"], 2, "{paths:?}: {v}");
        assert_eq!(v["summary"]["objects"], 2, "{paths:?}: {v}");
        // The file keeps the name it was first given.
        let first = if paths[0].ends_with(".yaml") {
            paths[0].to_owned()
        } else {
            format!("{}/20-config.yaml", paths[0].trim_end_matches('/'))
        };
        assert_eq!(v["diagnostics"][0]["file"], first, "{paths:?}");
    }
}

#[test]
fn folders_without_manifests_warn_and_fail_when_nothing_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("empty")).unwrap();
    fs::create_dir_all(root.join("docs")).unwrap();
    fs::write(root.join("docs/README.md"), "# not a manifest\n").unwrap();
    // Hidden folders are skipped when walking, like .gitignore'd files.
    fs::create_dir_all(root.join("hidden/.k8s")).unwrap();
    fs::write(root.join("hidden/.k8s/cm.yaml"), WARN_ONLY).unwrap();
    fs::write(root.join("w.yaml"), WARN_ONLY).unwrap();

    for nothing in [
        vec!["empty"],
        vec!["docs/"],
        vec!["hidden"],
        vec!["empty", "docs"],
    ] {
        let mut args = vec!["lint"];
        args.extend(&nothing);
        let out = run(root, &args);
        assert_eq!(out.status.code(), Some(2), "{nothing:?}: {}", stdout(&out));
        assert!(
            stdout(&out).contains(&format!(
                "cannot read {}: no manifest files found",
                nothing[0]
            )),
            "{nothing:?}: {}",
            stdout(&out)
        );
        let mut args = vec!["lint", "-o", "json"];
        args.extend(&nothing);
        let v = json(&run(root, &args));
        assert_eq!(v["errors"].as_array().unwrap().len(), nothing.len(), "{v}");
        assert_eq!(v["errors"][0]["path"], nothing[0]);
    }
    // Beside a folder that has manifests, an empty one is a warning on stderr only.
    let out = run(root, &["lint", "-o", "json", "empty", "w.yaml", "docs"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(codes(&v), ["GW007"]);
    assert!(v["errors"].as_array().unwrap().is_empty(), "{v}");
    let err = stderr(&out);
    for name in ["empty", "docs"] {
        assert!(
            err.contains(&format!("gwctl: warning: {name}: no manifest files found")),
            "{err}"
        );
    }
    // migrate and simulate read their inputs the same way.
    let out = run(root, &["migrate", "--check", "empty"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no manifest files found"));
    let out = run(root, &["simulate", "empty", "--url", "http://x/"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no manifest files found"));
    // `-` named explicitly is an input like a named file: empty, it is a GW050 info.
    let out = gwctl()
        .current_dir(root)
        .args(["lint", "-o", "json", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(codes(&json(&out)), ["GW050"]);
}

#[test]
fn unknown_rule_selectors_are_errors_naming_the_closest_rule() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("w.yaml"), WARN_ONLY).unwrap();
    for (flag, value, close) in [
        (
            "--select",
            "backend-port-not-fuond",
            Some("backend-port-not-found"),
        ),
        ("--ignore", "GW0077", Some("GW007")),
        ("--select", "GW9", None),
        ("--ignore", "GW007,nonsense", None),
    ] {
        let out = run(root, &["lint", flag, value, "w.yaml"]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = stderr(&out);
        let bad = value.split(',').next_back().unwrap();
        assert!(
            err.contains(&format!(
                "{flag}: no rule has the code, code prefix or name \"{bad}\""
            )),
            "{err}"
        );
        if let Some(close) = close {
            assert!(err.contains(&format!("did you mean {close}?")), "{err}");
        }
        assert!(stdout(&out).is_empty(), "nothing is checked");
    }
    // Prefixes that some rule has, names and codes in any case stay valid.
    for ok in ["GW0", "gw00", "yaml-1.1-scalar", "Yaml-1.1-Scalar", "GW007"] {
        let out = run(root, &["lint", "--select", ok, "w.yaml"]);
        assert_eq!(out.status.code(), Some(0), "{ok}: {}", stderr(&out));
    }
    // The configuration file's lists, with the file and the entry named.
    fs::write(
        root.join(".gwctl.yaml"),
        "rules:\n  ignore: [GW3, backend-port-not-fuond]\n",
    )
    .unwrap();
    let out = run(root, &["lint", "w.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(".gwctl.yaml: rules.ignore[1]: no rule has the code, code prefix or name \"backend-port-not-fuond\" (did you mean backend-port-not-found?)"),
        "{err}"
    );
    fs::write(root.join(".gwctl.yaml"), "rules:\n  select: [GW07]\n").unwrap();
    let out = run(root, &["lint", "w.yaml"]);
    common::assert_exit_and_contains(&out, 2, stderr(&out), "rules.select: no rule");
}

#[test]
fn severity_off_unquoted_is_off_and_config_errors_name_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("w.yaml"), WARN_ONLY).unwrap();
    // YAML 1.1 reads `off` as false.
    for off in ["off", "\"off\"", "Off", "false"] {
        fs::write(
            root.join(".gwctl.yaml"),
            format!("failOn: warning\nrules:\n  severity: {{GW007: {off}}}\n"),
        )
        .unwrap();
        let out = run(root, &["lint", "-o", "json", "w.yaml"]);
        assert_eq!(out.status.code(), Some(0), "{off}: {}", stderr(&out));
        assert!(codes(&json(&out)).is_empty(), "{off}");
    }
    for (config, key) in [
        (
            "rules:\n  severity: {GW007: on}\n",
            "rules.severity.GW007: ",
        ),
        (
            "rules:\n  severity: {GW007: loud}\n",
            "rules.severity.GW007: ",
        ),
        (
            "rules:\n  severity: {GW0007: error}\n",
            "rules.severity.GW0007: ",
        ),
        ("rules:\n  select: [GW3, 7]\n", "rules.select[1]: "),
        (
            "rules:\n  selekt: [GW3]\n",
            "rules.selekt: unknown field `selekt`",
        ),
        ("rules: [GW3]\n", "rules: "),
        ("chanel: standard\n", "chanel: unknown field `chanel`"),
        ("channel: 3\n", "channel: "),
        ("channel: beta\n", "channel: \"beta\" is not a channel"),
        ("failOn: yes\n", "failOn: "),
        ("exclude: [\"a/**\", {x: 1}]\n", "exclude[1]: "),
        ("exclude: [\"a/[\"]\n", "exclude[0]: "),
        ("- channel\n", "the file must hold a mapping of settings"),
    ] {
        fs::write(root.join(".gwctl.yaml"), config).unwrap();
        let out = run(root, &["lint", "w.yaml"]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("configuration file .gwctl.yaml: {key}"))
                || err.contains(&format!(".gwctl.yaml: {key}")),
            "{config}: {err}"
        );
    }
    // An empty file, or one of comments only, is the defaults.
    fs::write(root.join(".gwctl.yaml"), "# nothing yet\n").unwrap();
    assert_eq!(run(root, &["lint", "w.yaml"]).status.code(), Some(0));
}

/// Routes in namespaces whose Namespace object is not in the inputs.
const SELECTOR_GATEWAY: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: c}
spec: {controllerName: example.com/gw}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: c
  listeners:
  - name: labelled
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: Selector
        selector: {matchLabels: {gateway-access: \"true\"}}
  - name: by-name
    protocol: HTTP
    port: 8080
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchExpressions:
          - {key: kubernetes.io/metadata.name, operator: In, values: [partner]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: needs-labels, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra, sectionName: labelled}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wrong-name, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra, sectionName: by-name}]
";

#[test]
fn a_namespace_missing_from_the_inputs_is_a_warning_unless_complete() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("routes.yaml"), SELECTOR_GATEWAY).unwrap();
    let gw306 = |args: &[&str]| -> Vec<(String, String, String)> {
        let mut all = vec!["lint", "-o", "json", "--select", "GW306"];
        all.extend(args);
        all.push("routes.yaml");
        json(&run(root, &all))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["object"]["name"].as_str().unwrap().to_owned(),
                    d["severity"].as_str().unwrap().to_owned(),
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let found = gw306(&[]);
    assert_eq!(found.len(), 2, "{found:?}");
    // Labels the Namespace may have in the cluster could admit it: a warning, saying why.
    assert_eq!(found[0].0, "needs-labels");
    assert_eq!(found[0].1, "warning");
    assert!(
        found[0]
            .2
            .contains("Namespace \"shop\" is not in the inputs"),
        "{}",
        found[0].2
    );
    // Its name alone decides: an error whatever labels it has.
    assert_eq!(found[1].0, "wrong-name");
    assert_eq!(found[1].1, "error");
    let complete = gw306(&["--complete"]);
    assert_eq!(complete.len(), 2);
    assert!(
        complete.iter().all(|(_, sev, _)| sev == "error"),
        "{complete:?}"
    );
    // With the Namespace in the inputs, unlabelled, it is an error again.
    fs::write(
        root.join("routes.yaml"),
        format!(
            "{SELECTOR_GATEWAY}---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: shop}}\n"
        ),
    )
    .unwrap();
    let known = gw306(&[]);
    assert!(known.iter().all(|(_, sev, _)| sev == "error"), "{known:?}");
    assert!(!known[0].2.contains("not in the inputs"), "{}", known[0].2);
}

/// GW308 (several listeners, none accepts) follows GW306: a refusal only for want of the
/// route's Namespace is a warning without --complete, an error with it, and an error once
/// the Namespace is in the inputs.
#[test]
fn not_attached_for_a_namespace_missing_from_the_inputs_is_a_warning_unless_complete() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Both selector listeners reached by a parentRef without sectionName.
    let routes = SELECTOR_GATEWAY.replace(", sectionName: labelled", "");
    fs::write(root.join("routes.yaml"), &routes).unwrap();
    let gw308 = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["lint", "-o", "json", "--select", "GW308"];
        all.extend(args);
        all.push("routes.yaml");
        json(&run(root, &all))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["severity"].as_str().unwrap().to_owned(),
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let found = gw308(&[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "warning", "{found:?}");
    assert!(
        found[0].1.contains("needs-labels")
            && found[0].1.ends_with("Namespace \"shop\" is not in the inputs, so only its kubernetes.io/metadata.name label is known"),
        "{}",
        found[0].1
    );
    assert_eq!(
        run(root, &["lint", "--select", "GW308", "routes.yaml"])
            .status
            .code(),
        Some(0)
    );
    let complete = gw308(&["--complete"]);
    assert_eq!(complete.len(), 1, "{complete:?}");
    assert_eq!(complete[0].0, "error");
    fs::write(
        root.join("routes.yaml"),
        format!("{routes}---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: shop}}\n"),
    )
    .unwrap();
    let known = gw308(&[]);
    assert_eq!(known.len(), 1, "{known:?}");
    assert_eq!(known[0].0, "error");
    assert!(!known[0].1.contains("not in the inputs"), "{}", known[0].1);
}

#[test]
fn namespaces_given_on_the_command_line_must_be_valid_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("w.yaml"), WARN_ONLY).unwrap();
    for args in [
        vec!["lint", "-n", "Bad_NS", "w.yaml"],
        vec!["lint", "--namespace=-x", "w.yaml"],
        vec!["simulate", "-n", "Bad_NS", "--url", "http://x/", "w.yaml"],
        vec![
            "simulate",
            "--from-namespace",
            "a.b",
            "--url",
            "http://x/",
            "w.yaml",
        ],
    ] {
        let out = run(root, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("is not a valid namespace name"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = run(root, &["lint", "-n", "shop-1", "w.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn size_limits_take_binary_units() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // 2 KiB of comments, then an object.
    let big = format!(
        "{}{WARN_ONLY}",
        "# padding padding padding padding\n".repeat(60)
    );
    assert!(big.len() > 2048 && big.len() < 4096);
    fs::write(root.join("big.yaml"), &big).unwrap();
    for size in ["1k", "1K", "1KiB", "1024"] {
        let v = json(&run(
            root,
            &["lint", "-o", "json", "--max-file-size", size, "big.yaml"],
        ));
        assert_eq!(codes(&v), ["GW013"], "{size}");
        assert!(
            v["diagnostics"][0]["message"]
                .as_str()
                .unwrap()
                .contains("more than the limit of 1024 bytes"),
            "{v}"
        );
        let v = json(&run(
            root,
            &["lint", "-o", "json", "--max-total-size", size, "big.yaml"],
        ));
        assert_eq!(codes(&v), ["GW014"], "{size}");
    }
    let v = json(&run(
        root,
        &["lint", "-o", "json", "--max-file-size", "4k", "big.yaml"],
    ));
    assert_eq!(codes(&v), ["GW007"]);
    // migrate takes the same units.
    let out = run(
        root,
        &["migrate", "--check", "--max-file-size", "1k", "big.yaml"],
    );
    assert!(stderr(&out).contains("big.yaml"), "{}", stderr(&out));
    let out = run(
        root,
        &["migrate", "--check", "--max-file-size", "4KiB", "big.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (size, says) in [
        ("10MB", "units are binary"),
        ("1.5M", "unknown unit"),
        ("5G", "4G"),
        ("0", "positive"),
    ] {
        let out = run(root, &["lint", "--max-file-size", size, "big.yaml"]);
        assert_eq!(out.status.code(), Some(2), "{size}");
        assert!(stderr(&out).contains(says), "{size}: {}", stderr(&out));
    }
    let help = stdout(&run(root, &["lint", "--help"]));
    assert!(help.contains("binary unit"), "{help}");
}

#[test]
fn objects_past_max_objects_get_one_finding_in_one_wording() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let cm = |i: usize| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: a\n")
    };
    // Files of more documents than the limit (each reader stops) and files of fewer.
    for (name, range) in [
        ("a.yaml", 0..5),
        ("b.yaml", 5..7),
        ("c.yaml", 7..12),
        ("d.yaml", 12..13),
    ] {
        let docs: Vec<String> = range.map(cm).collect();
        fs::write(root.join(name), docs.join("---\n")).unwrap();
    }
    let out = run(
        root,
        &[
            "lint",
            "-o",
            "json",
            "--max-objects",
            "3",
            "a.yaml",
            "b.yaml",
            "c.yaml",
            "d.yaml",
        ],
    );
    let v = json(&out);
    let capped: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GW015")
        .collect();
    assert_eq!(capped.len(), 1, "{v}");
    // At the first object not checked: a.yaml's fourth document, where its reader stopped.
    assert_eq!(capped[0]["file"], "a.yaml");
    assert_eq!(capped[0]["line"], 18, "{}", capped[0]);
    assert_eq!(
        capped[0]["message"],
        "the inputs hold more than 3 objects; gwctl checked the first 3 and did not check this one or any after it"
    );
    assert_eq!(v["summary"]["objects"], 3);
}

#[test]
fn ipv6_hosts_are_bracketed_wherever_the_request_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("gw.yaml"),
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: c
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: app, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: default}
spec: {ports: [{port: 80}]}
",
    )
    .unwrap();
    let out = run(
        root,
        &["simulate", "gw.yaml", "--url", "http://[::1]/x?y=1"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("GET http://[::1]:80/x?y=1"), "{text}");
    assert!(text.contains("http://[::1]/x"), "forwarded: {text}");
    assert!(!text.contains("://::1"), "{text}");
    let out = run(
        root,
        &[
            "simulate",
            "-o",
            "json",
            "gw.yaml",
            "--url",
            "http://[::1]:80/x",
        ],
    );
    let v = json(&out);
    // The JSON host is the address itself; URL-shaped text in the trace is a valid URL.
    assert_eq!(v["request"]["host"], "::1");
    assert_eq!(v["forwarded"]["host"], "::1");
    let all = v.to_string();
    assert!(!all.contains("://::1"), "{all}");
}
