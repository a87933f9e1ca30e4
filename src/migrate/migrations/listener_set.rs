//! XListenerSet `gateway.networking.x-k8s.io/v1alpha1` → ListenerSet
//! `gateway.networking.k8s.io/v1` (v1.5+), and the routes that attach to it.
//!
//! v1.5 promoted XListenerSet to the Gateway API group as ListenerSet, with the same
//! fields, so the object changes its `apiVersion` and `kind`. One difference matters: an
//! XListenerSet listener could leave `port` out (v1.4 defaults it to 0, meaning "chosen by
//! the implementation"), while ListenerSet requires a port from 1 to 65535. gwctl cannot
//! know which port was chosen, so such an object is refused (GW504).
//!
//! Routes name their parent by group and kind: every `spec.parentRefs` entry with group
//! `gateway.networking.x-k8s.io` and kind `XListenerSet` gets ListenerSet's group and kind
//! ([`PARENT_REFS`]), whichever file the XListenerSet itself is in (a release without
//! XListenerSet could not resolve the old reference anyway).

use serde_json::Value;

use super::{Migration, Retarget};
use crate::migrate::{Cx, Options, Refusal, rules};
use crate::yaml::{Node, NodeValue, Scalar};

const OLD_GROUP: &str = "gateway.networking.x-k8s.io";
const NEW_GROUP: &str = "gateway.networking.k8s.io";

pub static MIGRATION: Migration = Migration {
    kind: "XListenerSet",
    from: "gateway.networking.x-k8s.io/v1alpha1",
    to_kind: Some("ListenerSet"),
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: false,
    rewrite: Some(rewrite),
    convert: None,
};

/// Refuse listeners without a port, or with port 0.
fn rewrite(cx: &mut Cx<'_>, obj: &Node) -> Result<(), Refusal> {
    let listeners = obj
        .get("spec")
        .and_then(|s| s.get("listeners"))
        .and_then(Node::as_seq)
        .unwrap_or_default();
    for (i, l) in listeners.iter().enumerate() {
        let port = l.get("port");
        let unset = match port.map(|p| &p.value) {
            None | Some(NodeValue::Scalar(Scalar::Null)) => true,
            Some(NodeValue::Scalar(Scalar::Number(n))) => n.as_f64() == Some(0.0),
            _ => false,
        };
        if !unset {
            continue;
        }
        let name = l.get("name").and_then(Node::as_str).unwrap_or("");
        return Err(cx.refuse(
            &rules::NOT_EXPRESSIBLE,
            port.map_or(l.span, |p| p.span),
            &format!("spec.listeners[{i}].port"),
            format!(
                "listener \"{name}\" has no port, so the implementation chooses one; ListenerSet requires a port from 1 to 65535, and gwctl cannot tell which was chosen"
            ),
            "set `port:` on the listener to the port it listens on (the XListenerSet's status shows it), then migrate again",
        ));
    }
    Ok(())
}

/// Route kinds, whose `spec.parentRefs` may name an XListenerSet.
const ROUTES: &[&str] = &["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];

pub static PARENT_REFS: Retarget = Retarget {
    what: "parentRefs naming XListenerSet → ListenerSet",
    applies,
    rewrite: rewrite_parent_refs,
    convert,
};

/// Routes, when the release has ListenerSet.
fn applies(kind: &str, opts: &Options) -> bool {
    ROUTES.contains(&kind)
        && crate::schema::Store::for_release(opts.release)
            .kind(NEW_GROUP, "ListenerSet")
            .is_some_and(|k| !k.versions.is_empty())
}

fn names_xlistenerset(group: Option<&str>, kind: Option<&str>) -> bool {
    group == Some(OLD_GROUP) && kind == Some("XListenerSet")
}

fn rewrite_parent_refs(cx: &mut Cx<'_>, obj: &Node) -> Result<bool, Refusal> {
    let Some(refs) = obj
        .get("spec")
        .and_then(|s| s.get("parentRefs"))
        .and_then(Node::as_seq)
    else {
        return Ok(false);
    };
    let mut changed = false;
    for (i, r) in refs.iter().enumerate() {
        let (Some(group), Some(kind)) = (r.entry("group"), r.entry("kind")) else {
            continue;
        };
        if !names_xlistenerset(group.value.as_str(), kind.value.as_str()) {
            continue;
        }
        cx.entry_written_out(group, &format!("spec.parentRefs[{i}].group"))?;
        cx.entry_written_out(kind, &format!("spec.parentRefs[{i}].kind"))?;
        cx.replace_string(&group.value, NEW_GROUP);
        cx.replace_string(&kind.value, "ListenerSet");
        changed = true;
    }
    Ok(changed)
}

fn convert(obj: &mut Value) {
    let Some(refs) = obj
        .pointer_mut("/spec/parentRefs")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for r in refs {
        if names_xlistenerset(
            r.get("group").and_then(Value::as_str),
            r.get("kind").and_then(Value::as_str),
        ) && let Some(m) = r.as_object_mut()
        {
            m.insert("group".into(), Value::String(NEW_GROUP.into()));
            m.insert("kind".into(), Value::String("ListenerSet".into()));
        }
    }
}
