//! TCPRoute and UDPRoute `v1alpha2` → `v1` (v1.6+), and the rule they share with TLSRoute:
//! the v1 routes allow a single entry in `spec.rules`.
//!
//! Only `apiVersion` changes. A v1alpha2 route may list up to 16 rules, each with its own
//! backends; v1 allows one, and which backends several rules together stand for is up to
//! the implementation, so gwctl does not merge them: such a route is refused (GW504) and its
//! file is left unchanged.

use super::Migration;
use crate::migrate::{Cx, Refusal, rules};
use crate::yaml::Node;

pub static TCP_ROUTE: Migration = Migration {
    kind: "TCPRoute",
    from: "gateway.networking.k8s.io/v1alpha2",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: false,
    rewrite: Some(one_rule),
    convert: None,
};

pub static UDP_ROUTE: Migration = Migration {
    kind: "UDPRoute",
    from: "gateway.networking.k8s.io/v1alpha2",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: false,
    rewrite: Some(one_rule),
    convert: None,
};

/// Refuse a route whose `spec.rules` has more than one entry.
pub fn one_rule(cx: &mut Cx<'_>, obj: &Node) -> Result<(), Refusal> {
    let Some(rules_node) = obj.get("spec").and_then(|s| s.get("rules")) else {
        return Ok(());
    };
    let n = rules_node.as_seq().map_or(0, <[Node]>::len);
    if n <= 1 {
        return Ok(());
    }
    let kind = cx.object.kind.clone();
    Err(cx.refuse(
        &rules::NOT_EXPRESSIBLE,
        rules_node.span,
        "spec.rules",
        format!(
            "the {kind} has {n} rules, and {kind} v1 allows one; gwctl does not merge rules, as which backends several rules stand for is up to the implementation"
        ),
        format!(
            "put every backend in one rule (with `weight`s if they should share traffic), or split the {kind} into one route per rule, then migrate again"
        ),
    ))
}
