//! Route filters applied to a simulated request: RequestHeaderModifier, URLRewrite,
//! RequestRedirect, RequestMirror (with the share of requests it copies),
//! ResponseHeaderModifier, ExtensionRef (named, not interpreted) and CORS (summarised here;
//! its answer to a cross-origin request is [`super::cors`]'s). Owns the forwarded request's
//! shape ([`Forwarded`]), the response header changes, and redirect `Location` construction
//! with the spec's default-port rules. The filters themselves are read by the route view
//! ([`crate::graph::Filter`]).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::request::{Request, default_port};
use crate::graph::{Cors, Filter, MirrorShare, PathModifier, RequestRedirect};

/// Headers as an ordered list, serialised as a JSON object (repeated names joined by `,`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl Serialize for Headers {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut names: Vec<&str> = Vec::new();
        for (n, _) in &self.0 {
            if !names.iter().any(|m| m.eq_ignore_ascii_case(n)) {
                names.push(n);
            }
        }
        let mut map = ser.serialize_map(Some(names.len()))?;
        for n in names {
            let v: Vec<&str> = self
                .0
                .iter()
                .filter(|(m, _)| m.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.as_str())
                .collect();
            map.serialize_entry(n, &v.join(","))?;
        }
        map.end()
    }
}

/// Serialise a header list as [`Headers`] does.
pub fn serialize_headers<S: Serializer>(h: &[(String, String)], ser: S) -> Result<S::Ok, S::Error> {
    Headers(h.to_vec()).serialize(ser)
}

impl Headers {
    fn set(&mut self, name: &str, value: &str) {
        self.remove(name);
        self.0.push((name.to_owned(), value.to_owned()));
    }
    fn add(&mut self, name: &str, value: &str) {
        self.0.push((name.to_owned(), value.to_owned()));
    }
    fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The value of header `name` (case-insensitive), repeated ones joined by `,` as HTTP
    /// reads them; `None` when it is absent.
    pub fn value(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .0
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    }
}

/// The request as the Gateway (or mesh) forwards it to the backend.
#[derive(Debug, Clone, Serialize)]
pub struct Forwarded {
    pub method: String,
    pub scheme: String,
    pub host: String,
    pub path: String,
    pub query: String,
    pub headers: Headers,
    /// Index, in `backends`, of the backend this request went to (backend-level filters
    /// applied are that backend's); null when it went to none.
    pub backend: Option<usize>,
}

impl Forwarded {
    pub fn from_request(r: &Request) -> Self {
        Forwarded {
            method: r.method.clone(),
            scheme: r.scheme.clone(),
            host: r.host.clone(),
            path: r.path.clone(),
            query: r.query.clone(),
            headers: Headers(r.headers.clone()),
            backend: None,
        }
    }
}

/// ResponseHeaderModifier effects, accumulated over every filter that applied.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResponseHeaders {
    pub set: Headers,
    pub add: Headers,
    pub remove: Vec<String>,
}

impl ResponseHeaders {
    pub fn is_empty(&self) -> bool {
        self.set.0.is_empty() && self.add.0.is_empty() && self.remove.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Redirect {
    pub location: String,
    pub status: u16,
}

/// One filter that applied, for the trace.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    #[serde(rename = "type")]
    pub kind: String,
    /// `rule`, or `backend` for a backendRef's own filters.
    pub level: &'static str,
    pub summary: String,
}

/// What the context of a filter needs beyond the request.
pub struct Ctx<'a> {
    pub request: &'a Request,
    /// The port the request arrived on (listener or Service port), for redirects.
    pub port: u16,
    /// The PathPrefix the winning match matched with, for ReplacePrefixMatch.
    pub prefix: Option<&'a str>,
}

/// The outcome of applying a list of filters.
#[derive(Default)]
pub struct Effects {
    pub applied: Vec<Applied>,
    pub redirect: Option<Redirect>,
}

/// Rewrite `path` by replacing the matched `prefix` with `replacement`, as the spec's
/// ReplacePrefixMatch table does: `/foo` → `/xyz` turns `/foo/bar` into `/xyz/bar`; with
/// `/` the result is `/bar`; never an empty path.
pub fn replace_prefix(path: &str, prefix: &str, replacement: &str) -> String {
    let rest = path.get(prefix.len()..).unwrap_or("");
    let mut out = if replacement.ends_with('/') && rest.starts_with('/') {
        format!("{replacement}{}", &rest[1..])
    } else {
        format!("{replacement}{rest}")
    };
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The path a path modifier (URLRewrite or RequestRedirect) produces, or why it does not
/// apply.
fn modified_path(pm: &PathModifier, path: &str, prefix: Option<&str>) -> Result<String, String> {
    match pm.kind.as_deref() {
        Some("ReplaceFullPath") => Ok(pm.replace_full_path.as_deref().unwrap_or("/").to_owned()),
        Some("ReplacePrefixMatch") => match prefix {
            Some(p) => Ok(replace_prefix(
                path,
                p,
                pm.replace_prefix_match.as_deref().unwrap_or("/"),
            )),
            None => Err(
                "ReplacePrefixMatch applies only to a PathPrefix match; the path is left as is"
                    .into(),
            ),
        },
        other => Err(format!(
            "path modifier type {} is not known; the path is left as is",
            other.unwrap_or("(none)")
        )),
    }
}

/// Apply filters in order to `fwd` and `resp`.
pub fn apply(
    filters: &[Filter],
    level: &'static str,
    cx: &Ctx,
    fwd: &mut Forwarded,
    resp: &mut ResponseHeaders,
) -> Effects {
    let mut fx = Effects::default();
    for f in filters {
        let summary = match f {
            Filter::RequestHeaderModifier(m) => {
                let mut parts = Vec::new();
                for (n, v) in &m.set {
                    fwd.headers.set(n, v);
                    parts.push(format!("set {n}: {v}"));
                }
                for (n, v) in &m.add {
                    fwd.headers.add(n, v);
                    parts.push(format!("add {n}: {v}"));
                }
                for n in &m.remove {
                    fwd.headers.remove(n);
                    parts.push(format!("remove {n}"));
                }
                parts.join("; ")
            }
            Filter::ResponseHeaderModifier(m) => {
                let mut parts = Vec::new();
                for (n, v) in &m.set {
                    resp.set.set(n, v);
                    parts.push(format!("set {n}: {v}"));
                }
                for (n, v) in &m.add {
                    resp.add.add(n, v);
                    parts.push(format!("add {n}: {v}"));
                }
                for n in &m.remove {
                    resp.remove.push(n.clone());
                    parts.push(format!("remove {n}"));
                }
                parts.join("; ")
            }
            Filter::UrlRewrite(m) => {
                let mut parts = Vec::new();
                if let Some(h) = &m.hostname {
                    parts.push(format!("host {} → {h}", fwd.host));
                    fwd.host = h.to_string();
                }
                if let Some(pm) = &m.path {
                    match modified_path(pm, &fwd.path, cx.prefix) {
                        Ok(p) => {
                            parts.push(format!("path {} → {p}", fwd.path));
                            fwd.path = p;
                        }
                        Err(e) => parts.push(e),
                    }
                }
                parts.join("; ")
            }
            Filter::RequestRedirect(m) => {
                let r = redirect(m, cx);
                let text = format!("{} to {}", r.status, r.location);
                fx.redirect = Some(r);
                text
            }
            Filter::RequestMirror(b) => format!(
                "a copy of {} goes to {}{}{} (its response is ignored)",
                mirror_share_words(b.share),
                b.namespace
                    .as_deref()
                    .map(|n| format!("{n}/"))
                    .unwrap_or_default(),
                b.name.as_deref().unwrap_or(""),
                b.port
                    .as_deref()
                    .map(|p| format!(":{p}"))
                    .unwrap_or_default()
            ),
            Filter::ExtensionRef(e) => format!(
                "{}/{} {}: implementation-specific, not interpreted by gwctl",
                e.group.as_deref().unwrap_or(""),
                e.kind.as_deref().unwrap_or(""),
                e.name.as_deref().unwrap_or("")
            ),
            Filter::Cors(c) => cors_summary(c),
            Filter::Other(_) => {
                "gwctl does not interpret this filter type; the request goes on unchanged"
                    .to_owned()
            }
        };
        fx.applied.push(Applied {
            kind: f.type_name().unwrap_or("(none)").to_owned(),
            level,
            summary,
        });
    }
    fx
}

/// "the request", or the share of requests a mirror copies (`percent` or `fraction`).
pub fn mirror_share_words(share: Option<MirrorShare>) -> String {
    match share {
        None => "the request".into(),
        Some(MirrorShare::Percent(p)) => format!("{p}% of requests"),
        Some(
            f @ MirrorShare::Fraction {
                numerator,
                denominator,
            },
        ) => format!(
            "{numerator}/{denominator} of requests ({:.1}%)",
            f.percent()
        ),
    }
}

/// What a CORS filter allows, as the trace lists it; its answer to a cross-origin request
/// is worked out in [`super::cors`].
fn cors_summary(c: &Cors) -> String {
    let list = |l: &[String]| {
        if l.is_empty() {
            "none".to_owned()
        } else {
            l.join(", ")
        }
    };
    format!(
        "allows origins {}; methods {}; request headers {}; exposes {}; credentials {}; preflights cached {}s",
        list(&c.allow_origins),
        list(&c.allow_methods),
        list(&c.allow_headers),
        list(&c.expose_headers),
        if c.allow_credentials {
            "allowed"
        } else {
            "not allowed"
        },
        c.max_age.unwrap_or(5)
    )
}

/// Build the redirect: scheme, hostname, port and path each default to the request's; a
/// new scheme without a port takes the scheme's well-known port; the port is left out of
/// `Location` when it is the scheme's default (80 for http, 443 for https).
fn redirect(m: &RequestRedirect, cx: &Ctx) -> Redirect {
    let req = cx.request;
    let scheme = m
        .scheme
        .as_deref()
        .map_or(req.scheme.clone(), str::to_ascii_lowercase);
    let host = m.hostname.as_deref().unwrap_or(&req.host).to_owned();
    let port = match m.port {
        Some(p) => Some(p),
        None if m.scheme.is_some() => default_port(&scheme).map(u64::from),
        None => Some(u64::from(cx.port)),
    };
    let port_text = match port {
        Some(p) if default_port(&scheme).map(u64::from) == Some(p) => String::new(),
        Some(p) => format!(":{p}"),
        None => format!(":{}", cx.port),
    };
    let path = match &m.path {
        Some(pm) => modified_path(pm, &req.path, cx.prefix).unwrap_or_else(|_| req.path.clone()),
        None => req.path.clone(),
    };
    let host = super::request::url_host(&host);
    let query = if req.query.is_empty() {
        String::new()
    } else {
        format!("?{}", req.query)
    };
    let status = m
        .status_code
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(302);
    Redirect {
        location: format!("{scheme}://{host}{port_text}{path}{query}"),
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_replacement_follows_the_spec_table() {
        assert_eq!(replace_prefix("/foo/bar", "/foo", "/xyz"), "/xyz/bar");
        assert_eq!(replace_prefix("/foo", "/foo", "/xyz"), "/xyz");
        assert_eq!(replace_prefix("/foo/bar", "/foo", "/xyz/"), "/xyz/bar");
        assert_eq!(replace_prefix("/foo", "/foo", "/xyz/"), "/xyz/");
        assert_eq!(replace_prefix("/foo/bar", "/foo", "/"), "/bar");
        assert_eq!(replace_prefix("/foo", "/foo", "/"), "/");
        assert_eq!(replace_prefix("/foo/", "/foo", "/"), "/");
        assert_eq!(replace_prefix("/foo/bar", "", "/x"), "/x/foo/bar");
    }
}
