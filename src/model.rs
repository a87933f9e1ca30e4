//! Kubernetes objects as gwctl keeps them, and the index over them.
//!
//! Owns [`Object`] (one manifest object: identity, its YAML subtree with spans, and its JSON
//! value as the API server would receive it) and [`Inventory`] (every object of the run, in
//! input order). Objects of every kind are kept: Services,
//! Namespaces, Secrets and ConfigMaps are what cross-reference checks resolve against.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use serde_json::Value;

use crate::diag::ObjectRef;
use crate::fieldpath::FieldPath;
use crate::source::{FileId, Span};
use crate::yaml::Shape;

/// The API group of Gateway API kinds.
pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// One object read from a manifest.
#[derive(Debug, Clone)]
pub struct Object {
    pub file: FileId,
    /// Index of the YAML document in its file.
    pub document: usize,
    /// Index in the `items` of a `kind: List` document, if it came from one.
    pub list_item: Option<usize>,
    pub api_version: String,
    /// Empty for the core group (`v1`).
    pub group: String,
    pub version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    /// Where each field is written (the values are in `json`).
    pub shape: Shape,
    pub json: Value,
    /// Some content was deliberately not read: a Secret from a live cluster, of which gwctl
    /// reads only the metadata and type, never `data`. Checks must not conclude that keys
    /// are missing from such an object.
    pub redacted: bool,
    /// [`Object::object_ref`], once asked for.
    pub id: OnceLock<Arc<ObjectRef>>,
}

impl Object {
    /// How findings name this object; made once and shared by all of them.
    pub fn object_ref(&self) -> Arc<ObjectRef> {
        self.id
            .get_or_init(|| {
                Arc::new(ObjectRef {
                    api_version: self.api_version.clone(),
                    kind: self.kind.clone(),
                    namespace: self.namespace.clone(),
                    name: self.name.clone(),
                })
            })
            .clone()
    }

    pub fn is_gateway_api(&self) -> bool {
        self.group == GATEWAY_GROUP
    }

    /// The best span for a field: its key (`on_key`) or value when the field exists,
    /// otherwise the deepest existing parent (a missing required field is reported where it
    /// should have been written).
    pub fn span_of(&self, path: &FieldPath, on_key: bool) -> Span {
        let loc = self.shape.locate(path);
        match (loc.span, on_key, loc.key_span) {
            (Some(_), true, Some(k)) => k,
            (Some(span), _, _) => span,
            (None, _, _) => {
                // Point at the key of the deepest existing field rather than its whole body.
                let parent = FieldPath(path.segments()[..loc.depth].to_vec());
                let p = self.shape.locate(&parent);
                p.key_span.unwrap_or(loc.nearest)
            }
        }
    }
}

/// Identity of an object across API versions: `HTTPRoute` v1 and v1beta1 of the same name
/// are the same object in the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    pub group: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

/// Every object of a run, in input order.
#[derive(Debug, Default)]
pub struct Inventory {
    pub objects: Vec<Object>,
    /// The namespace that objects without `metadata.namespace` land in when applied.
    pub default_namespace: String,
}

impl Inventory {
    pub fn new(default_namespace: impl Into<String>) -> Self {
        Inventory {
            default_namespace: default_namespace.into(),
            ..Default::default()
        }
    }

    pub fn key_of(&self, o: &Object) -> ObjectKey {
        ObjectKey {
            group: o.group.clone(),
            kind: o.kind.clone(),
            namespace: self.namespace_of(o).map(str::to_owned),
            name: o.name.clone(),
        }
    }

    /// The namespace an object lands in, `None` for cluster-scoped kinds.
    pub fn namespace_of<'a>(&'a self, o: &'a Object) -> Option<&'a str> {
        namespaced(&o.group, &o.kind)
            .then(|| o.namespace.as_deref().unwrap_or(&self.default_namespace))
    }

    /// [`Inventory::key_of`], borrowed.
    fn identity<'a>(&'a self, o: &'a Object) -> (&'a str, &'a str, Option<&'a str>, &'a str) {
        (&o.group, &o.kind, self.namespace_of(o), &o.name)
    }

    /// Room for `n` more objects.
    pub fn reserve(&mut self, n: usize) {
        self.objects.reserve_exact(n);
    }

    pub fn push(&mut self, o: Object) {
        self.objects.push(o);
    }

    /// Identities defined more than once, each with its objects in input order. Found by
    /// sorting borrowed identities once: the run asks once, and an index kept beside the
    /// objects (a key's four strings copied per object) cost 2 MB on 9,300 objects.
    pub fn duplicates(&self) -> Vec<Vec<&Object>> {
        let mut order: Vec<&Object> = self.objects.iter().collect();
        // Stable: objects of one identity stay in input order.
        order.par_sort_by(|a, b| self.identity(a).cmp(&self.identity(b)));
        let mut dups: Vec<Vec<&Object>> = order
            .chunk_by(|a, b| self.identity(a) == self.identity(b))
            .filter(|same| same.len() > 1)
            .map(<[&Object]>::to_vec)
            .collect();
        dups.sort_by_key(|v| (v[0].file, v[0].shape.span().start));
        dups
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// Whether objects of this kind live in a namespace. Unknown kinds are assumed namespaced,
/// as most custom resources are.
pub fn namespaced(group: &str, kind: &str) -> bool {
    !matches!(
        (group, kind),
        (
            "",
            "Namespace" | "Node" | "PersistentVolume" | "ComponentStatus"
        ) | (GATEWAY_GROUP, "GatewayClass")
            | ("apiextensions.k8s.io", "CustomResourceDefinition")
            | (
                "rbac.authorization.k8s.io",
                "ClusterRole" | "ClusterRoleBinding"
            )
            | ("storage.k8s.io", "StorageClass")
            | (
                "admissionregistration.k8s.io",
                "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration"
            )
    )
}
