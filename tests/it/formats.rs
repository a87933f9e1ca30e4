//! Every output format, rendered by the built binary for one shared set of findings
//! (tests/fixtures/formats/: errors, a warning, an info, a finding spanning two lines with a
//! secondary label, a binary file with no position, a clean object), snapshotted under
//! snapshots/formats/; then each machine format checked for what its consumer needs: the
//! SARIF log against the SARIF 2.1.0 schema, the JUnit XML parsed and counted, GitLab
//! fingerprints stable across a line shift; and `--output`, relative paths and `gwctl man`.
//!
//! `tests/fixtures/formats/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 JSON schema
//! (draft-07, `$id` …/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json), taken
//! from the copy that the npm package `@datadog/datadog-ci-plugin-sarif` embeds to validate
//! uploads, and written out with two-space indentation. The OASIS repository's current copy
//! differs only by later errata edits in parts gwctl does not emit (such as a `type` next
//! to the enum of `toolComponent.contents` items).

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{fixtures, gwctl, snapshot_settings, stderr, stdout};
use serde_json::Value;

const FORMATS: [&str; 7] = [
    "human", "json", "sarif", "junit", "github", "gitlab", "compact",
];

fn dir() -> PathBuf {
    fixtures().join("formats")
}

/// `gwctl lint -o FORMAT .` in `cwd`; exit status and stdout.
fn lint(cwd: &Path, format: &str) -> (Option<i32>, String) {
    let out = gwctl()
        .current_dir(cwd)
        .args(["lint", "-o", format, "."])
        .output()
        .unwrap();
    (out.status.code(), stdout(&out))
}

/// The fixture manifests (not the schema) copied into a fresh folder.
fn copy_fixtures() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["routes.yaml", "broken.yaml", "empty.yaml", "binary.yaml"] {
        fs::copy(dir().join(name), tmp.path().join(name)).unwrap();
    }
    tmp
}

#[test]
fn every_format_for_one_set_of_findings() {
    let settings = snapshot_settings("formats");
    settings.bind(|| {
        for format in FORMATS {
            let (code, out) = lint(&dir(), format);
            assert_eq!(code, Some(1), "{format}: {out}");
            // The version changes with every release; the shape is what is reviewed.
            let out = out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
            insta::assert_snapshot!(format, out);
        }
    });
}

#[test]
fn the_fixtures_cover_what_every_format_must_handle() {
    let (_, out) = lint(&dir(), "json");
    let v: Value = serde_json::from_str(&out).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let has = |f: &dyn Fn(&Value) -> bool| diags.iter().any(f);
    assert!(has(&|d| d["severity"] == "error"));
    assert!(has(&|d| d["severity"] == "warning"));
    assert!(has(&|d| d["severity"] == "info"));
    assert!(has(&|d| d["line"].is_null() && d["code"] == "GW011"));
    assert!(has(&|d| !d["related"].as_array().unwrap().is_empty()
        && d["endLine"].as_u64() > d["line"].as_u64()));
    assert!(has(&|d| d["object"].is_null() && !d["line"].is_null()));
    // The schema next to the fixtures is not linted (.gwctlignore).
    assert!(!out.contains("sarif-schema"), "{out}");
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let (_, out) = lint(&dir(), "sarif");
    let log: Value = serde_json::from_str(&out).unwrap();
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(dir().join("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema does reject what it should: a level SARIF does not define, a bad URI.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = log.clone();
    broken["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri".into();
    assert!(!validator.is_valid(&broken));

    // What GitHub code scanning relies on beyond the schema.
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let (_, json) = lint(&dir(), "json");
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(results.len(), json["diagnostics"].as_array().unwrap().len());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1, "{r}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(r["partialFingerprints"]["gwctl/v1"].is_string());
    }
    for rule in rules {
        assert!(rule["help"]["markdown"].as_str().unwrap().contains("## "));
        assert!(!rule["help"]["text"].as_str().unwrap().contains("## "));
    }
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    for level in ["error", "warning", "note"] {
        assert!(levels.contains(&level), "{levels:?}");
    }
}

#[test]
fn junit_parses_and_its_counts_add_up() {
    use quick_xml::events::Event;

    let (_, out) = lint(&dir(), "junit");
    let mut reader = quick_xml::Reader::from_str(&out);
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.try_get_attribute(name)
            .unwrap()
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned()
            })
            .unwrap_or_default()
    };
    let num = |s: String| s.parse::<usize>().unwrap();
    let mut declared_total = (0, 0);
    let mut suites: Vec<(String, usize, usize, usize, usize)> = Vec::new(); // name, tests, failures, cases, failed cases
    let mut case_failed = false;
    let mut failures = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().0 == "testsuites" => {
                declared_total = (num(attr(&e, "tests")), num(attr(&e, "failures")));
            }
            Event::Start(e) if e.name().0 == "testsuite" => {
                suites.push((
                    attr(&e, "name"),
                    num(attr(&e, "tests")),
                    num(attr(&e, "failures")),
                    0,
                    0,
                ));
            }
            Event::Start(e) if e.name().0 == "testcase" => {
                suites.last_mut().unwrap().3 += 1;
                case_failed = false;
            }
            Event::Empty(e) if e.name().0 == "testcase" => {
                suites.last_mut().unwrap().3 += 1;
            }
            Event::Start(e) if e.name().0 == "failure" => {
                failures.push((attr(&e, "type"), attr(&e, "message")));
                if !case_failed {
                    suites.last_mut().unwrap().4 += 1;
                    case_failed = true;
                }
            }
            _ => {}
        }
    }
    for (name, tests, failed, cases, failed_cases) in &suites {
        assert_eq!(tests, cases, "{name}: tests");
        assert_eq!(failed, failed_cases, "{name}: failures");
    }
    let cases: usize = suites.iter().map(|s| s.3).sum();
    let failed: usize = suites.iter().map(|s| s.4).sum();
    assert_eq!(declared_total, (cases, failed));
    // One suite per file; one case per object, plus one for each file's own findings.
    let names: Vec<&str> = suites.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        ["binary.yaml", "broken.yaml", "empty.yaml", "routes.yaml"]
    );
    let routes = &suites[3];
    assert_eq!(
        (routes.3, routes.4),
        (4, 2),
        "GatewayClass and Gateway pass, HTTPRoute and ConfigMap fail"
    );
    // Every finding is one failure, typed with its code.
    let (_, json) = lint(&dir(), "json");
    let json: Value = serde_json::from_str(&json).unwrap();
    let want: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut got = failures.clone();
    let mut want = want;
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn gitlab_fingerprints_survive_a_line_shift() {
    let tmp = copy_fixtures();
    let read = |dir: &Path| -> Vec<(String, String, u64)> {
        let (_, out) = lint(dir, "gitlab");
        let v: Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["fingerprint"].as_str().unwrap().to_owned(),
                    i["location"]["path"].as_str().unwrap().to_owned(),
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let before = read(tmp.path());
    let mut unique: Vec<&String> = before.iter().map(|b| &b.0).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        before.len(),
        "fingerprints are unique: {before:?}"
    );

    let routes = tmp.path().join("routes.yaml");
    let text = fs::read_to_string(&routes).unwrap();
    fs::write(&routes, format!("\n{text}")).unwrap();
    let after = read(tmp.path());
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.0, b.0, "fingerprint changed for {b:?}");
        let shift = if b.1 == "routes.yaml" { 1 } else { 0 };
        assert_eq!(a.2, b.2 + shift, "{b:?} → {a:?}");
    }
    assert!(before.iter().any(|b| b.1 == "routes.yaml"));
}

#[test]
fn several_outputs_in_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sarif = tmp.path().join("reports/gwctl.sarif");
    fs::create_dir_all(sarif.parent().unwrap()).unwrap();
    fs::write(&sarif, "stale").unwrap();
    let junit = tmp.path().join("gwctl.xml");
    let out = gwctl()
        .current_dir(dir())
        .args(["lint", "-o", "compact", "."])
        .arg(format!("--output=sarif={}", sarif.display()))
        .arg("--output")
        .arg(format!("junit={}", junit.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), lint(&dir(), "compact").1);
    assert_eq!(fs::read_to_string(&sarif).unwrap(), lint(&dir(), "sarif").1);
    assert_eq!(fs::read_to_string(&junit).unwrap(), lint(&dir(), "junit").1);
    // No temporary file is left beside the outputs.
    let left: Vec<_> = fs::read_dir(sarif.parent().unwrap()).unwrap().collect();
    assert_eq!(left.len(), 1);

    // `FORMAT=-` takes stdout in place of --output-format.
    let out = gwctl()
        .current_dir(dir())
        .args(["lint", "--output", "github=-", "."])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), lint(&dir(), "github").1);

    // Two outputs to one place, an unknown format or a missing `=` are usage errors.
    for bad in [
        vec!["--output", "json=-", "--output", "sarif=-"],
        vec!["--output", "json=a.json", "--output", "sarif=a.json"],
        vec!["--output", "xml=a.xml"],
        vec!["--output", "a.json"],
        vec!["--output", "json="],
    ] {
        let out = gwctl()
            .current_dir(tmp.path())
            .arg("lint")
            .args(&bad)
            .arg(dir())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
    }

    // A file that cannot be written fails the run (exit 2); the other outputs are written.
    let ok = tmp.path().join("ok.json");
    let out = gwctl()
        .current_dir(dir())
        .args(["lint", "-o", "compact", "."])
        .arg(format!(
            "--output=sarif={}",
            tmp.path().join("no/such/dir/x.sarif").display()
        ))
        .arg(format!("--output=json={}", ok.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    assert!(ok.exists());
}

#[test]
fn absolute_paths_under_the_working_directory_become_relative() {
    let out = gwctl()
        .current_dir(dir())
        .args(["lint", "-o", "compact"])
        .arg(dir().join("routes.yaml"))
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.starts_with("routes.yaml:"), "{text}");
    let out = gwctl()
        .current_dir(fixtures())
        .args(["lint", "-o", "compact"])
        .arg(dir())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.lines().all(|l| l.starts_with("formats/")), "{text}");
    // Outside the working directory, a path stays absolute (a SARIF file:// URI).
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("a b.yaml");
    fs::write(
        &file,
        "apiVersion: v1\nkind: Service\nmetadata: {name: Bad_Name}\n",
    )
    .unwrap();
    let out = gwctl()
        .current_dir(dir())
        .args(["lint", "-o", "sarif"])
        .arg(&file)
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = loc["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/a%20b.yaml"),
        "{loc}"
    );
    assert!(loc.get("uriBaseId").is_none(), "{loc}");
}

#[test]
fn load_errors_reach_every_format() {
    for format in FORMATS {
        let out = gwctl()
            .current_dir(dir())
            .args(["lint", "-o", format, "missing.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("missing.yaml"), "{format}: {all}");
    }
}

#[test]
fn man_page() {
    let out = gwctl().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with(".ie") || text.contains(".TH gwctl"),
        "{text}"
    );
    assert!(text.contains("completions"));
}

#[test]
fn awkward_file_names_and_text_survive_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    // A comma and a colon end a GitHub property, `%` starts an escape everywhere, `&` and
    // `<` are XML markup, a space is not allowed in a URI.
    let name = "odd, name: 100% <&>.yaml";
    fs::write(
        tmp.path().join(name),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a,b:c%d<e>&f\"\ndata: {k: on}\n",
    )
    .unwrap();
    let run = |format: &str| {
        let out = gwctl()
            .current_dir(tmp.path())
            .args(["lint", "-o", format, "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        stdout(&out)
    };
    let github = run("github");
    assert!(
        github.contains("file=odd%2C name%3A 100%25 <&>.yaml,line="),
        "{github}"
    );
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "odd%2C%20name%3A%20100%25%20%3C%26%3E.yaml");
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(dir().join("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    assert!(validator.is_valid(&sarif));
    let junit = run("junit");
    let mut reader = quick_xml::Reader::from_str(&junit);
    let mut names = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().0 == "testsuite" => {
                let a = e.try_get_attribute("name").unwrap().unwrap();
                names.push(
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                );
            }
            _ => {}
        }
    }
    assert_eq!(names, [name]);
    let gitlab: Value = serde_json::from_str(&run("gitlab")).unwrap();
    assert_eq!(gitlab[0]["location"]["path"], name);
    assert!(run("compact").starts_with(&format!("{name}:")));
}

/// The findings about the Kubernetes version belong to no file: each format places them at
/// `--kubernetes-version` (with `--cluster`, at `cluster:<server>`) and stays valid.
#[test]
fn findings_about_the_kubernetes_version_reach_every_format() {
    let run = |format: &str| {
        let out = gwctl()
            .current_dir(dir())
            .args(["lint", "-o", format, "--select", "GW6", "routes.yaml"])
            .args([
                "--kubernetes-version",
                "1.30",
                "--gateway-api-version",
                "v1.6.1",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        stdout(&out)
    };
    let message = "Gateway API v1.6.1 supports Kubernetes 1.32–1.36; the cluster runs 1.30";
    for format in FORMATS {
        let out = run(format);
        assert!(
            out.contains("GW605") && out.contains("GW606"),
            "{format}: {out}"
        );
        assert!(out.contains("--kubernetes-version"), "{format}: {out}");
        if format != "junit" && format != "github" {
            assert!(out.contains(message), "{format}: {out}");
        }
    }
    let human = run("human");
    assert!(human.contains("--> --kubernetes-version\n"), "{human}");
    assert!(run("compact").contains(&format!("--kubernetes-version: warning GW606 {message}\n")));
    assert!(run("github").contains("::warning file=--kubernetes-version,title=GW606::"));
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    for d in json["diagnostics"].as_array().unwrap() {
        assert_eq!(d["file"], "--kubernetes-version", "{d}");
        assert!(d["line"].is_null() && d["object"].is_null(), "{d}");
    }
    let gitlab: Value = serde_json::from_str(&run("gitlab")).unwrap();
    assert_eq!(gitlab.as_array().unwrap().len(), 2, "{gitlab}");
    assert_eq!(gitlab[0]["location"]["path"], "--kubernetes-version");
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(dir().join("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    assert!(validator.is_valid(&sarif));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "--kubernetes-version"
        );
    }
    let junit = run("junit");
    let mut reader = quick_xml::Reader::from_str(&junit);
    let mut failures = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().0 == "failure" => failures += 1,
            _ => {}
        }
    }
    assert_eq!(failures, 2, "{junit}");
    assert!(
        junit.contains("<testsuite name=\"--kubernetes-version\""),
        "{junit}"
    );
}
