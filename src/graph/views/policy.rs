//! The view of BackendTLSPolicy, BackendLBPolicy and its successor XBackendTrafficPolicy
//! (`gateway.networking.x-k8s.io`, v1.3+ experimental): their target Services, the CA
//! ConfigMaps a BackendTLSPolicy validates with and the names it checks the backend's
//! certificate against (`hostname`, `subjectAltNames`), the session persistence of a
//! BackendLBPolicy or XBackendTrafficPolicy, and the creation time that decides which of
//! two conflicting policies takes effect.

use serde_json::Value;

use super::{ObjectRefAt, Policy, RetryConstraint, SessionPersistence, arr, boxed, created, s};
use crate::fieldpath::FieldPath;
use crate::model::Object;

/// A BackendTLSPolicy, BackendLBPolicy or XBackendTrafficPolicy.
#[derive(Debug, Clone)]
pub struct PolicyData {
    pub namespace: String,
    /// `spec.targetRefs` (with `sectionName` where the kind has it).
    pub targets: Vec<(ObjectRefAt, Option<String>)>,
    /// `spec.validation.caCertificateRefs` (BackendTLSPolicy).
    pub ca_refs: Vec<ObjectRefAt>,
    /// `spec.validation.hostname` (BackendTLSPolicy): the SNI sent to the backend, and the
    /// name its certificate must carry unless `subject_alt_names` are set.
    pub hostname: Option<Box<str>>,
    /// `spec.validation.subjectAltNames` (BackendTLSPolicy, v1.2+): when set, the backend's
    /// certificate must carry one of these, and `hostname` is no longer checked.
    pub subject_alt_names: Vec<SubjectAltName>,
    /// `spec.sessionPersistence` (BackendLBPolicy, XBackendTrafficPolicy), when written: whatever its type, it
    /// counts as set and is read leniently.
    pub session_persistence: Option<SessionPersistence>,
    /// `spec.retryConstraint` (XBackendTrafficPolicy), when an object.
    pub retry_constraint: Option<RetryConstraint>,
    /// `metadata.creationTimestamp`.
    created: Option<Box<str>>,
}

/// One `spec.validation.subjectAltNames` entry of a BackendTLSPolicy.
#[derive(Debug, Clone)]
pub struct SubjectAltName {
    pub path: FieldPath,
    /// `type`: `Hostname` or `URI`.
    pub kind: Option<Box<str>>,
    /// `hostname`, for `type: Hostname`.
    pub hostname: Option<Box<str>>,
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
        let validation = spec.get("validation").unwrap_or(&Value::Null);
        let spath = FieldPath::root()
            .key("spec")
            .key("validation")
            .key("subjectAltNames");
        let subject_alt_names = arr(validation, "subjectAltNames")
            .iter()
            .enumerate()
            .map(|(i, n)| SubjectAltName {
                path: spath.index(i),
                kind: boxed(n, "type"),
                hostname: boxed(n, "hostname"),
            })
            .collect();
        PolicyData {
            targets,
            ca_refs,
            hostname: boxed(validation, "hostname"),
            subject_alt_names,
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
