//! JSON values to CEL values, typed by the schema the way the API server types them.
//!
//! Owns [`to_cel`] and [`escape_field`]. Object fields are exposed under their escaped names
//! (`namespace` is `__namespace__`), map keys (`additionalProperties`) are not escaped,
//! `type: number` is a double even when written as `1`, and strings with `format: duration`
//! or `format: date-time` become CEL durations and timestamps.

use std::collections::HashMap;
use std::sync::Arc;

use kube_cel::cel::Value as Cel;
use kube_cel::cel::objects::{Key, Map};
use serde_json::Value;

use crate::schema::{Additional, Node, SchemaType};

/// CEL's reserved words; a field with one of these names is reachable as `__word__`.
const RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// The name a field has in CEL, as `k8s.io/apiserver/pkg/cel` escapes it: reserved words
/// become `__word__`; `__`, `.`, `-` and `/` become `__underscores__`, `__dot__`, `__dash__`
/// and `__slash__`. A single `_` stays as it is.
pub fn escape_field(name: &str) -> String {
    if RESERVED.contains(&name) {
        return format!("__{name}__");
    }
    if !name.contains(['.', '-', '/']) && !name.contains("__") {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 16);
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("__") {
            out.push_str("__underscores__");
            rest = &rest[2..];
            continue;
        }
        match c {
            '.' => out.push_str("__dot__"),
            '-' => out.push_str("__dash__"),
            '/' => out.push_str("__slash__"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Converts `v`, typed by `node` when there is one.
pub fn to_cel(v: &Value, node: Option<&Node>) -> Cel {
    match v {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => {
            let wants_double = node.is_some_and(|n| n.types == Some(SchemaType::Number));
            if wants_double {
                return Cel::Float(n.as_f64().unwrap_or(f64::NAN));
            }
            if let Some(i) = n.as_i64() {
                Cel::Int(i)
            } else if let Some(u) = n.as_u64() {
                Cel::UInt(u)
            } else {
                Cel::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => string(s, node.and_then(|n| n.format.as_deref())),
        Value::Array(items) => {
            let item = node.and_then(|n| n.items.as_deref());
            Cel::List(Arc::new(items.iter().map(|i| to_cel(i, item)).collect()))
        }
        Value::Object(m) => {
            let additional = node.and_then(|n| match &n.additional_properties {
                Some(Additional::Schema(s)) => Some(Some(&**s)),
                Some(Additional::Allowed(true)) => Some(None),
                _ => None,
            });
            let mut out: HashMap<Key, Cel> = HashMap::with_capacity(m.len());
            for (k, child) in m {
                let declared = node.and_then(|n| n.properties.get(k));
                let (key, child_node) = match (declared, additional) {
                    (Some(p), _) => (escape_field(k), Some(p)),
                    // A map's keys are data, not field names: the API server does not escape them.
                    (None, Some(s)) => (k.clone(), s),
                    (None, None) => (escape_field(k), None),
                };
                out.insert(Key::String(Arc::new(key)), to_cel(child, child_node));
            }
            Cel::Map(Map { map: Arc::new(out) })
        }
    }
}

fn string(s: &str, format: Option<&str>) -> Cel {
    let arc = Arc::new(s.to_string());
    let converted = match format {
        Some("duration") => kube_cel::cel::functions::duration(arc.clone()).ok(),
        Some("date-time") => kube_cel::cel::functions::timestamp(arc.clone()).ok(),
        _ => None,
    };
    // A string that does not parse stays a string; schema validation reports the format.
    converted.unwrap_or(Cel::String(arc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_api_server() {
        assert_eq!(escape_field("namespace"), "__namespace__");
        assert_eq!(escape_field("name"), "name");
        assert_eq!(escape_field("my_field"), "my_field");
        assert_eq!(escape_field("a__b"), "a__underscores__b");
        assert_eq!(escape_field("x-y.z/w"), "x__dash__y__dot__z__slash__w");
    }

    #[test]
    fn numbers_follow_the_schema_type() {
        let mut n = Node::default();
        assert_eq!(to_cel(&serde_json::json!(3), Some(&n)), Cel::Int(3));
        n.types = Some(SchemaType::Number);
        assert_eq!(to_cel(&serde_json::json!(3), Some(&n)), Cel::Float(3.0));
    }
}
