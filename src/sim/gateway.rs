//! Where a request to a Gateway arrives: the Gateway and listener that take it (port,
//! protocol, most specific hostname, listener isolation) and the routes attached there.
//!
//! Owns the Gateway half of the simulation up to the point where routes compete. Listeners
//! are the Gateway's merged list ([`Graph::merged`]: its own, then those of the ListenerSets
//! it admits), so a request can arrive on a ListenerSet's listener, and a listener that
//! conflicts with one taking precedence serves nothing. Attachment itself is
//! [`graph::attach`], shared with lint so the two never disagree. Each stage records its
//! [`Step`]s; a stage that ends the simulation sets the outcome and returns `None`.

use super::routes_in_order;
use super::step::{AttachStep, ListenerInfo, ListenerStep, NoHost, Step};
use super::{
    Arena, ListenerSetId, NsName, Options, Outcome, Request, RouteId, SimError, Trace, Unattached,
};
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
    let Some(mi) = choose_listener(graph, gi, t, req, opts.sni.as_deref()) else {
        return Ok(None);
    };
    let arena = attach_routes(graph, t, req, opts, kind, gi, mi);
    let l = graph.listener(gi, mi);
    if kind == RouteKind::Tls && arena.routes.is_empty() && l.protocol == "TLS" && !l.passthrough()
    {
        // A TLS listener that terminates TLS also carries TCPRoutes, which take the
        // decrypted stream; with no TLSRoute attached, they decide where it goes.
        return Ok(Some(attach_routes(
            graph,
            t,
            req,
            opts,
            RouteKind::Tcp,
            gi,
            mi,
        )));
    }
    Ok(Some(arena))
}

/// The ListenerSet listener `mi` of Gateway `gi` belongs to, if it is not the Gateway's own.
fn set_of(graph: &Graph, gi: usize, mi: usize) -> Option<ListenerSetId> {
    let si = graph.merged(gi).listeners[mi].set?;
    let s = &graph.listener_sets[si];
    Some(ListenerSetId {
        kind: s.kind.clone(),
        namespace: s.namespace.clone(),
        name: s.name.clone(),
    })
}

/// Listener `mi` of Gateway `gi`'s merged list, as a step reports it.
fn info(graph: &Graph, gi: usize, mi: usize) -> ListenerInfo {
    ListenerInfo::of(graph.listener(gi, mi), set_of(graph, gi, mi))
}

/// The Gateway named by `--gateway`, or else the one Gateway with a listener on the port
/// (its own, or an admitted ListenerSet's).
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
        .filter(|&gi| {
            (0..graph.merged(gi).listeners.len())
                .any(|mi| graph.listener(gi, mi).port == Some(port))
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
            not_admitted_on_port(graph, t, port);
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

/// ListenerSets with a listener on `port` that their Gateway does not admit: the reason
/// nothing listens there, when a ListenerSet meant to.
fn not_admitted_on_port(graph: &Graph, t: &mut Trace, port: i64) {
    for (si, set) in graph.listener_sets.iter().enumerate() {
        // A second definition is the loader's to report; only the first counts.
        if graph.listener_set_index(&set.kind, &set.namespace, &set.name) != Some(si) {
            continue;
        }
        let Some(gi) = graph.listener_set_gateway(si) else {
            continue;
        };
        let Some(l) = set.listeners.iter().find(|l| l.port == Some(port)) else {
            continue;
        };
        if let Some(Err(_)) = graph.merged(gi).admits(si) {
            let gw = &graph.gateways[gi];
            t.involve(&set.kind, &set.namespace, &set.name);
            t.step(Step::Listener(ListenerStep::NotAdmitted {
                listener: ListenerInfo::of(
                    l,
                    Some(ListenerSetId {
                        kind: set.kind.clone(),
                        namespace: set.namespace.clone(),
                        name: set.name.clone(),
                    }),
                ),
                gateway: NsName {
                    namespace: gw.namespace.clone(),
                    name: gw.name.clone(),
                },
            }));
        }
    }
}

/// The listener protocol a request of `scheme` arrives on.
fn protocol_for(scheme: &str) -> &'static str {
    match scheme {
        "https" => "HTTPS",
        "tls" => "TLS",
        "tcp" => "TCP",
        "udp" => "UDP",
        _ => "HTTP",
    }
}

/// The listener of Gateway `gi` that takes the request (its index in the merged list): on
/// its port, of its protocol, not conflicted, with the most specific hostname matching its
/// host; ties go to the listener first in precedence order.
fn choose_listener(
    graph: &Graph,
    gi: usize,
    t: &mut Trace,
    req: &Request,
    sni: Option<&str>,
) -> Option<usize> {
    let gw = &graph.gateways[gi];
    let merged = graph.merged(gi);
    let port = i64::from(req.port);
    let gateway = || NsName {
        namespace: gw.namespace.clone(),
        name: gw.name.clone(),
    };
    let want_protocol = protocol_for(&req.scheme);
    let all: Vec<usize> = (0..merged.listeners.len()).collect();
    let on_port: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&mi| graph.listener(gi, mi).port == Some(port))
        .collect();
    if on_port.is_empty() {
        t.outcome = Outcome::NoListener;
        t.step(Step::Listener(ListenerStep::NoListenerOnPort {
            gateway: gateway(),
            port,
            listeners: all.iter().map(|&mi| info(graph, gi, mi)).collect(),
        }));
        return None;
    }
    let by_protocol: Vec<usize> = on_port
        .iter()
        .copied()
        .filter(|&mi| graph.listener(gi, mi).protocol == want_protocol)
        .collect();
    if by_protocol.is_empty() {
        t.outcome = Outcome::NoListener;
        t.step(Step::Listener(ListenerStep::NoListenerForProtocol {
            port,
            protocol: want_protocol,
            scheme: req.scheme.clone(),
            listeners: on_port.iter().map(|&mi| info(graph, gi, mi)).collect(),
        }));
        return None;
    }
    let takes_host = |mi: usize| {
        graph
            .listener(gi, mi)
            .hostname
            .as_deref()
            .is_none_or(|h| hostname::matches(h, &req.host))
    };
    // A conflicted listener is not accepted and serves nothing; say so when it would have
    // taken the host.
    let (served, conflicted): (Vec<usize>, Vec<usize>) = by_protocol
        .iter()
        .copied()
        .partition(|&mi| merged.listeners[mi].conflict.is_none());
    for &mi in conflicted.iter().filter(|&&mi| takes_host(mi)) {
        if let Some(c) = merged.listeners[mi].conflict {
            // Its ListenerSet's conflict finding bears on the answer.
            if let Some(s) = set_of(graph, gi, mi) {
                t.involve(&s.kind, &s.namespace, &s.name);
            }
            t.step(Step::Listener(ListenerStep::Conflicted {
                listener: info(graph, gi, mi),
                with: info(graph, gi, c.with),
                kind: c.kind,
            }));
        }
    }
    // The most specific matching listener hostname wins; ties go to the first listener.
    let most_specific = |name: &str| {
        served
            .iter()
            .copied()
            .filter(|&mi| {
                graph
                    .listener(gi, mi)
                    .hostname
                    .as_deref()
                    .is_none_or(|h| hostname::matches(h, name))
            })
            .max_by(|&a, &b| {
                listener_specificity(graph.listener(gi, a))
                    .cmp(&listener_specificity(graph.listener(gi, b)))
                    .then(b.cmp(&a))
            })
    };
    let best = most_specific(&req.host);
    // A connection set up with another SNI (GEP-3567, the Listener.hostname docs): its SNI
    // chose a listener during the handshake.
    if want_protocol == "HTTPS"
        && let Some(sni) = sni.filter(|s| *s != req.host)
        && misdirected(graph, gi, t, req, sni, most_specific(sni), best, &served)
    {
        return None;
    }
    let Some(mi) = best else {
        no_listener_for_host(graph, gi, t, req, want_protocol, &served);
        return None;
    };
    let l = graph.listener(gi, mi);
    t.listener = Some(l.name.clone());
    t.listener_set = set_of(graph, gi, mi);
    if let Some(s) = &t.listener_set {
        let (kind, ns, name) = (s.kind.clone(), s.namespace.clone(), s.name.clone());
        t.involve(&kind, &ns, &name);
    }
    let isolated = served
        .iter()
        .copied()
        .filter(|&o| o != mi)
        .filter(|&o| takes_host(o))
        .map(|o| info(graph, gi, o))
        .collect();
    t.step(Step::Listener(ListenerStep::Chosen {
        gateway: gateway(),
        listener: info(graph, gi, mi),
        port,
        host: req.host.clone(),
        isolated,
    }));
    Some(mi)
}

/// Whether a request whose connection's SNI chose listener `by_sni` (`None`: no listener
/// takes that SNI, so the handshake fails) is answered before its Host is routed: 421 when
/// the Host's most specific listener (`by_host`) is another one. A Host no listener takes
/// is left to [`no_listener_for_host`], as without `--sni`.
#[expect(
    clippy::too_many_arguments,
    reason = "the listener choice's own state, passed rather than bundled for one caller"
)]
fn misdirected(
    graph: &Graph,
    gi: usize,
    t: &mut Trace,
    req: &Request,
    sni: &str,
    by_sni: Option<usize>,
    by_host: Option<usize>,
    served: &[usize],
) -> bool {
    let Some(by_sni) = by_sni else {
        t.outcome = Outcome::NotFound;
        t.step(Step::Listener(ListenerStep::NoListenerForSni {
            port: i64::from(req.port),
            sni: sni.to_owned(),
            listeners: served.iter().map(|&mi| info(graph, gi, mi)).collect(),
        }));
        return true;
    };
    match by_host {
        Some(by_host) if by_host != by_sni => {
            t.outcome = Outcome::Misdirected;
            t.status = Some(421);
            t.step(Step::Listener(ListenerStep::Misdirected {
                sni: sni.to_owned(),
                by_sni: info(graph, gi, by_sni),
                host: req.host.clone(),
                by_host: info(graph, gi, by_host),
            }));
            true
        }
        _ => false,
    }
}

/// The Gateway serves the request's port and protocol, just not its host: no route can be
/// attached for it, so the request is answered as one no route matches (the Gateway spec's
/// listener isolation; upstream's listener-hostname-matching and hostname-intersection
/// conformance tests expect 404, and UNIMPLEMENTED for gRPC). `served` are the listeners
/// on the port that are not conflicted.
fn no_listener_for_host(
    graph: &Graph,
    gi: usize,
    t: &mut Trace,
    req: &Request,
    protocol: &'static str,
    served: &[usize],
) {
    t.outcome = Outcome::NotFound;
    let answer = if super::request::is_stream(&req.scheme) {
        // No HTTP here: the connection is rejected.
        NoHost::Rejected
    } else if req.grpc.is_some() {
        t.status = Some(200);
        t.grpc_status = Some("UNIMPLEMENTED");
        NoHost::Unimplemented
    } else {
        t.status = Some(404);
        NoHost::NotFound
    };
    t.step(Step::Listener(ListenerStep::NoListenerForHost {
        port: i64::from(req.port),
        protocol,
        host: req.host.clone(),
        listeners: served.iter().map(|&mi| info(graph, gi, mi)).collect(),
        answer,
    }));
}

/// The routes of `kind` attached to listener `mi` of Gateway `gi`'s merged list that match
/// the host, each with the hostname it competes with; routes that could have served the
/// host but are not attached go to `t.unattached`.
fn attach_routes<'g, 'a>(
    graph: &'g Graph<'a>,
    t: &mut Trace,
    req: &Request,
    opts: &Options,
    kind: RouteKind,
    gi: usize,
    mi: usize,
) -> Arena<'g, 'a> {
    let l = graph.listener(gi, mi);
    let mut arena = Arena {
        routes: Vec::new(),
        port: req.port,
        mesh: false,
    };
    for (ri, route) in routes_in_order(graph, kind) {
        let mut attached = false;
        // Worded only if the route is listed: most refused routes are for other hosts.
        let mut refusal: Option<(&graph::Refusal, &graph::ParentRef)> = None;
        for (pi, parent) in route.parents.iter().enumerate() {
            // The graph's attachments, worked out once for every request of a run.
            let Some(att) = graph.attachment(ri, pi) else {
                continue;
            };
            if att.gateway != gi {
                continue;
            }
            match att.listeners.iter().find(|(li, _)| *li == mi) {
                Some((_, Ok(()))) => attached = true,
                Some((_, Err(r))) if refusal.is_none() => refusal = Some((r, parent)),
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
                // Listed for a person reading the trace; a batch of requests
                // (`Options::brief`) reads only the answer.
                None if opts.brief => {}
                None => {
                    t.step(Step::Attach(AttachStep::HostnameMismatch {
                        route: RouteId::of(route),
                        hostnames: route.hostnames.clone(),
                        host: req.host.clone(),
                    }));
                }
            }
        } else if let Some((r, parent)) = refusal
            // Only routes that could have served this host are worth listing.
            && (route.hostnames.is_empty()
                || route.hostnames.iter().any(|h| hostname::matches(h, &req.host)))
        {
            t.involve(route.kind.as_str(), &route.namespace, &route.name);
            t.unattached.push(Unattached {
                route: RouteId::of(route),
                parent_ref: parent.index,
                reason: refusal_reason(r, route, parent, l, req.port),
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
