//! Routes → backends: every Service backendRef (of a rule, or of a RequestMirror filter)
//! names an existing Service and one of its ports, cross-namespace references are granted,
//! and a rule sends traffic somewhere. Backends of other kinds are implementation-specific
//! and not judged.

use crate::declare_rule;
use crate::fieldpath::FieldPath;
use crate::graph::{BackendProblem, BackendRef, Route};

use super::Context;

declare_rule!(
    SERVICE_NOT_FOUND,
    "GW311",
    "backend-service-not-found",
    Correctness,
    Error,
    reads: ["Service"],
    "a backendRef names a Service that does not exist",
    "## What it checks\nThat every backendRef of kind Service (and every RequestMirror backendRef) names a Service in its namespace.\n\n## Why it matters\nRequests for that backend get HTTP 500 (its share of the traffic, or all of it); mirrored traffic goes nowhere.\n\n## Example\n```yaml\nbackendRefs:\n- name: stor   # the Service is `store`\n  port: 8080\n```\n\n## Fix\nName an existing Service. Without `--complete`, a Service missing from the inputs is a warning."
);

declare_rule!(
    PORT_NOT_FOUND,
    "GW312",
    "backend-port-not-found",
    Correctness,
    Error,
    reads: ["Service"],
    "a backendRef's port is not a port of the Service",
    "## What it checks\nThat the `port` of a Service backendRef is one of the Service's `spec.ports[].port` (the Service port, not the container's targetPort).\n\n## Why it matters\nImplementations mark the reference unresolved and answer HTTP 500 for that backend.\n\n## Example\n```yaml\nbackendRefs:\n- name: store\n  port: 8080   # the Service exposes port 80 (targetPort 8080)\n```\n\n## Fix\nUse the Service's port."
);

declare_rule!(
    NOT_GRANTED,
    "GW313",
    "backend-ref-not-granted",
    Correctness,
    Error,
    reads: ["ReferenceGrant"],
    "a cross-namespace backendRef has no ReferenceGrant",
    "## What it checks\nThat a backendRef to a Service in another namespace is admitted by a ReferenceGrant in that namespace, whose `from` names the route's kind and namespace and whose `to` names Services (and this Service, if it names one). A mesh (GAMMA) route, whose parentRefs are all Services, needs no grant (GEP-1426); a route with a Gateway among its parents does.\n\n## Why it matters\nWithout the grant the reference is refused (`RefNotPermitted`) and the backend gets HTTP 500.\n\n## Example\n```yaml\n# HTTPRoute in `shop`\nbackendRefs:\n- {name: store, namespace: backend, port: 80}\n```\n\n## Fix\nAdd a ReferenceGrant in the Service's namespace:\n```yaml\nkind: ReferenceGrant\nmetadata: {namespace: backend}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]\n  to: [{group: \"\", kind: Service}]\n```"
);

declare_rule!(
    ZERO_WEIGHTS,
    "GW314",
    "all-backends-zero-weight",
    Suspicious,
    Warning,
    "every backendRef of a rule has weight 0, so the rule sends no traffic",
    "## What it checks\nThat a rule with backendRefs gives at least one of them a non-zero weight.\n\n## Why it matters\nWith every weight 0 no backend is chosen, and matching requests get HTTP 500.\n\n## Example\n```yaml\nbackendRefs:\n- {name: blue, port: 80, weight: 0}\n- {name: green, port: 80, weight: 0}\n```\n\n## Fix\nGive the backend that should receive traffic a positive weight (the default is 1)."
);

pub fn check(cx: &mut Context) {
    for route in &cx.graph.routes {
        for rule in &route.rules {
            for b in rule.backends.iter().chain(&rule.mirrors) {
                backend(cx, route, b);
            }
            if !rule.backends.is_empty() && rule.backends.iter().all(|b| b.weight == 0) {
                let d = cx.finding(&ZERO_WEIGHTS, route.object, &rule.path.key("backendRefs"), true,
                    format!("every backendRef of rule {} has weight 0, so requests it matches get HTTP 500", rule.index));
                cx.report(d);
            }
        }
    }
}

fn backend(cx: &mut Context, route: &Route, b: &BackendRef) {
    if !b.is_service() || b.name.is_empty() {
        return;
    }
    let o = route.object;
    let what = if b.mirror {
        "mirror backend"
    } else {
        "backend"
    };
    let problems = cx.graph.backend_problems(route, b);
    if problems.contains(&BackendProblem::NotGranted) {
        let mut d = cx.missing(&NOT_GRANTED, o, &b.path.key("namespace"), format!(
            "{what} Service {}/{} is in another namespace than {} {}/{}, and no ReferenceGrant in \"{}\" allows it",
            b.namespace, b.name, route.kind.as_str(), route.namespace, route.name, b.namespace));
        d.help = Some(format!(
            "add a ReferenceGrant in namespace \"{}\" with from [{{group: gateway.networking.k8s.io, kind: {}, namespace: {}}}] and to [{{group: \"\", kind: Service}}]",
            b.namespace,
            route.kind.as_str(),
            route.namespace
        ).into());
        cx.report(d);
    }
    let Some(svc) = cx
        .graph
        .service(&b.namespace, &b.name)
        .filter(|_| !problems.contains(&BackendProblem::ServiceMissing))
    else {
        let d = cx.missing(
            &SERVICE_NOT_FOUND,
            o,
            &b.path.key("name"),
            format!("{what} Service {}/{} is not defined", b.namespace, b.name),
        );
        cx.report(d);
        return;
    };
    if let Some(p) = b
        .port
        .filter(|_| problems.contains(&BackendProblem::PortMissing))
    {
        let mut d = cx
            .finding(
                &PORT_NOT_FOUND,
                o,
                &b.path.key("port"),
                false,
                format!(
                    "port {p} is not a port of Service {}/{}; its ports are {}",
                    b.namespace,
                    b.name,
                    svc.port_list()
                ),
            )
            .secondary(cx.label(
                svc.object,
                &FieldPath::root().key("spec").key("ports"),
                "ports defined here",
            ));
        if let [(sp, _)] = svc.ports.as_slice() {
            d.help = Some(
                format!(
                    "a backendRef names the Service port ({sp}), not the container's targetPort"
                )
                .into(),
            );
        }
        cx.report(d);
    }
}
