//! The ConfigMap view: the CA bundle (`ca.crt`) that listener frontend validation and
//! BackendTLSPolicy read, and the names of the other keys, for messages. Other values are
//! not kept.

use serde_json::Value;

use crate::model::Object;

/// A ConfigMap's CA bundle and key names.
#[derive(Debug, Clone)]
pub struct ConfigMapData {
    /// `data["ca.crt"]` when it is a string.
    pub ca_crt: Option<String>,
    /// Key names of `data`, in the order written.
    pub keys: Vec<String>,
}

impl ConfigMapData {
    pub fn read(object: &Object) -> Self {
        let data = object.json.get("data");
        ConfigMapData {
            ca_crt: data
                .and_then(|d| d.get("ca.crt"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            keys: data
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
        }
    }
}
