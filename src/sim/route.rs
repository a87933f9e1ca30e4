//! What happens once routes compete: match evaluation and precedence, the winner's
//! filters, its backends and weights, session persistence and the spread of many requests.
//!
//! Owns everything from the attached routes ([`Arena`]) to the final answer in the
//! [`Trace`]; matching, filters and backend resolution are delegated to their modules.
//! [`route_request`] runs the stages in order; each records its [`Step`]s.

use std::cmp::Reverse;

use super::backends::{self, Backend, Rng, SessionConfig};
use super::cors::{self, CORS_IN};
use super::filters::{self, Forwarded, ResponseHeaders};
use super::matching::{self, Rank};
use super::rule;
use super::step::{
    BackendStep, FilterStep, MatchStep, NoBackend, RunnerUp, SessionStep, Step, Unavailable,
};
use super::{Arena, Candidate, Count, Distribution, MAX_REQUESTS, Miss, Options, Outcome};
use super::{Request, RouteId, Session, Trace};
use crate::graph::{self, Graph, Route, RouteKind, hostname};

/// An accepting match: its precedence rank, the index of its route in the arena, the
/// hostname it competes with, and what it matched.
type Ranked = (Rank, usize, Option<String>, matching::Accepted);

/// The weights of the winning rule's backends: as written, and counting only valid ones.
pub(super) struct Split {
    pub weights: Vec<i64>,
    pub total: i64,
    pub good: i64,
}

fn created(route: &Route) -> (bool, String) {
    match route.created() {
        Some(c) => (false, c.to_owned()),
        None => (true, String::new()),
    }
}

/// Precedence among every accepting match of every attached route, then the winner's
/// filters and backends.
pub(super) fn route_request(
    graph: &Graph,
    t: &mut Trace,
    req: &Request,
    opts: &Options,
    kind: RouteKind,
    arena: &Arena,
) {
    let (ranked, regex_seen) = rank_matches(t, req, arena);
    list_candidates(t, &ranked, kind, arena);
    let Some((win, wai, _, acc)) = ranked.first().cloned() else {
        no_match(t, kind);
        return;
    };
    let route = arena.routes[wai].0;
    let rule = &route.rules[win.rule];
    t.route = Some(RouteId::of(route));
    t.rule = Some(win.rule);
    t.match_index = Some(win.matched);
    t.rule_name = rule.name.clone();
    announce_winner(t, &ranked, kind, arena, regex_seen);

    // Rule-level filters.
    let fcx = filters::Ctx {
        request: req,
        port: arena.port,
        prefix: acc.prefix.as_deref(),
    };
    let mut fwd = Forwarded::from_request(req);
    let mut resp = ResponseHeaders::default();
    let rule_filters = usable_filters(t, &rule.filters, opts);
    let fx = filters::apply(&rule_filters, "rule", &fcx, &mut fwd, &mut resp);
    // A redirect gets its own step below, once the backends are listed.
    for a in fx.applied.iter().filter(|a| a.kind != "RequestRedirect") {
        t.step(Step::Filter(FilterStep::Applied {
            backend: None,
            kind: a.kind.clone(),
            summary: a.summary.clone(),
        }));
    }
    t.filters.extend(fx.applied);
    let mut mirror_refs: Vec<graph::BackendRef> = Vec::new();
    mirror_refs.extend(
        rule.mirrors
            .iter()
            .filter(|m| mirror_backend(m).is_none())
            .cloned(),
    );

    let split = list_backends(graph, t, route, rule, opts);

    // A CORS filter of the rule answers a preflight itself, before any redirect; for any
    // other cross-origin request it adds headers to the response.
    let rule_cors = cors_of(&rule_filters).and_then(|c| cors::answer(c, req));
    if let Some(answer) = rule_cors.clone().filter(|a| a.preflight) {
        t.outcome = Outcome::CorsPreflight;
        t.status = Some(200);
        t.step(Step::Filter(FilterStep::Cors {
            backend: None,
            answer: answer.clone(),
        }));
        t.cors = Some(answer);
        t.response_headers = resp;
        return;
    }

    if let Some(r) = fx.redirect {
        if matches!(r.status, 303 | 307 | 308) && !opts.has(REDIRECT_CODES_IN) {
            t.step(Step::Unavailable(Unavailable {
                stage: "filter",
                what: format!("redirect statusCode {}", r.status),
                marker: REDIRECT_CODES_IN,
                cluster: opts.cluster(),
                ignored: false,
            }));
        }
        t.outcome = Outcome::Redirect;
        t.status = Some(r.status);
        t.step(Step::Filter(FilterStep::Redirect {
            status: r.status,
            location: r.location.clone(),
        }));
        t.redirect = Some(r);
        t.response_headers = resp;
        t.mirrors = resolve_mirrors(graph, route, &mirror_refs, opts);
        return;
    }

    // Session persistence: the rule's own, or a BackendLBPolicy or XBackendTrafficPolicy on
    // its backends.
    let session_cfg = session_config(t, graph, rule, opts);
    let (session_cfg, carried, chosen) = carried_session(t, req, opts, session_cfg);
    let (chosen, chosen_valid) = choose_backend(t, kind, &split, chosen, opts);

    // Backend-level filters of the backend this request went to.
    let mut cors_answer = rule_cors.map(|a| (None, a));
    if let Some(i) = chosen.filter(|_| chosen_valid)
        && let Some(b) = rule.backends.get(i)
    {
        let backend_filters = usable_filters(t, &b.filters, opts);
        let bfx = filters::apply(&backend_filters, "backend", &fcx, &mut fwd, &mut resp);
        for a in &bfx.applied {
            t.step(Step::Filter(FilterStep::Applied {
                backend: Some(i),
                kind: a.kind.clone(),
                summary: a.summary.clone(),
            }));
        }
        t.filters.extend(bfx.applied);
        mirror_refs.extend(
            rule.mirrors
                .iter()
                .filter(|m| mirror_backend(m) == Some(i))
                .cloned(),
        );
        // The backend's own CORS filter shapes the response it sends, unless the rule's
        // already did.
        if cors_answer.is_none() {
            cors_answer = cors_of(&backend_filters)
                .and_then(|c| cors::answer(c, req))
                .map(|a| (Some(i), a));
        }
    }
    fwd.backend = chosen.filter(|_| chosen_valid);
    t.forwarded = fwd;
    t.response_headers = resp;
    t.mirrors = resolve_mirrors(graph, route, &mirror_refs, opts);
    if let Some(i) = t.forwarded.backend {
        t.step(Step::Backend(BackendStep::Chosen {
            backend: t.backends[i].clone(),
            request: t.forwarded.clone(),
        }));
    }
    if let Some((backend, answer)) = cors_answer
        && t.forwarded.backend.is_some()
    {
        t.step(Step::Filter(FilterStep::Cors {
            backend,
            answer: answer.clone(),
        }));
        t.cors = Some(answer);
    }
    if t.outcome == Outcome::Routed {
        rule::forwarding(t, graph, rule, opts);
    }

    // The session the response establishes (or keeps).
    if let Some(cfg) = session_cfg {
        let s = start_session(t, cfg, carried, &split, opts);
        t.session = Some(s);
    }
    spread(t, &split, opts);
}

/// Every match of every attached route, evaluated: the accepting ones ranked in precedence
/// order (and whether a regular expression took part), the others in `t.misses`.
fn rank_matches(t: &mut Trace, req: &Request, arena: &Arena) -> (Vec<Ranked>, bool) {
    let mut ranked: Vec<Ranked> = Vec::new();
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
    (ranked, regex_seen)
}

/// Where the redirect status codes 303, 307 and 308 exist.
pub const REDIRECT_CODES_IN: &str = "v1.5+";
/// Where a RequestMirror's `percent` and `fraction` exist.
pub const MIRROR_SHARE_IN: &str = "experimental v1.2+, standard v1.3+";

/// The filters of a list as the cluster has them: a CORS filter is dropped, and a mirror's
/// share forgotten, where the release and channel lack them (the API server rejects or
/// prunes them); each such loss is a step.
fn usable_filters(t: &mut Trace, list: &[graph::Filter], opts: &Options) -> Vec<graph::Filter> {
    let mut out = Vec::with_capacity(list.len());
    for f in list {
        match f {
            graph::Filter::Cors(_) if !opts.has(CORS_IN) => {
                t.step(Step::Unavailable(Unavailable {
                    stage: "filter",
                    what: "the CORS filter".into(),
                    marker: CORS_IN,
                    cluster: opts.cluster(),
                    ignored: true,
                }));
            }
            graph::Filter::RequestMirror(m) if m.share.is_some() && !opts.has(MIRROR_SHARE_IN) => {
                t.step(Step::Unavailable(Unavailable {
                    stage: "filter",
                    what: "a RequestMirror's percent or fraction".into(),
                    marker: MIRROR_SHARE_IN,
                    cluster: opts.cluster(),
                    ignored: true,
                }));
                let mut m = m.clone();
                m.share = None;
                out.push(graph::Filter::RequestMirror(m));
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// The first CORS filter of a list (the schema allows one from v1.5.1 on).
fn cors_of(list: &[graph::Filter]) -> Option<&graph::Cors> {
    list.iter().find_map(|f| match f {
        graph::Filter::Cors(c) => Some(c),
        _ => None,
    })
}

/// The accepting matches as candidates, each with the precedence step that put the one
/// before it first.
fn list_candidates(t: &mut Trace, ranked: &[Ranked], kind: RouteKind, arena: &Arena) {
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
    t.step(Step::Match(MatchStep::Counted {
        kind,
        accepted: ranked.len(),
        missed: t.misses.len(),
    }));
}

/// No match accepts the request: HTTP 404, or gRPC UNIMPLEMENTED.
fn no_match(t: &mut Trace, kind: RouteKind) {
    t.outcome = Outcome::NotFound;
    if kind == RouteKind::Grpc {
        t.status = Some(200);
        t.grpc_status = Some("UNIMPLEMENTED");
    } else {
        t.status = Some(404);
    }
    t.step(Step::Match(MatchStep::NoMatch { kind }));
}

/// The winner, the match it beat and on what.
fn announce_winner(
    t: &mut Trace,
    ranked: &[Ranked],
    kind: RouteKind,
    arena: &Arena,
    regex_seen: bool,
) {
    let (win, wai, _, _) = &ranked[0];
    let runner_up = ranked.get(1).map(|second| RunnerUp {
        route: RouteId::of(arena.routes[second.1].0),
        rule: second.0.rule,
        match_index: second.0.matched,
        lost_on: win.decisive(&second.0, kind),
    });
    let route = arena.routes[*wai].0;
    t.step(Step::Match(MatchStep::Winner {
        kind,
        route: RouteId::of(route),
        rule: win.rule,
        rule_name: route.rules.get(win.rule).and_then(|r| r.name.clone()),
        match_index: win.matched,
        runner_up,
    }));
    if regex_seen && ranked.len() > 1 {
        t.step(Step::Match(MatchStep::RegexRanked { kind }));
    }
}

/// The winning rule's backends, in order, weight 0 included, with their shares and the
/// share of requests that get HTTP 500.
fn list_backends(
    graph: &Graph,
    t: &mut Trace,
    route: &Route,
    rule: &graph::Rule,
    opts: &Options,
) -> Split {
    t.backends = rule
        .backends
        .iter()
        .map(|b| backends::resolve(graph, route, b, opts.complete, "HTTP 500"))
        .collect();
    let split = weigh(t);
    for (index, backend) in t.backends.clone().into_iter().enumerate() {
        t.step(Step::Backend(BackendStep::Listed { index, backend }));
    }
    split
}

/// The shares of `t.backends` (a request's or a connection's): each backend's probability,
/// the share that fails, and the weights to draw from. The backends are recorded as Services
/// whatever their kind: the CLI matches lint findings by it.
pub(super) fn weigh(t: &mut Trace) -> Split {
    backends::set_probabilities(&mut t.backends);
    let named: Vec<(String, String)> = t
        .backends
        .iter()
        .map(|b| (b.namespace.clone(), b.name.clone()))
        .collect();
    for (ns, name) in named {
        t.involve("Service", &ns, &name);
    }
    let weights: Vec<i64> = t.backends.iter().map(|b| b.weight).collect();
    let total: i64 = weights.iter().sum();
    let good: i64 = t
        .backends
        .iter()
        .filter(|b| b.valid)
        .map(|b| b.weight)
        .sum();
    t.error_share = if total > 0 {
        (((total - good) as f64 / total as f64) * 1e6).round() / 1e6
    } else {
        1.0
    };
    Split {
        weights,
        total,
        good,
    }
}

/// The session persistence that takes effect (none on a standard-channel cluster), whether
/// the request carried a session naming a valid backend, and that backend.
fn carried_session(
    t: &mut Trace,
    req: &Request,
    opts: &Options,
    mut session_cfg: Option<SessionConfig>,
) -> (Option<SessionConfig>, bool, Option<usize>) {
    if let Some(cfg) = &session_cfg
        && !opts.experimental
    {
        t.step(Step::Session(SessionStep::NeedsExperimental {
            source: cfg.source.clone(),
        }));
        session_cfg = None;
    }
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
                    t.step(Step::Session(SessionStep::Kept {
                        config: cfg.clone(),
                        value: v,
                        backend: i,
                    }));
                }
                None => t.step(Step::Session(SessionStep::Unknown {
                    name: cfg.name.clone(),
                    value: v,
                })),
            }
        }
    }
    (session_cfg, carried, chosen)
}

/// The backend this request goes to (the session's, or else one drawn by weight), whether
/// it is valid, and the outcome that follows.
fn choose_backend(
    t: &mut Trace,
    kind: RouteKind,
    split: &Split,
    mut chosen: Option<usize>,
    opts: &Options,
) -> (Option<usize>, bool) {
    let mut rng = Rng::new(opts.seed);
    if chosen.is_none() {
        chosen = rng.weighted(&split.weights);
    }
    let chosen_valid = chosen.is_some_and(|i| t.backends[i].valid);
    if split.good == 0 {
        t.outcome = Outcome::BackendError;
        t.status = Some(500);
        if kind == RouteKind::Grpc {
            t.grpc_status = Some("UNAVAILABLE");
        }
        t.step(Step::Backend(BackendStep::NoneUsable(
            if t.backends.is_empty() {
                NoBackend::NoRefs
            } else if split.total == 0 {
                NoBackend::AllWeightZero
            } else {
                NoBackend::NoneValid
            },
        )));
        chosen = None;
    } else {
        t.outcome = Outcome::Routed;
        t.status = Some(if chosen_valid { 200 } else { 500 });
        if t.error_share > 0.0 {
            t.step(Step::Backend(BackendStep::ErrorShare {
                share: t.error_share,
                this_request: !chosen_valid,
            }));
        }
    }
    (chosen, chosen_valid)
}

/// The session the response establishes, or keeps, and with `--requests` how sticky it is
/// for one client.
fn start_session(
    t: &mut Trace,
    cfg: SessionConfig,
    carried: bool,
    split: &Split,
    opts: &Options,
) -> Session {
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
        let carrier = s
            .set_cookie
            .as_ref()
            .map(|c| format!("Set-Cookie: {c}"))
            .or_else(|| s.response_header.clone())
            .unwrap_or_default();
        t.step(Step::Session(SessionStep::Started {
            config: cfg.clone(),
            carrier,
        }));
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
                .or_else(|| rng.weighted(&split.weights));
            same += u64::from(pick == Some(b));
            carrying = pick
                .filter(|&i| t.backends[i].valid)
                .map(|i| backends::session_value(&t.backends[i]));
        }
        s.sticky_requests = Some(n);
        s.sticky_same_backend = Some(same);
        t.step(Step::Session(SessionStep::Sticky {
            requests: n,
            same,
            backend: b,
        }));
    }
    s
}

/// `opts.requests` (at most [`MAX_REQUESTS`]) draws over `weights` with the seeded
/// generator: how many reach each valid backend, and how many fail (named `failed`: an HTTP
/// 500, a rejected connection). Shared by requests and connections, so their spreads are
/// drawn alike.
pub(super) fn sample(t: &mut Trace, weights: &[i64], opts: &Options, failed: &str) {
    let n = opts.requests.min(MAX_REQUESTS);
    let mut counts = vec![0u64; t.backends.len()];
    let mut failures = 0u64;
    let mut rng = Rng::new(opts.seed);
    for _ in 0..n {
        match rng.weighted(weights) {
            Some(i) if t.backends[i].valid => counts[i] += 1,
            _ => failures += 1,
        }
    }
    let mut out: Vec<Count> = t
        .backends
        .iter()
        .enumerate()
        .filter(|(_, b)| b.valid)
        .map(|(i, b)| Count {
            backend: Some(i),
            name: b.address(),
            count: counts[i],
        })
        .collect();
    if failures > 0 || t.error_share > 0.0 {
        out.push(Count {
            backend: None,
            name: failed.into(),
            count: failures,
        });
    }
    t.distribution = Some(Distribution {
        requests: n,
        seed: opts.seed,
        capped: opts.requests > MAX_REQUESTS,
        counts: out,
    });
}

/// With `--requests`: how many of that many new clients reach each valid backend, and how
/// many get HTTP 500.
fn spread(t: &mut Trace, split: &Split, opts: &Options) {
    if opts.requests == 0 {
        return;
    }
    let n = opts.requests.min(MAX_REQUESTS);
    if split.good == 0 {
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
        return;
    }
    sample(t, &split.weights, opts, "HTTP 500");
    if opts.requests > MAX_REQUESTS {
        t.step(Step::Backend(BackendStep::Capped {
            requests: opts.requests,
            cap: MAX_REQUESTS,
        }));
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

/// The mirrors' backends, each with the share of requests it copies where the cluster has
/// that setting (weights do not apply to mirrors).
fn resolve_mirrors(
    graph: &Graph,
    route: &Route,
    refs: &[graph::BackendRef],
    opts: &Options,
) -> Vec<Backend> {
    refs.iter()
        .map(|m| {
            let mut b = backends::resolve(graph, route, m, opts.complete, "HTTP 500");
            b.weight = 0;
            b.mirrored = m
                .mirror_share
                .filter(|_| opts.has(MIRROR_SHARE_IN))
                .map(backends::Mirrored::of);
            b
        })
        .collect()
}

/// The releases that have each policy kind with session persistence: BackendLBPolicy up to
/// v1.2, XBackendTrafficPolicy, which replaced it, from v1.3. Both are experimental; the
/// channel is checked where the session is applied, as for a rule's own setting.
fn session_policy_in(kind: &str) -> &'static str {
    if kind == "BackendLBPolicy" {
        "-v1.2"
    } else {
        "v1.3+"
    }
}

/// The rule's `sessionPersistence`, or else the first (oldest, then by namespace/name)
/// BackendLBPolicy or XBackendTrafficPolicy targeting one of the rule's Service backends,
/// of the kinds the cluster's release has (a policy of another release is a step). A
/// rule's setting overrides a policy's (GW326 reports the override).
fn session_config(
    t: &mut Trace,
    graph: &Graph,
    rule: &graph::Rule,
    opts: &Options,
) -> Option<SessionConfig> {
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
    for p in &policies {
        let kind = p.object.kind.as_str();
        // Lint's findings about the policy bear on the answer whether it applies or not.
        t.involve(kind, &p.namespace, &p.object.name);
        // The channel is left to the caller: both kinds are experimental.
        let in_release = Options {
            experimental: true,
            ..opts.clone()
        }
        .has(session_policy_in(kind));
        if !in_release {
            t.step(Step::Unavailable(Unavailable {
                stage: "session",
                what: format!("{kind} {}/{}", p.namespace, p.object.name),
                marker: session_policy_in(kind),
                cluster: opts.cluster(),
                ignored: true,
            }));
            continue;
        }
        // The oldest policy of the kind wins (GW325), with or without session persistence.
        let sp = p.session_persistence.as_ref()?;
        return Some(SessionConfig::new(
            sp,
            format!("{kind} {}/{}", p.namespace, p.object.name),
        ));
    }
    None
}
