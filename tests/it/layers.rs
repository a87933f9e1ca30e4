//! The module layers: a module of `src/` may use (`crate::...`) only modules of its own
//! layer or lower ones, and no two top-level modules may use each other, directly or round
//! a loop.
//!
//! [`LAYERS`] is the one table to extend when a top-level module is added. What counts as a
//! use is every `crate::<module>` path in code: `use` items (grouped ones too) and paths
//! written inline (`crate::lint::check(...)`). Comments (doc links too) and string literals
//! are not code and do not count. Not followed: `super::` paths that climb out of a
//! top-level module (gwctl's `super::super::` paths stay inside theirs; `crate::` is the way
//! to name another top-level module) and
//! `gwctl::` paths, which only `src/main.rs` uses. `src/lib.rs` and `src/main.rs` declare
//! and use the modules and are in no layer; `src/build.rs` is the build script, no module.

use std::collections::{BTreeMap, BTreeSet};

use crate::common;

/// Top-level modules by layer, lowest first. A module may use modules of its own layer and
/// of lower ones; within a layer, only without loops. Keep `src/lib.rs`'s module map in step.
const LAYERS: &[&[&str]] = &[
    // Text and positions.
    &["source", "fieldpath"],
    // Findings as data, rule metadata.
    &["diag"],
    &["yaml"],
    &["model"],
    // Schemas and CEL validation (cel uses schema).
    &["schema", "cel"],
    // Inputs → objects, local files and a live cluster.
    &["load"],
    // The reference graph and its typed views.
    &["graph"],
    // What is checked, simulated, migrated; what an upgrade of the CRDs breaks (upgrade uses
    // migrate's view of the target release and its migrations for its hints); the
    // conformance features objects need; the routing picture drawn from the graph;
    // routetest runs sim's requests for `gwctl test`.
    &[
        "checks",
        "features",
        "sim",
        "migrate",
        "upgrade",
        "picture",
        "routetest",
    ],
    // The rule catalogue: every rule above, in one list.
    &["rules"],
    // The lint pipeline: passes, configuration, suppressions, report, lint over a live
    // cluster.
    &["lint"],
    &["render"],
    &["cli"],
];

#[test]
fn modules_use_only_their_own_layer_and_lower_ones() {
    let files = common::source_files();
    let problems = check(&files, LAYERS);
    assert!(
        problems.is_empty(),
        "module layering is broken (see tests/it/layers.rs):\n{}",
        problems.join("\n")
    );
}

/// The check fails on a tree like the one before the rule catalogue was made one-way: the
/// loader used the suppression module, which used the loader and the pipeline.
#[test]
fn a_use_of_a_higher_layer_or_a_loop_is_reported() {
    let files = [
        (
            "src/load/mod.rs",
            "//! The loader.\n// crate::cli in a comment is not a use\nfn f() { let m = crate::suppress::MARKER; \"crate::render\"; }\n",
        ),
        (
            "src/suppress.rs",
            "use crate::{diag::Diagnostic, load::Loaded};\nuse crate::lint::rule_matches;\n",
        ),
        ("src/lint/mod.rs", "use crate::suppress;\n"),
        ("src/diag.rs", "#[macro_export]\nmacro_rules! declare_rule { () => {} }\n"),
        ("src/checks/schema.rs", "use crate::declare_rule;\nfn m() { crate::rules::by_code(\"GW101\"); }\n"),
        ("src/rules.rs", "fn all() { crate::checks::x(); }\n"),
        ("src/checks/mod.rs", "pub mod schema;\n"),
    ]
    .map(|(p, t)| (p.to_owned(), t.to_owned()));
    let layers: &[&[&str]] = &[
        &["diag"],
        &["load"],
        &["checks"],
        &["rules"],
        &["lint", "suppress"],
        &["render", "cli"],
    ];
    let problems = check(&files, layers);
    let expected = [
        "src/checks/schema.rs:2: checks (layer 2) uses crate::rules (layer 3)",
        "src/load/mod.rs:3: load (layer 1) uses crate::suppress (layer 4)",
        "loop between top-level modules: checks → rules → checks (src/checks/schema.rs:2: crate::rules; src/rules.rs:1: crate::checks)",
        "loop between top-level modules: lint → suppress → lint (src/lint/mod.rs:1: crate::suppress; src/suppress.rs:2: crate::lint)",
        "loop between top-level modules: load → suppress → load (src/load/mod.rs:3: crate::suppress; src/suppress.rs:1: crate::load)",
    ];
    assert_eq!(problems, expected);

    // A module the table does not place is reported too.
    let problems = check(&files, &layers[1..]);
    assert!(
        problems.contains(&"diag is in no layer of LAYERS".to_owned()),
        "{problems:#?}"
    );
}

/// One use of another top-level module: where it is and what it names.
struct Use {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// Every problem with `files` (path, text) under `layers`: uses of higher layers, modules in
/// no layer, and loops between top-level modules.
fn check(files: &[(String, String)], layers: &[&[&str]]) -> Vec<String> {
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, mods)| mods.iter().map(move |m| (*m, i)))
        .collect();
    let modules: BTreeSet<String> = files.iter().filter_map(|(p, _)| top_module(p)).collect();
    // `#[macro_export]` macros are used as `crate::name` but belong to the module that
    // defines them.
    let mut owner: BTreeMap<String, String> =
        modules.iter().map(|m| (m.clone(), m.clone())).collect();
    let exported = regex::Regex::new(r"#\[macro_export\]\s*macro_rules!\s*(\w+)").unwrap();
    for (path, text) in files {
        if let Some(m) = top_module(path) {
            for c in exported.captures_iter(&common::code_only(text)) {
                owner.insert(c[1].to_owned(), m.clone());
            }
        }
    }

    let mut problems = Vec::new();
    for m in &modules {
        if !layer_of.contains_key(m.as_str()) {
            problems.push(format!("{m} is in no layer of LAYERS"));
        }
    }
    let uses: Vec<Use> = files
        .iter()
        .flat_map(|(path, text)| uses_in(path, text, &owner))
        .collect();
    for u in &uses {
        let (Some(&from), Some(&to)) = (layer_of.get(u.from.as_str()), layer_of.get(u.to.as_str()))
        else {
            continue;
        };
        if to > from {
            problems.push(format!(
                "{}:{}: {} (layer {from}) uses crate::{} (layer {to})",
                u.file, u.line, u.from, u.to
            ));
        }
    }
    problems.sort();
    problems.extend(loops(&uses));
    problems
}

/// The top-level module a file belongs to: `src/load/cluster.rs` → `load`, `src/diag.rs`
/// → `diag`; none for the crate roots.
fn top_module(path: &str) -> Option<String> {
    let rest = path.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "build")).then(|| name.to_owned())
}

/// The uses of other top-level modules in one file.
fn uses_in(path: &str, text: &str, owner: &BTreeMap<String, String>) -> Vec<Use> {
    let Some(from) = top_module(path) else {
        return Vec::new();
    };
    let code = common::code_only(text);
    let path_start = regex::Regex::new(r"(?:^|[^\w$])\$?crate\s*::\s*").unwrap();
    let mut out = Vec::new();
    for m in path_start.find_iter(&code) {
        let line = code[..m.end()].matches('\n').count() + 1;
        for name in first_segments(&code[m.end()..]) {
            // A name that is neither a module nor an exported macro (a crate-root item)
            // names no module.
            if let Some(to) = owner.get(&name)
                && *to != from
            {
                out.push(Use {
                    file: path.to_owned(),
                    line,
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
    }
    out
}

/// The first segment of the path that `rest` starts with, or of each path of a group
/// (`{diag::Diagnostic, load::{self, Loaded}}` → `diag`, `load`).
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items
        .into_iter()
        .map(ident)
        .filter(|s| !s.is_empty())
        .collect()
}

/// One message per loop among the top-level modules (a strongly connected set of more than
/// one), naming one use for each step round it.
fn loops(uses: &[Use]) -> Vec<String> {
    let mut edges: Edges = BTreeMap::new();
    for u in uses {
        edges.entry(&u.from).or_default().entry(&u.to).or_insert(u);
    }
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for &start in edges.keys() {
        if reported.contains(start) {
            continue;
        }
        // The shortest loop through `start`; its members are reported once.
        let Some(cycle) = shortest_path(&edges, start, start) else {
            continue;
        };
        reported.extend(cycle.iter().copied());
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                let u = edges[w[0]][w[1]];
                format!("{}:{}: crate::{}", u.file, u.line, u.to)
            })
            .collect();
        out.push(format!(
            "loop between top-level modules: {} ({})",
            cycle.join(" → "),
            steps.join("; ")
        ));
    }
    out
}

type Edges<'u> = BTreeMap<&'u str, BTreeMap<&'u str, &'u Use>>;

/// The shortest path `a` → ... → `b` along `edges` (a loop when `a` is `b`), breadth first.
fn shortest_path<'u>(edges: &Edges<'u>, a: &'u str, b: &'u str) -> Option<Vec<&'u str>> {
    let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([a]);
    while let Some(n) = queue.pop_front() {
        for &m in edges.get(n).into_iter().flat_map(|e| e.keys()) {
            if m == b {
                let mut path = vec![b, n];
                let mut at = n;
                while at != a {
                    at = prev[at];
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            if m != a && !prev.contains_key(m) {
                prev.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    None
}
