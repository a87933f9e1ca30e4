//! Structural validation of one object against one schema, with defaulting first.
//!
//! Owns [`validate`] and [`Violation`], and [`walk`], which visits schema and value together
//! for the CEL pass. The order and the semantics are the API server's: null fields that are
//! not nullable are dropped and defaults applied (recursively into defaulted values), then
//! the object is checked: unknown fields (strict field validation), types (an integral JSON
//! number such as `1.0` passes as an integer, as kube-openapi allows), enum, pattern
//! (unanchored RE2 search), bounds, lengths in code points, item and property counts,
//! formats, required fields, `x-kubernetes-list-type` map and set uniqueness, and
//! allOf/oneOf/anyOf/not. `metadata` is left to the ObjectMeta checks elsewhere.
//!
//! The validator recurses only along the schema, which is finite, so no input can make it
//! recurse deeper than the schema is; values are never compared recursively beyond what
//! `serde_json` serialization of an already depth-limited document does.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ObjectSchema;
use super::formats;
use super::messages::{
    entry_noun, found, number, one_of_values, pattern_expectation, quote, quote_str, suggest,
    type_name, unique_suggestion,
};
use super::node::{Additional, ListType, Node, SchemaType};
use super::rules;
use crate::diag::RuleMeta;
use crate::fieldpath::{FieldPath, PathSeg};

/// One way an object breaks its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// One of the rules in [`super::rules`].
    pub rule: &'static RuleMeta,
    /// Where: the offending value, or for `on_key` findings the field or list entry.
    pub path: FieldPath,
    /// Point at the key (unknown field, duplicate list entry) rather than
    /// at the value.
    pub on_key: bool,
    /// Lower case, no final period; quotes the user's value and says what was expected.
    pub message: String,
    /// Other places that explain the finding, such as the first of two duplicate entries.
    pub related: Vec<(FieldPath, String)>,
    /// What evidently was meant, when the validator can tell (`lint --fix`).
    pub fix: Option<Suggestion>,
}

/// A correction of the value (or, for `on_key` findings, the key) a [`Violation`] is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    /// A boolean where a string is expected: the word as written, quoted (`yes` → `"yes"`).
    Quote,
    /// A quoted decimal integer where an integer is expected (`"80"` → `80`).
    Unquote,
    /// An enum value with one known correction (`Prefix` → `PathPrefix`, `terminate` →
    /// `Terminate`).
    Value(String),
    /// A misspelt field that exactly one known field is close to, and which the mapping
    /// does not already have. `safe` when they differ by case or one edit.
    RenameKey { to: String, safe: bool },
}

/// Enum values other tools use for a Gateway API value, and the value they mean: the
/// Ingress path type `Prefix` is Gateway API's `PathPrefix`. Applied only where the field's
/// allowed values include the correction.
const KNOWN_ENUM_CORRECTIONS: &[(&str, &str)] = &[("Prefix", "PathPrefix")];

/// The one allowed value `v` evidently means: a documented correction, or the only
/// allowed value that differs from it by case alone.
fn enum_correction(v: &Value, allowed: &[Value]) -> Option<String> {
    let s = v.as_str()?;
    let allows = |want: &str| allowed.iter().any(|a| a.as_str() == Some(want));
    if let Some((_, to)) = KNOWN_ENUM_CORRECTIONS
        .iter()
        .find(|(from, to)| *from == s && allows(to))
    {
        return Some((*to).to_owned());
    }
    let mut same_letters = allowed
        .iter()
        .filter_map(Value::as_str)
        .filter(|a| a.eq_ignore_ascii_case(s));
    match (same_letters.next(), same_letters.next()) {
        (Some(only), None) => Some(only.to_owned()),
        _ => None,
    }
}

/// `a` is `b` with two neighbouring letters swapped (`wieght`, `weight`), in any case: the
/// commonest typo, two edits apart but as sure a guess as one.
pub(super) fn swapped_letters(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (
        a.to_lowercase().chars().collect(),
        b.to_lowercase().chars().collect(),
    );
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(differ.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}

/// A string the API server would read as an integer had it not been quoted: decimal
/// digits, an optional minus, no leading zero (`"080"` may be meant as octal or as text),
/// within the 64-bit range.
fn plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && s.parse::<i64>().is_ok()
}

impl Violation {
    /// The rule's stable code, such as `GW103`.
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Whether this is a finding of `rule`.
    pub fn is(&self, rule: &RuleMeta) -> bool {
        self.rule.code == rule.code
    }
}

/// Largest JSON number that is still an exact integer; kube-openapi accepts integral floats
/// up to this size where an integer is expected.
const MAX_EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// Applies `schema`'s defaults to `object` in place, then checks it.
pub fn validate(schema: &ObjectSchema, object: &mut Value) -> Vec<Violation> {
    apply_defaults(&schema.root, object, true);
    let mut c = Checker {
        branch: false,
        path: Vec::new(),
        out: Vec::new(),
    };
    c.check(&schema.root, object, true);
    c.out
}

/// The defaulting of [`validate`] alone, without its checks: for objects read only so that
/// other objects' references resolve against them (lint's context files), whose own findings
/// are never reported, so checking them would be wasted work.
pub fn apply_schema_defaults(schema: &ObjectSchema, object: &mut Value) {
    apply_defaults(&schema.root, object, true);
}

/// Visits every value that has a schema node, parents before children, with the node and
/// the value's path: the root, properties, list items and map values, skipping `metadata`.
/// A CEL evaluator finds every rule placement this way ([`Node::rules`]).
pub fn walk<'v>(
    schema: &ObjectSchema,
    object: &'v Value,
    visit: &mut dyn FnMut(&FieldPath, &Node, &'v Value),
) {
    let mut path = FieldPath::root();
    walk_node(&schema.root, object, true, &mut path, visit);
}

fn walk_node<'v>(
    node: &Node,
    v: &'v Value,
    root: bool,
    path: &mut FieldPath,
    visit: &mut dyn FnMut(&FieldPath, &Node, &'v Value),
) {
    visit(path, node, v);
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                if root && k == "metadata" {
                    continue;
                }
                let sub = match node.properties.get(k) {
                    Some(p) => p,
                    None => match &node.additional_properties {
                        Some(Additional::Schema(s)) => s,
                        _ => continue,
                    },
                };
                path.push(PathSeg::Key(k.clone().into()));
                walk_node(sub, child, false, path, visit);
                path.pop();
            }
        }
        Value::Array(items) => {
            if let Some(it) = &node.items {
                for (i, item) in items.iter().enumerate() {
                    path.push(PathSeg::Index(i));
                    walk_node(it, item, false, path, visit);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// Whether `m` has the key `k`: objects are small, and comparing a few keys is cheaper
/// than hashing one.
fn has_key(m: &Map<String, Value>, k: &str) -> bool {
    if m.len() <= 8 {
        m.keys().any(|x| x == k)
    } else {
        m.contains_key(k)
    }
}

/// The API server's defaulting: a missing field (or a null one that is not nullable) gets
/// its default; a null field without default is dropped; then recurse, defaulted values
/// included.
fn apply_defaults(node: &Node, v: &mut Value, root: bool) {
    match v {
        Value::Object(m) => {
            // A null the schema does not allow is replaced by the default, or dropped: in
            // place, found among the object's few keys rather than by looking up every
            // property the schema declares.
            let nulls: Vec<(String, Option<Value>)> = m
                .iter()
                .filter(|(k, v)| v.is_null() && !(root && *k == "metadata"))
                .filter_map(|(k, _)| {
                    let p = node.properties.get(k)?;
                    (!p.nullable).then(|| (k.clone(), p.default.clone()))
                })
                .collect();
            for (k, d) in nulls {
                match d {
                    Some(d) => {
                        m.insert(k, d);
                    }
                    None => {
                        m.shift_remove(&k);
                    }
                }
            }
            // Missing fields with a default are added after the written ones, in the
            // schema's order.
            let missing = |(k, p): &(&String, &Node)| {
                p.default.is_some() && !(root && *k == "metadata") && !has_key(m, k)
            };
            let added = node.properties.iter().filter(missing).count();
            if added > 0 {
                // Grown one insert at a time, the map would double its capacity; every
                // object of a run keeps its defaulted JSON, so size it exactly instead.
                let mut grown = Map::with_capacity(m.len() + added);
                grown.append(m);
                *m = grown;
                for (k, p) in &node.properties {
                    if let Some(d) = &p.default
                        && !(root && k == "metadata")
                        && !has_key(m, k)
                    {
                        m.insert(k.clone(), d.clone());
                    }
                }
            }
            for (k, child) in m.iter_mut() {
                if root && k == "metadata" {
                    continue;
                }
                match node.properties.get(k) {
                    Some(p) => apply_defaults(p, child, false),
                    None => {
                        if let Some(Additional::Schema(s)) = &node.additional_properties {
                            apply_defaults(s, child, false);
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(it) = &node.items {
                for item in items {
                    apply_defaults(it, item, false);
                }
            }
        }
        _ => {}
    }
}

#[derive(Clone, Copy)]
enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

struct Checker<'v> {
    /// Inside allOf/oneOf/anyOf/not: only value constraints apply (no unknown fields), as in
    /// structural schemas.
    branch: bool,
    /// The path of the value being checked; turned into a [`FieldPath`] only for findings.
    path: Vec<Seg<'v>>,
    out: Vec<Violation>,
}

fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64()
                || n.is_u64()
                || n.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() <= MAX_EXACT_INT)
        }
        _ => false,
    }
}

fn type_matches(t: SchemaType, v: &Value) -> bool {
    match t {
        SchemaType::Object => v.is_object(),
        SchemaType::Array => v.is_array(),
        SchemaType::String => v.is_string(),
        SchemaType::Integer => is_integer(v),
        SchemaType::Number => v.is_number(),
        SchemaType::Boolean => v.is_boolean(),
    }
}

/// Enum comparison as kube-openapi does it: numbers by value (`302` matches `302.0`),
/// everything else by equality.
fn enum_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// How a branch's failures weigh when choosing which alternative the author meant: a
/// failed discriminator (enum, `not`, type) says "not this one" more than other failures.
fn weight(vs: &[Violation]) -> usize {
    vs.iter()
        .map(|v| {
            if [&rules::ENUM, &rules::FORBIDDEN, &rules::TYPE]
                .iter()
                .any(|r| v.is(r))
            {
                2
            } else {
                1
            }
        })
        .sum()
}

impl<'v> Checker<'v> {
    fn field_path(&self) -> FieldPath {
        FieldPath(
            self.path
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => PathSeg::Key((*k).to_string().into()),
                    Seg::Index(i) => PathSeg::Index(*i),
                })
                .collect(),
        )
    }

    fn report(&mut self, rule: &'static RuleMeta, message: String) {
        self.report_fixable(rule, message, None);
    }

    fn report_fixable(
        &mut self,
        rule: &'static RuleMeta,
        message: String,
        fix: Option<Suggestion>,
    ) {
        let path = self.field_path();
        self.out.push(Violation {
            rule,
            path,
            on_key: false,
            message,
            related: Vec::new(),
            fix,
        });
    }

    /// Reports a finding about the child `seg` of the current value: a field (by key) or a
    /// list entry.
    fn report_child(
        &mut self,
        seg: Seg<'v>,
        rule: &'static RuleMeta,
        on_key: bool,
        message: String,
        related: Vec<(FieldPath, String)>,
    ) {
        let path = self.child_path(seg);
        self.out.push(Violation {
            rule,
            path,
            on_key,
            message,
            related,
            fix: None,
        });
    }

    fn child_path(&mut self, seg: Seg<'v>) -> FieldPath {
        self.with(seg, |c| c.field_path())
    }

    fn with<T>(&mut self, seg: Seg<'v>, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(seg);
        let r = f(self);
        self.path.pop();
        r
    }

    /// Checks `v` against `node` in branch mode and returns what failed.
    fn branch_violations(&self, node: &Node, v: &'v Value) -> Vec<Violation> {
        let mut c = Checker {
            branch: true,
            path: self.path.clone(),
            out: Vec::new(),
        };
        c.check(node, v, false);
        c.out
    }

    fn check(&mut self, node: &Node, v: &'v Value, root: bool) {
        if v.is_null() {
            if !node.nullable && (node.types.is_some() || node.int_or_string) {
                let expected = match node.types {
                    Some(t) => type_name(t),
                    None => "an integer or a string",
                };
                self.report(&rules::TYPE, format!("expected {expected}, found null"));
            }
            return;
        }
        let type_ok = match node.types {
            _ if node.int_or_string => v.is_string() || is_integer(v),
            Some(t) => type_matches(t, v),
            None => true,
        };
        if !type_ok {
            let expected = match node.types {
                _ if node.int_or_string => "an integer or a string",
                Some(t) => type_name(t),
                None => "a value",
            };
            // Only a plain string or integer field: where several types or forms are
            // possible, gwctl cannot tell which was meant.
            let fix = match (node.types, v) {
                (Some(SchemaType::String), Value::Bool(_)) if !node.int_or_string => {
                    Some(Suggestion::Quote)
                }
                (Some(SchemaType::Integer), Value::String(s))
                    if !node.int_or_string && plain_decimal(s) =>
                {
                    Some(Suggestion::Unquote)
                }
                _ => None,
            };
            self.report_fixable(
                &rules::TYPE,
                format!("expected {expected}, found {}", found(v)),
                fix,
            );
            return;
        }
        if let Some(allowed) = &node.enum_values
            && !allowed.iter().any(|a| enum_eq(a, v))
        {
            // Two values read best as "A or B"; longer lists as "one of A, B or C".
            let values = one_of_values(allowed);
            let expected = if allowed.len() <= 2 {
                values
            } else {
                format!("one of {values}")
            };
            let msg = format!("unsupported value {}; expected {expected}", quote(v));
            let fix = enum_correction(v, allowed).map(Suggestion::Value);
            self.report_fixable(&rules::ENUM, msg, fix);
        }
        match v {
            Value::String(s) => self.check_string(node, s),
            Value::Number(_) => self.check_number(node, v),
            Value::Object(m) => self.check_object(node, m, root),
            Value::Array(items) => self.check_array(node, items),
            Value::Bool(_) | Value::Null => {}
        }
        self.check_alternatives(node, v);
    }

    fn check_string(&mut self, node: &Node, s: &str) {
        if node.min_length.is_some() || node.max_length.is_some() {
            // Go counts runes; a `char` is one code point.
            let len = s.chars().count() as u64;
            if let Some(max) = node.max_length.filter(|m| len > *m) {
                self.report(
                    &rules::LENGTH,
                    format!(
                        "{} is too long: {len} characters, at most {max} allowed",
                        quote_str(s)
                    ),
                );
            }
            if let Some(min) = node.min_length.filter(|m| len < *m) {
                let msg = if len == 0 {
                    format!(
                        "empty string; at least {min} character{} required",
                        plural(min)
                    )
                } else {
                    format!(
                        "{} is too short: {len} characters, at least {min} required",
                        quote_str(s)
                    )
                };
                self.report(&rules::LENGTH, msg);
            }
        }
        if let Some(p) = &node.pattern
            && !p.regex.is_match(s)
        {
            self.report(
                &rules::PATTERN,
                format!(
                    "{} is invalid: expected {}",
                    quote_str(s),
                    pattern_expectation(&p.source)
                ),
            );
        }
        if let Some(f) = &node.format
            && formats::check_string(f, s) == Some(false)
        {
            let what = formats::describe(f).unwrap_or("the format");
            self.report(&rules::FORMAT, format!("{} is not {what}", quote_str(s)));
        }
    }

    fn check_number(&mut self, node: &Node, v: &Value) {
        let Some(f) = v.as_f64() else { return };
        let shown = quote(v);
        if let Some(min) = node.minimum {
            if node.exclusive_minimum && f <= min {
                self.report(
                    &rules::RANGE,
                    format!(
                        "{shown} is too small: it must be greater than {}",
                        number(min)
                    ),
                );
            } else if f < min {
                self.report(
                    &rules::RANGE,
                    format!("{shown} is less than the minimum {}", number(min)),
                );
            }
        }
        if let Some(max) = node.maximum {
            if node.exclusive_maximum && f >= max {
                self.report(
                    &rules::RANGE,
                    format!("{shown} is too large: it must be less than {}", number(max)),
                );
            } else if f > max {
                self.report(
                    &rules::RANGE,
                    format!("{shown} is greater than the maximum {}", number(max)),
                );
            }
        }
        if let Some(m) = node.multiple_of.filter(|m| *m > 0.0) {
            let q = f / m;
            if (q - q.round()).abs() > 1e-9 {
                self.report(
                    &rules::RANGE,
                    format!("{shown} is not a multiple of {}", number(m)),
                );
            }
        }
        if let Some(fmt) = &node.format {
            let n: Option<i128> = match v {
                Value::Number(n) => n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
                    .or_else(|| {
                        n.as_f64()
                            .filter(|f| f.fract() == 0.0 && f.abs() < 1e30)
                            .map(|f| f as i128)
                    }),
                _ => None,
            };
            if let Some(n) = n
                && formats::check_integer(fmt, n) == Some(false)
            {
                let what = formats::describe(fmt).unwrap_or("the format");
                self.report(
                    &rules::FORMAT,
                    format!("{shown} does not fit: expected {what} (format {fmt})"),
                );
            }
        }
    }

    fn check_object(&mut self, node: &Node, m: &'v Map<String, Value>, root: bool) {
        for r in &node.required {
            if !m.contains_key(r) {
                self.report(
                    &rules::REQUIRED,
                    format!("missing required field {}", quote_str(r)),
                );
            }
        }
        let n = m.len() as u64;
        if let Some(max) = node.max_properties.filter(|x| n > *x) {
            self.report(
                &rules::PROPERTIES,
                format!("too many entries: {n}, at most {max} allowed"),
            );
        }
        if let Some(min) = node.min_properties.filter(|x| n < *x) {
            self.report(
                &rules::PROPERTIES,
                format!("too few entries: {n}, at least {min} required"),
            );
        }
        for (k, child) in m {
            let key: &'v str = k.as_str();
            // The API server always accepts these on a resource, listed in the schema or not.
            let implicit = (root || node.embedded_resource)
                && matches!(key, "apiVersion" | "kind" | "metadata");
            if (root || node.embedded_resource) && key == "metadata" {
                if !self.branch {
                    let at = self.child_path(Seg::Key(key));
                    super::metadata::check(child, at, root, &mut self.out);
                }
                continue;
            }
            match node.properties.get(key) {
                Some(p) => {
                    self.with(Seg::Key(key), |c| c.check(p, child, false));
                }
                None if implicit => {
                    if !child.is_string() {
                        self.with(Seg::Key(key), |c| {
                            c.report(
                                &rules::TYPE,
                                format!("expected a string, found {}", found(child)),
                            )
                        });
                    }
                }
                None => match &node.additional_properties {
                    Some(Additional::Schema(s)) => {
                        self.with(Seg::Key(key), |c| c.check(s, child, false))
                    }
                    Some(Additional::Allowed(true)) => {}
                    _ if self.branch || node.preserve_unknown_fields => {}
                    _ => self.unknown_field(node, key),
                },
            }
        }
    }

    fn unknown_field(&mut self, node: &Node, key: &'v str) {
        let known: Vec<&str> = node.properties.keys().map(String::as_str).collect();
        let message = match suggest(key, node.properties.keys().map(String::as_str)) {
            Some(s) => format!(
                "unknown field {} (did you mean {}?)",
                quote_str(key),
                quote_str(s)
            ),
            None if known.is_empty() => format!(
                "unknown field {}; this mapping takes no fields",
                quote_str(key)
            ),
            None if known.len() <= 12 => {
                format!(
                    "unknown field {}; expected one of: {}",
                    quote_str(key),
                    known.join(", ")
                )
            }
            None => format!("unknown field {}", quote_str(key)),
        };
        // Renamed only to the one field that fits. Whether the mapping has
        // that field already (the rename would make a duplicate key) is for the text to say:
        // here, defaults have been filled in.
        let fix = unique_suggestion(key, known.iter().copied()).map(|(to, distance)| {
            Suggestion::RenameKey {
                to: to.to_owned(),
                safe: distance <= 1 || swapped_letters(key, to),
            }
        });
        self.report_child(
            Seg::Key(key),
            &rules::UNKNOWN_FIELD,
            true,
            message,
            Vec::new(),
        );
        if let Some(last) = self.out.last_mut() {
            last.fix = fix;
        }
    }

    fn check_array(&mut self, node: &Node, items: &'v [Value]) {
        let n = items.len() as u64;
        if let Some(max) = node.max_items.filter(|x| n > *x) {
            self.report(
                &rules::ITEMS,
                format!("too many items: {n}, at most {max} allowed"),
            );
        }
        if let Some(min) = node.min_items.filter(|x| n < *x) {
            let msg = if n == 0 {
                format!("empty list; at least {min} item{} required", plural(min))
            } else {
                format!("too few items: {n}, at least {min} required")
            };
            self.report(&rules::ITEMS, msg);
        }
        if let Some(it) = &node.items {
            for (i, item) in items.iter().enumerate() {
                self.with(Seg::Index(i), |c| c.check(it, item, false));
            }
        }
        match node.list_type {
            Some(ListType::Map) => self.check_list_map(node, items),
            Some(ListType::Set) => self.check_set(items),
            _ if node.unique_items => self.check_set(items),
            _ => {}
        }
    }

    /// The last key of the path, naming the list (`listeners`), for the entry noun.
    fn list_field(&self) -> Option<&'v str> {
        match self.path.last() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }

    fn check_list_map(&mut self, node: &Node, items: &'v [Value]) {
        let keys = &node.list_map_keys;
        let item_schema = node.items.as_deref();
        let noun = entry_noun(self.list_field());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let Value::Object(m) = item else {
                // Wrong item types are reported by the item schema, or here when there is none.
                if item_schema.is_none() && !item.is_null() {
                    self.with(Seg::Index(i), |c| {
                        c.report(
                            &rules::TYPE,
                            format!("expected a mapping, found {}", found(item)),
                        )
                    });
                }
                continue;
            };
            // A missing key counts as its default, or as one shared "unset" value.
            let tuple: Vec<Option<&Value>> = keys
                .iter()
                .map(|k| {
                    m.get(k).or_else(|| {
                        item_schema
                            .and_then(|s| s.properties.get(k))
                            .and_then(|p| p.default.as_ref())
                    })
                })
                .collect();
            let canon = serde_json::to_string(&tuple).unwrap_or_default();
            match seen.get(&canon) {
                Some(&first) => {
                    let described = describe_key(keys, &tuple);
                    let first_path = self.child_path(Seg::Index(first));
                    let message = format!(
                        "duplicate {noun} {described}; entries of this list must differ in {}",
                        keys.join(", ")
                    );
                    let related = vec![(first_path, format!("first {noun} {described}"))];
                    self.report_child(Seg::Index(i), &rules::DUPLICATE_KEY, true, message, related);
                }
                None => {
                    seen.insert(canon, i);
                }
            }
        }
    }

    fn check_set(&mut self, items: &'v [Value]) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let canon = serde_json::to_string(item).unwrap_or_default();
            match seen.get(&canon) {
                Some(&first) => {
                    let first_path = self.child_path(Seg::Index(first));
                    let message = format!(
                        "duplicate value {}; values in this list must be unique",
                        quote(item)
                    );
                    let related = vec![(first_path, format!("first {}", quote(item)))];
                    self.report_child(
                        Seg::Index(i),
                        &rules::DUPLICATE_ITEM,
                        false,
                        message,
                        related,
                    );
                }
                None => {
                    seen.insert(canon, i);
                }
            }
        }
    }

    fn check_alternatives(&mut self, node: &Node, v: &'v Value) {
        for b in &node.all_of {
            let vs = self.branch_violations(b, v);
            self.out.extend(vs);
        }
        if !node.any_of.is_empty() {
            let results: Vec<Vec<Violation>> = node
                .any_of
                .iter()
                .map(|b| self.branch_violations(b, v))
                .collect();
            if results.iter().all(|r| !r.is_empty()) {
                self.no_alternative(&node.any_of, results, v);
            }
        }
        if !node.one_of.is_empty() {
            let results: Vec<Vec<Violation>> = node
                .one_of
                .iter()
                .map(|b| self.branch_violations(b, v))
                .collect();
            let valid = results.iter().filter(|r| r.is_empty()).count();
            match valid {
                0 => self.no_alternative(&node.one_of, results, v),
                1 => {}
                n => self.report(
                    &rules::AMBIGUOUS,
                    format!(
                        "{} matches {n} of the {} alternatives, but must match exactly one",
                        quote(v),
                        node.one_of.len()
                    ),
                ),
            }
        }
        if let Some(not) = &node.not
            && self.branch_violations(not, v).is_empty()
        {
            let what =
                describe_branch(not).unwrap_or_else(|| "a value of the forbidden form".into());
            self.report(
                &rules::FORBIDDEN,
                format!("{} is not allowed here: it must not be {what}", quote(v)),
            );
        }
    }

    /// No alternative matched. When one branch is clearly closest, its own findings are the
    /// most precise thing to say; otherwise say what each alternative expects.
    fn no_alternative(&mut self, branches: &[Node], results: Vec<Vec<Violation>>, v: &Value) {
        let weights: Vec<usize> = results.iter().map(|r| weight(r)).collect();
        let best = weights.iter().copied().min().unwrap_or(0);
        if weights.iter().filter(|w| **w == best).count() == 1 {
            let i = weights.iter().position(|w| *w == best).unwrap_or(0);
            if let Some(r) = results.into_iter().nth(i) {
                self.out.extend(r);
            }
            return;
        }
        let here = self.field_path();
        let parts: Vec<String> = branches
            .iter()
            .zip(&results)
            .map(|(b, r)| {
                describe_branch(b).unwrap_or_else(|| match r.first() {
                    Some(x) if x.path != here => {
                        format!("{}: {}", relative(&here, &x.path), x.message)
                    }
                    Some(x) => x.message.clone(),
                    None => "anything".into(),
                })
            })
            .collect();
        self.report(
            &rules::NO_ALTERNATIVE,
            format!(
                "{} matches none of the allowed alternatives: {}",
                quote(v),
                parts.join("; or ")
            ),
        );
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn describe_key(keys: &[String], tuple: &[Option<&Value>]) -> String {
    if let ([k], [Some(v)]) = (keys, tuple)
        && k == "name"
    {
        return format!("named {}", quote(v));
    }
    let parts: Vec<String> = keys
        .iter()
        .zip(tuple)
        .map(|(k, v)| match v {
            Some(v) => format!("{k} {}", quote(v)),
            None => format!("{k} unset"),
        })
        .collect();
    format!("with {}", parts.join(", "))
}

/// A path relative to `base`, as `value` or `spec.port`.
fn relative(base: &FieldPath, p: &FieldPath) -> String {
    let rest = p.0.get(base.0.len()..).unwrap_or_default();
    FieldPath(rest.to_vec()).to_string()
}

/// What a simple alternative expects, in words: "a valid IPv4 address", "one of \"A\"".
fn describe_branch(b: &Node) -> Option<String> {
    let simple = b.properties.is_empty()
        && b.items.is_none()
        && b.all_of.is_empty()
        && b.one_of.is_empty()
        && b.any_of.is_empty()
        && b.not.is_none();
    if !simple {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(t) = b.types {
        parts.push(type_name(t).to_string());
    }
    if let Some(e) = &b.enum_values {
        parts.push(format!("one of {}", one_of_values(e)));
    }
    if let Some(f) = &b.format {
        parts.push(
            formats::describe(f)
                .map(str::to_string)
                .unwrap_or_else(|| format!("of format {f}")),
        );
    }
    if let Some(p) = &b.pattern {
        parts.push(pattern_expectation(&p.source));
    }
    if !b.required.is_empty() {
        let names: Vec<String> = b.required.iter().map(|r| quote_str(r)).collect();
        parts.push(format!("a mapping that sets {}", names.join(" and ")));
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(", "))
    }
}
