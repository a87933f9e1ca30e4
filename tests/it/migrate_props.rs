//! Property test of the BackendTLSPolicy migration: for generated v1alpha2 policies (with or
//! without namespaces, sectionName, CA references or well-known CAs, comments, flow or block
//! style, YAML or JSON, any key order, indentation, CRLF), the migrated text re-reads as the
//! semantic conversion (built here independently of the engine), keeps every comment, and
//! migrating it again changes nothing. Cross-namespace targets must be refused with the file
//! unchanged. A second property damages the fixtures at random: the engine must migrate,
//! refuse or report them, never panic and never fail its own check.

use gwctl::migrate::{Options, migrate_text};
use gwctl::source::FileId;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq)]
enum TargetNs {
    Absent,
    Empty,
    Same,
    Other,
}

#[derive(Debug, Clone)]
struct Policy {
    policy_ns: bool,
    target_ns: TargetNs,
    section: bool,
    ca_refs: Option<Vec<String>>,
    well_known: bool,
    target_flow: bool,
    tls_flow: bool,
    refs_flow: bool,
    /// Order of the target's keys: group, kind, name, namespace, sectionName.
    order: Vec<usize>,
    indent: usize,
    crlf: bool,
    /// How `apiVersion` is quoted in YAML (0 plain, 1 single, 2 double), or JSON instead
    /// of YAML (3 pretty-printed, 4 on one line).
    quote: u8,
    /// Where comments go; each position has its own flag.
    comments: Vec<bool>,
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        (
            any::<bool>(),
            prop_oneof![
                Just(TargetNs::Absent),
                Just(TargetNs::Empty),
                Just(TargetNs::Same),
                Just(TargetNs::Other)
            ],
            any::<bool>(),
            prop::option::of(prop::collection::vec("ca-[a-z0-9]{1,8}", 0..3)),
            any::<bool>(),
        ),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            Just(vec![0usize, 1, 2, 3, 4]).prop_shuffle(),
            prop_oneof![Just(2usize), Just(4)],
            any::<bool>(),
            0u8..5,
            prop::collection::vec(any::<bool>(), 40),
        ),
    )
        .prop_map(
            |(
                (policy_ns, target_ns, section, ca_refs, well_known),
                (target_flow, tls_flow, refs_flow, order, indent, crlf, quote, comments),
            )| Policy {
                policy_ns,
                target_ns,
                section,
                ca_refs,
                well_known,
                target_flow,
                tls_flow,
                refs_flow,
                order,
                indent,
                crlf,
                quote,
                comments,
            },
        )
}

/// Writes lines with optional comments, numbering each so the test can find them again.
struct Writer<'a> {
    lines: Vec<String>,
    flags: &'a [bool],
    next: usize,
    comments: usize,
}

impl Writer<'_> {
    fn flag(&mut self) -> bool {
        let f = self.flags.get(self.next).copied().unwrap_or(false);
        self.next += 1;
        f
    }

    /// A line that may get a trailing comment and a comment line before it.
    fn line(&mut self, indent: &str, text: &str) {
        if self.flag() {
            self.comments += 1;
            // Characters that mean something outside a comment must not confuse the engine.
            self.lines.push(format!(
                "{indent}# c{}: *not* an &alias, {{x}} [y]",
                self.comments
            ));
        }
        let mut l = format!("{indent}{text}");
        if self.flag() {
            self.comments += 1;
            l.push_str(&format!("   # c{}", self.comments));
        }
        self.lines.push(l);
    }
}

fn render(p: &Policy) -> (String, usize) {
    if p.quote >= 3 {
        return (render_json(p), 0);
    }
    let i1 = " ".repeat(p.indent);
    let i2 = " ".repeat(p.indent * 2);
    // Continuation lines of a `- ` item line up with the text after the dash.
    let i3 = format!("{i2}  ");
    let mut w = Writer {
        lines: Vec::new(),
        flags: &p.comments,
        next: 0,
        comments: 0,
    };
    let api = match p.quote {
        0 => "gateway.networking.k8s.io/v1alpha2".to_owned(),
        1 => "'gateway.networking.k8s.io/v1alpha2'".to_owned(),
        _ => "\"gateway.networking.k8s.io/v1alpha2\"".to_owned(),
    };
    w.line("", &format!("apiVersion: {api}"));
    w.line("", "kind: BackendTLSPolicy");
    w.line("", "metadata:");
    w.line(&i1, "name: p");
    if p.policy_ns {
        w.line(&i1, "namespace: apps");
    }
    w.line("", "spec:");
    let ns = match p.target_ns {
        TargetNs::Absent => None,
        TargetNs::Empty => Some("\"\""),
        TargetNs::Same => Some("apps"),
        TargetNs::Other => Some("data"),
    };
    let fields: Vec<Option<(&str, &str)>> = vec![
        Some(("group", "\"\"")),
        Some(("kind", "Service")),
        Some(("name", "svc")),
        ns.map(|n| ("namespace", n)),
        p.section.then_some(("sectionName", "https")),
    ];
    let target: Vec<(&str, &str)> = p.order.iter().filter_map(|&i| fields[i]).collect();
    if p.target_flow {
        let inner: Vec<String> = target.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        w.line(&i1, &format!("targetRef: {{{}}}", inner.join(", ")));
    } else {
        w.line(&i1, "targetRef:");
        for (k, v) in &target {
            w.line(&i2, &format!("{k}: {v}"));
        }
    }
    let refs_flow = |names: &[String]| {
        let items: Vec<String> = names
            .iter()
            .map(|n| format!("{{group: \"\", kind: ConfigMap, name: {n}}}"))
            .collect();
        format!("[{}]", items.join(", "))
    };
    if p.tls_flow {
        let mut parts = vec!["hostname: svc.example.com".to_owned()];
        if let Some(names) = &p.ca_refs {
            parts.push(format!("caCertRefs: {}", refs_flow(names)));
        }
        if p.well_known {
            parts.push("wellKnownCACerts: System".to_owned());
        }
        w.line(&i1, &format!("tls: {{{}}}", parts.join(", ")));
    } else {
        w.line(&i1, "tls:");
        if let Some(names) = &p.ca_refs {
            if p.refs_flow || names.is_empty() {
                w.line(&i2, &format!("caCertRefs: {}", refs_flow(names)));
            } else {
                w.line(&i2, "caCertRefs:");
                for n in names {
                    w.line(&i2, "- group: \"\"");
                    w.line(&i3, "kind: ConfigMap");
                    w.line(&i3, &format!("name: {n}"));
                }
            }
        }
        w.line(&i2, "hostname: svc.example.com");
        if p.well_known {
            w.line(&i2, "wellKnownCACerts: System");
        }
    }
    let eol = if p.crlf { "\r\n" } else { "\n" };
    let mut text = w.lines.join(eol);
    text.push_str(eol);
    (text, w.comments)
}

/// The policy as JSON, keys in the generated order, namespace included as generated.
fn render_json(p: &Policy) -> String {
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!("p"));
    if p.policy_ns {
        metadata.insert("namespace".into(), json!("apps"));
    }
    let ns = match p.target_ns {
        TargetNs::Absent => None,
        TargetNs::Empty => Some(""),
        TargetNs::Same => Some("apps"),
        TargetNs::Other => Some("data"),
    };
    let fields: Vec<Option<(&str, &str)>> = vec![
        Some(("group", "")),
        Some(("kind", "Service")),
        Some(("name", "svc")),
        ns.map(|n| ("namespace", n)),
        p.section.then_some(("sectionName", "https")),
    ];
    let mut target = Map::new();
    for (k, v) in p.order.iter().filter_map(|&i| fields[i]) {
        target.insert(k.into(), json!(v));
    }
    let mut tls = Map::new();
    if let Some(names) = &p.ca_refs {
        let refs: Vec<Value> = names
            .iter()
            .map(|n| json!({"group": "", "kind": "ConfigMap", "name": n}))
            .collect();
        tls.insert("caCertRefs".into(), Value::Array(refs));
    }
    tls.insert("hostname".into(), json!("svc.example.com"));
    if p.well_known {
        tls.insert("wellKnownCACerts".into(), json!("System"));
    }
    let v = json!({
        "apiVersion": "gateway.networking.k8s.io/v1alpha2",
        "kind": "BackendTLSPolicy",
        "metadata": metadata,
        "spec": {"targetRef": target, "tls": tls},
    });
    let text = if p.quote == 3 {
        serde_json::to_string_pretty(&v).unwrap()
    } else {
        v.to_string()
    };
    let eol = if p.crlf { "\r\n" } else { "\n" };
    format!("{}{eol}", text.replace('\n', eol))
}

/// The object the policy must become, written from the spec of the migration: v1alpha3's
/// shape at v1, the version the newest release (the default) serves.
fn expected(p: &Policy) -> Value {
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!("p"));
    if p.policy_ns {
        metadata.insert("namespace".into(), json!("apps"));
    }
    let mut target = Map::new();
    target.insert("group".into(), json!(""));
    target.insert("kind".into(), json!("Service"));
    target.insert("name".into(), json!("svc"));
    if p.section {
        target.insert("sectionName".into(), json!("https"));
    }
    let mut validation = Map::new();
    validation.insert("hostname".into(), json!("svc.example.com"));
    if let Some(names) = &p.ca_refs {
        let refs: Vec<Value> = names
            .iter()
            .map(|n| json!({"group": "", "kind": "ConfigMap", "name": n}))
            .collect();
        validation.insert("caCertificateRefs".into(), Value::Array(refs));
    }
    if p.well_known {
        validation.insert("wellKnownCACertificates".into(), json!("System"));
    }
    json!({
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "BackendTLSPolicy",
        "metadata": metadata,
        "spec": {"targetRefs": [target], "validation": validation},
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn migrated_policies_read_back_as_the_conversion(p in policy()) {
        let (text, comments) = render(&p);
        let outcome = migrate_text(FileId(0), &text, &Options::default())
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        let cross_namespace = p.policy_ns && p.target_ns == TargetNs::Other;
        if cross_namespace {
            prop_assert!(outcome.refused);
            prop_assert_eq!(&outcome.text, &text);
            prop_assert!(outcome.diagnostics.iter().any(|d| d.code() == "GW501"));
            return Ok(());
        }
        prop_assert!(!outcome.refused, "{:?}\n{}", outcome.diagnostics, text);
        let warned = outcome.diagnostics.iter().any(|d| d.code() == "GW503");
        let names_ns = matches!(p.target_ns, TargetNs::Same | TargetNs::Other);
        prop_assert_eq!(warned, !p.policy_ns && names_ns);

        let stream = gwctl::yaml::parse_stream(&outcome.text, &Default::default());
        prop_assert!(stream.issues.is_empty(), "{:?}\n{}", stream.issues, outcome.text);
        prop_assert_eq!(stream.documents.len(), 1);
        let got = stream.documents[0].root.as_ref().map(|r| r.to_json());
        prop_assert_eq!(got, Some(expected(&p)), "\n{}\n=>\n{}", text, outcome.text);

        // Every comment survives, and line endings do not change.
        prop_assert_eq!(stream.comments.len(), comments, "{}", outcome.text);
        let lf_only = outcome.text.replace("\r\n", "").contains('\n');
        prop_assert_eq!(lf_only, !p.crlf);
        // JSON stays JSON.
        if p.quote >= 3 {
            let parsed: Result<Value, _> = serde_json::from_str(&outcome.text);
            prop_assert!(parsed.is_ok(), "{}", outcome.text);
        }

        let again = migrate_text(FileId(0), &outcome.text, &Options::default())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert!(again.moved.is_empty());
        prop_assert_eq!(again.text, outcome.text);
    }
}

/// The migration fixtures, read once.
fn fixture_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrate");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Characters that change YAML structure when they appear in the wrong place.
const NOISE: &[char] = &[
    ' ', ' ', '\n', '\t', ':', '-', '{', '}', '[', ']', ',', '#', '&', '*', '!', '\'', '"', '|',
    '>', 'x', '\r',
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Damaged manifests are migrated correctly, refused or reported as unreadable; the
    /// engine never panics and never returns a rewrite that fails its own check.
    #[test]
    fn damaged_fixtures_are_never_mangled(
        which in any::<prop::sample::Index>(),
        damage in prop::collection::vec(
            (any::<prop::sample::Index>(), 0u8..3, prop::sample::select(NOISE)),
            1..4,
        ),
    ) {
        let texts = fixture_texts();
        let mut text = texts[which.index(texts.len())].clone();
        for (at, op, c) in damage {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            let next = text[i..].chars().next().map_or(i, |ch| i + ch.len_utf8());
            match op {
                0 => text.replace_range(i..next, ""),
                1 => text.insert(i, c),
                _ => text.replace_range(i..next, &c.to_string()),
            }
        }
        match migrate_text(FileId(0), &text, &Options {
            to_v1: true,
            ..Options::default()
        }) {
            Err(gwctl::migrate::Failure::Unreadable(_)) => {}
            Err(gwctl::migrate::Failure::SelfCheck(m)) => {
                return Err(TestCaseError::fail(format!("{m}\n{text:?}")));
            }
            Ok(o) => {
                if o.refused {
                    prop_assert_eq!(&o.text, &text);
                }
                let again = migrate_text(FileId(0), &o.text, &Options {
            to_v1: true,
            ..Options::default()
        })
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                prop_assert_eq!(again.text, o.text);
            }
        }
    }
}
