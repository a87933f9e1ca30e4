//! Where a mesh (GAMMA) request to a Service goes: the Service port, the producer and
//! consumer routes that apply to the caller, and the Service itself when none does.
//!
//! Owns the mesh half of the simulation up to the point where routes compete (GEP-1426).
//! Each stage records its [`Step`]s; a stage that ends the simulation sets the outcome.

use super::backends::Backend;
use super::step::{MeshStep, Step};
use super::{Arena, Count, Distribution, MAX_REQUESTS, MeshTarget, NsName, Options, Outcome};
use super::{RouteId, SimError, Trace, Unattached, routes_in_order};
use crate::graph::{Graph, ParentRef, Route, RouteKind, Service};

/// The Service port a mesh request goes to.
struct Target<'s> {
    ns: &'s str,
    name: &'s str,
    port: u16,
}

impl Target<'_> {
    fn is_parent(&self, p: &ParentRef) -> bool {
        p.is_service() && p.namespace == self.ns && p.name == self.name
    }

    fn service(&self) -> NsName {
        NsName {
            namespace: self.ns.to_owned(),
            name: self.name.to_owned(),
        }
    }
}

pub(super) fn mesh_parents<'g, 'a>(
    graph: &'g Graph<'a>,
    t: &mut Trace,
    ns: &str,
    name: &str,
    port: u16,
    opts: &Options,
    kind: RouteKind,
) -> Result<Option<Arena<'g, 'a>>, SimError> {
    let target = Target { ns, name, port };
    let svc: Option<&Service> = graph.service(ns, name);
    let named = graph
        .routes
        .iter()
        .any(|r| r.parents.iter().any(|p| target.is_parent(p)));
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
    let Some(port_name) = service_port(t, &target, svc) else {
        return Ok(None);
    };
    let (producer, consumer) =
        applicable_routes(graph, t, &target, port_name.as_deref(), opts, kind);
    if kind == RouteKind::Http {
        let http_applies = !producer.is_empty() || !consumer.is_empty();
        grpc_conflict(graph, t, &target, opts, http_applies);
    }
    for r in producer.iter().chain(&consumer) {
        t.involve(r.kind.as_str(), &r.namespace, &r.name);
    }
    for u in t.unattached.clone() {
        t.involve(&u.route.kind, &u.route.namespace, &u.route.name);
    }
    for u in t.unattached.clone() {
        t.step(Step::Mesh(MeshStep::NotApplied {
            route: u.route,
            reason: u.reason,
        }));
    }
    let routes = if !consumer.is_empty() {
        t.step(Step::Mesh(MeshStep::ConsumerRoutes {
            count: consumer.len(),
            from_namespace: opts.from_namespace.clone(),
            skipped: producer.iter().map(|r| RouteId::of(r)).collect(),
        }));
        consumer
    } else {
        t.step(Step::Mesh(MeshStep::ProducerRoutes {
            count: producer.len(),
            namespace: ns.to_owned(),
            from_namespace: opts.from_namespace.clone(),
        }));
        producer
    };
    if routes.is_empty() {
        service_itself(t, &target, svc, opts, kind);
        return Ok(None);
    }
    Ok(Some(Arena {
        routes: routes.into_iter().map(|r| (r, None)).collect(),
        port,
        mesh: true,
    }))
}

/// The name of the Service port the request goes to (`Some(None)` when unnamed or the
/// Service is not in the inputs); `None` when the Service has no such port, which refuses
/// the connection.
fn service_port(t: &mut Trace, target: &Target, svc: Option<&Service>) -> Option<Option<String>> {
    let port = target.port;
    match svc {
        Some(s) => {
            if !s.has_port(i64::from(port)) {
                t.outcome = Outcome::NoListener;
                t.step(Step::Mesh(MeshStep::PortMissing {
                    service: target.service(),
                    port,
                    ports: s.port_list(),
                }));
                return None;
            }
            if s.cluster_ip.as_deref() == Some("None") {
                t.step(Step::Mesh(MeshStep::Headless {
                    service: target.service(),
                }));
            }
            Some(
                s.ports
                    .iter()
                    .find(|(p, _)| *p == i64::from(port))
                    .and_then(|(_, n)| n.clone()),
            )
        }
        None => {
            t.step(Step::Mesh(MeshStep::Assumed {
                service: target.service(),
                port,
            }));
            Some(None)
        }
    }
}

/// The producer routes (in the Service's namespace) and the consumer routes (in the
/// caller's) that apply to the request; of every other route naming the Service, the first
/// reason it does not apply goes to `t.unattached`.
fn applicable_routes<'g, 'a>(
    graph: &'g Graph<'a>,
    t: &mut Trace,
    target: &Target,
    port_name: Option<&str>,
    opts: &Options,
    kind: RouteKind,
) -> (Vec<&'g Route<'a>>, Vec<&'g Route<'a>>) {
    let port = target.port;
    let mut producer = Vec::new();
    let mut consumer = Vec::new();
    let mut unattached = Vec::new();
    for (_, route) in routes_in_order(graph, kind) {
        let mut refused = Vec::new();
        let mut applies = false;
        for parent in route.parents.iter().filter(|p| target.is_parent(p)) {
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
                && port_name != Some(sn.as_str())
            {
                refused.push(Unattached {
                    route: RouteId::of(route),
                    parent_ref: parent.index,
                    reason: format!(
                        "its parentRef names Service port \"{sn}\", and port {port} is {}",
                        port_name.map_or("unnamed".into(), |n| format!("\"{n}\""))
                    ),
                });
                continue;
            }
            if route.namespace == target.ns {
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
    (producer, consumer)
}

/// GEP-1426: on one Service port, GRPCRoute takes precedence over HTTPRoute; say so when
/// GRPCRoutes bind the port an HTTP request's routes apply to.
fn grpc_conflict(
    graph: &Graph,
    t: &mut Trace,
    target: &Target,
    opts: &Options,
    http_applies: bool,
) {
    let grpc: Vec<RouteId> = graph
        .routes
        .iter()
        .filter(|r| r.kind == RouteKind::Grpc)
        .filter(|r| r.namespace == target.ns || r.namespace == opts.from_namespace)
        .filter(|r| {
            r.parents
                .iter()
                .any(|p| target.is_parent(p) && p.port.is_none_or(|p| p == i64::from(target.port)))
        })
        .map(|r| RouteId::of(r))
        .collect();
    if !grpc.is_empty() && http_applies {
        t.step(Step::Mesh(MeshStep::GrpcRoutesPrecede { routes: grpc }));
    }
}

/// No route applies: the request goes to the Service itself, and so does every request of
/// a batch.
fn service_itself(
    t: &mut Trace,
    target: &Target,
    svc: Option<&Service>,
    opts: &Options,
    kind: RouteKind,
) {
    let Target { ns, name, port } = *target;
    t.outcome = Outcome::MeshDefault;
    t.status = Some(200);
    t.step(Step::Mesh(MeshStep::ServiceItself {
        kind,
        service: target.service(),
        port,
    }));
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
        mirrored: None,
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
}
