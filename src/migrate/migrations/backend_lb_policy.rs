//! BackendLBPolicy `gateway.networking.k8s.io/v1alpha2` → XBackendTrafficPolicy
//! `gateway.networking.x-k8s.io/v1alpha1` (v1.3+).
//!
//! v1.3 replaced the experimental BackendLBPolicy with XBackendTrafficPolicy, in the
//! experimental API group: the kind, its group and its version change, and its fields
//! (`targetRefs`, `sessionPersistence`) keep their names and meaning. What the new kind adds
//! (`retryConstraint`) is left unset, so the move changes no behaviour. Releases before v1.3
//! have no XBackendTrafficPolicy and keep BackendLBPolicy as it is.

use super::Migration;

pub static MIGRATION: Migration = Migration {
    kind: "BackendLBPolicy",
    from: "gateway.networking.k8s.io/v1alpha2",
    to_kind: Some("XBackendTrafficPolicy"),
    to: &["gateway.networking.x-k8s.io/v1alpha1"],
    opt_in: false,
    rewrite: None,
    convert: None,
};
