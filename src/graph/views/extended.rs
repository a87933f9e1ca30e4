//! What route rules gained after v1.1, all of "Extended" support in Gateway API's terms:
//! HTTPRoute `timeouts` and (experimental) `retry`, the share of requests a RequestMirror
//! copies (`percent` or `fraction`), the CORS filter, and the retry budget of an
//! XBackendTrafficPolicy. Read leniently, like every view: a
//! field of the wrong type reads as absent, because the schema pass has reported it.

use serde_json::Value;

use super::{arr, boxed, int};

/// `rules[].timeouts` of an HTTPRoute: Gateway API durations as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeouts {
    pub request: Option<Box<str>>,
    pub backend_request: Option<Box<str>>,
}

impl Timeouts {
    /// The rule's `timeouts`, when it is an object.
    pub fn read(rule: &Value) -> Option<Self> {
        let t = rule.get("timeouts").filter(|t| t.is_object())?;
        Some(Timeouts {
            request: boxed(t, "request"),
            backend_request: boxed(t, "backendRequest"),
        })
    }
}

/// `rules[].retry` of an HTTPRoute (experimental since v1.2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retry {
    /// The status codes retried, in the order written (integers only).
    pub codes: Vec<i64>,
    pub attempts: Option<i64>,
    pub backoff: Option<Box<str>>,
}

impl Retry {
    /// The rule's `retry`, when it is an object.
    pub fn read(rule: &Value) -> Option<Self> {
        let r = rule.get("retry").filter(|r| r.is_object())?;
        Some(Retry {
            codes: arr(r, "codes").iter().filter_map(Value::as_i64).collect(),
            attempts: int(r, "attempts"),
            backoff: boxed(r, "backoff"),
        })
    }
}

/// The share of requests a RequestMirror copies: `percent`, or `fraction` (numerator over
/// denominator, which defaults to 100). Neither written means every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MirrorShare {
    Percent(i64),
    Fraction { numerator: i64, denominator: i64 },
}

impl MirrorShare {
    /// The share a filter's `requestMirror` sets, if any.
    pub fn read(request_mirror: &Value) -> Option<Self> {
        if let Some(p) = int(request_mirror, "percent") {
            return Some(MirrorShare::Percent(p));
        }
        let f = request_mirror.get("fraction").filter(|f| f.is_object())?;
        Some(MirrorShare::Fraction {
            numerator: int(f, "numerator").unwrap_or(0),
            denominator: int(f, "denominator").unwrap_or(100),
        })
    }

    /// The share as a percentage, 0 to 100 (a hostile fraction is clamped; a zero
    /// denominator, which the schema refuses, reads as no request mirrored).
    pub fn percent(self) -> f64 {
        let p = match self {
            MirrorShare::Percent(p) => p as f64,
            MirrorShare::Fraction {
                numerator,
                denominator,
            } if denominator > 0 => numerator as f64 * 100.0 / denominator as f64,
            MirrorShare::Fraction { .. } => 0.0,
        };
        p.clamp(0.0, 100.0)
    }
}

/// `cors` of a CORS filter (experimental since v1.3, standard since v1.5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cors {
    pub allow_origins: Vec<String>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    /// `allowCredentials`; absent reads as false.
    pub allow_credentials: bool,
    /// `maxAge` when an integer (the schema defaults it to 5).
    pub max_age: Option<i64>,
}

impl Cors {
    pub fn read(c: &Value) -> Self {
        let strings = |key: &str| {
            arr(c, key)
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        Cors {
            allow_origins: strings("allowOrigins"),
            allow_methods: strings("allowMethods"),
            allow_headers: strings("allowHeaders"),
            expose_headers: strings("exposeHeaders"),
            allow_credentials: c.get("allowCredentials").and_then(Value::as_bool) == Some(true),
            max_age: int(c, "maxAge"),
        }
    }
}

/// `spec.retryConstraint` of an XBackendTrafficPolicy: at most `budget_percent` of the
/// requests to the backend over `budget_interval` may be retries, but `min_count` retries
/// per `min_interval` are always allowed. Absent parts take the schema's defaults when the
/// object is applied (20% per 10s; 10 per 1s).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryConstraint {
    pub budget_percent: Option<i64>,
    pub budget_interval: Option<Box<str>>,
    pub min_count: Option<i64>,
    pub min_interval: Option<Box<str>>,
}

impl RetryConstraint {
    /// The policy spec's `retryConstraint`, when it is an object.
    pub fn read(spec: &Value) -> Option<Self> {
        let r = spec.get("retryConstraint").filter(|r| r.is_object())?;
        let budget = r.get("budget").unwrap_or(&Value::Null);
        let min = r.get("minRetryRate").unwrap_or(&Value::Null);
        Some(RetryConstraint {
            budget_percent: int(budget, "percent"),
            budget_interval: boxed(budget, "interval"),
            min_count: int(min, "count"),
            min_interval: boxed(min, "interval"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mirror_shares_read_percent_or_fraction() {
        assert_eq!(
            MirrorShare::read(&json!({"percent": 25})),
            Some(MirrorShare::Percent(25))
        );
        let f = MirrorShare::read(&json!({"fraction": {"numerator": 1, "denominator": 3}}));
        assert_eq!(
            f,
            Some(MirrorShare::Fraction {
                numerator: 1,
                denominator: 3
            })
        );
        assert!((f.unwrap().percent() - 33.333).abs() < 0.01);
        let default_denominator = MirrorShare::read(&json!({"fraction": {"numerator": 7}}));
        assert_eq!(default_denominator.unwrap().percent(), 7.0);
        assert_eq!(MirrorShare::read(&json!({})), None);
        let zero = MirrorShare::Fraction {
            numerator: 1,
            denominator: 0,
        };
        assert_eq!(zero.percent(), 0.0);
        assert_eq!(MirrorShare::Percent(900).percent(), 100.0);
    }

    #[test]
    fn timeouts_retry_and_cors_read_leniently() {
        let rule = json!({"timeouts": {"request": "10s", "backendRequest": 2},
                          "retry": {"codes": [500, "x", 503], "attempts": 3}});
        let t = Timeouts::read(&rule).unwrap();
        assert_eq!(t.request.as_deref(), Some("10s"));
        assert_eq!(t.backend_request, None);
        let r = Retry::read(&rule).unwrap();
        assert_eq!(r.codes, [500, 503]);
        assert_eq!(r.attempts, Some(3));
        assert_eq!(Timeouts::read(&json!({"timeouts": "10s"})), None);
        let c = Cors::read(&json!({"allowOrigins": ["*"], "allowCredentials": "yes"}));
        assert_eq!(c.allow_origins, ["*"]);
        assert!(!c.allow_credentials);
        assert_eq!(c.max_age, None);
    }
}
