//! The schema node tree that every schema gwctl knows is converted into.
//!
//! Owns [`Node`] (one structural-schema node: type, value constraints, children, defaults,
//! Kubernetes list/map semantics and the CEL rules placed on it), [`CelRule`], and
//! [`Node::from_openapi`], the one converter from OpenAPI v3 JSON (a CRD's `openAPIV3Schema`,
//! or a bundled schema after `$ref`s are resolved) to nodes. Patterns are compiled here, once,
//! when a schema is converted. Knows nothing about objects or findings.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// JSON types a schema node can require.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaType {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

impl SchemaType {
    fn parse(s: &str) -> Option<SchemaType> {
        Some(match s {
            "object" => SchemaType::Object,
            "array" => SchemaType::Array,
            "string" => SchemaType::String,
            "integer" => SchemaType::Integer,
            "number" => SchemaType::Number,
            "boolean" => SchemaType::Boolean,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SchemaType::Object => "object",
            SchemaType::Array => "array",
            SchemaType::String => "string",
            SchemaType::Integer => "integer",
            SchemaType::Number => "number",
            SchemaType::Boolean => "boolean",
        }
    }
}

impl fmt::Display for SchemaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `x-kubernetes-list-type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListType {
    Atomic,
    Set,
    Map,
}

impl ListType {
    pub fn as_str(self) -> &'static str {
        match self {
            ListType::Atomic => "atomic",
            ListType::Set => "set",
            ListType::Map => "map",
        }
    }
}

/// `x-kubernetes-map-type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapType {
    Granular,
    Atomic,
}

impl MapType {
    pub fn as_str(self) -> &'static str {
        match self {
            MapType::Granular => "granular",
            MapType::Atomic => "atomic",
        }
    }
}

/// A `pattern`, kept as written and compiled once. Matching is an unanchored search, as
/// in the API server (Go's `regexp.MatchString`); the anchors are whatever the pattern has.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub source: String,
    pub regex: Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// `additionalProperties`.
#[derive(Clone, Debug, PartialEq)]
pub enum Additional {
    /// `true` or `false`.
    Allowed(bool),
    /// A schema every value of the map must satisfy.
    Schema(Box<Node>),
}

/// One `x-kubernetes-validations` entry. gwctl does not evaluate CEL here; the rules sit on
/// the node where upstream places them so that an evaluator can walk schema and value
/// together (see [`super::walk`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CelRule {
    /// The expression, exactly as the CRD has it.
    pub rule: String,
    /// What to say when the rule fails. For bundled schemas this is gwctl's own wording.
    pub message: Option<String>,
    pub message_expression: Option<String>,
    pub reason: Option<String>,
    pub field_path: Option<String>,
    pub optional_old_self: bool,
    /// The rule reads `oldSelf`, so it runs only on updates and never on a manifest alone.
    pub transition: bool,
}

/// One node of a structural schema.
///
/// Every keyword the Kubernetes API server honours in a CRD schema has a field here; the
/// documentation-only ones (`description`, `title`, `example`, `externalDocs`) are dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    pub types: Option<SchemaType>,
    pub format: Option<String>,
    pub enum_values: Option<Vec<Value>>,
    pub pattern: Option<Pattern>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub unique_items: bool,
    pub required: Vec<String>,
    pub properties: BTreeMap<String, Node>,
    pub additional_properties: Option<Additional>,
    pub items: Option<Box<Node>>,
    pub all_of: Vec<Node>,
    pub one_of: Vec<Node>,
    pub any_of: Vec<Node>,
    pub not: Option<Box<Node>>,
    pub default: Option<Value>,
    pub nullable: bool,
    pub list_type: Option<ListType>,
    pub list_map_keys: Vec<String>,
    pub map_type: Option<MapType>,
    pub preserve_unknown_fields: bool,
    pub int_or_string: bool,
    pub embedded_resource: bool,
    pub rules: Vec<CelRule>,
}

/// Why an OpenAPI schema could not be converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// Where in the schema, as `.properties.spec.properties.port`.
    pub at: String,
    pub reason: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            write!(f, "at the schema root: {}", self.reason)
        } else {
            write!(f, "at {}: {}", self.at, self.reason)
        }
    }
}

impl std::error::Error for SchemaError {}

/// Compiled patterns shared by the schemas converted with one cache: the bundled schemas
/// repeat a dozen patterns a few hundred times.
#[derive(Default)]
pub struct PatternCache {
    compiled: HashMap<String, Regex>,
}

impl PatternCache {
    fn get(&mut self, source: &str) -> Result<Regex, String> {
        if let Some(r) = self.compiled.get(source) {
            return Ok(r.clone());
        }
        let r =
            Regex::new(source).map_err(|e| format!("pattern {source:?} does not compile: {e}"))?;
        self.compiled.insert(source.to_string(), r.clone());
        Ok(r)
    }
}

fn mentions_old_self(rule: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\boldSelf\b").expect("static regex"))
        .is_match(rule)
}

impl Node {
    /// Converts an OpenAPI v3 schema (as Kubernetes accepts it in a CRD) into nodes.
    pub fn from_openapi(schema: &Value, cache: &mut PatternCache) -> Result<Node, SchemaError> {
        let mut at = String::new();
        convert(schema, &mut at, cache)
    }
}

fn err(at: &str, reason: impl Into<String>) -> SchemaError {
    SchemaError {
        at: at.to_string(),
        reason: reason.into(),
    }
}

fn with_segment<T>(at: &mut String, seg: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = at.len();
    at.push_str(seg);
    let r = f(at);
    at.truncate(len);
    r
}

fn convert(v: &Value, at: &mut String, cache: &mut PatternCache) -> Result<Node, SchemaError> {
    let Value::Object(m) = v else {
        return Err(err(
            at,
            format!("a schema must be a mapping, found {}", kind_of(v)),
        ));
    };
    let mut n = Node::default();
    for (k, val) in m {
        match k.as_str() {
            "type" => {
                let s = val
                    .as_str()
                    .ok_or_else(|| err(at, "`type` must be a string"))?;
                n.types = Some(
                    SchemaType::parse(s)
                        .ok_or_else(|| err(at, format!("unsupported type {s:?}")))?,
                );
            }
            "format" => n.format = Some(string(val, at, k)?),
            "enum" => {
                let items = val
                    .as_array()
                    .ok_or_else(|| err(at, "`enum` must be a list"))?;
                n.enum_values = Some(items.clone());
            }
            "pattern" => {
                let src = string(val, at, k)?;
                let regex = cache.get(&src).map_err(|e| err(at, e))?;
                n.pattern = Some(Pattern { source: src, regex });
            }
            "minimum" => n.minimum = Some(number(val, at, k)?),
            "maximum" => n.maximum = Some(number(val, at, k)?),
            "exclusiveMinimum" => n.exclusive_minimum = boolean(val, at, k)?,
            "exclusiveMaximum" => n.exclusive_maximum = boolean(val, at, k)?,
            "multipleOf" => n.multiple_of = Some(number(val, at, k)?),
            "minLength" => n.min_length = Some(count(val, at, k)?),
            "maxLength" => n.max_length = Some(count(val, at, k)?),
            "minItems" => n.min_items = Some(count(val, at, k)?),
            "maxItems" => n.max_items = Some(count(val, at, k)?),
            "minProperties" => n.min_properties = Some(count(val, at, k)?),
            "maxProperties" => n.max_properties = Some(count(val, at, k)?),
            "uniqueItems" => n.unique_items = boolean(val, at, k)?,
            "required" => n.required = strings(val, at, k)?,
            "properties" => {
                let props = val
                    .as_object()
                    .ok_or_else(|| err(at, "`properties` must be a mapping"))?;
                for (name, p) in props {
                    let child = with_segment(at, &format!(".properties.{name}"), |at| {
                        convert(p, at, cache)
                    })?;
                    n.properties.insert(name.clone(), child);
                }
            }
            "additionalProperties" => {
                n.additional_properties = Some(match val {
                    Value::Bool(b) => Additional::Allowed(*b),
                    _ => Additional::Schema(Box::new(with_segment(
                        at,
                        ".additionalProperties",
                        |at| convert(val, at, cache),
                    )?)),
                });
            }
            "items" => {
                if val.is_array() {
                    return Err(err(
                        at,
                        "`items` must be one schema, not a list (tuples are not supported by Kubernetes)",
                    ));
                }
                n.items = Some(Box::new(with_segment(at, ".items", |at| {
                    convert(val, at, cache)
                })?));
            }
            "allOf" | "oneOf" | "anyOf" => {
                let list = val
                    .as_array()
                    .ok_or_else(|| err(at, format!("`{k}` must be a list of schemas")))?;
                let mut out = Vec::with_capacity(list.len());
                for (i, b) in list.iter().enumerate() {
                    out.push(with_segment(at, &format!(".{k}[{i}]"), |at| {
                        convert(b, at, cache)
                    })?);
                }
                match k.as_str() {
                    "allOf" => n.all_of = out,
                    "oneOf" => n.one_of = out,
                    _ => n.any_of = out,
                }
            }
            "not" => {
                n.not = Some(Box::new(with_segment(at, ".not", |at| {
                    convert(val, at, cache)
                })?))
            }
            "default" => n.default = Some(val.clone()),
            "nullable" => n.nullable = boolean(val, at, k)?,
            "x-kubernetes-list-type" => {
                n.list_type = Some(match string(val, at, k)?.as_str() {
                    "atomic" => ListType::Atomic,
                    "set" => ListType::Set,
                    "map" => ListType::Map,
                    other => return Err(err(at, format!("unsupported list type {other:?}"))),
                })
            }
            "x-kubernetes-list-map-keys" => n.list_map_keys = strings(val, at, k)?,
            "x-kubernetes-map-type" => {
                n.map_type = Some(match string(val, at, k)?.as_str() {
                    "granular" => MapType::Granular,
                    "atomic" => MapType::Atomic,
                    other => return Err(err(at, format!("unsupported map type {other:?}"))),
                })
            }
            "x-kubernetes-preserve-unknown-fields" => {
                n.preserve_unknown_fields = boolean(val, at, k)?
            }
            "x-kubernetes-int-or-string" => n.int_or_string = boolean(val, at, k)?,
            "x-kubernetes-embedded-resource" => n.embedded_resource = boolean(val, at, k)?,
            "x-kubernetes-validations" => n.rules = rules(val, at)?,
            "$ref" => {
                return Err(err(at, "`$ref` is not allowed in a Kubernetes schema"));
            }
            // Documentation and keywords the API server ignores or rejects elsewhere.
            _ => {}
        }
    }
    if n.list_type == Some(ListType::Map) && n.list_map_keys.is_empty() {
        return Err(err(at, "list type map needs x-kubernetes-list-map-keys"));
    }
    Ok(n)
}

fn rules(v: &Value, at: &str) -> Result<Vec<CelRule>, SchemaError> {
    let list = v
        .as_array()
        .ok_or_else(|| err(at, "`x-kubernetes-validations` must be a list"))?;
    let mut out = Vec::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        let here = format!("{at}.x-kubernetes-validations[{i}]");
        let Value::Object(m) = r else {
            return Err(err(&here, "a validation rule must be a mapping"));
        };
        let text = |key: &str| -> Result<Option<String>, SchemaError> {
            match m.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(err(&here, format!("`{key}` must be a string"))),
            }
        };
        let rule = text("rule")?.ok_or_else(|| err(&here, "a validation rule needs `rule`"))?;
        out.push(CelRule {
            transition: mentions_old_self(&rule),
            message: text("message")?,
            message_expression: text("messageExpression")?,
            reason: text("reason")?,
            field_path: text("fieldPath")?,
            optional_old_self: match m.get("optionalOldSelf") {
                Some(b) => boolean(b, &here, "optionalOldSelf")?,
                None => false,
            },
            rule,
        });
    }
    Ok(out)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn string(v: &Value, at: &str, key: &str) -> Result<String, SchemaError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| err(at, format!("`{key}` must be a string")))
}

fn boolean(v: &Value, at: &str, key: &str) -> Result<bool, SchemaError> {
    v.as_bool()
        .ok_or_else(|| err(at, format!("`{key}` must be true or false")))
}

fn number(v: &Value, at: &str, key: &str) -> Result<f64, SchemaError> {
    v.as_f64()
        .ok_or_else(|| err(at, format!("`{key}` must be a number")))
}

fn count(v: &Value, at: &str, key: &str) -> Result<u64, SchemaError> {
    v.as_u64()
        .ok_or_else(|| err(at, format!("`{key}` must be a non-negative integer")))
}

fn strings(v: &Value, at: &str, key: &str) -> Result<Vec<String>, SchemaError> {
    let list = v
        .as_array()
        .ok_or_else(|| err(at, format!("`{key}` must be a list of strings")))?;
    list.iter()
        .map(|s| string(s, at, key))
        .collect::<Result<Vec<_>, _>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_keywords_and_rules() {
        let n = Node::from_openapi(
            &json!({
                "type": "object",
                "required": ["a"],
                "properties": {
                    "a": {"type": "string", "pattern": "^x$", "maxLength": 3},
                    "b": {"type": "array", "x-kubernetes-list-type": "map",
                          "x-kubernetes-list-map-keys": ["name"], "items": {"type": "object"}}
                },
                "x-kubernetes-validations": [
                    {"rule": "self == oldSelf", "message": "immutable"},
                    {"rule": "has(self.a)"}
                ]
            }),
            &mut PatternCache::default(),
        )
        .unwrap();
        assert_eq!(n.required, ["a"]);
        assert_eq!(n.properties["a"].max_length, Some(3));
        assert_eq!(n.properties["b"].list_type, Some(ListType::Map));
        assert!(n.rules[0].transition);
        assert!(!n.rules[1].transition);
    }

    #[test]
    fn reports_where_a_schema_is_wrong() {
        let e = Node::from_openapi(
            &json!({"properties": {"a": {"pattern": "("}}}),
            &mut PatternCache::default(),
        )
        .unwrap_err();
        assert_eq!(e.at, ".properties.a");
        let e = Node::from_openapi(&json!({"type": "tuple"}), &mut PatternCache::default())
            .unwrap_err();
        assert!(e.reason.contains("tuple"));
    }
}
