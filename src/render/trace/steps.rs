//! The words of a simulation step: the sentence each [`Step`] reads as, and the rule of the
//! specification it cites.
//!
//! Owns every sentence of the trace's step list, for both outputs: the human report numbers
//! them, and the JSON contract carries them as `message` (see [`super::json`]). The
//! simulator hands over data only, so wording changes happen here, once. One function per
//! part of the decision (listener, attachment, mesh, matching, filters, backends, session).

use crate::graph::{ConflictKind, RouteKind};
use crate::sim::backends::SessionConfig;
use crate::sim::cors::CorsAnswer;
use crate::sim::rule::{Retry, Timeouts};
use crate::sim::step::{
    AttachStep, BackendStep, FilterStep, ListenerInfo, ListenerStep, MatchStep, MeshStep,
    NoBackend, NoHost, SessionStep, Step, Unavailable,
};

use super::{Paint, Wording, backend_line};

/// Specification references cited in the trace.
mod spec {
    pub const LISTENER_PORT: &str =
        "Gateway spec.listeners: a request is served by the listeners on the port it arrives on";
    pub const LISTENER_PROTOCOL: &str = "Listener.protocol: HTTP listeners serve http, HTTPS listeners https, TLS listeners tls, TCP listeners tcp, UDP listeners udp";
    pub const LISTENER_HOSTNAME: &str = "Listener.hostname: requests are matched to the listener with the most specific matching hostname; a request matching a more specific listener is not served by a less specific one (listener isolation)";
    pub const LISTENERSET_ADMITTED: &str = "Gateway spec.allowedListeners: a ListenerSet's listeners join its Gateway only when the Gateway admits the ListenerSet's namespace (None, the default, admits none)";
    pub const LISTENER_CONFLICT: &str = "ListenerSet spec.listeners: listeners merge into the parent Gateway's in precedence order (the Gateway's own, then ListenerSets oldest first, then by namespace/name); one that conflicts with an earlier listener is not accepted";
    pub const LISTENER_MISDIRECTED: &str = "Listener.hostname (GEP-3567): a request whose Host has another HTTPS listener on the port than the one its connection's SNI chose SHOULD get 421 Misdirected Request; a Host no listener matches gets 404";
    pub const LISTENER_NO_HOST: &str = "Gateway spec.listeners: traffic on a served port that matches no listener's hostname is rejected: HTTP 404, gRPC UNIMPLEMENTED, a TLS connection refused";
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
    pub const CORS: &str = "HTTPCORSFilter: a preflight from an allowed origin is answered with the allowed methods, headers and max age; a matching origin is echoed in Access-Control-Allow-Origin, and with allowCredentials no header carries *; GET, HEAD and POST are always allowed; an origin not allowed gets no CORS headers";
    pub const TIMEOUTS: &str = "HTTPRouteTimeouts: request bounds the whole exchange and the gateway answers with a timeout error when it runs out; backendRequest bounds each request to a backend, retries included; 0s disables a timeout; unset is implementation-specific";
    pub const RETRY_BUDGET: &str = "XBackendTrafficPolicy retryConstraint (experimental): retries to the targeted backend are capped at budget.percent of its requests over budget.interval (default 20% per 10s), with minRetryRate always allowed (default 10 per 1s)";
    pub const RETRY: &str = "HTTPRouteRetry (experimental): a backend request answered with one of codes (500, 502, 503 and 504 must be supported) or failing to connect is retried up to attempts times, at least backoff apart, within the request timeout; then the error is returned";
}

/// The rule of the specification a step applies; `None` for gwctl's own notes.
pub fn spec(step: &Step) -> Option<&'static str> {
    Some(match step {
        Step::Listener(ListenerStep::NoListenerForProtocol { .. }) => spec::LISTENER_PROTOCOL,
        Step::Listener(ListenerStep::NoListenerForHost { .. }) => spec::LISTENER_NO_HOST,
        Step::Listener(ListenerStep::Conflicted { .. }) => spec::LISTENER_CONFLICT,
        Step::Listener(
            ListenerStep::Misdirected { .. } | ListenerStep::NoListenerForSni { .. },
        ) => spec::LISTENER_MISDIRECTED,
        Step::Listener(ListenerStep::NotAdmitted { .. }) => spec::LISTENERSET_ADMITTED,
        Step::Listener(ListenerStep::Chosen { .. }) => spec::LISTENER_HOSTNAME,
        Step::Listener(_) => spec::LISTENER_PORT,
        Step::Attach(AttachStep::HostnameMismatch { .. }) => spec::ROUTE_HOSTNAME,
        Step::Attach(_) => spec::ATTACH,
        Step::Mesh(MeshStep::ServiceItself { .. }) => spec::MESH_DEFAULT,
        Step::Mesh(_) => spec::MESH,
        Step::Match(MatchStep::Counted { kind, .. }) => match kind {
            RouteKind::Grpc => spec::GRPC_MATCH,
            _ => spec::HTTP_MATCH,
        },
        Step::Match(MatchStep::NoMatch { .. }) => spec::NOT_FOUND,
        Step::Match(MatchStep::Winner { kind, .. } | MatchStep::RegexRanked { kind }) => match kind
        {
            RouteKind::Grpc => spec::GRPC_PRECEDENCE,
            _ => spec::HTTP_PRECEDENCE,
        },
        Step::Filter(FilterStep::Cors { .. }) => spec::CORS,
        Step::Filter(_) => spec::FILTERS,
        Step::Backend(BackendStep::Capped { .. }) | Step::Unavailable(_) => return None,
        Step::Backend(BackendStep::Timeouts(_)) => spec::TIMEOUTS,
        Step::Backend(BackendStep::Retry { .. }) => spec::RETRY,
        Step::Backend(BackendStep::RetryBudget(_)) => spec::RETRY_BUDGET,
        Step::Backend(_) => spec::BACKENDS,
        Step::Session(_) => spec::SESSION,
        Step::Stream(s) => return super::stream::spec(s),
    })
}

/// The sentence a step reads as.
pub fn message(step: &Step) -> String {
    match step {
        Step::Listener(s) => listener(s),
        Step::Attach(s) => attach(s),
        Step::Mesh(s) => mesh(s),
        Step::Match(s) => matching(s),
        Step::Filter(s) => filter(s),
        Step::Backend(s) => backend(s),
        Step::Session(s) => session(s),
        Step::Unavailable(u) => unavailable(u),
        Step::Stream(s) => super::stream::message(s),
    }
}

/// A marker of the schema description (`experimental v1.3+, standard v1.5+`) in words, to
/// follow "exists only": `in the experimental channel from v1.3 on and in the standard
/// channel from v1.5 on`, `from v1.5 on`.
fn releases_in_words(marker: &str) -> String {
    let alternatives: Vec<&str> = marker.split(',').collect();
    let alone = alternatives.len() == 1;
    alternatives
        .iter()
        .map(|alt| {
            let mut channel = None;
            let mut range = None;
            for term in alt.split_whitespace() {
                if term == "experimental" || term == "standard" {
                    channel = Some(term);
                } else if let Some(from) = term.strip_suffix('+') {
                    range = Some(format!("from {from} on"));
                } else if let Some(to) = term.strip_prefix('-') {
                    range = Some(format!("up to {to}"));
                } else {
                    range = Some(format!("in {term}"));
                }
            }
            match (channel, range) {
                (Some(c), Some(r)) => format!("in the {c} channel {r}"),
                (Some(c), None) => format!("in the {c} channel"),
                (None, Some(r)) if alone => r,
                (None, Some(r)) => format!("in both channels {r}"),
                (None, None) => alt.trim().to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn unavailable(u: &Unavailable) -> String {
    format!(
        "{} exists only {}, not on this cluster ({}){}",
        u.what,
        releases_in_words(u.marker),
        u.cluster,
        if u.ignored {
            "; the API server refuses or drops it, so gwctl simulates without it (set --gateway-api-version and --channel to the cluster's)"
        } else {
            "; the API server refuses the route, so no such answer is given there; gwctl shows it as written"
        }
    )
}

fn cors(answer: &CorsAnswer) -> String {
    let asked = match (&answer.request_method, answer.request_headers.is_empty()) {
        (Some(m), true) => format!(" for {m}"),
        (Some(m), false) => format!(
            " for {m} with headers {}",
            answer.request_headers.join(", ")
        ),
        (None, _) => String::new(),
    };
    let what = if answer.preflight {
        format!("preflight from {}{asked}", answer.origin)
    } else {
        format!("cross-origin request from {}", answer.origin)
    };
    let verdict = if answer.allowed {
        "allowed".to_owned()
    } else {
        format!("not allowed: {}", answer.denied.join("; "))
    };
    let headers = if answer.headers.0.is_empty() {
        "no CORS headers".to_owned()
    } else {
        join(&answer.headers.0, |(n, v)| format!("{n}: {v}"))
    };
    let (effect, then) = match (answer.preflight, answer.allowed) {
        (true, true) => (
            "the gateway answers it (HTTP 200; 204 is as valid) with",
            "",
        ),
        (true, false) if answer.matched_origin.is_some() => (
            "the gateway answers it (HTTP 200) with",
            "; the browser does not send the request",
        ),
        (true, false) => (
            "the gateway answers it (HTTP 200, or 403) with",
            "; the browser does not send the request",
        ),
        (false, true) => ("the response gets", ""),
        (false, false) => (
            "the response gets",
            "; the browser does not let the page read it",
        ),
    };
    format!("{what}: {verdict}; {effect} {headers}{then}")
}

fn hostname_or_any(h: &Option<String>) -> &str {
    h.as_deref().unwrap_or("*")
}

/// ` (listener "a" has hostname "x", ...)`, or nothing for no listeners.
fn their_hostnames(listeners: &[ListenerInfo]) -> String {
    if listeners.is_empty() {
        return String::new();
    }
    format!(
        " ({})",
        join(listeners, |l| format!(
            "{} has hostname \"{}\"",
            named(l),
            hostname_or_any(&l.hostname)
        ))
    )
}

/// A listener's name, with the ListenerSet it belongs to when it is not the Gateway's own.
fn named(l: &ListenerInfo) -> String {
    match &l.set {
        None => l.name.clone(),
        Some(s) => format!("{} of {s}", l.name),
    }
}

fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

/// `one` when `n` is 1, else `many`: for "1 route is" and "2 routes are".
fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn listener(step: &ListenerStep) -> String {
    match step {
        ListenerStep::NoGateway => "the inputs contain no Gateway".into(),
        ListenerStep::NoGatewayOnPort { port } => {
            format!("no Gateway in the inputs has a listener on port {port}")
        }
        ListenerStep::NoListenerOnPort {
            gateway,
            port,
            listeners,
        } => format!(
            "Gateway {}/{} has no listener on port {port} (its listeners: {})",
            gateway.namespace,
            gateway.name,
            if listeners.is_empty() {
                "none".into()
            } else {
                join(listeners, |l| {
                    format!(
                        "{} {} port {}",
                        named(l),
                        l.protocol,
                        l.port.map_or("?".into(), |p| p.to_string())
                    )
                })
            }
        ),
        ListenerStep::NoListenerForProtocol {
            port,
            protocol,
            scheme,
            listeners,
        } => format!(
            "the listeners on port {port} use {}, none {protocol}, which a {scheme} request needs",
            join(listeners, |l| format!("{} ({})", named(l), l.protocol)),
        ),
        ListenerStep::NoListenerForHost {
            port,
            protocol,
            host,
            listeners,
            answer,
        } => format!(
            "no {protocol} listener on port {port} matches host \"{host}\"{}, so no route is attached for it: {}",
            their_hostnames(listeners),
            match answer {
                NoHost::NotFound => "HTTP 404",
                NoHost::Unimplemented => "gRPC status UNIMPLEMENTED",
                NoHost::Rejected => "the connection is rejected",
            }
        ),
        ListenerStep::NotAdmitted { listener, gateway } => format!(
            "{} has listener {} ({} port {}), but Gateway {}/{} does not admit it (spec.allowedListeners), so nothing listens there",
            listener
                .set
                .as_ref()
                .map_or_else(String::new, ToString::to_string),
            listener.name,
            listener.protocol,
            listener.port.map_or("?".into(), |p| p.to_string()),
            gateway.namespace,
            gateway.name
        ),
        ListenerStep::NoListenerForSni {
            port,
            sni,
            listeners,
        } => format!(
            "no HTTPS listener on port {port} matches SNI \"{sni}\"{}: the TLS handshake has no certificate to offer, and no request is sent",
            their_hostnames(listeners)
        ),
        ListenerStep::Misdirected {
            sni,
            by_sni,
            host,
            by_host,
        } => format!(
            "the connection's SNI \"{sni}\" chose listener {} (hostname \"{}\"), but for Host \"{host}\" listener {} (hostname \"{}\") is the most specific: the request is misdirected, HTTP 421, and the client should retry on a new connection",
            named(by_sni),
            hostname_or_any(&by_sni.hostname),
            named(by_host),
            hostname_or_any(&by_host.hostname)
        ),
        ListenerStep::Conflicted {
            listener,
            with,
            kind,
        } => format!(
            "listener {} ({} port {}, hostname \"{}\") matches, but is not served: it conflicts with listener {}, which takes precedence ({})",
            named(listener),
            listener.protocol,
            listener.port.map_or("?".into(), |p| p.to_string()),
            hostname_or_any(&listener.hostname),
            named(with),
            match kind {
                ConflictKind::Protocol => format!(
                    "{} and {} cannot share a port",
                    with.protocol, listener.protocol
                ),
                ConflictKind::Hostname => "the same port and hostname".into(),
                ConflictKind::Port => format!("two {} listeners on one port", listener.protocol),
            }
        ),
        ListenerStep::Chosen {
            gateway,
            listener,
            port,
            host,
            isolated,
        } => match &listener.set {
            None => format!(
                "listener {} ({} port {port}, hostname \"{}\") of Gateway {}/{} takes host \"{host}\"{}",
                listener.name,
                listener.protocol,
                hostname_or_any(&listener.hostname),
                gateway.namespace,
                gateway.name,
                isolation(isolated)
            ),
            Some(set) => format!(
                "listener {} of {set} ({} port {port}, hostname \"{}\"), merged into Gateway {}/{}, takes host \"{host}\"{}",
                listener.name,
                listener.protocol,
                hostname_or_any(&listener.hostname),
                gateway.namespace,
                gateway.name,
                isolation(isolated)
            ),
        },
    }
}

/// The listeners the chosen one is more specific than, which do not serve the request.
fn isolation(isolated: &[ListenerInfo]) -> String {
    if isolated.is_empty() {
        return String::new();
    }
    format!(
        "; it is more specific than {}, which therefore do not serve this request (listener isolation)",
        join(isolated, |o| format!(
            "{} (\"{}\")",
            named(o),
            hostname_or_any(&o.hostname)
        ))
    )
}

fn attach(step: &AttachStep) -> String {
    match step {
        AttachStep::HostnameMismatch {
            route,
            hostnames,
            host,
        } => format!(
            "{route} is attached but none of its hostnames ({}) matches host \"{host}\"",
            hostnames.join(", ")
        ),
        AttachStep::NotAttached {
            route,
            listener,
            reason,
        } => format!("{route} is not attached to listener {listener}: {reason}"),
        AttachStep::Attached {
            count,
            kind,
            listener,
            host,
        } => format!(
            "{count} {}{} attached to listener {listener} and match{} host \"{host}\"",
            kind.as_str(),
            plural(*count, " is", "s are"),
            plural(*count, "es", ""),
        ),
    }
}

fn mesh(step: &MeshStep) -> String {
    match step {
        MeshStep::PortMissing {
            service,
            port,
            ports,
        } => format!(
            "Service {}/{} has no port {port} (its ports: {ports}), so the connection is refused",
            service.namespace, service.name
        ),
        MeshStep::Headless { service } => format!(
            "Service {}/{} is headless (clusterIP: None); GEP-1426 says routes SHOULD NOT use headless Services as parents, so an implementation may not apply them",
            service.namespace, service.name
        ),
        MeshStep::Assumed { service, port } => format!(
            "Service {}/{} is not in the inputs; gwctl assumes it exists with port {port}",
            service.namespace, service.name
        ),
        MeshStep::GrpcRoutesPrecede { routes } => format!(
            "{} also bind{} this Service port; GEP-1426 gives GRPCRoute precedence over HTTPRoute there, so an implementation may reject these HTTPRoutes as Conflicted (simulate with --grpc to see the GRPCRoute's answer)",
            join(routes, ToString::to_string),
            plural(routes.len(), "s", "")
        ),
        MeshStep::NotApplied { route, reason } => format!("{route} does not apply: {reason}"),
        MeshStep::ConsumerRoutes {
            count,
            from_namespace,
            skipped,
        } => format!(
            "{count} consumer route{} from the caller's namespace \"{from_namespace}\" appl{}; producer routes are not consulted{}",
            plural(*count, "", "s"),
            plural(*count, "ies", "y"),
            if skipped.is_empty() {
                String::new()
            } else {
                format!(" ({} skipped)", join(skipped, ToString::to_string))
            }
        ),
        MeshStep::ProducerRoutes {
            count,
            namespace,
            from_namespace,
        } => format!(
            "{count} producer route{} in the Service's namespace \"{namespace}\" appl{} to callers from \"{from_namespace}\"",
            plural(*count, "", "s"),
            plural(*count, "ies", "y"),
        ),
        MeshStep::ServiceItself {
            kind,
            service,
            port,
        } => format!(
            "no {} applies to Service {}/{} port {port}; the request goes to the Service itself",
            kind.as_str(),
            service.namespace,
            service.name
        ),
    }
}

fn matching(step: &MatchStep) -> String {
    match step {
        MatchStep::Counted {
            accepted, missed, ..
        } => format!(
            "{accepted} match{} accept{} the request; {missed} do{} not",
            plural(*accepted, "", "es"),
            plural(*accepted, "s", ""),
            plural(*missed, "es", "")
        ),
        MatchStep::NoMatch { kind } => match kind {
            RouteKind::Grpc => "no rule matches the call: gRPC status UNIMPLEMENTED".into(),
            _ => "no rule matches the request: HTTP 404".into(),
        },
        MatchStep::Winner {
            route,
            rule,
            rule_name,
            match_index,
            runner_up,
            ..
        } => format!(
            "winner: rule {rule}{} match {match_index} of {route}{}",
            rule_name
                .as_ref()
                .map(|n| format!(" (\"{n}\")"))
                .unwrap_or_default(),
            runner_up
                .as_ref()
                .map(|r| format!(
                    "; it beats rule {} match {} of {} on: {}",
                    r.rule, r.match_index, r.route, r.lost_on
                ))
                .unwrap_or_default()
        ),
        MatchStep::RegexRanked { .. } => "a regular expression match took part: its precedence is implementation-specific; gwctl ranks RegularExpression paths after Exact and PathPrefix and matches with RE2 semantics against the whole value".into(),
    }
}

fn filter(step: &FilterStep) -> String {
    match step {
        FilterStep::Applied {
            backend: None,
            kind,
            summary,
        } => format!("{kind}: {summary}"),
        FilterStep::Applied {
            backend: Some(i),
            kind,
            summary,
        } => format!("backendRef {i} {kind}: {summary}"),
        FilterStep::Redirect { status, location } => format!(
            "RequestRedirect answers {status} with Location: {location}; nothing is forwarded"
        ),
        FilterStep::Cors {
            backend: None,
            answer,
        } => format!("CORS: {}", cors(answer)),
        FilterStep::Cors {
            backend: Some(i),
            answer,
        } => format!("backendRef {i} CORS: {}", cors(answer)),
    }
}

/// Whether a Gateway API duration is zero, which turns a timeout off.
fn is_zero(d: &str) -> bool {
    crate::sim::backends::duration_secs(d).is_some()
        && d.chars().filter(char::is_ascii_digit).all(|c| c == '0')
}

fn rule_timeouts(t: &Timeouts) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &t.request {
        parts.push(if is_zero(r) {
            format!("request {r}: the request timeout is off")
        } else {
            format!("request {r}: past it the gateway answers with a timeout error (commonly 504)")
        });
    }
    if let Some(b) = &t.backend_request {
        parts.push(if is_zero(b) {
            format!("backendRequest {b}: requests to backends have no timeout")
        } else {
            format!(
                "backendRequest {b}: each attempt to reach a backend (the first and every retry) may take at most that"
            )
        });
    }
    if parts.is_empty() {
        "timeouts is set but empty: the implementation's timeouts apply".into()
    } else {
        format!("timeouts: {}", parts.join("; "))
    }
}

fn rule_retry(r: &Retry, within: Option<&str>) -> String {
    use crate::sim::rule::RETRY_CODES_REQUIRED;
    let codes = if r.codes.is_empty() {
        "that fails to connect (no codes are listed)".to_owned()
    } else {
        format!(
            "answered with {} or failing to connect",
            join(&r.codes, ToString::to_string)
        )
    };
    let optional: Vec<i64> = r
        .codes
        .iter()
        .copied()
        .filter(|c| !RETRY_CODES_REQUIRED.contains(c))
        .collect();
    format!(
        "retry: a backend request {codes} is retried {}, {}{}; when the last attempt fails the gateway returns its error{}",
        r.attempts.map_or(
            "an implementation-specific number of times".into(),
            |n| format!("up to {n} time{}", if n == 1 { "" } else { "s" })
        ),
        r.backoff
            .as_deref()
            .map_or("after an implementation-specific wait".into(), |b| format!(
                "at least {b} apart"
            )),
        within
            .filter(|w| !is_zero(w))
            .map(|w| format!(", all within the request timeout {w}"))
            .unwrap_or_default(),
        if optional.is_empty() {
            String::new()
        } else {
            format!(
                " (implementations must retry 500, 502, 503 and 504; {} may not be supported)",
                join(&optional, ToString::to_string)
            )
        }
    )
}

fn backend(step: &BackendStep) -> String {
    match step {
        BackendStep::Listed { index, backend } => {
            // Step sentences are plain: the JSON carries them, and the human report does not
            // colour inside a step.
            backend_line(backend, Wording::Step(*index), &Paint { on: false })
        }
        BackendStep::NoneUsable(why) => match why {
            NoBackend::NoRefs => {
                "the rule has no backendRefs and no redirect: every request gets HTTP 500"
            }
            NoBackend::AllWeightZero => {
                "every backendRef has weight 0: every request gets HTTP 500"
            }
            NoBackend::NoneValid => {
                "no backendRef with a positive weight is valid: every request gets HTTP 500"
            }
        }
        .into(),
        BackendStep::ErrorShare {
            share,
            this_request,
        } => format!(
            "{:.1}% of requests go to invalid backends and get HTTP 500{}",
            share * 100.0,
            if *this_request {
                "; this request is one of them"
            } else {
                ""
            }
        ),
        BackendStep::Chosen { backend, request } => format!(
            "this request goes to {} as {} {}://{}{}",
            backend.address(),
            request.method,
            request.scheme,
            crate::sim::request::url_host(&request.host),
            request.path
        ),
        BackendStep::Capped { requests, cap } => {
            format!("--requests {requests} is capped at {cap}")
        }
        BackendStep::Timeouts(t) => rule_timeouts(t),
        BackendStep::Retry { retry, within } => rule_retry(retry, within.as_deref()),
        BackendStep::RetryBudget(b) => format!(
            "{} caps retries to this backend: at most {}% of its requests over {} may be retries, but {} retr{} per {} are always allowed",
            b.source,
            b.percent,
            b.interval,
            b.min_retries,
            if b.min_retries == 1 { "y" } else { "ies" },
            b.min_retry_interval
        ),
    }
}

fn session(step: &SessionStep) -> String {
    match step {
        SessionStep::NeedsExperimental { source } => format!(
            "the {source} sets session persistence, which only the experimental channel has; a standard-channel cluster rejects or drops it, so gwctl simulates without it (pass --channel experimental if your cluster installs that channel)"
        ),
        SessionStep::Kept {
            config,
            value,
            backend,
        } => format!(
            "the request carries session {} \"{value}\", naming backendRef {backend}, which is still valid: it goes there regardless of weights{}",
            config.name,
            timeouts(config)
        ),
        SessionStep::Unknown { name, value } => format!(
            "the request carries session {name} \"{value}\", but it names no valid backend of this rule: a new session starts"
        ),
        SessionStep::Started { config, carrier } => format!(
            "the response starts a session ({}, from {}): {carrier}{}{}",
            config.kind,
            config.source,
            match config.lifetime.as_deref() {
                Some("Permanent") => format!(
                    "; a Permanent cookie, kept by the client for absoluteTimeout ({})",
                    config.absolute_timeout.as_deref().unwrap_or("not set")
                ),
                Some(_) => "; a Session cookie, dropped when the client closes".into(),
                None => String::new(),
            },
            timeouts(config)
        ),
        SessionStep::Sticky {
            requests,
            same,
            backend,
        } => format!(
            "{requests} requests from one client carrying the session: {same} reach backendRef {backend}; the spread below is for {requests} new clients"
        ),
    }
}

/// When a session ends, as a clause to append to a sentence about it.
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
