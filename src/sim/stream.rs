//! TLS, TCP and UDP connections (`--url tls://`, `tcp://`, `udp://`): which route attached
//! to the listener takes the connection, and which backend it goes to.
//!
//! Owns what happens once a TLS, TCP or UDP listener has taken a connection. These routes
//! have no matches, filters or HTTP statuses. TLSRoutes compete by the hostname that matches
//! the SNI (the most specific first: the one the TLSRoute API's hostname rules select), then
//! age, then namespace/name; TCPRoutes and UDPRoutes on one listener by age, then
//! namespace/name, since only the oldest is attached (upstream's
//! multiple-routes-attachment conformance tests). The winner's first rule forwards the
//! connection to its backendRefs by weight; the share of an invalid backend is rejected, as
//! the routes' API documents ("Request rejections must respect weight"). The outcome has no
//! status: `routed`, `not-found` (no route, the connection is rejected) or `backend-error`.
//! A `tls://` connection to a listener in `Terminate` mode that no TLSRoute is attached to
//! goes to the listener's TCPRoutes, which carry the decrypted stream.

use std::cmp::Reverse;

use super::backends::{self, Rng};
use super::step::{Step, StreamStep};
use super::{Arena, Candidate, Options, Outcome, RouteId, Trace};
use crate::graph::{Graph, Route, RouteKind, hostname};

/// Precedence of an attached route: hostname specificity (TLSRoute only), creation time (a
/// route without one after those with one), namespace/name.
type Key = (Reverse<(bool, usize)>, (bool, String), String, String);

fn key(route: &Route, host: &Option<String>, kind: RouteKind) -> Key {
    let spec = match (kind, host) {
        (RouteKind::Tls, Some(h)) => hostname::specificity(h),
        _ => (false, 0),
    };
    (
        Reverse(spec),
        match route.created() {
            Some(c) => (false, c.to_owned()),
            None => (true, String::new()),
        },
        route.namespace.clone(),
        route.name.clone(),
    )
}

/// The precedence step on which `a` beat `b`.
fn decisive(a: &Key, b: &Key) -> &'static str {
    if a.0 != b.0 {
        "hostname"
    } else if a.1 != b.1 {
        "creation time"
    } else {
        "namespace/name"
    }
}

pub(super) fn route_stream(
    graph: &Graph,
    t: &mut Trace,
    opts: &Options,
    kind: RouteKind,
    arena: &Arena,
) {
    // TCPRoutes may take a tls:// connection that a Terminate listener decrypted.
    let kind = arena.routes.first().map_or(kind, |(r, _)| r.kind);
    let mut ranked: Vec<(Key, usize)> = arena
        .routes
        .iter()
        .enumerate()
        .map(|(i, (r, h))| (key(r, h, kind), i))
        .collect();
    ranked.sort();
    for (i, (k, ai)) in ranked.iter().enumerate() {
        let (route, host) = &arena.routes[*ai];
        t.candidates.push(Candidate {
            route: RouteId::of(route),
            rule: 0,
            match_index: 0,
            hostname: host.clone(),
            lost_on: (i > 0).then(|| decisive(&ranked[i - 1].0, k)),
        });
    }
    let Some((win_key, wi)) = ranked.first() else {
        t.outcome = Outcome::NotFound;
        t.step(Step::Stream(StreamStep::NoRoute { kind }));
        return;
    };
    let route = arena.routes[*wi].0;
    t.route = Some(RouteId::of(route));
    t.step(Step::Stream(StreamStep::Winner {
        kind,
        route: RouteId::of(route),
        runner_up: ranked
            .get(1)
            .map(|(k, i)| (RouteId::of(arena.routes[*i].0), decisive(win_key, k))),
    }));
    let Some(rule) = route.rules.first() else {
        t.outcome = Outcome::BackendError;
        t.step(Step::Stream(StreamStep::NoBackends));
        return;
    };
    t.rule = Some(0);
    if route.rules.len() > 1 {
        t.step(Step::Stream(StreamStep::FirstRuleOnly {
            rules: route.rules.len(),
        }));
    }
    t.backends = rule
        .backends
        .iter()
        .map(|b| backends::resolve(graph, route, b, opts.complete, "connection rejected"))
        .collect();
    let super::route::Split { weights, good, .. } = super::route::weigh(t);
    for (index, backend) in t.backends.clone().into_iter().enumerate() {
        t.step(Step::Stream(StreamStep::Backend { index, backend }));
    }
    if good == 0 {
        t.outcome = Outcome::BackendError;
        t.step(Step::Stream(StreamStep::NoBackends));
        spread(t, &weights, opts);
        return;
    }
    let chosen = Rng::new(opts.seed).weighted(&weights);
    let valid = chosen.is_some_and(|i| t.backends[i].valid);
    t.outcome = if valid {
        Outcome::Routed
    } else {
        Outcome::BackendError
    };
    if t.error_share > 0.0 {
        t.step(Step::Stream(StreamStep::Rejected {
            share: t.error_share,
            this_connection: !valid,
        }));
    }
    if let Some(i) = chosen.filter(|_| valid) {
        t.forwarded.backend = Some(i);
        t.step(Step::Stream(StreamStep::Chosen {
            backend: t.backends[i].clone(),
        }));
    }
    spread(t, &weights, opts);
}

/// With `--requests`: how many of that many connections reach each valid backend, and how
/// many are rejected.
fn spread(t: &mut Trace, weights: &[i64], opts: &Options) {
    if opts.requests == 0 {
        return;
    }
    super::route::sample(t, weights, opts, "rejected");
}
