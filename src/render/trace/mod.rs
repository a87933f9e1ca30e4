//! Simulation traces → output: a readable report for people, and the JSON contract (the
//! [`Trace`] serialised by serde, with the step sentences added; documented in the README).
//!
//! The human form reads top to bottom in the order the decision is made: the request, where
//! it arrived (listener or mesh Service) and why, routes that did not attach, the competing
//! matches in precedence order with the winner, filters, backends with weights, the
//! observed spread, the session, and the lint findings that bear on the answer. One function
//! writes each section; `steps` words the numbered steps for both forms.

mod steps;
mod stream;

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::sim::backends::Backend;
use crate::sim::request::url_host;
use crate::sim::{Outcome, Trace};

/// The JSON document: the simulator's answer as its types serialise, then the steps, each
/// worded here. The simulator's [`Trace`] leaves its steps out of its serde form because they
/// are data there; the `trace` member of the contract is their wording.
#[derive(Serialize)]
struct Contract<'a> {
    #[serde(flatten)]
    answer: &'a Trace,
    trace: Vec<StepJson>,
}

/// One step in the JSON contract.
#[derive(Serialize)]
struct StepJson {
    stage: &'static str,
    message: String,
    spec: Option<&'static str>,
}

/// One step of a trace in words, as the human and JSON forms give it (`gwctl test` quotes
/// the step that decided a failed expectation).
pub fn step_message(step: &crate::sim::step::Step) -> String {
    steps::message(step)
}

/// Write the trace as one pretty JSON document.
pub fn json(trace: &Trace, out: &mut dyn Write) -> io::Result<()> {
    let doc = Contract {
        answer: trace,
        trace: trace
            .steps
            .iter()
            .map(|s| StepJson {
                stage: s.stage(),
                message: steps::message(s),
                spec: steps::spec(s),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

struct Paint {
    on: bool,
}

impl Paint {
    fn s(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
    fn head(&self, text: &str) -> String {
        self.s(Style::new().bold(), text)
    }
    fn good(&self, text: &str) -> String {
        self.s(AnsiColor::Green.on_default().bold(), text)
    }
    fn bad(&self, text: &str) -> String {
        self.s(AnsiColor::Red.on_default().bold(), text)
    }
    fn dim(&self, text: &str) -> String {
        self.s(Style::new().dimmed(), text)
    }
}

/// Where a backend line appears, which decides its wording.
#[derive(Clone, Copy)]
enum Wording {
    /// A numbered step of the trace (the JSON `message` too), for backendRef `n`.
    Step(usize),
    /// The backends section, for backendRef `n`; the note goes on a line of its own.
    List(usize),
    /// The mirrors section: no weight, since mirrors take a copy of every request.
    Mirror,
}

/// `NAMESPACE/NAME[:PORT]`: where a backend is.
/// A backend as one line (two in the backends section when it has a note), in the wording
/// of the place it appears.
///
/// The wordings of an invalid backend have drifted apart: a trace step says ", invalid",
/// the backends section "invalid → HTTP 500". Both are in the snapshots and the step's is
/// in the JSON contract, so they are kept; this is the one place to align them.
fn backend_line(b: &Backend, wording: Wording, p: &Paint) -> String {
    let target = format!("{} {}", b.kind, b.address());
    let pct = b.probability * 100.0;
    match wording {
        Wording::Step(i) => format!(
            "backendRef {i}: {target} weight {} ({pct:.1}%){}{}",
            b.weight,
            if b.valid { "" } else { ", invalid" },
            b.note
                .as_ref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ),
        Wording::List(i) => format!(
            "{i}. {target}  weight {}  {pct:.1}%{}{}",
            b.weight,
            if b.valid {
                String::new()
            } else {
                format!("  {}", p.bad("invalid → HTTP 500"))
            },
            b.note
                .as_ref()
                .map(|n| format!("\n       {}", p.dim(n)))
                .unwrap_or_default()
        ),
        Wording::Mirror => format!(
            "{target}{}{}",
            b.mirrored
                .map(|m| match m.fraction {
                    Some(f) => format!(
                        " ({}/{} of requests, {:.1}%)",
                        f.numerator, f.denominator, m.percent
                    ),
                    None => format!(" ({}% of requests)", m.percent),
                })
                .unwrap_or_default(),
            b.note
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ),
    }
}

/// Write the trace for people.
pub fn human(t: &Trace, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint { on: color };
    summary(t, &p, out)?;
    step_list(t, &p, out)?;
    unattached(t, &p, out)?;
    if crate::sim::request::is_stream(&t.request.scheme) {
        // A connection has no matches, filters or HTTP statuses: its own sections.
        stream::candidates(t, &p, out)?;
        stream::backends(t, &p, out)?;
    } else {
        candidates(t, &p, out)?;
        misses(t, &p, out)?;
        filters(t, &p, out)?;
        cors(t, &p, out)?;
        backends(t, &p, out)?;
        forwarding(t, &p, out)?;
    }
    forwarded(t, &p, out)?;
    session(t, &p, out)?;
    distribution(t, &p, out)?;
    findings(t, &p, out)
}

/// The request, the outcome, and where the request went: Gateway and listener, or mesh
/// Service, and the winning route.
fn summary(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let r = &t.request;
    let stream = matches!(r.scheme.as_str(), "tls" | "tcp" | "udp");
    let target = match &r.grpc {
        // A TLS, TCP or UDP connection has no method or path; TLS's host is its SNI.
        _ if stream => format!(
            "{}://{}:{}{}",
            r.scheme,
            url_host(&r.host),
            r.port,
            if r.scheme == "tls" {
                format!(" (SNI {})", r.host)
            } else {
                String::new()
            }
        ),
        Some((svc, m)) => format!(
            "gRPC {svc}/{m} ({} {}://{}:{}{})",
            r.method,
            r.scheme,
            url_host(&r.host),
            r.port,
            r.path
        ),
        None => format!(
            "{} {}://{}:{}{}{}",
            r.method,
            r.scheme,
            url_host(&r.host),
            r.port,
            r.path,
            if r.query.is_empty() {
                String::new()
            } else {
                format!("?{}", r.query)
            }
        ),
    };
    writeln!(out, "{} {target}", p.head("request:"))?;
    if let Some(sni) = &t.sni {
        writeln!(out, "  (on a connection with SNI {sni})")?;
    }
    for (n, v) in &r.headers {
        writeln!(out, "  {n}: {v}")?;
    }
    let outcome = t.outcome.as_str();
    let status = match (t.status, t.grpc_status) {
        (_, Some(g)) => format!(" (gRPC {g})"),
        (Some(s), None) => format!(" (HTTP {s})"),
        (None, None) => String::new(),
    };
    let painted = match t.outcome {
        Outcome::Routed | Outcome::MeshDefault => p.good(&format!("{outcome}{status}")),
        Outcome::CorsPreflight if t.cors.as_ref().is_some_and(|c| c.allowed) => {
            p.good(&format!("{outcome}{status}"))
        }
        Outcome::Redirect => p.head(&format!("{outcome}{status}")),
        _ => p.bad(&format!("{outcome}{status}")),
    };
    writeln!(out, "{} {painted}", p.head("outcome:"))?;
    if let Some(g) = &t.gateway {
        writeln!(
            out,
            "{} {}/{}, listener {}{}",
            p.head("gateway:"),
            g.namespace,
            g.name,
            t.listener.as_deref().unwrap_or("(none)"),
            t.listener_set
                .as_ref()
                .map(|s| format!(" of {s}"))
                .unwrap_or_default()
        )?;
    }
    if let Some(s) = &t.service {
        writeln!(
            out,
            "{} Service {}/{} port {}, caller in namespace \"{}\"",
            p.head("mesh:"),
            s.namespace,
            s.name,
            s.port,
            s.from_namespace
        )?;
    }
    if let Some(route) = &t.route {
        writeln!(
            out,
            "{} {route}, rule {}{}{}",
            p.head("route:"),
            t.rule.unwrap_or(0),
            t.rule_name
                .as_ref()
                .map(|n| format!(" (\"{n}\")"))
                .unwrap_or_default(),
            // A TLS, TCP or UDP route has no matches.
            t.match_index
                .map(|m| format!(", match {m}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// The numbered steps, each with the rule of the specification it applies.
fn step_list(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n{}", p.head("trace:"))?;
    let mut last_spec = None;
    for (i, s) in t.steps.iter().enumerate() {
        writeln!(out, "  {:>2}. [{}] {}", i + 1, s.stage(), steps::message(s))?;
        // Each rule is cited once per run of steps that apply it, to keep the trace short.
        let spec = steps::spec(s);
        if let Some(spec) = spec
            && last_spec != Some(spec)
        {
            writeln!(out, "      {}", p.dim(&format!("spec: {spec}")))?;
        }
        last_spec = spec;
    }
    Ok(())
}

fn unattached(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if t.unattached.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", p.head("not attached:"))?;
    for u in &t.unattached {
        writeln!(
            out,
            "  {} (parentRef {}): {}",
            u.route, u.parent_ref, u.reason
        )?;
    }
    Ok(())
}

/// The accepting matches in precedence order, the winner marked.
fn candidates(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if t.candidates.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", p.head("matching rules, in precedence order:"))?;
    for (i, c) in t.candidates.iter().enumerate() {
        let mark = if i == 0 { "→" } else { " " };
        writeln!(
            out,
            "  {mark} {}. {} rule {} match {}{}",
            i + 1,
            c.route,
            c.rule,
            c.match_index,
            candidate_tail(c)
        )?;
    }
    Ok(())
}

/// What follows a candidate route in the precedence list: the hostname it matched on, and
/// what it lost to the one above on.
fn candidate_tail(c: &crate::sim::Candidate) -> String {
    format!(
        "{}{}",
        c.hostname
            .as_ref()
            .map(|h| format!(", hostname \"{h}\""))
            .unwrap_or_default(),
        c.lost_on
            .map(|l| format!("  (after the one above on: {l})"))
            .unwrap_or_default()
    )
}

fn misses(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if t.misses.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", p.head("rules that do not match:"))?;
    // The JSON has them all; people need the first few.
    const SHOWN: usize = 20;
    for m in t.misses.iter().take(SHOWN) {
        writeln!(
            out,
            "  {} rule {} match {}: {}",
            m.route, m.rule, m.match_index, m.reason
        )?;
    }
    if t.misses.len() > SHOWN {
        writeln!(
            out,
            "  ... and {} more (-o json lists them all)",
            t.misses.len() - SHOWN
        )?;
    }
    Ok(())
}

/// The filters that applied, and the redirect if one answered.
fn filters(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if !t.filters.is_empty() {
        writeln!(out, "\n{}", p.head("filters:"))?;
        for f in &t.filters {
            writeln!(out, "  {} ({}): {}", f.kind, f.level, f.summary)?;
        }
    }
    if let Some(r) = &t.redirect {
        writeln!(
            out,
            "\n{} {} Location: {}",
            p.head("redirect:"),
            r.status,
            r.location
        )?;
    }
    Ok(())
}

/// What a CORS filter made of a cross-origin request: the verdict, why, and the headers.
fn cors(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let Some(c) = &t.cors else {
        return Ok(());
    };
    let verdict = if c.allowed {
        p.good("allowed")
    } else {
        p.bad("not allowed")
    };
    writeln!(
        out,
        "\n{} {} from {}{}: {verdict}",
        p.head("cors:"),
        if c.preflight {
            "preflight"
        } else {
            "cross-origin request"
        },
        c.origin,
        c.request_method
            .as_ref()
            .map(|m| format!(" for {m}"))
            .unwrap_or_default(),
    )?;
    for why in &c.denied {
        writeln!(out, "  {why}")?;
    }
    if c.headers.0.is_empty() {
        writeln!(out, "  no CORS response headers")?;
    }
    for (n, v) in &c.headers.0 {
        writeln!(out, "  {n}: {v}")?;
    }
    for n in &c.notes {
        writeln!(out, "  {}", p.dim(&format!("note: {n}")))?;
    }
    Ok(())
}

/// The winning rule's timeouts and retry.
fn forwarding(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if let Some(tm) = &t.timeouts {
        let mut parts = Vec::new();
        if let Some(r) = &tm.request {
            parts.push(format!("request {r}"));
        }
        if let Some(b) = &tm.backend_request {
            parts.push(format!("backendRequest {b}"));
        }
        writeln!(
            out,
            "\n{} {}",
            p.head("timeouts:"),
            if parts.is_empty() {
                "none set".into()
            } else {
                parts.join(", ")
            }
        )?;
    }
    if let Some(r) = &t.retry {
        writeln!(
            out,
            "\n{} codes {}, attempts {}, backoff {}",
            p.head("retry:"),
            if r.codes.is_empty() {
                "none".into()
            } else {
                r.codes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            r.attempts
                .map_or("implementation-specific".into(), |a| a.to_string()),
            r.backoff.as_deref().unwrap_or("implementation-specific")
        )?;
    }
    if let Some(b) = &t.retry_budget {
        writeln!(
            out,
            "\n{} {}% of requests per {}, at least {} per {} (from {})",
            p.head("retry budget:"),
            b.percent,
            b.interval,
            b.min_retries,
            b.min_retry_interval,
            b.source
        )?;
    }
    Ok(())
}

/// The winning rule's backends with weights and shares, and the mirrors.
fn backends(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if !t.backends.is_empty() {
        writeln!(out, "\n{}", p.head("backends:"))?;
        for (i, b) in t.backends.iter().enumerate() {
            writeln!(out, "  {}", backend_line(b, Wording::List(i), p))?;
        }
        if t.error_share > 0.0 && t.error_share < 1.0 {
            writeln!(
                out,
                "  {:.1}% of requests get HTTP 500",
                t.error_share * 100.0
            )?;
        }
    }
    if !t.mirrors.is_empty() {
        writeln!(out, "\n{}", p.head("mirrored to:"))?;
        for b in &t.mirrors {
            writeln!(out, "  {}", backend_line(b, Wording::Mirror, p))?;
        }
    }
    Ok(())
}

/// The request as forwarded, and the response headers the filters changed.
fn forwarded(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if matches!(t.request.scheme.as_str(), "tls" | "tcp" | "udp") {
        // A connection is passed on as it came: only where it goes is news.
        if let Some(b) = t.forwarded.backend.and_then(|i| t.backends.get(i)) {
            writeln!(out, "\n{} {}", p.head("connection goes to:"), b.address())?;
        }
        return Ok(());
    }
    if t.forwarded.backend.is_some() {
        let f = &t.forwarded;
        writeln!(out, "\n{}", p.head("forwarded request:"))?;
        writeln!(
            out,
            "  {} {}://{}{}{}",
            f.method,
            f.scheme,
            url_host(&f.host),
            f.path,
            if f.query.is_empty() {
                String::new()
            } else {
                format!("?{}", f.query)
            }
        )?;
        for (n, v) in &f.headers.0 {
            writeln!(out, "  {n}: {v}")?;
        }
    }
    let rh = &t.response_headers;
    if !rh.is_empty() {
        writeln!(out, "\n{}", p.head("response headers changed:"))?;
        for (n, v) in &rh.set.0 {
            writeln!(out, "  set {n}: {v}")?;
        }
        for (n, v) in &rh.add.0 {
            writeln!(out, "  add {n}: {v}")?;
        }
        for n in &rh.remove {
            writeln!(out, "  remove {n}")?;
        }
    }
    Ok(())
}

fn session(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let Some(s) = &t.session else {
        return Ok(());
    };
    writeln!(
        out,
        "\n{} {} \"{}\" from {}{}",
        p.head("session:"),
        s.config.kind,
        s.config.name,
        s.config.source,
        s.config
            .lifetime
            .as_ref()
            .map(|l| format!(", lifetime {l}"))
            .unwrap_or_default()
    )?;
    if let Some(c) = &s.set_cookie {
        writeln!(out, "  Set-Cookie: {c}")?;
    }
    if let Some(h) = &s.response_header {
        writeln!(out, "  {h}")?;
    }
    if s.carried {
        writeln!(
            out,
            "  the request carried a valid session and kept its backend"
        )?;
    }
    if let (Some(n), Some(same)) = (s.sticky_requests, s.sticky_same_backend) {
        writeln!(
            out,
            "  a client carrying it: {same} of {n} requests reach backend {}",
            s.backend.map_or("-".into(), |b| b.to_string())
        )?;
    }
    Ok(())
}

fn distribution(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let Some(d) = &t.distribution else {
        return Ok(());
    };
    writeln!(
        out,
        "\n{} {} requests, seed {}{}",
        p.head("distribution:"),
        d.requests,
        d.seed,
        if d.capped { " (capped)" } else { "" }
    )?;
    for c in &d.counts {
        let pct = if d.requests > 0 {
            c.count as f64 * 100.0 / d.requests as f64
        } else {
            0.0
        };
        writeln!(out, "  {:<40} {:>7}  {:>5.1}%", c.name, c.count, pct)?;
    }
    Ok(())
}

fn findings(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if t.findings.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n{}",
        p.head("lint findings that bear on this answer:")
    )?;
    for f in &t.findings {
        writeln!(
            out,
            "  {}[{}] {}{}",
            f.severity,
            f.code,
            f.message,
            f.object
                .as_ref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}
