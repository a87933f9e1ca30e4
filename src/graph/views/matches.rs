//! Route matches as values: an HTTPRoute match (path, method, headers, query parameters) or
//! a GRPCRoute match (service and method, headers), with the API's defaults filled in where
//! every reader applies the same one. Types are kept as written when unknown, because the
//! precedence checks compare matches by their text.

use serde_json::Value;

use super::{RouteKind, arr, boxed, s};

/// The `type` of a path, header, query parameter or gRPC method match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchType {
    Exact,
    PathPrefix,
    RegularExpression,
    /// A type Gateway API does not define (the schema pass reports it), as written.
    Other(Box<str>),
}

impl MatchType {
    /// `v[type]`, or `default` when it is absent or not a string.
    fn read(v: &Value, default: MatchType) -> Self {
        match s(v, "type") {
            None => default,
            Some("Exact") => MatchType::Exact,
            Some("PathPrefix") => MatchType::PathPrefix,
            Some("RegularExpression") => MatchType::RegularExpression,
            Some(other) => MatchType::Other(other.into()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            MatchType::Exact => "Exact",
            MatchType::PathPrefix => "PathPrefix",
            MatchType::RegularExpression => "RegularExpression",
            MatchType::Other(t) => t,
        }
    }
}

/// An HTTPRoute `path` match; absent parts default to `PathPrefix` and `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch {
    pub kind: MatchType,
    pub value: Box<str>,
}

impl PathMatch {
    fn read(v: &Value) -> Self {
        PathMatch {
            kind: MatchType::read(v, MatchType::PathPrefix),
            value: s(v, "value").unwrap_or("/").into(),
        }
    }
}

/// A header or query parameter match; the type defaults to `Exact`, name and value to
/// empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueMatch {
    pub kind: MatchType,
    pub name: Box<str>,
    pub value: Box<str>,
}

impl ValueMatch {
    fn read_all(v: &Value, key: &str) -> Box<[ValueMatch]> {
        arr(v, key)
            .iter()
            .map(|h| ValueMatch {
                kind: MatchType::read(h, MatchType::Exact),
                name: s(h, "name").unwrap_or_default().into(),
                value: s(h, "value").unwrap_or_default().into(),
            })
            .collect()
    }
}

/// A GRPCRoute `method` match; the type defaults to `Exact`, and an absent service or method
/// matches every one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcMethodMatch {
    pub kind: MatchType,
    pub service: Option<Box<str>>,
    pub method: Option<Box<str>>,
}

/// One HTTPRoute match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpMatch {
    pub path: PathMatch,
    pub method: Option<Box<str>>,
    pub headers: Box<[ValueMatch]>,
    pub query_params: Box<[ValueMatch]>,
}

/// One GRPCRoute match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcMatch {
    pub method: GrpcMethodMatch,
    pub headers: Box<[ValueMatch]>,
}

/// One match of a rule, read as its route's kind reads it. Kinds without matches (TLS, TCP,
/// UDP routes) read as HTTP; nothing consults them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    Http(HttpMatch),
    Grpc(GrpcMatch),
}

impl Match {
    pub(super) fn read(m: &Value, kind: RouteKind) -> Self {
        match kind {
            RouteKind::Grpc => {
                let method = m.get("method").unwrap_or(&Value::Null);
                Match::Grpc(GrpcMatch {
                    method: GrpcMethodMatch {
                        kind: MatchType::read(method, MatchType::Exact),
                        service: boxed(method, "service"),
                        method: boxed(method, "method"),
                    },
                    headers: ValueMatch::read_all(m, "headers"),
                })
            }
            _ => Match::Http(HttpMatch {
                path: PathMatch::read(m.get("path").unwrap_or(&Value::Null)),
                method: boxed(m, "method"),
                headers: ValueMatch::read_all(m, "headers"),
                query_params: ValueMatch::read_all(m, "queryParams"),
            }),
        }
    }

    /// The match of a rule without matches: `PathPrefix /` for HTTPRoute, every service and
    /// method for GRPCRoute.
    pub(super) fn default_for(kind: RouteKind) -> Self {
        Match::read(&Value::Null, kind)
    }

    /// The header matches, which both kinds have.
    pub fn headers(&self) -> &[ValueMatch] {
        match self {
            Match::Http(m) => &m.headers,
            Match::Grpc(m) => &m.headers,
        }
    }
}
