//! The bundled Gateway API schemas: `schemas/*.yaml` → [`KindInfo`]s for one release.
//!
//! Owns the embedding of the schema files, `$ref` resolution, and the selection of what one
//! release and channel has (the `x-gwctl-in` and `x-gwctl-when` markers described in
//! `schemas/defs.yaml`). The files are read once per process into [`Source`]s, markers kept;
//! a store for a release then lists the kinds and version tables of that release, and each
//! version's schema is selected and converted (with [`Node::from_openapi`], the converter
//! user CRDs use) the first time a lint asks for it, so a run pays only for the kinds it
//! meets.

use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};

use super::node::{Node, PatternCache};
use super::release::{At, Cond, Release, entries};
use super::{Channel, KindInfo, ObjectSchema, Origin, SchemaCell, ServedInfo, VersionInfo};

const DEFS: &str = include_str!(concat!(env!("OUT_DIR"), "/defs.json"));

/// One file per kind, in the order listings show them.
const KINDS: &[(&str, &str)] = &[
    (
        "gatewayclass.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/gatewayclass.json")),
    ),
    (
        "gateway.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/gateway.json")),
    ),
    (
        "listenerset.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/listenerset.json")),
    ),
    (
        "xlistenerset.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/xlistenerset.json")),
    ),
    (
        "httproute.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/httproute.json")),
    ),
    (
        "grpcroute.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/grpcroute.json")),
    ),
    (
        "referencegrant.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/referencegrant.json")),
    ),
    (
        "tcproute.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/tcproute.json")),
    ),
    (
        "tlsroute.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/tlsroute.json")),
    ),
    (
        "udproute.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/udproute.json")),
    ),
    (
        "backendtlspolicy.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/backendtlspolicy.json")),
    ),
    (
        "backendlbpolicy.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/backendlbpolicy.json")),
    ),
    (
        "xbackendtrafficpolicy.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/xbackendtrafficpolicy.json")),
    ),
    (
        "xmesh.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/xmesh.json")),
    ),
    (
        "xbackend.yaml",
        include_str!(concat!(env!("OUT_DIR"), "/xbackend.json")),
    ),
];

/// Deeper `$ref` chains than this are a cycle.
const MAX_REF_DEPTH: usize = 32;

/// The markers of the description; none of them reaches a [`Node`].
pub(crate) const IN: &str = "x-gwctl-in";
pub(crate) const WHEN: &str = "x-gwctl-when";

/// One kind as the description has it: `$ref`s resolved, release markers kept.
#[derive(Debug)]
pub(crate) struct Source {
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    /// Where the kind exists at all (every release and channel when absent).
    cond: Option<Cond>,
    /// Version name → its entry (`storage`, `served`, `deprecated`, `note`, markers).
    versions: Map<String, Value>,
    /// The kind file as read; its schema is resolved the first time it is needed, so that a
    /// run pays only for the kinds it meets.
    doc: Map<String, Value>,
    schema: OnceLock<Value>,
    /// [`Source::version_availability`] of each version asked about: lint asks it for
    /// every object of a version the release does not serve, and the answer is worked out
    /// over every release and channel.
    pub(crate) versions_available:
        std::sync::Mutex<std::collections::HashMap<String, super::avail::Availability>>,
}

/// How one release and channel lists a version.
struct Listed {
    info: ServedInfo,
    warning: Option<String>,
    note: Option<String>,
}

impl Source {
    /// The schema, `$ref`s resolved, markers kept.
    pub(crate) fn schema(&self) -> &Value {
        self.schema.get_or_init(|| {
            resolve_schema(&self.doc).unwrap_or_else(|e| {
                // The files are part of the binary and a unit test resolves every kind.
                panic!("bundled schema of {} is broken: {e}", self.kind)
            })
        })
    }

    /// The versions served at `entry` in `channel`.
    pub(crate) fn versions_at(
        &self,
        entry: usize,
        channel: Channel,
    ) -> impl Iterator<Item = &str> + '_ {
        self.versions
            .keys()
            .filter(move |v| {
                self.listed(v, entry, channel)
                    .is_some_and(|l| l.info.served)
            })
            .map(String::as_str)
    }

    fn exists(&self, entry: usize, channel: Channel) -> bool {
        self.cond.as_ref().is_none_or(|c| {
            c.holds(At {
                entry,
                channel,
                version: "",
            })
        })
    }

    fn listed(&self, version: &str, entry: usize, channel: Channel) -> Option<Listed> {
        if !self.exists(entry, channel) {
            return None;
        }
        let at = At {
            entry,
            channel,
            version,
        };
        let v = select(self.versions.get(version)?, at).expect("checked when read")?;
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let warning = text("deprecated");
        Some(Listed {
            info: ServedInfo {
                served: v.get("served").and_then(Value::as_bool).unwrap_or(true),
                storage: v.get("storage").and_then(Value::as_bool).unwrap_or(false),
                deprecated: warning.is_some(),
            },
            warning,
            note: text("note"),
        })
    }

    /// The schema of `version` at `entry` in `channel`, converted.
    pub(crate) fn build(&self, version: &str, entry: usize, channel: Channel) -> ObjectSchema {
        static PATTERNS: OnceLock<Mutex<PatternCache>> = OnceLock::new();
        let at = At {
            entry,
            channel,
            version,
        };
        let raw = select(self.schema(), at)
            .expect("checked when read")
            .unwrap_or_else(|| Value::Object(Map::new()));
        let mut cache = PATTERNS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let root = Node::from_openapi(&raw, &mut cache).unwrap_or_else(|e| {
            // Every release, channel and version is converted by a unit test.
            panic!("bundled schema of {} {version} is broken: {e}", self.kind)
        });
        ObjectSchema {
            group: self.group.clone(),
            version: version.to_string(),
            kind: self.kind.clone(),
            namespaced: self.namespaced,
            root: Arc::new(root),
        }
    }

    /// The kind as `release` has it: its versions there, and the versions only other
    /// releases have as `legacy` (a kind `release` lacks has no `versions` at all).
    fn at(self: &Arc<Source>, release: Release) -> KindInfo {
        let entry = release.entry_index();
        let lazy = |name: &str, entry: usize| SchemaCell::lazy(self.clone(), name, entry);
        let mut versions = Vec::new();
        let mut legacy = Vec::new();
        for name in self.versions.keys() {
            let std = self.listed(name, entry, Channel::Standard);
            let exp = self.listed(name, entry, Channel::Experimental);
            if std.is_some() || exp.is_some() {
                let any = std.as_ref().or(exp.as_ref()).expect("one is listed");
                versions.push(VersionInfo {
                    name: name.clone(),
                    standard: std.as_ref().map(|l| l.info),
                    experimental: exp.as_ref().map(|l| l.info),
                    deprecation_warning: any.warning.clone(),
                    note: any.note.clone(),
                    schema: lazy(name, entry),
                });
                continue;
            }
            // Not in this release: keep the shape of the nearest release that served it (the
            // newest older one, else the oldest newer one), so that lint can still read the
            // object and migrate can rewrite it.
            let older = (0..entry).rev();
            let newer = entry + 1..entries().len();
            let nearest = older.chain(newer).find(|&e| {
                [Channel::Standard, Channel::Experimental]
                    .iter()
                    .any(|&c| self.listed(name, e, c).is_some_and(|l| l.info.served))
            });
            if let Some(e) = nearest {
                let std = self.listed(name, e, Channel::Standard);
                let exp = self.listed(name, e, Channel::Experimental);
                let any = std.as_ref().or(exp.as_ref()).expect("one is listed");
                legacy.push(VersionInfo {
                    name: name.clone(),
                    standard: std.as_ref().map(|l| l.info),
                    experimental: exp.as_ref().map(|l| l.info),
                    deprecation_warning: None,
                    note: any.note.clone(),
                    schema: lazy(name, e),
                });
            }
        }
        let in_std =
            self.exists(entry, Channel::Standard) && versions.iter().any(|v| v.standard.is_some());
        let in_exp = self.exists(entry, Channel::Experimental)
            && versions.iter().any(|v| v.experimental.is_some());
        KindInfo {
            group: self.group.clone(),
            kind: self.kind.clone(),
            plural: self.plural.clone(),
            namespaced: self.namespaced,
            origin: Origin::Bundled,
            channel: match (in_std, in_exp) {
                (false, true) => Some(Channel::Experimental),
                (true, false) => Some(Channel::Standard),
                _ => None,
            },
            versions,
            legacy,
            source: Some(self.clone()),
        }
    }
}

/// Every kind of the description, read once per process.
pub(crate) fn sources() -> &'static [Arc<Source>] {
    static SOURCES: OnceLock<Vec<Arc<Source>>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        read_sources().unwrap_or_else(|e| {
            // The files are part of the binary and a unit test reads them.
            panic!("bundled schemas are broken: {e}")
        })
    })
}

/// The kinds of `release`, both channels, plus the kinds other releases have (with no
/// versions, only `legacy` ones) so that a lint can say which release has them.
pub(super) fn load(release: Release) -> Vec<KindInfo> {
    sources().iter().map(|s| s.at(release)).collect()
}

fn read_sources() -> Result<Vec<Arc<Source>>, String> {
    KINDS
        .iter()
        .map(|(name, text)| {
            let doc = read_one(name, text)?;
            read_kind(doc)
                .map(Arc::new)
                .map_err(|e| format!("{name}: {e}"))
        })
        .collect()
}

/// The definitions of defs.yaml, read the first time a schema is resolved.
fn shared_definitions() -> Result<&'static Map<String, Value>, String> {
    static DEFINITIONS: OnceLock<Result<Map<String, Value>, String>> = OnceLock::new();
    DEFINITIONS
        .get_or_init(|| {
            read_one("defs.yaml", DEFS)?
                .get("definitions")
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| "defs.yaml: no definitions".to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A kind file's schema with every `$ref` resolved (its own definitions over the shared
/// ones), its markers and keywords checked.
fn resolve_schema(doc: &Map<String, Value>) -> Result<Value, String> {
    let defs = Defs {
        local: doc.get("definitions").and_then(Value::as_object),
        shared: shared_definitions()?,
    };
    let schema = resolve(doc.get("schema").ok_or("missing `schema`")?, &defs, 0)?;
    // Every marker must read, so that selecting never fails later. (That every key is a
    // keyword is the files' business, checked by a test, not by every run.)
    check_markers(&schema)?;
    Ok(schema)
}

/// One file of the description, as the build script wrote it in JSON (`src/build.rs`).
fn read_one(name: &str, json: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str(json) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(format!("{name}: expected one mapping")),
        Err(e) => Err(format!("{name}: {e}")),
    }
}

fn string(m: &Map<String, Value>, key: &str) -> Result<String, String> {
    m.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("missing `{key}`"))
}

fn read_kind(doc: Map<String, Value>) -> Result<Source, String> {
    let namespaced = match string(&doc, "scope")?.as_str() {
        "Namespaced" => true,
        "Cluster" => false,
        other => return Err(format!("unknown scope {other:?}")),
    };
    let versions = doc
        .get("versions")
        .and_then(Value::as_object)
        .ok_or("missing `versions`")?
        .clone();
    check_markers(&Value::Object(versions.clone()))?;
    if doc.get("schema").is_none() {
        return Err("missing `schema`".into());
    }
    Ok(Source {
        group: string(&doc, "group")?,
        kind: string(&doc, "kind")?,
        plural: string(&doc, "plural")?,
        namespaced,
        cond: match doc.get(IN) {
            None => None,
            Some(v) => Some(Cond::clone(&*cond(v)?)),
        },
        versions,
        doc,
        schema: OnceLock::new(),
        versions_available: Default::default(),
    })
}

/// A marker's condition ([`Cond::parsed`]: each text parsed once).
fn cond(v: &Value) -> Result<Rc<Cond>, String> {
    Cond::parsed(v.as_str().ok_or("`x-gwctl-in` must be a string")?)
}

fn check_markers(v: &Value) -> Result<(), String> {
    match v {
        Value::Object(m) => {
            if let Some(c) = m.get(IN) {
                cond(c)?;
            }
            if let Some(w) = m.get(WHEN) {
                let list = w.as_array().ok_or("`x-gwctl-when` must be a list")?;
                for item in list {
                    let c = item.get("in").ok_or("an `x-gwctl-when` entry needs `in`")?;
                    cond(c)?;
                    check_markers(item)?;
                }
            }
            m.iter()
                .filter(|(k, _)| k.as_str() != WHEN)
                .try_for_each(|(_, v)| check_markers(v))
        }
        Value::Array(items) => items.iter().try_for_each(check_markers),
        _ => Ok(()),
    }
}

/// The keywords a schema node of the description may have.
#[cfg(test)]
const KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "default",
    "nullable",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-int-or-string",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-validations",
    IN,
    WHEN,
];

/// The keys of a CEL rule entry.
#[cfg(test)]
const RULE_KEYS: &[&str] = &[
    "rule",
    "message",
    "messageExpression",
    "reason",
    "fieldPath",
    "optionalOldSelf",
    IN,
];

/// Rejects any key of a schema node (or rule entry) that is not a keyword, `at` saying where:
/// a YAML slip (an unquoted `a, b` in a flow mapping makes a key `b`) would otherwise drop a
/// keyword without a word. Run over every kind by a test.
#[cfg(test)]
fn check_keywords(v: &Value, at: &str) -> Result<(), String> {
    let Value::Object(m) = v else {
        return Err(format!("{at}: a schema node must be a mapping"));
    };
    for (k, val) in m {
        if !KEYWORDS.contains(&k.as_str()) {
            return Err(format!("{at}: unknown keyword {k:?}"));
        }
        match (k.as_str(), val) {
            ("properties", Value::Object(props)) => {
                for (name, p) in props {
                    check_keywords(p, &format!("{at}.{name}"))?;
                }
            }
            ("items" | "not", _) | ("additionalProperties", Value::Object(_)) => {
                check_keywords(val, &format!("{at}.{k}"))?;
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(branches)) => {
                for (i, b) in branches.iter().enumerate() {
                    check_keywords(b, &format!("{at}.{k}[{i}]"))?;
                }
            }
            ("x-kubernetes-validations", Value::Array(rules)) => {
                for (i, r) in rules.iter().enumerate() {
                    let keys = r
                        .as_object()
                        .ok_or(format!("{at}: a rule must be a mapping"))?;
                    if let Some(bad) = keys.keys().find(|k| !RULE_KEYS.contains(&k.as_str())) {
                        return Err(format!(
                            "{at}.x-kubernetes-validations[{i}]: unknown key {bad:?}"
                        ));
                    }
                }
            }
            (WHEN, Value::Array(changes)) => {
                for (i, c) in changes.iter().enumerate() {
                    let mut c = c.clone();
                    if let Some(m) = c.as_object_mut() {
                        m.shift_remove("in");
                    }
                    check_keywords(&c, &format!("{at}.{WHEN}[{i}]"))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `v` as it is `at` a release, channel and version: `None` when its `x-gwctl-in` excludes
/// it; otherwise with each `x-gwctl-when` entry that holds applied in order (its keys replace
/// the node's), markers removed, and the same done to every value inside.
pub(crate) fn select(v: &Value, at: At<'_>) -> Result<Option<Value>, String> {
    match v {
        Value::Object(m) => {
            if let Some(c) = m.get(IN)
                && !cond(c)?.holds(at)
            {
                return Ok(None);
            }
            // Each value is selected once, where it is: cloning the mapping first and then
            // selecting its values would copy every subtree once per level above it.
            let mut out = Map::with_capacity(m.len());
            for (k, val) in m {
                if k == IN || k == WHEN {
                    continue;
                }
                if let Some(val) = select(val, at)? {
                    out.insert(k.clone(), val);
                }
            }
            for change in m.get(WHEN).and_then(Value::as_array).into_iter().flatten() {
                let c = change
                    .get("in")
                    .ok_or("`x-gwctl-when` entry without `in`")?;
                if !cond(c)?.holds(at) {
                    continue;
                }
                for (k, val) in change.as_object().into_iter().flatten() {
                    if k == "in" {
                        continue;
                    }
                    // `null` takes the keyword away.
                    match select(val, at)? {
                        Some(Value::Null) | None => {
                            out.shift_remove(k);
                        }
                        Some(val) => {
                            out.insert(k.clone(), val);
                        }
                    }
                }
            }
            Ok(Some(Value::Object(out)))
        }
        Value::Array(items) => {
            let mut kept = Vec::with_capacity(items.len());
            for i in items {
                if let Some(i) = select(i, at)? {
                    kept.push(i);
                }
            }
            Ok(Some(Value::Array(kept)))
        }
        other => Ok(Some(other.clone())),
    }
}

/// The definitions a kind file's `$ref`s name: its own, then the shared ones of defs.yaml.
struct Defs<'a> {
    local: Option<&'a Map<String, Value>>,
    shared: &'a Map<String, Value>,
}

impl Defs<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.local
            .and_then(|l| l.get(name))
            .or_else(|| self.shared.get(name))
    }
}

/// Replaces every `{$ref: Name, ...}` with the definition, the other keys overriding the
/// definition's (`properties` merged field by field, `x-gwctl-when` lists joined, `null`
/// removing the key).
fn resolve(v: &Value, defs: &Defs<'_>, depth: usize) -> Result<Value, String> {
    if depth > MAX_REF_DEPTH {
        return Err("`$ref` chain too deep (a cycle?)".into());
    }
    match v {
        Value::Object(m) => {
            let mut out = match m.get("$ref") {
                Some(r) => {
                    let name = r.as_str().ok_or("`$ref` must be a name")?;
                    let def = defs
                        .get(name)
                        .ok_or_else(|| format!("unknown definition {name:?}"))?;
                    match resolve(def, defs, depth + 1)? {
                        Value::Object(d) => d,
                        _ => return Err(format!("definition {name:?} is not a mapping")),
                    }
                }
                None => Map::new(),
            };
            for (k, val) in m {
                if k == "$ref" {
                    continue;
                }
                let val = resolve(val, defs, depth)?;
                match (k.as_str(), out.get_mut(k), val) {
                    ("properties", Some(Value::Object(base)), Value::Object(extra)) => {
                        base.extend(extra);
                    }
                    // Changes written beside a `$ref` come after the definition's own.
                    (WHEN, Some(Value::Array(base)), Value::Array(extra)) => {
                        base.extend(extra);
                    }
                    // `null` beside a `$ref` takes the definition's keyword away.
                    (_, _, Value::Null) => {
                        out.shift_remove(k);
                    }
                    (_, _, val) => {
                        out.insert(k.clone(), val);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|i| resolve(i, defs, depth))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build script's JSON (`src/build.rs`) is gwctl's own reading of each YAML file of
    /// the description, and every file has one.
    #[test]
    fn the_built_json_is_the_description_as_gwctl_reads_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let yaml = std::fs::read_to_string(&path).unwrap();
            let read = crate::yaml::parse_json_documents(&yaml).unwrap();
            let stem = path.file_stem().unwrap().to_string_lossy();
            let built = std::path::Path::new(env!("OUT_DIR")).join(format!("{stem}.json"));
            let json: Value =
                serde_json::from_str(&std::fs::read_to_string(built).unwrap()).unwrap();
            assert_eq!(read, std::slice::from_ref(&json), "{}", path.display());
            // Same order of keys too: listings follow the description's order.
            assert_eq!(
                serde_json::to_string(&read[0]).unwrap(),
                serde_json::to_string(&json).unwrap()
            );
            checked += 1;
        }
        assert_eq!(checked, KINDS.len() + 2);
    }

    use serde_json::json;

    /// Every kind, version, release and channel selects and converts.
    #[test]
    fn every_release_and_channel_builds() {
        for (i, e) in entries().iter().enumerate() {
            let release = Release::of_entry(i);
            for k in load(release) {
                for v in k.versions.iter().chain(&k.legacy) {
                    for c in [Channel::Standard, Channel::Experimental] {
                        let s = v.schema(c);
                        assert_eq!(s.kind, k.kind, "{} {}", e.name, v.name);
                    }
                }
            }
        }
    }

    #[test]
    fn grpcroute_v1alpha2_of_v1_0_has_no_session_persistence() {
        let v1_1 = load(Release::parse("v1.1.0").unwrap());
        let grpc = v1_1.iter().find(|k| k.kind == "GRPCRoute").unwrap();
        let rules = |s: &ObjectSchema| {
            s.root.properties["spec"].properties["rules"]
                .items
                .as_ref()
                .unwrap()
                .properties
                .contains_key("sessionPersistence")
        };
        let v1 = grpc.version("v1").unwrap();
        assert!(rules(v1.schema(Channel::Experimental)));
        let old = Source::build(
            grpc.source.as_ref().unwrap(),
            "v1alpha2",
            0,
            Channel::Experimental,
        );
        assert!(!rules(&old));
    }

    #[test]
    fn markers_select_and_change() {
        let v = json!({
            "type": "object",
            "properties": {
                "a": {"type": "string"},
                "b": {"type": "string", "x-gwctl-in": "v1.2+"},
                "c": {"type": "array", "maxItems": 8, "x-gwctl-when": [
                    {"in": "v1.3+", "maxItems": 64},
                    {"in": "experimental v1.6+", "maxItems": 128}
                ]}
            },
            "x-kubernetes-validations": [
                {"rule": "true"},
                {"rule": "false", "x-gwctl-in": "experimental"}
            ]
        });
        let at = |r: &str, channel| At {
            entry: Release::parse(r).unwrap().entry_index(),
            channel,
            version: "v1",
        };
        let old = select(&v, at("v1.1.0", Channel::Standard))
            .unwrap()
            .unwrap();
        assert!(old["properties"].get("b").is_none());
        assert_eq!(old["properties"]["c"]["maxItems"], 8);
        assert_eq!(old["x-kubernetes-validations"].as_array().unwrap().len(), 1);
        let new = select(&v, at("v1.6", Channel::Experimental))
            .unwrap()
            .unwrap();
        assert!(new["properties"].get("b").is_some());
        assert_eq!(new["properties"]["c"]["maxItems"], 128);
        assert!(new["properties"]["c"].get(WHEN).is_none());
        assert_eq!(new["x-kubernetes-validations"].as_array().unwrap().len(), 2);
        let mid = select(&v, at("v1.4", Channel::Standard)).unwrap().unwrap();
        assert_eq!(mid["properties"]["c"]["maxItems"], 64);
    }

    #[test]
    fn every_key_of_the_description_is_a_keyword() {
        for src in sources() {
            check_keywords(src.schema(), &src.kind).unwrap();
        }
    }

    #[test]
    fn a_stray_key_is_refused() {
        // `{x-gwctl-in: experimental v1.2+, standard v1.4+}` unquoted in a flow mapping.
        let slip =
            json!({"type": "string", "x-gwctl-in": "experimental v1.2+", "standard v1.4+": null});
        let e = check_keywords(&json!({"properties": {"a": slip}}), "schema").unwrap_err();
        assert!(
            e.contains("schema.a") && e.contains("standard v1.4+"),
            "{e}"
        );
        assert!(
            check_keywords(
                &json!({"x-kubernetes-validations": [{"rule": "true", "mesage": "x"}]}),
                "s"
            )
            .is_err()
        );
    }

    #[test]
    fn refs_merge_properties_and_override_keys() {
        let defs = json!({
            "A": {"type": "object", "properties": {"x": {"type": "string"}}, "maxProperties": 3},
            "Loop": {"$ref": "Loop"}
        });
        let defs = Defs {
            local: None,
            shared: defs.as_object().unwrap(),
        };
        let defs = &defs;
        let v = resolve(
            &json!({"$ref": "A", "maxProperties": 5, "properties": {"y": {"type": "integer"}}}),
            defs,
            0,
        )
        .unwrap();
        assert_eq!(v["maxProperties"], 5);
        assert_eq!(v["properties"]["x"]["type"], "string");
        assert_eq!(v["properties"]["y"]["type"], "integer");
        assert!(resolve(&json!({"$ref": "Loop"}), defs, 0).is_err());
        assert!(resolve(&json!({"$ref": "Missing"}), defs, 0).is_err());
    }
}
