//! Where a request to a Gateway arrives: the Gateway and listener that take it (port,
//! protocol, most specific hostname, listener isolation) and the routes attached there.
//!
//! Owns the Gateway half of the simulation up to the point where routes compete; attachment
//! itself is [`graph::attach`], shared with lint so the two never disagree.

use super::{Arena, NsName, Options, Outcome, Request, RouteId, SimError, Trace, Unattached};
use super::{routes_in_order, spec};
use crate::graph::{self, Graph, Route, RouteKind, hostname};

pub(super) fn gateway_parents<'g, 'a>(
    graph: &'g Graph<'a>,
    t: &mut Trace,
    req: &Request,
    opts: &Options,
    kind: RouteKind,
) -> Result<Option<Arena<'g, 'a>>, SimError> {
    let port = i64::from(req.port);
    let gi = match &opts.gateway {
        Some((ns, name)) => graph
            .gateway_index(ns, name)
            .ok_or_else(|| SimError(format!("Gateway {ns}/{name} is not in the inputs")))?,
        None => {
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
                    t.step(
                        "listener",
                        Some(spec::LISTENER_PORT),
                        if graph.gateways.is_empty() {
                            "the inputs contain no Gateway".into()
                        } else {
                            format!("no Gateway in the inputs has a listener on port {port}")
                        },
                    );
                    return Ok(None);
                }
                [i] => *i,
                many => {
                    return Err(SimError(format!(
                        "several Gateways listen on port {port} ({}); choose one with --gateway NAMESPACE/NAME",
                        many.iter()
                            .map(|&i| format!(
                                "{}/{}",
                                graph.gateways[i].namespace, graph.gateways[i].name
                            ))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
    };
    let gw = &graph.gateways[gi];
    t.gateway = Some(NsName {
        namespace: gw.namespace.clone(),
        name: gw.name.clone(),
    });
    t.involve("Gateway", &gw.namespace, &gw.name);
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
        t.step(
            "listener",
            Some(spec::LISTENER_PORT),
            format!(
                "Gateway {}/{} has no listener on port {port} (its listeners: {})",
                gw.namespace,
                gw.name,
                listener_list(gw)
            ),
        );
        return Ok(None);
    }
    let by_protocol: Vec<_> = on_port
        .iter()
        .filter(|l| l.protocol == want_protocol)
        .copied()
        .collect();
    if by_protocol.is_empty() {
        t.outcome = Outcome::NoListener;
        t.step(
            "listener",
            Some(spec::LISTENER_PROTOCOL),
            format!(
                "the listeners on port {port} use {}, none {want_protocol}, which a {} request needs",
                on_port
                    .iter()
                    .map(|l| format!("{} ({})", l.name, l.protocol))
                    .collect::<Vec<_>>()
                    .join(", "),
                req.scheme
            ),
        );
        return Ok(None);
    }
    // The most specific matching listener hostname wins; ties go to the first listener.
    let best = by_protocol
        .iter()
        .filter(|l| {
            l.hostname
                .as_deref()
                .is_none_or(|h| hostname::matches(h, &req.host))
        })
        .max_by(|a, b| {
            listener_specificity(a)
                .cmp(&listener_specificity(b))
                .then(b.index.cmp(&a.index))
        })
        .copied();
    let Some(l) = best else {
        t.outcome = Outcome::NoListener;
        t.step(
            "listener",
            Some(spec::LISTENER_HOSTNAME),
            format!(
                "no {want_protocol} listener on port {port} matches host \"{}\" ({})",
                req.host,
                by_protocol
                    .iter()
                    .map(|l| format!(
                        "{} has hostname \"{}\"",
                        l.name,
                        l.hostname.as_deref().unwrap_or("*")
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        return Ok(None);
    };
    t.listener = Some(l.name.clone());
    let others: Vec<String> = by_protocol
        .iter()
        .filter(|o| o.index != l.index)
        .filter(|o| {
            o.hostname
                .as_deref()
                .is_none_or(|h| hostname::matches(h, &req.host))
        })
        .map(|o| format!("{} (\"{}\")", o.name, o.hostname.as_deref().unwrap_or("*")))
        .collect();
    t.step(
        "listener",
        Some(spec::LISTENER_HOSTNAME),
        format!(
            "listener {} ({} port {port}, hostname \"{}\") of Gateway {}/{} takes host \"{}\"{}",
            l.name,
            l.protocol,
            l.hostname.as_deref().unwrap_or("*"),
            gw.namespace,
            gw.name,
            req.host,
            if others.is_empty() {
                String::new()
            } else {
                format!(
                    "; it is more specific than {}, which therefore do not serve this request (listener isolation)",
                    others.join(", ")
                )
            }
        ),
    );
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
                    let what = match r {
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
                    };
                    refusal = Some((parent.index, what));
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
                    t.step(
                        "hostname",
                        Some(spec::ROUTE_HOSTNAME),
                        format!(
                            "{} is attached but none of its hostnames ({}) matches host \"{}\"",
                            RouteId::of(route),
                            route.hostnames.join(", "),
                            req.host
                        ),
                    );
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
        t.step(
            "attach",
            Some(spec::ATTACH),
            format!(
                "{} is not attached to listener {}: {}",
                u.route, l.name, u.reason
            ),
        );
    }
    t.step(
        "attach",
        Some(spec::ATTACH),
        format!(
            "{} {}{} attached to listener {} and match{} host \"{}\"",
            arena.routes.len(),
            kind.as_str(),
            if arena.routes.len() == 1 {
                " is"
            } else {
                "s are"
            },
            l.name,
            if arena.routes.len() == 1 { "es" } else { "" },
            req.host
        ),
    );
    Ok(Some(arena))
}

fn listener_list(gw: &graph::Gateway) -> String {
    if gw.listeners.is_empty() {
        return "none".into();
    }
    gw.listeners
        .iter()
        .map(|l| {
            format!(
                "{} {} port {}",
                l.name,
                l.protocol,
                l.port.map_or("?".into(), |p| p.to_string())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
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
