//! The Namespace view: its labels, which `allowedRoutes.namespaces.selector` matches.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::Object;

/// A Namespace's labels (those with string values).
#[derive(Debug, Clone)]
pub struct NamespaceData {
    pub labels: BTreeMap<String, String>,
}

impl NamespaceData {
    pub fn read(object: &Object) -> Self {
        let labels = object
            .json
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        NamespaceData { labels }
    }
}
