//! The text edits of a test file: `simulate --save-test` appends a case (the request and
//! today's answer), `test --update` rewrites the `expect` of a failing case with the answer
//! the manifests now give. Both edit the text in place, so the rest of the file (comments,
//! order, quoting) stays as written; only the new case, or the one `expect` block, is
//! gwctl's own YAML ([`crate::yaml::to_yaml`], which reads back as exactly what it wrote).

use serde_json::{Map, Value, json};

use crate::sim::Trace;
use crate::sim::request::Spec;
use crate::source::Span;
use crate::yaml::{self, NodeValue};

use super::expect::actual_shares;
use super::file::{BackendExp, Case, Expect, RuleExp};

/// A percentage as a case writes it: two decimals at most.
fn share(p: f64) -> Value {
    let r = (p * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

/// The request of `spec` as a case's `request` mapping (what was given, nothing more).
pub fn request_value(spec: &Spec) -> Value {
    let mut m = Map::new();
    m.insert("url".into(), json!(spec.url));
    let mut opt = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    };
    opt("method", &spec.method);
    opt("sni", &spec.sni);
    opt("grpc", &spec.grpc);
    opt("gateway", &spec.gateway);
    opt("service", &spec.service);
    opt("fromNamespace", &spec.from_namespace);
    let pairs = |list: &[String], sep: char| {
        let mut p = Map::new();
        for item in list {
            if let Some((n, v)) = item.split_once(sep) {
                p.insert(n.trim().to_owned(), json!(v.trim()));
            }
        }
        Value::Object(p)
    };
    if !spec.headers.is_empty() {
        m.insert("headers".into(), pairs(&spec.headers, ':'));
    }
    if !spec.cookies.is_empty() {
        m.insert("cookies".into(), pairs(&spec.cookies, '='));
    }
    if spec.requests > 0 {
        m.insert("requests".into(), json!(spec.requests));
    }
    if spec.seed != 0 {
        m.insert("seed".into(), json!(spec.seed));
    }
    Value::Object(m)
}

/// Which fields of a backend to write: those the case wrote for any backend, else name,
/// namespace and share.
struct BackendFields {
    kind: bool,
    namespace: bool,
    port: bool,
    share: bool,
}

fn backends_value(
    backends: &[crate::sim::backends::Backend],
    shares: &[f64],
    fields: &BackendFields,
    written: &[BackendExp],
) -> Value {
    let list: Vec<Value> = backends
        .iter()
        .enumerate()
        .filter(|(i, b)| shares[*i] > 0.0 || b.weight > 0)
        .map(|(i, b)| {
            let mut m = Map::new();
            if fields.kind {
                m.insert("kind".into(), json!(b.kind));
            }
            if fields.namespace {
                m.insert("namespace".into(), json!(b.namespace));
            }
            m.insert("name".into(), json!(b.name));
            if fields.port
                && let Some(p) = b.port
            {
                m.insert("port".into(), json!(p));
            }
            if fields.share {
                m.insert("share".into(), share(shares[i]));
                let tolerance = written
                    .iter()
                    .find(|w| w.name == b.name)
                    .and_then(|w| w.tolerance);
                if let Some(t) = tolerance {
                    m.insert("tolerance".into(), json!(t));
                }
            }
            Value::Object(m)
        })
        .collect();
    Value::Array(list)
}

fn fields_of(written: Option<&[BackendExp]>, default_share: bool) -> BackendFields {
    match written {
        Some(w) if !w.is_empty() => BackendFields {
            kind: w.iter().any(|b| b.kind.is_some()),
            namespace: w.iter().any(|b| b.namespace.is_some()),
            port: w.iter().any(|b| b.port.is_some()),
            share: w.iter().any(|b| b.share.is_some()),
        },
        _ => BackendFields {
            kind: false,
            namespace: true,
            port: false,
            share: default_share,
        },
    }
}

fn response_header(t: &Trace, name: &str) -> Option<String> {
    let parts: Vec<String> = [
        t.response_headers.set.value(name),
        t.response_headers.add.value(name),
        t.cors.as_ref().and_then(|c| c.headers.value(name)),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(","))
}

/// The `expect` mapping of `t`. With `written`, the same keys (and, inside them, the same
/// fields) as the case wrote, with today's values (`--update`); without, what `--save-test`
/// records: outcome, status, route, rule, backends, and whatever else the answer has.
pub fn expect_value(t: &Trace, written: Option<&Expect>) -> Value {
    // Every key an expectation can have, in the order the file format documents them.
    let full = super::file::EXPECT_KEYS;
    let keys: Vec<&str> = match written {
        Some(x) => x.keys.iter().map(String::as_str).collect(),
        None => full.to_vec(),
    };
    let saving = written.is_none();
    let mut m = Map::new();
    for key in keys {
        let v = match key {
            "outcome" => json!(t.outcome.as_str()),
            "status" => json!(t.status),
            "grpcStatus" if saving && t.grpc_status.is_none() => continue,
            "grpcStatus" => json!(t.grpc_status),
            "route" => match &t.route {
                None => Value::Null,
                Some(r) => {
                    let sub = written
                        .and_then(|x| x.route.as_ref())
                        .and_then(|r| r.value.as_ref());
                    let mut o = Map::new();
                    let all = sub.is_none_or(|s| {
                        s.kind.is_none() && s.namespace.is_none() && s.name.is_none()
                    });
                    if all || sub.is_some_and(|s| s.kind.is_some()) {
                        o.insert("kind".into(), json!(r.kind));
                    }
                    if all || sub.is_some_and(|s| s.namespace.is_some()) {
                        o.insert("namespace".into(), json!(r.namespace));
                    }
                    if all || sub.is_some_and(|s| s.name.is_some()) {
                        o.insert("name".into(), json!(r.name));
                    }
                    Value::Object(o)
                }
            },
            "rule" => {
                let by_index = written
                    .and_then(|x| x.rule.as_ref())
                    .is_some_and(|r| matches!(r.value, RuleExp::Index(_)));
                match (&t.rule_name, t.rule) {
                    (Some(n), _) if !by_index => json!(n),
                    (_, Some(i)) => json!(i),
                    // No rule answered: a rule expectation has nothing to hold to.
                    _ => continue,
                }
            }
            "backends" => {
                let w = written
                    .and_then(|x| x.backends.as_ref())
                    .map(|b| &b.value[..]);
                if saving && t.backends.is_empty() {
                    continue;
                }
                let shares = actual_shares(t);
                backends_value(&t.backends, &shares, &fields_of(w, true), w.unwrap_or(&[]))
            }
            "mirrors" => {
                let w = written
                    .and_then(|x| x.mirrors.as_ref())
                    .map(|b| &b.value[..]);
                if saving && t.mirrors.is_empty() {
                    continue;
                }
                let shares: Vec<f64> = t
                    .mirrors
                    .iter()
                    .map(|m| m.mirrored.map_or(100.0, |s| s.percent))
                    .collect();
                let fields = fields_of(w, false);
                backends_value(&t.mirrors, &shares, &fields, w.unwrap_or(&[]))
            }
            "redirect" => match &t.redirect {
                None if saving => continue,
                None => Value::Null,
                Some(r) => json!({"location": r.location, "status": r.status}),
            },
            "forwarded" => {
                let f = &t.forwarded;
                let w = written.and_then(|x| x.forwarded.as_ref());
                let mut o = Map::new();
                match w {
                    None => {
                        // What the filters changed: a rewritten host or path.
                        if f.host != t.request.host {
                            o.insert("host".into(), json!(f.host));
                        }
                        if f.path != t.request.path {
                            o.insert("path".into(), json!(f.path));
                        }
                        if o.is_empty() {
                            continue;
                        }
                    }
                    Some(w) => {
                        let parts = [
                            ("method", w.method.is_some(), &f.method),
                            ("scheme", w.scheme.is_some(), &f.scheme),
                            ("host", w.host.is_some(), &f.host),
                            ("path", w.path.is_some(), &f.path),
                            ("query", w.query.is_some(), &f.query),
                        ];
                        for (k, on, v) in parts {
                            if on {
                                o.insert(k.into(), json!(v));
                            }
                        }
                        if !w.headers.is_empty() {
                            let mut h = Map::new();
                            for e in &w.headers {
                                h.insert(e.name.clone(), json!(f.headers.value(&e.name)));
                            }
                            o.insert("headers".into(), Value::Object(h));
                        }
                    }
                }
                Value::Object(o)
            }
            "responseHeaders" => {
                let mut h = Map::new();
                match written.and_then(|x| x.response_headers.as_ref()) {
                    Some(w) => {
                        for e in w {
                            h.insert(e.name.clone(), json!(response_header(t, &e.name)));
                        }
                    }
                    None => {
                        let rh = &t.response_headers;
                        let names = rh.set.0.iter().chain(&rh.add.0).map(|(n, _)| n.clone());
                        for n in names {
                            let v = response_header(t, &n);
                            h.insert(n, json!(v));
                        }
                        if h.is_empty() {
                            continue;
                        }
                    }
                }
                Value::Object(h)
            }
            "session" => match &t.session {
                None if saving => continue,
                None => Value::Null,
                Some(s) => {
                    let sub = written
                        .and_then(|x| x.session.as_ref())
                        .and_then(|s| s.value.as_ref());
                    let all = sub.is_none_or(|s| {
                        s.kind.is_none() && s.name.is_none() && s.backend.is_none()
                    });
                    let mut o = Map::new();
                    if all || sub.is_some_and(|x| x.kind.is_some()) {
                        o.insert("type".into(), json!(s.config.kind));
                    }
                    if all || sub.is_some_and(|x| x.name.is_some()) {
                        o.insert("name".into(), json!(s.config.name));
                    }
                    let bound = s.backend.and_then(|i| t.backends.get(i));
                    if let Some(b) = bound
                        && (all || sub.is_some_and(|x| x.backend.is_some()))
                    {
                        o.insert("backend".into(), json!(b.name));
                    }
                    Value::Object(o)
                }
            },
            _ => continue,
        };
        m.insert(key.to_owned(), v);
    }
    Value::Object(m)
}

/// `value` as YAML lines, each indented by `by` spaces, without a final line break.
fn indented(value: &Value, by: usize) -> String {
    let text = yaml::to_yaml(value);
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Why a case cannot be appended to a test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendError(pub String);

/// `text` (a test file, or `None` for a new one with `manifests`) with a case appended: the
/// request `spec` and `trace`'s answer, named `name` (made unique in the file: returned
/// with the text). The text before the case is kept byte for byte.
pub fn append_case(
    text: Option<&str>,
    manifests: &[String],
    name: &str,
    spec: &Spec,
    trace: &Trace,
) -> Result<(String, String), AppendError> {
    let (mut out, indent, names) = match text {
        None | Some("") => {
            let mut head = String::from(
                "# gwctl test file: routing cases (see the README, \"Testing routing\").\n",
            );
            if !manifests.is_empty() {
                let list = Value::Array(manifests.iter().map(|m| json!(m)).collect());
                head.push_str(&yaml::to_yaml(&json!({"manifests": list})));
            }
            head.push_str("cases:\n");
            (head, 2, Vec::new())
        }
        Some(text) => {
            let stream = yaml::parse_stream(text, &yaml::Limits::default());
            let root = stream
                .documents
                .first()
                .and_then(|d| d.root.as_ref())
                .filter(|_| stream.documents.len() == 1 && !stream.documents[0].broken)
                .ok_or_else(|| AppendError("it is not one YAML document".into()))?;
            let entries = root
                .as_map()
                .ok_or_else(|| AppendError("it is not a mapping with `cases:`".into()))?;
            let last = entries.last().filter(|e| e.key == "cases").ok_or_else(|| {
                AppendError(
                    "`cases:` is not its last key; gwctl appends a case at the end of the file"
                        .into(),
                )
            })?;
            let mut names = Vec::new();
            let mut out = text.to_owned();
            let indent = match &last.value.value {
                NodeValue::Seq(items) if !last.value.flow && !items.is_empty() => {
                    for item in items {
                        if let Some(n) = item.get("name").and_then(|n| n.as_str()) {
                            names.push(n.to_owned());
                        }
                    }
                    let at = items[0].span.start;
                    let dash = text[..at].rfind('-').unwrap_or(at);
                    dash - line_start(text, dash)
                }
                NodeValue::Seq(items) if items.is_empty() => {
                    // `cases: []`: the empty list gives way to the first item.
                    let s: Span = last.value.span;
                    out.replace_range(s.start..s.end, "");
                    2
                }
                NodeValue::Scalar(yaml::Scalar::Null) => 2,
                _ => {
                    return Err(AppendError(
                        "its `cases:` is not a block list (`- name: ...`) gwctl can append to"
                            .into(),
                    ));
                }
            };
            (out.trim_end().to_owned() + "\n", indent, names)
        }
    };
    let mut unique = name.to_owned();
    let mut n = 2;
    while names.contains(&unique) {
        unique = format!("{name} ({n})");
        n += 1;
    }
    let case = json!({
        "name": unique,
        "request": request_value(spec),
        "expect": expect_value(trace, None),
    });
    // `- name: ...` with the rest of the case under `name`.
    let body = indented(&case, indent + 2);
    out.push_str(&" ".repeat(indent));
    out.push_str("- ");
    out.push_str(body.trim_start());
    out.push('\n');
    Ok((out, unique))
}

/// `text` with the `expect` of each case in `updates` (a case and its new answer) replaced by
/// the answer, keeping the keys the case wrote. Cases are edited from the end of the file
/// back, so that earlier positions stay valid.
pub fn update_expectations(text: &str, updates: &[(&Case, &Trace)]) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (case, trace) in updates {
        let Some((key, value, _)) = case.expect_place else {
            continue;
        };
        let column = key.start - line_start(text, key.start);
        let v = expect_value(trace, Some(&case.expect));
        let block = if v.as_object().is_some_and(|m| m.is_empty()) {
            " {}".to_owned()
        } else {
            format!("\n{}", indented(&v, column + 2))
        };
        // From just after `expect:` to the end of its value.
        let colon = text[key.end..value.start.max(key.end)]
            .find(':')
            .map_or(key.end, |i| key.end + i + 1);
        edits.push((colon, value.end.max(colon), block));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, block) in edits {
        out.replace_range(start..end, &block);
    }
    out
}
