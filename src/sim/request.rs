//! The simulated request: parsing `--url`, `-H`, `--cookie` and `--grpc` into a [`Request`]
//! without ever panicking, and the small helpers the engine needs to read it (headers by
//! case-insensitive name, query parameters by case-sensitive name, cookies). Besides HTTP
//! requests (`http`, `https`), `--url` names TLS, TCP and UDP connections (`tls`, `tcp`,
//! `udp`), which have a host (TLS's SNI) and a port but no path.

use serde::Serialize;

use super::Options;

/// One request as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    /// Empty for a TLS, TCP or UDP connection.
    pub method: String,
    /// `http`, `https`, or for a connection `tls`, `tcp` or `udp`.
    pub scheme: String,
    /// The Host header / SNI, lower-cased, without the port.
    pub host: String,
    pub port: u16,
    /// The path, without the query string; starts with `/` (empty for a connection).
    pub path: String,
    /// The raw query string (without `?`), kept so redirects can carry it.
    pub query: String,
    /// Headers in the order given (names as written); in JSON, an object of name → value
    /// (repeated names joined by `,`).
    #[serde(serialize_with = "super::filters::serialize_headers")]
    pub headers: Vec<(String, String)>,
    /// `SERVICE/METHOD` of a gRPC call; in JSON `{"service", "method"}`.
    #[serde(serialize_with = "serialize_grpc")]
    pub grpc: Option<(String, String)>,
}

fn serialize_grpc<S: serde::Serializer>(
    g: &Option<(String, String)>,
    ser: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Call<'a> {
        service: &'a str,
        method: &'a str,
    }
    g.as_ref()
        .map(|(service, method)| Call { service, method })
        .serialize(ser)
}

/// The parts of a URL the simulator uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    pub query: String,
}

/// `host` as written in a URL: an IPv6 address in brackets (`[::1]`), so that a port or
/// path after it reads as one (`http://[::1]:80/x`, never `http://::1:80/x`).
pub fn url_host(host: &str) -> std::borrow::Cow<'_, str> {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]").into()
    } else {
        host.into()
    }
}

/// The well-known port of a scheme, when it has one (TLS: 443, where TLS passthrough is
/// served; TCP and UDP have none).
pub fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" | "tls" => Some(443),
        _ => None,
    }
}

/// Whether `scheme` names a TLS, TCP or UDP connection rather than an HTTP request.
pub fn is_stream(scheme: &str) -> bool {
    matches!(scheme, "tls" | "tcp" | "udp")
}

/// Parse `scheme://host[:port]/path?query`: `http` and `https` (the schemes HTTPRoutes and
/// GRPCRoutes are served on), and `tls`, `tcp` and `udp` for connections to TLS, TCP and
/// UDP listeners, which take no path and, for TCP and UDP, need a port.
pub fn parse_url(url: &str) -> Result<Url, String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        format!("--url \"{url}\" has no scheme; write http://HOST/PATH or https://HOST/PATH")
    })?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") && !is_stream(&scheme) {
        return Err(format!(
            "--url scheme \"{scheme}\" is not supported; use http, https, tls, tcp or udp"
        ));
    }
    // The fragment never reaches a server.
    let rest = rest.split('#').next().unwrap_or("");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err("--url must not carry user information (user@host)".into());
    }
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err(format!("--url \"{url}\" has no host"));
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | '[' | ']'))
    {
        return Err(format!("--url host \"{host}\" is not a valid host name"));
    }
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, q),
        None => (tail, ""),
    };
    if is_stream(&scheme) {
        if !(path.is_empty() || path == "/") || !query.is_empty() {
            return Err(format!(
                "--url {scheme}://HOST:PORT takes no path or query: a {} connection has none",
                scheme.to_ascii_uppercase()
            ));
        }
        if port.is_none() && default_port(&scheme).is_none() {
            return Err(format!(
                "--url {scheme}://{host} needs a port ({scheme}://{host}:PORT): {} has no well-known one",
                scheme.to_ascii_uppercase()
            ));
        }
        return Ok(Url {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: String::new(),
            query: String::new(),
        });
    }
    let path = if path.is_empty() { "/" } else { path };
    if path.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return Err("--url path contains spaces or control characters; percent-encode them".into());
    }
    Ok(Url {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
        path: path.to_owned(),
        query: query.to_owned(),
    })
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    // Bracketed IPv6 literal: [::1]:8080
    if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("--url host \"{authority}\" has an unclosed ["))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(parse_port(p)?),
            None if after.is_empty() => None,
            None => return Err(format!("--url host \"{authority}\" is malformed")),
        };
        return Ok((inside, port));
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Ok((h, Some(parse_port(p)?))),
        None => Ok((authority, None)),
    }
}

fn parse_port(p: &str) -> Result<u16, String> {
    match p.parse::<u16>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("--url port \"{p}\" is not a port number (1-65535)")),
    }
}

/// Parse `Name: value`. The name must be an HTTP token.
pub fn parse_header(h: &str) -> Result<(String, String), String> {
    let (name, value) = h
        .split_once(':')
        .ok_or_else(|| format!("header \"{h}\" has no `:`; write -H 'Name: value'"))?;
    let name = name.trim();
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err(format!(
            "header name \"{name}\" is not a valid HTTP header name"
        ));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// Parse `name=value` for `--cookie`.
pub fn parse_cookie(c: &str) -> Result<(String, String), String> {
    let (name, value) = c
        .split_once('=')
        .ok_or_else(|| format!("cookie \"{c}\" has no `=`; write --cookie 'name=value'"))?;
    let name = name.trim();
    if name.is_empty() || name.contains([';', ' ', ',']) {
        return Err(format!("cookie name \"{name}\" is not valid"));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// Parse `SERVICE/METHOD` for `--grpc`.
pub fn parse_grpc(s: &str) -> Result<(String, String), String> {
    let s = s.trim().trim_start_matches('/');
    match s.split_once('/') {
        Some((svc, m)) if !svc.is_empty() && !m.is_empty() && !m.contains('/') => {
            Ok((svc.to_owned(), m.to_owned()))
        }
        _ => Err(format!(
            "--grpc \"{s}\" is not SERVICE/METHOD (for example helloworld.Greeter/SayHello)"
        )),
    }
}

impl Request {
    /// All values of a header (case-insensitive name), joined with `,` as HTTP allows for
    /// repeated headers. `None` when absent.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    }

    /// The first value of a query parameter (case-sensitive name, percent-decoded), as
    /// Gateway API lets implementations match the first occurrence.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
            .find(|(k, _)| percent_decode(k) == name)
            .map(|(_, v)| percent_decode(v))
    }

    /// A cookie sent in `Cookie` headers.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.trim().to_owned())
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A request as the user describes it: `simulate`'s flags, or a case of a `gwctl test` file.
/// [`Spec::build`] is the one conversion of either into a [`Request`] and [`Options`], so
/// that a test case refuses exactly what `simulate` refuses. Values are as written (`-H`
/// values are `Name: value`, cookies `name=value`); error messages name the flags, which are
/// also the names of a test case's request keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    pub url: String,
    pub method: Option<String>,
    pub headers: Vec<String>,
    pub cookies: Vec<String>,
    pub sni: Option<String>,
    pub grpc: Option<String>,
    pub gateway: Option<String>,
    pub service: Option<String>,
    pub from_namespace: Option<String>,
    pub requests: u64,
    pub seed: u64,
}

fn ns_name(flag: &str, v: &str) -> Result<(String, String), String> {
    match v.split_once('/') {
        Some((ns, n)) if !ns.is_empty() && !n.is_empty() && !n.contains('/') => {
            Ok((ns.to_owned(), n.to_owned()))
        }
        _ => Err(format!("{flag} \"{v}\" is not NAMESPACE/NAME")),
    }
}

impl Spec {
    /// The request and options this describes; `namespace` is the namespace of objects that
    /// name none (the caller's namespace unless `from_namespace` says otherwise) and
    /// `complete` is `--complete`. The release and channel are the caller's to set.
    pub fn build(&self, namespace: &str, complete: bool) -> Result<(Request, Options), String> {
        let args = self;
        let url = parse_url(&args.url)?;
        if is_stream(&url.scheme) {
            // A TLS, TCP or UDP connection carries no HTTP request to describe.
            let http_only = [
                ("--grpc", args.grpc.is_some()),
                ("-X/--method", args.method.is_some()),
                ("-H/--header", !args.headers.is_empty()),
                ("--cookie", !args.cookies.is_empty()),
                ("--service", args.service.is_some()),
            ];
            if let Some((flag, _)) = http_only.iter().find(|(_, set)| *set) {
                return Err(format!(
                    "{flag} describes an HTTP request; a {}:// connection has none",
                    url.scheme
                ));
            }
        }
        let grpc = args.grpc.as_deref().map(parse_grpc).transpose()?;
        let port = url.port.or_else(|| default_port(&url.scheme)).unwrap_or(80);
        let mut headers = Vec::new();
        for h in &args.headers {
            headers.push(parse_header(h)?);
        }
        for c in &args.cookies {
            let (n, v) = parse_cookie(c)?;
            headers.push(("Cookie".to_owned(), format!("{n}={v}")));
        }
        let method = match (&args.method, &grpc) {
            _ if is_stream(&url.scheme) => String::new(),
            (Some(m), _) => {
                let m = m.trim().to_ascii_uppercase();
                if m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(format!("method \"{m}\" is not an HTTP method"));
                }
                m
            }
            (None, Some(_)) => "POST".to_owned(),
            (None, None) => "GET".to_owned(),
        };
        let path = match &grpc {
            Some((s, m)) => format!("/{s}/{m}"),
            None => url.path.clone(),
        };
        if grpc.is_some()
            && !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("content-type".to_owned(), "application/grpc".to_owned()));
        }
        let req = Request {
            method,
            scheme: url.scheme.clone(),
            host: url.host.clone(),
            port,
            path,
            query: if grpc.is_some() {
                String::new()
            } else {
                url.query.clone()
            },
            headers,
            grpc,
        };
        let gateway = args
            .gateway
            .as_deref()
            .map(|g| ns_name("--gateway", g))
            .transpose()?;
        let service = match &args.service {
            Some(s) => {
                let (nsn, port) = match s.rsplit_once(':') {
                    Some((a, p)) => (
                        a,
                        Some(p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| {
                            format!("--service port \"{p}\" is not a port number")
                        })?),
                    ),
                    None => (s.as_str(), None),
                };
                let (ns, n) = ns_name("--service", nsn)?;
                Some((ns, n, port.or(url.port)))
            }
            None => None,
        };
        let sni = match &args.sni {
            None => None,
            Some(_) if url.scheme != "https" => {
                return Err("--sni applies to https requests only: it is the TLS server name the connection was set up with".into());
            }
            Some(_) if args.service.is_some() => {
                return Err(
                    "--sni applies to requests to a Gateway, not to a mesh --service".into(),
                );
            }
            Some(s) => {
                let s = s.trim().to_ascii_lowercase();
                if s.is_empty()
                    || !s
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
                {
                    return Err(format!("--sni \"{s}\" is not a host name"));
                }
                Some(s)
            }
        };
        let from_namespace = args
            .from_namespace
            .clone()
            .unwrap_or_else(|| namespace.to_owned());
        if !crate::load::valid_namespace(&from_namespace) {
            return Err(format!(
                "--from-namespace \"{from_namespace}\" is not a valid namespace name"
            ));
        }
        let opts = Options {
            sni,
            gateway,
            service,
            from_namespace,
            requests: args.requests,
            seed: args.seed,
            complete,
            experimental: false,
            release: None,
            brief: false,
        };
        Ok((req, opts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_decode_anywhere_and_broken_ones_stay_literal() {
        assert_eq!(percent_decode("a%41"), "aA", "an escape at the very end");
        assert_eq!(percent_decode("%41b"), "Ab");
        assert_eq!(percent_decode("a%4"), "a%4", "an escape cut short");
        assert_eq!(percent_decode("a%"), "a%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("a+b"), "a b");
    }

    #[test]
    fn urls() {
        let u = parse_url("https://Shop.Example.com:8443/a/b?x=1&y=%20z#frag").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.host, "shop.example.com");
        assert_eq!(u.port, Some(8443));
        assert_eq!(u.path, "/a/b");
        assert_eq!(u.query, "x=1&y=%20z");
        let u = parse_url("http://h").unwrap();
        assert_eq!((u.path.as_str(), u.port), ("/", None));
        let u = parse_url("http://[::1]:81/").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", Some(81)));
        let u = parse_url("TLS://Db.Example.com").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.port, u.path.as_str()),
            ("tls", "db.example.com", None, "")
        );
        assert_eq!(default_port(&u.scheme), Some(443));
        let u = parse_url("udp://dns.example.com:53/").unwrap();
        assert_eq!((u.scheme.as_str(), u.port), ("udp", Some(53)));
        for bad in [
            "",
            "h/x",
            "ftp://h/",
            "http://",
            "http://h:0/",
            "http://h:99999/",
            "http://h:x/",
            "http://u@h/",
            "http://[::1/",
            "http://h h/",
            "http://h/a b",
            "://",
            "http://%/",
            "tcp://db.example.com",
            "udp://h/",
            "tcp://h:5432/x",
            "tls://h:443/?q=1",
            "quic://h:443",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_cookies_queries() {
        assert!(parse_header("no-colon").is_err());
        assert!(parse_header(": v").is_err());
        assert!(parse_header("a b: v").is_err());
        assert_eq!(
            parse_header("X-A:  v: w ").unwrap(),
            ("X-A".into(), "v: w".into())
        );
        assert!(parse_cookie("x").is_err());
        assert!(parse_grpc("svc").is_err());
        assert!(parse_grpc("a/b/c").is_err());
        assert_eq!(parse_grpc("/a.B/C").unwrap(), ("a.B".into(), "C".into()));
        let r = Request {
            method: "GET".into(),
            scheme: "http".into(),
            host: "h".into(),
            port: 80,
            path: "/".into(),
            query: "a=1&a=2&b&c=%41%4".into(),
            headers: vec![
                ("Cookie".into(), "s=1; t=2".into()),
                ("X".into(), "1".into()),
                ("x".into(), "2".into()),
            ],
            grpc: None,
        };
        assert_eq!(r.query_param("a").as_deref(), Some("1"));
        assert_eq!(r.query_param("b").as_deref(), Some(""));
        assert_eq!(r.query_param("c").as_deref(), Some("A%4"));
        assert_eq!(r.query_param("A"), None);
        assert_eq!(r.header("x").as_deref(), Some("1,2"));
        assert_eq!(r.cookie("t").as_deref(), Some("2"));
    }
}
