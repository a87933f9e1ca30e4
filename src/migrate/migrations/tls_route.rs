//! TLSRoute `v1alpha2` and `v1alpha3` → `v1` (v1.5+).
//!
//! Only `apiVersion` changes, but v1 is stricter than v1alpha2: `spec.hostnames` is
//! required (at least one), and `spec.rules` allows one entry (as v1alpha3 already did). A
//! route without hostnames matches every SNI name its listener accepts; gwctl cannot know
//! which names those are, so it refuses the route (GW504) rather than guess, and likewise a
//! route with several rules (see [`super::l4_routes`]). Releases before v1.5 keep TLSRoute
//! at the version it has.

use super::Migration;
use crate::migrate::{Cx, Refusal, rules};
use crate::yaml::Node;

pub static FROM_V1ALPHA2: Migration = Migration {
    kind: "TLSRoute",
    from: "gateway.networking.k8s.io/v1alpha2",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: false,
    rewrite: Some(rewrite),
    convert: None,
};

pub static FROM_V1ALPHA3: Migration = Migration {
    kind: "TLSRoute",
    from: "gateway.networking.k8s.io/v1alpha3",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: false,
    rewrite: Some(rewrite),
    convert: None,
};

fn rewrite(cx: &mut Cx<'_>, obj: &Node) -> Result<(), Refusal> {
    let spec = obj.get("spec");
    let hostnames = spec.and_then(|s| s.get("hostnames"));
    let empty = hostnames.is_none_or(|h| h.as_seq().is_some_and(<[Node]>::is_empty));
    if empty {
        // At the empty list, or at the `spec` key the list belongs under.
        let span = match (hostnames, obj.entry("spec")) {
            (Some(h), _) => h.span,
            (None, Some(spec)) => spec.key_span,
            (None, None) => obj.span,
        };
        return Err(cx.refuse(
            &rules::NOT_EXPRESSIBLE,
            span,
            "spec.hostnames",
            "the TLSRoute has no `hostnames`, so it matches every SNI name its listeners accept; TLSRoute v1 requires at least one hostname, and gwctl cannot tell which names were meant",
            "add `hostnames:` with the SNI names the route serves (a listener's hostname, or a wildcard such as `*.example.com`), then migrate again",
        ));
    }
    super::l4_routes::one_rule(cx, obj)
}
