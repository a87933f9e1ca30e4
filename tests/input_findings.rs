//! Every input finding (GW0xx) has a fixture under tests/fixtures/input; each is linted by
//! the built binary and both output formats are snapshotted, so a reviewer sees message,
//! span and help in the diff.

mod common;

use common::{fixtures, gwctl, snapshot_settings, stdout};

#[test]
fn input_fixtures_render_in_both_formats() {
    let dir = fixtures().join("input");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 15, "fixtures are missing: {names:?}");
    let settings = snapshot_settings("input");
    settings.bind(|| {
        for name in &names {
            let human = gwctl()
                .current_dir(&dir)
                .args(["lint", name])
                .output()
                .unwrap();
            let json = gwctl()
                .current_dir(&dir)
                .args(["lint", "-o", "json", name])
                .output()
                .unwrap();
            assert_eq!(human.status.code(), json.status.code(), "{name}");
            // A fixture named after a code must report that code; clean ones report nothing.
            let code = name.split('_').next().unwrap();
            let out = stdout(&json);
            if code.starts_with("GW") {
                assert!(
                    out.contains(&format!("\"code\": \"{code}\"")),
                    "{name} does not report {code}:\n{out}"
                );
            }
            if name == "clean.yaml" {
                assert_eq!(human.status.code(), Some(0), "{}", stdout(&human));
            }
            insta::assert_snapshot!(format!("{name}.human"), stdout(&human));
            insta::assert_snapshot!(format!("{name}.json"), out);
        }
    });
}
