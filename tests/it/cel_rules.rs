//! CEL rules R01–R59 at their real placements: every fixture under `tests/fixtures/cel/`
//! holds failing and passing documents whose `test.gwctl.dev/*` annotations say what
//! `gwctl::cel::evaluate` must return after `gwctl::schema::validate` has defaulted them.
//! Also: transition rules, rules gwctl cannot evaluate, and every upstream example.

use std::path::{Path, PathBuf};

use gwctl::schema::{Channel, Lookup, ObjectSchema, Release, Store, Violation};
use serde_json::{Value, json};

/// The fixtures are the rules of Gateway API v1.1.0 (R51 is its session persistence rule,
/// which v1.1.1 relaxed).
fn v1_1() -> Store {
    Store::for_release(Release::parse("v1.1.0").unwrap())
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cel")
}

fn schema_for<'s>(store: &'s Store, obj: &Value, channel: Channel) -> Option<&'s ObjectSchema> {
    let api = obj.get("apiVersion")?.as_str()?;
    let kind = obj.get("kind")?.as_str()?;
    let (group, version) = api.rsplit_once('/').unwrap_or(("", api));
    match store.lookup(group, version, kind, channel) {
        Lookup::Served(s) => Some(s),
        _ => None,
    }
}

/// Defaults and schema-checks `obj`, then evaluates its CEL rules.
fn run(
    schema: &ObjectSchema,
    obj: &Value,
    old: Option<&Value>,
) -> (Vec<Violation>, Vec<Violation>) {
    let mut obj = obj.clone();
    let structural = gwctl::schema::validate(schema, &mut obj);
    let old = old.map(|o| {
        let mut o = o.clone();
        gwctl::schema::validate(schema, &mut o);
        o
    });
    let cel = gwctl::cel::evaluate(schema, &obj, old.as_ref());
    (structural, cel)
}

fn annotation<'v>(obj: &'v Value, key: &str) -> Option<&'v str> {
    obj.pointer("/metadata/annotations")?
        .get(format!("test.gwctl.dev/{key}"))?
        .as_str()
}

fn show(vs: &[Violation]) -> String {
    vs.iter()
        .map(|v| format!("{} at {}: {}", v.code(), v.path, v.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_fixture_fails_and_passes_as_annotated() {
    let store = v1_1();
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        covered.insert(name[..3].to_string());
        let text = std::fs::read_to_string(file).unwrap();
        let docs = gwctl::yaml::parse_json_documents(&text).expect("fixture parses");
        let (mut fails, mut passes) = (0, 0);
        for (i, doc) in docs.iter().enumerate() {
            let expect = annotation(doc, "expect").expect("every document says what to expect");
            let channels = match annotation(doc, "channel") {
                Some("standard") => vec![Channel::Standard],
                Some("experimental") => vec![Channel::Experimental],
                None => vec![Channel::Standard, Channel::Experimental],
                Some(other) => panic!("{name}: unknown channel {other}"),
            };
            if expect == "none" {
                passes += 1;
            } else {
                fails += 1;
            }
            for channel in channels {
                let here = format!("{name} document {i} ({channel})");
                let Some(schema) = schema_for(&store, doc, channel) else {
                    failures.push(format!("{here}: no served schema"));
                    continue;
                };
                let (structural, cel) = run(schema, doc, None);
                if annotation(doc, "schema") != Some("may-fail") && !structural.is_empty() {
                    failures.push(format!("{here}: schema findings\n{}", show(&structural)));
                }
                let got: Vec<&str> = cel.iter().map(|v| v.code()).collect();
                let want: Vec<&str> = if expect == "none" {
                    Vec::new()
                } else {
                    expect.split(',').collect()
                };
                if got != want {
                    failures.push(format!(
                        "{here}: expected {want:?}, got {got:?}\n{}",
                        show(&cel)
                    ));
                    continue;
                }
                let Some(first) = cel.first() else { continue };
                if let Some(m) = annotation(doc, "message")
                    && !cel.iter().any(|v| v.message.contains(m))
                {
                    failures.push(format!("{here}: no message contains {m:?}\n{}", show(&cel)));
                }
                if let Some(p) = annotation(doc, "path")
                    && first.path.to_string() != p
                {
                    failures.push(format!("{here}: expected path {p}, got {}", first.path));
                }
                let related: Vec<String> =
                    first.related.iter().map(|(p, _)| p.to_string()).collect();
                let want_related: Vec<String> = annotation(doc, "related")
                    .map(str::to_string)
                    .into_iter()
                    .collect();
                if !want_related.is_empty() && !first.on_key {
                    failures.push(format!(
                        "{here}: a list entry finding should point at the entry"
                    ));
                }
                if related != want_related {
                    failures.push(format!(
                        "{here}: expected related {want_related:?}, got {related:?}"
                    ));
                }
            }
        }
        assert!(
            fails > 0 && passes > 0,
            "{name} needs a failing and a passing document"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // R10 is a transition rule (see below); every other rule has a fixture.
    let missing: Vec<String> = (1..=59)
        .map(|n| format!("R{n:02}"))
        .filter(|r| r != "R10" && !covered.contains(r))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

fn gateway_class(controller: &str) -> Value {
    json!({
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {"name": "example"},
        "spec": {"controllerName": controller}
    })
}

#[test]
fn r10_controller_name_is_immutable_only_on_update() {
    let store = v1_1();
    let new = gateway_class("example.com/new");
    let schema = schema_for(&store, &new, Channel::Standard).unwrap();
    // A manifest on its own is a create: transition rules do not run.
    assert!(run(schema, &new, None).1.is_empty());
    let same = run(schema, &new, Some(&new)).1;
    assert!(same.is_empty(), "{}", show(&same));
    let old = gateway_class("example.com/old");
    let changed = run(schema, &new, Some(&old)).1;
    assert_eq!(changed.len(), 1, "{}", show(&changed));
    assert_eq!(changed[0].code(), "GW201");
    assert_eq!(changed[0].path.to_string(), "spec.controllerName");
    assert!(changed[0].message.contains("cannot be changed"));
}

/// A user CRD whose rules use things gwctl cannot evaluate: never a silent pass.
#[test]
fn unsupported_rules_are_reported_not_passed() {
    let mut store = Store::empty();
    let crd = json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "properties": {"spec": {
                        "type": "object",
                        "properties": {
                            "items": {"type": "array", "items": {"type": "integer"}},
                            "name": {"type": "string"},
                            "timeout": {"type": "string"},
                            "url": {"type": "string"}
                        },
                        "x-kubernetes-validations": [
                            {"rule": "self.items.sortBy(i, i) == self.items", "message": "sorted"},
                            {"rule": "cel.bind(n, self.name, n != '')", "message": "named"},
                            {"rule": "self.items.all(i, v, v > 0)", "message": "positive"},
                            {"rule": "self.name.lowerAscii() == self.name", "message": "name must be lower case"},
                            {"rule": "isURL(self.url)", "message": "url must be a URL"},
                            {"rule": "self.items.isSorted() && self.items.sum() < 10", "message": "sorted and small"},
                            {"rule": "duration(self.timeout) < duration('1h')", "message": "timeout under an hour"},
                            {"rule": "self.name ==", "message": "broken"},
                            {"rule": "self.name != 'Web'", "messageExpression": "'name ' + self.name + ' is taken'", "fieldPath": ".name"},
                            {"rule": "size(self.items) > 5", "message": "too few", "fieldPath": "['items']"},
                            {"rule": "self.name ==\n  'x'"}
                        ]
                    }}
                }}
            }]
        }
    });
    store.add_crd(&crd).unwrap();
    let obj = json!({
        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
        "spec": {"items": [3, 1], "name": "Web", "timeout": "30mx", "url": "https://example.com/x"}
    });
    let schema = schema_for(&store, &obj, Channel::Standard).unwrap();
    let (_, cel) = run(schema, &obj, None);
    let summary: Vec<(&str, &str)> = cel.iter().map(|v| (v.code(), v.message.as_str())).collect();
    let count = |code: &str| cel.iter().filter(|v| v.code() == code).count();
    // sortBy, cel.bind, the two-variable all() and the rule that does not parse.
    assert_eq!(count("GW203"), 4, "{summary:#?}");
    // lowerAscii and isSorted/sum are supported: both rules return false.
    assert!(
        cel.iter()
            .any(|v| v.code() == "GW201" && v.message == "name must be lower case")
    );
    assert!(
        cel.iter()
            .any(|v| v.code() == "GW201" && v.message == "sorted and small")
    );
    assert!(!cel.iter().any(|v| v.message.contains("url must be a URL")));
    // messageExpression and fieldPath, as the API server reports them.
    let taken = cel
        .iter()
        .find(|v| v.message == "name Web is taken")
        .expect("messageExpression");
    assert_eq!(taken.path.to_string(), "spec.name");
    assert!(
        cel.iter()
            .any(|v| v.code() == "GW201" && v.message == "failed rule: self.name == 'x'"),
        "{summary:#?}"
    );
    let few = cel
        .iter()
        .find(|v| v.message == "too few")
        .expect("fieldPath");
    assert_eq!(few.path.to_string(), "spec.items");
    // `30mx` is not a Go duration: an error, as in the API server (cel-rust alone reads 30m).
    assert!(
        cel.iter()
            .any(|v| v.code() == "GW202" && v.message.contains("invalid duration")),
        "{summary:#?}"
    );
}

/// Every upstream example of v1.1.0 and v1.6.1 (standard ones in both channels,
/// experimental ones in the experimental channel) gives no CEL finding at its own release.
#[test]
fn upstream_examples_give_no_cel_findings() {
    let Some(v1_1_root) = shared_root() else {
        return;
    };
    for (tag, store) in [
        ("v1.1.0", v1_1()),
        (
            "v1.6.1",
            Store::for_release(Release::parse("v1.6.1").unwrap()),
        ),
    ] {
        let root = v1_1_root.with_file_name(tag).join("examples");
        examples_give_no_cel_findings(&root, &store);
    }
}

fn examples_give_no_cel_findings(root: &Path, store: &Store) {
    let root = root.to_path_buf();
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut evaluated = 0;
    let mut failures = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let channels = if rel.starts_with("experimental") {
            vec![Channel::Experimental]
        } else {
            vec![Channel::Standard, Channel::Experimental]
        };
        let text = std::fs::read_to_string(file).unwrap();
        let Ok(docs) = gwctl::yaml::parse_json_documents(&text) else {
            failures.push(format!("{rel}: does not parse"));
            continue;
        };
        for (i, doc) in docs.iter().enumerate() {
            for &channel in &channels {
                let Some(schema) = schema_for(store, doc, channel) else {
                    continue;
                };
                evaluated += 1;
                let (_, cel) = run(schema, doc, None);
                if !cel.is_empty() {
                    failures.push(format!(
                        "{} {rel} document {i} ({channel}):\n{}",
                        root.display(),
                        show(&cel)
                    ));
                }
            }
        }
    }
    assert!(evaluated > 50, "only {evaluated} objects evaluated");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A value of the wrong type is the schema pass's finding; its rules do not run.
#[test]
fn rules_do_not_run_on_values_of_the_wrong_type() {
    let store = v1_1();
    let gw = json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": {"name": "g"},
        "spec": {"gatewayClassName": "c", "listeners": "http"}
    });
    let schema = schema_for(&store, &gw, Channel::Standard).unwrap();
    let (structural, cel) = run(schema, &gw, None);
    assert!(!structural.is_empty());
    assert!(cel.is_empty(), "{}", show(&cel));
}

fn leaves(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                leaves(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                leaves(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every fixture with every field in turn replaced by values of other types and shapes:
/// evaluation never panics, and gwctl's CEL engine never fails on a bundled rule.
#[test]
fn mutated_fixtures_never_break_the_evaluator() {
    let store = v1_1();
    let replacements = [
        json!(null),
        json!(""),
        json!(0),
        json!(1.5),
        json!([{}]),
        json!({}),
        json!("é/../%2F"),
    ];
    let (mut checked, mut turn) = (0, 0u32);
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for doc in gwctl::yaml::parse_json_documents(&text).unwrap() {
            let mut paths = Vec::new();
            leaves(&doc, String::new(), &mut paths);
            for p in paths.iter().filter(|p| p.starts_with("/spec")) {
                for r in &replacements {
                    let mut m = doc.clone();
                    *m.pointer_mut(p).unwrap() = r.clone();
                    // Alternate channels to keep the test quick; both see every field.
                    turn += 1;
                    let channel = if turn % 2 == 0 {
                        Channel::Standard
                    } else {
                        Channel::Experimental
                    };
                    {
                        let Some(schema) = schema_for(&store, &m, channel) else {
                            continue;
                        };
                        let (_, cel) = run(schema, &m, Some(&doc));
                        checked += 1;
                        let broken: Vec<&Violation> =
                            cel.iter().filter(|v| v.code() == "GW203").collect();
                        assert!(broken.is_empty(), "{p} = {r}: {broken:?}");
                    }
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

/// As the API server: a wrong type, a missing required field, a value outside an enum or
/// an over-long value skips the rules; a pattern or minimum finding does not.
#[test]
fn blocking_schema_findings_skip_the_rules() {
    let store = v1_1();
    let gw = |listeners: Value| {
        json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "g"},
            "spec": {"gatewayClassName": "c", "listeners": listeners}
        })
    };
    let check = |obj: &Value| {
        let schema = schema_for(&store, obj, Channel::Standard).unwrap();
        let mut o = obj.clone();
        let structural = gwctl::schema::validate(schema, &mut o);
        let cel = gwctl::cel::evaluate_after_schema(schema, &o, None, &structural);
        (structural, cel)
    };
    // Duplicate names (a duplicate-key finding, not blocking): the rules run.
    let (_, cel) = check(&gw(json!([
        {"name": "web", "port": 80, "protocol": "HTTP"},
        {"name": "web", "port": 8080, "protocol": "HTTP"}
    ])));
    assert_eq!(
        cel.iter().map(|v| v.code()).collect::<Vec<_>>(),
        ["GW201"],
        "{}",
        show(&cel)
    );
    // The same plus a port out of range (a minimum, not blocking).
    let (structural, cel) = check(&gw(json!([
        {"name": "web", "port": 0, "protocol": "HTTP"},
        {"name": "web", "port": 8080, "protocol": "HTTP"}
    ])));
    assert!(!structural.is_empty());
    assert_eq!(
        cel.iter().map(|v| v.code()).collect::<Vec<_>>(),
        ["GW201"],
        "{}",
        show(&cel)
    );
    // A listener without protocol (required): the rules are not checked.
    let (structural, cel) = check(&gw(json!([
        {"name": "web", "port": 80},
        {"name": "web", "port": 8080, "protocol": "HTTP"}
    ])));
    assert!(
        structural.iter().any(gwctl::cel::blocks_cel),
        "{}",
        show(&structural)
    );
    assert_eq!(
        cel.iter().map(|v| v.code()).collect::<Vec<_>>(),
        ["GW204"],
        "{}",
        show(&cel)
    );
    // A name over maxLength blocks; so does a type error.
    let long = "a".repeat(300);
    let (structural, _) = check(&gw(json!([{"name": long, "port": 80, "protocol": "HTTP"}])));
    assert!(
        structural.iter().any(gwctl::cel::blocks_cel),
        "{}",
        show(&structural)
    );
    let (structural, _) = check(&gw(
        json!([{"name": "web", "port": "80", "protocol": "HTTP"}]),
    ));
    assert!(
        structural.iter().any(gwctl::cel::blocks_cel),
        "{}",
        show(&structural)
    );
}

fn shared_root() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gateway-api");
    let root = shared.join("v1.1.0");
    if shared.is_dir() {
        return Some(root);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing; CI must provide it", root.display());
    }
    eprintln!("skipping: {} not found", root.display());
    None
}

/// The rule fixtures give the same codes at the same places when the schemas are upstream's
/// own v1.1.0 CRDs instead of gwctl's bundled description: the evaluator runs upstream's
/// rule text at upstream's placements (R19 twice included) with the same verdicts.
#[test]
fn fixtures_agree_with_the_upstream_crds() {
    let Some(root) = shared_root() else { return };
    let mut failures = Vec::new();
    let mut compared = 0;
    for channel in [Channel::Standard, Channel::Experimental] {
        let mut upstream = Store::empty();
        let dir = root.join("crd").join(channel.as_str());
        for e in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            for crd in gwctl::yaml::parse_json_documents(&text).unwrap() {
                upstream.add_crd(&crd).unwrap();
            }
        }
        let bundled = v1_1();
        for entry in std::fs::read_dir(fixtures()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, doc) in gwctl::yaml::parse_json_documents(&text)
                .unwrap()
                .iter()
                .enumerate()
            {
                match annotation(doc, "channel") {
                    Some(c) if c != channel.as_str() => continue,
                    _ => {}
                }
                let (Some(ours), Some(theirs)) = (
                    schema_for(&bundled, doc, channel),
                    schema_for(&upstream, doc, channel),
                ) else {
                    failures.push(format!("{name} document {i} ({channel}): no schema"));
                    continue;
                };
                let key = |vs: Vec<Violation>| -> Vec<(String, String)> {
                    vs.iter()
                        .map(|v| (v.code().to_string(), v.path.to_string()))
                        .collect()
                };
                let a = key(run(ours, doc, None).1);
                let b = key(run(theirs, doc, None).1);
                compared += 1;
                if a != b {
                    failures.push(format!(
                        "{name} document {i} ({channel}): bundled {a:?}, upstream {b:?}"
                    ));
                }
            }
        }
    }
    assert!(compared > 150, "{compared}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The lint pipeline evaluates objects on several threads: same results as on one.
#[test]
fn evaluation_is_the_same_on_several_threads() {
    let store = v1_1();
    let text = std::fs::read_to_string(fixtures().join("R07_listener-names-unique.yaml")).unwrap();
    let doc = gwctl::yaml::parse_json_documents(&text).unwrap().remove(0);
    let schema = schema_for(&store, &doc, Channel::Standard).unwrap();
    let expected = run(schema, &doc, None).1;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| run(schema, &doc, None).1))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), expected);
        }
    });
}

/// Every YAML document under `dir`, recursively.
fn documents_under(dir: &Path, out: &mut Vec<Value>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            documents_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            && let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(docs) = gwctl::yaml::parse_json_documents(&text)
        {
            out.extend(docs.into_iter().filter(Value::is_object));
        }
    }
}

/// The fast path (`cel::native`) confirms passing rules without cel-rust; that must never
/// change a verdict, a message or a position. Held on every upstream example and conformance
/// manifest at the oldest and newest release, both channels, and on every rule fixture
/// with each of its fields replaced by values of other types and shapes (errors, missing
/// fields and wrong types are where a projection could differ), with the fixture itself as
/// the old object for transition rules.
#[test]
fn the_fast_path_gives_the_same_findings_as_cel_rust() {
    let mut upstream = Vec::new();
    if let Some(shared) = crate::common::shared_gateway_api() {
        for dir in ["v1.1.0/examples", "v1.6.1/examples", "v1.6.1/conformance"] {
            documents_under(&shared.join(dir), &mut upstream);
        }
        assert!(upstream.len() > 300, "{}", upstream.len());
    }
    let mut fixtures_docs = Vec::new();
    documents_under(&fixtures(), &mut fixtures_docs);
    let compare = |store: &Store, channel: Channel, obj: &Value, old: Option<&Value>| -> bool {
        let Some(schema) = schema_for(store, obj, channel) else {
            return false;
        };
        let mut o = obj.clone();
        let structural = gwctl::schema::validate(schema, &mut o);
        if structural.iter().any(gwctl::cel::blocks_cel) {
            return false;
        }
        let old = old.map(|x| {
            let mut x = x.clone();
            gwctl::schema::validate(schema, &mut x);
            x
        });
        let fast = show(&gwctl::cel::evaluate(schema, &o, old.as_ref()));
        let reference = show(&gwctl::cel::evaluate_in_cel_rust(schema, &o, old.as_ref()));
        assert_eq!(fast, reference, "{obj}");
        true
    };
    let mut checked = 0;
    for release in ["v1.1.0", "v1.6.1"] {
        let store = Store::for_release(Release::parse(release).unwrap());
        for channel in [Channel::Standard, Channel::Experimental] {
            for obj in upstream.iter().chain(&fixtures_docs) {
                checked += usize::from(compare(&store, channel, obj, None));
            }
        }
    }
    let store = Store::for_release(Release::parse("v1.6.1").unwrap());
    let replacements = [json!(null), json!(""), json!(0), json!([{}]), json!({})];
    for doc in &fixtures_docs {
        let mut paths = Vec::new();
        leaves(doc, String::new(), &mut paths);
        for p in paths.iter().filter(|p| p.starts_with("/spec")) {
            for r in &replacements {
                let mut m = doc.clone();
                *m.pointer_mut(p).unwrap() = r.clone();
                checked += usize::from(compare(&store, Channel::Experimental, &m, Some(doc)));
            }
        }
    }
    assert!(checked > 2000, "{checked}");
}
