//! The rule catalogue itself: codes unique and well formed, every rule documented with the
//! same sections, the README's rule table current, and every input rule has a fixture.

use crate::common;

use std::collections::HashSet;
use std::path::Path;

use gwctl::diag::Category;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in gwctl::rules::all() {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(
            r.code.len() == 5
                && r.code.starts_with("GW")
                && r.code[2..].chars().all(|c| c.is_ascii_digit()),
            "bad code {}",
            r.code
        );
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'),
            "{} is not kebab-case",
            r.name
        );
        assert!(
            r.summary.chars().next().is_some_and(|c| !c.is_uppercase())
                && !r.summary.ends_with('.'),
            "{}: summaries start lower case and have no final period",
            r.code
        );
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            assert!(r.docs.contains(section), "{} docs lack {section}", r.code);
        }
        let group = &r.code[2..3];
        let expected = match r.category {
            Category::Input => "0",
            // Structural schema findings are GW1xx, CEL rules of the same schemas GW2xx.
            Category::Schema if group == "2" => "2",
            Category::Schema => "1",
            _ => group,
        };
        assert_eq!(
            group, expected,
            "{} is in the wrong code group for its category",
            r.code
        );
    }
}

#[test]
fn every_rule_has_a_fixture() {
    for r in gwctl::rules::all() {
        // These need inputs that cannot live in a fixture file (binary, not UTF-8, over the
        // file size limit); tests/it/cli.rs generates them.
        if matches!(r.code, "GW011" | "GW012" | "GW013") {
            continue;
        }
        // The resource limits need generated inputs (many megabytes, many thousands of
        // objects, a CRD with an unbounded list); tests/it/limits.rs makes them.
        if matches!(r.code, "GW014" | "GW015" | "GW205") {
            continue;
        }
        // GW115 and GW116 need oneOf/not schemas whose branches overlap; the bundled
        // Gateway API schemas have none, so src/schema tests them on purpose-made schemas.
        if matches!(r.code, "GW115" | "GW116") {
            continue;
        }
        // CEL findings are exercised by one fixture per Gateway API rule (R01...R59), so the
        // code must show up in their rendered snapshots instead. GW203 (a function gwctl does
        // not support) and GW204 (rules skipped after structural errors) cannot arise from
        // the bundled rules; tests/it/cel_rules.rs covers them with purpose-made schemas.
        if r.code.starts_with("GW2") {
            if matches!(r.code, "GW203" | "GW204") {
                continue;
            }
            let snaps = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/cel");
            let found = std::fs::read_dir(&snaps).unwrap().any(|e| {
                std::fs::read_to_string(e.unwrap().path())
                    .unwrap_or_default()
                    .contains(&format!("\"code\": \"{}\"", r.code))
            });
            assert!(found, "{} appears in no CEL fixture snapshot", r.code);
            continue;
        }
        // `gwctl migrate`'s findings have fixtures of their own (tests/it/migrate.rs).
        let migrate = gwctl::migrate::rules::RULES
            .iter()
            .any(|m| m.code == r.code);
        let pass = match r.category {
            _ if migrate => "migrate",
            Category::Input => "input",
            Category::Schema => "schema",
            _ => "refs",
        };
        let pass = if matches!(r.code, "GW040" | "GW041") {
            "schema"
        } else if r.code.starts_with("GW6") {
            // Cluster rules need a cluster: tests/it/cluster.rs puts each of these fixtures over
            // its fake API server and checks that it reports its code.
            "cluster"
        } else {
            pass
        };
        let want = format!("{}_{}", r.code, r.name);
        let files: Vec<String> = std::fs::read_dir(common::fixtures().join(pass))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files.iter().any(|f| f.starts_with(&want)),
            "{} has no fixture tests/fixtures/{pass}/{want}.yaml",
            r.code
        );
    }
}

fn rules_table() -> String {
    let mut t = String::from("| code | name | severity | summary |\n|---|---|---|---|\n");
    for r in gwctl::rules::all() {
        t.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            r.code, r.name, r.severity, r.summary
        ));
    }
    t
}

#[test]
fn readme_rule_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = readme
        .split_once("<!-- rules:start -->\n")
        .expect("README has the rules:start marker");
    let (_, tail) = rest
        .split_once("<!-- rules:end -->")
        .expect("README has the rules:end marker");
    let fresh = format!(
        "{head}<!-- rules:start -->\n{}<!-- rules:end -->{tail}",
        rules_table()
    );
    if std::env::var("GWCTL_UPDATE_README").is_ok() {
        std::fs::write(&path, &fresh).unwrap();
    }
    assert!(
        readme == fresh,
        "the README's rule table is stale; regenerate it with: GWCTL_UPDATE_README=1 cargo test --test it readme"
    );
}
