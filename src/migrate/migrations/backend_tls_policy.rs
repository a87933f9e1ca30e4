//! BackendTLSPolicy `v1alpha2` (Gateway API v1.0) → `v1alpha3` (v1.1), or `v1` for a release
//! that serves it (v1.4+, where v1's schema is v1alpha3's); and `v1alpha3` → `v1` there.
//!
//! v1.1 ships only v1alpha3, without conversion, so old objects must be rewritten:
//! - `spec.targetRef` becomes `spec.targetRefs`, a list of one. v1alpha3 targets have no
//!   `namespace`: it is dropped when unset or equal to the policy's namespace; a target in
//!   another namespace cannot be expressed, so that object is refused (GW501). A policy
//!   without `metadata.namespace` whose target names one gets a warning (GW503).
//! - `spec.tls` becomes `spec.validation`, with `caCertRefs` → `caCertificateRefs` and
//!   `wellKnownCACerts` → `wellKnownCACertificates`; `hostname` and `sectionName` are kept.

use serde_json::{Map, Value};

use super::Migration;
use crate::diag::Diagnostic;
use crate::migrate::{Cx, Refusal, rules};
use crate::yaml::{Node, NodeValue, Scalar};

pub static MIGRATION: Migration = Migration {
    kind: "BackendTLSPolicy",
    from: "gateway.networking.k8s.io/v1alpha2",
    to_kind: None,
    to: &[
        "gateway.networking.k8s.io/v1",
        "gateway.networking.k8s.io/v1alpha3",
    ],
    opt_in: false,
    rewrite: Some(rewrite),
    convert: Some(convert),
};

/// v1alpha3, deprecated from v1.4, has v1's schema: the move is an `apiVersion` change.
pub static TO_V1: Migration = Migration {
    kind: "BackendTLSPolicy",
    from: "gateway.networking.k8s.io/v1alpha3",
    to_kind: None,
    to: &["gateway.networking.k8s.io/v1"],
    opt_in: false,
    rewrite: None,
    convert: None,
};

/// Renamed keys of `spec.tls`.
const TLS_RENAMES: &[(&str, &str)] = &[
    ("caCertRefs", "caCertificateRefs"),
    ("wellKnownCACerts", "wellKnownCACertificates"),
];

fn rewrite(cx: &mut Cx<'_>, obj: &Node) -> Result<(), Refusal> {
    let Some(spec) = obj.get("spec") else {
        return Ok(());
    };
    cx.written_out(spec, "spec", false)?;
    if spec.as_map().is_none() {
        return Ok(());
    }
    for (old, new) in [("targetRef", "targetRefs"), ("tls", "validation")] {
        if let (Some(o), Some(_)) = (spec.entry(old), spec.entry(new)) {
            return Err(both(cx, o.key_span, "spec", old, new));
        }
    }
    if let Some(target) = spec.entry("targetRef") {
        let value = &target.value;
        cx.entry_written_out(target, "spec.targetRef")?;
        let drop: &[&str] = match value.entry("namespace") {
            None => &[],
            Some(ns) => {
                check_namespace(cx, obj, &ns.value)?;
                &["namespace"]
            }
        };
        cx.rename_key(target, "targetRefs");
        cx.wrap_in_list(value, drop, "spec.targetRef")?;
    }
    if let Some(tls) = spec.entry("tls") {
        cx.entry_written_out(tls, "spec.tls")?;
        cx.rename_key(tls, "validation");
        if tls.value.as_map().is_some() {
            for (old, new) in TLS_RENAMES {
                if let (Some(o), Some(_)) = (tls.value.entry(old), tls.value.entry(new)) {
                    return Err(both(cx, o.key_span, "spec.tls", old, new));
                }
                if let Some(e) = tls.value.entry(old) {
                    cx.rename_key(e, new);
                }
            }
        }
    }
    Ok(())
}

fn both(cx: &Cx<'_>, span: crate::source::Span, parent: &str, old: &str, new: &str) -> Refusal {
    cx.refuse(
        &rules::UNMIGRATABLE_OBJECT,
        span,
        &format!("{parent}.{old}"),
        format!("`{parent}` has both `{old}` (v1alpha2) and `{new}` (v1alpha3); expected only `{old}`"),
        format!("keep one of them: delete `{new}` to migrate, or `{old}` if the object was already moved by hand"),
    )
}

/// Decide whether the target's namespace may be dropped: unset, empty, or the policy's own.
fn check_namespace(cx: &mut Cx<'_>, obj: &Node, ns: &Node) -> Result<(), Refusal> {
    let target_ns = match &ns.value {
        NodeValue::Scalar(Scalar::Null) => return Ok(()),
        NodeValue::Scalar(Scalar::String(s)) if s.is_empty() => return Ok(()),
        NodeValue::Scalar(Scalar::String(s)) => &**s,
        _ => {
            return Err(cx.refuse(
                &rules::UNMIGRATABLE_OBJECT,
                ns.span,
                "spec.targetRef.namespace",
                format!(
                    "`spec.targetRef.namespace` is {}, expected a string",
                    ns.type_name()
                ),
                "correct the namespace, then migrate again",
            ));
        }
    };
    let policy_ns = obj
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty());
    match policy_ns {
        Some(p) if p == target_ns => Ok(()),
        Some(p) => Err(cx
            .refuse(
                &rules::UNMIGRATABLE_TARGET_NAMESPACE,
                ns.span,
                "spec.targetRef.namespace",
                format!(
                    "the policy is in namespace \"{p}\" but targets namespace \"{target_ns}\"; v1alpha3 `targetRefs` can only name objects in the policy's own namespace"
                ),
                format!(
                    "move the policy to namespace \"{target_ns}\" (`metadata.namespace: {target_ns}`, with any ConfigMaps its caCertRefs name), then migrate again; the file is left unchanged"
                ),
            )),
        None => {
            let d = Diagnostic::new(
                &rules::NAMESPACE_DEPENDENT_TARGET,
                format!(
                    "the policy has no `metadata.namespace` and its target names namespace \"{target_ns}\"; v1alpha3 targets are in the policy's namespace, so the result depends on the namespace it is applied to"
                ),
            )
            .at(cx.file, ns.span)
            .object(Some(cx.object.clone()))
            .field("spec.targetRef.namespace")
            .help(format!(
                "add `namespace: {target_ns}` under `metadata`, or apply the file with `-n {target_ns}`"
            ));
            cx.warn(d);
            Ok(())
        }
    }
}

/// The same move on JSON, key order kept.
fn convert(obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let old = std::mem::take(spec);
    for (k, v) in old {
        match k.as_str() {
            "targetRef" => {
                let mut v = v;
                if let Some(m) = v.as_object_mut() {
                    m.shift_remove("namespace");
                }
                spec.insert("targetRefs".into(), Value::Array(vec![v]));
            }
            "tls" => {
                let v = match v {
                    Value::Object(m) => Value::Object(
                        m.into_iter()
                            .map(|(k, v)| {
                                let k = TLS_RENAMES
                                    .iter()
                                    .find(|(old, _)| *old == k)
                                    .map_or(k, |(_, new)| (*new).to_owned());
                                (k, v)
                            })
                            .collect::<Map<String, Value>>(),
                    ),
                    other => other,
                };
                spec.insert("validation".into(), v);
            }
            _ => {
                spec.insert(k, v);
            }
        }
    }
}
