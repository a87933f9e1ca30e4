//! The rule catalogue itself: codes unique and well formed, every rule documented with the
//! same sections, the README's rule table current, and every input rule has a fixture.

use crate::common;

use std::collections::HashSet;
use std::path::Path;

use gwctl::diag::Category;
use gwctl::schema::{Channel, Release, Store};

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
        use gwctl::migrate::rules as m;
        let migrate = [
            &m::UNMIGRATABLE_TARGET_NAMESPACE,
            &m::UNMIGRATABLE_OBJECT,
            &m::NAMESPACE_DEPENDENT_TARGET,
            &m::NOT_EXPRESSIBLE,
            &m::REMOVED_FIELD,
            &m::DROPPED_REMOVED_FIELD,
            &m::NEWER_THAN_TARGET,
        ]
        .iter()
        .any(|m| m.code == r.code);
        // `gwctl upgrade`'s findings too (tests/it/upgrade.rs).
        let upgrade = r.code.starts_with("GW52");
        let pass = match r.category {
            _ if migrate => "migrate",
            _ if upgrade => "upgrade",
            Category::Input => "input",
            Category::Schema => "schema",
            _ => "refs",
        };
        let pass = if matches!(r.code, "GW040" | "GW041") {
            "schema"
        } else if matches!(r.code, "GW605" | "GW606") {
            // The Kubernetes version needs no cluster: `--kubernetes-version` gives it
            // (tests/it/cluster.rs reads it from the fake API server's /version too).
            "kubernetes"
        } else if r.code.starts_with("GW7") {
            // Conformance report findings need `--implementation` (each fixture's args).
            "conformance"
        } else if r.code.starts_with("GW8") {
            // `gwctl test`'s findings: test files over the fixtures' manifests
            // (tests/it/routetest.rs).
            "test"
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
    let mut t =
        String::from("| code | name | severity | summary | `--fix` |\n|---|---|---|---|---|\n");
    for r in gwctl::rules::all() {
        t.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            r.code,
            r.name,
            r.severity,
            r.summary,
            r.fix.unwrap_or("")
        ));
    }
    t
}

/// The README between `<!-- NAME:start -->` and `<!-- NAME:end -->` is `table`; with
/// `GWCTL_UPDATE_README` set, it is made so.
fn readme_section_is(name: &str, table: &str) {
    // The tests run in parallel; one reads and writes the README at a time.
    static README: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = README.lock().unwrap_or_else(|e| e.into_inner());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = (
        format!("<!-- {name}:start -->\n"),
        format!("<!-- {name}:end -->"),
    );
    let (head, rest) = readme
        .split_once(&start)
        .unwrap_or_else(|| panic!("README has no {start}"));
    let (_, tail) = rest
        .split_once(&end)
        .unwrap_or_else(|| panic!("README has no {end}"));
    let fresh = format!("{head}{start}{table}{end}{tail}");
    if std::env::var("GWCTL_UPDATE_README").is_ok() {
        std::fs::write(&path, &fresh).unwrap();
    }
    assert!(
        readme == fresh,
        "the README's {name} table is stale; regenerate it with: GWCTL_UPDATE_README=1 cargo test --test it readme"
    );
}

#[test]
fn readme_rule_table_is_current() {
    readme_section_is("rules", &rules_table());
}

/// One cell of the release table: the versions `channel` serves, the stored one in bold,
/// deprecated ones marked.
fn versions_cell(kind: &gwctl::schema::KindInfo, channel: Channel) -> String {
    let mut served: Vec<(bool, String)> = kind
        .versions
        .iter()
        .filter_map(|v| {
            let i = v.in_channel(channel).filter(|i| i.served)?;
            let mut s = if i.storage {
                format!("**{}**", v.name)
            } else {
                v.name.clone()
            };
            if i.deprecated {
                s.push_str(" (d)");
            }
            Some((!i.storage, s))
        })
        .collect();
    served.sort();
    served
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Kind × release for one channel, adjacent releases that serve the same merged into one
/// column.
fn release_table(channel: Channel) -> String {
    let releases = Release::all();
    // Kinds in the order the first release that has them lists them.
    let mut kinds: Vec<(String, String)> = Vec::new();
    let mut columns: Vec<(Vec<Release>, Vec<String>)> = Vec::new();
    let stores: Vec<Store> = releases.iter().map(|r| Store::for_release(*r)).collect();
    for s in &stores {
        for k in s.kinds() {
            let key = (k.group.clone(), k.kind.clone());
            if !kinds.contains(&key) {
                kinds.push(key);
            }
        }
    }
    for (r, s) in releases.iter().zip(&stores) {
        let cells: Vec<String> = kinds
            .iter()
            .map(|(g, k)| {
                s.kinds()
                    .find(|x| &x.group == g && &x.kind == k)
                    .map(|x| versions_cell(x, channel))
                    .unwrap_or_default()
            })
            .collect();
        match columns.last_mut() {
            Some((rs, last)) if *last == cells => rs.push(*r),
            _ => columns.push((vec![*r], cells)),
        }
    }
    // A range of entries by minor where it covers whole minors: `v1.1–v1.3`, `v1.5`,
    // `v1.5.1`.
    let name = |rs: &[Release]| {
        let all = Release::all();
        let starts_minor = |r: &Release| all.iter().find(|x| x.minor() == r.minor()) == Some(r);
        let ends_minor = |r: &Release| all.iter().rev().find(|x| x.minor() == r.minor()) == Some(r);
        let (first, last) = (rs[0], rs[rs.len() - 1]);
        let from = if starts_minor(&first) {
            first.minor().to_string()
        } else {
            first.entry().name.clone()
        };
        let to = if ends_minor(&last) {
            last.minor().to_string()
        } else {
            last.entry().name.clone()
        };
        if from == to {
            from
        } else {
            format!("{from}–{to}")
        }
    };
    let mut t = String::from("| kind |");
    for (rs, _) in &columns {
        t.push_str(&format!(" {} |", name(rs)));
    }
    t.push_str("\n|---|");
    t.push_str(&"---|".repeat(columns.len()));
    t.push('\n');
    for (i, (group, kind)) in kinds.iter().enumerate() {
        let cells: Vec<&String> = columns.iter().map(|(_, c)| &c[i]).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let kind = if group == "gateway.networking.k8s.io" {
            kind.clone()
        } else {
            format!("{kind} ({group})")
        };
        t.push_str(&format!("| {kind} |"));
        for c in cells {
            t.push_str(&format!(" {} |", if c.is_empty() { "–" } else { c }));
        }
        t.push('\n');
    }
    t
}

#[test]
fn readme_release_tables_are_current() {
    readme_section_is("releases-standard", &release_table(Channel::Standard));
    readme_section_is(
        "releases-experimental",
        &release_table(Channel::Experimental),
    );
}

#[test]
fn the_catalogue_is_sorted_by_code() {
    let all = gwctl::rules::all();
    for pair in all.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} is listed before {}: gwctl::rules lists rules in code order",
            pair[0].code,
            pair[1].code
        );
    }
}

/// Every `declare_rule!` under `src/`, as (code, file): the macro is the only way to declare
/// a rule, so this is every rule there is.
fn declared_rules() -> Vec<(String, String)> {
    let declaration = regex::Regex::new(r#"^declare_rule!\(\s*\w+\s*,\s*"(GW\d{3})""#).unwrap();
    let mut found = Vec::new();
    for (path, text) in common::source_files() {
        let code = common::without_comments(&text);
        for (at, _) in code.match_indices("declare_rule!") {
            // The macro's own definition (`$crate::declare_rule!` in src/diag.rs).
            if code[..at].ends_with("$crate::") {
                continue;
            }
            let m = declaration.captures(&code[at..]).unwrap_or_else(|| {
                panic!(
                    "{path}: a declare_rule! whose name and code this test cannot read: {}",
                    code[at..].lines().next().unwrap_or_default()
                )
            });
            found.push((m[1].to_owned(), path.clone()));
        }
    }
    found
}

#[test]
fn every_declared_rule_is_in_the_catalogue() {
    let declared = declared_rules();
    let listed: Vec<&str> = gwctl::rules::all().iter().map(|r| r.code).collect();
    for (code, path) in &declared {
        assert!(
            listed.contains(&code.as_str()),
            "{code} ({path}) is declared but not listed in src/rules.rs"
        );
    }
    assert_eq!(
        declared.len(),
        listed.len(),
        "src/rules.rs lists {} rules, src/ declares {}",
        listed.len(),
        declared.len()
    );
}

#[test]
fn rules_are_declared_only_with_declare_rule() {
    // Another form (a struct literal, a constructor function) would escape the scan above.
    let other_form = regex::Regex::new(r"RuleMeta\s*\{|->\s*RuleMeta\b").unwrap();
    for (path, text) in common::source_files() {
        if path == "src/diag.rs" {
            continue;
        }
        let code = common::without_comments(&text);
        assert!(
            !other_form.is_match(&code),
            "{path} builds a RuleMeta without declare_rule!"
        );
    }
}

/// What `lint --cluster` drops when a kind cannot be read comes from each rule's `reads`;
/// these are the sets gwctl has always dropped (the GW601 message names them).
#[test]
fn an_unread_kind_drops_the_rules_that_read_it() {
    let expected: &[(&str, &[&str])] = &[
        ("Secret", &["GW316", "GW317", "GW351"]),
        (
            "Service",
            &[
                "GW309", "GW310", "GW311", "GW312", "GW323", "GW324", "GW325",
            ],
        ),
        ("ConfigMap", &["GW319", "GW320", "GW321"]),
        ("Namespace", &["GW306", "GW308", "GW341"]),
        ("ReferenceGrant", &["GW313", "GW318"]),
        ("GatewayClass", &["GW315"]),
        (
            "Gateway",
            &[
                "GW301", "GW302", "GW303", "GW304", "GW305", "GW306", "GW307", "GW308", "GW340",
                "GW341", "GW342", "GW402",
            ],
        ),
        ("ListenerSet", &["GW343"]),
        ("XListenerSet", &["GW343"]),
        ("HTTPRoute", &[]),
        ("CustomResourceDefinition", &[]),
    ];
    for (kind, codes) in expected {
        let got: Vec<&str> = gwctl::checks::cluster::reading(gwctl::rules::all(), kind)
            .map(|r| r.code)
            .collect();
        assert_eq!(&got, codes, "rules that read {kind}");
    }
    let kinds: HashSet<&str> = expected.iter().map(|(k, _)| *k).collect();
    for r in gwctl::rules::all() {
        for k in r.reads {
            assert!(
                kinds.contains(k),
                "{} reads {k}, which this test does not know",
                r.code
            );
        }
    }
}

/// `gwctl rules` and `gwctl explain` must agree on which rules `lint --fix` fixes: a rule
/// with a fix says in its docs what it does, and no other rule's docs promise one.
#[test]
fn docs_say_whether_a_rule_has_a_fix() {
    for r in gwctl::rules::all() {
        let promised = r.docs.contains("`gwctl lint --fix`");
        assert_eq!(
            promised,
            r.fix.is_some(),
            "{}: its docs {} `gwctl lint --fix` but it {} a fix",
            r.code,
            if promised {
                "mention"
            } else {
                "do not mention"
            },
            if r.fix.is_some() { "has" } else { "has no" }
        );
    }
}
