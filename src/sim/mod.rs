//! The request simulator: where a conformant implementation of the chosen Gateway API release
//! sends one request, and why.
//!
//! Owns the routing decision, as pure functions over the reference [`Graph`]: listener
//! selection (port, protocol, most specific hostname, listener isolation, over the Gateway's
//! listeners merged with its ListenerSets'; 421 for a Host whose listener is not the one the
//! SNI chose) in `gateway`, route attachment (delegated to [`crate::graph::attach`], so lint
//! and simulate never disagree), the mesh (GAMMA) case where the parent is a Service in
//! `mesh`, in `route` match evaluation and precedence ([`matching`]), filters ([`filters`],
//! with the CORS filter's answer in [`cors`]), backends, weights and session persistence
//! ([`backends`]), and the winning rule's name, timeouts and retry ([`rule`]), and in `stream`
//! the TLS, TCP and UDP connections that TLSRoutes, TCPRoutes and UDPRoutes carry. What the
//! cluster's release and channel have ([`Options::has`]) decides which of the later additions
//! take effect. This module owns the answer's types and
//! [`simulate`], which runs those stages in order. The result is a [`Trace`]: the answer
//! plus every step that led to it, as data ([`step::Step`]); `render::trace` words the
//! steps and cites the rule of the specification each applies. No I/O happens here; the
//! CLI loads inputs and renders.

pub mod backends;
pub mod cors;
pub mod filters;
mod gateway;
pub mod matching;
mod mesh;
pub mod request;
mod route;
pub mod rule;
pub mod step;
mod stream;

use serde::Serialize;

use crate::graph::{Graph, Route, RouteKind};
use crate::schema::release::{At, Cond};
use crate::schema::{Channel, Release};
use backends::{Backend, SessionConfig};
use filters::{Applied, Forwarded, Redirect, ResponseHeaders};
pub use request::Request;
use step::Step;

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
    /// The cluster installs the experimental channel: only then do `sessionPersistence`,
    /// `retry`, BackendLBPolicy and XBackendTrafficPolicy exist (and, before the releases
    /// that made them standard, CORS, `timeouts` and mirror shares), so only then do they
    /// take effect.
    pub experimental: bool,
    /// The Gateway API release the cluster runs (`--gateway-api-version`); `None` (only
    /// `--crds`) counts every field of every release as present.
    pub release: Option<Release>,
    /// `--sni`: the SNI of an https request's connection, when it differs from the host (a
    /// client reusing a connection set up for another host).
    pub sni: Option<String>,
    /// Leave out of the trace the routes that are attached to the listener but serve other
    /// hostnames (a step each, often most of a listener's routes). `gwctl test` runs many
    /// requests and reads their answers and the steps that decide them, never that list.
    pub brief: bool,
}

impl Options {
    /// Whether the cluster's release and channel have what an `x-gwctl-in` marker of the
    /// schema description (`experimental v1.3+, standard v1.5+`) describes: the same
    /// language the schemas use, so simulate and lint agree on what a release has.
    pub fn has(&self, marker: &str) -> bool {
        let Some(release) = self.release else {
            return true;
        };
        let channel = if self.experimental {
            Channel::Experimental
        } else {
            Channel::Standard
        };
        Cond::parsed(marker).is_ok_and(|c| {
            c.holds(At {
                entry: release.entry_index(),
                channel,
                version: "",
            })
        })
    }

    /// `v1.4.1, standard channel`: the cluster as the trace names it.
    pub fn cluster(&self) -> String {
        format!(
            "{}{} channel",
            self.release
                .map(|r| format!("{}, ", r.tag()))
                .unwrap_or_default(),
            if self.experimental {
                "experimental"
            } else {
                "standard"
            }
        )
    }
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
    /// A CORS filter answers a preflight request itself; nothing is forwarded.
    CorsPreflight,
    Misdirected,
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
            Outcome::CorsPreflight => "cors-preflight",
            Outcome::Misdirected => "misdirected",
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

/// A ListenerSet (or XListenerSet) that holds the listener a request arrived on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListenerSetId {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl std::fmt::Display for ListenerSetId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
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
    /// The HTTP status the client sees: 200 when forwarded (the backend answers) and for a
    /// preflight a CORS filter answers, the redirect code, 404, 500; null when no listener
    /// takes the connection.
    pub status: Option<u16>,
    /// For gRPC calls: the gRPC status when gwctl knows it (UNIMPLEMENTED when no route
    /// matches, UNAVAILABLE for a backend error).
    pub grpc_status: Option<&'static str>,
    pub request: Request,
    /// The SNI of the connection, when `--sni` gave one.
    pub sni: Option<String>,
    pub gateway: Option<NsName>,
    pub listener: Option<String>,
    /// The ListenerSet whose listener took the request; null for a Gateway's own listener.
    pub listener_set: Option<ListenerSetId>,
    pub service: Option<MeshTarget>,
    pub route: Option<RouteId>,
    pub rule: Option<usize>,
    #[serde(rename = "match")]
    pub match_index: Option<usize>,
    /// The winning rule's `name` (HTTPRoute and GRPCRoute); the key is left out when the
    /// rule has none.
    #[serde(rename = "rule_name", skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    pub backends: Vec<Backend>,
    /// The share of requests that get HTTP 500 because their backend is invalid.
    pub error_share: f64,
    pub mirrors: Vec<Backend>,
    pub redirect: Option<Redirect>,
    pub forwarded: Forwarded,
    pub filters: Vec<Applied>,
    pub response_headers: ResponseHeaders,
    pub session: Option<Session>,
    /// The winning rule's `timeouts`, when it sets them (left out otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<rule::Timeouts>,
    /// The winning rule's `retry`, when it sets it and the cluster has it (left out
    /// otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<rule::Retry>,
    /// The retry budget an XBackendTrafficPolicy sets for the backend the request went to
    /// (left out when none does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_budget: Option<rule::RetryBudget>,
    /// What a CORS filter of the winning rule answers, for a request with an `Origin`
    /// (left out otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors: Option<cors::CorsAnswer>,
    pub distribution: Option<Distribution>,
    pub candidates: Vec<Candidate>,
    pub misses: Vec<Miss>,
    pub unattached: Vec<Unattached>,
    pub findings: Vec<Finding>,
    /// The steps of the decision, in order. They are data here; their wording, and the
    /// `trace` member of the JSON contract that carries it, belong to `render::trace`.
    #[serde(skip)]
    pub steps: Vec<Step>,
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
            sni: None,
            gateway: None,
            listener: None,
            listener_set: None,
            service: None,
            route: None,
            rule: None,
            match_index: None,
            rule_name: None,
            backends: Vec::new(),
            error_share: 0.0,
            mirrors: Vec::new(),
            redirect: None,
            forwarded: Forwarded::from_request(req),
            filters: Vec::new(),
            response_headers: ResponseHeaders::default(),
            session: None,
            timeouts: None,
            retry: None,
            retry_budget: None,
            cors: None,
            distribution: None,
            candidates: Vec::new(),
            misses: Vec::new(),
            unattached: Vec::new(),
            findings: Vec::new(),
            steps: Vec::new(),
            involved: Vec::new(),
        }
    }

    fn step(&mut self, step: Step) {
        self.steps.push(step);
    }

    fn involve(&mut self, kind: &str, ns: &str, name: &str) {
        let k = (kind.to_owned(), ns.to_owned(), name.to_owned());
        if !self.involved.contains(&k) {
            self.involved.push(k);
        }
    }
}

/// Simulate one request (and, with `opts.requests`, a batch of them) against `graph`.
pub fn simulate(graph: &Graph, req: &Request, opts: &Options) -> Result<Trace, SimError> {
    let mut t = Trace::new(req);
    t.sni = opts.sni.clone();
    let kind = match req.scheme.as_str() {
        "tls" => RouteKind::Tls,
        "tcp" => RouteKind::Tcp,
        "udp" => RouteKind::Udp,
        _ if req.grpc.is_some() => RouteKind::Grpc,
        _ => RouteKind::Http,
    };
    let stream = matches!(kind, RouteKind::Tls | RouteKind::Tcp | RouteKind::Udp);
    if stream && opts.service.is_some() {
        return Err(SimError(format!(
            "--service simulates HTTP and gRPC requests to a Service; a {}:// connection goes to a Gateway",
            req.scheme
        )));
    }
    let ctx = if let Some((ns, name, port)) = &opts.service {
        match mesh::mesh_parents(
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
        match gateway::gateway_parents(graph, &mut t, req, opts, kind)? {
            Some(c) => c,
            None => return Ok(t),
        }
    };
    if stream {
        stream::route_stream(graph, &mut t, opts, kind, &ctx);
    } else {
        route::route_request(graph, &mut t, req, opts, kind, &ctx);
    }
    Ok(t)
}

/// Where routes compete: the attached routes (with the effective hostname each competes
/// with) and the port the request arrived on.
struct Arena<'g, 'a> {
    routes: Vec<(&'g Route<'a>, Option<String>)>,
    port: u16,
    mesh: bool,
}

/// The routes of one kind sorted by namespace/name (a stable sort: duplicates, which lint
/// reports, keep input order), so
/// every list and step of the trace comes out the same whatever the order of the inputs.
/// Each with its index in [`Graph::routes`]; the order is the graph's, made once per graph.
fn routes_in_order<'g, 'a>(
    graph: &'g Graph<'a>,
    kind: RouteKind,
) -> impl Iterator<Item = (usize, &'g Route<'a>)> {
    graph
        .route_order()
        .iter()
        .map(|&i| (i, &graph.routes[i]))
        .filter(move |(_, r)| r.kind == kind)
}

/// The release markers simulate tests what a cluster has with are written beside the code
/// that uses them; they must say what the bundled description says of the same field,
/// value or kind, in every release and channel.
#[cfg(test)]
mod markers_agree_with_the_description {
    use super::cors::CORS_IN;
    use super::route::{MIRROR_SHARE_IN, REDIRECT_CODES_IN};
    use super::rule::{RETRY_IN, TIMEOUTS_IN, TRAFFIC_POLICY_IN};
    use crate::schema::release::{At, Cond};
    use crate::schema::{Availability, Channel, Release, Step, Store};

    const GW: &str = "gateway.networking.k8s.io";

    fn rule_field(field: &[&'static str]) -> Vec<Step<'static>> {
        let mut steps = vec![Step::Key("spec"), Step::Key("rules"), Step::Index];
        steps.extend(field.iter().map(|k| Step::Key(k)));
        steps
    }

    fn agree(marker: &str, channels: &[Channel], avail: impl Fn(Release) -> Availability) {
        let cond = Cond::parse(marker).unwrap();
        for r in Release::all() {
            let a = avail(r);
            for &c in channels {
                let at = At {
                    entry: r.entry_index(),
                    channel: c,
                    version: "",
                };
                assert_eq!(cond.holds(at), a.has(r, c), "{marker} at {r} {c}");
            }
        }
    }

    fn field(path: Vec<Step<'static>>) -> impl Fn(Release) -> Availability {
        move |r| {
            Store::for_release(r)
                .kind(GW, "HTTPRoute")
                .unwrap()
                .field_availability("v1", &path)
                .unwrap()
        }
    }

    #[test]
    fn route_fields() {
        let both = [Channel::Standard, Channel::Experimental];
        let filter = |f: &'static str| {
            rule_field(&["filters"])
                .into_iter()
                .chain([Step::Index, Step::Key(f)])
                .collect::<Vec<_>>()
        };
        agree(CORS_IN, &both, field(filter("cors")));
        let mut percent = filter("requestMirror");
        percent.push(Step::Key("percent"));
        agree(MIRROR_SHARE_IN, &both, field(percent));
        agree(TIMEOUTS_IN, &both, field(rule_field(&["timeouts"])));
        agree(RETRY_IN, &both, field(rule_field(&["retry"])));
        let mut code = filter("requestRedirect");
        code.push(Step::Key("statusCode"));
        agree(REDIRECT_CODES_IN, &both, move |r| {
            Store::for_release(r)
                .kind(GW, "HTTPRoute")
                .unwrap()
                .value_availability("v1", &code, &serde_json::json!(307))
                .unwrap()
        });
    }

    #[test]
    fn traffic_policy_kind() {
        agree(
            TRAFFIC_POLICY_IN,
            &[Channel::Standard, Channel::Experimental],
            |r| {
                Store::for_release(r)
                    .kind("gateway.networking.x-k8s.io", "XBackendTrafficPolicy")
                    .unwrap()
                    .availability()
                    .unwrap()
            },
        );
    }
}
