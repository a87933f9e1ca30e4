//! What happens once routes compete: match evaluation and precedence, the winner's
//! filters, its backends and weights, session persistence and the spread of many requests.
//!
//! Owns everything from the attached routes ([`Arena`]) to the final answer in the
//! [`Trace`]; matching, filters and backend resolution are delegated to their modules.

use std::cmp::Reverse;

use serde_json::Value;

use super::backends::{self, Backend, Rng, SessionConfig};
use super::filters::{self, Forwarded, ResponseHeaders};
use super::matching::{self, Rank};
use super::{Arena, Candidate, Count, Distribution, MAX_REQUESTS, Miss, Options, Outcome};
use super::{Request, RouteId, Session, Trace, spec};
use crate::graph::{self, Graph, Route, RouteKind, hostname};

fn created(route: &Route) -> (bool, String) {
    match route
        .object
        .json
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
    {
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
    let mut ranked: Vec<(Rank, usize, Option<String>, matching::Accepted)> = Vec::new();
    let mut regex_seen = false;
    for (ai, (route, host)) in arena.routes.iter().enumerate() {
        for rule in &route.rules {
            for (mi, m) in rule.matches(kind).iter().enumerate() {
                let res = match kind {
                    RouteKind::Grpc => matching::grpc_match(req, m),
                    _ => matching::http_match(req, m),
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
    let rule_json = route.rule_json(rule);
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
    let rule_filters = rule_json
        .get("filters")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut fwd = Forwarded::from_request(req);
    let mut resp = ResponseHeaders::default();
    let fx = filters::apply(rule_filters, "rule", &fcx, &mut fwd, &mut resp);
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
    let mut session_cfg = session_config(graph, rule, rule_json);
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
        && let Some(bj) = rule_json
            .get("backendRefs")
            .and_then(Value::as_array)
            .and_then(|a| a.get(i))
    {
        let bf = bj
            .get("filters")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let bfx = filters::apply(bf, "backend", &fcx, &mut fwd, &mut resp);
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
fn session_config(graph: &Graph, rule: &graph::Rule, rule_json: &Value) -> Option<SessionConfig> {
    if let Some(sp) = rule_json
        .get("sessionPersistence")
        .filter(|v| v.is_object())
    {
        return Some(SessionConfig::read(sp, "route rule".into()));
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
    let sp = p.object.json.pointer("/spec/sessionPersistence")?;
    Some(SessionConfig::read(
        sp,
        format!("BackendLBPolicy {}/{}", p.namespace, p.object.name),
    ))
}
