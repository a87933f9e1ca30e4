//! ReferenceGrant `v1alpha2` → `v1beta1`. The schemas are identical; v1.1's standard
//! channel no longer serves v1alpha2, so only `apiVersion` changes.

use super::Migration;

pub static MIGRATION: Migration = Migration {
    kind: "ReferenceGrant",
    from: "gateway.networking.k8s.io/v1alpha2",
    to: &["gateway.networking.k8s.io/v1beta1"],
    opt_in: false,
    rewrite: None,
    convert: None,
};
