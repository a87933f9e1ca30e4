//! The entry points the fuzz targets drive, shared with the normal test suite.
//!
//! `tests/fuzz/fuzz_targets/*.rs` call these on libFuzzer's inputs, and
//! `tests/it/fuzz_regressions.rs` includes this file (`#[path]`) and calls them on every
//! committed input under `tests/fixtures/fuzz-regressions/<target>/`, so a regression input
//! goes through exactly the code that found it. Each function panics only when an invariant
//! of gwctl is broken; everything gwctl reports as a finding or an error is a pass.

#![allow(dead_code)]

use std::sync::OnceLock;

use gwctl::diag::Diagnostic;
use gwctl::fieldpath::FieldPath;
use gwctl::load::{self, Input};
use gwctl::migrate;
use gwctl::render::Format;
use gwctl::schema::{Channel, Store};
use gwctl::sim::{self, request};
use gwctl::source::{FileId, SourceMap};
use gwctl::yaml::{self, IssueKind, Node, NodeValue};

fn store() -> Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(Store::bundled).clone()
}

fn settings(channel: Channel) -> gwctl::lint::Settings {
    gwctl::lint::Settings {
        store: store(),
        channel,
        // A fixed "now", so certificate findings do not depend on the day.
        now: 1_750_000_000,
        ..gwctl::lint::Settings::default()
    }
}

/// Every span of a diagnostic lies inside its file, on character boundaries, so every
/// renderer can slice the text.
fn assert_positions(d: &Diagnostic, sources: &SourceMap) {
    for l in d.primary.iter().chain(&d.secondary) {
        assert!(
            (l.file.0 as usize) < sources.len(),
            "{}: file {} of {}",
            d.code(),
            l.file.0,
            sources.len()
        );
        let text = sources
            .get(l.file)
            .shown_text()
            .expect("stdin's text is kept");
        assert!(
            l.span.start <= l.span.end && l.span.end <= text.len(),
            "{} {:?}: span {:?} outside a text of {} bytes",
            d.code(),
            d.message,
            l.span,
            text.len()
        );
        assert!(
            text.is_char_boundary(l.span.start) && text.is_char_boundary(l.span.end),
            "{}: span {:?} splits a character",
            d.code(),
            l.span
        );
    }
}

/// (a) The YAML reader: every span inside the text, `to_json`, and the tree's [`yaml::Shape`]
/// (what objects keep): `path_at` on offsets across the document and `locate` of every
/// path found that way agree.
pub fn yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let stream = yaml::parse_stream(text, &yaml::Limits::default());
    for i in &stream.issues {
        assert!(
            i.span.end <= text.len() && i.span.start <= i.span.end,
            "{i:?}"
        );
    }
    for c in &stream.comments {
        assert!(c.span.end <= text.len(), "{c:?}");
    }
    for doc in &stream.documents {
        assert!(doc.span.end <= text.len(), "{:?}", doc.span);
        let Some(root) = &doc.root else { continue };
        check_spans(root, text.len());
        let json = root.to_json();
        // JSON always serialises; the reader never produces a value JSON cannot hold.
        serde_json::to_string(&json).expect("to_json is JSON");
        // What objects keep of the tree: the same spans, found by path and by offset.
        let shape = yaml::Shape::of(root);
        assert_eq!(shape.span(), root.span);
        // Offsets around the document (bounded, so a large input stays fast).
        let step = (doc.span.len() / 256).max(1);
        let mut offset = doc.span.start;
        while offset <= doc.span.end.min(text.len()) {
            let path = shape.path_at(offset);
            let found = shape.locate(&path);
            assert_eq!(
                found.depth,
                path.segments().len(),
                "path_at({offset}) = {path} does not locate"
            );
            offset += step;
        }
        let probe = FieldPath::root()
            .key("spec")
            .key("rules")
            .index(0)
            .key("matches")
            .index(1);
        let _ = shape.locate(&probe);
    }
}

fn check_spans(n: &Node, len: usize) {
    // An explicit stack: fuzzed trees may be as deep as the reader's limit.
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        assert!(
            n.span.start <= n.span.end && n.span.end <= len,
            "{:?} outside {len}",
            n.span
        );
        match &n.value {
            NodeValue::Scalar(_) => {}
            NodeValue::Seq(items) => stack.extend(items),
            NodeValue::Map(entries) => {
                for e in entries {
                    assert!(e.key_span.end <= len, "{:?}", e.key_span);
                    stack.push(&e.value);
                }
            }
        }
    }
}

/// (b) A whole lint run over stdin as the CLI runs it (each object checked as it is read),
/// every output format, and the same findings when loading first and checking after. The
/// first byte picks the channel, so both channels' schemas and rules are reached.
pub fn lint(data: &[u8]) {
    let (channel, data) = match data.split_first() {
        Some((b, rest)) if b & 1 == 1 => (Channel::Experimental, rest),
        Some((_, rest)) => (Channel::Standard, rest),
        None => (Channel::Standard, data),
    };
    let opts = load::Options::default();
    let settings = settings(channel);
    // What the CLI runs: each object checked as its file is read.
    let mut checked =
        gwctl::lint::load_and_check(&[Input::Stdin], &opts, &mut &data[..], &settings);
    for d in &checked.report.diagnostics {
        assert_positions(d, &checked.sources);
    }
    // Loading everything first and checking after must find exactly the same.
    let loaded = load::load(&[Input::Stdin], &opts, &mut &data[..]);
    let mut after = gwctl::lint::check(loaded, &settings);
    checked.normalize();
    after.normalize();
    assert_eq!(
        checked.report.diagnostics, after.report.diagnostics,
        "checking while loading and after loading disagree"
    );
    for format in [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Gitlab,
        Format::Compact,
        Format::Html,
    ] {
        let mut out = Vec::new();
        format
            .render(&checked.report, &checked.sources, false, &mut out)
            .expect("rendering to memory cannot fail");
    }
    draw(data, &settings);
}

/// `gwctl graph` on the same input: the routing picture built from the objects kept whole,
/// marked with the findings, laid out and written in every format of the command.
fn draw(data: &[u8], settings: &gwctl::lint::Settings) {
    use gwctl::render::{graph, html};
    let loaded = load::load(&[Input::Stdin], &load::Options::default(), &mut &data[..]);
    let whole = gwctl::lint::check_whole(loaded, settings);
    let built = gwctl::graph::Graph::build(&whole.inventory);
    let mut picture = gwctl::picture::Picture::build(&built);
    let nodes = picture.mark(
        &whole.report.diagnostics,
        &whole.inventory.default_namespace,
    );
    assert_eq!(nodes.len(), whole.report.diagnostics.len());
    let layout = gwctl::picture::layout::layout(&picture);
    assert_eq!(layout.nodes.len(), picture.nodes.len());
    let mut out = Vec::new();
    graph::dot(&picture, &mut out).expect("rendering to memory cannot fail");
    graph::mermaid(&picture, &mut out).expect("rendering to memory cannot fail");
    graph::svg(&picture, &mut out).expect("rendering to memory cannot fail");
    graph::json(&picture, &whole.sources, &mut out).expect("rendering to memory cannot fail");
    let drawn = html::Drawn {
        picture: &picture,
        nodes: &nodes,
    };
    html::render(&whole.report, &whole.sources, Some(&drawn), &mut out)
        .expect("rendering to memory cannot fail");
}

/// (c) One simulated request over arbitrary manifests. The input is a request description,
/// a blank line, then the manifests:
///
/// ```text
/// http://shop.example.com/cart?x=1      (the URL; anything unparsable falls back)
/// H x-canary: yes                       (a header; `C name=value` a cookie)
/// X POST                                (method)  G svc/Method (gRPC)
/// W ns/name (gateway)  S ns/name:port (mesh service)  F ns (caller namespace)
/// N 20 (requests)  E (experimental channel)  K (--complete)
///
/// apiVersion: gateway.networking.k8s.io/v1
/// ...
/// ```
pub fn simulate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (head, manifests) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let url = lines
        .next()
        .and_then(|u| request::parse_url(u.trim()).ok())
        .unwrap_or_else(|| request::parse_url("http://example.com/").expect("static URL"));
    let mut headers = Vec::new();
    let mut method = None;
    let mut grpc = None;
    let mut opts = sim::Options {
        from_namespace: "default".into(),
        ..Default::default()
    };
    let ns_name = |s: &str| {
        s.split_once('/')
            .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
    };
    for line in lines {
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match tag {
            "H" => headers.extend(request::parse_header(rest).ok()),
            "C" => {
                if let Ok((n, v)) = request::parse_cookie(rest) {
                    headers.push(("Cookie".to_owned(), format!("{n}={v}")));
                }
            }
            "X" => method = Some(rest.to_ascii_uppercase()),
            "G" => grpc = request::parse_grpc(rest).ok(),
            "W" => opts.gateway = ns_name(rest),
            "S" => {
                let (nsn, port) = match rest.rsplit_once(':') {
                    Some((a, p)) => (a, p.parse::<u16>().ok()),
                    None => (rest, None),
                };
                opts.service = ns_name(nsn).map(|(a, b)| (a, b, port));
            }
            "F" => opts.from_namespace = rest.to_owned(),
            // Bounded: the spread is what is exercised, not the loop count.
            "N" => opts.requests = rest.parse::<u64>().unwrap_or(0).min(64),
            "R" => opts.seed = rest.parse().unwrap_or(0),
            "E" => opts.experimental = true,
            "K" => opts.complete = true,
            _ => {}
        }
    }
    let port = url
        .port
        .or_else(|| request::default_port(&url.scheme))
        .unwrap_or(80);
    let req = sim::Request {
        method: method.unwrap_or_else(|| if grpc.is_some() { "POST" } else { "GET" }.into()),
        scheme: url.scheme.clone(),
        host: url.host.clone(),
        port,
        path: match &grpc {
            Some((s, m)) => format!("/{s}/{m}"),
            None => url.path.clone(),
        },
        query: url.query.clone(),
        headers,
        grpc,
    };
    let channel = if opts.experimental {
        Channel::Experimental
    } else {
        Channel::Standard
    };
    let lopts = load::Options::default();
    let mut loaded = load::load(&[Input::Stdin], &lopts, &mut manifests.as_bytes());
    // The passes `gwctl simulate` runs before routing: defaults matter to routing.
    let settings = gwctl::lint::Settings {
        store: store(),
        channel,
        complete: opts.complete,
        now: 1_750_000_000,
        ..Default::default()
    };
    let _ = gwctl::lint::analyze(&mut loaded, &settings);
    let graph = gwctl::graph::Graph::build(&loaded.inventory);
    if let Ok(trace) = sim::simulate(&graph, &req, &opts) {
        let mut out = Vec::new();
        gwctl::render::trace::json(&trace, &mut out).expect("in memory");
        gwctl::render::trace::human(&trace, false, &mut out).expect("in memory");
        if let Some(d) = &trace.distribution {
            let total: u64 = d.counts.iter().map(|c| c.count).sum();
            assert_eq!(total, d.requests, "every simulated request is counted once");
        }
    }
}

/// (d) `migrate`: the output re-reads without problems, each moved object is at its new
/// version and served by v1.1 (experimental channel, which serves every target version),
/// and migrating the output again changes nothing. The first byte picks `--to-v1`.
pub fn migrate(data: &[u8]) {
    let (to_v1, data) = match data.split_first() {
        Some((b, rest)) => (b & 1 == 1, rest),
        None => (false, data),
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = migrate::Options {
        to_v1,
        ..Default::default()
    };
    let out = match migrate::migrate_text(FileId(0), text, &opts) {
        Ok(out) => out,
        Err(migrate::Failure::Unreadable(diags)) => {
            assert!(!diags.is_empty(), "an unreadable file says why");
            return;
        }
        Err(migrate::Failure::SelfCheck(why)) => panic!("migrate's self-check failed: {why}"),
    };
    if out.refused || out.moved.is_empty() {
        assert_eq!(
            out.text, text,
            "a refused or unchanged file is left as it was"
        );
        return;
    }
    // Re-parses: no syntax, duplicate-key, alias or nesting problem in the output.
    let stream = yaml::parse_stream(&out.text, &yaml::Limits::default());
    let blocking: Vec<_> = stream
        .issues
        .iter()
        .filter(|i| i.kind != IssueKind::Yaml11Scalar)
        .collect();
    assert!(
        blocking.is_empty(),
        "migrated text does not re-read: {blocking:?}"
    );
    let before = yaml::parse_stream(text, &yaml::Limits::default());
    assert_eq!(stream.documents.len(), before.documents.len());
    // Validates: every moved object is at its target version and v1.1 serves it.
    let loaded = load::load(
        &[Input::Stdin],
        &load::Options::default(),
        &mut out.text.as_bytes(),
    );
    let checked = gwctl::lint::check(loaded, &settings(Channel::Experimental));
    // Objects as the output reads (also those lint cannot name, such as one without
    // metadata), with `kind: List` items.
    let mut objects = Vec::new();
    for d in &stream.documents {
        let Some(v) = d.root.as_ref().map(Node::to_json) else {
            continue;
        };
        if let Some(items) = v.get("items").and_then(|i| i.as_array()) {
            objects.extend(items.iter().cloned());
        }
        objects.push(v);
    }
    for m in &out.moved {
        let kind = &m.object.kind;
        let name = &m.object.name;
        assert!(
            objects.iter().any(|o| o["kind"] == **kind
                && o["metadata"]["name"].as_str().unwrap_or("") == name
                && o["apiVersion"] == m.to),
            "{kind} {name} is not at {} after migrating",
            m.to
        );
        for d in &checked.report.diagnostics {
            let about = d.object.as_deref().is_some_and(|o| {
                // Another object of the same name at another (unserved, unmigrated) version
                // is not this one.
                &o.kind == kind
                    && &o.name == name
                    && o.namespace == m.object.namespace
                    && o.api_version == m.to
            });
            assert!(
                !(about && matches!(d.code(), "GW040" | "GW041")),
                "migrated {kind} {name} is not served: {}",
                d.message
            );
        }
    }
    // Idempotent.
    let again = match migrate::migrate_text(FileId(0), &out.text, &opts) {
        Ok(o) => o,
        Err(migrate::Failure::Unreadable(d)) => panic!("migrated text is unreadable: {d:?}"),
        Err(migrate::Failure::SelfCheck(why)) => panic!("second migrate self-check: {why}"),
    };
    assert!(
        again.moved.is_empty(),
        "a second migrate moved {:?}",
        again.moved
    );
    assert_eq!(again.text, out.text, "migrating migrated text changes it");
}
