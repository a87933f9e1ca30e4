//! The request simulator: where a conformant Gateway API v1.1 implementation sends one
//! request, and why.
//!
//! Owns the routing decision, as pure functions over the reference [`Graph`]: listener
//! selection (port, protocol, most specific hostname, listener isolation), route attachment
//! (delegated to [`graph::attach`], so lint and simulate never disagree), match evaluation
//! and precedence ([`matching`]), filters ([`filters`]), backends, weights and session
//! persistence ([`backends`]), and the mesh (GAMMA) case where the parent is a Service. The
//! result is a [`Trace`]: the answer plus every step that led to it, each citing the rule
//! of the specification it applies. No I/O happens here; the CLI loads inputs and renders.

pub mod backends;
pub mod filters;
pub mod matching;
pub mod request;

use std::cmp::Reverse;

use serde::Serialize;

use crate::graph::{self, Graph, ParentRef, Route, RouteKind, Service, hostname};
use backends::{Backend, Rng, SessionConfig};
use filters::{Applied, Forwarded, Redirect, ResponseHeaders};
use matching::Rank;
pub use request::Request;

/// The most requests `--requests` simulates; more would only cost time, since the spread
/// converges long before.
pub const MAX_REQUESTS: u64 = 100_000;

/// What to simulate besides the request itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--gateway NAMESPACE/NAME`.
    pub gateway: Option<(String, String)>,
    /// `--service NAMESPACE/NAME[:PORT]`: a mesh request to that Service.
    pub service: Option<(String, String, Option<u16>)>,
    /// The caller's namespace, for mesh consumer routes.
    pub from_namespace: String,
    /// How many requests to spread over the backends (0: just the one).
    pub requests: u64,
    pub seed: u64,
    /// The inputs are the whole state: a Service not in them does not exist.
    pub complete: bool,
    /// The cluster installs the experimental channel: only then do `sessionPersistence`
    /// and BackendLBPolicy exist, so only then do they take effect.
    pub experimental: bool,
}

/// Why the simulation could not run at all (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError(pub String);

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Routed,
    Redirect,
    NotFound,
    NoListener,
    BackendError,
    MeshDefault,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Routed => "routed",
            Outcome::Redirect => "redirect",
            Outcome::NotFound => "not-found",
            Outcome::NoListener => "no-listener",
            Outcome::BackendError => "backend-error",
            Outcome::MeshDefault => "mesh-default",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NsName {
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteId {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl RouteId {
    fn of(r: &Route) -> Self {
        RouteId {
            kind: r.kind.as_str().into(),
            namespace: r.namespace.clone(),
            name: r.name.clone(),
        }
    }
}

impl std::fmt::Display for RouteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// The mesh target of a `--service` request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshTarget {
    pub namespace: String,
    pub name: String,
    pub port: u16,
    pub from_namespace: String,
}

/// A match that accepts the request, in precedence order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub route: RouteId,
    pub rule: usize,
    #[serde(rename = "match")]
    pub match_index: usize,
    /// The route hostname that matched the request's host (the listener's when the route
    /// names none); null for mesh routes, whose hostnames do not take part.
    pub hostname: Option<String>,
    /// For every candidate after the first: the precedence step that put the one before
    /// it first.
    pub lost_on: Option<&'static str>,
}

/// A match of an attached route that does not accept the request.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub route: RouteId,
    pub rule: usize,
    #[serde(rename = "match")]
    pub match_index: usize,
    pub reason: String,
}

/// A route that could have served the request but is not attached where it arrived.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unattached {
    pub route: RouteId,
    pub parent_ref: usize,
    pub reason: String,
}

/// One step of the decision, with the specification rule it applies.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub stage: &'static str,
    pub message: String,
    pub spec: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(flatten)]
    pub config: SessionConfig,
    /// Whether the request carried a session value naming a valid backend of the rule.
    pub carried: bool,
    /// The backend (index in `backends`) the session is bound to.
    pub backend: Option<usize>,
    /// The session value, in gwctl's encoding (see the README).
    pub value: Option<String>,
    /// The `Set-Cookie` of the first response (Cookie sessions).
    pub set_cookie: Option<String>,
    /// The response header carrying the session (Header sessions).
    pub response_header: Option<String>,
    /// With `--requests`: requests sent by one client carrying the session, and how many
    /// of them reached the session's backend.
    pub sticky_requests: Option<u64>,
    pub sticky_same_backend: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    /// Index in `backends`; null for requests that got HTTP 500.
    pub backend: Option<usize>,
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    pub requests: u64,
    pub seed: u64,
    /// Whether `--requests` was lowered to [`MAX_REQUESTS`].
    pub capped: bool,
    pub counts: Vec<Count>,
}

/// A finding from lint about an object the answer depends on; filled in by the CLI.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: String,
    /// The rule's name (`backend-port-not-found`).
    pub name: String,
    pub severity: String,
    pub message: String,
    pub object: Option<String>,
}

/// The simulation's answer. Its JSON form is a public contract (see the README).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub outcome: Outcome,
    /// The HTTP status the client sees: 200 when forwarded (the backend answers), the
    /// redirect code, 404, 500; null when no listener takes the connection.
    pub status: Option<u16>,
    /// For gRPC calls: the gRPC status when gwctl knows it (UNIMPLEMENTED when no route
    /// matches, UNAVAILABLE for a backend error).
    pub grpc_status: Option<&'static str>,
    pub request: Request,
    pub gateway: Option<NsName>,
    pub listener: Option<String>,
    pub service: Option<MeshTarget>,
    pub route: Option<RouteId>,
    pub rule: Option<usize>,
    #[serde(rename = "match")]
    pub match_index: Option<usize>,
    pub backends: Vec<Backend>,
    /// The share of requests that get HTTP 500 because their backend is invalid.
    pub error_share: f64,
    pub mirrors: Vec<Backend>,
    pub redirect: Option<Redirect>,
    pub forwarded: Forwarded,
    pub filters: Vec<Applied>,
    pub response_headers: ResponseHeaders,
    pub session: Option<Session>,
    pub distribution: Option<Distribution>,
    pub candidates: Vec<Candidate>,
    pub misses: Vec<Miss>,
    pub unattached: Vec<Unattached>,
    pub findings: Vec<Finding>,
    pub trace: Vec<Step>,
    /// (kind, namespace, name) of every object the answer depends on, so the CLI can pick
    /// the lint findings that bear on it.
    #[serde(skip)]
    pub involved: Vec<(String, String, String)>,
}

impl Trace {
    fn new(req: &Request) -> Self {
        Trace {
            outcome: Outcome::NotFound,
            status: None,
            grpc_status: None,
            request: req.clone(),
            gateway: None,
            listener: None,
            service: None,
            route: None,
            rule: None,
            match_index: None,
            backends: Vec::new(),
            error_share: 0.0,
            mirrors: Vec::new(),
            redirect: None,
            forwarded: Forwarded::from_request(req),
            filters: Vec::new(),
            response_headers: ResponseHeaders::default(),
            session: None,
            distribution: None,
            candidates: Vec::new(),
            misses: Vec::new(),
            unattached: Vec::new(),
            findings: Vec::new(),
            trace: Vec::new(),
            involved: Vec::new(),
        }
    }

    fn step(&mut self, stage: &'static str, spec: Option<&'static str>, message: String) {
        self.trace.push(Step {
            stage,
            message,
            spec,
        });
    }

    fn involve(&mut self, kind: &str, ns: &str, name: &str) {
        let k = (kind.to_owned(), ns.to_owned(), name.to_owned());
        if !self.involved.contains(&k) {
            self.involved.push(k);
        }
    }
}

/// Specification references cited in the trace.
mod spec {
    pub const LISTENER_PORT: &str =
        "Gateway spec.listeners: a request is served by the listeners on the port it arrives on";
    pub const LISTENER_PROTOCOL: &str =
        "Listener.protocol: HTTP listeners serve http, HTTPS listeners serve https";
    pub const LISTENER_HOSTNAME: &str = "Listener.hostname: requests are matched to the listener with the most specific matching hostname; a request matching a more specific listener is not served by a less specific one (listener isolation)";
    pub const ATTACH: &str = "ParentReference / AllowedRoutes: sectionName and port select listeners; protocol, allowedRoutes.kinds, allowedRoutes.namespaces and hostnames must admit the route";
    pub const ROUTE_HOSTNAME: &str = "HTTPRoute spec.hostnames: a route's hostnames must match the request's Host; a route without hostnames takes the listener's";
    pub const HTTP_MATCH: &str = "HTTPRouteRule.matches: matches are ORed, the conditions of one match ANDed; header names are case-insensitive, query parameter names case-sensitive; PathPrefix matches whole path segments";
    pub const GRPC_MATCH: &str = "GRPCRouteRule.matches: matches are ORed; service and method match exactly (or by RE2 expression); header names are case-insensitive";
    pub const HTTP_PRECEDENCE: &str = "HTTPRouteRule precedence: hostname (longest non-wildcard, then longest), exact path, longest prefix, method, most headers, most query params, oldest route, namespace/name, rule order";
    pub const GRPC_PRECEDENCE: &str = "GRPCRouteRule precedence: hostname (longest non-wildcard, then longest), longest service, longest method, most headers, oldest route, namespace/name, rule order";
    pub const NOT_FOUND: &str =
        "HTTPRoute: a request no rule matches gets 404 (gRPC: UNIMPLEMENTED)";
    pub const FILTERS: &str = "HTTPRouteFilter: filters apply in order; backendRef filters apply only to requests sent to that backend";
    pub const BACKENDS: &str = "HTTPBackendRef: traffic is split by weight (default 1); the share of an invalid backend (not found, wrong port, not granted, unsupported kind) gets HTTP 500, and with no usable backend every request does";
    pub const SESSION: &str = "SessionPersistence (experimental, GEP-1619): the first response carries the session; later requests carrying it go to the same backend while it is valid";
    pub const MESH: &str = "GAMMA (GEP-1426): a route whose parentRef is a Service applies to requests to that Service; producer routes (Service's namespace) apply to every caller, consumer routes only to callers in their own namespace and take precedence over producer routes; hostnames are not used";
    pub const MESH_DEFAULT: &str =
        "GAMMA: a request to a Service port that no route applies to goes to the Service itself";
}

/// Simulate one request (and, with `opts.requests`, a batch of them) against `graph`.
pub fn simulate(graph: &Graph, req: &Request, opts: &Options) -> Result<Trace, SimError> {
    let mut t = Trace::new(req);
    let kind = if req.grpc.is_some() {
        RouteKind::Grpc
    } else {
        RouteKind::Http
    };
    let ctx = if let Some((ns, name, port)) = &opts.service {
        match mesh_parents(
            graph,
            &mut t,
            ns,
            name,
            port.unwrap_or(req.port),
            opts,
            kind,
        )? {
            Some(c) => c,
            None => return Ok(t),
        }
    } else {
        match gateway_parents(graph, &mut t, req, opts, kind)? {
            Some(c) => c,
            None => return Ok(t),
        }
    };
    route_request(graph, &mut t, req, opts, kind, &ctx);
    Ok(t)
}

/// Where routes compete: the attached routes (with the effective hostname each competes
/// with) and the port the request arrived on.
struct Arena<'g, 'a> {
    routes: Vec<(&'g Route<'a>, Option<String>)>,
    port: u16,
    mesh: bool,
}

fn gateway_parents<'g, 'a>(
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

/// The routes of one kind sorted by namespace/name (a stable sort: duplicates, which lint
/// reports, keep input order), so
/// every list and step of the trace comes out the same whatever the order of the inputs.
fn routes_in_order<'g, 'a>(graph: &'g Graph<'a>, kind: RouteKind) -> Vec<&'g Route<'a>> {
    let mut routes: Vec<&Route> = graph.routes.iter().filter(|r| r.kind == kind).collect();
    routes.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    routes
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

fn mesh_parents<'g, 'a>(
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

fn created(route: &Route) -> (bool, String) {
    match route.created() {
        Some(c) => (false, c.to_owned()),
        None => (true, String::new()),
    }
}

/// Precedence among every accepting match of every attached route, then the winner's
/// filters and backends.
fn route_request(
    graph: &Graph,
    t: &mut Trace,
    req: &Request,
    opts: &Options,
    kind: RouteKind,
    arena: &Arena,
) {
    let mut ranked: Vec<(Rank, usize, Option<String>, matching::Accepted)> = Vec::new();
    let mut regex_seen = false;
    for (ai, (route, host)) in arena.routes.iter().enumerate() {
        for rule in &route.rules {
            for (mi, m) in rule.matches().iter().enumerate() {
                let res = match m {
                    graph::Match::Grpc(m) => matching::grpc_match(req, m),
                    graph::Match::Http(m) => matching::http_match(req, m),
                };
                match res {
                    Ok(acc) => {
                        regex_seen |= acc.regex;
                        let rank = Rank {
                            host: Reverse(
                                host.as_deref().map_or((false, 0), hostname::specificity),
                            ),
                            path_kind: acc.path_kind,
                            path_len: Reverse(acc.path_len),
                            method: Reverse(acc.method),
                            headers: Reverse(acc.headers),
                            query: Reverse(acc.query),
                            created: created(route),
                            namespace: route.namespace.clone(),
                            name: route.name.clone(),
                            rule: rule.index,
                            matched: mi,
                        };
                        ranked.push((rank, ai, host.clone(), acc));
                    }
                    Err(reason) => t.misses.push(Miss {
                        route: RouteId::of(route),
                        rule: rule.index,
                        match_index: mi,
                        reason,
                    }),
                }
            }
        }
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    // Misses in a stable order, independent of input order.
    t.misses.sort_by(|a, b| {
        (&a.route.namespace, &a.route.name, a.rule, a.match_index).cmp(&(
            &b.route.namespace,
            &b.route.name,
            b.rule,
            b.match_index,
        ))
    });
    let (match_spec, prec_spec) = match kind {
        RouteKind::Grpc => (spec::GRPC_MATCH, spec::GRPC_PRECEDENCE),
        _ => (spec::HTTP_MATCH, spec::HTTP_PRECEDENCE),
    };
    for (i, (rank, ai, host, _)) in ranked.iter().enumerate() {
        let route = arena.routes[*ai].0;
        t.candidates.push(Candidate {
            route: RouteId::of(route),
            rule: rank.rule,
            match_index: rank.matched,
            hostname: if arena.mesh { None } else { host.clone() },
            lost_on: (i > 0).then(|| ranked[i - 1].0.decisive(rank, kind)),
        });
    }
    t.step(
        "match",
        Some(match_spec),
        format!(
            "{} match{} accept{} the request; {} do{} not",
            ranked.len(),
            if ranked.len() == 1 { "" } else { "es" },
            if ranked.len() == 1 { "s" } else { "" },
            t.misses.len(),
            if t.misses.len() == 1 { "es" } else { "" }
        ),
    );
    let Some((win, wai, _, acc)) = ranked.first().cloned() else {
        t.outcome = Outcome::NotFound;
        if kind == RouteKind::Grpc {
            t.status = Some(200);
            t.grpc_status = Some("UNIMPLEMENTED");
            t.step(
                "match",
                Some(spec::NOT_FOUND),
                "no rule matches the call: gRPC status UNIMPLEMENTED".into(),
            );
        } else {
            t.status = Some(404);
            t.step(
                "match",
                Some(spec::NOT_FOUND),
                "no rule matches the request: HTTP 404".into(),
            );
        }
        return;
    };
    let route = arena.routes[wai].0;
    let rule = &route.rules[win.rule];
    t.route = Some(RouteId::of(route));
    t.rule = Some(win.rule);
    t.match_index = Some(win.matched);
    let why = match ranked.get(1) {
        Some(second) => {
            let step = win.decisive(&second.0, kind);
            format!(
                "; it beats rule {} match {} of {} on: {step}",
                second.0.rule,
                second.0.matched,
                RouteId::of(arena.routes[second.1].0)
            )
        }
        None => String::new(),
    };
    t.step(
        "precedence",
        Some(prec_spec),
        format!(
            "winner: rule {} match {} of {}{why}",
            win.rule,
            win.matched,
            RouteId::of(route)
        ),
    );
    if regex_seen && ranked.len() > 1 {
        t.step(
            "precedence",
            Some(prec_spec),
            "a regular expression match took part: its precedence is implementation-specific; gwctl ranks RegularExpression paths after Exact and PathPrefix and matches with RE2 semantics against the whole value".into(),
        );
    }

    // Rule-level filters.
    let fcx = filters::Ctx {
        request: req,
        port: arena.port,
        prefix: acc.prefix.as_deref(),
    };
    let mut fwd = Forwarded::from_request(req);
    let mut resp = ResponseHeaders::default();
    let fx = filters::apply(&rule.filters, "rule", &fcx, &mut fwd, &mut resp);
    // A redirect gets its own step below, once the backends are listed.
    for a in fx.applied.iter().filter(|a| a.kind != "RequestRedirect") {
        t.step(
            "filter",
            Some(spec::FILTERS),
            format!("{}: {}", a.kind, a.summary),
        );
    }
    t.filters.extend(fx.applied);
    let mut mirror_refs: Vec<graph::BackendRef> = Vec::new();
    mirror_refs.extend(
        rule.mirrors
            .iter()
            .filter(|m| mirror_backend(m).is_none())
            .cloned(),
    );

    // Backends, in order, weight 0 included.
    t.backends = rule
        .backends
        .iter()
        .map(|b| backends::resolve(graph, route, b, opts.complete))
        .collect();
    backends::set_probabilities(&mut t.backends);
    for b in &t.backends {
        t.involved
            .push(("Service".into(), b.namespace.clone(), b.name.clone()));
    }
    let weights: Vec<i64> = t.backends.iter().map(|b| b.weight).collect();
    let usable: Vec<i64> = t
        .backends
        .iter()
        .map(|b| if b.valid { b.weight } else { 0 })
        .collect();
    let total: i64 = weights.iter().sum();
    let good: i64 = usable.iter().sum();
    t.error_share = if total > 0 {
        (((total - good) as f64 / total as f64) * 1e6).round() / 1e6
    } else {
        1.0
    };
    for (i, b) in t.backends.clone().iter().enumerate() {
        t.step(
            "backend",
            Some(spec::BACKENDS),
            format!(
                "backendRef {i}: {} {}/{}{} weight {} ({:.1}%){}{}",
                b.kind,
                b.namespace,
                b.name,
                b.port.map(|p| format!(":{p}")).unwrap_or_default(),
                b.weight,
                b.probability * 100.0,
                if b.valid { "" } else { ", invalid" },
                b.note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
        );
    }

    if let Some(r) = fx.redirect {
        t.outcome = Outcome::Redirect;
        t.status = Some(r.status);
        t.step(
            "filter",
            Some(spec::FILTERS),
            format!(
                "RequestRedirect answers {} with Location: {}; nothing is forwarded",
                r.status, r.location
            ),
        );
        t.redirect = Some(r);
        t.response_headers = resp;
        t.mirrors = resolve_mirrors(graph, route, &mirror_refs, opts);
        return;
    }

    // Session persistence: the rule's own, or a BackendLBPolicy on its backends.
    let mut session_cfg = session_config(graph, rule);
    if let Some(cfg) = &session_cfg
        && !opts.experimental
    {
        t.step(
            "session",
            Some(spec::SESSION),
            format!(
                "the {} sets session persistence, which only the experimental channel has; a standard-channel cluster rejects or drops it, so gwctl simulates without it (pass --channel experimental if your cluster installs that channel)",
                cfg.source
            ),
        );
        session_cfg = None;
    }
    let mut rng = Rng::new(opts.seed);
    let mut carried = false;
    let mut chosen: Option<usize> = None;
    if let Some(cfg) = &session_cfg {
        let sent = if cfg.kind == "Header" {
            req.header(&cfg.name)
        } else {
            req.cookie(&cfg.name)
        };
        if let Some(v) = sent {
            match sticky_target(&t.backends, &v) {
                Some(i) => {
                    carried = true;
                    chosen = Some(i);
                    t.step(
                        "session",
                        Some(spec::SESSION),
                        format!(
                            "the request carries session {} \"{v}\", naming backendRef {i}, which is still valid: it goes there regardless of weights{}",
                            cfg.name,
                            timeouts(cfg)
                        ),
                    );
                }
                None => t.step(
                    "session",
                    Some(spec::SESSION),
                    format!(
                        "the request carries session {} \"{v}\", but it names no valid backend of this rule: a new session starts",
                        cfg.name
                    ),
                ),
            }
        }
    }
    if chosen.is_none() {
        chosen = rng.weighted(&weights);
    }
    let chosen_valid = chosen.is_some_and(|i| t.backends[i].valid);
    if good == 0 {
        t.outcome = Outcome::BackendError;
        t.status = Some(500);
        if kind == RouteKind::Grpc {
            t.grpc_status = Some("UNAVAILABLE");
        }
        t.step(
            "backend",
            Some(spec::BACKENDS),
            if t.backends.is_empty() {
                "the rule has no backendRefs and no redirect: every request gets HTTP 500".into()
            } else if total == 0 {
                "every backendRef has weight 0: every request gets HTTP 500".into()
            } else {
                "no backendRef with a positive weight is valid: every request gets HTTP 500".into()
            },
        );
        chosen = None;
    } else {
        t.outcome = Outcome::Routed;
        t.status = Some(if chosen_valid { 200 } else { 500 });
        if t.error_share > 0.0 {
            t.step(
                "backend",
                Some(spec::BACKENDS),
                format!(
                    "{:.1}% of requests go to invalid backends and get HTTP 500{}",
                    t.error_share * 100.0,
                    if chosen_valid {
                        ""
                    } else {
                        "; this request is one of them"
                    }
                ),
            );
        }
    }

    // Backend-level filters of the backend this request went to.
    if let Some(i) = chosen.filter(|_| chosen_valid)
        && let Some(b) = rule.backends.get(i)
    {
        let bfx = filters::apply(&b.filters, "backend", &fcx, &mut fwd, &mut resp);
        for a in &bfx.applied {
            t.step(
                "filter",
                Some(spec::FILTERS),
                format!("backendRef {i} {}: {}", a.kind, a.summary),
            );
        }
        t.filters.extend(bfx.applied);
        mirror_refs.extend(
            rule.mirrors
                .iter()
                .filter(|m| mirror_backend(m) == Some(i))
                .cloned(),
        );
    }
    fwd.backend = chosen.filter(|_| chosen_valid);
    t.forwarded = fwd;
    t.response_headers = resp;
    t.mirrors = resolve_mirrors(graph, route, &mirror_refs, opts);
    if let Some(i) = t.forwarded.backend {
        let b = &t.backends[i];
        t.step(
            "backend",
            Some(spec::BACKENDS),
            format!(
                "this request goes to {}/{}{} as {} {}://{}{}",
                b.namespace,
                b.name,
                b.port.map(|p| format!(":{p}")).unwrap_or_default(),
                t.forwarded.method,
                t.forwarded.scheme,
                t.forwarded.host,
                t.forwarded.path
            ),
        );
    }

    // The session the response establishes (or keeps).
    if let Some(cfg) = session_cfg {
        let backend = t.forwarded.backend;
        let value = backend.map(|i| backends::session_value(&t.backends[i]));
        let mut s = Session {
            config: cfg.clone(),
            carried,
            backend,
            value: value.clone(),
            set_cookie: None,
            response_header: None,
            sticky_requests: None,
            sticky_same_backend: None,
        };
        if let Some(v) = &value
            && !carried
        {
            if cfg.kind == "Header" {
                s.response_header = Some(format!("{}: {v}", cfg.name));
            } else {
                let mut c = format!("{}={v}; Path=/; HttpOnly", cfg.name);
                if cfg.lifetime.as_deref() == Some("Permanent")
                    && let Some(secs) = cfg
                        .absolute_timeout
                        .as_deref()
                        .and_then(backends::duration_secs)
                {
                    c.push_str(&format!("; Max-Age={secs}"));
                }
                s.set_cookie = Some(c);
            }
            t.step(
                "session",
                Some(spec::SESSION),
                format!(
                    "the response starts a session ({}, from {}): {}{}{}",
                    cfg.kind,
                    cfg.source,
                    s.set_cookie
                        .as_ref()
                        .map(|c| format!("Set-Cookie: {c}"))
                        .or_else(|| s.response_header.clone())
                        .unwrap_or_default(),
                    match cfg.lifetime.as_deref() {
                        Some("Permanent") => format!(
                            "; a Permanent cookie, kept by the client for absoluteTimeout ({})",
                            cfg.absolute_timeout.as_deref().unwrap_or("not set")
                        ),
                        Some(_) => "; a Session cookie, dropped when the client closes".into(),
                        None => String::new(),
                    },
                    timeouts(&cfg)
                ),
            );
        }
        if opts.requests > 0
            && let Some(b) = backend
        {
            let n = opts.requests.min(MAX_REQUESTS);
            // One client sends n requests, each carrying the session value of the response
            // before it, through the same selection as any request.
            let mut rng = Rng::new(opts.seed ^ 0x5e55_1011);
            let mut carrying = value.clone();
            let mut same = 0;
            for _ in 0..n {
                let pick = carrying
                    .as_deref()
                    .and_then(|v| sticky_target(&t.backends, v))
                    .or_else(|| rng.weighted(&weights));
                same += u64::from(pick == Some(b));
                carrying = pick
                    .filter(|&i| t.backends[i].valid)
                    .map(|i| backends::session_value(&t.backends[i]));
            }
            s.sticky_requests = Some(n);
            s.sticky_same_backend = Some(same);
            t.step(
                "session",
                Some(spec::SESSION),
                format!(
                    "{n} requests from one client carrying the session: {same} reach backendRef {b}; the spread below is for {n} new clients"
                ),
            );
        }
        t.session = Some(s);
    }

    if opts.requests > 0 && good > 0 {
        let n = opts.requests.min(MAX_REQUESTS);
        let mut counts = vec![0u64; t.backends.len()];
        let mut errors = 0u64;
        let mut rng = Rng::new(opts.seed);
        for _ in 0..n {
            match rng.weighted(&weights) {
                Some(i) if t.backends[i].valid => counts[i] += 1,
                _ => errors += 1,
            }
        }
        let mut out: Vec<Count> = t
            .backends
            .iter()
            .enumerate()
            .filter(|(_, b)| b.valid)
            .map(|(i, b)| Count {
                backend: Some(i),
                name: format!(
                    "{}/{}{}",
                    b.namespace,
                    b.name,
                    b.port.map(|p| format!(":{p}")).unwrap_or_default()
                ),
                count: counts[i],
            })
            .collect();
        if errors > 0 || t.error_share > 0.0 {
            out.push(Count {
                backend: None,
                name: "HTTP 500".into(),
                count: errors,
            });
        }
        t.distribution = Some(Distribution {
            requests: n,
            seed: opts.seed,
            capped: opts.requests > MAX_REQUESTS,
            counts: out,
        });
        if opts.requests > MAX_REQUESTS {
            t.step(
                "backend",
                None,
                format!("--requests {} is capped at {MAX_REQUESTS}", opts.requests),
            );
        }
    } else if opts.requests > 0 {
        let n = opts.requests.min(MAX_REQUESTS);
        t.distribution = Some(Distribution {
            requests: n,
            seed: opts.seed,
            capped: opts.requests > MAX_REQUESTS,
            counts: vec![Count {
                backend: None,
                name: "HTTP 500".into(),
                count: n,
            }],
        });
    }
}

/// The backend a session value names, when it is a valid backend of the rule.
fn sticky_target(backends: &[Backend], value: &str) -> Option<usize> {
    let (ns, name, port) = backends::decode_session(value)?;
    backends
        .iter()
        .position(|b| b.valid && b.namespace == ns && b.name == name && b.port == port)
}

/// The index of the backendRef whose filters hold a RequestMirror; `None` for rule-level
/// mirrors.
fn mirror_backend(m: &graph::BackendRef) -> Option<usize> {
    use crate::fieldpath::PathSeg;
    m.path.segments().windows(2).find_map(|w| match w {
        [PathSeg::Key(k), PathSeg::Index(i)] if k == "backendRefs" => Some(*i),
        _ => None,
    })
}

fn timeouts(cfg: &SessionConfig) -> String {
    let mut parts = Vec::new();
    if let Some(i) = &cfg.idle_timeout {
        parts.push(format!("it ends after {i} without a request (idleTimeout)"));
    }
    if let Some(a) = &cfg.absolute_timeout {
        parts.push(format!("it ends {a} after it started (absoluteTimeout)"));
    }
    if parts.is_empty() {
        "; no timeout is set, so it lasts while the backend stays valid".into()
    } else {
        format!("; {}", parts.join(", and "))
    }
}

fn resolve_mirrors(
    graph: &Graph,
    route: &Route,
    refs: &[graph::BackendRef],
    opts: &Options,
) -> Vec<Backend> {
    refs.iter()
        .map(|m| {
            let mut b = backends::resolve(graph, route, m, opts.complete);
            b.weight = 0;
            b
        })
        .collect()
}

/// The rule's `sessionPersistence`, or else the first (oldest, then by namespace/name)
/// BackendLBPolicy targeting one of the rule's Service backends. A rule's setting
/// overrides a policy's (GW326 reports the override).
fn session_config(graph: &Graph, rule: &graph::Rule) -> Option<SessionConfig> {
    if let Some(sp) = rule.session_persistence.as_ref().filter(|sp| sp.is_object) {
        return Some(SessionConfig::new(sp, "route rule".into()));
    }
    let mut policies: Vec<_> = graph
        .policies
        .iter()
        .filter(|p| !p.is_tls())
        .filter(|p| {
            p.targets.iter().any(|(t, _)| {
                t.group.is_empty()
                    && t.kind == "Service"
                    && rule
                        .backends
                        .iter()
                        .any(|b| b.is_service() && b.namespace == p.namespace && b.name == t.name)
            })
        })
        .collect();
    policies.sort_by(|a, b| {
        (
            a.created().is_none(),
            a.created(),
            &a.namespace,
            &a.object.name,
        )
            .cmp(&(
                b.created().is_none(),
                b.created(),
                &b.namespace,
                &b.object.name,
            ))
    });
    let p = policies.first()?;
    let sp = p.session_persistence.as_ref()?;
    Some(SessionConfig::new(
        sp,
        format!("BackendLBPolicy {}/{}", p.namespace, p.object.name),
    ))
}
