//! Route matches against one request, and the precedence order between matches.
//!
//! Owns how an HTTPRoute match (path, method, headers, query parameters) or a GRPCRoute match
//! (service, method, headers) is evaluated, and the [`Rank`] that orders every match that
//! accepts the request, across all attached routes, in the order Gateway API specifies (unchanged from v1.1 to v1.6).
//! A rule's matches, with the default match of a rule without `matches` (`PathPrefix /` for
//! HTTP, every method for gRPC), come from [`crate::graph::Rule::matches`], shared with
//! lint's precedence checks.

use std::cmp::Reverse;

use regex::RegexBuilder;

use super::request::Request;
use crate::graph::{GrpcMatch, HttpMatch, MatchType, RouteKind, ValueMatch};

/// Regular expressions are matched with RE2 semantics (the `regex` crate), against the
/// whole value, as Envoy-based implementations do. The size limit keeps a hostile pattern
/// from exhausting memory.
fn full_match(pattern: &str, text: &str) -> Result<bool, String> {
    RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(1 << 20)
        .build()
        .map(|re| re.is_match(text))
        .map_err(|e| {
            format!(
                "regular expression \"{pattern}\" is not valid RE2: {}",
                e.to_string().lines().last().unwrap_or("")
            )
        })
}

/// How a path match ranks: Exact before PathPrefix; RegularExpression precedence is
/// implementation-specific and gwctl puts it last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathKind {
    Exact,
    Prefix,
    Regex,
}

/// Everything precedence looks at, in the order it looks. Smaller sorts first and wins.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// Hostname specificity: (non-wildcard, length) of the matching route hostname.
    pub host: Reverse<(bool, usize)>,
    /// HTTP: path kind; gRPC: always Exact.
    pub path_kind: PathKind,
    /// HTTP: length of the Exact path or prefix; gRPC: length of the service.
    pub path_len: Reverse<usize>,
    /// HTTP: whether a method is matched; gRPC: length of the method.
    pub method: Reverse<usize>,
    pub headers: Reverse<usize>,
    pub query: Reverse<usize>,
    /// Routes without a creationTimestamp count as newest.
    pub created: (bool, String),
    pub namespace: String,
    pub name: String,
    pub rule: usize,
    pub matched: usize,
}

impl Rank {
    /// The precedence step that puts `self` before `other`, with the spec's wording.
    pub fn decisive(&self, other: &Rank, kind: RouteKind) -> &'static str {
        let grpc = kind == RouteKind::Grpc;
        if self.host != other.host {
            if self.host.0.0 != other.host.0.0 {
                "longest matching non-wildcard hostname"
            } else {
                "longest matching hostname"
            }
        } else if self.path_kind != other.path_kind {
            if self.path_kind == PathKind::Exact {
                "exact path match"
            } else {
                "path match type (RegularExpression precedence is implementation-specific: gwctl ranks it after PathPrefix)"
            }
        } else if self.path_len != other.path_len {
            if grpc {
                "longest service"
            } else if self.path_kind == PathKind::Regex {
                "longer regular expression (implementation-specific)"
            } else if self.path_kind == PathKind::Exact {
                "longer exact path"
            } else {
                "longest prefix"
            }
        } else if self.method != other.method {
            if grpc {
                "longest method"
            } else {
                "method match"
            }
        } else if self.headers != other.headers {
            "most header matches"
        } else if self.query != other.query {
            "most query param matches"
        } else if self.created != other.created {
            "oldest route (creationTimestamp)"
        } else if (&self.namespace, &self.name) != (&other.namespace, &other.name) {
            "alphabetical namespace/name"
        } else if self.rule != other.rule {
            "first rule in list order"
        } else {
            "first match in list order"
        }
    }
}

/// The request-specific parts of a rank of one match that accepts the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub path_kind: PathKind,
    pub path_len: usize,
    pub method: usize,
    pub headers: usize,
    pub query: usize,
    /// The prefix (normalised, without trailing slash) for ReplacePrefixMatch.
    pub prefix: Option<String>,
    /// Whether a regular expression took part.
    pub regex: bool,
}

/// Whether a request path has `prefix` as a prefix of whole segments. A trailing `/` of the
/// prefix is ignored, so `/foo` and `/foo/` both match `/foo`, `/foo/` and `/foo/bar`, and
/// neither matches `/foobar`.
pub fn prefix_matches(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    p.is_empty() || path == p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/'))
}

/// Whether `got` satisfies a header or query parameter condition: `Exact` unless its type is
/// `RegularExpression` (which sets `regex`, as such matches rank lower).
fn condition_holds(cond: &ValueMatch, got: &str, regex: &mut bool) -> Result<bool, String> {
    Ok(match cond.kind {
        MatchType::RegularExpression => {
            *regex = true;
            full_match(&cond.value, got)?
        }
        _ => got == &*cond.value,
    })
}

/// Evaluate header matches: names case-insensitive; only the first entry of a name counts.
fn headers_match(req: &Request, headers: &[ValueMatch]) -> Result<(usize, bool), String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut regex = false;
    for h in headers {
        let name = &*h.name;
        if seen.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        seen.push(name);
        let want = &h.value;
        let Some(got) = req.header(name) else {
            return Err(format!("header {name} is absent"));
        };
        let ok = condition_holds(h, &got, &mut regex)?;
        if !ok {
            return Err(format!(
                "header {name} is \"{got}\", not {}\"{want}\"",
                if h.kind == MatchType::RegularExpression {
                    "a match of "
                } else {
                    ""
                }
            ));
        }
    }
    Ok((seen.len(), regex))
}

/// Whether an HTTPRoute match accepts the request; `Err` says why not. Conditions within a
/// match are ANDed.
pub fn http_match(req: &Request, m: &HttpMatch) -> Result<Accepted, String> {
    let pvalue = &*m.path.value;
    let mut regex = false;
    let (path_kind, path_len, prefix) = match m.path.kind {
        MatchType::Exact => {
            if req.path != pvalue {
                return Err(format!("path {} is not Exact {pvalue}", req.path));
            }
            (PathKind::Exact, pvalue.len(), None)
        }
        MatchType::RegularExpression => {
            regex = true;
            if !full_match(pvalue, &req.path)? {
                return Err(format!(
                    "path {} does not match RegularExpression {pvalue}",
                    req.path
                ));
            }
            (PathKind::Regex, pvalue.len(), None)
        }
        // PathPrefix, and (as the API server would not admit it) any other type.
        _ => {
            if !prefix_matches(pvalue, &req.path) {
                return Err(format!(
                    "path {} is not under PathPrefix {pvalue} (prefixes match whole path segments)",
                    req.path
                ));
            }
            let p = pvalue.trim_end_matches('/');
            (PathKind::Prefix, p.len(), Some(p.to_owned()))
        }
    };
    let method = match m.method.as_deref() {
        Some(want) if want != req.method => {
            return Err(format!("method {} is not {want}", req.method));
        }
        Some(_) => 1,
        None => 0,
    };
    let (headers, hregex) = headers_match(req, &m.headers)?;
    regex |= hregex;
    let mut seen: Vec<&str> = Vec::new();
    for q in &m.query_params {
        // Query parameter names are case-sensitive; only the first entry of a name counts.
        let name = &*q.name;
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let want = &q.value;
        let Some(got) = req.query_param(name) else {
            return Err(format!("query parameter {name} is absent"));
        };
        let ok = condition_holds(q, &got, &mut regex)?;
        if !ok {
            return Err(format!(
                "query parameter {name} is \"{got}\", not \"{want}\""
            ));
        }
    }
    Ok(Accepted {
        path_kind,
        path_len,
        method,
        headers,
        query: seen.len(),
        prefix,
        regex,
    })
}

/// Whether a GRPCRoute match accepts the call `service/method`.
pub fn grpc_match(req: &Request, m: &GrpcMatch) -> Result<Accepted, String> {
    let (svc, meth) = req.grpc.clone().unwrap_or_default();
    let is_re = m.method.kind == MatchType::RegularExpression;
    let check = |want: Option<&str>, got: &str, what: &str| -> Result<usize, String> {
        let Some(want) = want else { return Ok(0) };
        let ok = if is_re {
            full_match(want, got)?
        } else {
            want == got
        };
        if ok {
            Ok(want.len())
        } else {
            Err(format!("{what} {got} is not {want}"))
        }
    };
    let slen = check(m.method.service.as_deref(), &svc, "service")?;
    let mlen = check(m.method.method.as_deref(), &meth, "method")?;
    let (headers, hregex) = headers_match(req, &m.headers)?;
    Ok(Accepted {
        path_kind: PathKind::Exact,
        path_len: slen,
        method: mlen,
        headers,
        query: 0,
        prefix: None,
        regex: is_re || hregex,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_whole_segments() {
        assert!(prefix_matches("/foo", "/foo"));
        assert!(prefix_matches("/foo", "/foo/"));
        assert!(prefix_matches("/foo", "/foo/bar"));
        assert!(!prefix_matches("/foo", "/foobar"));
        assert!(prefix_matches("/foo/", "/foo"));
        assert!(prefix_matches("/foo/", "/foo/bar"));
        assert!(prefix_matches("/", "/anything"));
        assert!(prefix_matches("", "/"));
    }

    #[test]
    fn regexes_are_anchored_and_bad_ones_do_not_match() {
        assert!(full_match("/a.*", "/abc").unwrap());
        assert!(!full_match("/a", "/abc").unwrap());
        assert!(full_match("(", "x").is_err());
    }
}
