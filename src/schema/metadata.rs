//! An object's `metadata`, checked as the API server checks a custom resource's ObjectMeta.
//!
//! Owns what the structural schema leaves out: a CRD's schema says nothing about `metadata`,
//! and the API server instead decodes it strictly into its ObjectMeta type (unknown fields and
//! values of the wrong type refuse the request) and then validates it. This module does both:
//!
//! - the fields ObjectMeta has and their types, inside `ownerReferences` and `managedFields`
//!   entries too (GW101 unknown field, GW103 wrong type; a timestamp that is not RFC 3339 is
//!   GW111, a missing or empty owner reference field GW104);
//! - label keys and values, annotation keys, finalizer names, `generateName` as a prefix of a
//!   DNS-subdomain name, owner references' `apiVersion`, their one controller and their
//!   banned kinds, and the two finalizers that exclude each other (GW117);
//! - the total size of the annotations, 256 KiB (GW108, a "too long" finding, which stops the
//!   CEL rules as the API server's TooLong error does);
//! - finalizer names without a domain and path, which the API server accepts with a warning
//!   (GW118).
//!
//! `metadata.name` and `metadata.namespace` of a whole object are the loader's: it reports
//! their types and syntax for every kind (GW023, GW024, `crate::load`), so they are left out
//! here, except for their types inside embedded resources, which the loader does not see.
//! Fields the API server sets or resets itself on create (`generation`, `uid`,
//! `managedFields`' contents, timestamps) are checked only for what makes decoding fail.

use serde_json::{Map, Value};

use super::messages::{found, quote_str, suggest, unique_suggestion};
use super::rules;
use super::validate::{Suggestion, Violation, swapped_letters};
use crate::diag::RuleMeta;
use crate::fieldpath::FieldPath;

/// The API server's limit on the keys and values of all annotations together, in bytes.
pub const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// Finalizer names the API server knows without a domain: the garbage collector's and the
/// namespace controller's.
const STANDARD_FINALIZERS: &[&str] = &["orphan", "foregroundDeletion", "kubernetes"];

/// The type a field of ObjectMeta (or of an entry in one of its lists) decodes into.
#[derive(Clone, Copy)]
enum Ty {
    String,
    Int,
    Bool,
    /// `metav1.Time`: an RFC 3339 string.
    Time,
    /// A map of strings (labels, annotations).
    StringMap,
    /// A list of strings (finalizers).
    StringList,
    OwnerReferences,
    ManagedFields,
    /// Any JSON (`fieldsV1`).
    Any,
}

/// ObjectMeta's fields in the order the API documents them, and their types.
const OBJECT_META: &[(&str, Ty)] = &[
    ("name", Ty::String),
    ("generateName", Ty::String),
    ("namespace", Ty::String),
    ("selfLink", Ty::String),
    ("uid", Ty::String),
    ("resourceVersion", Ty::String),
    ("generation", Ty::Int),
    ("creationTimestamp", Ty::Time),
    ("deletionTimestamp", Ty::Time),
    ("deletionGracePeriodSeconds", Ty::Int),
    ("labels", Ty::StringMap),
    ("annotations", Ty::StringMap),
    ("ownerReferences", Ty::OwnerReferences),
    ("finalizers", Ty::StringList),
    ("managedFields", Ty::ManagedFields),
];

const OWNER_REFERENCE: &[(&str, Ty)] = &[
    ("apiVersion", Ty::String),
    ("kind", Ty::String),
    ("name", Ty::String),
    ("uid", Ty::String),
    ("controller", Ty::Bool),
    ("blockOwnerDeletion", Ty::Bool),
];

const MANAGED_FIELDS_ENTRY: &[(&str, Ty)] = &[
    ("manager", Ty::String),
    ("operation", Ty::String),
    ("apiVersion", Ty::String),
    ("time", Ty::Time),
    ("fieldsType", Ty::String),
    ("fieldsV1", Ty::Any),
    ("subresource", Ty::String),
];

/// Checks `meta`, the value of `metadata` at `at`, adding what is wrong to `out`. `root`: the
/// object's own metadata (whose name and namespace the loader checks), not that of an
/// embedded resource.
pub(super) fn check(meta: &Value, at: FieldPath, root: bool, out: &mut Vec<Violation>) {
    let mut c = Meta { out };
    let Value::Object(m) = meta else {
        c.push(&rules::TYPE, at, false, expected("a mapping", meta));
        return;
    };
    c.fields(m, &at, OBJECT_META, "metadata", |key| {
        // The loader checks these for the whole object.
        root && matches!(key, "name" | "namespace")
    });
    if let Some(Value::Object(labels)) = m.get("labels") {
        c.labels(labels, &at.key("labels"));
    }
    if let Some(Value::Object(annotations)) = m.get("annotations") {
        c.annotations(annotations, &at.key("annotations"));
    }
    if let Some(Value::Array(finalizers)) = m.get("finalizers") {
        c.finalizers(finalizers, &at.key("finalizers"));
    }
    if let Some(Value::Array(refs)) = m.get("ownerReferences") {
        c.owner_references(refs, &at.key("ownerReferences"));
    }
    if root && let Some(Value::String(prefix)) = m.get("generateName") {
        c.generate_name(prefix, &at.key("generateName"));
    }
}

struct Meta<'o> {
    out: &'o mut Vec<Violation>,
}

impl Meta<'_> {
    fn push(&mut self, rule: &'static RuleMeta, path: FieldPath, on_key: bool, message: String) {
        self.out.push(Violation {
            rule,
            path,
            on_key,
            message,
            related: Vec::new(),
            fix: None,
        });
    }

    /// The fields of one mapping of a known shape (`fields`), named `what` in messages:
    /// unknown ones, and the types of known ones. `skip` names fields checked elsewhere.
    fn fields(
        &mut self,
        m: &Map<String, Value>,
        at: &FieldPath,
        fields: &[(&'static str, Ty)],
        what: &str,
        skip: impl Fn(&str) -> bool,
    ) {
        for (key, v) in m {
            let path = at.key(key.clone());
            match fields.iter().find(|(name, _)| name == key) {
                Some(_) if skip(key) => {}
                Some((_, ty)) => self.typed(v, *ty, path),
                None => self.unknown(key, path, fields, what),
            }
        }
    }

    fn unknown(&mut self, key: &str, path: FieldPath, fields: &[(&str, Ty)], what: &str) {
        let names = || fields.iter().map(|(n, _)| *n);
        let message = match suggest(key, names()) {
            Some(s) => format!(
                "unknown field {} in {what} (did you mean {}?)",
                quote_str(key),
                quote_str(s)
            ),
            None => format!(
                "unknown field {} in {what}; expected one of: {}",
                quote_str(key),
                names().collect::<Vec<_>>().join(", ")
            ),
        };
        let fix = unique_suggestion(key, names()).map(|(to, distance)| Suggestion::RenameKey {
            to: to.to_owned(),
            safe: distance <= 1 || swapped_letters(key, to),
        });
        self.out.push(Violation {
            rule: &rules::UNKNOWN_FIELD,
            path,
            on_key: true,
            message,
            related: Vec::new(),
            fix,
        });
    }

    /// Whether `v` decodes into `ty`, as Go's JSON decoder has it: `null` leaves any field
    /// unset, and is always accepted.
    fn typed(&mut self, v: &Value, ty: Ty, path: FieldPath) {
        if v.is_null() {
            return;
        }
        match ty {
            Ty::String => self.string(v, path),
            Ty::Int if !is_int64(v) => {
                self.push(&rules::TYPE, path, false, expected("an integer", v));
            }
            Ty::Bool if !v.is_boolean() => {
                self.push(&rules::TYPE, path, false, expected("a boolean", v));
            }
            Ty::Time => match v {
                Value::String(s) if !is_go_rfc3339(s) => self.push(
                    &rules::FORMAT,
                    path,
                    false,
                    format!(
                        "{} is not an RFC 3339 time such as \"2024-05-08T10:00:00Z\"",
                        quote_str(s)
                    ),
                ),
                Value::String(_) => {}
                _ => self.push(&rules::TYPE, path, false, expected("a string", v)),
            },
            Ty::StringMap => match v {
                // A null value is the empty string, as Go decodes it into a map of strings.
                Value::Object(m) => {
                    for (k, item) in m {
                        if !item.is_null() {
                            self.string(item, path.key(k.clone()));
                        }
                    }
                }
                _ => self.push(&rules::TYPE, path, false, expected("a mapping", v)),
            },
            Ty::StringList => match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if !item.is_null() {
                            self.string(item, path.index(i));
                        }
                    }
                }
                _ => self.push(&rules::TYPE, path, false, expected("a list", v)),
            },
            Ty::OwnerReferences => {
                self.entries(v, path, OWNER_REFERENCE, "an owner reference");
            }
            Ty::ManagedFields => {
                self.entries(v, path, MANAGED_FIELDS_ENTRY, "a managedFields entry");
            }
            Ty::Int | Ty::Bool | Ty::Any => {}
        }
    }

    /// A string where one is expected; a boolean gets the quoting fix, as elsewhere.
    fn string(&mut self, v: &Value, path: FieldPath) {
        if v.is_string() {
            return;
        }
        let fix = v.is_boolean().then_some(Suggestion::Quote);
        self.out.push(Violation {
            rule: &rules::TYPE,
            path,
            on_key: false,
            message: expected("a string", v),
            related: Vec::new(),
            fix,
        });
    }

    /// A list of mappings of a known shape.
    fn entries(&mut self, v: &Value, path: FieldPath, fields: &[(&'static str, Ty)], what: &str) {
        let Value::Array(items) = v else {
            self.push(&rules::TYPE, path, false, expected("a list", v));
            return;
        };
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Object(m) => self.fields(m, &path.index(i), fields, what, |_| false),
                // Go decodes null into an empty entry, which the checks below then see.
                Value::Null => {}
                _ => self.push(
                    &rules::TYPE,
                    path.index(i),
                    false,
                    expected("a mapping", item),
                ),
            }
        }
    }

    fn labels(&mut self, labels: &Map<String, Value>, at: &FieldPath) {
        for (k, v) in labels {
            let path = at.key(k.clone());
            if let Some(why) = qualified_name_problems(k) {
                let message = format!("label key {} is invalid: {why}", quote_str(k));
                self.push(&rules::METADATA, path.clone(), true, message);
            }
            if let Value::String(v) = v
                && let Some(why) = label_value_problems(v)
            {
                let message = format!("label value {} is invalid: {why}", quote_str(v));
                self.push(&rules::METADATA, path, false, message);
            }
        }
    }

    fn annotations(&mut self, annotations: &Map<String, Value>, at: &FieldPath) {
        let mut total = 0;
        for (k, v) in annotations {
            // Keys are checked as qualified names in lower case: the prefix may be in any case.
            if let Some(why) = qualified_name_problems(&k.to_lowercase()) {
                let message = format!("annotation key {} is invalid: {why}", quote_str(k));
                self.push(&rules::METADATA, at.key(k.clone()), true, message);
            }
            total += k.len() + v.as_str().map_or(0, str::len);
        }
        if total > ANNOTATIONS_MAX_BYTES {
            let message = format!(
                "annotations are too long: {total} bytes of keys and values in all, at most {ANNOTATIONS_MAX_BYTES} (256 KiB) allowed"
            );
            self.push(&rules::LENGTH, at.clone(), false, message);
        }
    }

    fn finalizers(&mut self, finalizers: &[Value], at: &FieldPath) {
        let mut seen = (false, false);
        for (i, f) in finalizers.iter().enumerate() {
            // Go decodes a null item into the empty string.
            let name = match f {
                Value::String(s) => s.as_str(),
                Value::Null => "",
                _ => continue,
            };
            let path = at.index(i);
            if let Some(why) = qualified_name_problems(name) {
                let message = format!("finalizer {} is invalid: {why}", quote_str(name));
                self.push(&rules::METADATA, path, false, message);
                continue;
            }
            match name {
                "orphan" => seen.0 = true,
                "foregroundDeletion" => seen.1 = true,
                _ => {}
            }
            if !name.contains('/') && !STANDARD_FINALIZERS.contains(&name) {
                let message = if name.contains('.') {
                    format!(
                        "finalizer {} has no path: the API server warns about it; name it like {} so that it cannot clash with another controller's",
                        quote_str(name),
                        quote_str(&format!("{name}/finalizer"))
                    )
                } else {
                    format!(
                        "finalizer {} is not domain-qualified: the API server warns about it; name it like {} so that it cannot clash with another controller's",
                        quote_str(name),
                        quote_str(&format!("example.com/{name}"))
                    )
                };
                self.push(&rules::UNQUALIFIED_FINALIZER, path, false, message);
            }
        }
        if seen == (true, true) {
            self.push(
                &rules::METADATA,
                at.clone(),
                false,
                "finalizers \"orphan\" and \"foregroundDeletion\" cannot both be set: they ask for opposite ways of deleting the object's dependents".into(),
            );
        }
    }

    fn owner_references(&mut self, refs: &[Value], at: &FieldPath) {
        let mut controller: Option<String> = None;
        let empty = Map::new();
        for (i, r) in refs.iter().enumerate() {
            let m = match r {
                Value::Object(m) => m,
                Value::Null => &empty,
                _ => continue,
            };
            let path = at.index(i);
            let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default();
            for field in ["apiVersion", "kind", "name", "uid"] {
                // A value of the wrong type is reported as such already.
                if m.get(field).is_some_and(|v| !v.is_null() && !v.is_string()) {
                    continue;
                }
                if text(field).is_empty() {
                    let (p, message) = match m.get(field) {
                        Some(Value::String(_)) => (
                            path.key(field),
                            format!("{} must not be empty", quote_str(field)),
                        ),
                        _ => (
                            path.clone(),
                            format!("missing required field {}", quote_str(field)),
                        ),
                    };
                    self.push(&rules::REQUIRED, p, false, message);
                }
            }
            let api_version = text("apiVersion");
            let group_version = parse_group_version(api_version);
            if !api_version.is_empty() && group_version.is_none() {
                self.push(
                    &rules::METADATA,
                    path.key("apiVersion"),
                    false,
                    format!(
                        "owner reference apiVersion {} is invalid: expected `group/version` or `version`, such as \"gateway.networking.k8s.io/v1\"",
                        quote_str(api_version)
                    ),
                );
            }
            if group_version.is_some_and(|(g, v)| g.is_empty() && v == "v1")
                && text("kind") == "Event"
            {
                self.push(
                    &rules::METADATA,
                    path.clone(),
                    false,
                    "an Event (v1) cannot be an object's owner".into(),
                );
            }
            if m.get("controller") == Some(&Value::Bool(true)) {
                let this = format!("{}/{}", text("kind"), text("name"));
                match &controller {
                    Some(first) => self.push(
                        &rules::METADATA,
                        path.key("controller"),
                        false,
                        format!(
                            "only one owner reference may have `controller: true`, but {first} and {this} both have it"
                        ),
                    ),
                    None => controller = Some(this),
                }
            }
        }
    }

    /// `generateName` is the start of a name the API server completes with random
    /// characters; the API server checks it as the name it would make, with a trailing `-`
    /// allowed, and in its way: a trailing `-` and the character before it count as `a`.
    fn generate_name(&mut self, prefix: &str, at: &FieldPath) {
        if prefix.is_empty() {
            return;
        }
        let masked = match prefix.strip_suffix('-') {
            Some(_) if prefix.len() > 1 => {
                let cut = prefix.len() - 2;
                prefix.get(..cut).map(|head| format!("{head}a"))
            }
            _ => Some(prefix.to_owned()),
        };
        if masked.is_some_and(|m| is_dns_subdomain(&m)) {
            return;
        }
        let message = format!(
            "generateName {} is not a valid name prefix: the generated name must be a DNS subdomain (at most 253 lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit); a final `-` is allowed",
            quote_str(prefix)
        );
        self.push(&rules::METADATA, at.clone(), false, message);
    }
}

fn expected(what: &str, v: &Value) -> String {
    format!("expected {what}, found {}", found(v))
}

/// A JSON number that Go decodes into an `int64`: integral and in range.
fn is_int64(v: &Value) -> bool {
    match v {
        // -2^63 up to, not including, 2^63.
        Value::Number(n) => {
            n.is_i64()
                || n.as_f64().is_some_and(|f| {
                    !n.is_u64()
                        && f.fract() == 0.0
                        && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
                })
        }
        _ => false,
    }
}

/// `group/version` or `version` as the API server splits an owner reference's
/// `apiVersion`: at most one `/`, and a version after it.
fn parse_group_version(s: &str) -> Option<(&str, &str)> {
    let (group, version) = match s.split_once('/') {
        Some((_, rest)) if rest.contains('/') => return None,
        Some((g, v)) => (g, v),
        None => ("", s),
    };
    (!version.is_empty()).then_some((group, version))
}

/// Why `s` is not what Kubernetes calls a qualified name (label keys, annotation keys,
/// finalizers): an optional DNS-subdomain prefix and `/`, then a name of at most 63
/// letters, digits, `-`, `_` and `.` that starts and ends with a letter or digit.
fn qualified_name_problems(s: &str) -> Option<String> {
    let mut why = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                why.push("the prefix before `/` is empty".to_owned());
            } else if !is_dns_subdomain(prefix) {
                why.push(format!(
                    "the prefix {} is not a DNS subdomain (at most 253 lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit)",
                    quote_str(prefix)
                ));
            }
            *name
        }
        _ => {
            return Some(
                "it has more than one `/`; it must be a name with an optional DNS-subdomain prefix and `/`, such as \"example.com/my-name\"".into(),
            );
        }
    };
    if name.is_empty() {
        why.push("the name part is empty".into());
    } else {
        if name.len() > 63 {
            why.push(format!(
                "the name part is {} bytes long, at most 63 allowed",
                name.len()
            ));
        }
        if !is_label_token(name) {
            why.push("the name part must consist of letters, digits, `-`, `_` and `.`, and start and end with a letter or digit".into());
        }
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// Why `v` is not a valid label value: at most 63 characters, empty or a token as in a
/// qualified name.
fn label_value_problems(v: &str) -> Option<String> {
    let mut why = Vec::new();
    if v.len() > 63 {
        why.push(format!("it is {} bytes long, at most 63 allowed", v.len()));
    }
    if !v.is_empty() && !is_label_token(v) {
        why.push("it must be empty or consist of letters, digits, `-`, `_` and `.`, and start and end with a letter or digit".into());
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, whole.
fn is_label_token(s: &str) -> bool {
    let b = s.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A DNS-1123 subdomain: at most 253 characters, labels of lower-case letters, digits and
/// `-` that start and end with a letter or digit, separated by single dots.
fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            match (b.first(), b.last()) {
                (Some(f), Some(l)) => {
                    (f.is_ascii_lowercase() || f.is_ascii_digit())
                        && (l.is_ascii_lowercase() || l.is_ascii_digit())
                        && b.iter()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                }
                _ => false,
            }
        })
}

/// Go's `time.Parse(time.RFC3339, s)`, which `metav1.Time` uses (its general parser, which
/// is more lenient than RFC 3339): `2006-01-02T15:04:05` with an hour of one or two digits,
/// an optional fraction of a second (`.` or `,` and digits), then `Z` or an offset
/// `+hh:mm`/`-hh:mm` of at most 24 hours and 60 minutes; the day within its month, the
/// hour below 24, minutes and seconds below 60.
fn is_go_rfc3339(s: &str) -> bool {
    let mut p = Cursor(s.as_bytes());
    let date = (|| {
        let year = p.digits(4)?;
        p.lit(b'-')?;
        let month = p.digits(2)?;
        p.lit(b'-')?;
        let day = p.digits(2)?;
        p.lit(b'T')?;
        let hour = p.hour()?;
        p.lit(b':')?;
        let min = p.digits(2)?;
        p.lit(b':')?;
        let sec = p.digits(2)?;
        Some((year, month, day, hour, min, sec))
    })();
    let Some((year, month, day, hour, min, sec)) = date else {
        return false;
    };
    let Some(days) = super::formats::days_in_month(year, month) else {
        return false;
    };
    if !(1..=days).contains(&day) || hour > 23 || min > 59 || sec > 59 {
        return false;
    }
    if let [b'.' | b',', d, ..] = p.0
        && d.is_ascii_digit()
    {
        let n = p.0[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        p.0 = &p.0[1 + n..];
    }
    match p.0 {
        b"Z" => true,
        [b'+' | b'-', rest @ ..] => {
            let mut z = Cursor(rest);
            let offset = (|| {
                let h = z.digits(2)?;
                z.lit(b':')?;
                Some((h, z.digits(2)?))
            })();
            z.0.is_empty() && offset.is_some_and(|(h, m)| h <= 24 && m <= 60)
        }
        _ => false,
    }
}

/// What is left of a text being parsed.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let part = self.0.get(..n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.0 = &self.0[n..];
        Some(part.iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')))
    }

    /// One or two digits, as Go reads the hour of `15:04`.
    fn hour(&mut self) -> Option<u32> {
        match self.0 {
            [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => self.digits(2),
            [a, ..] if a.is_ascii_digit() => self.digits(1),
            _ => None,
        }
    }

    fn lit(&mut self, c: u8) -> Option<()> {
        let rest = self.0.strip_prefix(&[c])?;
        self.0 = rest;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(meta: Value) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        check(&meta, FieldPath::root().key("metadata"), true, &mut out);
        out.into_iter()
            .map(|v| (v.rule.code, v.path.to_string(), v.message))
            .collect()
    }

    fn codes(meta: Value) -> Vec<(&'static str, String)> {
        run(meta).into_iter().map(|(c, p, _)| (c, p)).collect()
    }

    #[test]
    fn qualified_names_as_the_api_server_checks_them() {
        for ok in [
            "a",
            "app",
            "App_1.x-y",
            "example.com/name",
            "app.kubernetes.io/name",
            "a.b/C",
            &"x".repeat(63),
            &format!("{}/x", "a".repeat(253)),
        ] {
            assert_eq!(qualified_name_problems(ok), None, "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a b",
            "a/b/c",
            "/a",
            "a/",
            "Example.com/a",
            "exa_mple.com/a",
            "é",
            &"x".repeat(64),
            &format!("{}/x", "a".repeat(254)),
        ] {
            assert!(qualified_name_problems(bad).is_some(), "{bad}");
        }
        assert_eq!(label_value_problems(""), None);
        assert_eq!(label_value_problems("v1.2_3-x"), None);
        assert!(label_value_problems("a/b").is_some());
        assert!(label_value_problems(&"x".repeat(64)).is_some());
        assert!(label_value_problems("-a").is_some());
    }

    #[test]
    fn labels_annotations_and_their_types() {
        let found = codes(json!({
            "name": "web",
            "labels": {"app": "web", "bad key": "x", "ok": "bad value!", "version": 1, "empty": null, "flag": true},
            "annotations": {"Example.COM/Note": "free text: anything", "a/b/c": "x", "n": 2},
        }));
        assert_eq!(
            found,
            [
                ("GW103", "metadata.labels.version".into()),
                ("GW103", "metadata.labels.flag".into()),
                ("GW103", "metadata.annotations.n".into()),
                ("GW117", "metadata.labels[\"bad key\"]".into()),
                ("GW117", "metadata.labels.ok".into()),
                ("GW117", "metadata.annotations[\"a/b/c\"]".into()),
            ]
        );
        let too_big = "x".repeat(ANNOTATIONS_MAX_BYTES);
        let found = run(json!({"annotations": {"a": too_big}}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "GW108");
        assert!(
            found[0].2.contains("too long: 262145 bytes"),
            "{}",
            found[0].2
        );
        assert!(
            run(json!({"annotations": {"a": "x".repeat(ANNOTATIONS_MAX_BYTES - 1)}})).is_empty()
        );
    }

    #[test]
    fn unknown_fields_and_types() {
        let found = run(json!({
            "name": 7, "namespace": [], "lables": {}, "bogus": 1, "generation": 1.5,
            "uid": "u", "creationTimestamp": "2024-05-08 10:00:00", "deletionTimestamp": null,
            "labels": [], "finalizers": "x",
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "s", "uid": "1", "ctrl": true}],
            "managedFields": [{"manager": "kubectl", "operation": "Apply", "time": 5, "fieldsV1": {"f:spec": {}}}],
        }));
        let got: Vec<(&str, &str)> = found.iter().map(|(c, p, _)| (*c, p.as_str())).collect();
        assert_eq!(
            got,
            [
                ("GW101", "metadata.lables"),
                ("GW101", "metadata.bogus"),
                ("GW103", "metadata.generation"),
                ("GW111", "metadata.creationTimestamp"),
                ("GW103", "metadata.labels"),
                ("GW103", "metadata.finalizers"),
                ("GW101", "metadata.ownerReferences[0].ctrl"),
                ("GW103", "metadata.managedFields[0].time"),
            ]
        );
        assert_eq!(
            found[0].2,
            "unknown field \"lables\" in metadata (did you mean \"labels\"?)"
        );
        assert!(
            found[1]
                .2
                .contains("expected one of: name, generateName, namespace"),
            "{}",
            found[1].2
        );
        // In an embedded resource the loader does not check name and namespace.
        let mut out = Vec::new();
        check(
            &json!({"name": 7}),
            FieldPath::root().key("template").key("metadata"),
            false,
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule.code, "GW103");
        // Not a mapping at all.
        let mut out = Vec::new();
        check(
            &json!([1]),
            FieldPath::root().key("metadata"),
            true,
            &mut out,
        );
        assert_eq!(out[0].message, "expected a mapping, found a list");
    }

    #[test]
    fn finalizers() {
        let found = run(json!({"finalizers": [
            "example.com/cleanup", "kubernetes", "orphan", "foregroundDeletion", "cleanup",
            "cleanup.example.com", "bad name", null, 3,
        ]}));
        let got: Vec<(&str, &str)> = found.iter().map(|(c, p, _)| (*c, p.as_str())).collect();
        assert_eq!(
            got,
            [
                ("GW103", "metadata.finalizers[8]"),
                ("GW118", "metadata.finalizers[4]"),
                ("GW118", "metadata.finalizers[5]"),
                ("GW117", "metadata.finalizers[6]"),
                ("GW117", "metadata.finalizers[7]"),
                ("GW117", "metadata.finalizers"),
            ]
        );
        assert!(
            found[1].2.contains("\"example.com/cleanup\""),
            "{}",
            found[1].2
        );
        assert!(
            found[2].2.contains("\"cleanup.example.com/finalizer\""),
            "{}",
            found[2].2
        );
    }

    #[test]
    fn owner_references() {
        let found = run(json!({"ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "1", "controller": true},
            {"apiVersion": "a/b/c", "kind": "X", "name": "", "controller": true},
            {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "3"},
            {"apiVersion": "apps/", "kind": "X", "name": "x", "uid": 4},
            null,
        ]}));
        let got: Vec<(&str, &str)> = found.iter().map(|(c, p, _)| (*c, p.as_str())).collect();
        assert_eq!(
            got,
            [
                ("GW103", "metadata.ownerReferences[3].uid"),
                ("GW104", "metadata.ownerReferences[1].name"),
                ("GW104", "metadata.ownerReferences[1]"),
                ("GW117", "metadata.ownerReferences[1].apiVersion"),
                ("GW117", "metadata.ownerReferences[1].controller"),
                ("GW117", "metadata.ownerReferences[2]"),
                ("GW117", "metadata.ownerReferences[3].apiVersion"),
                ("GW104", "metadata.ownerReferences[4]"),
                ("GW104", "metadata.ownerReferences[4]"),
                ("GW104", "metadata.ownerReferences[4]"),
                ("GW104", "metadata.ownerReferences[4]"),
            ]
        );
        assert_eq!(found[2].2, "missing required field \"uid\"");
        assert!(found[4].2.contains("Deployment/d and X/"), "{}", found[4].2);
    }

    #[test]
    fn generate_name_is_a_prefix_of_a_subdomain() {
        for ok in ["web-", "web", "a.b-", "x", "a-"] {
            assert!(
                run(json!({"name": "n", "generateName": ok})).is_empty(),
                "{ok}"
            );
        }
        // The API server masks a final `-` by replacing it and the character before it.
        assert!(run(json!({"name": "n", "generateName": "a.-"})).is_empty());
        for bad in ["Web-", "web_", "web.", "-web", "a..b-", "-"] {
            assert_eq!(
                codes(json!({"name": "n", "generateName": bad})).len(),
                1,
                "{bad}"
            );
        }
    }

    #[test]
    fn rfc3339_as_go_parses_it() {
        for ok in [
            "2024-05-08T10:00:00Z",
            "2024-02-29T23:59:59.123456789+01:00",
            "1970-01-01T00:00:00-23:59",
            // Go's general parser: a one-digit hour, a comma, a 24-hour offset.
            "2024-05-08T1:00:00Z",
            "2024-05-08T10:00:00,5Z",
            "2024-05-08T10:00:00+24:00",
            "2024-05-08T10:00:00-00:60",
        ] {
            assert!(is_go_rfc3339(ok), "{ok}");
        }
        for bad in [
            "",
            "2024-05-08",
            "2024-05-08t10:00:00Z",
            "2024-05-08T10:00:00z",
            "2024-05-08T10:00:00",
            "2024-05-08 10:00:00Z",
            "2023-02-29T10:00:00Z",
            "2024-05-08T24:00:00Z",
            "2024-05-08T10:00:60Z",
            "2024-05-08T10:00:00.Z",
            "2024-05-08T10:00:00+25:00",
            "2024-05-08T10:00:00+0100",
            "2024-05-08T10:00:00+01:00:00",
            "2024-05-08T100:00:00Z",
            "2024-5-08T10:00:00Z",
            "+024-05-08T10:00:00Z",
            "2024-05-08T10:00:00Zx",
            "２024-05-08T10:00:00Z",
        ] {
            assert!(!is_go_rfc3339(bad), "{bad}");
        }
    }
}
