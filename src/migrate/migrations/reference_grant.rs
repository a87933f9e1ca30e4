//! ReferenceGrant `v1alpha2` → `v1beta1`, and with `--to-v1` `v1beta1` → `v1` (v1.5+).
//!
//! Every version has the same schema, so only `apiVersion` changes. v1.1's standard channel
//! no longer serves v1alpha2 (and v1.2 drops it), so that move is made by default. v1 is
//! served from v1.5 but v1beta1 is still the version the API server stores and serves
//! without deprecation, so moving to v1 is optional: only with `--to-v1`, and only for a
//! release that has v1 (gwctl leaves v1beta1 as it is for `--to v1.4` and older).

use super::Migration;

pub static MIGRATION: Migration = Migration {
    kind: "ReferenceGrant",
    from: "gateway.networking.k8s.io/v1alpha2",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1beta1"],
    opt_in: false,
    rewrite: None,
    convert: None,
};

pub static TO_V1: Migration = Migration {
    kind: "ReferenceGrant",
    from: "gateway.networking.k8s.io/v1beta1",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: true,
    rewrite: None,
    convert: None,
};
