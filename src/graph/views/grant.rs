//! The ReferenceGrant view: which kinds in which namespaces may refer to which objects of
//! the grant's namespace.

use serde_json::Value;

use super::{arr, s};
use crate::model::Object;

/// A ReferenceGrant's `from` entry.
#[derive(Debug, Clone)]
pub struct GrantFrom {
    pub group: String,
    pub kind: String,
    pub namespace: String,
}

/// A ReferenceGrant's `to` entry.
#[derive(Debug, Clone)]
pub struct GrantTo {
    pub group: String,
    pub kind: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GrantData {
    pub namespace: String,
    pub from: Vec<GrantFrom>,
    pub to: Vec<GrantTo>,
}

impl GrantData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        GrantData {
            from: arr(spec, "from")
                .iter()
                .map(|f| GrantFrom {
                    group: s(f, "group").unwrap_or_default().to_owned(),
                    kind: s(f, "kind").unwrap_or_default().to_owned(),
                    namespace: s(f, "namespace").unwrap_or_default().to_owned(),
                })
                .collect(),
            to: arr(spec, "to")
                .iter()
                .map(|t| GrantTo {
                    group: s(t, "group").unwrap_or_default().to_owned(),
                    kind: s(t, "kind").unwrap_or_default().to_owned(),
                    name: s(t, "name").filter(|n| !n.is_empty()).map(str::to_owned),
                })
                .collect(),
            namespace,
        }
    }
}
