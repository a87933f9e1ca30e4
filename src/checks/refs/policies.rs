//! BackendTLSPolicy and BackendLBPolicy: their targets exist, `sectionName` names a Service
//! port, CA references resolve, two policies of one kind do not fight over one target, and a
//! route rule's own session persistence overriding a policy is pointed out.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::fieldpath::FieldPath;
use crate::graph::Policy;

use super::{Context, gateway_tls, gateways};

declare_rule!(
    TARGET_NOT_FOUND,
    "GW323",
    "policy-target-not-found",
    Correctness,
    Error,
    reads: ["Service"],
    "a policy's targetRef names a Service that does not exist",
    "## What it checks\nThat every `targetRefs` entry of a BackendTLSPolicy or BackendLBPolicy with `group: \"\"` and `kind: Service` names a Service in the policy's namespace (policy targets are always local).\n\n## Why it matters\nThe policy applies to nothing: traffic to the backend goes without TLS verification or session persistence.\n\n## Example\n```yaml\nkind: BackendTLSPolicy\nspec:\n  targetRefs:\n  - {group: \"\", kind: Service, name: payments}\n```\n\n## Fix\nName an existing Service in the policy's namespace, or move the policy to the Service's namespace."
);

declare_rule!(
    TARGET_SECTION_NOT_FOUND,
    "GW324",
    "policy-section-not-found",
    Correctness,
    Error,
    reads: ["Service"],
    "a BackendTLSPolicy targetRef's sectionName names no port of the Service",
    "## What it checks\nThat `sectionName` in a BackendTLSPolicy targetRef names one of the Service's ports by its `name`.\n\n## Why it matters\nThe policy applies to no port of the Service.\n\n## Example\n```yaml\ntargetRefs:\n- {group: \"\", kind: Service, name: payments, sectionName: https}   # the port is named `tls`\n```\n\n## Fix\nUse the port's name, or drop `sectionName` to cover every port."
);

declare_rule!(
    CONFLICT,
    "GW325",
    "conflicting-policies",
    Correctness,
    Warning,
    reads: ["Service"],
    "two policies of the same kind target the same backend",
    "## What it checks\nThat no two BackendTLSPolicies (or BackendLBPolicies) target the same Service (and, for BackendTLSPolicy, the same port).\n\n## Why it matters\nOnly one takes effect: the oldest by creation time, then the first by namespace and name. The other is reported `Conflicted` and silently ignored.\n\n## Example\nTwo BackendTLSPolicies both with `targetRefs: [{group: \"\", kind: Service, name: payments}]`.\n\n## Fix\nMerge them into one policy, or give each a different target or sectionName."
);

declare_rule!(
    OVERRIDE,
    "GW326",
    "session-persistence-overrides-policy",
    Suspicious,
    Info,
    "a route rule's sessionPersistence overrides a BackendLBPolicy's",
    "## What it checks\nRoute rules with their own `sessionPersistence` whose backend is also the target of a BackendLBPolicy with `sessionPersistence`.\n\n## Why it matters\nThe route rule's configuration wins for traffic through that rule, so the policy's settings do not apply there; that is usually intended, but worth knowing.\n\n## Example\nA BackendLBPolicy with cookie persistence on Service `cart`, and an HTTPRoute rule to `cart` with header persistence.\n\n## Fix\nNothing, if intended; otherwise remove one of the two configurations."
);

/// (policy kind, namespace, Service, sectionName) a policy targets.
type Target = (String, String, String, Option<String>);

pub fn check(cx: &mut Context) {
    // (policy kind, namespace, service, section) → policies targeting it
    let mut targets: BTreeMap<Target, Vec<(usize, usize)>> = BTreeMap::new();
    for (pi, p) in cx.graph.policies.iter().enumerate() {
        for (ti, (t, section)) in p.targets.iter().enumerate() {
            if !(t.group.is_empty() && t.kind == "Service") {
                continue;
            }
            let Some(svc) = cx.graph.service(&p.namespace, &t.name) else {
                let d = cx.missing(
                    &TARGET_NOT_FOUND,
                    p.object,
                    &t.path.key("name"),
                    format!(
                        "{} {}/{} targets Service {}/{}, which is not defined",
                        p.object.kind, p.namespace, p.object.name, p.namespace, t.name
                    ),
                );
                cx.report(d);
                continue;
            };
            if let Some(s) = section
                && !svc
                    .ports
                    .iter()
                    .any(|(_, n)| n.as_deref() == Some(s.as_str()))
            {
                let names: Vec<&str> = svc.ports.iter().filter_map(|(_, n)| n.as_deref()).collect();
                let d = cx
                    .finding(
                        &TARGET_SECTION_NOT_FOUND,
                        p.object,
                        &t.path.key("sectionName"),
                        false,
                        format!(
                            "sectionName \"{s}\" names no port of Service {}/{}; {}",
                            p.namespace,
                            t.name,
                            if names.is_empty() {
                                "its ports have no names".to_owned()
                            } else {
                                format!("its port names are {}", names.join(", "))
                            }
                        ),
                    )
                    .secondary(cx.label(
                        svc.object,
                        &FieldPath::root().key("spec").key("ports"),
                        "ports defined here",
                    ));
                cx.report(d);
            }
            let section = if p.is_tls() { section.clone() } else { None };
            targets
                .entry((
                    p.object.kind.clone(),
                    p.namespace.clone(),
                    t.name.clone(),
                    section,
                ))
                .or_default()
                .push((pi, ti));
        }
        if p.is_tls() {
            for r in &p.ca_refs {
                gateways::ca_configmap(cx, p.object, r);
                gateway_tls::ca_secret(cx, p.object, r);
            }
        }
    }
    for ((kind, ns, svc, section), list) in &targets {
        if list.len() < 2 {
            continue;
        }
        let mut sorted: Vec<&(usize, usize)> = list.iter().collect();
        // Oldest wins (no creationTimestamp counts as newest), then namespace/name.
        sorted.sort_by_key(|(pi, _)| {
            let p: &Policy = &cx.graph.policies[*pi];
            (
                p.created().is_none(),
                p.created().unwrap_or_default().to_owned(),
                p.namespace.clone(),
                p.object.name.clone(),
            )
        });
        let (wi, wt) = *sorted[0];
        let winner = &cx.graph.policies[wi];
        let target = match section {
            Some(s) => format!("Service {ns}/{svc} port \"{s}\""),
            None => format!("Service {ns}/{svc}"),
        };
        for &&(pi, ti) in &sorted[1..] {
            let p = &cx.graph.policies[pi];
            let d = cx
                .finding(&CONFLICT, p.object, &p.targets[ti].0.path, false, format!(
                    "{kind} {}/{} and {kind} {}/{} both target {target}; {} takes effect ({}) and this one is ignored",
                    p.namespace, p.object.name, winner.namespace, winner.object.name, winner.object.name,
                    if winner.created().is_some() { "it is older" } else { "it comes first by namespace and name" }))
                .secondary(cx.label(winner.object, &winner.targets[wt].0.path, "the policy that takes effect"));
            cx.report(d);
        }
    }
    session_overrides(cx);
}

fn session_overrides(cx: &mut Context) {
    // BackendLBPolicies with session persistence, by the Services they target.
    let mut by_service: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    for (pi, p) in cx.graph.policies.iter().enumerate() {
        if p.is_tls() || p.session_persistence.is_none() {
            continue;
        }
        for (t, _) in &p.targets {
            if t.group.is_empty() && t.kind == "Service" {
                by_service
                    .entry((p.namespace.as_str(), t.name.as_str()))
                    .or_insert(pi);
            }
        }
    }
    if by_service.is_empty() {
        return;
    }
    for route in &cx.graph.routes {
        for rule in &route.rules {
            if rule.session_persistence.is_none() {
                continue;
            }
            for b in &rule.backends {
                let policy = cx.graph.policies.iter().find(|p| {
                    !p.is_tls()
                        && p.namespace == b.namespace
                        && p.session_persistence.is_some()
                        && p.targets.iter().any(|(t, _)| {
                            t.group.is_empty() && t.kind == "Service" && t.name == b.name
                        })
                });
                if let Some(p) = policy {
                    let d = cx
                        .finding(&OVERRIDE, route.object, &rule.path.key("sessionPersistence"), true, format!(
                            "this rule's sessionPersistence overrides BackendLBPolicy {}/{} for Service {}/{}",
                            p.namespace, p.object.name, b.namespace, b.name))
                        .secondary(cx.label(p.object, &FieldPath::root().key("spec").key("sessionPersistence"), "the policy's session persistence"));
                    cx.report(d);
                }
            }
        }
    }
}
