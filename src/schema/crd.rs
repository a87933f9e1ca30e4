//! CustomResourceDefinitions → [`KindInfo`].
//!
//! Owns the reading of an `apiextensions.k8s.io/v1` CRD (names, scope, the version table and
//! each version's `openAPIV3Schema`) and [`CrdError`]. Schemas go through
//! [`Node::from_openapi`], the same converter as the bundled schemas, so `--crds` and the
//! bundled store cannot drift apart in what they understand.

use std::sync::Arc;

use serde_json::Value;

use super::node::{Node, PatternCache, SchemaError};
use super::{KindInfo, ObjectSchema, Origin, SchemaCell, ServedInfo, VersionInfo};

/// Why a CRD cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CrdError {
    #[error("not a CustomResourceDefinition: found apiVersion {api_version:?}, kind {kind:?}")]
    NotACrd { api_version: String, kind: String },
    #[error("only apiextensions.k8s.io/v1 CustomResourceDefinitions are supported, found {0:?}")]
    UnsupportedApiVersion(String),
    #[error("the CustomResourceDefinition has no {0}")]
    Missing(&'static str),
    #[error("{field} must be {expected}")]
    Invalid {
        field: String,
        expected: &'static str,
    },
    #[error("version {version:?} has no schema.openAPIV3Schema")]
    NoSchema { version: String },
    #[error("the schema of version {version:?} is not usable {source}")]
    Schema {
        version: String,
        #[source]
        source: SchemaError,
    },
}

fn text<'a>(v: &'a Value, field: &'static str) -> Result<&'a str, CrdError> {
    match v {
        Value::Null => Err(CrdError::Missing(field)),
        Value::String(s) if !s.is_empty() => Ok(s),
        _ => Err(CrdError::Invalid {
            field: field.to_string(),
            expected: "a non-empty string",
        }),
    }
}

fn flag(v: &Value, field: String) -> Result<bool, CrdError> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        _ => Err(CrdError::Invalid {
            field,
            expected: "true or false",
        }),
    }
}

/// Reads a CRD. The result answers the same for both channels: a CRD is one channel's view,
/// the one the user's cluster has.
pub fn kind_from_crd(crd: &Value) -> Result<KindInfo, CrdError> {
    let api_version = crd["apiVersion"].as_str().unwrap_or_default();
    let kind = crd["kind"].as_str().unwrap_or_default();
    if kind != "CustomResourceDefinition" || !api_version.starts_with("apiextensions.k8s.io/") {
        return Err(CrdError::NotACrd {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
        });
    }
    if api_version != "apiextensions.k8s.io/v1" {
        return Err(CrdError::UnsupportedApiVersion(api_version.to_string()));
    }
    let spec = &crd["spec"];
    let group = text(&spec["group"], "spec.group")?.to_string();
    let kind = text(&spec["names"]["kind"], "spec.names.kind")?.to_string();
    let plural = text(&spec["names"]["plural"], "spec.names.plural")?.to_string();
    let namespaced = match text(&spec["scope"], "spec.scope")? {
        "Namespaced" => true,
        "Cluster" => false,
        _ => {
            return Err(CrdError::Invalid {
                field: "spec.scope".into(),
                expected: "Namespaced or Cluster",
            });
        }
    };
    let versions = spec["versions"]
        .as_array()
        .filter(|v| !v.is_empty())
        .ok_or(CrdError::Missing("spec.versions"))?;
    let mut cache = PatternCache::default();
    let mut out = Vec::with_capacity(versions.len());
    for (i, v) in versions.iter().enumerate() {
        let name = text(&v["name"], "spec.versions[].name")?.to_string();
        let info = ServedInfo {
            served: flag(&v["served"], format!("spec.versions[{i}].served"))?,
            storage: flag(&v["storage"], format!("spec.versions[{i}].storage"))?,
            deprecated: flag(&v["deprecated"], format!("spec.versions[{i}].deprecated"))?,
        };
        let raw = v
            .get("schema")
            .and_then(|s| s.get("openAPIV3Schema"))
            .ok_or_else(|| CrdError::NoSchema {
                version: name.clone(),
            })?;
        let root = Node::from_openapi(raw, &mut cache).map_err(|source| CrdError::Schema {
            version: name.clone(),
            source,
        })?;
        out.push(VersionInfo {
            schema: SchemaCell::given(ObjectSchema {
                group: group.clone(),
                version: name.clone(),
                kind: kind.clone(),
                namespaced,
                root: Arc::new(root),
            }),
            name,
            standard: Some(info),
            experimental: Some(info),
            deprecation_warning: v["deprecationWarning"].as_str().map(str::to_string),
            note: None,
        });
    }
    Ok(KindInfo {
        group,
        kind,
        plural,
        namespaced,
        origin: Origin::Crd,
        channel: None,
        versions: out,
        legacy: Vec::new(),
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crd(schema: Value) -> Value {
        json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "spec": {
                "group": "example.com",
                "names": {"kind": "Widget", "plural": "widgets"},
                "scope": "Cluster",
                "versions": [{"name": "v1", "served": true, "storage": true,
                              "schema": {"openAPIV3Schema": schema}}]
            }
        })
    }

    #[test]
    fn reads_names_and_versions() {
        let k = kind_from_crd(&crd(json!({"type": "object"}))).unwrap();
        assert_eq!(
            (k.group.as_str(), k.kind.as_str()),
            ("example.com", "Widget")
        );
        assert!(!k.namespaced);
        assert!(k.versions[0].standard.unwrap().storage);
    }

    #[test]
    fn says_what_is_wrong() {
        let e = kind_from_crd(&json!({"apiVersion": "v1", "kind": "ConfigMap"})).unwrap_err();
        assert!(e.to_string().contains("not a CustomResourceDefinition"));
        let e = kind_from_crd(&crd(json!({"properties": {"a": {"pattern": "(("}}})))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("version \"v1\"") && e.contains(".properties.a"),
            "{e}"
        );
        let mut c = crd(json!({}));
        c["spec"]["scope"] = json!("Galaxy");
        assert!(
            kind_from_crd(&c)
                .unwrap_err()
                .to_string()
                .contains("spec.scope")
        );
    }
}
