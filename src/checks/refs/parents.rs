//! Routes → parents: does every parentRef reach a listener of a Gateway or ListenerSet (or a
//! mesh Service) that accepts the route? Uses [`crate::graph::attach`] (through
//! [`crate::graph::Graph::attachment`]), the same decision the simulator makes. A parentRef
//! to a ListenerSet is checked as one to a Gateway is, against the ListenerSet's listeners;
//! whether its Gateway admits the ListenerSet is [`super::listenersets`]'s to report, and
//! here only explains why a route attached to it gets no traffic.

use crate::declare_rule;
use crate::diag::{Diagnostic, RuleMeta, Severity};
use crate::graph::{Attachment, ParentRef, Refusal, Route};
use crate::model::Object;

use super::Context;

declare_rule!(
    GATEWAY_NOT_FOUND,
    "GW301",
    "parent-gateway-not-found",
    Correctness,
    Error,
    reads: ["Gateway"],
    "a route's parentRef names a Gateway that does not exist",
    "## What it checks\nThat every parentRef of kind Gateway names a Gateway (in the parentRef's namespace, or the route's own).\n\n## Why it matters\nThe route attaches to nothing and serves no traffic; its status says nothing useful until the Gateway appears.\n\n## Example\n```yaml\nkind: HTTPRoute\nspec:\n  parentRefs:\n  - name: web-gw   # the Gateway is called `web`\n```\n\n## Fix\nName an existing Gateway, and set `namespace` when it lives in another namespace. Without `--complete`, a Gateway missing from the inputs is a warning."
);

declare_rule!(
    SECTION_NOT_FOUND,
    "GW302",
    "parent-section-not-found",
    Correctness,
    Error,
    reads: ["Gateway"],
    "a parentRef's sectionName names no listener of the Gateway",
    "## What it checks\nThat `sectionName` in a parentRef to a Gateway names one of its listeners.\n\n## Why it matters\nThe route attaches to nothing through this parentRef.\n\n## Example\n```yaml\nparentRefs:\n- name: web\n  sectionName: https   # the listeners are `http` and `tls`\n```\n\n## Fix\nUse a listener's `name`, or drop `sectionName` to attach to every listener that accepts the route."
);

declare_rule!(
    PORT_NOT_FOUND,
    "GW303",
    "parent-port-not-found",
    Correctness,
    Error,
    reads: ["Gateway"],
    "a parentRef's port matches no listener of the Gateway",
    "## What it checks\nThat `port` in a parentRef to a Gateway is the port of at least one listener.\n\n## Why it matters\nThe route attaches to nothing through this parentRef.\n\n## Example\n```yaml\nparentRefs:\n- name: web\n  port: 8443   # the Gateway listens on 80 and 443\n```\n\n## Fix\nUse a listener's port, or drop `port`. Upstream advises setting it only when the route's behaviour depends on the port."
);

declare_rule!(
    SECTION_PORT_MISMATCH,
    "GW304",
    "parent-section-port-mismatch",
    Correctness,
    Error,
    reads: ["Gateway"],
    "a parentRef sets sectionName and port, and no listener has both",
    "## What it checks\nThat when a parentRef sets both `sectionName` and `port`, the named listener listens on that port.\n\n## Why it matters\nBoth must match the same listener; otherwise the route attaches to nothing through this parentRef.\n\n## Example\n```yaml\nparentRefs:\n- name: web\n  sectionName: https\n  port: 80   # listener `https` is on 443\n```\n\n## Fix\nCorrect the port, or drop one of the two fields."
);

declare_rule!(
    PROTOCOL_REJECTS_KIND,
    "GW305",
    "listener-rejects-route-kind",
    Correctness,
    Error,
    reads: ["Gateway"],
    "the listener a parentRef selects does not carry this kind of route",
    "## What it checks\nThat the listener selected by `sectionName` (or the only one on `port`) accepts the route's kind: HTTP and HTTPS listeners carry HTTPRoutes and GRPCRoutes, TLS listeners TLSRoutes (and in `Terminate` mode also TCPRoutes; `Passthrough` carries only TLSRoutes), TCP listeners TCPRoutes, UDP listeners UDPRoutes; and `allowedRoutes.kinds`, when set, lists the kind.\n\n## Why it matters\nThe listener refuses the route (`NotAllowedByListeners`).\n\n## Example\n```yaml\n# listener `tls` has protocol TLS\nkind: HTTPRoute\nspec:\n  parentRefs:\n  - {name: web, sectionName: tls}\n```\n\n## Fix\nAttach to a listener whose protocol carries the route kind, or use the route kind the listener carries."
);

declare_rule!(
    NAMESPACE_NOT_ALLOWED,
    "GW306",
    "route-namespace-not-allowed",
    Correctness,
    Error,
    reads: ["Gateway", "Namespace"],
    "the selected listener's allowedRoutes does not admit the route's namespace",
    "## What it checks\nThat `allowedRoutes.namespaces` of the listener selected by `sectionName` (or the only one on `port`) admits the route's namespace: `Same` (the default) admits only the Gateway's namespace, `All` every namespace, `Selector` the namespaces whose labels match (every Namespace has the automatic label `kubernetes.io/metadata.name`).\n\nWhen the route's Namespace object is not in the inputs, only that automatic label is known. If the selector fails on it, the finding is an error; if the selector needs other labels, the Namespace may have them in the cluster, so the finding is a warning that says the Namespace is not in the inputs, as for every other missing object (an error with `--complete`).\n\n## Why it matters\nThe listener refuses the route (`NotAllowedByListeners`). This is the most common reason a cross-namespace route gets no traffic.\n\n## Example\n```yaml\n# Gateway `infra/web`, listener `http` with the default allowedRoutes\nkind: HTTPRoute\nmetadata: {namespace: shop}\nspec:\n  parentRefs:\n  - {name: web, namespace: infra, sectionName: http}\n```\n\n## Fix\nAllow the namespace on the listener (`from: All`, or a `Selector` matching its labels), or label the Namespace to match the selector. For the warning: add the Namespace manifest to the inputs."
);

declare_rule!(
    HOSTNAME_MISMATCH,
    "GW307",
    "route-hostname-mismatch",
    Correctness,
    Error,
    reads: ["Gateway"],
    "none of the route's hostnames matches the selected listener's hostname",
    "## What it checks\nThat at least one of the route's `hostnames` intersects the hostname of the listener selected by `sectionName` (or the only one on `port`). A listener without a hostname, and a route without hostnames, match every host; `*.example.com` matches `a.example.com` and `a.b.example.com` but not `example.com`.\n\n## Why it matters\nThe listener refuses the route (`NoMatchingListenerHostname`).\n\n## Example\n```yaml\n# listener hostname: \"*.example.com\"\nspec:\n  hostnames: [example.com]\n```\n\n## Fix\nUse a hostname the listener serves, or widen the listener's hostname."
);

declare_rule!(
    NOT_ATTACHED,
    "GW308",
    "route-not-attached",
    Correctness,
    Error,
    reads: ["Gateway", "Namespace"],
    "no listener of the parent Gateway accepts the route",
    "## What it checks\nThat through each parentRef to a Gateway, at least one listener accepts the route. The finding lists every candidate listener and why it refused.\n\nWhen some listener refused only because its `Selector` needs labels of the route's Namespace and that Namespace is not in the inputs (only its automatic `kubernetes.io/metadata.name` label is known), the Namespace may have them in the cluster: the finding is a warning that says the Namespace is not in the inputs, as for every other missing object (an error with `--complete`). A listener that would refuse the route anyway (its hostname matches none of the route's) gives that reason instead.\n\n## Why it matters\nA route that attaches nowhere serves no traffic, and the reason is spread over several objects.\n\n## Example\n```yaml\n# Gateway `web`: listener `http` (allowedRoutes from Same), listener `tls` (protocol TLS)\nkind: HTTPRoute\nmetadata: {namespace: shop}\nspec:\n  parentRefs: [{name: web, namespace: infra}]\n```\n\n## Fix\nChange the route or a listener as the per-listener reasons say. For the warning: add the Namespace manifest to the inputs."
);

declare_rule!(
    SERVICE_PARENT_NOT_FOUND,
    "GW309",
    "parent-service-not-found",
    Correctness,
    Error,
    reads: ["Service"],
    "a route's parentRef names a Service that does not exist",
    "## What it checks\nThat a parentRef of kind Service (a mesh route, GAMMA) names an existing Service.\n\n## Why it matters\nThe mesh has nothing to apply the route to.\n\n## Example\n```yaml\nparentRefs:\n- {group: \"\", kind: Service, name: checkout}\n```\n\n## Fix\nName an existing Service (in the parentRef's namespace, or the route's own)."
);

declare_rule!(
    SERVICE_PARENT_PORT,
    "GW310",
    "parent-service-port-not-found",
    Correctness,
    Error,
    reads: ["Service"],
    "a mesh route's parentRef port is not a port of the Service",
    "## What it checks\nThat `port` in a parentRef to a Service is one of the Service's ports.\n\n## Why it matters\nThe route applies to traffic on that port only, and the Service receives none there.\n\n## Example\n```yaml\nparentRefs:\n- {group: \"\", kind: Service, name: checkout, port: 8080}   # the Service has port 80\n```\n\n## Fix\nUse one of the Service's ports, or drop `port` to cover every port."
);

declare_rule!(
    LISTENERSET_NOT_FOUND,
    "GW343",
    "parent-listenerset-not-found",
    Correctness,
    Error,
    reads: ["ListenerSet", "XListenerSet"],
    "a route's parentRef names a ListenerSet that does not exist",
    "## What it checks\nThat every parentRef of kind ListenerSet (group `gateway.networking.k8s.io`, v1.5+) or XListenerSet (group `gateway.networking.x-k8s.io`, v1.3–v1.4) names one, in the parentRef's namespace or the route's own.\n\n## Why it matters\nThe route attaches to nothing through this parentRef: a parentRef to a ListenerSet reaches only that ListenerSet's listeners, never its Gateway's.\n\n## Example\n```yaml\nparentRefs:\n- {group: gateway.networking.k8s.io, kind: ListenerSet, name: team-a-listeners}\n```\n\n## Fix\nName an existing ListenerSet (with `namespace` when it is in another namespace), or attach to the Gateway. Without `--complete`, a ListenerSet missing from the inputs is a warning."
);

pub fn check(cx: &mut Context) {
    for (ri, route) in cx.graph.routes.iter().enumerate() {
        for parent in &route.parents {
            if parent.is_gateway() {
                gateway_parent(cx, ri, route, parent);
            } else if parent.is_listener_set() {
                listener_set_parent(cx, ri, route, parent);
            } else if parent.is_service() {
                service_parent(cx, route, parent);
            }
        }
    }
}

/// The Gateway or ListenerSet whose listeners a parentRef reaches, as findings name it
/// (`Gateway infra/web`, `ListenerSet team-a/extra`) and label it.
struct Parent<'g> {
    what: String,
    object: &'g Object,
}

fn gateway_parent(cx: &mut Context, ri: usize, route: &Route, parent: &ParentRef) {
    let Some(att) = cx.graph.attachment(ri, parent.index) else {
        missing_parent(cx, &GATEWAY_NOT_FOUND, route, parent);
        return;
    };
    let gw = &cx.graph.gateways[att.gateway];
    let p = Parent {
        what: format!("Gateway {}/{}", gw.namespace, gw.name),
        object: gw.object,
    };
    listeners_parent(cx, route, parent, att, &p);
}

fn listener_set_parent(cx: &mut Context, ri: usize, route: &Route, parent: &ParentRef) {
    let g = cx.graph;
    let Some(si) = g.listener_set_index(&parent.kind, &parent.namespace, &parent.name) else {
        missing_parent(cx, &LISTENERSET_NOT_FOUND, route, parent);
        return;
    };
    // No attachment: the ListenerSet's Gateway is not in the inputs, which GW340 reports on
    // the ListenerSet.
    let Some(att) = g.attachment(ri, parent.index) else {
        return;
    };
    let set = &g.listener_sets[si];
    if let Some((_, Err(Refusal::Namespace { why, unlabelled }))) = &att.listener_set {
        let gw = &g.gateways[att.gateway];
        let mut message = format!(
            "{} {}/{} is not admitted by Gateway {}/{}, which {why}, so no listener takes {} {}/{} through it",
            set.kind,
            set.namespace,
            set.name,
            gw.namespace,
            gw.name,
            route.kind.as_str(),
            route.namespace,
            route.name
        );
        if *unlabelled {
            message.push_str(&format!(
                " ({})",
                crate::graph::missing_namespace_note(&set.namespace)
            ));
        }
        let mut d = cx
            .finding(&NOT_ATTACHED, route.object, &parent.path, false, message)
            .secondary(cx.label(set.object, &set.parent.path, "its parentRef"))
            .help("let the Gateway admit the ListenerSet (spec.allowedListeners), or attach the route to a parent that takes it");
        if *unlabelled && !cx.complete {
            d.severity = Severity::Warning;
        }
        cx.report(d);
        return;
    }
    let p = Parent {
        what: format!("{} {}/{}", set.kind, set.namespace, set.name),
        object: set.object,
    };
    listeners_parent(cx, route, parent, att, &p);
}

/// A parentRef to a Gateway's or ListenerSet's listeners: sectionName and port name one of
/// them, and one of those selected accepts the route.
fn listeners_parent(
    cx: &mut Context,
    route: &Route,
    parent: &ParentRef,
    att: &Attachment,
    p: &Parent,
) {
    let o = route.object;
    let g = cx.graph;
    let listeners: Vec<&crate::graph::Listener> = att
        .listeners
        .iter()
        .map(|(mi, _)| g.listener(att.gateway, *mi))
        .collect();
    let names: Vec<&str> = listeners.iter().map(|l| l.name.as_str()).collect();
    let section_exists = parent
        .section_name
        .as_ref()
        .is_none_or(|s| names.contains(&s.as_str()));
    let port_exists = parent
        .port
        .is_none_or(|port| listeners.iter().any(|l| l.port == Some(port)));
    if !section_exists {
        let s = parent.section_name.as_deref().unwrap_or_default();
        let d = cx
            .finding(
                &SECTION_NOT_FOUND,
                o,
                &parent.path.key("sectionName"),
                false,
                format!(
                    "sectionName \"{s}\" names no listener of {}; its listeners are {}",
                    p.what,
                    quoted(&names)
                ),
            )
            .secondary(cx.label(p.object, &gw_listeners_path(), "listeners defined here"));
        cx.report(d);
        return;
    }
    if !port_exists {
        let port = parent.port.unwrap_or_default();
        let ports: Vec<String> = listeners
            .iter()
            .filter_map(|l| l.port.map(|p| p.to_string()))
            .collect();
        let d = cx
            .finding(
                &PORT_NOT_FOUND,
                o,
                &parent.path.key("port"),
                false,
                format!(
                    "port {port} matches no listener of {}; it listens on {}",
                    p.what,
                    ports.join(", ")
                ),
            )
            .secondary(cx.label(p.object, &gw_listeners_path(), "listeners defined here"));
        cx.report(d);
        return;
    }
    let candidates: Vec<&(usize, Result<(), Refusal>)> = att
        .listeners
        .iter()
        .filter(|(_, r)| !matches!(r, Err(Refusal::SectionName | Refusal::Port)))
        .collect();
    if candidates.is_empty() {
        let s = parent.section_name.as_deref().unwrap_or_default();
        let port = parent.port.unwrap_or_default();
        let d = cx.finding(
            &SECTION_PORT_MISMATCH,
            o,
            &parent.path,
            false,
            format!(
                "listener \"{s}\" of {} does not listen on port {port}",
                p.what
            ),
        );
        cx.report(d);
        return;
    }
    if att.accepted().next().is_some() {
        return;
    }
    report_refusals(cx, route, parent, att, p, &candidates);
}

/// No candidate accepted the route: one specific finding when the parentRef singled out
/// one listener, otherwise a summary with every candidate's reason.
fn report_refusals(
    cx: &mut Context,
    route: &Route,
    parent: &ParentRef,
    att: &Attachment,
    p: &Parent,
    candidates: &[&(usize, Result<(), Refusal>)],
) {
    let o = route.object;
    let g = cx.graph;
    if let [(li, Err(refusal))] = candidates {
        let l = g.listener(att.gateway, *li);
        let (meta, path): (&RuleMeta, _) = match refusal {
            Refusal::Protocol | Refusal::Kind => (&PROTOCOL_REJECTS_KIND, parent.path.clone()),
            Refusal::Namespace { .. } => (&NAMESPACE_NOT_ALLOWED, parent.path.clone()),
            Refusal::Hostname => (&HOSTNAME_MISMATCH, route_hostnames_path(route, parent)),
            Refusal::SectionName | Refusal::Port => return,
        };
        let mut d: Diagnostic = cx
            .finding(
                meta,
                o,
                &path,
                false,
                format!(
                    "listener \"{}\" of {} refuses {} {}/{}: it {}",
                    l.name,
                    p.what,
                    route.kind.as_str(),
                    route.namespace,
                    route.name,
                    refusal.describe(route, l)
                ),
            )
            .secondary(cx.label(
                p.object,
                &l.path.key("name"),
                format!("listener \"{}\"", l.name),
            ));
        d.help = Some(help_for(refusal).into());
        if let Refusal::Namespace {
            unlabelled: true, ..
        } = refusal
            && !cx.complete
        {
            // The Namespace is missing from the inputs, not known to be wrongly labelled: a
            // warning, as for every other object that is not in them.
            d.severity = Severity::Warning;
            d.help = Some(unlabelled_help(route).into());
        }
        cx.report(d);
        return;
    }
    not_attached(cx, route, parent, att, p, candidates);
}

/// GW308: several candidate listeners, none accepts the route. When some refused only
/// because the route's Namespace is not in the inputs (its labels in the cluster could
/// admit it), the route may well attach: a warning without `--complete`, as GW306 is.
fn not_attached(
    cx: &mut Context,
    route: &Route,
    parent: &ParentRef,
    att: &Attachment,
    p: &Parent,
    candidates: &[&(usize, Result<(), Refusal>)],
) {
    let g = cx.graph;
    let mut reasons = Vec::new();
    let mut unlabelled = false;
    for (li, r) in candidates {
        if let Err(refusal) = r {
            let l = g.listener(att.gateway, *li);
            let why = match refusal {
                // Said once for the whole finding below, not once per listener.
                Refusal::Namespace {
                    why,
                    unlabelled: true,
                } => {
                    unlabelled = true;
                    why.clone()
                }
                other => other.describe(route, l),
            };
            let reason = format!("\"{}\" {why}", l.name);
            // Listeners with the same name (which the schema reports) refusing for the same
            // reason would otherwise say it twice.
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    let mut message = format!(
        "no listener of {} accepts {} {}/{}: {}",
        p.what,
        route.kind.as_str(),
        route.namespace,
        route.name,
        reasons.join("; ")
    );
    if unlabelled {
        message.push_str(&format!(
            "; {}",
            crate::graph::missing_namespace_note(&route.namespace)
        ));
    }
    let mut d = cx
        .finding(&NOT_ATTACHED, route.object, &parent.path, false, message)
        .secondary(cx.label(p.object, &gw_listeners_path(), "listeners defined here"));
    if unlabelled && !cx.complete {
        d.severity = Severity::Warning;
        d.help = Some(unlabelled_help(route).into());
    }
    cx.report(d);
}

/// The help of a refusal that holds only while the route's Namespace is not in the inputs.
fn unlabelled_help(route: &Route) -> String {
    format!(
        "if Namespace \"{}\" has labels matching the selector in the cluster this is fine; add the Namespace to the inputs, or lint with --complete when the inputs are the whole state",
        route.namespace
    )
}

fn help_for(r: &Refusal) -> &'static str {
    match r {
        Refusal::Protocol | Refusal::Kind => {
            "attach to a listener whose protocol (and allowedRoutes.kinds) carries this route kind"
        }
        Refusal::Namespace { .. } => {
            "allow the route's namespace in the listener's allowedRoutes.namespaces, or label the Namespace to match its selector"
        }
        Refusal::Hostname => "use a hostname the listener serves, or widen the listener's hostname",
        _ => "",
    }
}

/// A parentRef to a Gateway or Service that is not in the inputs.
fn missing_parent(cx: &mut Context, meta: &'static RuleMeta, route: &Route, parent: &ParentRef) {
    let message = format!(
        "{} {}/{} has a parentRef to {} {}/{}, which is not defined",
        route.kind.as_str(),
        route.namespace,
        route.name,
        parent.kind,
        parent.namespace,
        parent.name
    );
    let d = cx.missing(meta, route.object, &parent.path.key("name"), message);
    cx.report(d);
}

fn service_parent(cx: &mut Context, route: &Route, parent: &ParentRef) {
    let o = route.object;
    let Some(svc) = cx.graph.service(&parent.namespace, &parent.name) else {
        missing_parent(cx, &SERVICE_PARENT_NOT_FOUND, route, parent);
        return;
    };
    if let Some(p) = parent.port
        && !svc.has_port(p)
    {
        let d = cx
            .finding(
                &SERVICE_PARENT_PORT,
                o,
                &parent.path.key("port"),
                false,
                format!(
                    "port {p} is not a port of Service {}/{}; its ports are {}",
                    parent.namespace,
                    parent.name,
                    svc.port_list()
                ),
            )
            .secondary(cx.label(
                svc.object,
                &crate::fieldpath::FieldPath::root().key("spec").key("ports"),
                "ports defined here",
            ));
        cx.report(d);
    }
}

fn gw_listeners_path() -> crate::fieldpath::FieldPath {
    crate::fieldpath::FieldPath::root()
        .key("spec")
        .key("listeners")
}

fn route_hostnames_path(route: &Route, parent: &ParentRef) -> crate::fieldpath::FieldPath {
    if route.hostnames.is_empty() {
        parent.path.clone()
    } else {
        crate::fieldpath::FieldPath::root()
            .key("spec")
            .key("hostnames")
    }
}

fn quoted(v: &[&str]) -> String {
    v.iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
