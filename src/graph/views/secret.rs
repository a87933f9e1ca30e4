//! The Secret view: its type and the names of its keys, for listener certificates. Values
//! are never kept: a view holds no secret material, so nothing downstream can leak it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::Object;

/// A Secret's type and key names.
#[derive(Debug, Clone)]
pub struct SecretData {
    /// `type` when it is a string.
    pub kind: Option<String>,
    /// Whether `type` was written at all (of whatever type).
    pub kind_written: bool,
    /// Key names of `data` and `stringData`.
    pub keys: BTreeSet<String>,
    /// Some content was deliberately not read (a live cluster's Secret: metadata and type
    /// only); see [`Object::redacted`]. Missing keys then prove nothing.
    pub redacted: bool,
}

impl SecretData {
    pub fn read(object: &Object) -> Self {
        let json = &object.json;
        let keys = ["data", "stringData"]
            .into_iter()
            .filter_map(|field| json.get(field).and_then(Value::as_object))
            .flat_map(|m| m.keys().cloned())
            .collect();
        SecretData {
            kind: json.get("type").and_then(Value::as_str).map(str::to_owned),
            kind_written: json.get("type").is_some(),
            keys,
            redacted: object.redacted,
        }
    }
}
