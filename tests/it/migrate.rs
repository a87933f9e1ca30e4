//! `gwctl migrate` on the fixtures under tests/fixtures/migrate: the built binary's output
//! (migrated text, findings, exit status) is snapshotted under snapshots/migrate, and the
//! engine is checked on each fixture to re-read cleanly, to be idempotent and to give
//! objects that the target release's schemas accept. Fixtures whose
//! name starts with `to-v1_` run with `--to-v1`; a name holding `@v1.3` runs with `--to v1.3`
//! (else the newest release), one holding `+drop` with `--drop-removed-fields`; those named
//! after a finding code (`GW501_...`) must report it.

use crate::common;

use common::{fixtures, gwctl, snapshot_settings, stderr, stdout};
use gwctl::migrate::{Options, migrate_text};
use gwctl::source::FileId;

/// The release a fixture's name asks for: `name@v1.3.yaml` → `v1.3`.
fn fixture_release(name: &str) -> Option<String> {
    let (_, rest) = name.split_once('@')?;
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'v'))?;
    Some(rest[..end].trim_end_matches('.').to_owned())
}

#[test]
fn migrate_fixtures() {
    let dir = fixtures().join("migrate");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "fixtures are missing: {names:?}");
    let settings = snapshot_settings("migrate");
    settings.bind(|| {
        for name in &names {
            let to_v1 = name.starts_with("to-v1_");
            let drop = name.contains("+drop");
            let release = fixture_release(name);
            let input = std::fs::read_to_string(dir.join(name)).unwrap();
            let mut cmd = gwctl();
            cmd.current_dir(&dir).arg("migrate").arg(name);
            if to_v1 {
                cmd.arg("--to-v1");
            }
            if drop {
                cmd.arg("--drop-removed-fields");
            }
            if let Some(r) = &release {
                cmd.args(["--to", r]);
            }
            let out = cmd.output().unwrap();
            let code = out.status.code();
            let printed = stdout(&out);
            // The printed stream is the file's new text, or the file itself when refused.
            let opts = Options {
                to_v1,
                drop_removed_fields: drop,
                release: release
                    .as_deref()
                    .map(|r| gwctl::schema::Release::parse(r).unwrap())
                    .unwrap_or_default(),
            };
            let outcome = migrate_text(FileId(0), &input, &opts)
                .unwrap_or_else(|_| panic!("{name}: the engine failed"));
            assert_eq!(printed, outcome.text, "{name}");
            if outcome.refused {
                assert_eq!(outcome.text, input, "{name}: a refused file is unchanged");
                assert_eq!(code, Some(1), "{name}");
            } else {
                assert_eq!(code, Some(0), "{name}: {}", stderr(&out));
                // Idempotent: the migrated text has nothing left to migrate.
                let again = migrate_text(FileId(0), &outcome.text, &opts)
                    .unwrap_or_else(|_| panic!("{name}: migrating the output failed"));
                assert!(again.moved.is_empty(), "{name}: second run moved objects");
                assert_eq!(again.text, outcome.text, "{name}: second run edited");
                // The result is valid at the target release: the schema and CEL passes find
                // nothing in it.
                let tmp = tempfile::tempdir().unwrap();
                let migrated = tmp.path().join(name);
                std::fs::write(&migrated, &outcome.text).unwrap();
                let lint = gwctl()
                    .args([
                        "lint",
                        "--select",
                        "GW0,GW1,GW2",
                        "--channel",
                        "experimental",
                        "-o",
                        "json",
                        "--gateway-api-version",
                        release.as_deref().unwrap_or("v1.6"),
                    ])
                    .arg(&migrated)
                    .output()
                    .unwrap();
                let report: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
                let errors: Vec<&serde_json::Value> = report["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| d["severity"] == "error")
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{name}: the migrated text has errors: {errors:?}"
                );
                // JSON stays JSON.
                if name.ends_with(".json") {
                    let parsed: Result<serde_json::Value, _> = serde_json::from_str(&outcome.text);
                    assert!(parsed.is_ok(), "{name}: the output is not JSON: {parsed:?}");
                }
                // The output re-reads without problems.
                let stream = gwctl::yaml::parse_stream(&outcome.text, &Default::default());
                assert!(
                    stream
                        .issues
                        .iter()
                        .all(|i| i.kind == gwctl::yaml::IssueKind::Yaml11Scalar),
                    "{name}: {:?}",
                    stream.issues
                );
            }
            let code_in_name = name.split('_').next().unwrap_or_default();
            if code_in_name.starts_with("GW") {
                assert!(
                    outcome.diagnostics.iter().any(|d| d.code() == code_in_name),
                    "{name} does not report {code_in_name}"
                );
            }
            // Carriage returns are shown, so a snapshot proves CRLF files stay CRLF.
            let shown = format!(
                "exit: {}\n--- stdout\n{}--- stderr\n{}",
                code.unwrap_or(-1),
                printed.replace('\r', "\\r"),
                stderr(&out)
            );
            insta::assert_snapshot!(name.as_str(), shown);
        }
    });
}
