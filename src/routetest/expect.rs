//! A case's expectations against the simulator's answer: what is written and does not hold,
//! with the expected and the actual value and the step of the decision that gave the actual
//! one. Only what is written is checked.

use crate::sim::backends::Backend;
use crate::sim::step::Step;
use crate::sim::{RouteId, Trace};
use crate::source::Span;

use super::file::{BackendExp, DEFAULT_TOLERANCE, Expect, HeaderExp, RuleExp};

/// One expectation that does not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub span: Span,
    /// The expectation's path in the case (`expect.route.name`).
    pub field: String,
    /// `expected ..., got ...`, then the deciding step.
    pub message: String,
}

/// Which stages of the decision answer each expectation, latest first among them.
const ROUTING: &[&str] = &[
    "precedence",
    "match",
    "attach",
    "hostname",
    "mesh",
    "listener",
];
const BACKENDS: &[&str] = &["backend", "precedence", "match"];
const FILTERS: &[&str] = &["filter", "precedence", "match"];
const SESSION: &[&str] = &["session", "backend"];

struct Checker<'a> {
    trace: &'a Trace,
    word: &'a dyn Fn(&Step) -> String,
    out: Vec<Mismatch>,
}

impl Checker<'_> {
    /// The step that gave the answer for an expectation of these stages: the last step of
    /// the first stage (in `stages` order) the trace has, else the trace's last step.
    fn decided_by(&self, stages: &[&str]) -> String {
        let steps = &self.trace.steps;
        let step = stages
            .iter()
            .find_map(|st| steps.iter().rev().find(|s| s.stage() == *st))
            .or(steps.last());
        match step {
            Some(s) => format!(
                "; decided at the {} step: {}",
                s.stage(),
                (self.word)(s).trim_end_matches('.')
            ),
            None => String::new(),
        }
    }

    fn fail(&mut self, span: Span, field: &str, expected: String, got: String, stages: &[&str]) {
        let message = format!(
            "`{field}`: expected {expected}, got {got}{}",
            self.decided_by(stages)
        );
        self.out.push(Mismatch {
            span,
            field: field.to_owned(),
            message,
        });
    }
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

fn or_none<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

/// Every expectation of `x` that `t` does not meet. `word` words a step of the trace.
pub fn check(t: &Trace, x: &Expect, word: &dyn Fn(&Step) -> String) -> Vec<Mismatch> {
    let mut c = Checker {
        trace: t,
        word,
        out: Vec::new(),
    };
    if let Some(o) = &x.outcome
        && o.value != t.outcome
    {
        c.fail(
            o.span,
            "expect.outcome",
            o.value.as_str().to_owned(),
            t.outcome.as_str().to_owned(),
            &[],
        );
    }
    if let Some(s) = &x.status
        && s.value != t.status
    {
        c.fail(
            s.span,
            "expect.status",
            or_none(s.value),
            or_none(t.status),
            &[],
        );
    }
    if let Some(g) = &x.grpc_status
        && g.value.as_deref() != t.grpc_status
    {
        c.fail(
            g.span,
            "expect.grpcStatus",
            or_none(g.value.as_deref()),
            or_none(t.grpc_status),
            &[],
        );
    }
    route(&mut c, x);
    if let Some(r) = &x.rule {
        let (ok, expected, got) = match &r.value {
            RuleExp::Index(i) => (
                t.rule == Some(*i),
                format!("rule {i}"),
                match t.rule {
                    Some(r) => format!("rule {r}"),
                    None => "no rule".to_owned(),
                },
            ),
            RuleExp::Name(n) => (
                t.rule_name.as_deref() == Some(n),
                format!("the rule named {}", quoted(n)),
                match (&t.rule_name, t.rule) {
                    (Some(name), _) => format!("the rule named {}", quoted(name)),
                    (None, Some(i)) => format!("rule {i}, which has no name"),
                    (None, None) => "no rule".to_owned(),
                },
            ),
        };
        if !ok {
            c.fail(r.span, "expect.rule", expected, got, ROUTING);
        }
    }
    if let Some(b) = &x.backends {
        let shares = actual_shares(t);
        backend_set(
            &mut c,
            "expect.backends",
            b.span,
            &b.value,
            &t.backends,
            &shares,
        );
    }
    if let Some(m) = &x.mirrors {
        let shares: Vec<f64> = t
            .mirrors
            .iter()
            .map(|m| m.mirrored.map_or(100.0, |s| s.percent))
            .collect();
        backend_set(
            &mut c,
            "expect.mirrors",
            m.span,
            &m.value,
            &t.mirrors,
            &shares,
        );
    }
    redirect(&mut c, x);
    if let Some(f) = &x.forwarded {
        let fw = &t.forwarded;
        let fields = [
            ("method", &f.method, &fw.method),
            ("scheme", &f.scheme, &fw.scheme),
            ("host", &f.host, &fw.host),
            ("path", &f.path, &fw.path),
            ("query", &f.query, &fw.query),
        ];
        for (name, want, got) in fields {
            if let Some(w) = want
                && w.value != *got
            {
                c.fail(
                    w.span,
                    &format!("expect.forwarded.{name}"),
                    quoted(&w.value),
                    quoted(got),
                    FILTERS,
                );
            }
        }
        headers(&mut c, "expect.forwarded.headers", &f.headers, |n| {
            fw.headers.value(n)
        });
    }
    if let Some(h) = &x.response_headers {
        let rh = &t.response_headers;
        headers(&mut c, "expect.responseHeaders", h, |n| {
            let set = rh.set.value(n);
            let add = rh.add.value(n);
            let cors = t.cors.as_ref().and_then(|a| a.headers.value(n));
            match (set, add, cors) {
                (None, None, None) => None,
                (s, a, cors) => Some(
                    [s, a, cors]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            }
        });
    }
    session(&mut c, x);
    c.out
}

fn route_name(r: &RouteId) -> String {
    r.to_string()
}

fn route(c: &mut Checker<'_>, x: &Expect) {
    let Some(r) = &x.route else {
        return;
    };
    let t = c.trace;
    match (&r.value, &t.route) {
        (None, None) => {}
        (None, Some(got)) => {
            c.fail(
                r.span,
                "expect.route",
                "no route".into(),
                route_name(got),
                ROUTING,
            );
        }
        (Some(_), None) => {
            c.fail(
                r.span,
                "expect.route",
                "a route".into(),
                "none".into(),
                ROUTING,
            );
        }
        (Some(want), Some(got)) => {
            let parts = [
                ("kind", &want.kind, &got.kind),
                ("namespace", &want.namespace, &got.namespace),
                ("name", &want.name, &got.name),
            ];
            for (name, w, g) in parts {
                if let Some(w) = w
                    && w.value != *g
                {
                    c.fail(
                        w.span,
                        &format!("expect.route.{name}"),
                        quoted(&w.value),
                        format!("{} (the request went to {})", quoted(g), route_name(got)),
                        ROUTING,
                    );
                }
            }
        }
    }
}

/// The percent of requests each backend of the trace gets: the observed spread when the
/// case sends `requests`, else the weights' exact shares.
pub(super) fn actual_shares(t: &Trace) -> Vec<f64> {
    match &t.distribution {
        Some(d) if d.requests > 0 => t
            .backends
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let n: u64 = d
                    .counts
                    .iter()
                    .filter(|c| c.backend == Some(i))
                    .map(|c| c.count)
                    .sum();
                n as f64 * 100.0 / d.requests as f64
            })
            .collect(),
        _ => t.backends.iter().map(|b| b.probability * 100.0).collect(),
    }
}

fn matches(want: &BackendExp, b: &Backend) -> bool {
    want.name == b.name
        && want.namespace.as_ref().is_none_or(|n| *n == b.namespace)
        && want.kind.as_ref().is_none_or(|k| *k == b.kind)
        && want.port.is_none_or(|p| Some(p) == b.port)
}

fn backend_name(b: &Backend, share: f64) -> String {
    let port = b.port.map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{} {}/{}{port} ({})",
        b.kind,
        b.namespace,
        b.name,
        percent(share)
    )
}

fn percent(p: f64) -> String {
    let r = (p * 100.0).round() / 100.0;
    format!("{r}%")
}

fn expected_name(want: &BackendExp) -> String {
    let mut s = format!(
        "{}{}{}",
        want.kind
            .as_deref()
            .map(|k| format!("{k} "))
            .unwrap_or_default(),
        want.namespace
            .as_deref()
            .map(|n| format!("{n}/"))
            .unwrap_or_default(),
        want.name
    );
    if let Some(p) = want.port {
        s.push_str(&format!(":{p}"));
    }
    s
}

/// The backends (or mirrors) that get requests must be exactly those written, each with its
/// share when one is written.
fn backend_set(
    c: &mut Checker<'_>,
    field: &str,
    span: Span,
    want: &[BackendExp],
    got: &[Backend],
    shares: &[f64],
) {
    let mirrors = field.ends_with("mirrors");
    // Backends with a weight of 0 get no requests: they are not among the answer's. Every
    // mirror copies requests.
    let receiving: Vec<usize> = (0..got.len())
        .filter(|&i| mirrors || shares[i] > 0.0 || got[i].weight > 0)
        .collect();
    let listing = || {
        if receiving.is_empty() {
            "none".to_owned()
        } else {
            receiving
                .iter()
                .map(|&i| backend_name(&got[i], shares[i]))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let stages = if mirrors { FILTERS } else { BACKENDS };
    let mut seen = vec![false; got.len()];
    for w in want {
        match receiving.iter().find(|&&i| !seen[i] && matches(w, &got[i])) {
            None => c.fail(w.span, field, expected_name(w), listing(), stages),
            Some(&i) => {
                seen[i] = true;
                if let Some(s) = &w.share {
                    let tolerance = w.tolerance.unwrap_or(DEFAULT_TOLERANCE);
                    if (s.value - shares[i]).abs() > tolerance + 1e-9 {
                        c.fail(
                            s.span,
                            &format!("{field}.share"),
                            format!("{} ± {}", percent(s.value), percent(tolerance)),
                            format!("{} for {}", percent(shares[i]), expected_name(w)),
                            stages,
                        );
                    }
                }
            }
        }
    }
    let extra: Vec<String> = receiving
        .iter()
        .filter(|&&i| !seen[i])
        .map(|&i| backend_name(&got[i], shares[i]))
        .collect();
    if !extra.is_empty() && want.len() < receiving.len() {
        c.fail(
            span,
            field,
            format!(
                "only {}",
                if want.is_empty() {
                    "none".to_owned()
                } else {
                    want.iter()
                        .map(expected_name)
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
            format!("also {}", extra.join(", ")),
            stages,
        );
    }
}

fn redirect(c: &mut Checker<'_>, x: &Expect) {
    let Some(r) = &x.redirect else {
        return;
    };
    let t = c.trace;
    match (&r.value, &t.redirect) {
        (None, None) => {}
        (None, Some(got)) => c.fail(
            r.span,
            "expect.redirect",
            "no redirect".into(),
            format!("{} to {}", got.status, got.location),
            FILTERS,
        ),
        (Some(_), None) => c.fail(
            r.span,
            "expect.redirect",
            "a redirect".into(),
            format!("none (outcome {})", t.outcome.as_str()),
            FILTERS,
        ),
        (Some(want), Some(got)) => {
            if let Some(l) = &want.location
                && l.value != got.location
            {
                c.fail(
                    l.span,
                    "expect.redirect.location",
                    quoted(&l.value),
                    quoted(&got.location),
                    FILTERS,
                );
            }
            if let Some(s) = &want.status
                && s.value != got.status
            {
                c.fail(
                    s.span,
                    "expect.redirect.status",
                    s.value.to_string(),
                    got.status.to_string(),
                    FILTERS,
                );
            }
        }
    }
}

fn headers(
    c: &mut Checker<'_>,
    field: &str,
    want: &[HeaderExp],
    got: impl Fn(&str) -> Option<String>,
) {
    for h in want {
        let actual = got(&h.name);
        if actual != h.value {
            c.fail(
                h.span,
                &format!("{field}.{}", h.name),
                h.value
                    .as_deref()
                    .map_or_else(|| "no such header".to_owned(), quoted),
                actual.as_deref().map_or_else(|| "none".to_owned(), quoted),
                FILTERS,
            );
        }
    }
}

fn session(c: &mut Checker<'_>, x: &Expect) {
    let Some(s) = &x.session else {
        return;
    };
    let t = c.trace;
    match (&s.value, &t.session) {
        (None, None) => {}
        (None, Some(got)) => c.fail(
            s.span,
            "expect.session",
            "no session persistence".into(),
            format!("{} session {}", got.config.kind, quoted(&got.config.name)),
            SESSION,
        ),
        (Some(_), None) => c.fail(
            s.span,
            "expect.session",
            "session persistence".into(),
            "none".into(),
            SESSION,
        ),
        (Some(want), Some(got)) => {
            let bound = got
                .backend
                .and_then(|i| t.backends.get(i))
                .map(|b| b.name.clone());
            let parts = [
                ("type", &want.kind, Some(got.config.kind.clone())),
                ("name", &want.name, Some(got.config.name.clone())),
                ("backend", &want.backend, bound),
            ];
            for (name, w, g) in parts {
                if let Some(w) = w
                    && Some(&w.value) != g.as_ref()
                {
                    c.fail(
                        w.span,
                        &format!("expect.session.{name}"),
                        quoted(&w.value),
                        g.as_deref().map_or_else(|| "none".to_owned(), quoted),
                        SESSION,
                    );
                }
            }
        }
    }
}
