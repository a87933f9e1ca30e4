//! GRPCRoute `v1alpha2` → `v1`. The schemas are identical (v1.1 added v1 and stopped
//! serving v1alpha2 in the standard channel), so only `apiVersion` changes.

use super::Migration;

pub static MIGRATION: Migration = Migration {
    kind: "GRPCRoute",
    from: "gateway.networking.k8s.io/v1alpha2",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: false,
    rewrite: None,
    convert: None,
};
