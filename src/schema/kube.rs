//! What a Kubernetes version must have for a Gateway API release to install, derived from
//! the release's own CRDs and bundle.
//!
//! Owns the Kubernetes facts ([`FACTS`]: the minor that first has CEL validation rules in
//! CRDs, each CEL library a bundled rule calls, each API a bundle ships objects of; facts
//! about Kubernetes, not about Gateway API releases), [`floors`] (which of them a store's
//! release and channel needs, found by scanning its CEL rules and its `ships` list, never
//! listed by hand), and how a Kubernetes version is read: as a person writes it
//! ([`parse_version`]) and as an API server's `/version` says it ([`server_version`]).
//!
//! The release's own support window (`kubernetes` in `schemas/releases.yaml`) is release
//! data and lives in [`super::release`].

use std::sync::OnceLock;

use regex::Regex;

use super::release::Shipped;
use super::{Channel, KubeMinor, Node, Store};

/// What a Kubernetes fact is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Any CEL rule (`x-kubernetes-validations`) in a CRD.
    AnyRule,
    /// CEL rules calling one of these functions. A name ending in `.` is a namespace
    /// (`format.` matches `format.dns1123Label(`); others match a call of that exact name,
    /// global or member (`ip(` and `.ip(`, never `isIP(`).
    Functions(&'static [&'static str]),
    /// Objects of this API (`group/version`) in the release's bundle.
    Api(&'static str),
}

/// One thing Kubernetes added at a known minor.
#[derive(Debug)]
pub struct Fact {
    /// The first minor that has it, enabled by default.
    pub since: KubeMinor,
    /// `the CEL IP library`.
    pub what: &'static str,
    pub needs: Needs,
}

/// The Kubernetes facts gwctl knows. Kubernetes' CEL documentation lists when each library
/// came; the standard CEL functions and macros, the extended strings library (`split`,
/// `substring`, ...) and the list, regex and URL libraries are in every Kubernetes version
/// that runs CEL rules in CRDs, so only the first fact covers them. A test checks that every
/// function a bundled rule calls is one of those or matched here.
pub static FACTS: &[Fact] = &[
    Fact {
        since: KubeMinor(1, 25),
        what: "CEL validation rules (`x-kubernetes-validations`)",
        needs: Needs::AnyRule,
    },
    Fact {
        since: KubeMinor(1, 30),
        what: "the ValidatingAdmissionPolicy API (admissionregistration.k8s.io/v1)",
        needs: Needs::Api("admissionregistration.k8s.io/v1"),
    },
    Fact {
        since: KubeMinor(1, 31),
        what: "the CEL IP library",
        needs: Needs::Functions(&["isIP", "ip"]),
    },
    Fact {
        since: KubeMinor(1, 31),
        what: "the CEL CIDR library",
        needs: Needs::Functions(&["isCIDR", "cidr"]),
    },
    Fact {
        since: KubeMinor(1, 32),
        what: "the CEL format library",
        needs: Needs::Functions(&["format."]),
    },
];

/// Where a release uses something Kubernetes added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A CEL rule of a CRD: the kind, the API version, and the field the rule sits on
    /// (`spec.hostnames`, `rules[]` for list items; empty for the object itself).
    Rule {
        kind: String,
        version: String,
        field: String,
    },
    /// An object the release's bundle holds besides its CRDs.
    Shipped(Shipped),
}

/// A minimum Kubernetes minor that a release and channel need, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Floor {
    pub minor: KubeMinor,
    /// The fact (`the CEL IP library`).
    pub what: &'static str,
    /// The functions of the fact that the rules call, in the order first met (`isIP`); empty
    /// for facts that are not about functions.
    pub functions: Vec<String>,
    /// The first place that needs it: a rule of the version people use most (the storage
    /// version, then other versions served and not deprecated) before the others.
    pub example: Place,
    /// How many other rules (or shipped objects) need it; a place may hold several rules.
    pub others: usize,
}

impl Floor {
    /// `the CEL IP library (`isIP`)`.
    pub fn needs(&self) -> String {
        if self.functions.is_empty() {
            return self.what.to_owned();
        }
        let names: Vec<String> = self.functions.iter().map(|f| format!("`{f}`")).collect();
        format!("{} ({})", self.what, names.join(", "))
    }
}

/// What the CRDs of `store`'s kinds in `channel` and, for a bundled store, its release's
/// bundle need of Kubernetes: one [`Floor`] per fact used, lowest minor first. Every version
/// the channel's CRD lists is scanned, served or not: the API server checks the rules of
/// every version when the CRD is written.
pub fn floors(store: &Store, channel: Channel) -> Vec<Floor> {
    let mut found: Vec<Option<Floor>> = FACTS.iter().map(|_| None).collect();
    // Once per rule (or shipped object) that uses fact `i`, with the functions it calls.
    let mut note = |i: usize, place: &Place, functions: &[String]| {
        match &mut found[i] {
            None => {
                found[i] = Some(Floor {
                    minor: FACTS[i].since,
                    what: FACTS[i].what,
                    functions: Vec::new(),
                    example: place.clone(),
                    others: 0,
                })
            }
            Some(floor) => floor.others += 1,
        }
        let floor = found[i].as_mut().expect("set above");
        for f in functions {
            if !floor.functions.contains(f) {
                floor.functions.push(f.clone());
            }
        }
    };
    let mut rules: Vec<((bool, bool, bool), Place, &str)> = Vec::new();
    for kind in store.kinds() {
        if kind.channel.is_some_and(|c| c != channel) {
            continue;
        }
        for v in &kind.versions {
            let Some(listed) = v.in_channel(channel) else {
                continue;
            };
            let mut at = Vec::new();
            rules_of(&v.schema(channel).root, &mut String::new(), &mut at);
            for (field, rule) in at {
                let place = Place::Rule {
                    kind: kind.kind.clone(),
                    version: v.name.clone(),
                    field,
                };
                let rank = (!listed.served, listed.deprecated, !listed.storage);
                rules.push((rank, place, rule));
            }
        }
    }
    // The versions people use first, so that the example is one of theirs; the sort is
    // stable, so the store's order holds within each rank.
    rules.sort_by_key(|(rank, ..)| *rank);
    for (_, place, rule) in &rules {
        let code = without_strings(rule);
        for (i, fact) in FACTS.iter().enumerate() {
            match fact.needs {
                Needs::AnyRule => note(i, place, &[]),
                Needs::Functions(_) => {
                    let called = calls(i, &code);
                    if !called.is_empty() {
                        note(i, place, &called);
                    }
                }
                Needs::Api(_) => {}
            }
        }
    }
    if let Some(release) = store.release() {
        for shipped in &release.entry().ships {
            for (i, fact) in FACTS.iter().enumerate() {
                if fact.needs == Needs::Api(&shipped.api_version) {
                    note(i, &Place::Shipped(shipped.clone()), &[]);
                }
            }
        }
    }
    let mut out: Vec<Floor> = found.into_iter().flatten().collect();
    out.sort_by_key(|f| f.minor);
    out
}

/// Every CEL rule under `node`, with the field it sits on.
fn rules_of<'n>(node: &'n Node, path: &mut String, out: &mut Vec<(String, &'n str)>) {
    for r in &node.rules {
        out.push((path.clone(), r.rule.as_str()));
    }
    let len = path.len();
    for (key, child) in &node.properties {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        rules_of(child, path, out);
        path.truncate(len);
    }
    if let Some(items) = &node.items {
        path.push_str("[]");
        rules_of(items, path, out);
        path.truncate(len);
    }
    if let Some(super::Additional::Schema(values)) = &node.additional_properties {
        path.push_str(if path.is_empty() { "*" } else { ".*" });
        rules_of(values, path, out);
        path.truncate(len);
    }
    for sub in node.all_of.iter().chain(&node.one_of).chain(&node.any_of) {
        rules_of(sub, path, out);
    }
    if let Some(not) = &node.not {
        rules_of(not, path, out);
    }
}

/// The function names of fact `i` that `code` (an expression without its string literals)
/// calls, in the order first met, each once; for a namespace (`format.`) the whole name
/// (`format.dns1123Label`).
fn calls(i: usize, code: &str) -> Vec<String> {
    static PATTERNS: OnceLock<Vec<Vec<Regex>>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        FACTS
            .iter()
            .map(|f| match f.needs {
                Needs::Functions(names) => names.iter().map(|n| call_pattern(n)).collect(),
                _ => Vec::new(),
            })
            .collect()
    });
    let mut hits: Vec<(usize, String)> = patterns[i]
        .iter()
        .flat_map(|re| re.captures_iter(code))
        .filter_map(|c| c.get(1))
        .map(|m| (m.start(), m.as_str().to_owned()))
        .collect();
    hits.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, name) in hits {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A call of `name`, captured as group 1: not preceded by a letter, digit or `_` (so `ip(`
/// is not found in `isIP(`; a member call's `.` may precede it), then `(`. A namespace
/// (`format.`) is global, so no `.` may precede it, and a function name must follow it.
fn call_pattern(name: &str) -> Regex {
    let pattern = match name.strip_suffix('.') {
        Some(ns) => format!(
            r"(?:^|[^A-Za-z0-9_.])({}\.[A-Za-z_][A-Za-z0-9_]*)\s*\(",
            regex::escape(ns)
        ),
        None => format!(r"(?:^|[^A-Za-z0-9_])({})\s*\(", regex::escape(name)),
    };
    Regex::new(&pattern).expect("the function names in FACTS are plain identifiers")
}

/// `code` with every string literal emptied (`'...'`, `"..."`, triple-quoted and raw
/// forms), so that a pattern inside `matches('...')` is never read as a call.
fn without_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\'' && c != b'"' {
            // Multi-byte characters are copied whole: only ASCII quotes end this branch.
            let next = code[i..].find(['\'', '"']).map_or(code.len(), |n| i + n);
            out.push_str(&code[i..next]);
            i = next;
            continue;
        }
        let raw = out.ends_with(['r', 'R'])
            && !out[..out.len() - 1].ends_with(|p: char| p.is_ascii_alphanumeric() || p == '_');
        let triple = b[i..].starts_with(&[c, c, c]);
        let quote_len = if triple { 3 } else { 1 };
        let mut j = i + quote_len;
        loop {
            if j >= b.len() {
                break;
            }
            if b[j] == b'\\' && !raw {
                j += 2;
                continue;
            }
            if b[j] == c && (!triple || b[j..].starts_with(&[c, c, c])) {
                j += quote_len;
                break;
            }
            j += 1;
        }
        out.push(c as char);
        out.push(c as char);
        i = j.min(b.len());
    }
    out
}

/// A Kubernetes version as a person writes it: `1.31`, `v1.31` or `1.31.2` (the patch is
/// not needed and is dropped).
pub fn parse_version(s: &str) -> Result<KubeMinor, String> {
    static VERSION: OnceLock<Regex> = OnceLock::new();
    let re = VERSION.get_or_init(|| Regex::new(r"^v?1\.(\d{1,4})(?:\.\d{1,6})?$").unwrap());
    re.captures(s.trim())
        .and_then(|c| c[1].parse().ok())
        .map(|minor| KubeMinor(1, minor))
        .ok_or_else(|| {
            format!(
                "{s:?} is not a Kubernetes version; write its minor, such as 1.31 (v1.31 and 1.31.2 are read too)"
            )
        })
}

/// The minor an API server's `/version` gives: from `gitVersion` (`v1.31.4-gke.100`), else
/// from `major` and `minor` (which some offerings write `31+`). `None` when neither reads.
pub fn server_version(
    git_version: Option<&str>,
    major: Option<&str>,
    minor: Option<&str>,
) -> Option<KubeMinor> {
    static GIT: OnceLock<Regex> = OnceLock::new();
    let re = GIT.get_or_init(|| Regex::new(r"^v?(\d{1,4})\.(\d{1,4})(?:$|[.+-])").unwrap());
    if let Some(c) = git_version.and_then(|g| re.captures(g.trim())) {
        return Some(KubeMinor(c[1].parse().ok()?, c[2].parse().ok()?));
    }
    let digits = |s: &str| -> Option<u32> {
        let d: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
        if d.is_empty() || d.len() > 4 {
            return None;
        }
        d.parse().ok()
    };
    Some(KubeMinor(digits(major?)?, digits(minor?)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Release;

    fn fact(what: &str) -> usize {
        FACTS.iter().position(|f| f.what.contains(what)).unwrap()
    }

    fn found(what: &str, rule: &str) -> Vec<String> {
        calls(fact(what), &without_strings(rule))
    }

    #[test]
    fn calls_are_told_apart_by_name() {
        assert_eq!(found("IP library", "self.all(h, !isIP(h))"), ["isIP"]);
        assert_eq!(found("IP library", "ip(self).family() == 4"), ["ip"]);
        assert_eq!(
            found("IP library", "isIP(a) || ip (b).isLoopback()"),
            ["isIP", "ip"]
        );
        // `isIP(` is not `ip(`, a field named `ip` is not a call, and `zip(` is no library.
        assert!(found("CIDR", "isIP(x)").is_empty());
        assert!(found("IP library", "self.ip == 'a' && zip(x) && myip(y)").is_empty());
        assert_eq!(
            found("CIDR", "isCIDR(self) && cidr(self).prefixLength() < 8"),
            ["isCIDR", "cidr"]
        );
        assert!(found("CIDR", "self.isCIDRish(x)").is_empty());
        assert_eq!(
            found(
                "format",
                "size(self) == 0 || format.dns1123Label().validate(self) == null"
            ),
            ["format.dns1123Label"]
        );
        // The strings library's member `format` and a field named `format` are not the
        // format library.
        assert!(found("format", "'%s'.format([self.x])").is_empty());
        assert!(found("format", "self.format.size() > 0 && self.format == 'x'").is_empty());
        // Inside a string literal nothing is a call.
        assert!(found("IP library", "self.matches('isIP(x)')").is_empty());
        assert!(found("IP library", r#"self.matches("a\"ip(b")"#).is_empty());
        assert!(found("format", "self == '''format.x()'''").is_empty());
    }

    #[test]
    fn string_literals_are_emptied() {
        assert_eq!(
            without_strings(r"a.matches('x\'y') && b == 'é' && c"),
            "a.matches('') && b == '' && c"
        );
        assert_eq!(
            without_strings(r#"r'\d' + "q" + ''' x ' y '''"#),
            r#"r'' + "" + ''"#
        );
        // An unclosed literal runs to the end.
        assert_eq!(without_strings("a + 'unclosed ip("), "a + ''");
        assert_eq!(without_strings("'\\"), "''");
    }

    fn floors_of(release: &str, channel: Channel) -> Vec<Floor> {
        floors(
            &Store::for_release(Release::parse(release).unwrap()),
            channel,
        )
    }

    fn minors(floors: &[Floor]) -> Vec<(String, &'static str)> {
        floors
            .iter()
            .map(|f| (f.minor.to_string(), f.what))
            .collect()
    }

    #[test]
    fn v1_1_needs_only_cel_rules() {
        for channel in [Channel::Standard, Channel::Experimental] {
            for release in ["v1.1.0", "v1.1.1", "v1.2", "v1.3", "v1.4"] {
                let f = floors_of(release, channel);
                assert_eq!(f.len(), 1, "{release} {channel}: {f:#?}");
                assert_eq!(f[0].minor, KubeMinor(1, 25));
                assert_eq!(f[0].needs(), FACTS[0].what);
                assert!(f[0].others > 100, "{release} {channel}: {}", f[0].others);
                assert!(matches!(&f[0].example, Place::Rule { .. }));
            }
        }
    }

    /// Every rule is counted once: the CEL fact's example and others are all the rules of
    /// the CRDs, as many as upstream's CRD files hold (every version, served or not).
    #[test]
    fn every_rule_of_every_listed_version_is_scanned() {
        for (release, standard, experimental) in [
            ("v1.1.0", 222, 240),
            ("v1.2", 207, 244),
            ("v1.3", 219, 266),
            ("v1.4", 233, 311),
            ("v1.5.0", 279, 330),
            ("v1.5.1", 283, 334),
            ("v1.6", 295, 350),
        ] {
            for (channel, want) in [
                (Channel::Standard, standard),
                (Channel::Experimental, experimental),
            ] {
                let cel = &floors_of(release, channel)[0];
                assert_eq!(cel.others + 1, want, "{release} {channel}");
            }
        }
    }

    #[test]
    fn v1_5_standard_needs_the_ip_library_for_tlsroute_v1() {
        for release in ["v1.5.0", "v1.5.1", "v1.6"] {
            let f = floors_of(release, Channel::Standard);
            assert_eq!(
                minors(&f),
                [
                    ("1.25".into(), FACTS[0].what),
                    ("1.30".into(), FACTS[fact("ValidatingAdmissionPolicy")].what),
                    ("1.31".into(), "the CEL IP library"),
                ],
                "{release}"
            );
            let ip = &f[2];
            assert_eq!(ip.needs(), "the CEL IP library (`isIP`)");
            assert_eq!(
                ip.example,
                Place::Rule {
                    kind: "TLSRoute".into(),
                    version: "v1".into(),
                    field: "spec.hostnames".into()
                }
            );
            let vap = &f[1];
            assert_eq!(
                vap.example,
                Place::Shipped(Shipped {
                    api_version: "admissionregistration.k8s.io/v1".into(),
                    kind: "ValidatingAdmissionPolicy".into()
                })
            );
            assert_eq!(vap.others, 1, "the binding");
        }
    }

    #[test]
    fn v1_6_experimental_needs_the_format_library_for_xbackend() {
        let f = floors_of("v1.6", Channel::Experimental);
        let last = f.last().unwrap();
        assert_eq!(last.minor, KubeMinor(1, 32));
        assert_eq!(
            last.needs(),
            "the CEL format library (`format.dns1123Label`)"
        );
        assert!(
            matches!(&last.example, Place::Rule { kind, version, field }
                if kind == "XBackend" && version == "v1alpha1" && field.ends_with("port.name")),
            "{:?}",
            last.example
        );
        assert_eq!(last.others, 0);
        // Experimental TLSRoute also serves v1alpha3 (deprecated) with the same rules; the
        // example is the storage version's.
        let ip = f.iter().find(|f| f.what == "the CEL IP library").unwrap();
        assert_eq!(ip.others, 1, "{ip:?}");
        assert!(
            matches!(&ip.example, Place::Rule { version, .. } if version == "v1"),
            "{ip:?}"
        );
        assert!(
            !floors_of("v1.5.1", Channel::Experimental)
                .iter()
                .any(|f| f.minor > KubeMinor(1, 31))
        );
    }

    /// Every function a bundled rule calls, in every release and channel, is one Kubernetes
    /// has had since CEL rules came to CRDs, or one a fact matches: a release that starts
    /// using another library fails here until the library's fact is added to [`FACTS`].
    #[test]
    fn every_function_the_bundled_rules_call_is_known() {
        // Standard CEL functions and macros, the extended strings library, and the
        // Kubernetes list, regex and URL libraries: all in Kubernetes 1.25.
        const SINCE_1_25: &[&str] = &[
            "has",
            "all",
            "exists",
            "exists_one",
            "map",
            "filter",
            "size",
            "matches",
            "startsWith",
            "endsWith",
            "contains",
            "duration",
            "timestamp",
            "int",
            "uint",
            "double",
            "string",
            "bool",
            "bytes",
            "type",
            "dyn",
            "getSeconds",
            "charAt",
            "indexOf",
            "lastIndexOf",
            "lowerAscii",
            "upperAscii",
            "replace",
            "split",
            "join",
            "substring",
            "trim",
            "isSorted",
            "sum",
            "min",
            "max",
            "find",
            "findAll",
            "isURL",
            "url",
            "getScheme",
            "getHost",
            "getHostname",
            "getPort",
            "getEscapedPath",
            "getQuery",
        ];
        // Members of what a fact's functions return (a named format's `validate`).
        const MEMBERS: &[(&str, &str)] = &[("validate", "format")];
        let call = Regex::new(r"(?:^|[^A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)\s*\(").unwrap();
        let mut unknown = Vec::new();
        let mut seen = 0;
        for release in Release::all() {
            let store = Store::for_release(release);
            for channel in [Channel::Standard, Channel::Experimental] {
                for kind in store.kinds() {
                    for v in kind
                        .versions
                        .iter()
                        .filter(|v| v.in_channel(channel).is_some())
                    {
                        let mut at = Vec::new();
                        rules_of(&v.schema(channel).root, &mut String::new(), &mut at);
                        for (_, rule) in at {
                            seen += 1;
                            let code = without_strings(rule);
                            let matched: Vec<(usize, Vec<String>)> = (0..FACTS.len())
                                .map(|i| (i, calls(i, &code)))
                                .filter(|(_, c)| !c.is_empty())
                                .collect();
                            for c in call.captures_iter(&code) {
                                let name = &c[1];
                                let by_fact = matched.iter().any(|(i, names)| {
                                    names
                                        .iter()
                                        .any(|n| n == name || n.ends_with(&format!(".{name}")))
                                        || MEMBERS.iter().any(|(m, what)| {
                                            *m == name && FACTS[*i].what.contains(what)
                                        })
                                });
                                if !SINCE_1_25.contains(&name) && !by_fact {
                                    unknown.push(format!(
                                        "{release} {channel} {}: {name} in {rule}",
                                        kind.kind
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(seen > 1000, "{seen} rules");
        assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    }

    #[test]
    fn versions_read_as_people_write_them() {
        for (s, want) in [
            ("1.31", 31),
            ("v1.31", 31),
            ("1.31.2", 31),
            (" 1.9 ", 9),
            ("1.100", 100),
        ] {
            assert_eq!(parse_version(s), Ok(KubeMinor(1, want)), "{s}");
        }
        for bad in [
            "",
            "1",
            "31",
            "v",
            "1.",
            "1.31.",
            "1.31.2.1",
            "2.31",
            "1.31+",
            "v1.31.4-gke.100",
            "1.x",
            "1.-1",
            "one.31",
            "1.99999",
            "1.31 .2",
        ] {
            let e = parse_version(bad).unwrap_err();
            assert!(e.contains("such as 1.31"), "{bad}: {e}");
        }
    }

    #[test]
    fn server_versions_read_from_git_version_or_fields() {
        let v = |g: Option<&str>, ma: Option<&str>, mi: Option<&str>| server_version(g, ma, mi);
        assert_eq!(
            v(Some("v1.31.4-gke.100"), None, None),
            Some(KubeMinor(1, 31))
        );
        assert_eq!(v(Some("v1.30.2+k3s1"), None, None), Some(KubeMinor(1, 30)));
        assert_eq!(
            v(Some("v1.29.0"), Some("1"), Some("28")),
            Some(KubeMinor(1, 29))
        );
        assert_eq!(
            v(Some("garbage"), Some("1"), Some("31+")),
            Some(KubeMinor(1, 31))
        );
        assert_eq!(v(None, Some("1"), Some("27")), Some(KubeMinor(1, 27)));
        assert_eq!(v(Some(""), Some("1"), Some("+")), None);
        assert_eq!(v(None, None, Some("31")), None);
        assert_eq!(v(Some("v1.3a"), None, None), None);
        assert_eq!(v(Some("v99999999999.1"), None, None), None);
    }
}
