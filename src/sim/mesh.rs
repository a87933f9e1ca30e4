//! Where a mesh (GAMMA) request to a Service goes: the Service port, the producer and
//! consumer routes that apply to the caller, and the Service itself when none does.
//!
//! Owns the mesh half of the simulation up to the point where routes compete (GEP-1426).

use super::backends::Backend;
use super::{Arena, Count, Distribution, MAX_REQUESTS, MeshTarget, Options, Outcome};
use super::{RouteId, SimError, Trace, Unattached, routes_in_order, spec};
use crate::graph::{Graph, ParentRef, RouteKind, Service};

pub(super) fn mesh_parents<'g, 'a>(
    graph: &'g Graph<'a>,
    t: &mut Trace,
    ns: &str,
    name: &str,
    port: u16,
    opts: &Options,
    kind: RouteKind,
) -> Result<Option<Arena<'g, 'a>>, SimError> {
    let svc: Option<&Service> = graph.service(ns, name);
    let is_parent = |p: &ParentRef| p.is_service() && p.namespace == ns && p.name == name;
    let named = graph
        .routes
        .iter()
        .any(|r| r.parents.iter().any(&is_parent));
    if svc.is_none() && !named {
        return Err(SimError(format!(
            "Service {ns}/{name} is not in the inputs and no route names it as a parent"
        )));
    }
    t.service = Some(MeshTarget {
        namespace: ns.to_owned(),
        name: name.to_owned(),
        port,
        from_namespace: opts.from_namespace.clone(),
    });
    t.involve("Service", ns, name);
    let port_name = match svc {
        Some(s) => {
            if !s.has_port(i64::from(port)) {
                t.outcome = Outcome::NoListener;
                t.step(
                    "mesh",
                    Some(spec::MESH),
                    format!(
                        "Service {ns}/{name} has no port {port} (its ports: {}), so the connection is refused",
                        s.port_list()
                    ),
                );
                return Ok(None);
            }
            if s.cluster_ip.as_deref() == Some("None") {
                t.step(
                    "mesh",
                    Some(spec::MESH),
                    format!(
                        "Service {ns}/{name} is headless (clusterIP: None); GEP-1426 says routes SHOULD NOT use headless Services as parents, so an implementation may not apply them"
                    ),
                );
            }
            s.ports
                .iter()
                .find(|(p, _)| *p == i64::from(port))
                .and_then(|(_, n)| n.clone())
        }
        None => {
            t.step(
                "mesh",
                Some(spec::MESH),
                format!(
                    "Service {ns}/{name} is not in the inputs; gwctl assumes it exists with port {port}"
                ),
            );
            None
        }
    };
    let mut producer = Vec::new();
    let mut consumer = Vec::new();
    let mut unattached = Vec::new();
    for route in routes_in_order(graph, kind) {
        let mut refused = Vec::new();
        let mut applies = false;
        for parent in route.parents.iter().filter(|p| is_parent(p)) {
            if let Some(p) = parent.port
                && p != i64::from(port)
            {
                refused.push(Unattached {
                    route: RouteId::of(route),
                    parent_ref: parent.index,
                    reason: format!("its parentRef names port {p}, not {port}"),
                });
                continue;
            }
            if let Some(sn) = &parent.section_name
                && port_name.as_deref() != Some(sn.as_str())
            {
                refused.push(Unattached {
                    route: RouteId::of(route),
                    parent_ref: parent.index,
                    reason: format!(
                        "its parentRef names Service port \"{sn}\", and port {port} is {}",
                        port_name
                            .as_deref()
                            .map_or("unnamed".into(), |n| format!("\"{n}\""))
                    ),
                });
                continue;
            }
            if route.namespace == ns {
                producer.push(route);
            } else if route.namespace == opts.from_namespace {
                consumer.push(route);
            } else {
                refused.push(Unattached {
                    route: RouteId::of(route),
                    parent_ref: parent.index,
                    reason: format!(
                        "it is a consumer route in namespace \"{}\", and applies only to callers there, not to callers in \"{}\"",
                        route.namespace, opts.from_namespace
                    ),
                });
                continue;
            }
            applies = true;
            break;
        }
        if !applies {
            unattached.extend(refused.into_iter().take(1));
        }
    }
    t.unattached = unattached;
    if kind == RouteKind::Http {
        // GEP-1426: on one Service port, GRPCRoute takes precedence over HTTPRoute.
        let grpc: Vec<String> = graph
            .routes
            .iter()
            .filter(|r| r.kind == RouteKind::Grpc)
            .filter(|r| r.namespace == ns || r.namespace == opts.from_namespace)
            .filter(|r| {
                r.parents
                    .iter()
                    .any(|p| is_parent(p) && p.port.is_none_or(|p| p == i64::from(port)))
            })
            .map(|r| RouteId::of(r).to_string())
            .collect();
        let http_applies = !producer.is_empty() || !consumer.is_empty();
        if !grpc.is_empty() && http_applies {
            t.step(
                "mesh",
                Some(spec::MESH),
                format!(
                    "{} also bind{} this Service port; GEP-1426 gives GRPCRoute precedence over HTTPRoute there, so an implementation may reject these HTTPRoutes as Conflicted (simulate with --grpc to see the GRPCRoute's answer)",
                    grpc.join(", "),
                    if grpc.len() == 1 { "s" } else { "" }
                ),
            );
        }
    }
    for r in producer.iter().chain(&consumer) {
        t.involve(r.kind.as_str(), &r.namespace, &r.name);
    }
    for u in t.unattached.clone() {
        t.involve(&u.route.kind, &u.route.namespace, &u.route.name);
    }
    for u in t.unattached.clone() {
        t.step(
            "attach",
            Some(spec::MESH),
            format!("{} does not apply: {}", u.route, u.reason),
        );
    }
    let routes = if !consumer.is_empty() {
        t.step(
            "mesh",
            Some(spec::MESH),
            format!(
                "{} consumer route{} from the caller's namespace \"{}\" appl{}; producer routes are not consulted{}",
                consumer.len(),
                if consumer.len() == 1 { "" } else { "s" },
                opts.from_namespace,
                if consumer.len() == 1 { "ies" } else { "y" },
                if producer.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({} skipped)",
                        producer
                            .iter()
                            .map(|r| RouteId::of(r).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
        );
        consumer
    } else {
        t.step(
            "mesh",
            Some(spec::MESH),
            format!(
                "{} producer route{} in the Service's namespace \"{ns}\" appl{} to callers from \"{}\"",
                producer.len(),
                if producer.len() == 1 { "" } else { "s" },
                if producer.len() == 1 { "ies" } else { "y" },
                opts.from_namespace
            ),
        );
        producer
    };
    if routes.is_empty() {
        t.outcome = Outcome::MeshDefault;
        t.status = Some(200);
        t.step(
            "mesh",
            Some(spec::MESH_DEFAULT),
            format!(
                "no {} applies to Service {ns}/{name} port {port}; the request goes to the Service itself",
                kind.as_str()
            ),
        );
        let b = Backend {
            kind: "Service".into(),
            namespace: ns.to_owned(),
            name: name.to_owned(),
            port: Some(i64::from(port)),
            weight: 1,
            probability: 1.0,
            valid: true,
            note: svc
                .is_none()
                .then(|| format!("Service {ns}/{name} is not in the inputs; assumed to exist")),
        };
        t.backends.push(b);
        t.forwarded.backend = Some(0);
        if opts.requests > 0 {
            let n = opts.requests.min(MAX_REQUESTS);
            t.distribution = Some(Distribution {
                requests: n,
                seed: opts.seed,
                capped: opts.requests > MAX_REQUESTS,
                counts: vec![Count {
                    backend: Some(0),
                    name: format!("{ns}/{name}:{port}"),
                    count: n,
                }],
            });
        }
        return Ok(None);
    }
    Ok(Some(Arena {
        routes: routes.into_iter().map(|r| (r, None)).collect(),
        port,
        mesh: true,
    }))
}
