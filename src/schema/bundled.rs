//! The bundled Gateway API schemas: `schemas/*.yaml` → [`KindInfo`]s.
//!
//! Owns the embedding of the schema files, `$ref` resolution and the version tables of the
//! bundled format (described in `schemas/defs.yaml`). After `$ref`s are resolved a schema is
//! plain OpenAPI plus `x-gwctl-channel` markers and goes through [`Node::from_openapi`], the
//! converter user CRDs use.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::node::{Node, PatternCache};
use super::{Channel, KindInfo, ObjectSchema, Origin, ServedInfo, VersionInfo};

const DEFS: &str = include_str!("../../schemas/defs.yaml");

/// One file per kind, in the order `gwctl rules`-style listings should show them.
const KINDS: &[(&str, &str)] = &[
    (
        "gatewayclass.yaml",
        include_str!("../../schemas/gatewayclass.yaml"),
    ),
    ("gateway.yaml", include_str!("../../schemas/gateway.yaml")),
    (
        "httproute.yaml",
        include_str!("../../schemas/httproute.yaml"),
    ),
    (
        "grpcroute.yaml",
        include_str!("../../schemas/grpcroute.yaml"),
    ),
    (
        "referencegrant.yaml",
        include_str!("../../schemas/referencegrant.yaml"),
    ),
    ("tcproute.yaml", include_str!("../../schemas/tcproute.yaml")),
    ("tlsroute.yaml", include_str!("../../schemas/tlsroute.yaml")),
    ("udproute.yaml", include_str!("../../schemas/udproute.yaml")),
    (
        "backendtlspolicy.yaml",
        include_str!("../../schemas/backendtlspolicy.yaml"),
    ),
    (
        "backendlbpolicy.yaml",
        include_str!("../../schemas/backendlbpolicy.yaml"),
    ),
];

/// Deeper `$ref` chains than this are a cycle.
const MAX_REF_DEPTH: usize = 32;

pub(super) fn load() -> Result<Vec<KindInfo>, String> {
    let defs = read_one("defs.yaml", DEFS)?;
    let shared = defs
        .get("definitions")
        .and_then(Value::as_object)
        .ok_or("defs.yaml: no definitions")?;
    let mut cache = PatternCache::default();
    KINDS
        .iter()
        .map(|(name, text)| {
            let doc = read_one(name, text)?;
            load_kind(&doc, shared, &mut cache).map_err(|e| format!("{name}: {e}"))
        })
        .collect()
}

fn read_one(name: &str, text: &str) -> Result<Map<String, Value>, String> {
    let docs = crate::yaml::parse_json_documents(text).map_err(|e| format!("{name}: {e}"))?;
    match <[Value; 1]>::try_from(docs) {
        Ok([Value::Object(m)]) => Ok(m),
        _ => Err(format!("{name}: expected one mapping")),
    }
}

fn string(m: &Map<String, Value>, key: &str) -> Result<String, String> {
    m.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("missing `{key}`"))
}

fn channel_of(m: &Map<String, Value>, key: &str) -> Result<Option<Channel>, String> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(|s| s.parse().ok())
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be standard or experimental")),
    }
}

fn load_kind(
    doc: &Map<String, Value>,
    shared: &Map<String, Value>,
    cache: &mut PatternCache,
) -> Result<KindInfo, String> {
    let mut defs = shared.clone();
    if let Some(local) = doc.get("definitions").and_then(Value::as_object) {
        defs.extend(local.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let group = string(doc, "group")?;
    let kind = string(doc, "kind")?;
    let plural = string(doc, "plural")?;
    let namespaced = match string(doc, "scope")?.as_str() {
        "Namespaced" => true,
        "Cluster" => false,
        other => return Err(format!("unknown scope {other:?}")),
    };
    let kind_channel = channel_of(doc, "x-gwctl-channel")?;
    let raw = resolve(doc.get("schema").ok_or("missing `schema`")?, &defs, 0)?;
    let root = Arc::new(Node::from_openapi(&raw, cache).map_err(|e| e.to_string())?);
    let schema = |version: &str, root: Arc<Node>| ObjectSchema {
        group: group.clone(),
        version: version.to_string(),
        kind: kind.clone(),
        namespaced,
        root,
    };

    let mut versions = Vec::new();
    let table = doc
        .get("versions")
        .and_then(Value::as_object)
        .ok_or("missing `versions`")?;
    for (name, v) in table {
        let v = v.as_object().ok_or("a version must be a mapping")?;
        // `served`: true (default) in both channels; `experimental`: the standard CRD lists
        // the version but does not serve it; false: listed unserved in both.
        let (std_served, exp_served) = match v.get("served") {
            None | Some(Value::Bool(true)) => (true, true),
            Some(Value::Bool(false)) => (false, false),
            Some(Value::String(s)) if s == "experimental" => (false, true),
            Some(other) => return Err(format!("version {name}: bad `served` {other}")),
        };
        // A version the standard CRD does not list at all carries `x-gwctl-channel`, like a
        // kind of one channel.
        let only = channel_of(v, "x-gwctl-channel")?.or(kind_channel);
        let storage = v.get("storage").and_then(Value::as_bool).unwrap_or(false);
        let warning = v
            .get("deprecated")
            .and_then(Value::as_str)
            .map(str::to_string);
        let info = |served| ServedInfo {
            served,
            storage,
            deprecated: warning.is_some(),
        };
        versions.push(VersionInfo {
            name: name.clone(),
            standard: (only != Some(Channel::Experimental)).then(|| info(std_served)),
            experimental: (only != Some(Channel::Standard)).then(|| info(exp_served)),
            deprecation_warning: warning.clone(),
            note: v.get("note").and_then(Value::as_str).map(str::to_string),
            schema: schema(name, root.clone()),
        });
    }

    let mut legacy = Vec::new();
    if let Some(old) = doc.get("v1.0").and_then(Value::as_object) {
        for (name, v) in old {
            let v = v.as_object().ok_or("a v1.0 version must be a mapping")?;
            let old_root =
                match v.get("schema") {
                    Some(s) => Node::from_openapi(&resolve(s, &defs, 0)?, cache)
                        .map_err(|e| e.to_string())?,
                    None => Node::from_openapi(&without_newer(&raw), cache)
                        .map_err(|e| e.to_string())?,
                };
            let info = ServedInfo {
                served: true,
                storage: v.get("storage").and_then(Value::as_bool).unwrap_or(false),
                deprecated: false,
            };
            let only = channel_of(v, "channel")?;
            legacy.push(VersionInfo {
                name: name.clone(),
                standard: (only != Some(Channel::Experimental)).then_some(info),
                experimental: Some(info),
                deprecation_warning: None,
                note: v.get("note").and_then(Value::as_str).map(str::to_string),
                schema: schema(name, Arc::new(old_root)),
            });
        }
    }

    Ok(KindInfo {
        group,
        kind,
        plural,
        namespaced,
        origin: Origin::Bundled,
        channel: kind_channel,
        versions,
        legacy,
    })
}

/// Replaces every `{$ref: Name, ...}` with the definition, the other keys overriding the
/// definition's (`properties` merged field by field).
fn resolve(v: &Value, defs: &Map<String, Value>, depth: usize) -> Result<Value, String> {
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

/// The schema as Gateway API v1.0 had it: properties marked `x-gwctl-since` removed.
fn without_newer(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "x-gwctl-since")
                .map(|(k, val)| {
                    let val = if k == "properties" {
                        match val {
                            Value::Object(props) => Value::Object(
                                props
                                    .iter()
                                    .filter(|(_, p)| p.get("x-gwctl-since").is_none())
                                    .map(|(name, p)| (name.clone(), without_newer(p)))
                                    .collect(),
                            ),
                            other => other.clone(),
                        }
                    } else {
                        without_newer(val)
                    };
                    (k.clone(), val)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_newer).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_bundled_file_loads() {
        let kinds = load().unwrap();
        assert_eq!(kinds.len(), KINDS.len());
        let grpc = kinds.iter().find(|k| k.kind == "GRPCRoute").unwrap();
        let rules = &grpc.versions[0].schema.root.properties["spec"].properties["rules"];
        assert!(
            rules
                .items
                .as_ref()
                .unwrap()
                .properties
                .contains_key("sessionPersistence")
        );
        let old = &grpc.legacy[0].schema.root.properties["spec"].properties["rules"];
        assert!(
            !old.items
                .as_ref()
                .unwrap()
                .properties
                .contains_key("sessionPersistence")
        );
    }

    #[test]
    fn refs_merge_properties_and_override_keys() {
        let defs = json!({
            "A": {"type": "object", "properties": {"x": {"type": "string"}}, "maxProperties": 3},
            "Loop": {"$ref": "Loop"}
        });
        let defs = defs.as_object().unwrap();
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
