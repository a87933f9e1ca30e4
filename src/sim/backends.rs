//! Backends of the winning rule: validity (the same questions lint's GW311-GW313 ask),
//! effective weights and probabilities, deterministic load spreading for `--requests`, and
//! session persistence (route rule `sessionPersistence`, a BackendLBPolicy or an
//! XBackendTrafficPolicy).
//!
//! Session values name the backend in a documented encoding (see [`session_value`]) so a
//! client that sends the value back is routed to the same backend while it is valid.

use serde::Serialize;

use crate::graph::BackendProblem;
use crate::graph::{BackendRef, Graph, MirrorShare, Route, SessionPersistence};

/// One backendRef of the chosen rule, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct Backend {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub port: Option<i64>,
    pub weight: i64,
    pub probability: f64,
    /// Whether requests sent to it reach it; invalid backends answer HTTP 500.
    pub valid: bool,
    /// Why it is invalid, or a note on a partial input ("not in the inputs").
    pub note: Option<String>,
    /// For a mirror that copies only a share of the requests: that share (the key is left
    /// out for backends and for mirrors of every request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirrored: Option<Mirrored>,
}

/// The share of requests a mirror copies: always as a percentage, and as the fraction
/// written when it was one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mirrored {
    /// 0 to 100, rounded to 6 places.
    pub percent: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction: Option<Fraction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fraction {
    pub numerator: i64,
    pub denominator: i64,
}

impl Mirrored {
    pub fn of(share: MirrorShare) -> Self {
        Mirrored {
            percent: (share.percent() * 1e6).round() / 1e6,
            fraction: match share {
                MirrorShare::Percent(_) => None,
                MirrorShare::Fraction {
                    numerator,
                    denominator,
                } => Some(Fraction {
                    numerator,
                    denominator,
                }),
            },
        }
    }
}

impl Backend {
    /// `namespace/name[:port]`, as the trace and the distribution name a backend.
    pub fn address(&self) -> String {
        format!(
            "{}/{}{}",
            self.namespace,
            self.name,
            self.port.map(|p| format!(":{p}")).unwrap_or_default()
        )
    }
}

/// Decide whether a backendRef is usable, the way conformance expects: an unsupported kind,
/// a missing port, a cross-namespace reference without a ReferenceGrant, a missing Service
/// (under `--complete`) or a port the Service does not have all make it invalid (its share
/// `fails`: "HTTP 500" for requests, "connection rejected" for TLS, TCP and UDP). A Service
/// that is simply not in the inputs is assumed to exist unless `complete`, and the note says
/// so.
pub fn resolve(
    graph: &Graph,
    route: &Route,
    b: &BackendRef,
    complete: bool,
    fails: &str,
) -> Backend {
    let mut out = Backend {
        kind: b.kind.clone(),
        namespace: b.namespace.clone(),
        name: b.name.clone(),
        port: b.port,
        // The schema caps weights at 1,000,000; the clamp keeps sums of hostile values
        // from overflowing.
        weight: b.weight.clamp(0, 1 << 32),
        probability: 0.0,
        valid: true,
        note: None,
        mirrored: None,
    };
    let mut invalid = |why: String| {
        out.valid = false;
        out.note = Some(why);
    };
    if !b.is_service() {
        invalid(format!(
            "backend kind {}{} is not supported by gwctl's simulation (conformance: InvalidKind → {fails})",
            if b.group.is_empty() {
                String::new()
            } else {
                format!("{}/", b.group)
            },
            b.kind
        ));
        return out;
    }
    if b.port.is_none() {
        invalid(format!(
            "a Service backendRef needs a port; none is given ({fails})"
        ));
        return out;
    }
    let problems = graph.backend_problems(route, b);
    if problems.contains(&BackendProblem::NotGranted) {
        invalid(format!(
            "Service {}/{} is in another namespace and no ReferenceGrant in \"{}\" allows {} from \"{}\" (RefNotPermitted → {fails})",
            b.namespace,
            b.name,
            b.namespace,
            route.kind.as_str(),
            route.namespace
        ));
        return out;
    }
    if problems.contains(&BackendProblem::ServiceMissing) {
        if complete {
            invalid(format!(
                "Service {}/{} does not exist (--complete) (BackendNotFound → {fails})",
                b.namespace, b.name
            ));
        } else {
            out.note = Some(format!(
                "Service {}/{} is not in the inputs; assumed to exist (pass --complete to treat it as missing)",
                b.namespace, b.name
            ));
        }
    } else if problems.contains(&BackendProblem::PortMissing)
        && let Some(svc) = graph.service(&b.namespace, &b.name)
    {
        invalid(format!(
            "port {} is not a port of Service {}/{} (its ports: {}) ({fails})",
            b.port.unwrap_or_default(),
            b.namespace,
            b.name,
            svc.port_list()
        ));
    }
    out
}

/// Fill in probabilities: weight over total weight (0 when every weight is 0).
pub fn set_probabilities(backends: &mut [Backend]) {
    let total: i64 = backends.iter().map(|b| b.weight).sum();
    for b in backends {
        b.probability = if total > 0 {
            // Rounded to 6 places so JSON output is stable across platforms.
            ((b.weight as f64 / total as f64) * 1e6).round() / 1e6
        } else {
            0.0
        };
    }
}

/// SplitMix64: a tiny, well-known generator, so `--seed` gives the same spread on every
/// platform and release without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An index drawn with probability proportional to `weights`; `None` when all are 0.
    pub fn weighted(&mut self, weights: &[i64]) -> Option<usize> {
        let total: u64 = weights
            .iter()
            .fold(0u64, |acc, &w| acc.saturating_add(w.max(0) as u64));
        if total == 0 {
            return None;
        }
        let mut x = self.next_u64() % total;
        for (i, &w) in weights.iter().enumerate() {
            let w = w.max(0) as u64;
            if x < w {
                return Some(i);
            }
            x -= w;
        }
        None
    }
}

/// Session persistence settings, from a rule or a BackendLBPolicy.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionConfig {
    /// `route rule`, `BackendLBPolicy NAMESPACE/NAME` or `XBackendTrafficPolicy
    /// NAMESPACE/NAME`.
    pub source: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// Whether `name` is gwctl's default because `sessionName` is unset.
    pub default_name: bool,
    pub lifetime: Option<String>,
    pub idle_timeout: Option<String>,
    pub absolute_timeout: Option<String>,
}

/// The default names gwctl uses when `sessionName` is unset (implementation-specific).
pub const DEFAULT_COOKIE: &str = "gwctl-session";
pub const DEFAULT_HEADER: &str = "x-gwctl-session";

impl SessionConfig {
    /// The settings a rule or policy wrote, with gwctl's defaults for what it left out.
    pub fn new(sp: &SessionPersistence, source: String) -> Self {
        let kind = sp.kind.as_deref().unwrap_or("Cookie").to_owned();
        let header = kind == "Header";
        let name = sp.session_name.as_deref().filter(|n| !n.is_empty());
        SessionConfig {
            source,
            default_name: name.is_none(),
            name: name.map_or_else(
                || {
                    if header {
                        DEFAULT_HEADER.into()
                    } else {
                        DEFAULT_COOKIE.into()
                    }
                },
                str::to_owned,
            ),
            lifetime: (!header)
                .then(|| sp.lifetime_type.as_deref().unwrap_or("Session").to_owned()),
            idle_timeout: sp.idle_timeout.as_deref().map(str::to_owned),
            absolute_timeout: sp.absolute_timeout.as_deref().map(str::to_owned),
            kind,
        }
    }
}

/// gwctl's session value for a backend: `gwctl1.NAMESPACE.NAME.PORT`. Namespaces and
/// Service names are DNS labels, which have no dots, so the value splits unambiguously; every
/// character is valid in a cookie value and in a header value.
pub fn session_value(b: &Backend) -> String {
    format!(
        "gwctl1.{}.{}.{}",
        b.namespace,
        b.name,
        b.port.map_or("-".into(), |p| p.to_string())
    )
}

/// Decode a session value into (namespace, name, port).
pub fn decode_session(v: &str) -> Option<(String, String, Option<i64>)> {
    let mut parts = v.trim_matches('"').split('.');
    if parts.next()? != "gwctl1" {
        return None;
    }
    let ns = parts.next()?.to_owned();
    let name = parts.next()?.to_owned();
    let port = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let port = if port == "-" {
        None
    } else {
        Some(port.parse().ok()?)
    };
    Some((ns, name, port))
}

/// A Gateway API Duration (`1h`, `30m`, `10s`, `500ms`, `1h30m`) in whole seconds.
pub fn duration_secs(d: &str) -> Option<u64> {
    let mut total_ms: u64 = 0;
    let mut num = String::new();
    let mut chars = d.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit_ms = match c {
            'h' => 3_600_000,
            's' => 1000,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            'm' => 60_000,
            _ => return None,
        };
        total_ms = total_ms.checked_add(n.checked_mul(unit_ms)?)?;
        any = true;
    }
    (any && num.is_empty()).then_some(total_ms / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_secs("1h30m"), Some(5400));
        assert_eq!(duration_secs("500ms"), Some(0));
        assert_eq!(duration_secs("10s"), Some(10));
        assert_eq!(duration_secs("10"), None);
        assert_eq!(duration_secs("x"), None);
        assert_eq!(duration_secs(""), None);
    }

    #[test]
    fn session_values_round_trip() {
        let b = Backend {
            kind: "Service".into(),
            namespace: "ns".into(),
            name: "svc".into(),
            port: Some(80),
            weight: 1,
            probability: 1.0,
            valid: true,
            note: None,
            mirrored: None,
        };
        let v = session_value(&b);
        assert_eq!(v, "gwctl1.ns.svc.80");
        assert_eq!(
            decode_session(&v),
            Some(("ns".into(), "svc".into(), Some(80)))
        );
        assert_eq!(decode_session("other"), None);
        assert_eq!(decode_session("gwctl1.a.b.c"), None);
    }

    #[test]
    fn weighted_choice_is_deterministic_and_skips_zero() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            let x = a.weighted(&[0, 3, 1]);
            assert_eq!(x, b.weighted(&[0, 3, 1]));
            assert_ne!(x, Some(0));
        }
        assert_eq!(a.weighted(&[0, 0]), None);
    }
}
