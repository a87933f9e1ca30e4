//! Route filters applied to a simulated request: RequestHeaderModifier, URLRewrite,
//! RequestRedirect, RequestMirror, ResponseHeaderModifier and ExtensionRef (named, not
//! interpreted). Owns the forwarded request's shape ([`Forwarded`]), the response header
//! changes, and redirect `Location` construction with the spec's default-port rules.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::request::{Request, default_port};

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
    /// RequestMirror backendRefs, as JSON.
    pub mirrors: Vec<Value>,
}

fn s<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    v.get(k).and_then(Value::as_str)
}

fn pairs(v: Option<&Value>, key: &str) -> Vec<(String, String)> {
    v.and_then(|v| v.get(key))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|h| {
                    (
                        s(h, "name").unwrap_or_default().to_owned(),
                        s(h, "value").unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn names(v: Option<&Value>) -> Vec<String> {
    v.and_then(|v| v.get("remove"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
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
fn modified_path(pm: &Value, path: &str, prefix: Option<&str>) -> Result<String, String> {
    match s(pm, "type") {
        Some("ReplaceFullPath") => Ok(s(pm, "replaceFullPath").unwrap_or("/").to_owned()),
        Some("ReplacePrefixMatch") => match prefix {
            Some(p) => Ok(replace_prefix(
                path,
                p,
                s(pm, "replacePrefixMatch").unwrap_or("/"),
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
    filters: &[Value],
    level: &'static str,
    cx: &Ctx,
    fwd: &mut Forwarded,
    resp: &mut ResponseHeaders,
) -> Effects {
    let mut fx = Effects::default();
    for f in filters {
        let kind = s(f, "type").unwrap_or("(none)").to_owned();
        let summary = match kind.as_str() {
            "RequestHeaderModifier" => {
                let m = f.get("requestHeaderModifier");
                let mut parts = Vec::new();
                for (n, v) in pairs(m, "set") {
                    fwd.headers.set(&n, &v);
                    parts.push(format!("set {n}: {v}"));
                }
                for (n, v) in pairs(m, "add") {
                    fwd.headers.add(&n, &v);
                    parts.push(format!("add {n}: {v}"));
                }
                for n in names(m) {
                    fwd.headers.remove(&n);
                    parts.push(format!("remove {n}"));
                }
                parts.join("; ")
            }
            "ResponseHeaderModifier" => {
                let m = f.get("responseHeaderModifier");
                let mut parts = Vec::new();
                for (n, v) in pairs(m, "set") {
                    resp.set.set(&n, &v);
                    parts.push(format!("set {n}: {v}"));
                }
                for (n, v) in pairs(m, "add") {
                    resp.add.add(&n, &v);
                    parts.push(format!("add {n}: {v}"));
                }
                for n in names(m) {
                    resp.remove.push(n.clone());
                    parts.push(format!("remove {n}"));
                }
                parts.join("; ")
            }
            "URLRewrite" => {
                let m = f.get("urlRewrite").cloned().unwrap_or(Value::Null);
                let mut parts = Vec::new();
                if let Some(h) = s(&m, "hostname") {
                    parts.push(format!("host {} → {h}", fwd.host));
                    fwd.host = h.to_owned();
                }
                if let Some(pm) = m.get("path") {
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
            "RequestRedirect" => {
                let m = f.get("requestRedirect").cloned().unwrap_or(Value::Null);
                let r = redirect(&m, cx);
                let text = format!("{} to {}", r.status, r.location);
                fx.redirect = Some(r);
                text
            }
            "RequestMirror" => {
                let b = f
                    .pointer("/requestMirror/backendRef")
                    .cloned()
                    .unwrap_or(Value::Null);
                let text = format!(
                    "a copy of the request goes to {}{}{} (its response is ignored)",
                    s(&b, "namespace")
                        .map(|n| format!("{n}/"))
                        .unwrap_or_default(),
                    s(&b, "name").unwrap_or(""),
                    b.get("port").map(|p| format!(":{p}")).unwrap_or_default()
                );
                fx.mirrors.push(b);
                text
            }
            "ExtensionRef" => {
                let e = f.get("extensionRef").cloned().unwrap_or(Value::Null);
                format!(
                    "{}/{} {}: implementation-specific, not interpreted by gwctl",
                    s(&e, "group").unwrap_or(""),
                    s(&e, "kind").unwrap_or(""),
                    s(&e, "name").unwrap_or("")
                )
            }
            _ => "not a Gateway API v1.1 filter type; not interpreted".to_owned(),
        };
        fx.applied.push(Applied {
            kind,
            level,
            summary,
        });
    }
    fx
}

/// Build the redirect: scheme, hostname, port and path each default to the request's; a
/// new scheme without a port takes the scheme's well-known port; the port is left out of
/// `Location` when it is the scheme's default (80 for http, 443 for https).
fn redirect(m: &Value, cx: &Ctx) -> Redirect {
    let req = cx.request;
    let scheme = s(m, "scheme").map_or(req.scheme.clone(), str::to_ascii_lowercase);
    let host = s(m, "hostname").unwrap_or(&req.host).to_owned();
    let port = match m.get("port").and_then(Value::as_u64) {
        Some(p) => Some(p),
        None if s(m, "scheme").is_some() => default_port(&scheme).map(u64::from),
        None => Some(u64::from(cx.port)),
    };
    let port_text = match port {
        Some(p) if default_port(&scheme).map(u64::from) == Some(p) => String::new(),
        Some(p) => format!(":{p}"),
        None => format!(":{}", cx.port),
    };
    let path = match m.get("path") {
        Some(pm) => modified_path(pm, &req.path, cx.prefix).unwrap_or_else(|_| req.path.clone()),
        None => req.path.clone(),
    };
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host
    };
    let query = if req.query.is_empty() {
        String::new()
    } else {
        format!("?{}", req.query)
    };
    let status = m
        .get("statusCode")
        .and_then(Value::as_u64)
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
