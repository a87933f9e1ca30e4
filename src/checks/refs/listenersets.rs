//! ListenerSets (and XListenerSets) → their Gateway: the Gateway their parentRef names
//! exists and admits them (`spec.allowedListeners`), and each of their listeners merges into
//! the Gateway's without a conflict. The decisions are the graph's ([`crate::graph::Merged`],
//! shared with the simulator); routes attaching to ListenerSet listeners are checked with
//! every other parentRef in [`super::parents`].

use crate::declare_rule;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::graph::{ConflictKind, Graph, ListenerSet, ListenersFrom, Refusal};

use super::Context;

declare_rule!(
    LISTENERSET_GATEWAY_NOT_FOUND,
    "GW340",
    "listenerset-gateway-not-found",
    Correctness,
    Error,
    reads: ["Gateway"],
    "a ListenerSet's parentRef names a Gateway that does not exist",
    "## What it checks\nThat `spec.parentRef` of a ListenerSet (v1.5+) or XListenerSet (v1.3–v1.4, experimental) names a Gateway: in the parentRef's namespace, or the ListenerSet's own when it names none.\n\n## Why it matters\nThe ListenerSet's listeners join no Gateway, so nothing listens on them and the routes attached to them serve no traffic.\n\n## Example\n```yaml\nkind: ListenerSet\nspec:\n  parentRef:\n    name: shared-gw   # the Gateway is in namespace infra\n```\n\n## Fix\nName an existing Gateway, and set `namespace` when it lives in another namespace. Without `--complete`, a Gateway missing from the inputs is a warning."
);

declare_rule!(
    LISTENERSET_NOT_ALLOWED,
    "GW341",
    "listenerset-not-allowed",
    Correctness,
    Error,
    reads: ["Gateway", "Namespace"],
    "a ListenerSet's Gateway does not admit ListenerSets from its namespace",
    "## What it checks\nThat the Gateway a ListenerSet names admits it through `spec.allowedListeners.namespaces.from`: `None` (the default) admits no ListenerSet, `Same` only those in the Gateway's namespace, `All` every namespace, `Selector` the namespaces whose labels match `selector` (every Namespace has the automatic label `kubernetes.io/metadata.name`).\n\nWhen the ListenerSet's Namespace is not in the inputs, only that automatic label is known: if the selector needs other labels, the finding is a warning that says so (an error with `--complete`).\n\n## Why it matters\nThe ListenerSet is not accepted (`NotAllowed`): its listeners are not added to the Gateway, and the routes attached to them serve no traffic.\n\n## Example\n```yaml\nkind: Gateway\nmetadata: {name: shared, namespace: infra}\nspec:\n  listeners: [...]   # no allowedListeners: ListenerSets are not admitted\n---\nkind: ListenerSet\nmetadata: {namespace: team-a}\nspec:\n  parentRef: {name: shared, namespace: infra}\n```\n\n## Fix\nOn the Gateway, set `spec.allowedListeners.namespaces.from` to `Same`, `All` or `Selector` (with a selector matching the ListenerSet's namespace), or label the Namespace to match the selector."
);

declare_rule!(
    LISTENER_CONFLICT,
    "GW342",
    "listener-conflict",
    Correctness,
    Error,
    reads: ["Gateway"],
    "a ListenerSet listener conflicts with a listener that takes precedence on the same Gateway",
    "## What it checks\nThe listeners of a Gateway merged with those of the ListenerSets it admits, in the order the ListenerSet API gives (the Gateway's own, then ListenerSets oldest first by `creationTimestamp`, then by namespace/name): a ListenerSet listener conflicts with an earlier one on the same port when their protocols cannot share it (HTTP with HTTPS, anything with TCP: `ProtocolConflict`), when both have the same protocol and hostname (`HostnameConflict`; HTTPS and TLS, both told apart by SNI, count as one here), or when both are TCP, or both UDP. The finding is on the later listener and names the one that takes precedence. Listener names may repeat across a Gateway and its ListenerSets: that is no conflict.\n\n## Why it matters\nThe conflicted listener is not accepted (`Conflicted: True`) and serves nothing; a ListenerSet all of whose listeners conflict is not accepted at all. Which listener wins depends on creation order, so recreating a ListenerSet can move traffic.\n\n## Example\n```yaml\n# Gateway infra/shared: listener web, HTTP, port 80, hostname shop.example.com\nkind: ListenerSet\nspec:\n  parentRef: {name: shared, namespace: infra}\n  listeners:\n  - {name: shop, protocol: HTTP, port: 80, hostname: shop.example.com}\n```\n\n## Fix\nUse another hostname or port, or remove the duplicate listener and attach the routes to the one that wins."
);

pub fn check(cx: &mut Context) {
    let g: &Graph = cx.graph;
    for (si, set) in g.listener_sets.iter().enumerate() {
        if !set.parent_is_gateway()
            || set.parent.name.is_empty()
            || g.listener_set_index(&set.kind, &set.namespace, &set.name) != Some(si)
        {
            // The CRD allows only a Gateway, by name, and the schema pass reports anything
            // else; a second definition is the loader's to report.
            continue;
        }
        let Some(gi) = g.listener_set_gateway(si) else {
            let p = &set.parent;
            let d = cx.missing(
                &LISTENERSET_GATEWAY_NOT_FOUND,
                set.object,
                &p.path.key("name"),
                format!(
                    "{} {}/{} names Gateway {}/{} as its parent, which is not defined",
                    set.kind, set.namespace, set.name, p.namespace, p.name
                ),
            );
            cx.report(d);
            continue;
        };
        match g.merged(gi).admits(si) {
            Some(Err(refusal)) => not_allowed(cx, gi, set, refusal),
            Some(Ok(())) => conflicts(cx, gi, si),
            None => {}
        }
    }
}

fn not_allowed(cx: &mut Context, gi: usize, set: &ListenerSet, refusal: &Refusal) {
    let gw = &cx.graph.gateways[gi];
    let Refusal::Namespace { why, unlabelled } = refusal else {
        return;
    };
    let mut message = format!(
        "Gateway {}/{} does not admit {} {}/{}: it {why}",
        gw.namespace, gw.name, set.kind, set.namespace, set.name
    );
    if *unlabelled {
        message.push_str(&format!(
            " ({})",
            crate::graph::missing_namespace_note(&set.namespace)
        ));
    }
    let (at, label) = if gw.allowed_listeners.written {
        (
            FieldPath::root().key("spec").key("allowedListeners"),
            "allowedListeners of the Gateway",
        )
    } else {
        (
            FieldPath::root().key("metadata").key("name"),
            "this Gateway sets no spec.allowedListeners",
        )
    };
    let help = match &gw.allowed_listeners.from {
        ListenersFrom::Same => format!(
            "move the {} to namespace \"{}\", or set the Gateway's allowedListeners.namespaces.from to All or Selector",
            set.kind, gw.namespace
        ),
        ListenersFrom::Selector(_) => format!(
            "label Namespace \"{}\" to match the Gateway's allowedListeners selector, or widen the selector",
            set.namespace
        ),
        _ => format!(
            "set the Gateway's spec.allowedListeners.namespaces.from to Same, All or Selector so that it admits namespace \"{}\"",
            set.namespace
        ),
    };
    let mut d = cx
        .finding(
            &LISTENERSET_NOT_ALLOWED,
            set.object,
            &set.parent.path,
            false,
            message,
        )
        .secondary(cx.label(gw.object, &at, label))
        .help(help);
    if *unlabelled && !cx.complete {
        d.severity = Severity::Warning;
        d.help = Some(
            format!(
                "if Namespace \"{}\" has labels matching the selector in the cluster this is fine; add the Namespace to the inputs, or lint with --complete when the inputs are the whole state",
                set.namespace
            )
            .into(),
        );
    }
    cx.report(d);
}

/// GW342 for every conflicted listener of ListenerSet `si` on Gateway `gi`.
fn conflicts(cx: &mut Context, gi: usize, si: usize) {
    let g = cx.graph;
    let merged = g.merged(gi);
    let set = &g.listener_sets[si];
    for ml in merged.listeners.iter().filter(|ml| ml.set == Some(si)) {
        let Some(c) = ml.conflict else { continue };
        let l = &set.listeners[ml.index];
        let winner = &merged.listeners[c.with];
        let w = g.listener(gi, c.with);
        let (owner, owner_object, why_first) = match winner.set {
            None => {
                let gw = &g.gateways[gi];
                (
                    format!("Gateway {}/{}", gw.namespace, gw.name),
                    gw.object,
                    "as a Gateway's own listener".to_owned(),
                )
            }
            Some(ws) if ws == si => (
                format!("the same {}", set.kind),
                set.object,
                "as it comes first in the list".to_owned(),
            ),
            Some(ws) => {
                let other = &g.listener_sets[ws];
                (
                    format!("{} {}/{}", other.kind, other.namespace, other.name),
                    other.object,
                    match (other.created(), set.created()) {
                        (Some(a), Some(b)) if a != b => {
                            format!("as the older one (created {a}, this one {b})")
                        }
                        (Some(a), None) => format!(
                            "as the one created first (creationTimestamp {a}; this one has none yet)"
                        ),
                        _ => "as the first by namespace/name (neither is older)".to_owned(),
                    },
                )
            }
        };
        let (what, field) = match c.kind {
            ConflictKind::Protocol => (
                format!(
                    "both use port {}, where {} and {} cannot share it (ProtocolConflict)",
                    l.port.unwrap_or_default(),
                    w.protocol,
                    l.protocol
                ),
                "protocol",
            ),
            ConflictKind::Hostname => (
                format!(
                    "both use port {} for hostname \"{}\" (HostnameConflict)",
                    l.port.unwrap_or_default(),
                    l.hostname.as_deref().unwrap_or("*")
                ),
                if l.hostname.is_some() {
                    "hostname"
                } else {
                    "port"
                },
            ),
            ConflictKind::Port => (
                format!(
                    "both are {} listeners on port {}, which only their port tells apart",
                    l.protocol,
                    l.port.unwrap_or_default()
                ),
                "port",
            ),
        };
        let d = cx
            .finding(
                &LISTENER_CONFLICT,
                set.object,
                &l.path.key(field),
                false,
                format!(
                    "listener \"{}\" of {} {}/{} conflicts with listener \"{}\" of {owner}: {what}, and that one takes precedence {why_first}, so this one is not served",
                    l.name, set.kind, set.namespace, set.name, w.name
                ),
            )
            .secondary(cx.label(
                owner_object,
                &w.path.key("name"),
                format!("listener \"{}\" takes precedence", w.name),
            ))
            .help("use another hostname or port for this listener, or remove it and attach its routes to the listener that takes precedence");
        cx.report(d);
    }
}
