//! A `gwctl test` file, read with gwctl's own YAML layer so that every key and value keeps
//! its position: findings are on the line that wrote the expectation, and `--update`
//! rewrites the text of one case's `expect` and nothing else.
//!
//! Owns the file's shape (the same as `schemas/gwctl-test.schema.json`, which a test holds
//! to it) and the problems of a file that keep a case from running as written: YAML that
//! does not parse, unknown keys (GW802), wrong types and values (GW803), duplicate case
//! names (GW806). A case with a problem in its request does not run; a case with a problem
//! in one expectation runs with the others.

use std::sync::Arc;

use crate::diag::{Diagnostic, ObjectRef, RuleMeta};
use crate::sim::Outcome;
use crate::sim::request::Spec;
use crate::source::{FileId, Span};
use crate::yaml::{self, Entry, Node, NodeValue, Scalar};

use super::rules::{DUPLICATE_CASE, INVALID_VALUE, UNKNOWN_KEY};

/// The `apiVersion` a case's findings name it with (`in case home (gwctl test)`): a case is
/// the object a finding is about, and JUnit's test case.
pub const CASE_API_VERSION: &str = "gwctl test";

/// The keys of each mapping of a test file.
pub const FILE_KEYS: &[&str] = &["manifests", "cases"];
pub const CASE_KEYS: &[&str] = &["name", "request", "expect"];
pub const REQUEST_KEYS: &[&str] = &[
    "url",
    "method",
    "headers",
    "cookies",
    "sni",
    "grpc",
    "gateway",
    "service",
    "fromNamespace",
    "requests",
    "seed",
];
pub const EXPECT_KEYS: &[&str] = &[
    "outcome",
    "status",
    "grpcStatus",
    "route",
    "rule",
    "backends",
    "redirect",
    "forwarded",
    "responseHeaders",
    "mirrors",
    "session",
];
const ROUTE_KEYS: &[&str] = &["kind", "namespace", "name"];
const BACKEND_KEYS: &[&str] = &["kind", "namespace", "name", "port", "share", "tolerance"];
const REDIRECT_KEYS: &[&str] = &["location", "status"];
const FORWARDED_KEYS: &[&str] = &["method", "scheme", "host", "path", "query", "headers"];
const SESSION_KEYS: &[&str] = &["type", "name", "backend"];

/// The outcomes a case can expect, as `simulate -o json` writes them.
pub const OUTCOMES: &[Outcome] = &[
    Outcome::Routed,
    Outcome::Redirect,
    Outcome::NotFound,
    Outcome::NoListener,
    Outcome::BackendError,
    Outcome::MeshDefault,
    Outcome::CorsPreflight,
    Outcome::Misdirected,
];

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug)]
pub struct TestFile {
    pub file: FileId,
    /// `manifests:` paths as written (relative to the test file's folder).
    pub manifests: Vec<At<String>>,
    pub cases: Vec<Case>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct Case {
    pub name: String,
    /// The case's name, or the start of the case when it has none.
    pub name_span: Span,
    /// The request, `None` when it cannot be read (reported).
    pub request: Option<Spec>,
    pub request_span: Span,
    pub expect: Expect,
    /// Where `expect`'s value is, for `--update`: (its key's span, its value's node span,
    /// whether the value is written in flow style).
    pub expect_place: Option<(Span, Span, bool)>,
    /// The case as findings name it.
    pub object: Arc<ObjectRef>,
}

/// What a case expects. Every member is optional: only what is written is checked.
#[derive(Debug, Default)]
pub struct Expect {
    pub outcome: Option<At<Outcome>>,
    /// `null`: no HTTP status (no listener took the connection).
    pub status: Option<At<Option<u16>>>,
    pub grpc_status: Option<At<Option<String>>>,
    /// `null`: no route.
    pub route: Option<At<Option<RouteExp>>>,
    pub rule: Option<At<RuleExp>>,
    pub backends: Option<At<Vec<BackendExp>>>,
    /// `null`: no redirect.
    pub redirect: Option<At<Option<RedirectExp>>>,
    pub forwarded: Option<ForwardedExp>,
    pub response_headers: Option<Vec<HeaderExp>>,
    pub mirrors: Option<At<Vec<BackendExp>>>,
    /// `null`: no session persistence.
    pub session: Option<At<Option<SessionExp>>>,
    /// The keys written, in order (`--update` writes the same ones back).
    pub keys: Vec<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct RouteExp {
    pub kind: Option<At<String>>,
    pub namespace: Option<At<String>>,
    pub name: Option<At<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleExp {
    Index(usize),
    Name(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct BackendExp {
    pub span: Span,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: String,
    pub port: Option<i64>,
    /// Percent of the requests, 0 to 100.
    pub share: Option<At<f64>>,
    /// Percentage points the share may be off by.
    pub tolerance: Option<f64>,
}

/// The share's tolerance when none is written: half a percentage point, so that `33.3`
/// passes for a third.
pub const DEFAULT_TOLERANCE: f64 = 0.5;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct RedirectExp {
    pub location: Option<At<String>>,
    pub status: Option<At<u16>>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ForwardedExp {
    pub method: Option<At<String>>,
    pub scheme: Option<At<String>>,
    pub host: Option<At<String>>,
    pub path: Option<At<String>>,
    pub query: Option<At<String>>,
    pub headers: Vec<HeaderExp>,
}

/// A header that must have this value, or with `value` `None` (written `null`) must be
/// absent.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderExp {
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct SessionExp {
    pub kind: Option<At<String>>,
    pub name: Option<At<String>>,
    pub backend: Option<At<String>>,
}

/// Read the test file `text` (its id in the run's sources is `file`). Never fails: every
/// problem is a finding, and whatever can be read is kept.
pub fn parse(file: FileId, text: &str) -> TestFile {
    let mut r = Reader {
        file,
        text,
        diagnostics: Vec::new(),
        object: None,
        names: Vec::new(),
    };
    let mut out = TestFile {
        file,
        manifests: Vec::new(),
        cases: Vec::new(),
        diagnostics: Vec::new(),
    };
    let stream = yaml::parse_stream(text, &yaml::Limits::default());
    for issue in &stream.issues {
        let rule = match issue.kind {
            yaml::IssueKind::DuplicateKey | yaml::IssueKind::MergedKey => {
                &crate::load::rules::DUPLICATE_KEY
            }
            yaml::IssueKind::Yaml11Scalar => continue,
            _ => &crate::load::rules::INVALID_YAML,
        };
        let mut d = Diagnostic::new(rule, issue.message.clone()).at(file, issue.span);
        if let Some(h) = &issue.help {
            d = d.help(h.clone());
        }
        out.diagnostics.push(d);
    }
    let roots: Vec<&Node> = stream
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .collect();
    let Some(root) = roots.first() else {
        if stream.issues.is_empty() {
            out.diagnostics.push(
                Diagnostic::new(&INVALID_VALUE, "the test file is empty; it holds no cases")
                    .at(file, Span::point(0))
                    .help("write `cases:` with a list of cases (see the README's \"Testing routing\")"),
            );
        }
        return out;
    };
    if let Some(extra) = roots.get(1) {
        r.problem(
            &INVALID_VALUE,
            extra.span,
            "a test file holds one YAML document; this one is not read".into(),
        );
    }
    let Some(entries) = r.map(root, "the test file", FILE_KEYS) else {
        out.diagnostics.append(&mut r.diagnostics);
        return out;
    };
    for e in entries {
        match e.key.as_str() {
            "manifests" => {
                let items: Vec<&Node> = match &e.value.value {
                    NodeValue::Seq(s) => s.iter().collect(),
                    _ => vec![&e.value],
                };
                for n in items {
                    if let Some(s) = r.string(n, "a manifests path") {
                        out.manifests.push(At {
                            value: s,
                            span: n.span,
                        });
                    }
                }
            }
            "cases" => {
                let Some(items) = r.seq(&e.value, "`cases`") else {
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    out.cases.push(r.case(i, item));
                }
            }
            _ => {}
        }
    }
    if entries.iter().all(|e| e.key != "cases") {
        r.problem(
            &INVALID_VALUE,
            root.span,
            "the test file has no `cases`".into(),
        );
    }
    // Duplicate names: the second and later of a name are findings; every case still runs.
    for i in 0..out.cases.len() {
        let name = &out.cases[i].name;
        if let Some(first) = out.cases[..i].iter().find(|c| &c.name == name) {
            let d = Diagnostic::new(
                &DUPLICATE_CASE,
                format!("a case named \"{name}\" is already in this file"),
            )
            .at(file, out.cases[i].name_span)
            .secondary(crate::diag::Label::new(file, first.name_span).with_message("first here"))
            .object(Some(out.cases[i].object.clone()))
            .help("give each case its own name");
            r.diagnostics.push(d);
        }
    }
    out.diagnostics.append(&mut r.diagnostics);
    out
}

struct Reader<'t> {
    file: FileId,
    text: &'t str,
    diagnostics: Vec<Diagnostic>,
    /// The case being read, for the findings' object.
    object: Option<Arc<ObjectRef>>,
    /// The names of the cases read so far.
    names: Vec<String>,
}

impl Reader<'_> {
    fn problem(&mut self, rule: &'static RuleMeta, span: Span, message: String) {
        let d = Diagnostic::new(rule, message)
            .at(self.file, span)
            .object(self.object.clone());
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, node: &Node, what: &str, expected: &str) {
        self.problem(
            &INVALID_VALUE,
            node.span,
            format!("{what} is {}; expected {expected}", node.type_name()),
        );
    }

    /// The entries of a mapping, each unknown key reported.
    fn map<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<&'n [Entry]> {
        let Some(entries) = node.as_map() else {
            self.wrong_type(node, what, "a mapping");
            return None;
        };
        for e in entries {
            if !known.contains(&e.key.as_str()) {
                let mut d =
                    Diagnostic::new(&UNKNOWN_KEY, format!("{what} has no key \"{}\"", e.key))
                        .at(self.file, e.key_span)
                        .object(self.object.clone());
                d = match crate::schema::suggest(&e.key, known.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("the keys here are: {}", known.join(", "))),
                };
                self.diagnostics.push(d);
            }
        }
        Some(entries)
    }

    fn seq<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match node.as_seq() {
            Some(s) => Some(s),
            None => {
                self.wrong_type(node, what, "a list");
                None
            }
        }
    }

    /// A string; a plain number or boolean is read as it is written (`x-canary: yes`).
    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.value {
            NodeValue::Scalar(Scalar::String(s)) => Some(s.to_string()),
            NodeValue::Scalar(Scalar::Number(_) | Scalar::Bool(_)) => self
                .text
                .get(node.span.start..node.span.end)
                .map(str::to_owned),
            _ => {
                self.wrong_type(node, what, "a string");
                None
            }
        }
    }

    fn optional_string(&mut self, node: &Node, what: &str) -> Option<Option<String>> {
        if matches!(node.value, NodeValue::Scalar(Scalar::Null)) {
            return Some(None);
        }
        self.string(node, what).map(Some)
    }

    fn integer(&mut self, node: &Node, what: &str, min: i64, max: i64) -> Option<i64> {
        let n = match &node.value {
            NodeValue::Scalar(Scalar::Number(n)) => n.as_i64(),
            _ => None,
        };
        match n {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(n) => {
                self.problem(
                    &INVALID_VALUE,
                    node.span,
                    format!("{what} is {n}; expected {min} to {max}"),
                );
                None
            }
            None => {
                self.wrong_type(node, what, "an integer");
                None
            }
        }
    }

    fn number(&mut self, node: &Node, what: &str) -> Option<f64> {
        match &node.value {
            NodeValue::Scalar(Scalar::Number(n)) => match n.as_f64() {
                Some(f) if (0.0..=100.0).contains(&f) => Some(f),
                _ => {
                    self.problem(
                        &INVALID_VALUE,
                        node.span,
                        format!("{what} is {n}; expected a percentage from 0 to 100"),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(node, what, "a number");
                None
            }
        }
    }

    fn at_string(&mut self, node: &Node, what: &str) -> Option<At<String>> {
        self.string(node, what).map(|value| At {
            value,
            span: node.span,
        })
    }

    fn case(&mut self, index: usize, node: &Node) -> Case {
        // The name as written (a plain number or boolean as its text), found before the
        // rest of the case so that every finding about the case can name it.
        let name = node.get("name").and_then(|n| {
            let text = match &n.value {
                NodeValue::Scalar(Scalar::String(s)) => Some(s.to_string()),
                NodeValue::Scalar(Scalar::Number(_) | Scalar::Bool(_)) => {
                    self.text.get(n.span.start..n.span.end).map(str::to_owned)
                }
                _ => None,
            };
            text.map(|s| (s, n.span))
        });
        let (name, name_span) = match name {
            Some((s, span)) if !s.trim().is_empty() => (s, span),
            _ => (format!("#{}", index + 1), Span::point(node.span.start)),
        };
        // A second case of a name (GW806) is still its own case in every report: its
        // object carries its position in the file.
        let object_name = if self.names.contains(&name) {
            format!("{name} (#{})", index + 1)
        } else {
            name.clone()
        };
        self.names.push(name.clone());
        let object = Arc::new(ObjectRef {
            api_version: CASE_API_VERSION.to_owned(),
            kind: "case".to_owned(),
            namespace: None,
            name: object_name,
        });
        self.object = Some(object.clone());
        let mut case = Case {
            name,
            name_span,
            request: None,
            request_span: node.span,
            expect: Expect::default(),
            expect_place: None,
            object,
        };
        let what = format!("case {}", index + 1);
        let Some(entries) = self.map(node, &what, CASE_KEYS) else {
            self.object = None;
            return case;
        };
        match node.get("name") {
            None => self.problem(
                &INVALID_VALUE,
                Span::point(node.span.start),
                format!("{what} has no `name`; it is called \"{}\" here", case.name),
            ),
            Some(n) => {
                let _ = self.string(n, "`name`");
            }
        }
        for e in entries {
            match e.key.as_str() {
                "request" => {
                    case.request_span = e.value.span;
                    case.request = self.request(&e.value);
                }
                "expect" => {
                    case.expect_place = Some((e.key_span, e.value.span, e.value.flow));
                    if !matches!(e.value.value, NodeValue::Scalar(Scalar::Null)) {
                        case.expect = self.expect(&e.value);
                    }
                }
                _ => {}
            }
        }
        if node.get("request").is_none() {
            self.problem(
                &INVALID_VALUE,
                case.name_span,
                format!("case \"{}\" has no `request`", case.name),
            );
        }
        self.object = None;
        case
    }

    /// The request, or `None` when a part of it cannot be read (the case does not run).
    fn request(&mut self, node: &Node) -> Option<Spec> {
        let entries = self.map(node, "`request`", REQUEST_KEYS)?;
        let mut spec = Spec::default();
        let mut ok = true;
        let mut url = false;
        for e in entries {
            let v = &e.value;
            let key = format!("`request.{}`", e.key);
            let read = match e.key.as_str() {
                "url" => self.string(v, &key).map(|s| {
                    spec.url = s;
                    url = true;
                }),
                "method" => self.string(v, &key).map(|s| spec.method = Some(s)),
                "sni" => self.string(v, &key).map(|s| spec.sni = Some(s)),
                "grpc" => self.string(v, &key).map(|s| spec.grpc = Some(s)),
                "gateway" => self.string(v, &key).map(|s| spec.gateway = Some(s)),
                "service" => self.string(v, &key).map(|s| spec.service = Some(s)),
                "fromNamespace" => self.string(v, &key).map(|s| spec.from_namespace = Some(s)),
                "requests" => self
                    .integer(v, &key, 0, crate::sim::MAX_REQUESTS as i64)
                    .map(|n| spec.requests = n as u64),
                "seed" => self
                    .integer(v, &key, 0, i64::MAX)
                    .map(|n| spec.seed = n as u64),
                "headers" | "cookies" => self.pairs(v, &key).map(|pairs| {
                    for (n, val) in pairs {
                        if e.key == "headers" {
                            spec.headers.push(format!("{n}: {val}"));
                        } else {
                            spec.cookies.push(format!("{n}={val}"));
                        }
                    }
                }),
                _ => Some(()),
            };
            ok &= read.is_some();
        }
        if !url {
            self.problem(&INVALID_VALUE, node.span, "`request` has no `url`".into());
            ok = false;
        }
        ok.then_some(spec)
    }

    /// A mapping of names to string values (headers, cookies).
    fn pairs(&mut self, node: &Node, what: &str) -> Option<Vec<(String, String)>> {
        let Some(entries) = node.as_map() else {
            self.wrong_type(node, what, "a mapping of names to values");
            return None;
        };
        let mut out = Vec::new();
        for e in entries {
            out.push((
                e.key.clone(),
                self.string(&e.value, &format!("{what} \"{}\"", e.key))?,
            ));
        }
        Some(out)
    }

    fn expect(&mut self, node: &Node) -> Expect {
        let mut x = Expect::default();
        let Some(entries) = self.map(node, "`expect`", EXPECT_KEYS) else {
            return x;
        };
        for e in entries {
            let v = &e.value;
            let span = v.span;
            let null = matches!(v.value, NodeValue::Scalar(Scalar::Null));
            let key = format!("`expect.{}`", e.key);
            if EXPECT_KEYS.contains(&e.key.as_str()) {
                x.keys.push(e.key.clone());
            }
            match e.key.as_str() {
                "outcome" => {
                    if let Some(s) = self.string(v, &key) {
                        match OUTCOMES.iter().find(|o| o.as_str() == s) {
                            Some(o) => x.outcome = Some(At { value: *o, span }),
                            None => self.problem(
                                &INVALID_VALUE,
                                span,
                                format!(
                                    "`expect.outcome` \"{s}\" is not an outcome; expected one of: {}",
                                    OUTCOMES.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")
                                ),
                            ),
                        }
                    }
                }
                "status" if null => x.status = Some(At { value: None, span }),
                "status" => {
                    if let Some(n) = self.integer(v, &key, 100, 599) {
                        x.status = Some(At {
                            value: Some(n as u16),
                            span,
                        });
                    }
                }
                "grpcStatus" => {
                    if let Some(s) = self.optional_string(v, &key) {
                        x.grpc_status = Some(At { value: s, span });
                    }
                }
                "route" if null => x.route = Some(At { value: None, span }),
                "route" => {
                    if let Some(r) = self.map(v, &key, ROUTE_KEYS) {
                        let mut route = RouteExp::default();
                        for f in r {
                            let k = format!("`expect.route.{}`", f.key);
                            let s = self.at_string(&f.value, &k);
                            match f.key.as_str() {
                                "kind" => route.kind = s,
                                "namespace" => route.namespace = s,
                                "name" => route.name = s,
                                _ => {}
                            }
                        }
                        x.route = Some(At {
                            value: Some(route),
                            span,
                        });
                    }
                }
                "rule" => match &v.value {
                    NodeValue::Scalar(Scalar::Number(_)) => {
                        if let Some(n) = self.integer(v, &key, 0, i64::from(u16::MAX)) {
                            x.rule = Some(At {
                                value: RuleExp::Index(n as usize),
                                span,
                            });
                        }
                    }
                    NodeValue::Scalar(Scalar::String(s)) => {
                        x.rule = Some(At {
                            value: RuleExp::Name(s.to_string()),
                            span,
                        });
                    }
                    _ => self.wrong_type(v, &key, "a rule index or a rule name"),
                },
                "backends" | "mirrors" => {
                    if let Some(list) = self.backends(v, &key) {
                        let at = Some(At { value: list, span });
                        if e.key == "backends" {
                            x.backends = at;
                        } else {
                            x.mirrors = at;
                        }
                    }
                }
                "redirect" if null => x.redirect = Some(At { value: None, span }),
                "redirect" => {
                    if let Some(r) = self.map(v, &key, REDIRECT_KEYS) {
                        let mut red = RedirectExp::default();
                        for f in r {
                            let k = format!("`expect.redirect.{}`", f.key);
                            match f.key.as_str() {
                                "location" => red.location = self.at_string(&f.value, &k),
                                "status" => {
                                    red.status = self.integer(&f.value, &k, 300, 399).map(|n| At {
                                        value: n as u16,
                                        span: f.value.span,
                                    })
                                }
                                _ => {}
                            }
                        }
                        x.redirect = Some(At {
                            value: Some(red),
                            span,
                        });
                    }
                }
                "forwarded" => {
                    if let Some(r) = self.map(v, &key, FORWARDED_KEYS) {
                        let mut fw = ForwardedExp::default();
                        for f in r {
                            let k = format!("`expect.forwarded.{}`", f.key);
                            match f.key.as_str() {
                                "method" => fw.method = self.at_string(&f.value, &k),
                                "scheme" => fw.scheme = self.at_string(&f.value, &k),
                                "host" => fw.host = self.at_string(&f.value, &k),
                                "path" => fw.path = self.at_string(&f.value, &k),
                                "query" => fw.query = self.at_string(&f.value, &k),
                                "headers" => fw.headers = self.header_expectations(&f.value, &k),
                                _ => {}
                            }
                        }
                        x.forwarded = Some(fw);
                    }
                }
                "responseHeaders" => {
                    x.response_headers = Some(self.header_expectations(v, &key));
                }
                "session" if null => x.session = Some(At { value: None, span }),
                "session" => {
                    if let Some(r) = self.map(v, &key, SESSION_KEYS) {
                        let mut s = SessionExp::default();
                        for f in r {
                            let k = format!("`expect.session.{}`", f.key);
                            let val = self.at_string(&f.value, &k);
                            match f.key.as_str() {
                                "type" => s.kind = val,
                                "name" => s.name = val,
                                "backend" => s.backend = val,
                                _ => {}
                            }
                        }
                        x.session = Some(At {
                            value: Some(s),
                            span,
                        });
                    }
                }
                _ => {}
            }
        }
        x
    }

    fn header_expectations(&mut self, node: &Node, what: &str) -> Vec<HeaderExp> {
        let Some(entries) = node.as_map() else {
            self.wrong_type(
                node,
                what,
                "a mapping of header names to values (null: absent)",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in entries {
            if let Some(value) = self.optional_string(&e.value, &format!("{what} \"{}\"", e.key)) {
                out.push(HeaderExp {
                    name: e.key.clone(),
                    value,
                    span: e.key_span.cover(e.value.span),
                });
            }
        }
        out
    }

    fn backends(&mut self, node: &Node, what: &str) -> Option<Vec<BackendExp>> {
        let items = self.seq(node, what)?;
        let mut out = Vec::new();
        for item in items {
            let Some(entries) = self.map(item, &format!("an item of {what}"), BACKEND_KEYS) else {
                continue;
            };
            let mut b = BackendExp {
                span: item.span,
                kind: None,
                namespace: None,
                name: String::new(),
                port: None,
                share: None,
                tolerance: None,
            };
            let mut named = false;
            for f in entries {
                let v = &f.value;
                match f.key.as_str() {
                    "kind" => b.kind = self.string(v, "a backend's `kind`"),
                    "namespace" => b.namespace = self.string(v, "a backend's `namespace`"),
                    "name" => {
                        if let Some(n) = self.string(v, "a backend's `name`") {
                            b.name = n;
                            named = true;
                        }
                    }
                    "port" => b.port = self.integer(v, "a backend's `port`", 1, 65535),
                    "share" => {
                        b.share = self.number(v, "a backend's `share`").map(|value| At {
                            value,
                            span: v.span,
                        })
                    }
                    "tolerance" => b.tolerance = self.number(v, "a backend's `tolerance`"),
                    _ => {}
                }
            }
            if named {
                out.push(b);
            } else if item.get("name").is_none() {
                self.problem(
                    &INVALID_VALUE,
                    item.span,
                    format!("an item of {what} has no `name`"),
                );
            }
        }
        Some(out)
    }
}
