//! The ListenerSet view: ListenerSet (`gateway.networking.k8s.io/v1`, v1.5+) and its
//! experimental predecessor XListenerSet (`gateway.networking.x-k8s.io/v1alpha1`, v1.3–v1.4),
//! which add listeners to the Gateway their `spec.parentRef` names. Their listeners have a
//! Gateway listener's shape and are read as [`Listener`]s.

use serde_json::Value;

use super::{Listener, ObjectRefAt, arr, created};
use crate::fieldpath::FieldPath;
use crate::model::{GATEWAY_GROUP, Object};

/// The API group of the experimental kinds (XListenerSet, XBackendTrafficPolicy, ...).
pub const X_GATEWAY_GROUP: &str = "gateway.networking.x-k8s.io";

/// Whether (group, kind) is a ListenerSet kind: what a route's parentRef names one by.
pub fn is_listener_set_kind(group: &str, kind: &str) -> bool {
    matches!(
        (group, kind),
        (GATEWAY_GROUP, "ListenerSet") | (X_GATEWAY_GROUP, "XListenerSet")
    )
}

/// A ListenerSet or XListenerSet.
#[derive(Debug, Clone)]
pub struct ListenerSetData {
    pub namespace: String,
    pub name: String,
    /// `ListenerSet` or `XListenerSet`.
    pub kind: String,
    /// `spec.parentRef`, with the API's defaults (group `gateway.networking.k8s.io`, kind
    /// `Gateway`, the ListenerSet's own namespace).
    pub parent: ObjectRefAt,
    pub listeners: Vec<Listener>,
    /// `metadata.creationTimestamp`: the older of two ListenerSets on one Gateway takes
    /// precedence when their listeners conflict.
    created: Option<Box<str>>,
}

impl ListenerSetData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        let spec_path = FieldPath::root().key("spec");
        let lpath = spec_path.key("listeners");
        let listeners = arr(spec, "listeners")
            .iter()
            .enumerate()
            .map(|(i, l)| Listener::read(l, i, lpath.index(i), &namespace))
            .collect();
        let parent = ObjectRefAt::read(
            spec.get("parentRef").unwrap_or(&Value::Null),
            spec_path.key("parentRef"),
            &namespace,
            GATEWAY_GROUP,
            "Gateway",
        );
        ListenerSetData {
            name: object.name.clone(),
            kind: object.kind.clone(),
            parent,
            listeners,
            created: created(object),
            namespace,
        }
    }

    /// `metadata.creationTimestamp`, when written.
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }

    /// Whether the parentRef names a Gateway (the only kind a ListenerSet attaches to).
    pub fn parent_is_gateway(&self) -> bool {
        self.parent.group == GATEWAY_GROUP && self.parent.kind == "Gateway"
    }
}
