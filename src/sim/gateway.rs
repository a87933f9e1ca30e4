//! Where a request to a Gateway arrives: the Gateway and listener that take it (port,
//! protocol, most specific hostname, listener isolation) and the routes attached there.
//!
//! Owns the Gateway half of the simulation up to the point where routes compete; attachment
//! itself is [`graph::attach`], shared with lint so the two never disagree. Each stage
//! records its [`Step`]s; a stage that ends the simulation sets the outcome and returns
//! `None`.

use super::routes_in_order;
use super::step::{AttachStep, ListenerInfo, ListenerStep, Step};
use super::{Arena, NsName, Options, Outcome, Request, RouteId, SimError, Trace, Unattached};
use crate::graph::{self, Graph, Route, RouteKind, hostname};

pub(super) fn gateway_parents<'g, 'a>(
    graph: &'g Graph<'a>,
    t: &mut Trace,
    req: &Request,
    opts: &Options,
    kind: RouteKind,
) -> Result<Option<Arena<'g, 'a>>, SimError> {
    let Some(gi) = choose_gateway(graph, t, req, opts)? else {
        return Ok(None);
    };
    let gw = &graph.gateways[gi];
    t.gateway = Some(NsName {
        namespace: gw.namespace.clone(),
        name: gw.name.clone(),
    });
    t.involve("Gateway", &gw.namespace, &gw.name);
    let Some(l) = choose_listener(gw, t, req) else {
        return Ok(None);
    };
    Ok(Some(attach_routes(graph, t, req, kind, gi, l)))
}

/// The Gateway named by `--gateway`, or else the one Gateway with a listener on the port.
fn choose_gateway(
    graph: &Graph,
    t: &mut Trace,
    req: &Request,
    opts: &Options,
) -> Result<Option<usize>, SimError> {
    let port = i64::from(req.port);
    if let Some((ns, name)) = &opts.gateway {
        return graph
            .gateway_index(ns, name)
            .map(Some)
            .ok_or_else(|| SimError(format!("Gateway {ns}/{name} is not in the inputs")));
    }
    let on_port: Vec<usize> = (0..graph.gateways.len())
        .filter(|&i| {
            graph.gateways[i]
                .listeners
                .iter()
                .any(|l| l.port == Some(port))
        })
        .filter(|&i| {
            // Duplicates are reported by lint; only the first definition counts.
            let g = &graph.gateways[i];
            graph.gateway_index(&g.namespace, &g.name) == Some(i)
        })
        .collect();
    match on_port.as_slice() {
        [] => {
            t.outcome = Outcome::NoListener;
            t.step(Step::Listener(if graph.gateways.is_empty() {
                ListenerStep::NoGateway
            } else {
                ListenerStep::NoGatewayOnPort { port }
            }));
            Ok(None)
        }
        [i] => Ok(Some(*i)),
        many => Err(SimError(format!(
            "several Gateways listen on port {port} ({}); choose one with --gateway NAMESPACE/NAME",
            many.iter()
                .map(|&i| format!("{}/{}", graph.gateways[i].namespace, graph.gateways[i].name))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The listener of `gw` that takes the request: on its port, of its protocol, with the most
/// specific hostname matching its host.
fn choose_listener<'g>(
    gw: &'g graph::Gateway,
    t: &mut Trace,
    req: &Request,
) -> Option<&'g graph::Listener> {
    let port = i64::from(req.port);
    let gateway = || NsName {
        namespace: gw.namespace.clone(),
        name: gw.name.clone(),
    };
    let want_protocol = if req.scheme == "https" {
        "HTTPS"
    } else {
        "HTTP"
    };
    let on_port: Vec<_> = gw
        .listeners
        .iter()
        .filter(|l| l.port == Some(port))
        .collect();
    if on_port.is_empty() {
        t.outcome = Outcome::NoListener;
        t.step(Step::Listener(ListenerStep::NoListenerOnPort {
            gateway: gateway(),
            port,
            listeners: gw.listeners.iter().map(ListenerInfo::of).collect(),
        }));
        return None;
    }
    let by_protocol: Vec<_> = on_port
        .iter()
        .filter(|l| l.protocol == want_protocol)
        .copied()
        .collect();
    if by_protocol.is_empty() {
        t.outcome = Outcome::NoListener;
        t.step(Step::Listener(ListenerStep::NoListenerForProtocol {
            port,
            protocol: want_protocol,
            scheme: req.scheme.clone(),
            listeners: on_port.iter().map(|l| ListenerInfo::of(l)).collect(),
        }));
        return None;
    }
    let takes_host = |l: &&graph::Listener| {
        l.hostname
            .as_deref()
            .is_none_or(|h| hostname::matches(h, &req.host))
    };
    // The most specific matching listener hostname wins; ties go to the first listener.
    let best = by_protocol
        .iter()
        .filter(|l| takes_host(l))
        .max_by(|a, b| {
            listener_specificity(a)
                .cmp(&listener_specificity(b))
                .then(b.index.cmp(&a.index))
        })
        .copied();
    let Some(l) = best else {
        // The Gateway serves this port and protocol, just not this host: no route can be
        // attached for it, so the request is answered as one no route matches (the Gateway
        // spec's listener isolation; upstream's listener-hostname-matching and
        // hostname-intersection conformance tests expect 404, and UNIMPLEMENTED for gRPC).
        t.outcome = Outcome::NotFound;
        if req.grpc.is_some() {
            t.status = Some(200);
            t.grpc_status = Some("UNIMPLEMENTED");
        } else {
            t.status = Some(404);
        }
        t.step(Step::Listener(ListenerStep::NoListenerForHost {
            port,
            protocol: want_protocol,
            host: req.host.clone(),
            listeners: by_protocol.iter().map(|l| ListenerInfo::of(l)).collect(),
            grpc: req.grpc.is_some(),
        }));
        return None;
    };
    t.listener = Some(l.name.clone());
    let isolated = by_protocol
        .iter()
        .filter(|o| o.index != l.index)
        .filter(|o| takes_host(o))
        .map(|o| ListenerInfo::of(o))
        .collect();
    t.step(Step::Listener(ListenerStep::Chosen {
        gateway: gateway(),
        listener: ListenerInfo::of(l),
        port,
        host: req.host.clone(),
        isolated,
    }));
    Some(l)
}

/// The routes of `kind` attached to listener `l` of Gateway `gi` that match the host, each
/// with the hostname it competes with; routes that could have served the host but are not
/// attached go to `t.unattached`.
fn attach_routes<'g, 'a>(
    graph: &'g Graph<'a>,
    t: &mut Trace,
    req: &Request,
    kind: RouteKind,
    gi: usize,
    l: &graph::Listener,
) -> Arena<'g, 'a> {
    let mut arena = Arena {
        routes: Vec::new(),
        port: req.port,
        mesh: false,
    };
    for route in routes_in_order(graph, kind) {
        let mut attached = false;
        let mut refusal: Option<(usize, String)> = None;
        for parent in &route.parents {
            let Some(att) = graph::attach(graph, route, parent) else {
                continue;
            };
            if att.gateway != gi {
                continue;
            }
            match att.listeners.iter().find(|(li, _)| *li == l.index) {
                Some((_, Ok(()))) => attached = true,
                Some((_, Err(r))) if refusal.is_none() => {
                    refusal = Some((parent.index, refusal_reason(r, route, parent, l, req.port)));
                }
                _ => {}
            }
        }
        if attached {
            let host = route_hostname(route, l.hostname.as_deref(), &req.host);
            match host {
                Some(h) => {
                    t.involve(route.kind.as_str(), &route.namespace, &route.name);
                    arena.routes.push((route, h));
                }
                None => {
                    t.step(Step::Attach(AttachStep::HostnameMismatch {
                        route: RouteId::of(route),
                        hostnames: route.hostnames.clone(),
                        host: req.host.clone(),
                    }));
                }
            }
        } else if let Some((pi, reason)) = refusal
            // Only routes that could have served this host are worth listing.
            && (route.hostnames.is_empty()
                || route.hostnames.iter().any(|h| hostname::matches(h, &req.host)))
        {
            t.involve(route.kind.as_str(), &route.namespace, &route.name);
            t.unattached.push(Unattached {
                route: RouteId::of(route),
                parent_ref: pi,
                reason,
            });
        }
    }
    for u in t.unattached.clone() {
        t.step(Step::Attach(AttachStep::NotAttached {
            route: u.route,
            listener: l.name.clone(),
            reason: u.reason,
        }));
    }
    t.step(Step::Attach(AttachStep::Attached {
        count: arena.routes.len(),
        kind,
        listener: l.name.clone(),
        host: req.host.clone(),
    }));
    arena
}

/// Why listener `l` refuses `route` through `parent`, for the `unattached` list.
fn refusal_reason(
    r: &graph::Refusal,
    route: &Route,
    parent: &graph::ParentRef,
    l: &graph::Listener,
    port: u16,
) -> String {
    match r {
        graph::Refusal::SectionName => format!(
            "its parentRef names listener {}, not {}",
            parent.section_name.as_deref().unwrap_or("?"),
            l.name
        ),
        graph::Refusal::Port => format!(
            "its parentRef names port {}, not {port}",
            parent.port.unwrap_or(0)
        ),
        other => format!("listener {} {}", l.name, other.describe(route, l)),
    }
}

fn listener_specificity(l: &graph::Listener) -> (bool, (bool, usize)) {
    match &l.hostname {
        None => (false, (false, 0)),
        Some(h) => (true, hostname::specificity(h)),
    }
}

/// The hostname a route competes with for `host` on a listener: its most specific hostname
/// that matches the host and intersects the listener's, or, with no hostnames, the
/// listener's. `Some(None)` when neither names one; `None` when the route does not match.
fn route_hostname(route: &Route, listener: Option<&str>, host: &str) -> Option<Option<String>> {
    if route.hostnames.is_empty() {
        return Some(listener.map(str::to_owned));
    }
    route
        .hostnames
        .iter()
        .filter(|h| hostname::matches(h, host))
        .filter(|h| listener.is_none_or(|l| hostname::intersect(l, h)))
        .max_by_key(|h| hostname::specificity(h))
        .map(|h| Some(h.clone()))
}
