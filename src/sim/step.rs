//! The steps of a simulation as data: what the simulator found or decided at each point,
//! with the values that explain it, and no wording.
//!
//! Owns [`Step`], one variant per kind of event (a listener chosen or refused, routes
//! attached, matches counted, the winner and the precedence rule that made it win, a filter
//! applied, a backend listed or chosen, a session kept or started, ...), and the machine name
//! of the stage each belongs to. The sentences people read, and the specification each step
//! cites, are written by `render::trace`, which sits above the simulator; the simulator never
//! formats prose for a step, so one layer decides how a step is worded.

use super::backends::{Backend, SessionConfig};
use super::cors::CorsAnswer;
use super::filters::Forwarded;
use super::rule::{Retry, RetryBudget, Timeouts};
use super::{ListenerSetId, NsName, RouteId};
use crate::graph::{ConflictKind, RouteKind};

/// A listener as a step reports it.
#[derive(Debug, Clone)]
pub struct ListenerInfo {
    pub name: String,
    pub protocol: String,
    pub port: Option<i64>,
    pub hostname: Option<String>,
    /// The ListenerSet the listener belongs to; `None` for a Gateway's own.
    pub set: Option<ListenerSetId>,
}

impl ListenerInfo {
    pub(super) fn of(l: &crate::graph::Listener, set: Option<ListenerSetId>) -> Self {
        ListenerInfo {
            name: l.name.clone(),
            protocol: l.protocol.clone(),
            port: l.port,
            hostname: l.hostname.clone(),
            set,
        }
    }
}

/// The match that came second, and the precedence step on which the winner beat it.
#[derive(Debug, Clone)]
pub struct RunnerUp {
    pub route: RouteId,
    pub rule: usize,
    pub match_index: usize,
    pub lost_on: &'static str,
}

/// Why no request of the rule reaches a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoBackend {
    /// The rule has no backendRefs (and no redirect).
    NoRefs,
    /// Every backendRef has weight 0.
    AllWeightZero,
    /// No backendRef with a positive weight is valid.
    NoneValid,
}

/// One step of the decision, in the order it was taken, grouped by the part of the
/// decision it belongs to.
#[derive(Debug, Clone)]
pub enum Step {
    Listener(ListenerStep),
    Attach(AttachStep),
    Mesh(MeshStep),
    Match(MatchStep),
    Filter(FilterStep),
    Backend(BackendStep),
    Session(SessionStep),
    /// Something the winning rule (or a policy) uses that the cluster's release or channel
    /// does not have.
    Unavailable(Unavailable),
    Stream(StreamStep),
}

/// A field, filter or kind the inputs use that the cluster's release and channel lack.
#[derive(Debug, Clone)]
pub struct Unavailable {
    /// The stage of the decision it belongs to (`filter`, `backend`, `session`).
    pub stage: &'static str,
    /// What is used: `the CORS filter`, `statusCode 307`.
    pub what: String,
    /// Where it exists, as an `x-gwctl-in` marker of the schema description.
    pub marker: &'static str,
    /// The cluster, as [`super::Options::cluster`] names it.
    pub cluster: String,
    /// Whether gwctl simulates without it (else as written, with a warning).
    pub ignored: bool,
}

/// Listener selection on a Gateway.
#[derive(Debug, Clone)]
pub enum ListenerStep {
    /// The inputs hold no Gateway at all.
    NoGateway,
    /// No Gateway has a listener on the request's port.
    NoGatewayOnPort { port: i64 },
    /// The chosen Gateway has no listener on the port; `listeners` are all of its listeners.
    NoListenerOnPort {
        gateway: NsName,
        port: i64,
        listeners: Vec<ListenerInfo>,
    },
    /// The listeners on the port (`listeners`) all use another protocol than `protocol`.
    NoListenerForProtocol {
        port: i64,
        protocol: &'static str,
        scheme: String,
        listeners: Vec<ListenerInfo>,
    },
    /// None of the listeners of the right protocol on the port matches the host: the
    /// request is refused as one no route matches (HTTP 404, or for a gRPC call
    /// UNIMPLEMENTED).
    NoListenerForHost {
        port: i64,
        protocol: &'static str,
        host: String,
        listeners: Vec<ListenerInfo>,
        answer: NoHost,
    },
    /// A ListenerSet has `listener` on the request's port, but its Gateway does not admit
    /// the ListenerSet, so the listener is not there.
    NotAdmitted {
        listener: ListenerInfo,
        gateway: NsName,
    },
    /// A ListenerSet listener that matches the request conflicts with `with`, which takes
    /// precedence, and so serves nothing.
    Conflicted {
        listener: ListenerInfo,
        with: ListenerInfo,
        kind: ConflictKind,
    },
    /// No HTTPS listener on the port matches the connection's SNI: the handshake fails.
    NoListenerForSni {
        port: i64,
        sni: String,
        listeners: Vec<ListenerInfo>,
    },
    /// The connection's SNI chose one HTTPS listener and the request's Host another: HTTP
    /// 421 Misdirected Request.
    Misdirected {
        sni: String,
        by_sni: ListenerInfo,
        host: String,
        by_host: ListenerInfo,
    },
    /// The listener that takes the request, and the less specific ones it isolates.
    Chosen {
        gateway: NsName,
        listener: ListenerInfo,
        port: i64,
        host: String,
        isolated: Vec<ListenerInfo>,
    },
}

/// What a request gets when the listeners of its protocol on its port all have other
/// hostnames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoHost {
    /// HTTP 404.
    NotFound,
    /// gRPC status UNIMPLEMENTED.
    Unimplemented,
    /// A TLS connection whose SNI no listener takes is rejected.
    Rejected,
}

/// Route attachment to the chosen listener.
#[derive(Debug, Clone)]
pub enum AttachStep {
    /// A route is attached, but none of its hostnames matches the host.
    HostnameMismatch {
        route: RouteId,
        hostnames: Vec<String>,
        host: String,
    },
    /// A route that could serve the host is not attached to the listener.
    NotAttached {
        route: RouteId,
        listener: String,
        reason: String,
    },
    /// How many routes of `kind` are attached to the listener and match the host.
    Attached {
        count: usize,
        kind: RouteKind,
        listener: String,
        host: String,
    },
}

/// The mesh (GAMMA) case: the Service and the routes that apply to the caller.
#[derive(Debug, Clone)]
pub enum MeshStep {
    /// The Service has no such port (`ports` lists those it has): the connection is refused.
    PortMissing {
        service: NsName,
        port: u16,
        ports: String,
    },
    /// The Service is headless.
    Headless { service: NsName },
    /// The Service is not in the inputs and is assumed to exist.
    Assumed { service: NsName, port: u16 },
    /// GRPCRoutes also bind the Service port an HTTP request goes to.
    GrpcRoutesPrecede { routes: Vec<RouteId> },
    /// A route naming the Service does not apply to this request.
    NotApplied { route: RouteId, reason: String },
    /// Consumer routes apply; `skipped` are the producer routes they override.
    ConsumerRoutes {
        count: usize,
        from_namespace: String,
        skipped: Vec<RouteId>,
    },
    /// Producer routes apply (possibly none).
    ProducerRoutes {
        count: usize,
        namespace: String,
        from_namespace: String,
    },
    /// No route applies: the request goes to the Service itself.
    ServiceItself {
        kind: RouteKind,
        service: NsName,
        port: u16,
    },
}

/// Match evaluation and precedence.
#[derive(Debug, Clone)]
pub enum MatchStep {
    /// How many matches accept the request and how many do not.
    Counted {
        kind: RouteKind,
        accepted: usize,
        missed: usize,
    },
    /// No match accepts the request.
    NoMatch { kind: RouteKind },
    /// The winning match, and the one it beat, if any.
    Winner {
        kind: RouteKind,
        route: RouteId,
        rule: usize,
        /// The winning rule's `name`, when it has one.
        rule_name: Option<String>,
        match_index: usize,
        runner_up: Option<RunnerUp>,
    },
    /// A regular expression match competed, whose precedence is implementation-specific.
    RegexRanked { kind: RouteKind },
}

/// Filters of the winning rule and of the chosen backendRef.
#[derive(Debug, Clone)]
pub enum FilterStep {
    /// A filter applied: the rule's (`backend` None) or a backendRef's own.
    Applied {
        backend: Option<usize>,
        kind: String,
        summary: String,
    },
    /// A RequestRedirect answers the request.
    Redirect { status: u16, location: String },
    /// A CORS filter answers a preflight, or adds its headers to a cross-origin request's
    /// response (`backend` as for [`FilterStep::Applied`]).
    Cors {
        backend: Option<usize>,
        answer: CorsAnswer,
    },
}

/// The winning rule's backends, and where this request (or a batch) goes.
#[derive(Debug, Clone)]
pub enum BackendStep {
    /// One backendRef of the winning rule, as resolved.
    Listed { index: usize, backend: Backend },
    /// No request reaches a backend.
    NoneUsable(NoBackend),
    /// The share of requests that go to invalid backends.
    ErrorShare { share: f64, this_request: bool },
    /// The backend this request goes to, and the request as forwarded.
    Chosen {
        backend: Backend,
        request: Forwarded,
    },
    /// `--requests` was lowered to `cap`.
    Capped { requests: u64, cap: u64 },
    /// The winning rule's timeouts.
    Timeouts(Timeouts),
    /// The winning rule's retry; `within` is the request timeout that bounds every attempt.
    Retry {
        retry: Retry,
        within: Option<String>,
    },
    /// The retry budget of the backend the request went to.
    RetryBudget(RetryBudget),
}

/// Session persistence.
#[derive(Debug, Clone)]
pub enum SessionStep {
    /// The rule sets session persistence (from `source`), which the standard channel lacks.
    NeedsExperimental { source: String },
    /// The request carries a session naming a valid backend.
    Kept {
        config: SessionConfig,
        value: String,
        backend: usize,
    },
    /// The request carries a session that names no valid backend.
    Unknown { name: String, value: String },
    /// The response starts a session; `carrier` is its Set-Cookie or response header line.
    Started {
        config: SessionConfig,
        carrier: String,
    },
    /// Of `requests` sent by one client carrying the session, `same` reach `backend`.
    Sticky {
        requests: u64,
        same: u64,
        backend: usize,
    },
}

/// A TLS, TCP or UDP connection once a listener has taken it: the route that takes it and
/// the backend it goes to.
#[derive(Debug, Clone)]
pub enum StreamStep {
    /// No route of `kind` is attached for the connection: it is rejected.
    NoRoute { kind: RouteKind },
    /// The route that takes the connection, and the next one with the step it lost on.
    Winner {
        kind: RouteKind,
        route: RouteId,
        runner_up: Option<(RouteId, &'static str)>,
    },
    /// The route has several rules (TCPRoute and UDPRoute v1alpha2 allow it) and nothing to
    /// choose between them: the first is used.
    FirstRuleOnly { rules: usize },
    /// One backendRef of the rule, as resolved.
    Backend { index: usize, backend: Backend },
    /// No backendRef with a positive weight is valid: every connection is rejected.
    NoBackends,
    /// The share of connections that go to invalid backends and are rejected.
    Rejected { share: f64, this_connection: bool },
    /// The backend this connection goes to.
    Chosen { backend: Backend },
}

impl Step {
    /// The stage of the decision the step belongs to, as named in the JSON output.
    pub fn stage(&self) -> &'static str {
        match self {
            Step::Listener(_) => "listener",
            Step::Attach(AttachStep::HostnameMismatch { .. }) => "hostname",
            Step::Attach(_) | Step::Mesh(MeshStep::NotApplied { .. }) => "attach",
            Step::Mesh(_) => "mesh",
            Step::Match(MatchStep::Counted { .. } | MatchStep::NoMatch { .. }) => "match",
            Step::Match(_) => "precedence",
            Step::Filter(_) => "filter",
            Step::Backend(_) => "backend",
            Step::Session(_) => "session",
            Step::Unavailable(u) => u.stage,
            Step::Stream(StreamStep::NoRoute { .. }) => "match",
            Step::Stream(StreamStep::Winner { .. } | StreamStep::FirstRuleOnly { .. }) => {
                "precedence"
            }
            Step::Stream(_) => "backend",
        }
    }
}
