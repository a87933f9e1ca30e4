//! The view of BackendTLSPolicy, BackendLBPolicy and its successor XBackendTrafficPolicy:
//! their target Services, the CA ConfigMaps a BackendTLSPolicy validates with, the session
//! persistence of the other two, and the creation time that decides which of two
//! conflicting policies takes effect.

use serde_json::Value;

use super::{ObjectRefAt, Policy, RetryConstraint, SessionPersistence, arr, created, s};
use crate::fieldpath::FieldPath;
use crate::model::Object;

/// A BackendTLSPolicy or BackendLBPolicy.
#[derive(Debug, Clone)]
pub struct PolicyData {
    pub namespace: String,
    /// `spec.targetRefs` (with `sectionName` where the kind has it).
    pub targets: Vec<(ObjectRefAt, Option<String>)>,
    /// `spec.validation.caCertificateRefs` (BackendTLSPolicy).
    pub ca_refs: Vec<ObjectRefAt>,
    /// `spec.sessionPersistence` (BackendLBPolicy, XBackendTrafficPolicy), when written: whatever its type, it
    /// counts as set and is read leniently.
    pub session_persistence: Option<SessionPersistence>,
    /// `spec.retryConstraint` (XBackendTrafficPolicy), when an object.
    pub retry_constraint: Option<RetryConstraint>,
    /// `metadata.creationTimestamp`.
    created: Option<Box<str>>,
}

impl PolicyData {
    pub fn read(object: &Object, namespace: String) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        let tpath = FieldPath::root().key("spec").key("targetRefs");
        let targets = arr(spec, "targetRefs")
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    ObjectRefAt::read(t, tpath.index(i), &namespace, "", "Service"),
                    s(t, "sectionName").map(str::to_owned),
                )
            })
            .collect();
        let cpath = FieldPath::root()
            .key("spec")
            .key("validation")
            .key("caCertificateRefs");
        let ca_refs = spec
            .get("validation")
            .map(|v| arr(v, "caCertificateRefs"))
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(i, c)| ObjectRefAt::read(c, cpath.index(i), &namespace, "", "ConfigMap"))
            .collect();
        PolicyData {
            targets,
            ca_refs,
            session_persistence: spec.get("sessionPersistence").map(SessionPersistence::read),
            retry_constraint: RetryConstraint::read(spec),
            created: created(object),
            namespace,
        }
    }

    /// `metadata.creationTimestamp`, for "oldest wins" conflict resolution.
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }
}

impl Policy<'_> {
    pub fn is_tls(&self) -> bool {
        self.object.kind == "BackendTLSPolicy"
    }
}
