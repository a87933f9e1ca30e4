//! The CORS filter (HTTPCORSFilter; experimental since v1.3, standard since v1.5) applied to
//! a request that carries an `Origin`: the response headers a preflight is answered with, or
//! that a cross-origin request's response gets, and whether the browser goes on.
//!
//! Owns origin matching (scheme, host with a leading `*` that stands for any number of
//! labels, port with the scheme's default) and the choices the specification leaves to
//! implementations, made one way and said in the answer's notes: a matching origin is
//! echoed (a `*` entry without credentials may send `*` instead), a wildcard method or
//! header list echoes what the preflight asked for, and a preflight is answered 200 (204 is
//! as valid; a refused origin may get 403 instead of a bare 200).

use serde::Serialize;

use super::filters::Headers;
use super::request::{Request, default_port};
use crate::graph::Cors;

/// Where the CORS filter exists.
pub const CORS_IN: &str = "experimental v1.3+, standard v1.5+";

/// The methods a browser sends cross-origin without asking (CORS-safelisted methods):
/// always allowed, whatever `allowMethods` says.
const SAFELISTED_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// `maxAge` when the filter does not set it (the schema's default, and the spec's).
const DEFAULT_MAX_AGE: i64 = 5;

/// What the CORS filter makes of one cross-origin request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CorsAnswer {
    /// Whether the request is a preflight (`OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`), which the gateway answers itself.
    pub preflight: bool,
    pub origin: String,
    /// The `allowOrigins` entry that matched; `null` when none did.
    pub matched_origin: Option<String>,
    /// A preflight's `Access-Control-Request-Method`.
    pub request_method: Option<String>,
    /// A preflight's `Access-Control-Request-Headers`, one name each.
    pub request_headers: Vec<String>,
    /// Whether the browser goes on: sends the actual request after a preflight, or lets the
    /// page read the response of a cross-origin request.
    pub allowed: bool,
    /// Why it does not, one reason each.
    pub denied: Vec<String>,
    /// The CORS response headers the gateway sends, in order.
    pub headers: Headers,
    /// Where an implementation may answer otherwise than gwctl shows.
    pub notes: Vec<String>,
}

/// Whether `req` is a CORS preflight.
pub fn is_preflight(req: &Request) -> bool {
    req.method == "OPTIONS"
        && req.header("origin").is_some()
        && req.header("access-control-request-method").is_some()
}

/// The filter's answer to `req`; `None` when the request has no `Origin` (not cross-origin,
/// so the filter adds nothing).
pub fn answer(cors: &Cors, req: &Request) -> Option<CorsAnswer> {
    let origin = req.header("origin")?.trim().to_owned();
    let preflight = is_preflight(req);
    let mut a = CorsAnswer {
        preflight,
        origin: origin.clone(),
        matched_origin: cors
            .allow_origins
            .iter()
            .find(|o| origin_matches(o, &origin))
            .cloned(),
        request_method: None,
        request_headers: Vec::new(),
        allowed: true,
        denied: Vec::new(),
        headers: Headers::default(),
        notes: Vec::new(),
    };
    if preflight {
        a.request_method = req
            .header("access-control-request-method")
            .map(|m| m.trim().to_owned());
        a.request_headers = req
            .header("access-control-request-headers")
            .map(|h| {
                h.split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
    }
    let Some(matched) = a.matched_origin.clone() else {
        a.allowed = false;
        a.denied.push(if cors.allow_origins.is_empty() {
            format!("origin {origin} is not allowed: the filter's allowOrigins is empty")
        } else {
            format!(
                "origin {origin} matches none of allowOrigins ({})",
                cors.allow_origins.join(", ")
            )
        });
        a.notes.push(if preflight {
            "the gateway answers without CORS headers (an implementation may answer 403 instead), so the browser does not send the request".into()
        } else {
            "the request is forwarded, but without CORS headers the browser does not let the page read the response".into()
        });
        return Some(a);
    };
    let creds = cors.allow_credentials;
    a.headers
        .0
        .push(("Access-Control-Allow-Origin".into(), origin.clone()));
    if matched == "*" && !creds {
        a.notes.push(
            "allowOrigins is \"*\" without allowCredentials: an implementation may send Access-Control-Allow-Origin: * instead of the origin".into(),
        );
    }
    if creds {
        a.headers
            .0
            .push(("Access-Control-Allow-Credentials".into(), "true".into()));
    }
    if preflight {
        preflight_headers(cors, &mut a);
    }
    expose_headers(cors, &mut a);
    if preflight {
        a.headers.0.push((
            "Access-Control-Max-Age".into(),
            cors.max_age.unwrap_or(DEFAULT_MAX_AGE).to_string(),
        ));
    }
    a.allowed = a.denied.is_empty();
    Some(a)
}

/// `Access-Control-Allow-Methods` and `-Headers` for a preflight, and whether the method
/// and headers it asks for are allowed.
fn preflight_headers(cors: &Cors, a: &mut CorsAnswer) {
    let creds = cors.allow_credentials;
    let method = a.request_method.clone().unwrap_or_default();
    let any_method = cors.allow_methods.iter().any(|m| m == "*");
    if any_method {
        // With credentials `*` is not allowed in the header: the asked method is echoed.
        a.headers
            .0
            .push(("Access-Control-Allow-Methods".into(), method.clone()));
        if !creds {
            a.notes.push(
                "allowMethods is \"*\" without allowCredentials: an implementation may send Access-Control-Allow-Methods: * instead of the method".into(),
            );
        }
    } else if !cors.allow_methods.is_empty() {
        a.headers.0.push((
            "Access-Control-Allow-Methods".into(),
            cors.allow_methods.join(", "),
        ));
    }
    // Method names are case-sensitive.
    let method_ok = any_method
        || cors.allow_methods.contains(&method)
        || SAFELISTED_METHODS.contains(&method.as_str());
    if !method_ok {
        a.denied.push(format!(
            "method {method} is not in allowMethods ({}) and is not one the browser may always send (GET, HEAD, POST)",
            if cors.allow_methods.is_empty() {
                "empty".into()
            } else {
                cors.allow_methods.join(", ")
            }
        ));
    }
    let any_header = cors.allow_headers.iter().any(|h| h == "*");
    if any_header {
        if !a.request_headers.is_empty() {
            a.headers.0.push((
                "Access-Control-Allow-Headers".into(),
                a.request_headers.join(", "),
            ));
            if !creds {
                a.notes.push(
                    "allowHeaders is \"*\" without allowCredentials: an implementation may send Access-Control-Allow-Headers: * instead of the headers asked for".into(),
                );
            }
        }
    } else if !cors.allow_headers.is_empty() {
        a.headers.0.push((
            "Access-Control-Allow-Headers".into(),
            cors.allow_headers.join(", "),
        ));
    }
    // Header names are not case-sensitive.
    let refused: Vec<&str> = a
        .request_headers
        .iter()
        .filter(|h| {
            !any_header
                && !cors
                    .allow_headers
                    .iter()
                    .any(|allowed| allowed.eq_ignore_ascii_case(h))
        })
        .map(String::as_str)
        .collect();
    if !refused.is_empty() {
        a.denied.push(format!(
            "request header{} {} {} not in allowHeaders ({})",
            if refused.len() == 1 { "" } else { "s" },
            refused.join(", "),
            if refused.len() == 1 { "is" } else { "are" },
            if cors.allow_headers.is_empty() {
                "empty".into()
            } else {
                cors.allow_headers.join(", ")
            }
        ));
    }
}

/// `Access-Control-Expose-Headers`: `*` cannot go with credentials, and then no header is
/// sent (only the safelisted response headers are readable).
fn expose_headers(cors: &Cors, a: &mut CorsAnswer) {
    if cors.expose_headers.is_empty() {
        return;
    }
    if cors.expose_headers.iter().any(|h| h == "*") {
        if cors.allow_credentials {
            a.notes.push(
                "exposeHeaders is \"*\", which cannot be sent with allowCredentials: no Access-Control-Expose-Headers is sent, so scripts read only the safelisted response headers".into(),
            );
        } else {
            a.headers
                .0
                .push(("Access-Control-Expose-Headers".into(), "*".into()));
        }
        return;
    }
    a.headers.0.push((
        "Access-Control-Expose-Headers".into(),
        cors.expose_headers.join(", "),
    ));
}

/// An origin or an `allowOrigins` entry taken apart: scheme, host, port (the scheme's
/// default when not written).
fn parts(origin: &str) -> Option<(String, String, Option<u16>)> {
    let (scheme, rest) = origin.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
        // An IPv6 address: `[::1]:8080`.
        let (h, after) = inner.split_once(']')?;
        match after.strip_prefix(':') {
            Some(p) => (h, Some(p.parse::<u16>().ok()?)),
            None if after.is_empty() => (h, None),
            None => return None,
        }
    } else {
        match rest.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse::<u16>().ok()?)),
            None => (rest, None),
        }
    };
    if host.is_empty() || host.contains('/') {
        return None;
    }
    let port = port.or_else(|| default_port(&scheme));
    Some((scheme, host.to_ascii_lowercase(), port))
}

/// Whether `origin` (the request's `Origin`) matches `allowed` (an `allowOrigins` entry):
/// `*` alone matches every origin; otherwise scheme and port must be equal (80 and 443 are
/// assumed for http and https), and a host starting with `*` matches any host ending with
/// the rest, with at least one character in place of the `*` (greedy to the left, over any
/// number of labels).
pub fn origin_matches(allowed: &str, origin: &str) -> bool {
    if allowed == "*" {
        return true;
    }
    let (Some((s1, h1, p1)), Some((s2, h2, p2))) = (parts(allowed), parts(origin)) else {
        return false;
    };
    if s1 != s2 || p1 != p2 {
        return false;
    }
    match h1.strip_prefix('*') {
        Some("") => true,
        Some(suffix) => h2.len() > suffix.len() && h2.ends_with(suffix),
        None => h1 == h2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_match_with_wildcards_and_default_ports() {
        assert!(origin_matches("*", "null"));
        assert!(origin_matches("https://www.foo.com", "https://www.foo.com"));
        assert!(origin_matches(
            "https://www.foo.com",
            "https://WWW.foo.com:443"
        ));
        assert!(!origin_matches("https://www.foo.com", "http://www.foo.com"));
        assert!(!origin_matches(
            "https://www.foo.com",
            "https://www.foo.com:8443"
        ));
        assert!(origin_matches("https://*.bar.com", "https://www.bar.com"));
        assert!(origin_matches(
            "https://*.bar.com",
            "https://xpto.www.bar.com"
        ));
        assert!(!origin_matches("https://*.bar.com", "https://bar.com"));
        assert!(!origin_matches("https://*.bar.com", "https://foobar.com"));
        assert!(origin_matches("http://*", "http://anything:80"));
        assert!(origin_matches("http://a.com:8080", "http://a.com:8080"));
        assert!(!origin_matches("http://a.com", "null"));
        assert!(!origin_matches("http://a.com", "http://a.com:x"));
        assert!(!origin_matches("http://a.com", ""));
        assert!(origin_matches("http://[::1]:81", "http://[::1]:81"));
        assert!(!origin_matches("http://[::1]:81", "http://[::1]"));
    }
}
