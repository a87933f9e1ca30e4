//! The words of the steps of a TLS, TCP or UDP connection ([`StreamStep`]): which route took
//! it, and which backend it goes to, with the rule of the specification each applies.
//!
//! Kept apart from [`super::steps`], which words HTTP and gRPC requests: these connections
//! have no matches, filters or statuses, and an invalid backend rejects the connection
//! rather than answering HTTP 500.

use std::io::{self, Write};

use crate::graph::RouteKind;
use crate::sim::Trace;
use crate::sim::step::StreamStep;

use super::{Paint, Wording, backend_line};

mod spec {
    pub const TLS_PRECEDENCE: &str = "TLSRoute spec.hostnames: a connection goes to the route whose hostname matches its SNI (the most specific first); between equal ones the oldest route, then namespace/name";
    pub const STREAM_PRECEDENCE: &str = "TCPRoute/UDPRoute: of several routes on one listener only the oldest is attached (then namespace/name)";
    pub const NO_ROUTE: &str = "Listener: a connection no attached route takes is rejected";
    pub const BACKENDS: &str = "TLSRoute/TCPRoute/UDPRoute backendRefs: connections are split by weight (default 1); the share of an invalid backend (not found, wrong port, not granted, unsupported kind) is rejected, and with no usable backend every connection is";
}

pub fn spec(step: &StreamStep) -> Option<&'static str> {
    Some(match step {
        StreamStep::NoRoute { .. } => spec::NO_ROUTE,
        StreamStep::Winner {
            kind: RouteKind::Tls,
            ..
        } => spec::TLS_PRECEDENCE,
        StreamStep::Winner { .. } => spec::STREAM_PRECEDENCE,
        StreamStep::FirstRuleOnly { .. } => return None,
        StreamStep::Backend { .. }
        | StreamStep::NoBackends
        | StreamStep::Rejected { .. }
        | StreamStep::Chosen { .. } => spec::BACKENDS,
    })
}

pub fn message(step: &StreamStep) -> String {
    match step {
        StreamStep::NoRoute { kind } => format!(
            "no {} is attached to the listener for this connection: it is rejected",
            kind.as_str()
        ),
        StreamStep::Winner {
            route, runner_up, ..
        } => format!(
            "{route} takes the connection{}",
            runner_up
                .as_ref()
                .map(|(r, on)| format!("; it comes before {r} on: {on}"))
                .unwrap_or_default()
        ),
        StreamStep::FirstRuleOnly { rules } => format!(
            "the route has {rules} rules, and with nothing to match on gwctl uses the first; implementations differ"
        ),
        StreamStep::Backend { index, backend } => {
            backend_line(backend, Wording::Step(*index), &Paint { on: false })
        }
        StreamStep::NoBackends => {
            "no backendRef with a positive weight is valid: every connection is rejected".into()
        }
        StreamStep::Rejected {
            share,
            this_connection,
        } => format!(
            "{:.1}% of connections go to invalid backends and are rejected{}",
            share * 100.0,
            if *this_connection {
                "; this connection is one of them"
            } else {
                ""
            }
        ),
        StreamStep::Chosen { backend } => {
            format!("this connection goes to {}", backend.address())
        }
    }
}

/// The attached routes in precedence order, the winner marked.
pub(super) fn candidates(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if t.candidates.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", p.head("routes, in precedence order:"))?;
    for (i, c) in t.candidates.iter().enumerate() {
        writeln!(
            out,
            "  {} {}. {}{}",
            if i == 0 { "→" } else { " " },
            i + 1,
            c.route,
            super::candidate_tail(c)
        )?;
    }
    Ok(())
}

/// The winning rule's backends with weights and shares; an invalid one's share of
/// connections is rejected.
pub(super) fn backends(t: &Trace, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    if t.backends.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", p.head("backends:"))?;
    for (i, b) in t.backends.iter().enumerate() {
        writeln!(
            out,
            "  {i}. {} {}  weight {}  {:.1}%{}",
            b.kind,
            b.address(),
            b.weight,
            b.probability * 100.0,
            if b.valid {
                String::new()
            } else {
                format!("  {}", p.bad("invalid → rejected"))
            }
        )?;
        if let Some(n) = &b.note {
            writeln!(out, "       {}", p.dim(n))?;
        }
    }
    if t.error_share > 0.0 && t.error_share < 1.0 {
        writeln!(
            out,
            "  {:.1}% of connections are rejected",
            t.error_share * 100.0
        )?;
    }
    Ok(())
}
