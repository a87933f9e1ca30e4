//! The bundled schemas say exactly what upstream's CRDs say.
//!
//! Every upstream Gateway API CRD of every release gwctl knows (each release's standard and
//! experimental channel, and the two v1.0.0 CRDs gwctl keeps) is converted with the code
//! `--crds` uses and compared, version by version, with the bundled schema selected for that
//! release and channel: every node, every keyword, and the CEL expressions at each placement
//! (messages are gwctl's own and may differ). The version table (served, storage,
//! deprecated) and the set of kinds are compared too. A failure lists every differing path.
//!
//! Reads `../shared/gateway-api` beside the crate. Without it the test is skipped, except
//! under CI (`CI=true`), where a missing folder is a failure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gwctl::schema::release::entries;
use gwctl::schema::{
    Additional, Channel, KindInfo, Node, Release, ServedInfo, Store, VersionInfo, kind_from_crd,
};

use crate::common;

fn upstream() -> Option<PathBuf> {
    common::shared_gateway_api()
}

fn read_crds(dir: &Path) -> Vec<(String, KindInfo)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let crds: Vec<(String, KindInfo)> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let docs = gwctl::yaml::parse_json_documents(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            // Beside the CRDs: a kustomization and, since v1.5, a ValidatingAdmissionPolicy.
            if docs[0]["kind"] != "CustomResourceDefinition" {
                return None;
            }
            let crd = kind_from_crd(&docs[0]).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            Some((f.file_name().unwrap().to_string_lossy().into_owned(), crd))
        })
        .collect();
    assert!(!crds.is_empty(), "no CRDs in {}", dir.display());
    crds
}

fn num(f: f64) -> String {
    format!("{f}")
}

/// Every keyword of every node, keyed by `path keyword`.
fn flatten(n: &Node, path: &str, out: &mut BTreeMap<String, String>) {
    let mut put = |kw: &str, v: String| {
        out.insert(
            format!("{} {kw}", if path.is_empty() { "." } else { path }),
            v,
        );
    };
    put("(node)", String::new());
    if let Some(t) = n.types {
        put("type", t.to_string());
    }
    if let Some(f) = &n.format {
        put("format", f.clone());
    }
    if let Some(e) = &n.enum_values {
        put("enum", serde_json::to_string(e).unwrap());
    }
    if let Some(p) = &n.pattern {
        put("pattern", p.source.clone());
    }
    let bounds = [
        ("minimum", n.minimum),
        ("maximum", n.maximum),
        ("multipleOf", n.multiple_of),
    ];
    for (k, v) in bounds {
        if let Some(v) = v {
            put(k, num(v));
        }
    }
    let counts = [
        ("minLength", n.min_length),
        ("maxLength", n.max_length),
        ("minItems", n.min_items),
        ("maxItems", n.max_items),
        ("minProperties", n.min_properties),
        ("maxProperties", n.max_properties),
    ];
    for (k, v) in counts {
        if let Some(v) = v {
            put(k, v.to_string());
        }
    }
    let flags = [
        ("exclusiveMinimum", n.exclusive_minimum),
        ("exclusiveMaximum", n.exclusive_maximum),
        ("uniqueItems", n.unique_items),
        ("nullable", n.nullable),
        (
            "x-kubernetes-preserve-unknown-fields",
            n.preserve_unknown_fields,
        ),
        ("x-kubernetes-int-or-string", n.int_or_string),
        ("x-kubernetes-embedded-resource", n.embedded_resource),
    ];
    for (k, v) in flags {
        if v {
            put(k, "true".into());
        }
    }
    if !n.required.is_empty() {
        let mut r = n.required.clone();
        r.sort();
        put("required", r.join(","));
    }
    if let Some(d) = &n.default {
        put("default", serde_json::to_string(d).unwrap());
    }
    if let Some(t) = n.list_type {
        put("x-kubernetes-list-type", t.as_str().into());
    }
    if !n.list_map_keys.is_empty() {
        put("x-kubernetes-list-map-keys", n.list_map_keys.join(","));
    }
    if let Some(t) = n.map_type {
        put("x-kubernetes-map-type", t.as_str().into());
    }
    for (i, r) in n.rules.iter().enumerate() {
        put(&format!("rule[{i}]"), r.rule.clone());
        for (k, v) in [
            ("messageExpression", &r.message_expression),
            ("reason", &r.reason),
            ("fieldPath", &r.field_path),
        ] {
            if let Some(v) = v {
                put(&format!("rule[{i}].{k}"), v.clone());
            }
        }
        if r.optional_old_self {
            put(&format!("rule[{i}].optionalOldSelf"), "true".into());
        }
    }
    match &n.additional_properties {
        Some(Additional::Allowed(b)) => put("additionalProperties", b.to_string()),
        Some(Additional::Schema(s)) => flatten(s, &format!("{path}{{*}}"), out),
        None => {}
    }
    for (k, p) in &n.properties {
        flatten(p, &format!("{path}.{k}"), out);
    }
    if let Some(i) = &n.items {
        flatten(i, &format!("{path}[*]"), out);
    }
    for (name, list) in [
        ("allOf", &n.all_of),
        ("oneOf", &n.one_of),
        ("anyOf", &n.any_of),
    ] {
        for (i, b) in list.iter().enumerate() {
            flatten(b, &format!("{path}<{name}[{i}]>"), out);
        }
    }
    if let Some(b) = &n.not {
        flatten(b, &format!("{path}<not>"), out);
    }
}

fn compare_nodes(what: &str, upstream: &Node, bundled: &Node, problems: &mut Vec<String>) {
    let (mut u, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten(upstream, "", &mut u);
    flatten(bundled, "", &mut b);
    let keys: BTreeSet<&String> = u.keys().chain(b.keys()).collect();
    for k in keys {
        match (u.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => {
                problems.push(format!("{what}: {k}: upstream {x:?}, bundled {y:?}"))
            }
            (Some(x), None) => {
                problems.push(format!("{what}: {k}: missing in bundled (upstream {x:?})"))
            }
            (None, Some(y)) => problems.push(format!("{what}: {k}: extra in bundled ({y:?})")),
            (None, None) => {}
        }
    }
}

fn table(info: Option<&ServedInfo>) -> String {
    match info {
        None => "absent".into(),
        Some(s) => format!(
            "served={} storage={} deprecated={}",
            s.served, s.storage, s.deprecated
        ),
    }
}

/// Compares one upstream CRD (one channel's view) with the bundled versions for that channel.
fn compare_kind(
    file: &str,
    channel: Channel,
    crd: &KindInfo,
    bundled: &[VersionInfo],
    problems: &mut Vec<String>,
) {
    for uv in &crd.versions {
        let what = format!("{file} ({channel}) {}", uv.name);
        let Some(bv) = bundled.iter().find(|b| b.name == uv.name) else {
            problems.push(format!("{what}: version missing in bundled"));
            continue;
        };
        let (u, b) = (table(uv.in_channel(channel)), table(bv.in_channel(channel)));
        if u != b {
            problems.push(format!("{what}: version table: upstream {u}, bundled {b}"));
        }
        if uv.deprecation_warning.is_some() != bv.deprecation_warning.is_some() {
            problems.push(format!(
                "{what}: deprecation warning present upstream: {}",
                uv.deprecation_warning.is_some()
            ));
        }
        compare_nodes(
            &what,
            &uv.schema(channel).root,
            &bv.schema(channel).root,
            problems,
        );
    }
    for bv in bundled.iter().filter(|b| b.in_channel(channel).is_some()) {
        if crd.version(&bv.name).is_none() {
            problems.push(format!(
                "{file} ({channel}): bundled has extra version {}",
                bv.name
            ));
        }
    }
}

/// The release a shared folder's tag stands for (v1.0.0 too, which lint cannot target).
fn release_of(tag: &str) -> Release {
    let entry = entries()
        .iter()
        .position(|e| e.patches.iter().any(|p| p == tag))
        .unwrap_or_else(|| panic!("{tag} is not in schemas/releases.yaml"));
    Release::of_entry(entry)
}

/// The tags under `../shared/gateway-api` that hold CRDs, oldest first.
fn shared_tags(root: &Path) -> Vec<String> {
    let mut tags: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|t| t.starts_with('v') && root.join(t).join("crd").is_dir())
        .collect();
    tags.sort_by_key(|t| {
        t[1..]
            .split('.')
            .map(|n| n.parse::<u32>().unwrap_or(0))
            .collect::<Vec<_>>()
    });
    tags
}

/// Compares one release and channel; v1.0.0 holds only the two CRDs gwctl keeps shapes of,
/// so kinds missing there are not reported.
fn compare_release(root: &Path, tag: &str, channel: Channel, problems: &mut Vec<String>) {
    let dir = root.join(tag).join("crd").join(channel.as_str());
    if !dir.is_dir() {
        return;
    }
    let release = release_of(tag);
    let partial = tag == "v1.0.0";
    let store = Store::for_release(release);
    let mut upstream_kinds = BTreeSet::new();
    for (file, crd) in read_crds(&dir) {
        let file = format!("{tag} {file}");
        upstream_kinds.insert(crd.kind.clone());
        let Some(k) = store
            .kinds()
            .find(|k| k.group == crd.group && k.kind == crd.kind)
        else {
            problems.push(format!("{file}: kind {} missing in bundled", crd.kind));
            continue;
        };
        if (k.namespaced, &k.plural) != (crd.namespaced, &crd.plural) {
            problems.push(format!("{file}: scope or plural differs"));
        }
        compare_kind(&file, channel, &crd, &k.versions, problems);
    }
    if partial {
        return;
    }
    // Nothing extra: no bundled kind in this channel that upstream does not ship.
    for k in store.kinds() {
        let in_channel = k.channel.is_none_or(|c| c == channel)
            && k.versions.iter().any(|v| v.in_channel(channel).is_some());
        if in_channel && !upstream_kinds.contains(&k.kind) {
            problems.push(format!(
                "{tag}: bundled kind {} is not in upstream's {channel} channel",
                k.kind
            ));
        }
    }
}

#[test]
fn bundled_schemas_agree_with_upstream_crds() {
    let Some(root) = upstream() else { return };
    let tags = shared_tags(&root);
    // Every release gwctl can target has its CRDs in the shared data (the newest patch of
    // each entry stands for the entry).
    for r in Release::all() {
        assert!(
            r.entry().patches.iter().any(|p| tags.contains(p)),
            "no CRDs of {} under {}",
            r.entry().name,
            root.display()
        );
    }
    let mut problems = Vec::new();
    for tag in &tags {
        for channel in [Channel::Standard, Channel::Experimental] {
            compare_release(&root, tag, channel, &mut problems);
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences between upstream CRDs and bundled schemas:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The objects each release's bundle holds besides CRDs (`ships` in schemas/releases.yaml)
/// are exactly the non-CRD objects in its shared CRD folders, in both channels: since v1.5 a
/// ValidatingAdmissionPolicy and its binding; nothing before.
#[test]
fn bundles_ship_what_releases_yaml_says() {
    let Some(root) = upstream() else { return };
    let mut problems = Vec::new();
    for tag in shared_tags(&root) {
        let said: BTreeSet<String> = release_of(&tag)
            .entry()
            .ships
            .iter()
            .map(ToString::to_string)
            .collect();
        for channel in [Channel::Standard, Channel::Experimental] {
            let dir = root.join(&tag).join("crd").join(channel.as_str());
            if !dir.is_dir() {
                continue;
            }
            let mut found = BTreeSet::new();
            let mut vap_files = 0;
            for f in std::fs::read_dir(&dir).unwrap() {
                let path = f.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name == "kustomization.yaml" || !name.ends_with(".yaml") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let docs = gwctl::yaml::parse_json_documents(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let mut holds_vap = false;
                for d in docs.iter().filter(|d| !d.is_null()) {
                    let (api, kind) = (d["apiVersion"].as_str(), d["kind"].as_str());
                    if kind == Some("CustomResourceDefinition") {
                        continue;
                    }
                    holds_vap |= kind == Some("ValidatingAdmissionPolicy");
                    found.insert(format!(
                        "{} {}",
                        api.unwrap_or("(no apiVersion)"),
                        kind.unwrap_or("(no kind)")
                    ));
                }
                if holds_vap != name.contains("vap") {
                    problems.push(format!(
                        "{tag} {channel} {name}: the file name and its ValidatingAdmissionPolicy disagree"
                    ));
                }
                vap_files += usize::from(name.contains("vap"));
            }
            if found != said {
                problems.push(format!(
                    "{tag} {channel}: the bundle ships {found:?} besides CRDs; schemas/releases.yaml says {said:?}"
                ));
            }
            let says_vap = said
                .iter()
                .any(|s| s.ends_with(" ValidatingAdmissionPolicy"));
            if says_vap != (vap_files > 0) {
                problems.push(format!(
                    "{tag} {channel}: {vap_files} *vap* files, releases.yaml ships {said:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
