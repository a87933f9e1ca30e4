//! BackendTLSPolicy, BackendLBPolicy and XBackendTrafficPolicy (BackendLBPolicy's successor,
//! v1.3+ experimental): their targets exist, `sectionName` names a Service
//! port, CA references resolve, two policies of one kind do not fight over one target (and
//! the loser is named, with the reason), and a route rule's own session persistence
//! overriding a policy is pointed out. For BackendTLSPolicy also what Gateway API v1.2–v1.4
//! added: several targetRefs, which implementations should not support (GW352), and
//! `subjectAltNames`, which take over from `hostname` in checking the backend's certificate
//! (GW353).

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::fieldpath::FieldPath;
use crate::graph::{Policy, SubjectAltName};

use super::{Context, gateway_tls, gateways};

declare_rule!(
    TARGET_NOT_FOUND,
    "GW323",
    "policy-target-not-found",
    Correctness,
    Error,
    reads: ["Service"],
    "a policy's targetRef names a Service that does not exist",
    "## What it checks\nThat every `targetRefs` entry of a BackendTLSPolicy, BackendLBPolicy or XBackendTrafficPolicy with `group: \"\"` and `kind: Service` names a Service in the policy's namespace (policy targets are always local).\n\n## Why it matters\nThe policy applies to nothing: traffic to the backend goes without TLS verification or session persistence.\n\n## Example\n```yaml\nkind: BackendTLSPolicy\nspec:\n  targetRefs:\n  - {group: \"\", kind: Service, name: payments}\n```\n\n## Fix\nName an existing Service in the policy's namespace, or move the policy to the Service's namespace."
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
    "## What it checks\nThat no two BackendTLSPolicies (or BackendLBPolicies, or XBackendTrafficPolicies) target the same Service (and, for BackendTLSPolicy, the same port: the same `sectionName`, or both none). A policy for a whole Service and one for a port of it (`sectionName`) do not conflict: the port's policy applies to that port, the other to the rest. The finding is on the policy that loses, names the one that takes effect and says why.\n\n## Why it matters\nOnly one takes effect: the oldest by `creationTimestamp`, then the first by namespace/name (GEP-713; a manifest without a creationTimestamp gets one when applied, so it counts as the newest). The other is not accepted (`Accepted: False`, reason `Conflicted`) and silently ignored.\n\n## Example\nTwo BackendTLSPolicies both with `targetRefs: [{group: \"\", kind: Service, name: payments}]`.\n\n## Fix\nMerge them into one policy, or give each a different target or sectionName."
);

declare_rule!(
    OVERRIDE,
    "GW326",
    "session-persistence-overrides-policy",
    Suspicious,
    Info,
    "a route rule's sessionPersistence overrides a BackendLBPolicy's or XBackendTrafficPolicy's",
    "## What it checks\nRoute rules with their own `sessionPersistence` whose backend is also the target of a BackendLBPolicy (or, from v1.3, XBackendTrafficPolicy) with `sessionPersistence`.\n\n## Why it matters\nThe route rule's configuration wins for traffic through that rule, so the policy's settings do not apply there; that is usually intended, but worth knowing.\n\n## Example\nA BackendLBPolicy with cookie persistence on Service `cart`, and an HTTPRoute rule to `cart` with header persistence.\n\n## Fix\nNothing, if intended; otherwise remove one of the two configurations."
);

declare_rule!(
    SEVERAL_TARGETS,
    "GW352",
    "backend-tls-several-targets",
    Suspicious,
    Warning,
    "a BackendTLSPolicy has more than one targetRef, which implementations should not support",
    "## What it checks\nBackendTLSPolicies with more than one `targetRefs` entry (also several ports of one Service, each with its `sectionName`).\n\n## Why it matters\nThe schema allows up to 16, but Gateway API (v1.4 and later) says implementations SHOULD NOT support more than one, because conflict resolution and status for several targets are not yet specified. An implementation that follows this rejects the policy or applies it to one target only, so the other backends get no TLS or fail to connect.\n\n## Example\n```yaml\nkind: BackendTLSPolicy\nspec:\n  targetRefs:\n  - {group: \"\", kind: Service, name: payments}\n  - {group: \"\", kind: Service, name: ledger}\n```\n\n## Fix\nWrite one BackendTLSPolicy per target (per Service, or per port with `sectionName`). If your implementation documents support for several targets, suppress the finding on the policy."
);

declare_rule!(
    HOSTNAME_NOT_IN_SANS,
    "GW353",
    "backend-tls-hostname-not-in-sans",
    Suspicious,
    Warning,
    "a BackendTLSPolicy's subjectAltNames leave out its hostname, which then only names the SNI",
    "## What it checks\nBackendTLSPolicies whose `validation.subjectAltNames` are all of type `Hostname` and none matches `validation.hostname` (a SAN `*.example.com` matches one label, as in certificates). A policy with a `URI` SAN (such as a SPIFFE ID) is not judged: there the certificate is meant to be checked against an identity other than the hostname.\n\n## Why it matters\nWith `subjectAltNames` set, `hostname` is sent as the SNI but MUST NOT be used to authenticate the backend: its certificate must carry one of the listed names instead. Writing the backend's own hostname in `hostname` and something else in `subjectAltNames` is a common slip; if the certificate is issued only for the hostname, every connection fails verification and the client gets HTTP 5xx.\n\n## Example\n```yaml\nvalidation:\n  hostname: payments.example.com\n  subjectAltNames:\n  - {type: Hostname, hostname: ledger.example.com}\n```\n\n## Fix\nIf the backend's certificate is issued for the hostname, add it to `subjectAltNames` (`{type: Hostname, hostname: payments.example.com}`); if the SNI and the certificate's name really differ, suppress the finding on the policy."
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
            several_targets(cx, p);
            hostname_not_in_sans(cx, p);
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
            let mut d = cx
                .finding(&CONFLICT, p.object, &p.targets[ti].0.path, false, format!(
                    "{kind} {}/{} and {kind} {}/{} both target {target}; {}/{} takes effect ({}), and this one is not accepted (Conflicted)",
                    p.namespace, p.object.name, winner.namespace, winner.object.name,
                    winner.namespace, winner.object.name, precedence(winner, p)))
                .secondary(cx.label(winner.object, &winner.targets[wt].0.path, "the policy that takes effect"));
            // Only BackendTLSPolicy targets a port (sectionName).
            d.help = Some(if winner.is_tls() {
                "merge the two policies, or give each its own target (a Service, or one of its ports with sectionName)".into()
            } else {
                "merge the two policies, or give each its own Service".into()
            });
            cx.report(d);
        }
    }
    session_overrides(cx);
}

/// Why `winner` takes precedence over `loser` (GEP-713): the older creationTimestamp, then
/// namespace/name. A manifest without a creationTimestamp gets one when it is applied, so it
/// counts as the newest.
fn precedence(winner: &Policy, loser: &Policy) -> String {
    let first_by_name = format!(
        "{}/{} comes first by namespace/name",
        winner.namespace, winner.object.name
    );
    match (winner.created(), loser.created()) {
        (Some(w), Some(l)) if w != l => format!("it is older: created {w}, this one {l}"),
        (Some(w), Some(_)) => format!("both were created at {w}, and {first_by_name}"),
        (Some(w), None) => format!(
            "it was created at {w}, and this one has no creationTimestamp, so it would be created after it"
        ),
        (None, _) => format!("neither has a creationTimestamp, and {first_by_name}"),
    }
}

/// GW352: a BackendTLSPolicy with more than one targetRef.
fn several_targets(cx: &mut Context, p: &Policy) {
    let [_, second, ..] = p.targets.as_slice() else {
        return;
    };
    let mut d = cx.finding(
        &SEVERAL_TARGETS,
        p.object,
        &second.0.path,
        false,
        format!(
            "BackendTLSPolicy {}/{} has {} targetRefs; Gateway API says implementations should not support more than one, so it may be rejected or apply to only one of them",
            p.namespace,
            p.object.name,
            p.targets.len()
        ),
    );
    d.help = Some("write one BackendTLSPolicy per target".into());
    cx.report(d);
}

/// GW353: `subjectAltNames` of type Hostname only, none of which matches `hostname`.
fn hostname_not_in_sans(cx: &mut Context, p: &Policy) {
    let Some(host) = p.hostname.as_deref() else {
        return;
    };
    let sans = &p.subject_alt_names;
    let hostname_only = |n: &SubjectAltName| n.kind.as_deref() == Some("Hostname");
    if sans.is_empty()
        || !sans.iter().all(hostname_only)
        || sans
            .iter()
            .filter_map(|n| n.hostname.as_deref())
            .any(|san| san_matches(san, host))
    {
        return;
    }
    let listed: Vec<String> = sans
        .iter()
        .filter_map(|n| n.hostname.as_deref())
        .map(|h| format!("\"{h}\""))
        .collect();
    let validation = FieldPath::root().key("spec").key("validation");
    let mut d = cx
        .finding(
            &HOSTNAME_NOT_IN_SANS,
            p.object,
            &validation.key("hostname"),
            false,
            format!(
                "hostname \"{host}\" is sent only as the SNI: with subjectAltNames set, the backend's certificate must carry one of them ({}), and no longer \"{host}\"",
                listed.join(", ")
            ),
        )
        .secondary(cx.label(
            p.object,
            &validation.key("subjectAltNames"),
            "the names the certificate is checked against",
        ));
    d.help = Some(
        format!(
            "if the backend's certificate is issued for {host}, add {{type: Hostname, hostname: {host}}} to subjectAltNames"
        )
        .into(),
    );
    cx.report(d);
}

/// Whether a Hostname SAN matches `host` as certificate verification compares them: case
/// does not matter, and a leading `*` stands for exactly one label (RFC 6125), unlike a
/// Gateway API hostname wildcard, which stands for one or more.
fn san_matches(san: &str, host: &str) -> bool {
    let (san, host) = (san.to_ascii_lowercase(), host.to_ascii_lowercase());
    match san.strip_prefix("*.") {
        Some(rest) => host
            .split_once('.')
            .is_some_and(|(label, tail)| !label.is_empty() && tail == rest),
        None => san == host,
    }
}

fn session_overrides(cx: &mut Context) {
    // BackendLBPolicies and XBackendTrafficPolicies with session persistence, by the
    // Services they target.
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
                            "this rule's sessionPersistence overrides {} {}/{} for Service {}/{}",
                            p.object.kind, p.namespace, p.object.name, b.namespace, b.name))
                        .secondary(cx.label(p.object, &FieldPath::root().key("spec").key("sessionPersistence"), "the policy's session persistence"));
                    cx.report(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_san_wildcard_stands_for_one_label() {
        use super::san_matches;
        assert!(san_matches("API.example.com", "api.EXAMPLE.com"));
        assert!(san_matches("*.example.com", "api.example.com"));
        assert!(!san_matches("*.example.com", "a.b.example.com"));
        assert!(!san_matches("*.example.com", "example.com"));
        assert!(!san_matches("api.example.com", "web.example.com"));
    }
}
