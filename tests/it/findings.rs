//! Every finding has a fixture: tests/fixtures/<pass>/<CODE>_<name>.yaml holds flagged
//! objects (under `# Flagged` comments) and clean ones (under `# OK`). Each fixture is linted
//! by the built binary and both output formats are snapshotted under snapshots/<pass>/, so a
//! reviewer sees message, span and help in the diff. A first line `# args: ...` adds flags.

use crate::common;

use common::{fixtures, gwctl, snapshot_settings, stdout};

/// `select` limits each fixture folder to its own rule families, so that, say, a schema
/// fixture's snapshot is not cluttered with reference findings about objects it never meant
/// to define.
fn run_fixtures(pass: &str, select: &str, min: usize) {
    run_fixtures_with(pass, select, min, |_| Vec::new());
}

fn run_fixtures_with(
    pass: &str,
    select: &str,
    min: usize,
    more_args: impl Fn(&str) -> Vec<String>,
) {
    let dir = fixtures().join(pass);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= min, "fixtures are missing: {names:?}");
    let settings = snapshot_settings(pass);
    settings.bind(|| {
        for name in &names {
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            let mut extra: Vec<String> = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# args:"))
                .map(|a| a.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default();
            extra.extend(more_args(&text));
            let human = gwctl()
                .current_dir(&dir)
                .args(["lint", "--select", select])
                .args(&extra)
                .arg(name)
                .output()
                .unwrap();
            let json = gwctl()
                .current_dir(&dir)
                .args(["lint", "-o", "json", "--select", select])
                .args(&extra)
                .arg(name)
                .output()
                .unwrap();
            assert_eq!(human.status.code(), json.status.code(), "{name}");
            let out = stdout(&json);
            let code = name.split('_').next().unwrap();
            if code.starts_with("GW") {
                // The fixture's own code is reported, and nothing about the objects marked OK.
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                let diags = v["diagnostics"].as_array().unwrap();
                assert!(
                    diags.iter().any(|d| d["code"] == code),
                    "{name} does not report {code}:\n{out}"
                );
                for d in diags {
                    message_style(name, d["message"].as_str().unwrap());
                    let obj = d["object"]["name"].as_str().unwrap_or("");
                    assert!(
                        !obj.starts_with("ok"),
                        "{name}: object {obj} is marked OK but has a finding:\n{d}"
                    );
                }
            }
            if name.starts_with("clean") {
                assert_eq!(human.status.code(), Some(0), "{}", stdout(&human));
            }
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
            insta::assert_snapshot!(format!("{name}.json"), out);
        }
    });
}

/// Messages read the same across rules: no final period, one line, and a lower-case start
/// unless they start with a proper name (a kind, an acronym) or a quoted value.
fn message_style(fixture: &str, m: &str) {
    assert!(
        !m.ends_with('.'),
        "{fixture}: message ends with a period: {m}"
    );
    assert!(!m.contains('\n'), "{fixture}: message spans lines: {m}");
    let first_word = m.split([' ', ':']).next().unwrap_or_default();
    let proper = first_word.chars().skip(1).any(|c| c.is_ascii_uppercase())
        || matches!(first_word, "Gateway" | "Service" | "Secret" | "Namespace")
        || first_word.starts_with(['"', '`']);
    assert!(
        proper || !m.starts_with(|c: char| c.is_ascii_uppercase()),
        "{fixture}: message starts with a capital: {m}"
    );
}

#[test]
fn input_findings() {
    run_fixtures("input", "GW0", 15);
}

#[test]
fn schema_findings() {
    run_fixtures("schema", "GW0,GW1", 16);
}

/// One fixture per CEL rule (tests/it/cel_rules.rs checks each document's expected codes at the
/// API level); here every fixture is rendered through the CLI under the channel its rule
/// lives in: standard for the standard-only parentRef rules, experimental for the rest.
#[test]
fn cel_findings() {
    run_fixtures_with("cel", "GW2", 58, |text| {
        let channel = if text.contains("test.gwctl.dev/channel: standard") {
            "standard"
        } else {
            "experimental"
        };
        vec!["--channel".into(), channel.into()]
    });
}

#[test]
fn reference_findings() {
    run_fixtures("refs", "GW", 29);
}
